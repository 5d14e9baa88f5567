"""`coach analyze FILE...`: label every rep turn of real or recorded
conversations and summarise each conversation.

Only click is imported at module level; the readers, the analyser and its
models load inside the command so `coach --help` stays fast.
"""

from __future__ import annotations

import click

from coach.cli import common
from coach.cli.output import echo, use_color

FORMATS = ("text", "json", "jsonl")




@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: a readable report (coloured on a terminal unless NO_COLOR is set); "
    "jsonl: one JSON line per turn in input order, then one summary line per conversation; "
    "json: one document with the same content.",
)
@click.option(
    "--rep",
    "rep",
    metavar="NAME",
    help="Who the rep is in transcripts that name their speakers (.txt, .vtt, .srt, or JSONL "
    "with names as speakers). Default: a speaker called Rep, Seller, Sales..., else the first "
    "speaker (with a warning when that speaker asks almost no questions and another asks many); "
    "everyone else is the buyer side.",
)
def analyze(files: tuple[str, ...], fmt: str, rep: str | None) -> None:
    """Label every rep turn in FILE... and summarise each conversation.

    For each rep turn: its labels (open/closed/leading question, curiosity,
    follow-up, reflection, empathy, mutual success, self-interested,
    pitching, pressure, checklist), the words behind each and a tip. Then per
    conversation: the rep's talk share, the question mix, the longest
    monologue, checklist runs, the reflection-to-question ratio, the
    follow-up rate and every label's count.

    FILE is .jsonl ({"conversation", "speaker": "rep"|"buyer", "text"} per
    line), .txt ("Name: text" lines), .vtt (Teams, Zoom) or .srt; "-" reads
    JSONL from standard input. In .txt, "Note:", "Date:", "Action items:" and
    such field lines are skipped. What coach writes reads back: `coach show
    --json` (.json), `coach export --format jsonl` and this command's own
    --format json/jsonl. Bad input stops with FILE:LINE: message and exit
    status 2. When the rep is guessed as the first speaker but asks almost no
    questions while another speaker asks many, a warning names --rep.

    Turns are numbered from 1, as in `coach show`.
    """
    from coach.cli import CoachError

    from coach.analysis.readers import TranscriptError, check_source

    if files.count("-") > 1:
        raise CoachError("'-' (standard input) can be given only once")
    try:
        for path in files:  # every argument is checked before any model loads
            check_source(path)
        _run(files, fmt, rep)
    except TranscriptError as e:
        raise CoachError(str(e)) from None


#: Conversations are analysed together until they hold this many turns: the
#: encoder then batches texts of similar length across conversations (measured
#: 1.7x faster than one call per ~20-turn conversation on 1,200 turns of
#: data/sales), while memory stays bounded by the chunk.
CHUNK_TURNS = 256


def conversation_chunks(files: tuple[str, ...], rep: str | None):
    """Lists of whole conversations of about CHUNK_TURNS turns, in input order.
    On bad input, the conversations read before it are yielded first."""
    from coach.analysis.readers import read_conversations

    pending: list = []
    size = 0
    try:
        for path in files:
            for conv in read_conversations(path, rep=rep):
                warn(conv)
                pending.append(conv)
                size += len(conv.turns)
                if size >= CHUNK_TURNS:
                    yield pending
                    pending, size = [], 0
    except Exception as error:  # TranscriptError: report what was read first
        if pending:
            yield pending
        raise error
    if pending:
        yield pending


def warn(conv) -> None:
    """A reader's doubts about a conversation (a rep guess that looks backwards), on stderr."""
    for line in conv.warnings:
        echo(f"coach: warning: {line}", err=True)


def _run(files: tuple[str, ...], fmt: str, rep: str | None) -> None:
    import json

    from coach.analysis.metrics import summarize
    from coach.analysis.report import conversation_document, jsonl_lines, render_text

    analyzer = None
    color = fmt == "text" and use_color()
    documents: list[dict] = []
    for chunk in conversation_chunks(files, rep):
        if analyzer is None:  # only once the input has read cleanly
            try:
                analyzer = common.load_analyzer()
            except (OSError, ImportError) as e:
                from coach.cli import CoachError

                raise CoachError(f"cannot load the analyser: {e}", exit_code=1) from None
        if len(chunk) == 1:
            results = analyzer.analyze_turns(chunk[0].turns)
        else:
            turns = [t for conv in chunk for t in conv.turns]
            ids = [i for i, conv in enumerate(chunk) for _ in conv.turns]
            results = analyzer.analyze_turns(turns, conversations=ids)
        at = 0
        for conv in chunk:
            analysed = results[at : at + len(conv.turns)]
            at += len(conv.turns)
            summary = summarize(conv.turns, analysed)
            if fmt == "jsonl":
                echo(jsonl_lines(conv, analysed, summary), nl=False)
            elif fmt == "json":
                documents.append(conversation_document(conv, analysed, summary))
            else:
                # render_text escapes the transcript's text before it adds colour.
                echo(render_text(conv, analysed, summary, color=color), styled=color)
    if fmt == "json":
        echo(json.dumps({"conversations": documents}, ensure_ascii=False, indent=2))


COMMANDS = [analyze]
