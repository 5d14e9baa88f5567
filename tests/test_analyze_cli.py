"""`coach analyze`: output formats, bad input, stdin; and the report renderer."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.analysis.metrics import summarize
from coach.analysis.readers import Conversation
from coach.analysis.report import conversation_records, jsonl_lines, render_text
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
    # 10 rep words to 12 buyer words (the raw escapes leave "2", "J", "0", "pwned")
    assert "talk share    rep 46% of 22 words" in out


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
        "type": "turn", "conversation": "demo", "turn": 1, "speaker": "buyer", "name": "Dana",
        "text": BUYER, "labels": [], "evidence": [], "tips": [],
    }
    assert records[1]["labels"] == ["leading_question", "pitching"]
    assert records[1]["evidence"] == [{
        "label": "leading_question", "start": 32, "end": 56,
        "quote": "would you be interested?", "why": "a hypothetical close",
    }]
    assert records[2] == {"type": "summary", "conversation": "demo", **summary}
    assert records[1]["turn"] == 2  # turns count from 1, as in `coach show` and comments


def test_text_report_numbers_turns_from_1():
    out = render_text(*_hand_built(), color=False)
    assert "   1  Dana:" in out and "   2  Sam (rep):" in out


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
        ("bad.docx", "x", "bad.docx: unknown file extension '.docx' (expected one of .jsonl, .ndjson, .json, .txt, .vtt, .srt)"),
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


# -- through the real analyser (loaded once per test session) -------------------


@pytest.fixture(scope="session")
def analyzer():
    """The real analyser: load it once; `coach analyze` gets the same cached instance."""
    from coach.analysis.analyzer import Analyzer

    return Analyzer.load()


def _records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def test_jsonl_one_line_per_turn_in_input_order_then_summary(analyzer):
    result = run("--format", "jsonl", str(FIXTURES / "calls.jsonl"))
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    assert [(r["type"], r["conversation"], r.get("turn")) for r in records] == [
        ("turn", "renewal-1", 1), ("turn", "renewal-1", 2), ("turn", "renewal-1", 3),
        ("summary", "renewal-1", None),
        ("turn", "renewal-2", 1), ("turn", "renewal-2", 2), ("summary", "renewal-2", None),
    ]
    assert (records[3]["turns"], records[6]["turns"]) == (3, 2)
    turns = [r for r in records if r["type"] == "turn"]
    assert [r["speaker"] for r in turns] == ["buyer", "rep", "buyer", "rep", "buyer"]
    assert turns[1]["text"] == "Thin how? Walk me through where it goes."
    for r in turns:
        assert list(r) == ["type", "conversation", "turn", "speaker", "text", "labels", "evidence", "tips"]
        assert set(r["labels"]) <= set(LABELS)
        for e in r["evidence"]:
            assert list(e) == ["label", "start", "end", "quote", "why"]
            assert r["text"][e["start"]:e["end"]] == e["quote"]
            assert e["label"] in r["labels"]
        if r["speaker"] == "buyer":
            assert (r["labels"], r["evidence"], r["tips"]) == ([], [], [])
    assert "self_interested" in turns[3]["labels"]  # "What's your budget?"
    for summary in (records[3], records[6]):
        assert list(summary["labels"]) == list(LABELS)
    # the summary counts exactly the labels printed on its turns
    assert records[6]["labels"]["self_interested"] == 1
    assert sum(records[3]["labels"].values()) == len(turns[1]["labels"])


def test_json_is_one_document_with_the_jsonl_content(analyzer):
    path = str(FIXTURES / "calls.jsonl")
    doc = json.loads(run("--format", "json", path).stdout)
    records = _records(run("--format", "jsonl", path).stdout)
    flat = [r for conv in doc["conversations"] for r in (*conv["turns"], conv["summary"])]
    assert flat == records
    assert [c["conversation"] for c in doc["conversations"]] == ["renewal-1", "renewal-2"]


def test_stdin_dash_reads_jsonl(analyzer):
    data = (FIXTURES / "calls.jsonl").read_text()
    from_stdin = run("--format", "jsonl", "-", input=data)
    from_file = run("--format", "jsonl", str(FIXTURES / "calls.jsonl"))
    assert from_stdin.exit_code == 0
    assert from_stdin.stdout == from_file.stdout
    no_name = run("--format", "jsonl", "-", input='{"speaker": "rep", "text": "Tell me more."}\n')
    assert _records(no_name.stdout)[0]["conversation"] == "<stdin>"


def test_text_output_quotes_the_evidence_and_tips(analyzer):
    path = str(FIXTURES / "call.txt")
    text = run(path)
    assert text.exit_code == 0
    assert "\x1b" not in text.stdout  # not a terminal: no colour
    records = _records(run("--format", "jsonl", path).stdout)
    leading = records[1]
    assert leading["speaker"] == "rep" and "leading_question" in leading["labels"]
    for record in records[:-1]:
        for e in record["evidence"][:1]:
            assert f"\u201c{e['quote'].strip()}\u201d" in text.stdout
        for tip in record["tips"]:
            assert tip in text.stdout
    assert "Sales Rep (rep): If I could show you a way to halve downtime, would you be interested?" in text.stdout
    assert "Summary" in text.stdout and "open:closed:leading" in text.stdout


def test_names_and_rep_from_a_meeting_transcript(analyzer):
    result = run("--format", "jsonl", "--rep", "Marco Ruiz", str(FIXTURES / "zoom.vtt"))
    records = _records(result.stdout)
    assert [(r["speaker"], r["name"]) for r in records[:-1]] == [
        ("buyer", "Priya Shah"), ("rep", "Marco Ruiz"), ("buyer", "Priya Shah"), ("rep", "Marco Ruiz"),
    ]
    assert records[-1]["rep_turns"] == 2


def test_a_bad_line_after_good_conversations_stops_with_exit_2(analyzer, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("calls.jsonl").write_text(
        '{"conversation": "a", "speaker": "rep", "text": "How did the outage affect you?"}\n'
        '{"conversation": "b", "speaker": "rep", "text": "Tell me more."}\n'
        '{"conversation": "b", "speaker": "customer", "text": "Sure."}\n'
    )
    result = run("--format", "jsonl", "calls.jsonl")
    assert result.exit_code == 2
    assert result.stderr.startswith("coach: calls.jsonl:3: unknown speaker 'customer'")
    assert [r["conversation"] for r in _records(result.stdout)] == ["a", "a"]  # a's turn and summary


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    import sys

    from coach.cli.output import use_color

    class Terminal:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert use_color() is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color() is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert use_color() is False


def test_an_analyser_that_cannot_load_is_one_line_exit_1(monkeypatch):
    from coach.cli import common

    def broken():
        raise OSError("models/heads.npz: no such file")

    monkeypatch.setattr(common, "load_analyzer", broken)
    result = run(str(FIXTURES / "call.srt"))
    assert (result.exit_code, result.stderr) == (1, "coach: cannot load the analyser: models/heads.npz: no such file\n")


def test_analysing_conversations_together_gives_each_its_own_history(analyzer, tmp_path):
    # Conversations are batched into one analyser call; follow-ups and checklist
    # runs must still restart with each conversation.
    lines = []
    for name in ("one", "two", "three"):
        lines += [
            {"conversation": name, "speaker": "buyer", "text": "We lost a week of orders in March."},
            {"conversation": name, "speaker": "rep", "text": "How many sites do you run?"},
            {"conversation": name, "speaker": "rep", "text": "Which ERP are you on?"},
            {"conversation": name, "speaker": "rep", "text": "Are you the one who signs off?"},
        ]
    f = tmp_path / "batch.jsonl"
    f.write_text("".join(json.dumps(line) + "\n" for line in lines))
    records = [r for r in _records(run("--format", "jsonl", str(f)).stdout) if r["type"] == "turn"]
    from coach.analysis.readers import read_conversations

    expected = []
    for conv in read_conversations(f):
        expected += [list(a.labels) if a else [] for a in analyzer.analyze_turns(conv.turns)]
    assert [r["labels"] for r in records] == expected
    assert expected[:4] == expected[4:8] == expected[8:]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CONTROL = set(map(chr, [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0)]))


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.text(max_size=80), min_size=1, max_size=6),
    name=st.text(max_size=20),
    cut=st.tuples(st.integers(0, 80), st.integers(0, 80)),
)
def test_reports_of_any_text_are_printable_and_valid_json(texts, name, cut):
    conv = Conversation(name=name, source="x")
    analysed = []
    for i, text in enumerate(texts):
        if i % 2:
            conv.add("buyer", text, name, i + 1)
            analysed.append(None)
            continue
        a, b = sorted(min(c, len(text)) for c in cut)
        conv.add("rep", text, name, i + 1)
        analysed.append(AnalysedTurn(text=text, labels=("pressure",),
                                     evidence=(Evidence("pressure", a, b, text[a:b], text[b:]),), tips=(text,)))
    summary = summarize(conv.turns, analysed)
    out = render_text(conv, analysed, summary, color=False)
    assert not (set(out) & _CONTROL)  # no escapes, no control characters: \n and \t only
    for line, record in zip(jsonl_lines(conv, analysed, summary).splitlines(), conversation_records(conv, analysed, summary)):
        assert json.loads(line) == record


def test_a_100_kb_turn_with_markup_and_escapes(analyzer, tmp_path):
    import time

    text = ("[bold red]Why[/] \x1b[31mnow\x1b[0m?\x07 " * 4000)[:100_000]
    f = tmp_path / "huge.jsonl"
    f.write_text(json.dumps({"speaker": "buyer", "text": "We lost a week."}) + "\n"
                 + json.dumps({"speaker": "rep", "text": text}) + "\n")
    t = time.perf_counter()
    result = run(str(f))
    assert time.perf_counter() - t < 20
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "rep: [bold red]Why[/] now? [bold red]Why[/] now?" in result.stdout


def test_a_buyer_first_transcript_warns_on_stderr_and_rep_fixes_it(analyzer):
    result = run(str(FIXTURES / "buyer_first.vtt"))
    assert result.exit_code == 0
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("coach: warning: ") and "--rep 'Sam Patel'" in result.stderr
    assert "Dana Okafor (rep):" in result.stdout
    fixed = run(str(FIXTURES / "buyer_first.vtt"), "--rep", "Sam Patel")
    assert fixed.stderr == "" and "Sam Patel (rep):" in fixed.stdout


def test_what_coach_show_json_prints_is_analysed_again(analyzer, tmp_path):
    """Issue 17: `coach show 1 --json > s1.json; coach analyze s1.json` said
    "unknown file extension '.json'"."""
    from coach.store import open_store

    db = tmp_path / "coach.db"
    st = open_store(db)
    sid = st.start_session(rep="ana", scenario_id="x", scenario_title="After the outage", scenario_yaml="id: x")
    st.add_turn(sid, speaker="buyer", text="We lost two days of orders.")
    st.add_turn(sid, speaker="rep", text="Two days. What did that do to your retail accounts?")
    shown = CliRunner().invoke(cli, ["--db", str(db), "show", str(sid), "--json"])
    (tmp_path / "s1.json").write_text(shown.stdout)
    result = run("--format", "jsonl", str(tmp_path / "s1.json"))
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    assert [(r["type"], r.get("speaker"), r.get("turn")) for r in records] == [
        ("turn", "buyer", 1), ("turn", "rep", 2), ("summary", None, None)]
    assert {"follow_up", "open_question"} <= set(records[1]["labels"])
    assert records[0]["conversation"] == f"session {sid} (ana, After the outage)"
