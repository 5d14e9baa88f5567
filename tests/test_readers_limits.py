"""Large transcripts (issue 19 item 13): a conversation is held whole to be
analysed, so the readers refuse one past MAX_TURNS turns or MAX_CHARS
characters, with one line that states the limit, as soon as they get there,
so memory and time stay flat however large the file. (Peak memory for 10 MB
and 100 MB files is measured by benchmarks/bench_readers.py and written in the
README, not asserted here.)"""

from __future__ import annotations

import json

import pytest

from coach.analysis import readers
from coach.analysis.readers import MAX_CHARS, MAX_TURNS, TranscriptError, read_conversations

LIMIT = f"coach reads at most {MAX_TURNS:,} turns and {MAX_CHARS:,} characters of one conversation; split it"


def _turns(n: int, fmt: str) -> str:
    """n alternating turns of one conversation in a transcript format."""
    out = ["WEBVTT\n"] if fmt == "vtt" else []
    for i in range(n):
        who = "Sam (Rep)" if i % 2 == 0 else "Dana"
        text = "What happened next?" if i % 2 == 0 else "We lost two days of orders."
        if fmt == "txt":
            out.append(f"{who}: {text}\n")
        elif fmt == "jsonl":
            out.append(json.dumps({"speaker": "rep" if i % 2 == 0 else "buyer", "text": text}) + "\n")
        else:
            sep = "," if fmt == "srt" else "."
            timing = f"00:00:{i % 60:02d}{sep}000 --> 00:00:{i % 60:02d}{sep}500"
            out.append(f"{i + 1}\n{timing}\n{who}: {text}\n\n")
    return "".join(out)


@pytest.mark.parametrize("fmt", ["txt", "jsonl", "vtt", "srt"])
def test_a_conversation_at_the_limit_is_read_and_one_past_it_is_refused(tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(readers, "MAX_TURNS", 20)
    f = tmp_path / f"call.{fmt}"
    f.write_text(_turns(20, fmt), encoding="utf-8")
    [conv] = read_conversations(f)
    assert len(conv.turns) == 20
    f.write_text(_turns(21, fmt), encoding="utf-8")
    with pytest.raises(TranscriptError, match="conversation too long: more than 20 turns"):
        list(read_conversations(f))


def test_too_many_characters_in_one_turn_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_CHARS", 1000)
    f = tmp_path / "call.txt"
    f.write_text("Sam (Rep): hello\nDana: " + "words " * 100 + "\n" + "more words\n" * 100, encoding="utf-8")
    with pytest.raises(TranscriptError, match="call.txt:[0-9]+: conversation too long: more than 1,000 characters"):
        list(read_conversations(f))


def test_a_line_longer_than_the_limit_is_refused_before_it_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 1000)
    f = tmp_path / "one-line.txt"
    f.write_text("Sam (Rep): " + "x" * 5000, encoding="utf-8")
    with pytest.raises(TranscriptError, match="one-line.txt:1: line longer than 1,000 bytes"):
        list(read_conversations(f))


def test_a_cue_block_without_blank_lines_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_TURNS", 20)
    f = tmp_path / "call.srt"
    f.write_text("1\n00:00:01,000 --> 00:00:02,000\n" + "Dana: more\n" * 30, encoding="utf-8")
    with pytest.raises(TranscriptError, match="call.srt:1: cue too long: more than 20 lines"):
        list(read_conversations(f))


def test_the_real_limit_is_stated_in_one_line(tmp_path):
    """Three times MAX_TURNS turns: refused at the first turn past the limit,
    with the limit in the message."""
    f = tmp_path / "big.txt"
    f.write_text(_turns(3 * MAX_TURNS, "txt"), encoding="utf-8")
    with pytest.raises(TranscriptError) as info:
        list(read_conversations(f))
    assert str(info.value) == f"{f}:{MAX_TURNS + 1}: conversation too long: more than {MAX_TURNS:,} turns ({LIMIT})"


@pytest.mark.parametrize(
    "timing,problem",
    [
        ("99:99:99,999 --> 00:00:01,000", "minutes and seconds go up to 59"),
        ("00:00:05,000 --> 00:00:01,000", "the cue ends before it starts"),
        ("00:01:00,000 --> 00:00:59,999", "the cue ends before it starts"),
    ],
)
def test_an_impossible_srt_timing_is_refused(tmp_path, timing, problem):
    f = tmp_path / "call.srt"
    f.write_text(f"1\n{timing}\nDana: hello\n", encoding="utf-8")
    with pytest.raises(TranscriptError) as info:
        list(read_conversations(f))
    assert str(info.value) == f"{f}:2: bad cue timing '{timing}': {problem}"


def test_possible_timings_with_hours_and_short_fractions_are_read(tmp_path):
    f = tmp_path / "call.vtt"
    f.write_text("WEBVTT\n\n01:59.5 --> 1:02:00.25\nDana: hello\n\n100:00:00.000 --> 100:00:00.000\nSam (Rep): hi\n",
                 encoding="utf-8")
    [conv] = read_conversations(f)
    assert [t.text for t in conv.turns] == ["hello", "hi"]
