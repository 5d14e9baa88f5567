"""coach.analysis.readers: transcripts in every supported format, and every kind
of bad input with its exact `FILE:LINE: message`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from coach.analysis.readers import Conversation, TranscriptError, is_rep_name, read_conversations
from coach.analysis.types import Turn

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


def _read(path, **kw) -> list[Conversation]:
    return list(read_conversations(path, **kw))


def _pairs(conv: Conversation) -> list[tuple[str, str, str]]:
    return [(t.speaker, name, t.text) for t, name in zip(conv.turns, conv.names)]


# -- the formats ---------------------------------------------------------------


def test_jsonl_conversations_in_order_other_keys_ignored():
    convs = _read(FIXTURES / "calls.jsonl")
    assert [c.name for c in convs] == ["renewal-1", "renewal-2"]
    assert convs[0].turns == [
        Turn("buyer", "We're growing, but the margins are thin."),
        Turn("rep", "Thin how? Walk me through where it goes."),
        Turn("buyer", "Freight, mostly."),
    ]
    assert convs[1].turns == [Turn("rep", "What's your budget?"), Turn("buyer", "Not decided.")]
    assert convs[0].lines == [1, 2, 3]
    assert convs[1].lines == [5, 6]  # the blank line 4 is skipped
    assert convs[0].source == str(FIXTURES / "calls.jsonl")


def test_jsonl_conversation_defaults_to_the_file_name(tmp_path):
    f = tmp_path / "call.jsonl"
    f.write_text('{"speaker": "rep", "text": "Hi"}\n{"speaker": "BUYER", "text": "Hello"}\n')
    (conv,) = _read(f)
    assert conv.name == str(f)
    assert conv.turns == [Turn("rep", "Hi"), Turn("buyer", "Hello")]


def test_jsonl_is_streamed_one_conversation_at_a_time(tmp_path):
    f = tmp_path / "big.jsonl"
    f.write_text(
        '{"conversation": "a", "speaker": "rep", "text": "one"}\n'
        '{"conversation": "b", "speaker": "rep", "text": "two"}\n'
        "this line is broken\n"
    )
    it = read_conversations(f)
    assert next(it).name == "a"  # yielded as soon as "b" starts, before line 3 is read
    with pytest.raises(TranscriptError, match=":3: invalid JSON"):
        next(it)


def test_jsonl_with_rep_accepts_speaker_names(tmp_path):
    f = tmp_path / "named.jsonl"
    f.write_text(
        '{"speaker": "Sam", "text": "How are renewals going?"}\n'
        '{"speaker": "Dana", "text": "Slowly."}\n'
        '{"speaker": "rep", "text": "Slowly how?"}\n'
    )
    (conv,) = _read(f, rep="sam")
    assert [t.speaker for t in conv.turns] == ["rep", "buyer", "rep"]
    assert conv.names == ["Sam", "Dana", "rep"]


def test_stdin_reads_jsonl():
    data = b'{"conversation": "x", "speaker": "rep", "text": "Tell me more."}\n'
    (conv,) = _read("-", stdin=io.BytesIO(data))
    assert conv.name == "x"
    assert conv.source == "<stdin>"
    assert conv.turns == [Turn("rep", "Tell me more.")]


def test_txt_names_continuations_and_default_rep():
    (conv,) = _read(FIXTURES / "call.txt")
    assert conv.name == str(FIXTURES / "call.txt")
    assert _pairs(conv) == [
        ("buyer", "Dana Okafor", "You've got fifteen minutes. What did you want to talk about?"),
        ("rep", "Sales Rep", "If I could show you a way to halve downtime, would you be interested?"),
        ("buyer", "Dana Okafor", "Everyone says that."),
        ("rep", "Sales Rep", "Fair. What would have to be true for this to be worth your time?"),
        ("buyer", "Dana Okafor", "Honestly? Proof that it works at 3 a.m. on a Sunday."),
        ("buyer", "Chris Ng", "And that it doesn't need another team to run it."),
    ]
    assert conv.lines == [1, 3, 4, 6, 7, 8]


def test_txt_rep_option_and_first_speaker_default(tmp_path):
    f = tmp_path / "chat.txt"
    f.write_text("Alex: Hi there.\nBo: Hey.\nAlex: How's the quarter?\nAlex: Busy?\n")
    (conv,) = _read(f)  # nobody is called Rep/Seller/Sales: the first speaker is the rep
    assert [(t.speaker, t.text) for t in conv.turns] == [
        ("rep", "Hi there."),
        ("buyer", "Hey."),
        ("rep", "How's the quarter? Busy?"),  # consecutive lines of one speaker: one turn
    ]
    (conv,) = _read(f, rep="BO")
    assert [t.speaker for t in conv.turns] == ["buyer", "rep", "buyer"]


def test_txt_otter_layout_name_and_time_on_their_own_line():
    (conv,) = _read(FIXTURES / "otter.txt", rep="Marco Ruiz")
    assert _pairs(conv) == [
        ("buyer", "Priya Shah", "Thanks for jumping on. I've got a hard stop at 10:30."),
        ("rep", "Marco Ruiz", "Of course. Before I show anything, how are renewals going this quarter?"),
        ("buyer", "Priya Shah", "Honestly? Slower than we planned. Procurement wants three quotes for everything now."),
        ("rep", "Marco Ruiz", "Three quotes, even for renewals. What's driving that?"),
    ]
    assert conv.lines == [1, 4, 7, 11]


def test_txt_a_sentence_with_a_colon_is_not_a_speaker(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("Rep: Two things.\nWell, here's the thing: we meet at 10:30.\nSee https://example.com\n")
    (conv,) = _read(f)
    assert conv.turns == [
        Turn("rep", "Two things. Well, here's the thing: we meet at 10:30. See https://example.com")
    ]


def test_txt_notes_and_header_fields_are_not_speakers(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text(
        "Date: 3 May\n"
        "Attendees: Dana Okafor, Sam Reed\n"
        "Dana Okafor: We lost a week of orders.\n"
        "Note: the line dropped here\n"
        "and came back a minute later.\n"
        "Sam Reed: A whole week. What did that do to your retail accounts?\n"
        "Action items: send the case study\n"
    )
    (conv,) = _read(f, rep="Sam Reed")
    # No "Note" or "Date" speaker, and the note does not sit between the buyer's
    # words and the reply that follows them up.
    assert _pairs(conv) == [
        ("buyer", "Dana Okafor", "We lost a week of orders."),
        ("rep", "Sam Reed", "A whole week. What did that do to your retail accounts?"),
    ]
    assert conv.lines == [3, 6]


def test_teams_vtt_voice_tags_merge_and_skip_notes_styles_ids_settings():
    (conv,) = _read(FIXTURES / "teams.vtt", rep="sam lee")
    assert _pairs(conv) == [
        ("buyer", "Dana Okafor", "You've got fifteen minutes. What did you want to talk about?"),
        (
            "rep",
            "Sam Lee",
            "Thanks, Dana. I read about the outage last month. What did it end up costing the business?",
        ),
        ("buyer", "Dana Okafor", "Two of our biggest retail accounts put us on probation & the board noticed."),
        ("rep", "Sam Lee", "Probation. That sounds like it landed on you personally."),
        ("buyer", "Dana Okafor", "It did."),
    ]
    assert conv.lines == [11, 19, 24, 28, 32]  # the line of each turn's first words


def test_vtt_without_rep_takes_the_first_speaker():
    (conv,) = _read(FIXTURES / "teams.vtt")
    assert [t.speaker for t in conv.turns] == ["rep", "buyer", "rep", "buyer", "rep"]


def test_zoom_vtt_name_prefixes():
    (conv,) = _read(FIXTURES / "zoom.vtt", rep="Marco Ruiz")
    assert _pairs(conv) == [
        ("buyer", "Priya Shah", "Thanks for jumping on. I've got a hard stop at 10:30."),
        ("rep", "Marco Ruiz", "Of course. Before I show anything, how are renewals going this quarter?"),
        (
            "buyer",
            "Priya Shah",
            "Honestly? Slower than we planned. Procurement wants three quotes for everything now. "
            "Even for tools we already use.",
        ),
        ("rep", "Marco Ruiz", "Three quotes, even for renewals. What's driving that?"),
    ]


def test_vtt_several_voices_in_one_cue_and_continuation(tmp_path):
    f = tmp_path / "m.vtt"
    f.write_text(
        "WEBVTT - meeting\nKind: captions\n\n"
        "00:01.000 --> 00:02.000\n<v Rep>Hi.</v> <v Ana>Hello.</v>\n\n"
        "00:02.000 --> 00:03.000\nstill Ana <00:02.500>talking\n"
    )
    (conv,) = _read(f)
    assert conv.turns == [Turn("rep", "Hi."), Turn("buyer", "Hello. still Ana talking")]


def test_srt_crlf_tags_and_merged_cues():
    (conv,) = _read(FIXTURES / "call.srt")
    assert _pairs(conv) == [
        ("rep", "Rep", "Hi Jordan, thanks for taking the call."),
        ("buyer", "Jordan", "Sure. We are short on time though."),
        ("rep", "Rep", "Understood. What made you take the meeting? Was it the pricing page?"),
        ("buyer", "Jordan", "Our warehouse team keeps running out of stock and nobody forecasts."),
    ]
    assert conv.lines == [3, 7, 11, 19]


def test_text_is_cleaned_of_escapes_and_controls(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text(json.dumps({"speaker": "rep", "text": "\x1b[31mred\x1b[0m\r\nnext\x07 [bold]x[/]"}) + "\n")
    (conv,) = _read(f)
    assert conv.turns[0].text == "red\nnext [bold]x[/]"


def test_utf8_bom_is_accepted(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbfRep: Hi.\n")
    (conv,) = _read(f)
    assert conv.names == ["Rep"]


@pytest.mark.parametrize(
    "name,is_rep",
    [("Rep", True), ("Sales Rep", True), ("Salesperson", True), ("seller", True), ("Sam (Rep)", True),
     ("Account Executive", True), ("AE", True), ("Dana", False), ("Repairman", False), ("Head of Sales", False)],
)
def test_rep_names(name, is_rep):
    assert is_rep_name(name) is is_rep


# -- bad input: FILE:LINE: message ---------------------------------------------


def _error(tmp_path, name: str, content: bytes | str, **kw) -> str:
    f = tmp_path / name
    if isinstance(content, str):
        content = content.encode()
    f.write_bytes(content)
    with pytest.raises(TranscriptError) as info:
        _read(f, **kw)
    msg = str(info.value)
    assert msg.startswith(str(f) + ":")
    return msg[len(str(f)) :]


GOOD = '{"speaker": "rep", "text": "Hi"}\n'


@pytest.mark.parametrize(
    "content,expected",
    [
        (GOOD + '{"speaker": "rep", "text": "Hi"\n', ':2: invalid JSON: Expecting \',\' delimiter (column 32)'),
        (GOOD + "[1, 2]\n", ":2: expected a JSON object, got an array"),
        (GOOD + '{"text": "Hi"}\n', ':2: missing "speaker" (expected "rep" or "buyer")'),
        (
            GOOD + '{"speaker": "agent", "text": "Hi"}\n',
            ':2: unknown speaker \'agent\' (expected "rep" or "buyer", or name the rep with --rep)',
        ),
        (GOOD + '{"speaker": 3, "text": "Hi"}\n', ':2: "speaker" must be "rep" or "buyer", got a number'),
        (GOOD + '{"speaker": "buyer"}\n', ':2: missing "text"'),
        (GOOD + '{"speaker": "buyer", "text": null}\n', ':2: "text" must be a string, got null'),
        (GOOD + '{"conversation": [], "speaker": "rep", "text": "x"}\n', ':2: "conversation" must be a string, got an array'),
        (b"", ":1: empty file"),
        (b"\n  \n", ":1: empty file"),
        (GOOD.encode() + b'{"speaker": "rep", "text": "caf\xe9"}\n', ":2: not valid UTF-8 (byte 0xe9 at column 32)"),
        (b"\xff\xfe{\x00", ":1: the file is UTF-16; save it as UTF-8"),
        (
            '{"conversation": "a", "speaker": "rep", "text": "x"}\n'
            '{"conversation": "b", "speaker": "rep", "text": "y"}\n'
            '{"conversation": "a", "speaker": "rep", "text": "z"}\n',
            ":3: conversation 'a' started at line 1 and was interrupted by another; "
            "keep each conversation's turns together",
        ),
    ],
    ids=["json", "not-object", "no-speaker", "unknown-speaker", "speaker-type", "no-text", "text-null",
         "conversation-type", "empty", "blank", "utf8", "utf16", "interleaved"],
)
def test_jsonl_errors(tmp_path, content, expected):
    assert _error(tmp_path, "t.jsonl", content) == expected


@pytest.mark.parametrize(
    "content,kw,expected",
    [
        ("just some words\nRep: hi\n", {}, ":1: expected 'Name: text' (a line without a name continues "
         "the turn before it, and there is none yet)"),
        ("", {}, ":1: empty file"),
        ("\n\n", {}, ":1: empty file"),
        ("Note: nothing was said\nat all\n", {}, ":1: no 'Name: text' lines, only notes"),
        ("\nDana: hi\nSam: hello\n", {"rep": "Pat"}, ":2: no speaker called 'Pat' (speakers: Dana, Sam)"),
        (b"Rep: hi\nDana: \xc3\x28\n", {}, ":2: not valid UTF-8 (byte 0xc3 at column 7)"),
    ],
    ids=["no-name", "empty", "blank", "only-notes", "rep-missing", "utf8"],
)
def test_txt_errors(tmp_path, content, kw, expected):
    assert _error(tmp_path, "t.txt", content, **kw) == expected


@pytest.mark.parametrize(
    "content,expected",
    [
        ("1\n00:00:01,000 --> 00:00:02,000\nRep: hi\n\n2\n00:00:03,000 -> 00:00:04,000\nDana: yo\n",
         ":5: expected a SubRip cue timing line ('00:00:01,000 --> 00:00:04,000')"),
        ("1\n00:00:01,000 --> later\nRep: hi\n",
         ":2: bad cue timing '00:00:01,000 --> later' (expected '00:00:01,000 --> 00:00:04,000')"),
        ("1\n00:00:01,000 --> 00:00:02,000\nhello with no name\n",
         ":3: cue has no speaker yet (expected '<v Name>' or 'Name: ' at its start)"),
        ("", ":1: empty file"),
    ],
    ids=["no-timing", "bad-timing", "no-speaker", "empty"],
)
def test_srt_errors(tmp_path, content, expected):
    assert _error(tmp_path, "t.srt", content) == expected


@pytest.mark.parametrize(
    "content,expected",
    [
        ("00:01.000 --> 00:02.000\n<v Rep>hi\n", ":1: not a WebVTT file (the first line must be 'WEBVTT')"),
        ("WEBVTT\n\nNOTE only a note\n", ":3: no cue with text in the file"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Rep>hi\n00:02.000 --> 00:03.000\n",
         ":5: cue text cannot contain '-->' (missing blank line?)"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\n<v>hi\n", ":4: cue has no speaker yet (expected '<v Name>' or 'Name: ' at its start)"),
    ],
    ids=["header", "no-cues", "missing-blank", "empty-voice"],
)
def test_vtt_errors(tmp_path, content, expected):
    assert _error(tmp_path, "t.vtt", content) == expected


def test_file_level_errors(tmp_path):
    with pytest.raises(TranscriptError) as info:
        _read(tmp_path / "notes.docx")
    assert str(info.value) == (
        f"{tmp_path / 'notes.docx'}: unknown file extension '.docx' "
        "(expected one of .jsonl, .ndjson, .json, .txt, .vtt, .srt)"
    )
    with pytest.raises(TranscriptError) as info:
        _read(tmp_path / "missing.vtt")
    assert str(info.value) == f"{tmp_path / 'missing.vtt'}: no such file"
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(TranscriptError) as info:
        _read(tmp_path / "dir.txt")
    assert str(info.value) == f"{tmp_path / 'dir.txt'}: is a directory, not a transcript file"


def test_stdin_errors_name_stdin():
    with pytest.raises(TranscriptError) as info:
        _read("-", stdin=io.BytesIO(b'{"speaker": "rep", "text": "a"}\n{"speaker": "boss", "text": "b"}\n'))
    assert str(info.value).startswith("<stdin>:2: unknown speaker 'boss'")


# -- anything at all: conversations or a TranscriptError, quickly ----------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FRAGMENTS = st.sampled_from([
    "WEBVTT", "", "NOTE x", "1", "00:00:01.000 --> 00:00:02.000", "00:00:01,000 --> 00:00:02,000",
    "<v Dana>hi</v>", "<v>", "Rep: hello?", "Dana Okafor: fine", '{"speaker": "rep", "text": "x"}',
    '{"speaker": "buyer", "text": "y", "conversation": "c"}', "\x1b[31m", "-->", "[bold]x[/]",
])
_LINES = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=40)), max_size=30).map("\n".join)


def _read_anything(tmp_path, ext, data: bytes):
    f = tmp_path / f"any{ext}"
    f.write_bytes(data)
    try:
        convs = _read(f)
    except TranscriptError as e:
        assert str(e).startswith(f"{f}:")
        return
    for conv in convs:
        assert conv.turns and len(conv.turns) == len(conv.names) == len(conv.lines)
        for turn in conv.turns:
            assert turn.speaker in ("rep", "buyer")
            assert "\x1b" not in turn.text and "\r" not in turn.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ext=st.sampled_from([".jsonl", ".txt", ".vtt", ".srt"]), data=st.binary(max_size=500))
def test_arbitrary_bytes(tmp_path, ext, data):
    _read_anything(tmp_path, ext, data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ext=st.sampled_from([".jsonl", ".txt", ".vtt", ".srt"]), text=_LINES)
def test_arbitrary_transcript_like_text(tmp_path, ext, text):
    _read_anything(tmp_path, ext, text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("ext", [".txt", ".vtt", ".srt"])
def test_a_long_pathological_line_reads_in_bounded_time(tmp_path, ext):
    import time

    head = {"txt": "", "vtt": "WEBVTT\n\n00:01.000 --> 00:02.000\n", "srt": "1\n00:00:01,000 --> 00:00:02,000\n"}
    body = "Rep: " + ("a b: " * 20_000) + "x" * 50_000 + ": " + "\x1b[" * 10_000 + "<v." * 20_000 + "<a" * 20_000 + "\n"
    f = tmp_path / f"long{ext}"
    f.write_text(head[ext[1:]] + body)
    t = time.perf_counter()
    (conv,) = _read(f)
    assert time.perf_counter() - t < 2.0
    assert conv.names == ["Rep"]


# -- the rep guessed backwards, and what coach writes, read back -----------------


def test_a_buyer_who_speaks_first_is_taken_as_the_rep_with_a_warning_naming_rep():
    [conv] = _read(FIXTURES / "buyer_first.vtt")
    assert (conv.rep_name, conv.rep_chosen_by) == ("Dana Okafor", "first_speaker")
    [warning] = conv.warnings
    assert "took the first speaker, 'Dana Okafor', as the rep" in warning
    assert "they ask 0 questions and 'Sam Patel' asks 5" in warning
    assert warning.endswith("run again with --rep 'Sam Patel'")
    [named] = _read(FIXTURES / "buyer_first.vtt", rep="Sam Patel")
    assert (named.warnings, named.rep_chosen_by, named.turns[1].speaker) == ([], "option", "rep")


def test_a_rep_who_asks_questions_gets_no_warning():
    for path in (FIXTURES / "teams.vtt", FIXTURES / "call.txt", FIXTURES / "zoom.vtt"):
        assert all(not c.warnings for c in _read(path)), path


def _session_json(**extra):
    return {"id": 12, "rep": "ana", "kind": "practice", "scenario_title": "After the outage",
            "started_at": "2026-03-02T09:00:00+00:00", **extra,
            "turns": [{"id": 1, "turn": 1, "speaker": "buyer", "text": "We lost two days."},
                      {"id": 2, "turn": 2, "speaker": "rep", "text": "What did that cost you?", "labels": []}]}


def test_a_session_as_coach_show_json_prints_it_reads_as_one_conversation(tmp_path):
    f = tmp_path / "s12.json"
    f.write_text(json.dumps(_session_json(), indent=2))
    [conv] = _read(f)
    assert conv.name == "session 12 (ana, After the outage)"
    assert _pairs(conv) == [("buyer", "buyer", "We lost two days."), ("rep", "ana", "What did that cost you?")]
    assert (conv.rep_name, conv.rep_chosen_by, conv.format, conv.started_at) == (
        "ana", "file", "json", "2026-03-02T09:00:00+00:00")
    f.write_text(json.dumps([_session_json(), {**_session_json(), "id": 13}]))
    assert [c.name for c in _read(f)] == ["session 12 (ana, After the outage)", "session 13 (ana, After the outage)"]


def test_jsonl_of_whole_sessions_and_analyze_output_read_back(tmp_path):
    f = tmp_path / "export.jsonl"
    f.write_text(json.dumps(_session_json()) + "\n" + json.dumps({**_session_json(), "id": 13}) + "\n")
    assert [len(c.turns) for c in _read(f)] == [2, 2]
    g = tmp_path / "analyzed.jsonl"
    g.write_text(
        json.dumps({"type": "turn", "conversation": "c", "turn": 1, "speaker": "buyer", "name": "Dana", "text": "Hi."})
        + "\n" + json.dumps({"type": "turn", "conversation": "c", "turn": 2, "speaker": "rep", "name": "Sam",
                             "text": "Why now?", "labels": ["open_question"]})
        + "\n" + json.dumps({"type": "summary", "conversation": "c", "turns": 2}) + "\n")
    [conv] = _read(g)
    assert _pairs(conv) == [("buyer", "Dana", "Hi."), ("rep", "Sam", "Why now?")]
    assert conv.rep_name == "Sam"


@pytest.mark.parametrize("content,expected", [
    ('{"turns": [', "s.json:1: invalid JSON: Expecting value (column 12)"),
    ('{"a": 1}', "s.json: expected a session as `coach show --json` prints it, a list of them, "
                 "or `coach analyze --format json` output, got an object"),
    ('{"id": 1, "turns": [{"speaker": "boss", "text": "x"}]}',
     "s.json: turn 1 of the session: unknown speaker 'boss' (expected \"rep\" or \"buyer\", or name the rep with --rep)"),
    ('{"id": 1, "turns": []}', "s.json: session 1: the session has no turns"),
])
def test_json_errors(tmp_path, content, expected):
    f = tmp_path / "s.json"
    f.write_text(content)
    with pytest.raises(TranscriptError) as err:
        _read(f)
    assert str(err.value) == expected.replace("s.json", str(f))
