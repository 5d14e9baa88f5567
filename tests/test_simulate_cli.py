"""`coach simulate` and `coach scenario test`, through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli

FROM_DOCS = Path(__file__).parent / "fixtures" / "scenarios" / "from_docs.yaml"

SCRIPT = """\
# a consultative opening
Thanks for making the time. What's been on your plate since the outage?

That sounds exhausting. What did the outage end up costing the business, beyond IT?
"""


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def script(tmp_path):
    p = tmp_path / "rep.txt"
    p.write_text(SCRIPT, encoding="utf-8")
    return p


def test_simulate_prints_the_transcript_and_the_scorecard(run, script):
    r = run("simulate", "it-director-outage", "--script", str(script))
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "Dana Okafor: You've got fifteen minutes." in out
    assert "Rep [1]: Thanks for making the time." in out
    assert "Rep [3]" not in out  # the comment and the blank line are not turns
    assert out.count("    labels: ") == 2
    assert out.count("    trust ") == 2
    assert "Score: " in out and "Discovery: " in out and "try next: " in out
    assert "Discovered: " in out and "Missed: " in out


def test_simulate_json_has_score_discovered_turns_and_scorecard(run, script):
    r = run("simulate", "it-director-outage", "--script", str(script), "--format", "json", "--seed", "3")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert 0 <= data["score"] <= 100
    assert data["score"] == data["scorecard"]["total"]
    assert isinstance(data["discovered"], list)
    assert len(data["turns"]) == 2
    first = data["turns"][0]
    assert first["rep"].startswith("Thanks for making the time.")
    assert {"labels", "buyer", "trust_before", "trust_after", "revealed"} <= set(first)
    assert data["seed"] == 3
    again = run("simulate", "it-director-outage", "--script", str(script), "--format", "json", "--seed", "3")
    assert json.loads(again.stdout) == data


def test_simulate_takes_a_scenario_file_and_a_script_on_stdin(run):
    r = run("simulate", str(FROM_DOCS), "--script", "-", "--format", "json",
            input="What are mornings like on the phones?\n")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["scenario"] == "clinic-scheduling"


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["no-such-scenario"], SCRIPT, "unknown scenario 'no-such-scenario'"),
        (["it-director"], SCRIPT, "did you mean 'it-director-outage'?"),
        (["it-director-outage"], None, "no such file"),
        (["it-director-outage"], "# only a comment\n\n", "no rep lines"),
        (["it-director-outage"], b"\x00\x01binary", "binary data"),
        (["it-director-outage"], b"caf\xe9 ole\n", ":1: not UTF-8 text"),
    ],
)
def test_simulate_bad_input_is_one_line_and_exit_2(run, tmp_path, args, content, message):
    path = tmp_path / "script.txt"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    r = run("simulate", *args, "--script", str(path))
    assert r.exit_code == 2
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


def test_simulate_a_broken_scenario_file_names_file_and_line(run, tmp_path, script):
    broken = tmp_path / "broken.yaml"
    broken.write_text(FROM_DOCS.read_text(encoding="utf-8").replace("difficulty: easy", "difficulty: trivial"))
    r = run("simulate", str(broken), "--script", str(script))
    assert r.exit_code == 2
    assert f"{broken}:" in r.stderr and "difficulty" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def _with_tests(tmp_path: Path, tests_yaml: str) -> Path:
    text = FROM_DOCS.read_text(encoding="utf-8")
    head = text[: text.index("\ntests:")]
    path = tmp_path / "scenario.yaml"
    path.write_text(head + "\ntests:\n" + tests_yaml, encoding="utf-8")
    return path


def test_scenario_test_passes_and_fails_with_reasons(run, tmp_path):
    path = _with_tests(
        tmp_path,
        """\
  - name: a pushy rep gets nothing private
    script: ["Our software is the best on the market. Sign this week."]
    expect: {not_revealed: [partner-sign-off], score: {max: 50}}
  - name: nobody reveals the sign-off in one turn
    script: ["What are mornings like on the phones?"]
    expect: {revealed: [partner-sign-off], trust: {min: 99}}
