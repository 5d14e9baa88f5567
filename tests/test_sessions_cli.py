"""Managers can list, read, comment on and search sessions from the command line,
and a bad database gives one line and exit status 2."""

from __future__ import annotations

import os
import sqlite3

import pytest
from click.testing import CliRunner

from coach.scoring import Scorecard
from coach.analysis.types import AnalysedTurn, Evidence
from coach.cli import cli
from coach.store import open_store


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "coach.db"
    st = open_store(path)
    sid = st.start_session(rep="ana", scenario_id="it-director-outage", scenario_title="After the outage", scenario_yaml="id: x")
    st.add_turn(sid, speaker="buyer", text="We lost two days of orders.")
    text = "Downtime is expensive, right?"
    st.add_turn(
        sid,
        speaker="rep",
        text=text,
        analysed=AnalysedTurn(
            text=text,
            labels=("leading_question",),
            evidence=(Evidence("leading_question", 21, 28, "right?", "a tag question has one answer"),),
            tips=("Ask what the downtime cost them instead.",),
            questions=1,
            words=4,
        ),
    )
    st.finish_session(sid, scorecard=Scorecard(total=31, parts=(), discovered=(), missed=(), topics={}, hints=0,
                                               hint_penalty=0, final_trust=20.0, end_reason="max_turns", rep_turns=1),
                      end_reason="max_turns")
    st.start_session(rep="ben", scenario_id="it-director-outage", scenario_title="After the outage", scenario_yaml="id: x")
    return path


def run(*args, db=None, env=None):
    full = (["--db", str(db)] if db else []) + list(args)
    return CliRunner().invoke(cli, full, env=env, catch_exceptions=False)


def test_sessions_lists_scores_flags_and_unfinished(db):
    r = run("sessions", db=db)
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert any("ana" in l and " 31 " in l and "leading_question 1" in l for l in lines)
    assert any("ben" in l and "open" in l for l in lines)
    assert "ben" in run("sessions", "--unfinished", db=db).output
    assert "ana" not in run("sessions", "--unfinished", db=db).output


def test_sessions_cuts_a_long_title_at_a_word(db):
    st = open_store(db)
    st.start_session(rep="dev", scenario_id="retail", scenario_title="The range review that moved everything",
                     scenario_yaml="id: retail")
    row = next(l for l in run("sessions", db=db).output.splitlines() if " dev " in l)
    assert " The range review that…   " in row and row.rstrip().endswith("open  -") and "move" not in row


def test_show_prints_labels_evidence_and_tip(db):
    r = run("show", "1", db=db)
    assert r.exit_code == 0
    assert "leading question" in r.output
    assert '"right?"' in r.output
    assert "tip: Ask what the downtime cost them instead." in r.output


def test_comment_is_stored_with_author_and_turn(db):
    r = run("comment", "1", "Ask about the cost instead.", "--line", "2", "--author", "maria", db=db)
    assert r.exit_code == 0, r.output
    assert "session 1, line 2 (turn 1)" in r.output
    s = open_store(db).session(1)
    assert s.turns[1].comments[0].author == "maria"
    assert "comment 1 by maria" in run("show", "1", db=db).output
    bad = run("comment", "1", "x", "--line", "99", db=db)
    assert bad.exit_code == 2 and "session 1 has no line 99" in bad.output


def test_comment_on_a_rep_turn_as_the_scorecard_counts_them(db):
    """--turn K is the rep's K-th turn (what the scorecard's "turn 1" means), not line K."""
    assert run("comment", "1", "This one.", "--turn", "1", "--author", "maria", db=db).exit_code == 0
    s = open_store(db).session(1)
    assert s.turns[1].speaker == "rep" and [c.text for c in s.turns[1].comments] == ["This one."]
    bad = run("comment", "1", "x", "--turn", "2", db=db)
    assert bad.exit_code == 2 and "session 1 has no turn 2 (it has 1 rep turns)" in bad.output
    both = run("comment", "1", "x", "--turn", "1", "--line", "1", db=db)
    assert both.exit_code == 2 and "not both" in both.output


def test_show_numbers_lines_and_rep_turns_apart(db):
    """The transcript's lines are "line N"; a rep line also says which of the
    rep's turns it is, as the scorecard numbers them, so "turn 1" finds it."""
    out = run("show", "1", db=db).output
    assert "[line 1] BUYER: We lost two days of orders." in out
    assert "[line 2] REP (turn 1): Downtime is expensive, right?" in out


def test_search(db):
    r = run("search", "orders", db=db)
    assert "session 1 line 1 (buyer, ana's session): We lost two days of [orders]." in r.output


def test_search_names_who_said_a_line_the_same_way_for_rep_and_buyer(db):
    """A hit said who spoke as "(ana, buyer)": the rep's name beside the buyer's
    role, as if ana were the buyer. Each hit now names the speaker by role."""
    assert "session 1 line 2 (rep ana, turn 1): Downtime is [expensive], right?" in run(
        "search", "expensive", db=db).output
    run("comment", "1", "Too expensive a question.", "--line", "2", "--author", "maria", db=db)
    hits = run("search", "question", db=db).output
    assert "session 1 line 2 (comment 1 by maria, ana's session)" in hits


def test_coach_db_env_variable_is_used(db, tmp_path):
    r = run("sessions", env={"COACH_DB": str(db)})
    assert "ana" in r.output


