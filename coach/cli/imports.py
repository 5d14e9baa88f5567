"""`coach import FILE...`: store real calls, analysed, as sessions of kind "call".

Only click is imported at module level (see coach/cli/__init__.py).
"""

from __future__ import annotations

import click

from coach.cli import common
from coach.cli.common import open_db, parse_date
from coach.cli.output import cell, echo


@click.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--rep",
    "rep",
    metavar="NAME",
    help="The rep: the speaker of that name in .txt/.vtt/.srt (or JSONL with names), and the name the calls "
    "are stored under. Default: a speaker called Rep, Sales..., else the first speaker (with a warning when "
    "that speaker asks almost no questions and another asks many).",
)
@click.option(
    "--as",
    "stored_as",
    metavar="NAME",
    help="The rep's name to store the calls under, when the transcript calls the rep by a role (Rep, Sales...) "
    "or by roles only (JSONL with rep/buyer).",
)
@click.option(
    "--date",
    "when",
    metavar="YYYY-MM-DD",
    help="When the calls took place (default: the time a coach export gives, else now).",
)
@click.pass_context
def import_calls(ctx: click.Context, files: tuple[str, ...], rep: str | None, stored_as: str | None,
                 when: str | None) -> None:
    """Store real calls in the review database, analysed like practice.

    Each conversation in FILE... (.txt, .vtt, .srt, .jsonl, .json: what `coach
    analyze` reads, including what `coach export` writes) becomes a session of
    kind "call", with every rep turn's labels, evidence and tips and the
    conversation summary: it appears in `coach review`, `sessions`, `show`,
    `search` and `export`, and takes comments. A call already imported (the
    same speakers saying the same words) is not stored twice; imported again
    with --rep naming another speaker (the buyer spoke first), it is read
    again with that speaker as the rep, its comments kept.
    """
    from coach.analysis.metrics import summarize
    from coach.analysis.readers import TranscriptError, check_source
    from coach.calls import call_sha256, rep_of, rep_speaker, store_call
    from coach.cli import CoachError
    from coach.cli import analyze as analyze_cli
    from coach.store import StoreError

    day = parse_date(when, "--date")
    started_at = None if day is None else day + "T00:00:00+00:00"
    if files.count("-") > 1:
        raise CoachError("'-' (standard input) can be given only once")
    try:
        for path in files:  # every argument is checked before anything is stored
            check_source(path)
    except TranscriptError as e:
        raise CoachError(str(e)) from None
    store = open_db(ctx)
    analyzer = None
    new = old = 0
    try:
        for chunk in analyze_cli.conversation_chunks(files, rep):
            todo = []
            for conv in chunk:
                name = rep_of(conv, rep, stored_as)
                if name is None:
                    said = f"calls the rep {conv.rep_name!r}" if conv.rep_name else "does not name the rep"
                    raise CoachError(f"{conv.source}: {conv.name!r} {said}; say who the rep is with --as NAME")
                existing = store.call_session_id(call_sha256(conv))
                if existing is not None and (rep is None or existing[1] == rep_speaker(conv)):
                    old += 1
                    echo(f"{cell(conv.name)}: already imported as session {existing[0]}")
                else:
                    todo.append((conv, name))
            if not todo:
                continue
            if analyzer is None:
                try:
                    analyzer = common.load_analyzer()
                except (OSError, ImportError) as e:
                    raise CoachError(f"cannot load the analyser: {e}", exit_code=1) from None
            turns = [t for conv, _ in todo for t in conv.turns]
            ids = [i for i, (conv, _) in enumerate(todo) for _ in conv.turns]
            results = analyzer.analyze_turns(turns, conversations=ids)
            at = 0
            for conv, name in todo:
                analysed = results[at : at + len(conv.turns)]
                at += len(conv.turns)
                sid, created = store_call(store, conv, analysed, summarize(conv.turns, analysed), rep=name,
                                          started_at=started_at)
                rep_turns = sum(1 for t in conv.turns if t.speaker == "rep")
                if created:
                    new += 1
                    echo(f"{cell(conv.name)}: imported as session {sid} "
                               f"({cell(name)}, {len(conv.turns)} turns, {rep_turns} by the rep)")
                else:  # stored before with another speaker as the rep, or twice in this run
                    old += 1
                    echo(f"{cell(conv.name)}: already imported as session {sid}; read again with "
                               f"{cell(rep_speaker(conv) or name)} as the rep")
    except TranscriptError as e:
        done = f" ({new} call{'s' if new != 1 else ''} imported before it)" if new else ""
        raise CoachError(f"{e}{done}") from None
    except StoreError as e:
        raise CoachError(str(e)) from None
    if new + old > 1:
        echo(f"{new} imported, {old} already there")


COMMANDS = [import_calls]
