"""`coach analyze`: output formats, bad input, stdin; and the report renderer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.analysis.metrics import summarize
from coach.analysis.readers import Conversation
from coach.analysis.report import jsonl_lines, render_text
from coach.analysis.types import AnalysedTurn, Evidence, Turn
from coach.cli import cli
from coach.labels import LABELS

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, ["analyze", *args], input=input)


# -- the report, on hand-built analyses ----------------------------------------

LEADING = "If I could halve your downtime, would you be interested?"
BUYER = "We lost a week of orders. \x1b[2J\x1b]0;pwned\x07[bold red]!!![/]"


def _hand_built():
    conv = Conversation(name="demo", source="demo.jsonl")
    conv.add("buyer", BUYER, "Dana", 1)
    conv.add("rep", LEADING, "Sam", 2)
    start = LEADING.index("would you be interested?")
    analysed = [
        None,
        AnalysedTurn(
            text=LEADING,
            labels=("leading_question", "pitching"),
            evidence=(
                Evidence("leading_question", start, len(LEADING), "would you be interested?",
                         "a hypothetical close"),
            ),
            tips=("Ask what they hope to achieve rather than whether they would be interested.",),
            questions=1,
        ),
    ]
    return conv, analysed, summarize(conv.turns, analysed)


def test_text_report_shows_labels_quotes_tips_and_summary():
    out = render_text(*_hand_built(), color=False)
    assert "\x1b" not in out
    assert "Sam (rep): " + LEADING in out
    assert "- leading question  \u201cwould you be interested?\u201d  a hypothetical close" in out
    assert "- pitching" in out
    assert "tip: Ask what they hope to achieve rather than whether they would be interested." in out
    assert "open:closed:leading 0:0:1" in out
    # 10 rep words to 11 buyer words (the raw escapes leave "2J", "0", "pwned")
    assert "talk share    rep 48% of 21 words" in out


def test_text_report_neutralises_escapes_and_prints_markup_literally():
    for color in (False, True):
        out = render_text(*_hand_built(), color=color)
        assert "\x1b[2J" not in out and "\x1b]0;" not in out and "\x07" not in out
        assert "We lost a week of orders. [bold red]!!![/]" in out


def test_text_report_colours_only_when_asked():
    out = render_text(*_hand_built(), color=True)
    assert "\x1b[31m" in out  # bad labels in red
    assert "\x1b[" in out.split("Summary")[1]


def test_jsonl_records_shape_and_order():
    conv, analysed, summary = _hand_built()
    records = [json.loads(line) for line in jsonl_lines(conv, analysed, summary).splitlines()]
    assert records[0] == {
        "type": "turn", "conversation": "demo", "turn": 0, "speaker": "buyer", "name": "Dana",
        "text": BUYER, "labels": [], "evidence": [], "tips": [],
    }
    assert records[1]["labels"] == ["leading_question", "pitching"]
    assert records[1]["evidence"] == [{
        "label": "leading_question", "start": 32, "end": 56,
        "quote": "would you be interested?", "why": "a hypothetical close",
    }]
    assert records[2] == {"type": "summary", "conversation": "demo", **summary}


# -- bad input: one line on stderr, exit 2, no traceback -------------------------


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("bad.jsonl", '{"speaker": "rep", "text": "hi"}\n{"speaker": "rep",\n',
         "bad.jsonl:2: invalid JSON: Expecting property name enclosed in double quotes (column 19)"),
        ("bad.jsonl", '{"speaker": "manager", "text": "hi"}\n',
         "bad.jsonl:1: unknown speaker 'manager' (expected \"rep\" or \"buyer\", or name the rep with --rep)"),
        ("bad.txt", b"Rep: caf\xe9\n", "bad.txt:1: not valid UTF-8 (byte 0xe9 at column 9)"),
        ("bad.vtt", "", "bad.vtt:1: empty file"),
        ("bad.docx", "x", "bad.docx: unknown file extension '.docx' (expected one of .jsonl, .ndjson, .txt, .vtt, .srt)"),
    ],
)
def test_bad_input_exits_2_with_file_line_message(tmp_path, monkeypatch, name, content, message):
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(content.encode() if isinstance(content, str) else content)
    result = run(name, "--format", "jsonl")
    assert result.exit_code == 2
    assert result.stderr == f"coach: {message}\n"
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_every_file_is_checked_before_any_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("ok.jsonl").write_text('{"speaker": "rep", "text": "hi"}\n')
    result = run("ok.jsonl", "missing.srt")
    assert (result.exit_code, result.stderr, result.stdout) == (2, "coach: missing.srt: no such file\n", "")


def test_bad_stdin_names_stdin():
    result = run("-", input='{"speaker": "rep", "text": "hi"\n')
    assert result.exit_code == 2
    assert result.stderr == "coach: <stdin>:1: invalid JSON: Expecting ',' delimiter (column 32)\n"


def test_stdin_only_once():
    result = run("-", "-", input="")
    assert (result.exit_code, result.stderr) == (2, "coach: '-' (standard input) can be given only once\n")


def test_needs_a_file_and_a_known_format():
    assert run().exit_code == 2
    assert run("x.jsonl", "--format", "xml").exit_code == 2


def test_help_describes_formats_and_rep():
    result = run("--help")
    assert result.exit_code == 0
    for word in ("--format", "jsonl", "--rep", ".vtt", ".srt", "standard input"):
        assert word in result.output
