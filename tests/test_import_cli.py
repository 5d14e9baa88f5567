"""`coach import`: real calls become sessions of kind "call" that the manager's
commands read like practice, once each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_ui_support import shared_analyzer

from coach.analysis.metrics import summarize
from coach.analysis.types import Turn
from coach.cli import cli
from coach.store import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


@pytest.fixture(autouse=True)
def _one_analyzer(monkeypatch):
    from coach.cli import common

    monkeypatch.setattr(common, "load_analyzer", shared_analyzer)


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_a_call_is_stored_analysed_and_read_like_practice(tmp_path):
    db = tmp_path / "coach.db"
    r = run(db, "import", str(FIXTURES / "buyer_first.vtt"), "--rep", "Sam Patel", "--date", "2026-03-02")
    assert r.exit_code == 0, r.output
    assert r.stdout == f"{FIXTURES / 'buyer_first.vtt'}: imported as session 1 (Sam Patel, 8 turns, 4 by the rep)\n"
    s = open_store(db).session(1)
    assert (s.kind, s.rep, s.status, s.score, s.started_at) == ("call", "Sam Patel", "finished", None,
                                                               "2026-03-02T00:00:00+00:00")
    assert [t.speaker_name for t in s.turns[:2]] == ["Dana Okafor", "Sam Patel"]
    rep_turns = s.rep_turns
    assert all(t.analysed is not None for t in rep_turns)
    assert "empathy" in rep_turns[2].labels and rep_turns[2].analysed.evidence
    assert all(t.analysed.tips is not None for t in rep_turns)
    # The summary stored is the analyser's, and the record's metrics() return it.
    expected = summarize([Turn(t.speaker, t.text) for t in s.turns], [t.analysed for t in s.turns])
    assert s.call.summary == expected == s.metrics()
    assert (s.call.rep_speaker, s.call.rep_chosen_by, s.call.format) == ("Sam Patel", "option", "vtt")
    # Every manager's command reads it.
    assert "call: buyer_first.vtt" in run(db, "sessions").stdout
    assert "Sam Patel" in run(db, "sessions", "--rep", "Sam Patel").stdout
    shown = run(db, "show", "1").stdout
    assert "call" in shown.splitlines()[0] and "Dana Okafor" in shown and "labels: " in shown
    assert "session 1 line 3 (buyer Dana Okafor, Sam Patel's session)" in run(db, "search", "retail OR furious").stdout
    assert run(db, "comment", "1", "Good empathy here", "--line", "6", "--author", "maria").exit_code == 0
    assert open_store(db).session(1).turn(6).comments[0].text == "Good empathy here"


def test_the_same_call_twice_is_stored_once(tmp_path):
    db = tmp_path / "coach.db"
    f = FIXTURES / "buyer_first.vtt"
    assert run(db, "import", str(f), "--rep", "Sam Patel").exit_code == 0
    again = run(db, "import", str(f), "--rep", "Sam Patel")
    assert again.exit_code == 0 and again.stdout == f"{f}: already imported as session 1\n"
    # Naming another rep, or a copy under another name, is still the same call.
    copy = tmp_path / "copy.vtt"
    copy.write_bytes(f.read_bytes())
    assert "already imported as session 1" in run(db, "import", str(copy), "--rep", "Dana Okafor").stdout
    assert len(open_store(db).sessions()) == 1


def test_a_guess_that_looks_backwards_is_imported_with_a_warning(tmp_path):
    db = tmp_path / "coach.db"
    r = run(db, "import", str(FIXTURES / "buyer_first.vtt"))
    assert r.exit_code == 0
    assert r.stderr.startswith("coach: warning: ") and "--rep 'Sam Patel'" in r.stderr
    assert open_store(db).session(1).rep == "Dana Okafor"


def test_a_call_read_backwards_is_read_again_with_rep_keeping_its_comments(tmp_path):
    db = tmp_path / "coach.db"
    f = FIXTURES / "buyer_first.vtt"
    run(db, "import", str(f))  # the buyer, who spoke first, taken as the rep
    assert run(db, "comment", "1", "Check who is who", "--line", "2", "--author", "maria").exit_code == 0
    r = run(db, "import", str(f), "--rep", "Sam Patel")
    assert r.stdout == f"{f}: already imported as session 1; read again with Sam Patel as the rep\n"
    s = open_store(db).session(1)
    assert (s.rep, s.call.rep_speaker, s.call.rep_chosen_by) == ("Sam Patel", "Sam Patel", "option")
    assert [t.speaker for t in s.turns[:2]] == ["buyer", "rep"] and s.turns[0].labels == ()
    assert "open_question" in s.turns[1].labels and s.turns[1].comments[0].text == "Check who is who"
    assert s.call.summary == s.metrics() and s.call.summary["rep_turns"] == 4
    assert len(open_store(db).sessions()) == 1


def test_a_transcript_that_calls_the_rep_by_a_role_needs_a_name(tmp_path):
    db = tmp_path / "coach.db"
    r = run(db, "import", str(FIXTURES / "call.srt"))
    assert r.exit_code == 2 and "calls the rep 'Rep'; say who the rep is with --as NAME" in r.stderr
    assert run(db, "import", str(FIXTURES / "call.srt"), "--as", "Lee Wong").exit_code == 0
    assert open_store(db).session(1).rep == "Lee Wong"


def test_jsonl_with_roles_only_needs_rep(tmp_path):
    db = tmp_path / "coach.db"
    r = run(db, "import", str(FIXTURES / "calls.jsonl"))
    assert r.exit_code == 2 and r.stderr == (f"coach: {FIXTURES / 'calls.jsonl'}: 'renewal-1' does not name the rep; "
                                             "say who the rep is with --as NAME\n")
    assert not open_store(db).sessions()
    r = run(db, "import", str(FIXTURES / "calls.jsonl"), "--rep", "ana")
    assert r.exit_code == 0 and r.stdout.endswith("2 imported, 0 already there\n")
    assert [(s.rep, s.title) for s in open_store(db).sessions()] == [("ana", "call: renewal-2"), ("ana", "call: renewal-1")]


def test_bad_input_is_one_line_and_what_was_read_first_is_kept(tmp_path):
    db = tmp_path / "coach.db"
    bad = tmp_path / "bad.txt"
    bad.write_text("no speaker on this line\n")
    r = run(db, "import", str(FIXTURES / "teams.vtt"), str(bad))
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "bad.txt:1: expected 'Name: text'" in r.stderr
    assert "1 call imported before it" in r.stderr
    assert len(open_store(db).sessions()) == 1
    assert run(db, "import", "x.docx").stderr == ("coach: x.docx: unknown file extension '.docx' "
                                                  "(expected one of .jsonl, .ndjson, .json, .txt, .vtt, .srt)\n")
    assert "expected a date as YYYY-MM-DD" in run(db, "import", str(bad), "--date", "March 2").stderr


def test_a_session_shown_as_json_imports_back_as_a_call(tmp_path):
    db = tmp_path / "coach.db"
    run(db, "import", str(FIXTURES / "buyer_first.vtt"), "--rep", "Sam Patel")
    (tmp_path / "s1.json").write_text(run(db, "show", "1", "--json").stdout)
    other = tmp_path / "other.db"
    r = run(other, "import", str(tmp_path / "s1.json"))
    assert r.exit_code == 0, r.output
    a, b = open_store(db).session(1), open_store(other).session(1)
    assert [(t.speaker, t.speaker_name, t.text) for t in a.turns] == [(t.speaker, t.speaker_name, t.text) for t in b.turns]
    assert (b.rep, b.started_at) == ("Sam Patel", a.started_at)
    assert [t.labels for t in a.turns] == [t.labels for t in b.turns]
    assert json.loads(run(other, "show", "1", "--json").stdout)["call"]["rep_chosen_by"] == "file"