def test_corrupt_database_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00garbage" * 500)
    r = run("sessions", db=bad)
    assert r.exit_code == 2
    assert r.output.strip().count("\n") == 0
    assert "bad.db: not a coach database or corrupt" in r.output
    assert "Traceback" not in r.output


def test_missing_database_for_reading(tmp_path):
    r = run("sessions", db=tmp_path / "none.db")
    assert r.exit_code == 2 and "no database yet" in r.output
    assert not (tmp_path / "none.db").exists()


def test_locked_database_for_writing(db, monkeypatch):
    from coach import store

    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.1)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("begin exclusive")
    try:
        r = run("comment", "1", "hello", db=db)
    finally:
        holder.execute("rollback")
    assert r.exit_code == 2
    assert "locked by another program" in r.output


def test_a_comment_is_edited_and_deleted_from_the_command_line(db):
    run("comment", "1", "Ask about the cost.", "--line", "2", "--author", "maria", db=db)
    r = run("comment-edit", "1", "Ask what the downtime cost.", "--author", "maria", db=db)
    assert (r.exit_code, r.output) == (0, "comment 1 on session 1 edited\n")
    shown = run("show", "1", db=db).output
    assert "comment 1 by maria (" in shown and ", edited by maria " in shown and "Ask what the downtime cost." in shown
    assert "comment 1 by maria" in run("search", "downtime", db=db).output
    assert run("comment-delete", "1", db=db, env={"COACH_REP": "maria"}).output == "comment 1 on session 1 deleted\n"
    assert "comment 1" not in run("show", "1", db=db).output
    gone = run("comment-edit", "1", "x", db=db)
    assert gone.exit_code == 2 and "no comment 1 (it was deleted)" in gone.output


def test_only_the_author_edits_or_deletes_a_comment_from_the_command_line(db):
    run("comment", "1", "Ask about the cost.", "--author", "maria", db=db)
    for args in (("comment-edit", "1", "hijack"), ("comment-delete", "1")):
        r = run(*args, db=db, env={"COACH_REP": "otherboss"})
        assert r.exit_code == 2
        verb = "edit" if args[0] == "comment-edit" else "delete"
        assert r.output == f"coach: comment 1 was written by maria: only maria can {verb} it (you are otherboss)\n"
    assert "comment 1 by maria (" in run("show", "1", db=db).output
    assert "Ask about the cost." in run("show", "1", db=db).output and "hijack" not in run("show", "1", db=db).output


def test_a_manager_overrides_a_score_with_a_reason_and_withdraws_it(db):
    r = run("override", "1", "55", "--reason", "The buyer was hostile from the start", "--author", "maria", db=db)
    assert (r.exit_code, r.output) == (0, "session 1: score in force 55 (machine's 31)\n")
    shown = run("show", "1", db=db).output
    assert shown.splitlines()[0].endswith("score 55, a manager's (machine 31))")
    assert "maria set the score to 55" in shown and "The buyer was hostile from the start" in shown
    listed = run("sessions", db=db).output
    assert any("ana" in l and " 55* " in l for l in listed.splitlines()) and "* a manager's score" in listed
    assert run("override", "1", "--withdraw", "--reason", "talked it through", db=db).output == (
        "session 1: score in force 31 (machine's 31)\n")
    assert run("override", "1", db=db, ).exit_code == 2  # --reason is required
    both = run("override", "1", "40", "--withdraw", "--reason", "x", db=db)
    assert both.exit_code == 2 and "not both" in both.output
    part = run("override", "1", "40", "--part", "talk", "--reason", "x", db=db)
    assert part.exit_code == 2 and "session 1 has no score part 'talk' (it has: total)" in part.output
    unfinished = run("override", "2", "40", "--reason", "x", db=db)
    assert unfinished.exit_code == 2 and "session 2 is unfinished" in unfinished.output
    assert run("override", "1", "140", "--reason", "x", db=db).exit_code == 2


def test_search_takes_or_and_reports_a_bad_query_in_one_line(db):
    assert "session 1 line 1 (buyer" in run("search", "ransomware OR orders", db=db).output
    bad = run("search", '"two days', db=db)
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and "cannot search for" in bad.output


def test_a_comment_without_a_login_name_is_by_rep_not_a_traceback(db, monkeypatch):
    """In a container with no user name getpass raises; the author falls back as
    the app's rep name does."""
    import getpass

    def nobody():
        raise KeyError("getpwuid(): uid not found: 1234")

    monkeypatch.setattr(getpass, "getuser", nobody)
    r = run("comment", "1", "Ask what it cost.", db=db)
    assert r.exit_code == 0, r.output
    [c] = open_store(db).session(1).comments
    assert c.author == "rep"


def test_show_marks_a_label_the_buyer_excused_and_drops_its_tip(tmp_path):
    """As the practice screen and the transcript do: a self-interested question
    the buyer answered gladly (value established) is no fault in `coach show`."""
    from test_ui_support import BAD_TURNS, _scenario, scripted_analyzer

    from coach.engine import PracticeSession
    from coach.labels import EXCUSED_WHY

    path = tmp_path / "coach.db"
    session = PracticeSession(_scenario("it-director-outage"), scripted_analyzer(), seed=0, store=open_store(path), rep="ana")
    session.director.state.trust = 90
    ex = session.play(BAD_TURNS[1])  # "What's your budget, and are you the one who signs off?"
    assert ex.move.excused == ("self_interested",)
    out = run("show", str(session.session_id), db=path).output
    assert "self-interested (fine here)" in out and EXCUSED_WHY in out and "tip:" not in out
