"""`coach simulate SCENARIO --script FILE` and `coach scenario test [FILE...]`.

Both play rep lines against the simulated buyer through the same engine the app
uses (coach.engine.PracticeSession). Only click is imported at module level; the
scenario loader, the analyser and the engine load inside the commands.
"""

from __future__ import annotations

from pathlib import Path

import click

from coach.cli import load_voice, voice_options
from coach.cli import common
from coach.cli.common import expand_paths
from coach.cli.output import cell, echo
from coach.cli.scenario import scenario_group



def _error(message: str, exit_code: int = 2):
    from coach.cli import CoachError

    return CoachError(message, exit_code)


def _resolve_scenario(name: str):
    """A scenario from a file path, else a built-in (or user) scenario id."""
    from coach.scenario import ScenarioError, load_scenario, scenario_path

    try:
        path = scenario_path(name)
        return load_scenario(path)
    except KeyError as exc:
        raise _error(exc.args[0]) from None
    except ScenarioError as exc:
        raise _error(exc.messages[0] if len(exc.messages) == 1 else f"{exc.messages[0]} (and {len(exc.messages) - 1} more problems; run `coach scenario validate {name}`)") from None


def _read_script(script: str) -> list[str]:
    """Rep lines from FILE ('-' for stdin): one per line; blank lines and # comments skipped."""
    from coach.analysis.readers import STDIN, TranscriptError, stdin_bytes

    name = STDIN if script == "-" else script
    try:
        if script == "-":
            data = stdin_bytes().read()
        else:
            p = Path(script)
            if p.is_dir():
                raise _error(f"{name}: is a directory, not a script file")
            data = p.read_bytes()
    except TranscriptError as exc:
        raise _error(str(exc)) from None
    except FileNotFoundError:
        raise _error(f"{name}: no such file") from None
    except OSError as exc:
        raise _error(f"{name}: cannot read: {exc.strerror or exc}") from None
    # Standard input is checked as a file is (it used to be read as text in
    # the locale's encoding, so undecodable bytes slipped through).
    if b"\x00" in data:
        raise _error(f"{name}: binary data (a NUL byte): not a text file of rep lines")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _error(f"{name}:{line}: not UTF-8 text") from None
    lines = [x.strip() for x in text.splitlines()]
    lines = [x for x in lines if x and not x.startswith("#")]
    if not lines:
        raise _error(f"{name}: no rep lines (one line per rep turn; # starts a comment)")
    return lines


def _print_transcript(result, explain: bool = False) -> None:
    from coach.labels import human_list, only_excused

    session = result.session
    sc = session.scenario
    b = sc.buyer
    name = cell(b.name)
    echo(f"{cell(sc.title)}  ({sc.id}, {sc.difficulty})")
    echo(f"{name}, {cell(b.role)}, {cell(b.company)}; trust starts at {b.trust.start:g}")
    echo("")
    echo(f"{name}: {session.opening.text}")
    for e in result.exchanges:
        echo("")
        echo(f"Rep [{e.index + 1}]: {e.rep_text}")
        excused = e.move.excused
        echo(f"    labels: {human_list(e.analysed.labels, excused) or '(no labels)'}")
        for tip in () if only_excused(e.analysed.labels, excused) else e.analysed.tips[:1]:
            echo(f"    tip: {tip}")
        if explain:
            for line in explain_move(e):
                echo(f"    {line}")
        echo(f"{name}: {e.buyer.text}")
        if e.buyer.voice != "rule":
            echo(f"    voice: {cell(e.buyer.voice)}")
        change = e.trust_after - e.trust_before
        line = f"    trust {e.trust_before:.0f} -> {e.trust_after:.0f} ({change:+.0f})"
        if e.revealed:
            line += "; discovered: " + ", ".join(e.revealed)
        elif e.buyer.kind == "hold" and e.buyer.asked_about:
            line += f"; held back: {e.buyer.asked_about[0]}"
        echo(line)
    if result.unplayed:
        echo("")
        echo(f"({result.unplayed} script lines not played: the session had ended)")
    _print_scorecard(result.scorecard, b.name)


def explain_move(e) -> list[str]:
    """What the buyer decided for one exchange and why, as lines for --explain."""
    m = e.move
    t = m.topic
    about = "nothing in particular" if t is None else (
        f"{t.kind} '{t.id}'" if t.id else {"generic": "a generic prompt", "none": "nothing the buyer knows",
                                             "next_step": "the next step"}.get(t.kind, t.kind))
    how = f" ({t.how})" if t is not None and t.how and t.how != f"about {about}" else ""  # not said twice
    specific = "specific to this buyer" if m.specific else "nothing specific to this buyer"
    lines = [f"buyer decided: {m.kind}; about {about}{how}; {specific}"]
    if e.analysed.uptake.carried:
        lines.append(f"took up: {e.analysed.uptake.describe() or 'their meaning'}")
    if m.reasons:
        lines.append("why: " + "; ".join(m.reasons))
    return lines


