"""PracticeSession: analyser + buyer + scorecard + store, as the app and the CLI use it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from coach.buyer.testing import ScriptedAnalyzer
from coach.engine import MAX_ANALYSED_CHARS, PracticeSession, check_test, run_script
from coach.scenario import load_scenario, load_scenario_text
from coach.store import Store

from test_buyer import SCENARIO  # noqa: E402  (tests/ is on sys.path under pytest)

FROM_DOCS = Path(__file__).parent / "fixtures" / "scenarios" / "from_docs.yaml"


@pytest.fixture
def scenario():
    return load_scenario_text(SCENARIO, "test.yaml")


@pytest.fixture
def store():
    return Store(Database(memory=True))


def test_every_turn_is_stored_the_moment_it_happens(scenario, store):
    session = PracticeSession(scenario, ScriptedAnalyzer(), seed=4, store=store, rep="sam")
    sid = session.session_id
    stored = store.session(sid)
    assert stored.rep == "sam" and stored.scenario_id == "test-buyer" and stored.seed == 4
    assert not stored.finished
    assert stored.scenario_yaml == scenario.source_text == SCENARIO
    assert [t.speaker for t in stored.turns] == ["buyer"]
    assert stored.turns[0].text == session.opening.text

    ex = session.play("[open_question curiosity] What happens when the ovens break down?")
    turns = store.session(sid).turns
    assert [t.speaker for t in turns] == ["buyer", "rep", "buyer"]
    assert turns[1].labels == ("open_question", "curiosity")
    assert turns[2].text == ex.buyer.text
    assert turns[2].revealed == ("ovens",) == ex.revealed
    assert turns[2].trust == pytest.approx(ex.trust_after)

    card = session.finish()
    final = store.session(sid)
    assert final.finished and final.end_reason == "finished"
    assert final.score == card.total
    assert final.scorecard.to_dict() == card.to_dict()
    assert {p.name for p in final.scorecard.parts} == {"discovery", "questions", "listening", "relationship"}


def test_an_exchange_carries_trust_discoveries_and_the_end(scenario):
    session = PracticeSession(scenario, ScriptedAnalyzer())
    assert session.state.trust == 40 and session.state.turns == 0
    ex = session.play("[open_question curiosity] What happens when the ovens break down?")
    assert ex.index == 0 and ex.trust_before == 40 and ex.trust_after == pytest.approx(47)
    assert ex.revealed == ("ovens",) and not ex.ended and ex.end_reason is None
    assert session.state.discovered == ["ovens"]
    assert session.state.undiscovered == ["staffing", "expansion", "family"]
    assert session.exchanges == [ex]


def test_blank_turns_are_refused_and_not_stored(scenario, store):
    session = PracticeSession(scenario, ScriptedAnalyzer(), store=store)
    for blank in ("", "   ", "\n\t "):
        with pytest.raises(ValueError):
            session.play(blank)
    assert session.exchanges == []
    assert len(store.session(session.session_id).turns) == 1


def test_a_huge_turn_is_analysed_capped_but_stored_whole(scenario, store):
    session = PracticeSession(scenario, ScriptedAnalyzer(), store=store)
    huge = "[pitching] " + "Our ovens are great. " * 10_000
    ex = session.play(huge)
    assert len(ex.analysed.text) <= MAX_ANALYSED_CHARS
    assert ex.rep_text == huge.strip()
    assert store.session(session.session_id).turns[1].text == huge.strip()


def test_a_finished_session_refuses_more_turns_and_finish_is_idempotent(scenario, store):
    session = PracticeSession(scenario, ScriptedAnalyzer(), store=store)
    session.play("Hello.")
    first = session.finish()
    assert session.finish() is first
    assert session.state.finished and session.state.end_reason == "finished"
    with pytest.raises(RuntimeError):
        session.play("One more thing.")


def test_a_walkout_ends_the_session_and_is_recorded(scenario, store):
    session = PracticeSession(scenario, ScriptedAnalyzer(), store=store)
    for _ in range(6):
        if session.ended:
            break
        session.play("[pressure pitching] Sign now, our ovens are the best and the price goes up Friday.")
    assert session.state.end_reason == "walkout" and session.exchanges[-1].ended
    session.finish()
    assert store.session(session.session_id).end_reason == "walkout"


def test_the_hint_points_at_something_undiscovered(scenario):
    session = PracticeSession(scenario, ScriptedAnalyzer())
    session.play("[open_question curiosity] What happens when the ovens break down?")
    hint = session.hint()
    assert "ovens" not in hint  # already found
    assert session.state.hints == 1


def test_check_test_reports_each_unmet_expectation(scenario):
    from coach.scenario import ScenarioTest

    t = ScenarioTest.model_validate(
        {
            "name": "impossible",
            "script": ["[pitching] Buy our ovens."],
            "expect": {"revealed": ["ovens"], "not_revealed": [], "trust": {"min": 90}, "score": {"min": 99}, "ended": True},
        }
    )
    problems = check_test(t, run_script(scenario, ScriptedAnalyzer(), t.script))
    assert problems[0] == "not revealed: ovens"
    assert any(p.startswith("final trust 30 outside >= 90") for p in problems)
    assert any(p.startswith("score ") and "outside >= 99" in p for p in problems)
    assert problems[-1] == "the buyer did not walk out"


# -- a scenario nobody tuned the engine for, with the real analyser ---------------


@pytest.fixture(scope="module")
def analyzer():
    from coach.analysis.analyzer import Analyzer

    return Analyzer.load()


def test_the_scenario_written_from_the_docs_alone_behaves_sensibly(analyzer):
    sc = load_scenario(FROM_DOCS)
    good = run_script(
        sc,
        analyzer,
        [
            "Thanks for making time on a busy morning. What are mornings like on the phones?",
            "That sounds really stressful for everyone. What do missed appointments cost the clinic?",
            "So you're losing slots while people can't get through. How is your reception team coping with it all?",
            "Could I show you and the senior partner a short demo using your own appointment data?",
        ],
    )
    bad = run_script(
        sc,
        analyzer,
        [
            "Our software is the best on the market and cuts no-shows by half.",
            "You'd want to cut no-shows, wouldn't you?",
            "What's your budget? Can we get this signed this month?",
            "Trust me, every clinic needs this. The offer ends Friday.",
        ],
    )
    assert "phone-queue" in good.discovered and len(good.discovered) >= 2
    assert good.session.state.trust > sc.buyer.trust.start
    assert bad.session.state.trust < sc.buyer.trust.start
    assert not set(bad.discovered) & {"receptionist-stress", "partner-sign-off"}
    assert good.scorecard.total > bad.scorecard.total + 30
    replies = [good.session.opening.text] + [e.buyer.text for e in good.exchanges]
    assert len(set(replies)) == len(replies)


def test_the_docs_scenario_keeps_replying_in_persona_over_a_long_session(analyzer):
    sc = load_scenario(FROM_DOCS)
    session = PracticeSession(sc, analyzer, seed=1)
    lines = ["Okay.", "Right, I see.", "Is that so?", "Mm, interesting.", "And then?"]
    while not session.ended:
        session.play(lines[session.state.turns % len(lines)])
    replies = [e.buyer.text for e in session.exchanges]
    assert session.state.end_reason in ("max_turns", "walkout")
    assert len(replies) <= sc.ending.max_turns
    assert len(set(replies)) == len(replies)


def test_the_turn_after_a_hint_is_stored_as_hinted(scenario, store):
    session = PracticeSession(scenario, ScriptedAnalyzer(), store=store)
    session.hint()
    session.play("[open_question curiosity] What happens when the ovens break down?")
    session.play("[reflection] So Saturdays are the worst.")
    rep_turns = store.session(session.session_id).rep_turns
    assert [t.hint for t in rep_turns] == [True, False]
    assert session.finish().hints == 1


def test_a_turn_the_store_refuses_is_taken_back_whole(scenario, store, monkeypatch):
    """A locked database mid-session: the turn is not half-played, and sending it again counts once."""
    from coach.store import StoreError

    session = PracticeSession(scenario, ScriptedAnalyzer(), store=store)
    real_add = store.add_turn

    def locked(*args, **kwargs):
        raise StoreError("coach.db: database is locked by another program")

    monkeypatch.setattr(store, "add_turn", locked)
    line = "[open_question curiosity] What happens when the ovens break down?"
    with pytest.raises(StoreError):
        session.play(line)
    assert session.exchanges == [] and session.state.trust == 40
    assert [s for s, _ in session._conv.turns] == ["buyer"]

    monkeypatch.setattr(store, "add_turn", real_add)
    ex = session.play(line)
    assert ex.revealed == ("ovens",)
    assert [s for s, _ in session._conv.turns] == ["buyer", "rep", "buyer"]
    assert [t.speaker for t in store.session(session.session_id).turns] == ["buyer", "rep", "buyer"]


def test_a_reply_the_store_refuses_is_saved_before_the_next_turn_and_the_rep_turn_once(scenario, store, monkeypatch):
    """The rep's turn is stored, then the database locks before the buyer's reply is
    written: the exchange stands, the rep is not asked to send it again, and the reply
    is written, in order, before the next turn (or at finish)."""
    from coach.store import StoreError

    session = PracticeSession(scenario, ScriptedAnalyzer(), store=store)
    real_add = store.add_turn
    refused = {"buyer"}  # the speakers whose turns the store refuses

    def add_turn(sid, **kw):
        if kw["speaker"] in refused:
            raise StoreError("coach.db: database is locked by another program")
        return real_add(sid, **kw)

    monkeypatch.setattr(store, "add_turn", add_turn)
    ex = session.play("[open_question curiosity] What happens when the ovens break down?")
    assert ex.revealed == ("ovens",) and len(session.exchanges) == 1
    assert "locked" in session.save_error
    assert [t.speaker for t in store.session(session.session_id).turns] == ["buyer", "rep"]

    # still locked: the next turn is refused whole, and nothing is stored twice
    refused.add("rep")
    with pytest.raises(StoreError):
        session.play("[reflection] So Saturdays are the worst.")
    assert len(session.exchanges) == 1
    refused.clear()
    session.play("[reflection] So Saturdays are the worst.")
    turns = store.session(session.session_id).turns
    assert [t.speaker for t in turns] == ["buyer", "rep", "buyer", "rep", "buyer"]
    assert turns[2].text == ex.buyer.text and turns[2].revealed == ("ovens",)
    assert session.save_error is None


def test_finishing_after_a_store_error_retries_and_stores_the_unsaved_reply(scenario, store, monkeypatch):
    from coach.store import StoreError

    session = PracticeSession(scenario, ScriptedAnalyzer(), store=store)
    real_add, real_finish = store.add_turn, store.finish_session

    def refuse(*args, **kwargs):
        raise StoreError("coach.db: database is locked by another program")

    monkeypatch.setattr(store, "add_turn", lambda sid, **kw: refuse() if kw["speaker"] == "buyer" else real_add(sid, **kw))
    session.play("[open_question curiosity] What happens when the ovens break down?")
    monkeypatch.setattr(store, "finish_session", refuse)
    with pytest.raises(StoreError):
        session.finish()
    assert not store.session(session.session_id).finished

    monkeypatch.setattr(store, "add_turn", real_add)
    monkeypatch.setattr(store, "finish_session", real_finish)
    card = session.finish()
    final = store.session(session.session_id)
    assert final.finished and final.score == card.total
    assert [t.speaker for t in final.turns] == ["buyer", "rep", "buyer"]


def test_the_reps_words_are_stored_before_any_analysis(tmp_path, scenario):
    """Nothing typed is lost: say() commits the words at once, so another
    connection (or the app after kill -9) sees them before the analyser ran."""
    import sqlite3

    from coach.store import open_store

    path = tmp_path / "coach.db"
    session = PracticeSession(scenario, None, store=open_store(path))  # the analyser is still loading
    session.say("What happens when the ovens break down?")
    other = sqlite3.connect(path)
    rows = other.execute("select speaker, text, analysed from turns order by idx").fetchall()
    assert rows[-1] == ("rep", "What happens when the ovens break down?", 0)


def test_a_session_resumes_and_answers_the_turns_typed_before_it_closed(scenario, store):
    first = PracticeSession(scenario, ScriptedAnalyzer(), store=store, seed=3)
    played = first.play("[open_question curiosity] What happens when the ovens break down?")
    first.say("[open_question curiosity] And how is hiring bakers going?")  # stored; the app closed before the reply
    record = store.session(first.session_id)
    assert [t.speaker for t in record.turns] == ["buyer", "rep", "buyer", "rep"]
    assert record.turns[-1].analysed is None

    again = PracticeSession.resume(record, None, store=store)
    late = again.say("[reflection] So Saturdays are the worst.")  # typed while the analyser loads
    unanswered = again.attach(ScriptedAnalyzer())
    assert [p.text for p in unanswered] == ["[open_question curiosity] And how is hiring bakers going?"]
    assert again.exchanges[0].buyer.move == played.buyer.move  # the replay is the same buyer
    for pending in [*unanswered, late]:
        again.complete(d := again.respond(pending), again.speak(d))
    turns = store.session(first.session_id).turns
    assert [t.speaker for t in turns] == ["buyer", "rep", "buyer", "rep", "rep", "buyer", "buyer"]
    assert all(t.analysed is not None for t in turns if t.speaker == "rep")
