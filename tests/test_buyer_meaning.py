"""The buyer matches turns to topics by meaning (the analyser's encoder), not shared words,
and tells a question about this buyer from one that would fit any buyer."""

from __future__ import annotations

import re

import pytest

from coach.analysis.language import content_stems
from coach.buyer.testing import ScriptedAnalyzer
from coach.engine import PracticeSession
from coach.scenario import load_scenario_text

from test_buyer import SCENARIO  # noqa: E402  (tests/ is on sys.path under pytest)


@pytest.fixture(scope="module")
def encoder():
    from coach.analysis.analyzer import Analyzer

    return Analyzer.load()


@pytest.fixture
def session(encoder):
    scenario = load_scenario_text(SCENARIO, "test.yaml")
    return PracticeSession(scenario, ScriptedAnalyzer(encoder=encoder), seed=0)


@pytest.mark.parametrize(
    ("line", "discovery"),
    [
        ("If the baking equipment fails on a busy day, what does that do to you?", "ovens"),
        ("How easy is it to find people who want to work for you these days?", "staffing"),
    ],
)
def test_a_paraphrase_with_no_shared_words_is_matched_by_meaning(session, line, discovery):
    d = session.scenario.discovery(discovery)
    vocabulary = content_stems(" ".join([d.topic, *d.examples]))
    assert not content_stems(line) & vocabulary, "the paraphrase must not share content words"
    ex = session.play("[open_question curiosity] " + line)
    assert ex.move.asked_about == (discovery,)


def test_an_unrelated_question_matches_no_discovery(session):
    ex = session.play("[open_question curiosity] What's the weather been like?")
    assert ex.move.asked_about == () and ex.move.kind == "surface"


def test_explain_says_a_turn_about_nothing_once(session):
    """--explain printed "about nothing the buyer knows (about nothing the
    buyer knows)": the match's own account repeated the topic's name."""
    from coach.cli.simulate import explain_move

    ex = session.play("[open_question curiosity] How do you handle the parking for your delivery vans?")
    assert ex.move.topic.kind == "none", ex.move.topic
    first = explain_move(ex)[0]
    assert first.count("nothing the buyer knows") == 1, first


def test_a_generic_question_is_told_from_a_specific_one(session):
    generic = session.play("[open_question curiosity] What are your goals for this year?")
    assert not generic.move.specific and generic.revealed == ()
    specific = session.play("[open_question curiosity] What happens to your Saturday trade when an oven dies?")
    assert specific.move.specific


def test_the_question_not_the_reflection_before_it_decides_the_topic(session):
    ex = session.play("[reflection open_question curiosity] So the ovens have let you down. How is hiring bakers going?")
    assert ex.move.asked_about == ("staffing",)


def test_a_proposed_next_step_is_recognised_in_other_words(session):
    session.director.state.trust = 70
    ex = session.play("[closed_question mutual_success] Could I come by and see the kitchen with your lead baker soon?")
    assert ex.move.kind == "accept" and ex.ended


def test_a_short_ask_that_leans_on_the_sentence_before_is_read_with_it(session):
    """'What's behind that?' alone fits any buyer; after 'You mentioned the
    early shifts are hard to fill.' it asks about staffing."""
    session.director.state.trust = 70
    ex = session.play("[open_question curiosity] You mentioned the early shifts are hard to fill. What's behind that?")
    assert ex.move.asked_about == ("staffing",) and ex.revealed == ("staffing",)


def test_how_it_went_leans_on_the_sentence_that_names_it(session):
    """Round 32: "So the pilot's wrapped up. How did it go from your point of
    view?" was read alone, as a generic prompt, and got "Honestly, mostly
    planning for the spring work."."""
    session.director.state.trust = 70
    ex = session.play("[open_question curiosity] So the early shifts started last month. How did it go from your point of view?")
    assert ex.move.asked_about == ("staffing",), ex.move.reasons


def test_how_you_felt_it_went_leans_on_the_sentence_that_names_it(session):
    """Round 40: "I think the pilot went really well from our side. How did you
    feel it went?" got the same generic "mostly planning for the spring work"."""
    session.director.state.trust = 70
    ex = session.play("[open_question curiosity] I think the early shifts went well from our side. How did you feel it went?")
    assert ex.move.asked_about == ("staffing",), ex.move.reasons


def test_a_question_put_again_as_a_statement_is_what_the_turn_asks(session):
    """Round 40: "Sorry, send what over? I was asking which of our lines you
    think are weakest on margin per metre." was read by its echo alone and
    got "In a way, yes."."""
    session.director.state.trust = 70
    ex = session.play("[closed_question follow_up] Sorry, come again? I was asking what makes the early shifts so hard to fill.")
    assert ex.move.asked_about == ("staffing",), ex.move.reasons


def test_a_short_ask_about_those_leans_on_the_sentence_before_whatever_its_verb(session):
    """Round 34: "You said except the slow imports. What goes wrong with
    those?" was read alone ("wrong" is a word of its own) and got a generic
    "Busy. It's always busy before the building season."."""
    session.director.state.trust = 70
    ex = session.play("[open_question curiosity] You said the early shifts are the hard ones. What goes wrong with those?")
    assert ex.move.asked_about == ("staffing",), ex.move.reasons


def test_a_question_after_a_short_pointer_at_its_topic_is_read_with_it(session):
    """Round 43: "You mentioned the board. What's the conversation been like
    with them since the outage...?" was read without its pointer, as a question
    about nothing the buyer knows ("I'd need to think that one through.")."""
    session.director.state.trust = 70
    ex = session.play("[open_question curiosity] You mentioned your bakers. What's it been like with them since the spring?")
    assert ex.move.asked_about == ("staffing",), ex.move.reasons


def test_a_turn_that_also_asks_openly_is_not_taken_as_asking_for_a_fact(encoder):
    """Round 44: "So what does the board get from it today? Is it the minutes,
    a report, or someone signing off that payroll ran clean?" is labelled a
    closed question, and a closed question asks for a fact: it got the
    service-record fact, "Right every month since the error two years ago.".
    Its first question asks openly what the board gets."""
    from coach.scenario import builtin_scenarios, load_scenario

    path = next(p for p in builtin_scenarios() if p.stem == "renewal-say-no")
    s = PracticeSession(load_scenario(path), encoder, seed=0)
    s.director.state.trust = 60
    ex = s.play("So what does the board get from it today? Is it the minutes, a report, or someone signing off that "
                "payroll ran clean?")
    assert (ex.move.topic.kind, ex.move.topic.id) == ("discovery", "board-trust"), ex.move.reasons


def test_a_fact_is_told_only_for_a_question_close_to_it(session):
    """'How many customers come in on a weekday?' is near the shops-and-loaves
    fact (0.59) but asks something else: the buyer must not answer with loaves."""
    ex = session.play("[closed_question] How many customers come in on a weekday?")
    assert ex.move.kind == "unknown" and ex.move.fact is None
    ex = session.play("[closed_question] How many loaves do you bake on a Saturday?")
    assert ex.move.kind == "answer" and ex.move.fact == "shops"


def test_a_proposal_that_is_not_the_next_step_is_neither_checked_nor_agreed(session):
    session.director.state.trust = 70
    ex = session.play("[closed_question] Shall we grab lunch sometime?")
    assert ex.move.kind == "consider" and not ex.ended


def test_a_question_asking_their_view_is_not_answered_with_i_would_have_to_check(session):
    ex = session.play("[closed_question] Do you think flour prices will settle?")
    assert ex.move.kind == "surface"