def _print_scorecard(card, buyer: str = "the buyer") -> None:
    from coach.scoring import end_sentence

    echo("")
    echo(f"Score: {card.total}/100   ({end_sentence(card.end_reason, buyer)}; final trust {card.final_trust:.0f}; hints {card.hints})")
    for p in card.parts:
        echo(f"  {p.title}: {p.score}  (weight {p.weight:.2f})")
        if p.best:
            echo(f"    best  (turn {p.best.rep_turn}): \"{p.best.quote}\" - {p.best.why}")
        if p.worst:
            echo(f"    worst (turn {p.worst.rep_turn}): \"{p.worst.quote}\" - {p.worst.why}")
        echo(f"    try next: {p.advice}")
    found = ", ".join(card.discovered) or "none"
    missed = ", ".join(f"{i} ({card.topics[i]})" for i in card.missed) or "none"
    echo(f"  Discovered: {found}")
    echo(f"  Missed: {missed}")


@click.command()
@click.argument("scenario", metavar="SCENARIO")
@click.option(
    "--script",
    "script",
    required=True,
    metavar="FILE",
    help="Rep lines, one per line ('#' comments and blank lines are skipped; '-' reads stdin).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: the transcript with labels, trust and discoveries, then the scorecard; "
    "json: one object with score, discovered, turns and scorecard.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the buyer's choice of lines.")
@click.option("--explain", is_flag=True, help="Under each line, what the buyer decided and why: the topic matched and "
              "how closely, the trust change, the gate that held.")
@voice_options
def simulate(scenario: str, script: str, fmt: str, seed: int, explain: bool, voice_url: str | None,
             voice_model: str | None) -> None:
    """Play a script of rep lines against SCENARIO (a built-in id or a YAML file).

    Prints each rep line with its labels, the buyer's reply, the trust after
    the turn and what was discovered, then the scorecard. Same engine as the app.
    """
    import json

    sc = _resolve_scenario(scenario)
    lines = _read_script(script)
    voice = load_voice(voice_url, voice_model)
    from coach.engine import run_script

    result = run_script(sc, common.load_analyzer(), lines, seed=seed, voice=voice)
    if fmt == "json":
        echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_transcript(result, explain=explain)


@scenario_group.command("test")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path), metavar="[FILE...]")
@click.option("-v", "--verbose", is_flag=True, help="Also print the transcript of passing tests, with what the buyer decided and why.")
@click.option("--strict", is_flag=True, help="Fail on the behaviour warnings too (a buyer that warms too fast, "
              "examples the analyser reads otherwise than requires needs).")
@voice_options
def test(files: tuple[Path, ...], verbose: bool, strict: bool, voice_url: str | None, voice_model: str | None) -> None:
    """Run the `tests:` section of scenario FILES (default: every built-in scenario).

    Prints PASS or FAIL per test with the reason; a failing test's transcript
    follows, with what the buyer decided on every line and why. Exit status 1
    if any test fails, 2 if a file cannot be loaded.
    """
    from coach.engine import behaviour_warnings, check_test, run_script
    from coach.scenario import ScenarioError, builtin_scenarios, load_scenario, scenario_warnings

    voice = load_voice(voice_url, voice_model)
    paths = expand_paths(files) if files else builtin_scenarios()
    if not paths:
        raise _error("no scenario files found" + (" in " + ", ".join(map(str, files)) if files else ""))
    scenarios = []
    broken = 0
    for path in paths:
        try:
            scenarios.append((path, load_scenario(path)))
        except ScenarioError as exc:
            broken += 1
            for line in exc.messages:
                echo(line, err=True)
    analyzer = common.load_analyzer() if any(sc.tests for _, sc in scenarios) else None
    passed = failed = warned = 0
    for full, sc in scenarios:
        path = _shown(full)
        if not sc.tests:
            echo(f"{path}: no tests")
            continue
        results = {}
        for t in sc.tests:
            result = results[t.name] = run_script(sc, analyzer, t.script, seed=t.seed, voice=voice)
            problems = check_test(t, result)
            n = len(sc.discoveries)
            facts = (
                f"score {result.scorecard.total}, found {len(result.discovered)}/{n}, "
                f"trust {result.session.state.trust:.0f}, ended: {result.session.state.end_reason}"
            )
            if problems:
                failed += 1
                echo(f"FAIL {path}: {cell(t.name)}: {'; '.join(problems)} ({facts})")
                _print_transcript(result, explain=True)
                echo("")
            else:
                passed += 1
                echo(f"PASS {path}: {cell(t.name)} ({facts})")
                if verbose:
                    _print_transcript(result, explain=True)
                    echo("")
        for line in scenario_warnings(sc, path, behaviour_warnings(sc, analyzer, results)):
            warned += 1
            echo(line)
    echo(f"{passed} passed, {failed} failed" + (f", {broken} file{'' if broken == 1 else 's'} could not be loaded" if broken else "")
         + (f", {warned} warning{'s' if warned != 1 else ''}" if warned else ""))
    if broken:
        raise SystemExit(2)
    if failed or (strict and warned):
        raise SystemExit(1)


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


COMMANDS = [simulate]