""",
    )
    r = run("scenario", "test", str(path))
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"PASS {path}: a pushy rep gets nothing private (score ")
    assert lines[1].startswith(f"FAIL {path}: nobody reveals the sign-off in one turn: not revealed: partner-sign-off; final trust ")
    assert lines[-1] == "1 passed, 1 failed, 1 warning"  # the fixture has an example read as closed


def test_scenario_test_exit_0_when_all_pass(run, tmp_path):
    path = _with_tests(
        tmp_path,
        """\
  - name: pushy
    script: ["Our software is the best on the market. Sign this week."]
    expect: {not_revealed: [partner-sign-off]}
""",
    )
    r = run("scenario", "test", str(path))
    assert r.exit_code == 0, r.stdout
    assert r.stdout.splitlines()[-1] == "1 passed, 0 failed, 1 warning"


def test_scenario_test_defaults_to_the_built_ins(run, monkeypatch, tmp_path):
    import coach.scenario

    path = _with_tests(tmp_path, '  - name: one\n    script: ["Hello."]\n')
    monkeypatch.setattr(coach.scenario, "builtin_scenarios", lambda: [path])
    r = run("scenario", "test")
    assert r.exit_code == 0
    assert r.stdout.startswith(f"PASS {path}: one")


def test_scenario_test_a_broken_file_exits_2(run, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nid: x\n", encoding="utf-8")
    r = run("scenario", "test", str(broken))
    assert r.exit_code == 2
    assert str(broken) in r.stderr
    assert "Traceback" not in r.stderr
    assert "0 passed, 0 failed, 1 file could not be loaded" in r.output


def test_both_commands_have_help(run):
    for args in (["simulate", "--help"], ["scenario", "test", "--help"]):
        r = run(*args)
        assert r.exit_code == 0
        assert "Usage:" in r.stdout and len(r.stdout.splitlines()) > 5


def test_scenario_test_warns_about_a_buyer_that_warms_too_fast_and_examples_read_as_closed(run, tmp_path):
    """A trainer hears when the file's own consultative test takes trust to the
    top in under half its turns, and when an example cannot meet its requires."""
    from coach.scenario import load_scenario_text
    from test_buyer import SCENARIO

    text = SCENARIO.replace("trust: {start: 40, speed: 1.0}", "trust: {start: 90, speed: 3.0}").replace(
        '"How reliable are the ovens?"', '"Do the ovens break down much?"')
    text += """tests:
  - name: warm
    script:
      - "What happens when the ovens break down on a Saturday?"
      - "So a dead oven cost you two hundred loaves. How is hiring bakers going?"
      - "What are your plans for a second shop across town?"
      - "Who takes over the family bakery after you?"
      - "What does the four o'clock start do to your bakers?"
      - "How do Saturdays go now?"
    expect: {revealed: [ovens]}
"""
    load_scenario_text(text, "warm.yaml")  # valid
    path = tmp_path / "warm.yaml"
    path.write_text(text, encoding="utf-8")
    r = run("scenario", "test", str(path))
    assert "warning: trust reaches 95 by turn 1 of" in r.stdout
    assert "discoveries[0].examples[1]: warning: the analyser reads this example as closed question" in r.stdout
    assert r.exit_code == 0  # warnings alone do not fail...
    assert run("scenario", "test", "--strict", str(path)).exit_code == 1  # ...unless --strict


def test_simulate_marks_a_label_the_buyer_excused_and_gives_it_no_tip(run):
    """As the app, `coach show` and the reports do: once value is established
    the buyer answers 'Who signs off on a contract of this size?' gladly, and
    the transcript a trainer reads does not call it a fault."""
    root = Path(__file__).parent.parent
    args = ("simulate", str(root / "scenarios" / "fleet-pilot-close.yaml"),
            "--script", str(root / "benchmarks" / "practice" / "fleet-pilot-close" / "average.txt"), "--seed", "0")
    turns = json.loads(run(*args, "--format", "json").output)["turns"]
    excused = [t for t in turns if t["move"].get("excused")]
    assert excused, "the average script asks a sign-off question once the buyer is warm"
    out = run(*args).output
    for t in excused:
        block = out.split(f"Rep [{t['index'] + 1}]: ")[1].split("\nRep [")[0]
        assert "(fine here)" in block and "tip:" not in block