def test_one_shared_word_does_not_make_a_far_question_ask_for_a_fact(encoder):
    """'Did the closed rooms cost you more than the saving?' shares 'rooms'
    with the hotels-and-rooms fact (0.38 in meaning) and asks something else."""
    from coach.scenario import builtin_scenarios, load_scenario

    path = next(p for p in builtin_scenarios() if p.stem == "hotel-laundry-price")
    s = PracticeSession(load_scenario(path), ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[closed_question follow_up] Did the closed rooms cost you more than the saving?")
    assert ex.move.fact is None


def test_a_question_on_what_they_just_told_goes_on_with_it(encoder):
    """'Where do the six weeks actually go?' is far from the discovery's
    examples, but takes up 'six weeks' from the buyer's last answer: it is
    about that answer, not about nothing (the buyer had answered with small
    talk). Matched by the answer's own words and meaning, or else because it
    builds on the last answer."""
    s = _session(encoder, "finserv-interview-fatigue", trust=60)
    told = s.play("[open_question curiosity] How do new families experience their first few weeks with Ashgrove?")
    assert told.revealed == ("lost-families",) and "ix weeks" in told.buyer.text
    ex = s.play("[open_question curiosity follow_up empathy reflection] Two families and a hundred million gone to "
                "someone who did it in a fortnight. That must have stung. Where do the six weeks actually go?")
    assert ex.move.topic.id == "lost-families" and ex.move.kind == "elaborate"


def test_a_reflection_then_a_new_question_is_not_pulled_back_to_the_last_answer(encoder):
    """The reflection carries their words; the question asks something new, so
    the buyer must not go on about the last answer because of the reflection."""
    from coach.scenario import builtin_scenarios, load_scenario

    path = next(p for p in builtin_scenarios() if p.stem == "warehouse-no-forecasts")
    s = PracticeSession(load_scenario(path), ScriptedAnalyzer(encoder=encoder), seed=0)
    first = s.play("[open_question curiosity] How do you decide when a line needs restocking?")
    assert first.revealed == ("by-eye",)
    assert "lorry takes three months" in first.buyer.text
    ex = s.play("[open_question curiosity follow_up reflection] So it works fine until the lorry takes three months. "
                "What happens when one of those runs dry?")
    assert ex.analysed.uptake.carried
    assert ex.move.topic.id != "by-eye" and ex.move.kind != "elaborate"


def test_the_trainers_own_handling_line_handles_the_objection_whatever_label_it_gets(session):
    """A handling line the scenario wrote, given a self-interested label (the
    analyser reads 'cost' as money), still handles the concern; the same words
    with pressure do not."""
    session.director.state.trust = 75
    assert session.play("[pitching] Our ovens come with a five-year guarantee.").move.kind == "object"
    ex = session.play("[open_question self_interested] What happened with the last supplier when the oven died?")
    assert ex.move.kind == "concede"


def test_pressure_never_handles_an_objection(session):
    session.director.state.trust = 75
    session.play("[pitching] Our ovens come with a five-year guarantee.")
    ex = session.play("[open_question pressure] What happened with the last supplier when the oven died?")
    assert ex.move.kind != "concede"


def test_a_short_proposal_is_read_with_what_it_offers_in_the_sentence_before(session):
    """'Shall we put a date in?' alone offers nothing; after 'Next week we come
    and look at the ovens with your head baker.' it is the next step."""
    session.director.state.trust = 70
    ex = session.play("[closed_question mutual_success] Then next week we come to the bakery and look at the ovens "
                      "with your head baker. Shall we put a date in?")
    assert ex.move.kind == "accept" and ex.ended


def test_would_it_help_to_is_a_proposal(session):
    session.director.state.trust = 70
    ex = session.play("[closed_question] Would it help to visit the bakery next week and look at the ovens with your head baker?")
    assert ex.move.kind == "accept"


@pytest.mark.parametrize(("line", "agreed"), [
    # Round 38: "Would a working session next week ... be a sensible first step?" got a concern about vendors'
    # pitches at trust 97, the meeting unanswered.
    ("[closed_question] Would a morning at the bakery next week with your head baker be a sensible first step?", True),
    # Round 40: "So would the demo for the union rep and drivers be worth setting up, say next week?"
    ("[closed_question] So would the demo for your head baker be worth setting up?", True),
    # The outage scenario's own consultative test ended on "Then let's make it one of the post-mortem actions:
    # ... half a day next week.", and got the shared-success reaction.
    ("[mutual_success] Then let's make it part of the oven review: you and your head baker, a morning next week.", True),
    # Round 41: "So is next Monday all right for me to come by, or would the one after suit you better?" got
    # a told story's line on Mondays.
    ("[closed_question] So is next Tuesday all right for me to come by with your head baker and look at the ovens, "
     "or would the week after suit you better?", True),
    ("[closed_question] Is there a next step you'd want?", False),
    ("[follow_up] Let's talk about the ovens themselves.", False),
])
def test_a_step_proposed_in_other_words_is_agreed_by_a_warm_buyer(session, line, agreed):
    session.director.state.trust = 70
    ex = session.play(line)
    assert (ex.move.kind == "accept") is agreed, ex.move.reasons


def test_an_offer_made_as_a_choice_is_not_answered_yes(session):
    """Round 41: "Would it help if I wrote to Grace directly with that offer,
    or would you rather raise it with her first yourself?" got "Yes, I'd find
    that useful."."""
    from coach.buyer.director import DEFAULT_LINES

    session.director.state.trust = 70
    ex = session.play("[closed_question] Would it help if I sent your accountant our price list, "
                      "or would you rather show it to her yourself?")
    assert ex.move.kind == "consider" and ex.buyer.text in DEFAULT_LINES["consider_choice"], ex.move.reasons


def test_a_part_of_a_two_part_question_is_matched_when_the_whole_is_near_nothing(encoder):
    """Round 38: '...When you decide who helps you get there in a quarter, what
    will you be weighing, and who else has a say?' is 0.26 from how the IT
    director decides (nearer nothing), and got the told story's next line; its
    last part asks who else has a say."""
    s = _session(encoder, "it-director-outage", trust=80)
    ex = s.play("[open_question curiosity] That's a hard spot: you called it, lost the argument, and now you're the "
                "one answering for it. When you decide who helps you get there in a quarter, what will you be "
                "weighing, and who else has a say?")
    assert ex.move.topic.id == "decision-process" and ex.move.kind == "reveal"
    assert "decision-process" in ex.revealed


def test_a_budget_question_is_not_answered_with_the_nearest_fact(encoder):
    """Asked for the seller's sake, a fact is told only for a question plainly
    about it: the budget for linen is not the tonnes of linen a week."""
    from coach.scenario import builtin_scenarios, load_scenario

    path = next(p for p in builtin_scenarios() if p.stem == "hotel-laundry-price")
    s = PracticeSession(load_scenario(path), ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[closed_question self_interested] What's your budget for linen next year?")
    assert ex.move.fact is None
    ex = s.play("[closed_question self_interested] When does the new contract begin?")
    assert ex.move.kind == "answer" and ex.move.fact == "tender-timing"


def _builtin(stem: str):
    from coach.scenario import builtin_scenarios, load_scenario

    return load_scenario(next(p for p in builtin_scenarios() if p.stem == stem))


def _session(encoder, stem: str, *, seed: int = 0, trust: float | None = None, discovered=()) -> PracticeSession:
    """A practice session on built-in scenario ``stem`` with the buyer's trust
    and the discoveries already told set as a test needs them."""
    s = PracticeSession(_builtin(stem), ScriptedAnalyzer(encoder=encoder), seed=seed)
    if trust is not None:
        s.director.state.trust = trust
    s.director.state.discovered.extend(discovered)
    return s


def _rated(encoder, session_id: str, scenario: str) -> tuple[PracticeSession, list[str]]:
    """A fresh session on ``scenario`` and the rep lines of a rated session
    kept in benchmarks/ratings (``session_id`` such as "hs21_b"), to replay
    them as the rater played them (seed 0)."""
    from pathlib import Path

    rnd = re.search(r"\d+", session_id).group()
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "ratings" / f"round{rnd}" / "scripts" / f"{session_id}.txt"
    lines = [x for x in script.read_text().splitlines() if x.strip()]
    return PracticeSession(_builtin(scenario), encoder, seed=0), lines


@pytest.mark.parametrize(
    ("stem", "line", "fact"),
    [
        # Examples say "people" and "staff"; the answer is "Five lads and me."
        ("warehouse-no-forecasts", "How many lads work the racks with you?", "warehouse-staff"),
        # Examples say "how long have you run"; the answer is "I started on the counter."
        ("warehouse-no-forecasts", "When did you start here?", "stavros-tenure"),
    ],
)
def test_a_fact_asked_in_the_words_of_its_answer_is_answered(encoder, stem, line, fact):
    s = PracticeSession(_builtin(stem), ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[closed_question] " + line)
    assert ex.move.kind == "answer" and ex.move.fact == fact


def test_a_question_near_a_discoverys_answer_is_about_that_discovery(encoder):
    """'Which board meeting would this go to?' is 0.33 from the sign-off
    examples ("Who else needs to approve this?") and near the buyer's own
    answer about the board: it is about the sign-off path, not the pilot."""
    s = PracticeSession(_builtin("fleet-pilot-close"), ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[open_question curiosity] Which board meeting would this go to, and what does finance need before it?")
    assert ex.move.topic.kind == "discovery" and ex.move.topic.id == "sign-off-path"


def test_a_question_as_near_the_pressed_concern_as_a_discovery_answers_the_concern(encoder):
    """After 'we bought one in 2019 and the nurses abandoned it', asking what
    went wrong is near both the concern and the failed-rollout discovery: the
    buyer hears it as the answer to the concern they are waiting on, and,
    settled, tells the story it asked for."""
    s = PracticeSession(_builtin("hospital-bed-objections"), ScriptedAnalyzer(encoder=encoder), seed=0)
    raised = s.play("[open_question curiosity follow_up reflection] Thanks for seeing me. You said Kingsmere has been "
                    "here before. I'd like to hear about that before I say anything. What happened?")
    assert raised.move.kind == "object"
    ex = s.play("[open_question curiosity follow_up] That's a fair question to put to me, and I can't answer it "
                "honestly until I know what went wrong. What went wrong with it, as you saw it?")
    assert ex.move.kind == "concede" and s.director.state.objections[raised.move.objection] == "handled"
    assert ex.revealed == ("failed-rollout",) and "ward sisters" in ex.buyer.text


def _voiced_in_place_of_the_story(encoder) -> PracticeSession:
    """Ruth opens with 'we've been here before'. 'I hear you've had a bed
    system before. What happened with it?' is as near her 2019 concern as the
    failed-rollout story, which at trust 38 she would not tell: she got 'That's
    history. I'm more interested in what you'd do differently.', a brush-off of
    what she had just brought up. She voices the concern instead."""
    s = PracticeSession(_builtin("hospital-bed-objections"), ScriptedAnalyzer(encoder=encoder), seed=0)
    voiced = s.play("[open_question curiosity follow_up empathy] Thanks for meeting me. I hear you've had a bed "
                    "system before. What happened with it?")
    assert voiced.move.kind == "object" and voiced.move.objection == "tried-before"
    assert "2019" in voiced.buyer.text and not voiced.revealed
    return s


def test_a_question_on_the_story_behind_an_unvoiced_concern_voices_it_before_trust_allows_the_story(encoder):
    """After the concern voiced in place of the story, the next question on
    'that rollout' goes on with the story, not with a prompt about nothing."""
    ex = _voiced_in_place_of_the_story(encoder).play(
        "[open_question curiosity follow_up] That's a fair challenge. I can't honestly tell you what we'd do "
        "differently without knowing what went wrong. If I guessed, I'd just be pitching. What's the one "
        "thing about that rollout you'd never want repeated?")  # round 24: the story, at trust 44
    assert ex.move.topic.id == "failed-rollout" and ex.revealed == ("failed-rollout",)


def test_a_question_on_the_concern_voiced_in_place_of_a_story_gets_the_story(encoder):
    """Walked by hand after the change above: 'What went wrong, from where you
    sat?', right after Ruth voiced the 2019 concern in place of the story,
    got the concession alone ('Fair enough. That's more than the last
    supplier gave me.'): it is 0.41 from the failed rollout in meaning, but
    it asks for that story."""
    ex = _voiced_in_place_of_the_story(encoder).play(
        "[open_question curiosity follow_up empathy] That sounds like a hard thing to have lived through. "
        "What went wrong, from where you sat?")
    assert ex.move.kind == "concede" and ex.revealed == ("failed-rollout",)


def test_a_plain_fact_in_its_own_words_is_answered_even_if_labelled_self_interested(encoder):
    """The analyser marked 'When did Northgate start using Tallyhouse?' as
    self-interested and the buyer snapped ('That sounds like your problem more
    than mine.'): near the customer-since fact and in its words, it is a plain
    fact, answered after the buyer's reaction."""
    s = PracticeSession(_builtin("renewal-say-no"), ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[closed_question self_interested] When did Northgate start using Tallyhouse?")
    assert ex.move.kind == "answer" and ex.move.fact == "customer-since"


def test_a_concern_the_rep_already_asked_about_is_not_voiced_as_news(encoder):
    """Ruth's 2019 objection falls due at turn 1 but waits for a turn that asks
    nothing real; the rep asked about 2019 at turn 2 and heard the story, so at
    turn 3 'Let me save us some time. We bought a system in 2019...' told them
    what they had just heard (rated 0 by a coach)."""
    s = PracticeSession(_builtin("hospital-bed-objections"), ScriptedAnalyzer(encoder=encoder), seed=0)
    s.play("[open_question curiosity] Fair enough, and I'd rather not waste your half hour. "
           "When you say you've been here before, what happened last time?")
    told = s.play("[open_question curiosity follow_up empathy] Bed meetings all week sounds exhausting. But I'm "
                  "curious about the 2019 project specifically, what did you try and why didn't it stick?")
    assert told.revealed == ("failed-rollout",)
    for line in ("[open_question curiosity follow_up reflection] An expensive screensaver. So the nurses were "
                 "expected to keep it up to date on top of everything else. How did the ward sisters take it?",
                 "[empathy] That's a lot to have been through."):
        ex = s.play(line)
        assert ex.move.objection != "tried-before" and "Let me save us some time" not in ex.buyer.text


def test_a_sharper_question_on_a_told_story_gets_the_line_that_answers_it(encoder):
    """'Is it mostly the pharmacy or the transport that eats the day?' after
    the discharge story got 'If we moved discharges before noon...' (a line
    picked at random); the buyer's more-lines are now said nearest first."""
    s = _session(encoder, "hospital-bed-objections", trust=70)
    told = s.play("[open_question curiosity] Where does the flow really jam up?")
    assert told.revealed == ("discharge-delays",)
    ex = s.play("[closed_question curiosity follow_up] Ten till five, times thirty wards. Is it mostly the pharmacy "
                "or the transport that eats the day?")
    assert ex.move.kind == "elaborate" and ex.buyer.text.startswith("Pharmacy closes")


def test_a_close_in_a_facts_words_is_not_answered_as_the_fact(encoder):
    """'So can I put you down for the three-year agreement?' got 'Let's not
    start with what you need from me. Three years, ending on the last day of
    March.': the buyer recited the contract term to a push to sign."""
    s = PracticeSession(_builtin("renewal-unprofitable-growth"), ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[closed_question follow_up self_interested] Sure, the orders work the same as now, just with "
                "priority. So can I put you down for the three-year agreement? I can have the paperwork over this afternoon.")
    assert ex.move.kind != "answer" and ex.move.fact is None


def test_a_real_question_the_scenario_cannot_answer_is_not_met_with_small_talk(encoder):
    """'What would you need from us to make the case internally?' got 'Honestly,
    mostly planning for the spring work.' (the answer to 'How's business?').
    (That question now gets the concern the buyer voices at a next step; a
    question on the rollout's schedule, which the scenario does not settle,
    stands in for it.)"""
    from coach.buyer.director import DEFAULT_LINES
    from coach.scenario import builtin_scenarios, load_scenario

    fleet = load_scenario(next(p for p in builtin_scenarios() if p.stem == "fleet-pilot-close"))
    s = PracticeSession(fleet, ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[open_question curiosity follow_up] Sorry, I didn't mean to rush you. "
                "How would you want the installs scheduled across the four depots so they don't hurt the jobs?")
    assert ex.move.kind == "surface" and ex.move.topic.kind == "none" and ex.move.specific
    assert ex.buyer.text in DEFAULT_LINES["unworked"]
    generic = s.play("[open_question curiosity] What are your goals this year?")
    assert generic.move.topic.kind == "generic" and generic.buyer.text not in DEFAULT_LINES["unworked"]


@pytest.mark.parametrize("line", [
    "Good to see you, Marcus. Before we talk prices, how are things going at Fernhill?",
    # round 29: "I'd need to think that one through."
    "Good to see you, Marcus. Before we talk prices, can you tell me how the year's been going for Fernhill?",
])
def test_how_things_have_been_is_answered_with_how_things_are_not_with_i_am_working_it_out(encoder, line):
    """Round 15: "Before we talk prices, how are things going at Fernhill?"
    got "That's what I'm still working out." (rated 0): how things have been
    is no question to work out; the scenario's own answer to an open
    question says how they are."""
    from coach.buyer.director import DEFAULT_LINES

    sc = _builtin("renewal-unprofitable-growth")
    s = PracticeSession(sc, ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[open_question curiosity] " + line)
    assert ex.move.kind == "surface" and ex.move.topic.kind in ("none", "generic")
    assert ex.buyer.text not in DEFAULT_LINES["unworked"] and ex.buyer.text in sc.reactions.open_question


def test_how_it_has_been_is_answered_with_a_fact_the_scenario_asks_for_that_way(encoder):
    """Rounds 26, 27 and 29: "How has Tallyhouse been working for you this
    past year?" got "Honestly, mostly the renewal and the board papers at
    the moment." (rated 0 each time), though renewal-say-no's service-record
    fact is asked "How has payroll been running for you?". A fact the
    trainer asks for that way answers how things have been; others still do
    not (above)."""
    s = PracticeSession(_builtin("renewal-say-no"), ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[open_question curiosity] Hi Gareth, good to hear from you. Before we talk numbers, how has Tallyhouse "
                "been working for you this past year?")
    assert ex.move.kind == "answer" and ex.move.fact == "service-record", ex.move.reasons


@pytest.mark.parametrize("line", [
    "Right, so two of the four depots. For the other two, what worries you most about rolling out there, "
    "is it the installs, the people, or something about how those depots run?",
    "So from your side, what would you change or want to see done differently before going fleet-wide?",
])
def test_a_question_for_the_buyers_view_is_not_answered_with_a_plain_fact(encoder, line):
    """Round 16: "what worries you most about rolling out there?" got "Three
    hundred vans and about sixty plant vehicles, from four depots.", and
    "what would you change...?" the buyer's CV: rated 0. A fact answers a
    question for a view only if its own examples ask one."""
    s = _session(encoder, "fleet-pilot-close", trust=70)
    ex = s.play(f"[open_question curiosity] {line}")
    assert ex.move.topic.kind != "fact" and ex.move.kind != "answer", ex.move.reasons
    assert s.play("[closed_question] How many vans are in the fleet?").move.kind == "answer"


def _board_told(encoder):
    """A renewal-say-no session at trust 70 in which Gareth has told why the
    weekly meeting exists and what the board needs (a quarterly assurance
    report for Ann); and his reply on the board."""
    s = _session(encoder, "renewal-say-no", trust=70)
    s.play("[open_question curiosity] Before we talk numbers, what does the weekly meeting actually give you?")
    told = s.play("[open_question curiosity empathy follow_up] Nobody wants to live through that twice. "
                  "Who on the board needs to feel that payroll is under control, and what would give them that?")
    return s, told


def test_a_concern_answered_before_it_is_voiced_is_not_voiced(encoder):
    """Round 16: the buyer said a quarterly assurance report for Ann would make
    the weekly meeting "the first thing I'd drop"; the rep proposed exactly
    that and got "That weekly meeting is the reason my board trusts payroll
    again. I'm not giving it up lightly." A concern the turn answers in the
    buyer's own terms is settled, whenever it would have been voiced."""
    s, told = _board_told(encoder)
    assert told.move.kind == "reveal" and "quarterly assurance report" in told.buyer.text
    ex = s.play("[closed_question follow_up mutual_success pitching] Then here's what I'd propose. We stop the weekly "
                "meeting and replace it with a written quarterly assurance report for Ann's audit committee, plus a short "
                "monthly check-in call. Would that give you what you need in front of the board?")
    # (Read as a proposal, it may meet the next step's own concern, the saving for finance.)
    assert ex.move.objection != "keep-the-meeting" and "trusts payroll again" not in ex.buyer.text, ex.move.reasons
    assert s.director.state.objections.get("keep-the-meeting") in (None, "handled")
    again, _ = _board_told(encoder)
    asked = again.play("[closed_question follow_up] So we'd stop the weekly meeting and the free custom reports, and "
                       "Ann would get a written quarterly assurance report. How would the board take that?")
    assert asked.move.kind != "object" and "trusts payroll again" not in asked.buyer.text, asked.move.reasons


def test_a_no_said_before_another_question_is_heard(encoder):
    """Round 26: "I should be upfront: the weekly meeting and the free custom
    reports take five of our people..., and we can't keep providing them for
    free at the current price. What's driving the request for fifteen percent
    off?" got the funding cut, and the no was never heard (rated 1: "ignores
    the plain no"). A concern the rep brings up in a statement is voiced, and
    the question is answered too; the no itself does not settle it."""
    s = PracticeSession(_builtin("renewal-say-no"), ScriptedAnalyzer(encoder=encoder), seed=0)
    s.play("[open_question curiosity] How has the weekly meeting been going for you?")
    ex = s.play("[open_question curiosity] Understood. I should be upfront: the weekly meeting and the free custom "
                "reports take five of our people and a lot of hours, and we can't keep providing them for free at the "
                "current price. What's driving the request for fifteen percent off?")
    assert ex.move.kind == "object" and ex.move.objection == "keep-the-meeting", ex.move.reasons
    assert ex.revealed == ("budget-squeeze",) and "six percent" in ex.buyer.text
    assert s.director.state.open_objection == "keep-the-meeting"
    # A statement near the concern that answers it, in what the buyer told, still settles it unvoiced.
    again, _ = _board_told(encoder)
    settled = again.play("[open_question mutual_success] The weekly meeting and the free custom reports stop. We'd "
                         "build Ann a written quarterly assurance report instead, signed by our payroll lead. "
                         "What's behind the fifteen percent?")
    assert settled.move.objection != "keep-the-meeting" and "trusts payroll again" not in settled.buyer.text, \
        settled.move.reasons


def test_asked_what_worries_them_about_the_deal_the_buyer_voices_the_concern_they_hold(encoder):
    """Round 29 (fleet): "Is there anything in the proposal itself, the three
    years or the price, that you're not comfortable with?" got "It's a mix of
    the two." (a yes or no the scenario does not answer), and the three-year
    concern came a turn later, unasked. A question for their worries about
    nothing else they know is answered with the concern they hold; a worry
    question about a hidden fact still asks for the fact."""
    s = _session(encoder, "fleet-pilot-close", trust=90)
    ex = s.play("[closed_question curiosity] Okay. Is there anything in the proposal itself, the three years or the "
                "price, that you're not comfortable with?")
    assert ex.move.kind == "object" and ex.move.objection == "contract-length", ex.move.reasons
    other = PracticeSession(_builtin("fleet-pilot-close"), ScriptedAnalyzer(encoder=encoder), seed=0)
    other.director.state.trust = 90
    drivers = other.play("[open_question curiosity] What worried the drivers about having the vans tracked during the pilot?")
    assert drivers.move.kind != "object" and drivers.move.asked_about == ("driver-unease",), drivers.move.reasons


def test_a_question_that_names_one_word_of_a_settled_concern_gets_no_concession(encoder):
    """Round 16: "who else is involved in signing off the renewal, and when do
    you need a decision by?" got "No weekly meeting, three standard reports a
    month, and a lower price for that." (the settled saving concern's
    concession, a deal nobody had offered). Talking about the concern again
    still gets it."""
    s = _session(encoder, "renewal-say-no", trust=76)
    s.director.state.objections["still-need-saving"] = "handled"
    ex = s.play("[closed_question] OK. Just so I have the full picture before we put a proposal together: who else is "
                "involved in signing off the renewal, and when do you need a decision by?")
    assert ex.move.kind != "concede", ex.move.reasons
    again = s.play("[open_question curiosity] On the saving you need to show finance, how big does the saving on the "
                   "renewal have to be for finance?")
    assert again.move.kind == "concede", again.move.reasons


def test_a_fact_whose_figures_the_rep_already_says_is_not_the_answer(encoder):
    """Round 15: "Right, and of those hundred and forty, how many would you say
    are out of stock on any given day?" got "As I said, about three thousand
    lines. A hundred and forty of them are yours." (rated 0); round 16: "is the
    hundred and fifty thousand a year in the proposal within the budget?" got
    the proposal read back. A turn that says a fact's figures knows it."""
    from coach.buyer.director import DEFAULT_LINES

    s = PracticeSession(_builtin("warehouse-no-forecasts"), ScriptedAnalyzer(encoder=encoder), seed=0)
    told = s.play("[closed_question] How many product lines do you carry, roughly?")
    assert told.move.fact == "range" and "hundred and forty" in told.buyer.text
    ex = s.play("[closed_question follow_up] Right, and of those hundred and forty, how many would you say are out "
                "of stock on any given day?")
    assert ex.move.fact != "range" and not ex.buyer.text.startswith(tuple(DEFAULT_LINES["told_all"])), ex.move.reasons
    assert "three thousand" not in ex.buyer.text
    fleet = PracticeSession(_builtin("fleet-pilot-close"), ScriptedAnalyzer(encoder=encoder), seed=0)
    fleet.director.state.trust = 74
    ex = fleet.play("[closed_question] On the commercial side, is the hundred and fifty thousand a year in the proposal "
                    "within the budget you've got, or is that going to be a sticking point?")
    assert ex.move.fact != "proposal", ex.move.reasons
    assert fleet.play("[open_question] What did our proposal come to, in the end?").move.fact == "proposal"


def test_a_statement_asked_as_a_question_is_not_met_with_a_missing_figure(encoder):
    """Rounds 11 and 14: "Honestly, before I tell you anything about us, I'd
    rather hear how things look from your side. I gather a fair bit has
    changed since the autumn?" got "Not off the top of my head." (rated 0),
    the answer to a figure nobody asked for."""
    from coach.buyer.director import DEFAULT_LINES

    s = PracticeSession(_builtin("retail-shifting-agenda"), ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[closed_question curiosity] Thanks for making the time, Priya. Honestly, before I tell you anything "
                "about us, I'd rather hear how things look from your side. I gather a fair bit has changed since the autumn?")
    assert ex.buyer.text not in s.scenario.reactions.unknown, ex.move.reasons
    if ex.move.kind == "unknown":
        assert ex.buyer.text in DEFAULT_LINES["declarative"]
    assert s.play("[closed_question] What's the date of the range review?").move.kind == "answer"


def test_a_yes_or_no_about_the_past_is_not_met_with_i_have_not_thought_about_it(encoder):
    """Round 17: "Have you looked at any tools for this before, or would this
    be the first time?" got "Possibly. I haven't really thought about it."
    from a buyer whose firm had bought one (rated 0); round 13: "Has that
    ever gone wrong for you?" the same. The buyer was there."""
    from coach.buyer.director import DEFAULT_LINES

    s = _session(encoder, "finserv-interview-fatigue", trust=66)
    ex = s.play("[closed_question] Have you looked at any tools for the chasing side before, or would this be the first time?")
    assert ex.buyer.text not in DEFAULT_LINES["unsure"], ex.move.reasons
    now = s.play("[closed_question] Are the Bath advisers on the same document checklist as Edinburgh?")
    assert now.buyer.text not in DEFAULT_LINES["untold"], now.move.reasons


def test_a_question_near_an_untold_story_gets_its_surface_not_a_dodge(encoder):
    """Round 17: "I heard about the outage last month... What happened, from
    where you sat?" is 0.48 from what failed and why, near nothing enough to
    tell it, and got "I'd need to think that one through." from the woman who
    spent the month explaining it."""
    s = PracticeSession(_builtin("it-director-outage"), ScriptedAnalyzer(encoder=encoder), seed=0)
    story = s.scenario.discovery("root-cause")
    ex = s.play("[open_question curiosity] Thanks for making the time, Dana. I heard about the outage last month, "
                "and I'm more interested in what it was actually like on your side. What happened, from where you sat?")
    assert ex.move.kind == "surface" and ex.buyer.text in [x.say for x in story.surface], ex.move.reasons
    assert ex.revealed == ()


def test_asked_what_they_would_need_first_the_buyer_voices_the_next_step_concern(encoder):
    """Rounds 13-40: "What would you need to see from us first before a demo
    makes sense?" got "Good question. I haven't worked that out yet." from
    buyers with a concern they voice at any next step."""
    s = PracticeSession(_builtin("finserv-interview-fatigue"), ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[open_question curiosity] What would you need to see from me before a follow-up call made sense?")
    assert ex.move.kind == "object" and ex.move.objection == "another-implementation", ex.move.reasons
    assert ex.revealed == ()
    # What it would take others is no question of what the buyer needs (round 39 replayed: the outage's
    # retail customers, "what would it take to get them comfortable again?", got the team-time concern).
    other = PracticeSession(_builtin("it-director-outage"), ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = other.play("[open_question curiosity] Put on notice, that's heavy. What exactly did they tell you, "
                    "and what would it take to get them comfortable again?")
    assert ex.move.kind != "object", ex.move.reasons


@pytest.mark.parametrize(("buyer", "line", "kind"), [
    # round 18: a lead-in asking leave to ask hid what was asked ("That's what I'm still working out.")
    ("We've been here before.", "Thanks for meeting me, Ruth. Can I ask what you tried before and how it went?", "past"),
    # round 18: "Roughly what...?" was read as a statement asked as a question ("Something like that.")
    ("Things run out.", "Roughly what are you spending with us a month at the moment?", "other"),
    # round 16: "Anything I've missed?" after a recap, rated 2 with "Not off the top of my head."
    ("Saturdays matter most.", "Let me check I've got the list: Saturdays, losses and price. Anything I've missed?", "yes_no"),
    ("Since the autumn, yes.", "I gather a fair bit has changed since the autumn?", "declarative"),
    # round 20: "Do you know what caused...?" got "Possibly. I haven't really thought about it."
    ("We were down for two days.", "Do you know what caused the data centre to go down in the first place?", "other"),
    ("It works fine, unless the lorry takes three months.",
     "Three months is a long time. Which of our lines are the worst for that?", "which"),
    # round 32: "that long" is no measure asked for ("About three thousand lines.")
    ("Eleven weeks, door to door.", "Which lines take that long to come in?", "which"),
    # round 21: how things have gone, asked inside another question and after what the rep puts
    # aside, or what fills their days, got "That's what I'm still working out."
    ("Good to see you.", "Hi Marcus. Before we talk prices, can you tell me how the year has gone for Fernhill?",
     "evaluative"),
    ("I'm fine. Busy, but fine.", "When you say busy, what's taking up most of your time these days?", "evaluative"),
    # round 35: what something is like is no figure ("Nine. Three per line.")
    ("Nine compressors, and we log them by hand.", "When a compressor does go down, what does that actually look like "
     "for a line, and for your shift?", "describe"),
    # round 35: a question word at the end asks it ("Something like that.")
    ("It depends, honestly.", "Depends on what, if you don't mind me asking?", "other"),
    # round 34: a who-question that offers its own answers asks who ("Sixty advisers, across London...")
    ("They chase the documents.", "Who's carrying that today - is it the advisers themselves, or is there an ops team "
     "behind them?", "who"),
    # round 37: a tag asking their view is no yes or no ("About three thousand lines.")
    ("Things run out.", "Fair enough. Which of our lines run out most often, would you say?", "which"),
    ("Six weeks, on a good day.", "Is it mostly the paperwork, do you think?", "yes_no"),
    # round 17: what happened, with where from after it ("I'd need to think that one through.")
    ("Thanks for coming.", "I heard about the outage last month. What happened, from where you sat?", "past"),
    # round 11 replayed: a who in a two-part question does not make the other part no question of budget
    ("We have three offices.", "Got it, three offices. Couple of practical ones then: is there budget set aside "
     "for this kind of thing this year, and who would sign off on it?", "other"),
    # round 46: "Could you tell me a bit about how..." asked for no yes or no, and how something is
    # set up for no figure ("Six years here. Nineteen in infrastructure altogether.")
    ("You've got fifteen minutes.", "Could you tell me a bit about how your infrastructure is set up today?", "describe"),
    ("It's all paper.", "How are the advisers organised at the moment?", "describe"),
    # rounds 16, 23 and 42 replayed: how they are weighing the bids asks for no count of them
    ("Price is the headline.", "Can you tell me a bit about how you're evaluating the bids this time?", "describe"),
    ("We're cutting lines.", "How will you decide which lines go?", "describe"),
])
def test_what_a_question_asks_for_is_read_past_its_lead_in(encoder, buyer, line, kind):
    from coach.analysis.rules import RunState
    from coach.buyer.topics import question_kind

    assert question_kind(encoder.analyse_one(line, buyer, RunState())) == kind


def test_a_plan_said_without_a_question_mark_does_not_hide_the_proposal_after_it(encoder):
    """Round 34: the analyser read "I'll send over a one-page outline
    tomorrow - scope, who we'd need from your side and for how long - ..." as
    an open question, so "Does Thursday work to go through it?" was no
    proposal and got a told story's next line at trust 100."""
    from coach.analysis.rules import RunState
    from coach.buyer.topics import proposes

    turn = ("Sounds good. I'll send over a one-page outline tomorrow, scope, who we'd need from your side and for how "
            "long, and how it maps to the customers' review, and you can tell me what to cut. Does Thursday work to go "
            "through it?")
    assert proposes(encoder.analyse_one(turn, "A failover I can show the board.", RunState()))
    asked = "Who would we need from your side, and for how long? Does Thursday work to go through it?"
    assert not proposes(encoder.analyse_one(asked, "A failover I can show the board.", RunState()))


def test_a_topic_named_before_the_question_is_no_question_of_its_own(encoder):
    """Round 33: "What about the rollout itself, across four depots? Is there
    anything about timing or disruption that would worry you?" asks for a
    view; read as two questions, one of them not for a view, it got the
    fleet's size ("Three hundred vans and about sixty plant vehicles...")."""
    from coach.analysis.rules import RunState
    from coach.buyer.topics import asks_view

    named = encoder.analyse_one("What about the rollout itself, across four depots? Is there anything about timing or "
                                "disruption that would worry you?", "Nine percent on fuel.", RunState())
    assert asks_view(named)
    two = encoder.analyse_one("How many vans would it cover? Is there anything about timing that would worry you?",
                              "Nine percent on fuel.", RunState())
    assert not asks_view(two)


@pytest.mark.parametrize("line", [
    "You have, and it's been useful. Here's what I'd suggest: I come and spend a morning on one of your worst wards "
    "with Grace, no slides, and if they don't think it would save them time, we stop there. Would that respect what "
    "you've told me?",
    "That's honest. Tell you what, I'll write it up on one page, just the lines and what we hold, and bring it by on "
    "Thursday. Fair?",
    "So what if you never had to put your name on a number? Say we held a buffer of the slow imported lines in our "
    "yard at our risk, and you call them off as you need. Would that be worth trying on a handful of lines?",
    # round 24: a day put in chat style got "In a way, yes." (read as a statement asked as a question)
    "Great. Tuesday morning work for you, say ten o'clock here at the yard?",
    # round 27: got more of a told story ("The owner's son runs the business now."), rated 0
    "That's on us as much as anyone. What if we did the watching instead: we hold a buffer of your long-lead sealants "
    "in our warehouse and ring you before anything's at risk. No forecast with your name on it. Would something like "
    "that work for you?",
    # round 28: after a lead-in that ends in a colon, and asking what they think of the idea; both got a told story
    "So part of it is just being told when a ship's late. Here's a thought, tell me if it's daft: what if we held a "
    "buffer of your imported lines in our own warehouse, at our risk, and told you straight away if a shipment slipped?",
    "Sixteen days and you had to chase it yourself. So what do you think of the idea: we hold the buffer at our end, "
    "you never sign a forecast, you just keep ordering by eye like you do now?",
    # round 30: the plan and the question on it in one sentence, after a dash
    "What if you never had to? Say we just tracked what actually leaves your shelf on the sealants and topped you up "
    "ourselves, no predictions from you at all \u2014 would that be any use?",
    # round 30: a plan, then "Deal?", got "In a way, yes."
    "Fair. Here's what I'd suggest then: we start with just the imported sealants. We hold a buffer at our end, and in "
    "eight weeks we sit down over a coffee and you tell me if your shelves have been fuller. If not, we stop. Deal?",
    # round 43: "you tell me what to fix." read as asking, so the plan was a generic prompt
    "Good. Then here's what I'd suggest: we walk the racks Thursday morning, you set the marks, I send the letter "
    "before we start, and in three months we sit down and see if the empty shelves are gone. If they're not, you "
    "tell me what to fix. Deal?",
])
def test_a_plan_laid_out_and_put_to_the_buyer_is_a_proposal(encoder, line):
    """Round 18: a plan in statements, then "Would that respect what you've
    told me?" or "Fair?", got "Maybe. I couldn't say for certain." and "In a
    way, yes.": the turn was not read as proposing anything."""
    from coach.analysis.rules import RunState
    from coach.buyer.topics import proposes

    assert proposes(encoder.analyse_one(line, "That's fair.", RunState()))
    # round 19: "Shall I write that up as a proposal you can take to finance?" got a reaction to its pitch
    assert proposes(encoder.analyse_one("The lighter service would come in about ten percent below this year's price. "
                                        "Shall I write that up as a proposal you can take to finance?",
                                        "I still need a saving to show finance.", RunState()))
    # A statement checked, or candour before a question, after a dash or colon proposes nothing
    for line in ("We keep the weekly meeting going - is that right?",
                 "I'll be honest: would it matter to you if the price went up?"):
        assert not proposes(encoder.analyse_one(line, "Mm.", RunState())), line
    # Leave to say something after a colon proposes nothing (it had got "Sure, go on.")
    assert not proposes(encoder.analyse_one("Honestly, I'd like this renewal to be easy, but I want to be straight with "
                                            "you first: before we talk prices, can I share what we've seen on the account?",
                                            "Renewal time already.", RunState()))
    # round 20: "Which day works best for you and Richard next week?" got a line about Friday afternoons
    assert proposes(encoder.analyse_one("Great. Which day works best for you and Richard next week, Tuesday or Thursday "
                                        "afternoon?", "Yes, let's do that.", RunState()))
    # round 19: a close pushed mid-sentence got "I see."
    assert proposes(encoder.analyse_one("Where we go from here is simple: the pilot worked, so let's get the full fleet "
                                        "signed this week.", "So: where do we go from here?", RunState()))
    # round 19: "Would it help more if someone flagged only the drifting ones...?" got "I've told you most of it"
    assert proposes(encoder.analyse_one("Would it help more if someone flagged only the ones drifting, like that hot "
                                        "bearing, rather than sending you all the data?", "That's fair.", RunState()))
    assert not proposes(encoder.analyse_one("What if you lose the contract? Would that hurt?", "That's fair.", RunState()))


def test_what_the_rep_puts_aside_is_not_what_the_turn_is_about(encoder):
    """Round 18: "Before we get to prices, I'd love to hear how things are
    going on your side... What's been driving it?" set off "Hang on. Are you
    telling me prices are going up?"."""
    s = PracticeSession(_builtin("renewal-unprofitable-growth"), encoder, seed=0)  # the analyser's own labels, as rated
    ex = s.play("Good to see you too, Marcus. Before we get to prices, I'd love to "
                "hear how things are going on your side. Forty percent growth in two years is remarkable. What's been "
                "driving it?")
    assert ex.move.objection != "price-rise" and ex.move.topic.id != "price-rise", ex.move.reasons


def test_a_question_of_which_or_why_is_not_answered_with_a_figure(encoder):
    """Round 18: "Three months is a long time. Which of our lines are the
    worst for that?" got "About three thousand lines. A hundred and forty of
    them are yours." (rated 0): a count is no answer to which."""
    s = PracticeSession(_builtin("warehouse-no-forecasts"), encoder, seed=0)
    s.play("Hi Stavros, thanks for seeing me. I wanted to understand a bit about the stock-outs on our lines. "
           "How do you decide when to reorder?")
    ex = s.play("Three months is a long time. Which of our lines are the worst for that?")
    assert ex.move.fact != "range", ex.move.reasons
    assert s.play("How many product lines do you carry in total?").move.fact == "range"


def test_a_concern_the_turn_answers_is_conceded_not_voiced_as_news(encoder):
    """Round 19 (rs19_a, as rated): "...with the weekly meeting and the forty
    reports gone, I can bring the renewal price down, not fifteen percent, but
    something real you can show as a saving..." got "And the fifteen
    percent? I still need a saving to show finance." The turn answered the
    concern before it was voiced; the buyer concedes it."""
    s, lines = _rated(encoder, "rs19_a", "renewal-say-no")
    for line in lines[:8]:
        s.play(line)
    ex = s.play(lines[8])
    assert ex.move.kind != "object" and "And the fifteen percent?" not in ex.buyer.text, ex.move.reasons


def test_no_plain_fact_answers_why(encoder):
    """Round 20: "So why didn't Bradford take over when Leeds went dark?"
    got "As I said, the primary is next to head office in Leeds. The second
    site is in Bradford, forty miles away.": a fact says where, not why."""
    s = PracticeSession(_builtin("it-director-outage"), ScriptedAnalyzer(encoder=encoder), seed=0)
    told = s.play("[closed_question] Where is your secondary site located?")
    assert told.move.fact == "sites"
    ex = s.play("[open_question curiosity follow_up] So why didn't Bradford take over when Leeds went dark?")
    assert ex.move.fact != "sites" and not ex.buyer.text.startswith("As I said"), ex.move.reasons


@pytest.mark.parametrize(("proposal", "reply"), [
    ("Would it help if I built a like-for-like comparison of all three bids, weekends and Saturday service included, "
     "by the end of the week?", "That's what I need. Like for like, weekends in, by the end of the week."),
    ("Could I send you the costing by Friday so you can put it in front of finance yourself?",
     "Yes. Do that by Friday and I'll put it in front of finance myself."),
])
def test_the_next_step_is_agreed_in_the_words_nearest_what_was_proposed(encoder, proposal, reply):
    """Round 16: both reps' closes got "That's what I need. Like for like,
    weekends in, by the end of the week.", one of them to a meeting with the
    finance director (rated 1: 'ignores the meeting and the FD')."""
    sc = _builtin("hotel-laundry-price")
    s = PracticeSession(sc, ScriptedAnalyzer(encoder=encoder), seed=0)
    s.director.state.trust = 95
    s.director.state.discovered.extend(sc.ending.next_step.after)
    s.director.state.objections.update({o.id: "handled" for o in sc.objections})
    ex = s.play(f"[closed_question mutual_success] {proposal}")
    assert ex.move.kind == "accept" and ex.buyer.text == reply, ex.move.reasons


def test_once_ready_a_proposal_near_the_next_step_is_taken_as_it(encoder):
    """'Could we sit down for an hour before the range review and model it on
    your actual numbers?' at trust 96 got the review date ('Decisions in six
    weeks...'): nearer the review-date fact (0.61) than the next step (0.43)."""
    from coach.scenario import builtin_scenarios, load_scenario

    retail = load_scenario(next(p for p in builtin_scenarios() if p.stem == "retail-shifting-agenda"))
    line = ("[closed_question follow_up] What if we looked at it as a swap, the pouch in place of the trigger sprays? "
            "Could we sit down for an hour before the range review and model it on your actual numbers?")
    ready = PracticeSession(retail, ScriptedAnalyzer(encoder=encoder), seed=0)
    ready.director.state.trust = 95
    ready.director.state.discovered.append("new-agenda")  # the next step's `after`
    ex = ready.play(line)
    assert ex.move.topic.kind == "next_step" and ex.move.fact is None
    warm = PracticeSession(retail, ScriptedAnalyzer(encoder=encoder), seed=0)
    warm.director.state.trust = 95  # warm, but the new agenda is not out: a proposal of its own, still not a fact
    ex = warm.play(line)
    assert ex.move.kind == "consider" and ex.move.fact is None and not warm.ended
    early = PracticeSession(retail, ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = early.play(line)
    assert ex.move.kind == "decline" and ex.move.fact is None


def test_both_parts_of_a_two_part_question_are_answered(encoder):
    """'...who's had to be in the room, and who would need to agree?' got half
    an answer in two rating rounds: a plain fact the other part asks for is
    told too."""
    from coach.scenario import builtin_scenarios, load_scenario

    retail = load_scenario(next(p for p in builtin_scenarios() if p.stem == "retail-shifting-agenda"))
    s = PracticeSession(retail, ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[open_question curiosity] How are you being measured these days, and when is the range review?")
    assert ex.move.topic.kind == "discovery" and ex.move.fact == "review-date"
    assert ex.buyer.text.startswith(retail.fact("review-date").answer[0].say)
    one = PracticeSession(retail, ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = one.play("[open_question curiosity] How are you being measured these days?")
    assert ex.move.topic.kind == "discovery" and ex.move.fact is None


def test_a_question_on_a_concern_just_voiced_is_about_that_concern(encoder):
    """Round 10: 'What would make the commitment feel defensible to you...?',
    asked right after 'three years is a long commitment for something we've
    only run on forty vans', is nearer the fleet's size (a fact too far to be
    answered) than the concern it shares two words with, and got 'I'd have to
    think about that.' at trust 95. The concern just voiced is what it asks about."""
    s = PracticeSession(_builtin("fleet-pilot-close"), ScriptedAnalyzer(encoder=encoder), seed=0)
    s.play("[open_question curiosity] Good to see you, Nadia. I'd love to hear how the pilot looked from your side: "
           "what did it actually prove for you?")
    voiced = s.play("[open_question curiosity follow_up] Coming back to your finance director, what will they need "
                    "to see to sign off on a three-year commitment?")
    assert voiced.move.kind == "object" and voiced.move.objection == "contract-length"
    ex = s.play("[open_question curiosity follow_up reflection] That's fair, forty out of three hundred is a small "
                "sample. What would make the commitment feel defensible to you: is it the length itself, or the risk "
                "of it not scaling across all four depots?")
    assert ex.move.topic.kind == "objection" and ex.move.objection == "contract-length"
    assert ex.move.kind == "concede"


def test_a_helpful_proposal_is_welcomed_before_the_next_step_could_be_agreed(encoder):
    """Round 10: 'Would it help if we drafted a data-use policy with you...?',
    right after the buyer said the union rep wants one, was taken as the next
    step (the buyer was warm) and declined, 'Not yet. There are things I still
    need to know.', because the sign-off path was not heard yet. Nearer the
    drivers' story than the next step, it is a proposal of its own: welcomed."""
    warm = _builtin("fleet-pilot-close").model_copy(deep=True)
    warm.buyer.trust.start = 90
    s = PracticeSession(warm, ScriptedAnalyzer(encoder=encoder), seed=0)
    told = s.play("[open_question curiosity] How did the forty drivers in the pilot take to being tracked, "
                  "and is there anything you're worried about?")
    assert told.revealed == ("driver-unease",)
    ex = s.play("[closed_question follow_up mutual_success] I agree he's right to. Would it help if we drafted a "
                "data-use policy with you, covering what's tracked, who sees it and what it can't be used for, so you "
                "could take it to the union rep before anything is signed?")
    assert ex.move.kind == "consider" and not s.ended


def test_a_near_tie_with_a_concern_not_voiced_goes_to_what_the_buyer_has_told(encoder):
    """Round 10 (hotel, consultative, trust 99): '...what you'd want to see from
    whoever wins this... what would reassure you?' was as near 'what matters to
    the hotels' (told) as the match-the-cheapest-bid concern (not voiced yet),
    and got 'Before we plan anything: get within five percent of the cheapest
    bid and I'll sign today.' when nothing had been planned."""
    s = _session(encoder, "hotel-laundry-price", trust=95, discovered=("what-matters",))
    ex = s.play("[open_question curiosity follow_up mutual_success] Understood, I won't pry into another supplier. What "
                "I'd find useful is what you'd want to see from whoever wins this, so that the weekend never becomes "
                "your problem \u2014 what would reassure you?")
    assert ex.move.objection is None and ex.move.topic.id == "what-matters"


def test_once_ready_a_proposal_that_says_when_to_meet_is_the_next_step(encoder):
    """Round 11 (finserv, consultative, trust 100, the lost families told):
    'How about this: you pick one of the recent onboardings... and we walk
    through it together for half an hour... Worth your time?' got 'I don't
    have that to hand.' and the best rep of the round left with no next step:
    'Worth your time?' was no proposal, and the offer was 0.38 from the next
    step's examples. Once the buyer would agree one, a proposal that says when
    or how long to meet is the next step (here it sets off the concern the
    scenario raises at the next step)."""
    s = _session(encoder, "finserv-interview-fatigue", trust=95, discovered=("lost-families",))
    ex = s.play("[closed_question follow_up mutual_success] Then let's make it about the clients. How about this: you "
                "pick one of the recent onboardings, ideally one that dragged, and we walk through it together for half "
                "an hour, no demo to the advisers, no rollout talk. If it doesn't show something you could put in front "
                "of Richard as better for families, we stop there. Worth your time?")
    assert ex.move.topic.kind == "next_step" and ex.move.kind in ("accept", "object")


def test_a_question_about_what_happened_is_not_met_with_i_have_not_worked_it_out(encoder):
    """Round 11: "'Another' makes me think the last one left a mark. What
    happened?" got 'Good question. I haven't worked that out yet.', as if the
    buyer had not been there. A question about the past the scenario does not
    tell gets a line that keeps it back."""
    from coach.buyer.director import DEFAULT_LINES

    fleet = _builtin("fleet-pilot-close")
    s = PracticeSession(fleet, ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[open_question curiosity] What happened at the depot Christmas party last year?")
    assert ex.move.topic.kind == "none" and ex.buyer.text in DEFAULT_LINES["untold"]


@pytest.mark.parametrize("seed", range(4))
def test_the_concede_line_that_answers_the_question_is_said(encoder, seed):
    """Round 12: 'What do the nurses do today to keep track of beds, if not a
    system?' settled the double-entry concern and got 'Good. If it reads what
    they already do, rather than adding to it, we can talk.' (a concession
    the rep never made) rather than 'The whiteboard and the bed meeting at
    eight...', the concede line that answers it."""
    s = _session(encoder, "hospital-bed-objections", seed=seed, trust=50)
    s.director.state.objections["tried-before"] = "handled"  # the 2019 story, voiced at turn 1, is out of the way
    raised = s.play("[pitching] Wardview is much easier to use than older systems and updates bed states automatically.")
    assert raised.move.objection == "double-entry"
    ex = s.play("[open_question curiosity follow_up] That's fair. What do the nurses do today to keep track of beds, "
                "if not a system?")
    assert ex.move.kind == "concede" and "whiteboard" in ex.buyer.text


def test_after_a_concern_is_settled_and_a_story_told_the_next_question_goes_on_with_the_story(encoder):
    """Round 20 (re20_a, as rated): the buyer settled her concern and told of
    the refill trial ("Alright. That's fair. Refill stations are being
    trialled in twelve stores."); "That's useful - the refill trial. How is it
    going so far in those twelve stores...?" got "Honestly? It's all range
    review at the moment.", as if the last thing said had been the concern."""
    s, lines = _rated(encoder, "re20_a", "retail-shifting-agenda")
    for line in lines[:5]:
        s.play(line)
    settled = s.play(lines[5])
    assert settled.move.kind == "concede" and "twelve stores" in settled.buyer.text, settled.move.reasons
    ex = s.play(lines[6])
    assert ex.move.topic.kind == "discovery" and ex.move.topic.id == "packaging-pledge", ex.move.reasons


def test_a_question_as_near_what_the_buyer_was_just_talking_about_as_anything_else_is_about_it(encoder):
    """Round 21 (hs21_a, as rated): after "That's history. I'm more interested
    in what you'd do differently." (the failed rollout, held back), "...until
    I know what went wrong. What do you think was the main reason it didn't
    work for your wards?" is 0.48 from the failed rollout and 0.50 from who
    signs off, and got "The usual governance. Boards and committees."."""
    s, lines = _rated(encoder, "hs21_a", "hospital-bed-objections")
    s.play(lines[0])
    # (since the opening voices the 2019 concern, the second line may be read as on it: the same story)
    assert s.play(lines[1]).move.topic.id in ("failed-rollout", "tried-before")
    ex = s.play(lines[2])
    assert ex.move.topic.id == "failed-rollout", ex.move.reasons


def test_a_concern_answered_by_denying_what_the_buyer_fears_is_settled(encoder):
    """Round 21 (hs21_b, as rated): to "Who enters the data? You haven't
    said.", "Sorry, I wasn't clear. Nobody enters it by hand. Admissions,
    transfers and discharges come straight from your PAS as they happen, so
    the board updates itself. Does that answer it?" got "I'm still hearing
    more typing for my nurses.", as if nothing had been said. Then "Is there
    anything else that would be a must-have for you?", after a recap, got an
    answer to "How's business?"."""
    from coach.buyer.director import DEFAULT_LINES

    s, lines = _rated(encoder, "hs21_b", "hospital-bed-objections")
    for line in lines[:6]:
        s.play(line)
    assert s.director.state.open_objection == "double-entry"
    ex = s.play(lines[6])
    assert ex.move.kind == "concede" and ex.move.objection == "double-entry", ex.move.reasons
    more = s.play(lines[7])
    assert more.buyer.text in DEFAULT_LINES["told_all"], more.move.reasons


def test_a_concern_taken_up_in_its_words_and_shared_is_handled(encoder):
    """Round 21 (wa21_b, as rated): to "When the numbers are wrong, and they
    will be, whose name is on it?", "Ours. If we agree what to hold for you and
    we get it wrong, that's on Keel, not you. So can we put a Monday in the
    diary?" got "I'm not agreeing to anything until I know who carries the
    can.": taking the concern up and framing it as shared handles it."""
    s, lines = _rated(encoder, "wa21_b", "warehouse-no-forecasts")
    for line in lines[:9]:
        s.play(line)
    assert s.director.state.open_objection == "whose-name"
    ex = s.play(lines[9])
    assert ex.move.kind in ("concede", "accept") and s.director.state.objections["whose-name"] == "handled", ex.move.reasons


def test_a_choice_on_a_told_story_gets_both_not_i_am_not_sure(encoder):
    """Round 21 (wa21_a, as rated): "When one of ours goes empty, what's
    usually happened - a big contractor job you didn't see coming, or our
    delivery slipping?" got "I'm not sure yet, to be honest." from a buyer
    who knows his racks by eye."""
    from coach.buyer.director import DEFAULT_LINES

    s, lines = _rated(encoder, "wa21_a", "warehouse-no-forecasts")
    for line in lines[:8]:
        s.play(line)
    # As rated, the lost customers' story had been told to its last line;
    # since the scenario knows which lines run short, turn 8 gets that fact
    # instead and one line of the story is left.
    story = next(d for d in s.scenario.discoveries if d.id == "lost-contractors")
    s.rule_voice._used.update(x.say for x in story.more)
    ex = s.play(lines[8])
    assert ex.buyer.text in DEFAULT_LINES["choice"], ex.move.reasons


def test_a_pitch_never_settles_the_concern_about_being_pitched(encoder):
    """Round 22 (re22_b, as rated): "We're launching a concentrated refill
    range in March..." answered, in the buyer's words, the concern a pitch
    sets off ("I'm taking lines out this spring, not putting them in."), so
    it was settled unheard, and a later budget question got its concession:
    "Okay. That's a more useful conversation than the launch."."""
    s, lines = _rated(encoder, "re22_b", "retail-shifting-agenda")
    s.play(lines[0])
    s.play(lines[1])
    pitch = s.play(lines[2])
    assert "pitching" in pitch.analysed.labels
    assert pitch.move.kind == "object" and pitch.move.objection == "not-adding-lines", pitch.move.reasons


@pytest.mark.parametrize("line", [
    # ("What would you need to see from me before a follow-up call made sense?"
    # now gets the concern voiced at a next step: see
    # test_asked_what_they_would_need_first_the_buyer_voices_the_next_step_concern)
    "Okay, I get that. What would make it worth your time to take a closer look?",
    # round 27: after an if-clause
    "Understood. If there was one thing we could do differently on our side, what would it be?",
])
def test_a_generic_question_about_what_would_be_is_not_answered_with_how_things_are(encoder, line):
    """Round 22: "What would you need to see from me before a follow-up call
    made sense?" got "Busy, as ever. The usual things compete for my time.",
    the scenario's answer to "How's business?"; the buyer has not worked it
    out. How things are still gets that answer."""
    from coach.buyer.director import DEFAULT_LINES

    s = PracticeSession(_builtin("finserv-interview-fatigue"), encoder, seed=0)
    ex = s.play(line)
    assert ex.move.kind == "surface" and ex.buyer.text in DEFAULT_LINES["unworked"], ex.move.reasons
    s = PracticeSession(_builtin("finserv-interview-fatigue"), encoder, seed=0)
    ex = s.play("How are things going at the firm?")
    assert ex.buyer.text not in DEFAULT_LINES["unworked"], ex.move.reasons


def test_a_proposal_that_settles_a_concern_too_early_is_declined_after_the_concession(encoder):
    """Round 22 (it22_b, as rated): a proposal that settled the buyer's
    concern at trust 50 got only the concession ("Fine. That's a better
    question than the other thirteen asked."), which read as a yes, and the
    date asked next got "You're qualifying me.". The proposal is answered:
    declined, after the concession. And a goodbye gets a goodbye, not "Go on.".
    Since round 25 the buyer has told the retailers' demands as a fact ("a
    failover test they can watch for themselves"): the answer to "What makes
    you different?" in those terms ("we run the failover test on your own
    systems, with your team watching") still settles it."""
    from coach.buyer.director import DEFAULT_LINES

    s, lines = _rated(encoder, "it22_b", "it-director-outage")
    for line in lines[:7]:
        s.play(line)
    assert s.director.state.open_objection == "heard-it-all"
    ex = s.play(lines[7])
    assert ex.move.kind == "decline" and ex.move.objection == "heard-it-all" and ex.move.lead, ex.move.reasons
    assert s.director.state.objections["heard-it-all"] == "handled"
    s.play(lines[8])
    bye = s.play(lines[9])
    assert bye.buyer.text in DEFAULT_LINES["sign_off"], bye.move.reasons


def test_a_proposal_that_settles_one_concern_and_sets_off_another_is_answered_with_the_other(encoder):
    """Round 20 (fs20_b, as rated): "Would it make sense to set up a 30-minute
    demo next week with you and Richard...?" settled the demo concern and got
    only its concession, "Good. That's a better use of the time than a demo.",
    a contradiction rated 0; the proposal went unanswered although it set off
    the buyer's next concern. The rated seventh turn, a budget question, had
    drawn the lost families' story the eighth turn builds on; since round 25
    the buyer knows its budget as a fact and answers that, so the story is
    asked for here instead."""
    s, lines = _rated(encoder, "fs20_b", "finserv-interview-fatigue")
    lines[6] = "That's understandable. What has the slow onboarding cost you so far?"
    for line in lines[:8]:
        s.play(line)
    ex = s.play(lines[8])
    assert ex.move.kind == "object" and ex.move.objection == "another-implementation" and ex.move.lead, ex.move.reasons


def test_what_something_looks_like_is_not_answered_with_a_figure(encoder):
    """Round 35: "When a compressor does go down, what does that actually look
    like for a line, and for your shift?" got "Nine. Three per line, and line
    two is the busy one." (rated 0: a count nobody asked for)."""
    s = _session(encoder, "industrial-self-diagnostics", trust=70)
    ex = s.play("[open_question curiosity follow_up] When a compressor does go down, what does that actually look "
                "like for a line, and for your shift?")
    assert ex.move.fact is None and ex.move.kind != "answer", ex.move.reasons


def test_pushing_for_a_discount_is_an_offer_the_buyer_has_heard(encoder):
    """'I'll go to my director and push for seven and a half percent, but only
    if you can commit today.' got 'You haven't said what happens to the
    price.' (round 35: rated 0, the rep had just said it): an offer that does
    not settle the concern is heard, not denied."""
    from coach.buyer.director import DEFAULT_LINES

    s = PracticeSession(_builtin("renewal-say-no"), ScriptedAnalyzer(encoder=encoder), seed=0)
    first = s.play("[pressure closed_question] Hi Gareth! Look, fifteen percent is a big ask, but I can probably get "
                   "you five percent off if you sign the renewal this week. How does that sound?")
    assert first.move.objection == "still-need-saving"
    ex = s.play("[pressure self_interested closed_question] Not an ultimatum, just the reality. Look, I'll go to my "
                "director and push for seven and a half percent, but only if you can commit today. Can you get "
                "sign-off by Friday?")
    assert ex.move.kind == "press" and ex.move.lines == DEFAULT_LINES["countered"]


def test_a_proposal_near_a_settled_concern_is_answered_as_a_proposal(encoder):
    """Round 37: 'How about I send over a short overview and a couple of times
    for a 30-minute call next week, and you tell me if it's worth it?', near the
    settled demo concern by meaning but naming little of it, got 'I couldn't
    tell you offhand.', the line for a fact the buyer does not know."""
    s = _session(encoder, "finserv-interview-fatigue", trust=64)
    s.director.state.objections["another-demo"] = "handled"  # aired and settled, as in round 37 by turn 8
    ex = s.play("[closed_question follow_up] No rush. How about I send over a short overview and a couple of times "
                "for a 30-minute call next week, and you tell me if it's worth it?")
    assert ex.move.topic.kind == "objection" and ex.move.kind in ("consider", "decline"), ex.move.reasons


def test_a_question_about_the_past_the_scenario_does_not_tell_promises_no_story(encoder):
    """Round 46: "Have you tried taking that off them before - an ops person, a
    portal, anything?" got "It's a long story, honestly.", and "I've got time
    for the long version - what happened?" then got "I'd have to think about
    that." (rated 0): a buyer who says there is a story must have one."""
    for seed in range(3):
        s = _session(encoder, "finserv-interview-fatigue", seed=seed, trust=56, discovered=("lost-families",))
        ex = s.play("[closed_question follow_up reflection] So it's your advisers doing the chasing themselves, in "
                    "between client work. Have you tried taking that off them before - an ops person, a temp, anything?")
        assert ex.move.kind == "unknown", ex.move.reasons
        assert "story" not in ex.buyer.text.lower()


def test_how_the_infrastructure_is_set_up_gets_the_set_up_not_a_tenure(encoder):
    """Round 46: "Could you tell me a bit about how your infrastructure is set
    up today?" got the IT director's years in the job (rated 0)."""
    s = PracticeSession(_builtin("it-director-outage"), ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[open_question curiosity] Hi Dana, thanks for taking the call. Could you tell me a bit about how your "
                "infrastructure is set up today?")
    assert (ex.move.topic.kind, ex.move.topic.id) != ("fact", "tenure")
    assert "years" not in ex.buyer.text


@pytest.mark.parametrize("seed", range(3))
def test_a_question_as_near_something_the_buyer_can_answer_is_not_held_back(encoder, seed):
    """Rounds 14 and 46: "Can you tell me a bit about how onboarding works at
    Ashgrove today?" is as near the tools bought and never used (a story the
    buyer holds back until trust 55) as the families lost to slow onboarding,
    and got "Let's not go into history." (rated 0 both times). In a tie, the
    buyer answers what they would tell now."""
    s = PracticeSession(_builtin("finserv-interview-fatigue"), ScriptedAnalyzer(encoder=encoder), seed=seed)
    ex = s.play("[open_question curiosity follow_up] Ha, understood - I'll keep it short. Can you tell me a bit about "
                "how onboarding works at Ashgrove today?")
    assert ex.move.kind == "reveal" and ex.move.revealed == ("lost-families",), ex.move.reasons
    assert "history" not in ex.buyer.text


def test_a_concern_answered_in_the_buyers_terms_is_handled_though_the_questions_are_stacked(encoder):
    """Round 46: "what if we volunteered some of that space ourselves, pulled
    our lines back to what earns on margin per metre...? Would that be useful,
    and who else should be involved?" (labelled checklist) got "I'm not
    committing to anything today. The space question hasn't gone away." The
    offer answers the four metres in her own terms."""
    s = PracticeSession(_builtin("retail-shifting-agenda"), ScriptedAnalyzer(encoder=encoder), seed=0)
    st = s.director.state
    st.trust = 100
    st.discovered.extend(["new-agenda", "new-measures"])
    st.objections["space-hungry"], st.open_objection = "open", "space-hungry"
    s.play("[closed_question follow_up mutual_success checklist] Understood, and I'd rather hear that from you now "
           "than find out at the review. Here's a thought: what if we volunteered some of that space ourselves, pulled "
           "our lines back to what earns on margin per metre, and put the trigger-spray data together with you so you "
           "have an answer ready when he asks? Would that be useful, and who else should be involved?")
    assert st.objections["space-hungry"] == "handled"


def test_leave_asked_to_say_something_then_said_is_no_question(encoder):
    """Round 47: "Can I be straight with you about what that pattern does on
    our end? The rush jobs, the short custom runs and the ninety-day terms
    together mean we lose money on most shipments." got "Sure, go on.", as
    if the rep had said nothing after asking leave."""
    s = _session(encoder, "renewal-unprofitable-growth", trust=70)
    ex = s.play("[closed_question reflection] That makes sense. Can I be straight with you about what that pattern "
                "does on our end? The rush jobs, the short custom runs and the ninety-day terms together mean we lose "
                "money on most shipments.")
    assert not ex.move.asked and ex.move.kind != "small_talk", ex.move.reasons
    assert ex.buyer.text not in ("Go ahead.", "Sure, go on.", "Please, go ahead.")
    # asked leave and nothing more, it is leave to say it
    s = PracticeSession(_builtin("renewal-unprofitable-growth"), ScriptedAnalyzer(encoder=encoder), seed=0)
    assert s.play("[closed_question] Can I be straight with you about something?").move.kind == "small_talk"


def test_a_count_the_rep_has_just_said_is_not_read_back(encoder):
    """Round 47: "Can I ask how the three bids compare on what's included, not
    just the headline price?" got "Three, including yours." A fact whose only
    figure the turn says is known to the rep (a yes or no may still check it)."""
    s = PracticeSession(_builtin("hotel-laundry-price"), ScriptedAnalyzer(encoder=encoder), seed=0)
    ex = s.play("[open_question curiosity] Thanks Sofia, I appreciate the chance to talk it through. Can I ask how "
                "the three bids compare on what's included, not just the headline price?")
    assert ex.move.fact != "bids" and "Three, including" not in ex.buyer.text


def test_what_something_cost_is_not_answered_with_a_count(encoder):
    """Round 47: "Did anyone put a figure on what those closed rooms and the
    scramble cost the two Bristol hotels?" got "Six hotels, about nine hundred
    rooms..." (rated 0); the story's own line on what it cost answers it."""
    s = _session(encoder, "hotel-laundry-price", trust=80, discovered=("cheap-lesson",))
    ex = s.play("[closed_question curiosity follow_up] Borrowing sheets and closing rooms on a Saturday in August, "
                "that must have cost far more than the laundry saved. Did anyone put a figure on what those closed "
                "rooms and the scramble cost the two Bristol hotels?")
    assert ex.move.fact != "hotels", ex.move.reasons
    assert "nine hundred rooms" not in ex.buyer.text


def test_a_told_fact_is_not_said_again_to_a_question_it_does_not_answer(encoder):
    """Round 47: "Where do deliveries not land when they should?", after "No
    complaints about the print quality, and most deliveries land when they
    should.", got "As I said, no complaints about the print quality...".
    Asked again in its own terms, the fact is said again."""
    s = PracticeSession(_builtin("renewal-unprofitable-growth"), ScriptedAnalyzer(encoder=encoder), seed=0)
    first = s.play("[open_question curiosity] Before we talk numbers, how have things been going with our packaging "
                   "over the past year?")
    assert first.move.fact == "our-service"
    ex = s.play("[open_question curiosity follow_up] Good to hear. Where do deliveries not land when they should?")
    assert not ex.buyer.text.startswith(("As I said", "Like I said", "Again")), ex.move.reasons
    again = s.play("[open_question] Sorry, how has our packaging been working for you this past year?")
    assert "deliveries land when they should" in again.buyer.text
