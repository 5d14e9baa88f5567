"""The team view: per-rep scores, trend and label rates against the team;
leaderboards; assignments and who passed; `coach team`, `assign`, `assignments`."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from test_ui_support import FixedClock

from coach.analysis.types import AnalysedTurn
from coach.cli import cli
from coach.scoring import Scorecard
from coach.store import Store, open_store
from coach.team import assignment_statuses, team_view, trend_change


def _card(total):
    return Scorecard(total=total, parts=(), discovered=(), missed=(), topics={}, hints=0, hint_penalty=0,
                     final_trust=50.0, end_reason="max_turns", rep_turns=2)


def _play(store, rep, score, labels, scenario="it-director-outage", title="After the outage"):
    """A finished session whose rep turns carry ``labels`` (one tuple per turn)."""
    sid = store.start_session(rep=rep, scenario_id=scenario, scenario_title=title, scenario_yaml=f"id: {scenario}")
    for turn_labels in labels:
        store.add_turn(sid, speaker="buyer", text="We lost a week.")
        store.add_turn(sid, speaker="rep", text="Hm?", analysed=AnalysedTurn(text="Hm?", labels=turn_labels))
    if score is not None:
        store.finish_session(sid, scorecard=_card(score), end_reason="max_turns")
    return sid


@pytest.fixture
def store():
    from sqlite_utils import Database

    return Store(Database(memory=True), now=FixedClock())


def test_reps_scores_trend_and_labels_against_the_team(store):
    for score in (40, 50, 60, 80):
        _play(store, "ana", score, [("open_question", "curiosity"), ("open_question",)])
    for score in (70, 60):
        _play(store, "ben", score, [("pitching",), ("leading_question", "pitching")])
    view = team_view(store)
    assert [r.rep for r in view.reps] == ["ana", "ben"]
    ana, ben = view.reps
    assert (ana.sessions, ana.average, ana.latest, ana.scores) == (4, 57.5, 80, (40, 50, 60, 80))
    assert ana.change == 25.0  # mean(60, 80) - mean(40, 50)
    assert (ben.change, ben.rep_turns, view.team_turns) == (-10.0, 4, 12)
    # Rates per 100 analysed rep turns: ana asks open questions on every turn,
    # the team on 8 of 12; ben pitches on every turn, the team on 4 of 12.
    rate = {r.label: r for r in ana.rates}
    assert (rate["open_question"].rate, rate["open_question"].team_rate) == (100.0, 66.7)
    assert (ana.most.label, ben.most.label) == ("open_question", "pitching")
    assert (ana.least.label, ben.least.label) == ("pitching", "open_question")
    assert view.team_rates["pitching"] == 33.3


def test_an_override_counts_in_the_team_view_and_calls_count_as_sessions(store):
    sid = _play(store, "ana", 40, [("open_question",)])
    store.override_score(sid, score=90, reason="the scenario was misconfigured", author="maria")
    from coach.session import CallRecord

    store.import_call(rep="ana", turns=[("rep", "Why now?", "Ana", AnalysedTurn(text="Why now?", labels=("open_question",)))],
                      call=CallRecord("c.txt", "c.txt", "txt", "f" * 64, "Ana", "option", {}, ""))
    [ana] = team_view(store).reps
    assert (ana.sessions, ana.practice, ana.calls, ana.scores, ana.rep_turns) == (2, 1, 1, (90,), 2)
    assert [r.rep for r in team_view(store, kind="practice").reps] == ["ana"]
    assert team_view(store, kind="call").reps[0].scores == ()


def test_the_period_limits_what_counts(store):
    _play(store, "ana", 40, [("open_question",)])  # 09:00 and on (FixedClock)
    later = store._now()
    _play(store, "ana", 80, [("pitching",)])
    [ana] = team_view(store, since=later).reps
    assert ana.scores == (80,)


def test_trend_change():
    assert trend_change([]) is None and trend_change([50]) is None
    assert trend_change([50, 70]) == 20.0
    assert trend_change([10, 20, 30, 40, 50, 60, 70]) == 30.0  # (50+60+70)/3 - (20+30+40)/3


def test_leaderboard_ranks_best_then_latest(store):
    for rep, score in (("ana", 60), ("ben", 80), ("ana", 85), ("cy", 80), ("cy", 82)):
        _play(store, rep, score, [("open_question",)])
    _play(store, "dee", 99, [("open_question",)], scenario="cfo-budget", title="The CFO")
    boards = {b.scenario_id: b for b in team_view(store).leaderboards}
    rows = boards["it-director-outage"].rows
    assert [(r.rank, r.rep, r.best, r.latest, r.attempts) for r in rows] == [
        (1, "ana", 85, 85, 2), (2, "cy", 82, 82, 2), (3, "ben", 80, 80, 1)]
    assert [r.rep for r in boards["cfo-budget"].rows] == ["dee"]


def test_assignments_passed_late_open_and_overdue(store):
    _play(store, "ana", 95, [("open_question",)])  # before the assignment: does not count
    a = store.add_assignment(rep="ana", scenario_id="it-director-outage", pass_mark=70, due_on="2026-03-02",
                             assigned_by="maria")
    store.add_assignment(rep="ben", scenario_id="it-director-outage", pass_mark=70, due_on="2026-03-01",
                         assigned_by="maria")
    store.add_assignment(rep="cy", scenario_id="it-director-outage", pass_mark=70, due_on="2026-04-01",
                         assigned_by="maria")
    store.add_assignment(rep="dee", scenario_id="it-director-outage", pass_mark=70, due_on="2026-03-01",
                         assigned_by="maria")
    [status] = assignment_statuses(store, "ana", today=date(2026, 3, 2))
    assert (status.state, status.best, status.attempts) == ("open", None, 0)
    _play(store, "ana", 60, [("open_question",)])
    sid = _play(store, "ana", 75, [("open_question",)])
    _play(store, "ben", 71, [("open_question",)])  # passes, but on the 2nd: late
    _play(store, "cy", 50, [("open_question",)])
    states = {s.assignment.rep: s for s in assignment_statuses(store, today=date(2026, 3, 2))}
    assert (states["ana"].state, states["ana"].best, states["ana"].attempts, states["ana"].passed_session) == (
        "passed", 75, 2, sid)
    assert states["ana"].assignment.id == a
    assert (states["ben"].state, states["cy"].state, states["dee"].state) == ("passed late", "open", "overdue")
    assert [s.state for s in team_view(store, today=date(2026, 3, 2)).reps[3].assignments] == ["overdue"]


# -- the commands --------------------------------------------------------------


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "coach.db"
    st = open_store(path)
    for score in (40, 60):
        _play(st, "ana", score, [("open_question", "curiosity"), ("open_question",)])
    _play(st, "ben", 70, [("pitching",), ("leading_question", "pitching")])
    return path


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_coach_team_counts_one_rep_in_the_singular(tmp_path):
    path = tmp_path / "one.db"
    _play(open_store(path), "ana", 50, [("open_question",)])
    assert run(path, "team").output.splitlines()[0] == "Team, all time: 1 rep, 1 analysed rep turn"


def test_coach_team_text_and_json(db):
    r = run(db, "team")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0] == "Team, all time: 2 reps, 6 analysed rep turns"
    ana = next(line for line in lines if line.startswith("ana "))
    assert " 50 " in ana and " 60 " in ana and "+20" in ana and "open question 100 (67)" in ana
    ben = next(line for line in lines if line.startswith("ben "))
    assert "pitching 100 (33)" in ben and ben.endswith("open question 0 (67)")
    assert "Leaderboard: After the outage (it-director-outage)" in r.output
    assert "   1. ben" in r.output
    data = json.loads(run(db, "team", "--format", "json").output)
    assert [x["rep"] for x in data["reps"]] == ["ana", "ben"] and data["reps"][0]["average"] == 50
    assert data["leaderboards"][0]["rows"][0]["rep"] == "ben"
    assert run(db, "team", "--since", "2999-01-01").output.splitlines()[1] == "no sessions"
    assert run(db, "team", "--since", "x").exit_code == 2


def test_coach_team_rep_draws_progress_in_the_terminal(db):
    r = run(db, "team", "--rep", "ana")
    assert r.exit_code == 0, r.output
    assert "Scores of ana over time" in r.output and "\x1b" not in r.output
    assert "⣀" in r.output or "●" in r.output  # plotted, not a table
    assert "2 scored practice sessions; average 50, latest 60" in r.output
    assert run(db, "team", "--rep", "zed").output.strip() == "coach: no sessions by 'zed'"


def test_assign_and_list_assignments(db):
    r = run(db, "assign", "ana", "it-director-outage", "--pass-mark", "55", "--due", "2030-01-01", "--by", "maria")
    assert r.exit_code == 0, r.output
    assert r.output == "assignment 1: ana to pass it-director-outage with 55 by 2030-01-01\n"
    bad = run(db, "assign", "ana", "it-director-outge", "--pass-mark", "55", "--due", "2030-01-01")
    assert bad.exit_code == 2 and "did you mean 'it-director-outage'?" in bad.output
    assert run(db, "assign", "ana", "it-director-outage", "--pass-mark", "55", "--due", "soon").exit_code == 2
    listed = run(db, "assignments").output
    assert "ana" in listed and "pass 55 by 2030-01-01: open; not tried" in listed
    assert "Assignments" in run(db, "team").output
    assert run(db, "assignments", "--remove", "1").output == "assignment 1 removed\n"
    assert run(db, "assignments").output == "no assignments\n"


def test_rep_names_match_without_regard_to_case(db):
    """The README writes "Ana"; the rep practised as "ana": one rep."""
    sessions = run(db, "sessions", "--rep", "Ana").output
    assert sessions.count(" ana ") == 2 and "no sessions" not in sessions
    assert run(db, "sessions", "--rep", "Anna").output == "no sessions by 'Anna' (did you mean 'ana'?)\n"
    assert "Scores of ana over time" in run(db, "team", "--rep", "ANA").output
    assert run(db, "team", "--rep", "Anna").output == "coach: no sessions by 'Anna' (did you mean 'ana'?)\n"
    md = run(db, "export", "--rep", "Ana", "--format", "md")
    assert md.exit_code == 0 and md.stdout.startswith("# Coaching report: ana\n")
    assigned = run(db, "assign", "Ana", "it-director-outage", "--pass-mark", "55", "--due", "2030-01-01")
    assert (assigned.exit_code, assigned.stdout, assigned.stderr) == (
        0, "assignment 1: ana to pass it-director-outage with 55 by 2030-01-01\n", "")
    assert "ana " in run(db, "assignments", "--rep", "ANA").output
    st = open_store(db)
    assert st.reps() == ["ana", "ben"]  # no second rep "Ana"
    sid = st.start_session(rep="ANA", scenario_id="x", scenario_title="X", scenario_yaml="id: x")
    assert st.session(sid).rep == "ana" and st.reps() == ["ana", "ben"]


def test_assign_says_when_a_rep_has_no_sessions_and_refuses_a_past_date(db):
    new = run(db, "assign", "nobody", "it-director-outage", "--pass-mark", "55", "--due", "2030-01-01")
    assert new.exit_code == 0 and new.stderr == "coach: nobody has no sessions yet\n"
    assert new.stdout == "assignment 1: nobody to pass it-director-outage with 55 by 2030-01-01\n"
    typo = run(db, "assign", "Anna", "it-director-outage", "--pass-mark", "55", "--due", "2030-01-01")
    assert typo.exit_code == 0 and typo.stderr == "coach: Anna has no sessions yet (did you mean 'ana'?)\n"
    past = run(db, "assign", "ana", "it-director-outage", "--pass-mark", "55", "--due", "2020-01-01")
    assert past.exit_code == 2 and past.stdout == ""
    assert past.stderr == f"coach: --due 2020-01-01: that date has passed (today is {date.today().isoformat()})\n"
    today = run(db, "assign", "ana", "it-director-outage", "--pass-mark", "55", "--due", date.today().isoformat())
    assert today.exit_code == 0 and today.stderr == ""
    assert [a.rep for a in open_store(db).assignments()] == ["ana", "nobody", "Anna"]
