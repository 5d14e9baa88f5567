"""The rule buyer's mechanics, with prescribed labels and no models (word matching).

Labels come from a ``[label ...]`` tag on each rep line (coach.buyer.testing),
so these tests pin the buyer's behaviour independently of the analyser.
"""

from __future__ import annotations

import pytest

from coach.buyer import Buyer, BuyerState, RuleBuyer
from coach.buyer.rule import CURT_STREAK, GENERIC_LINES, VOLUNTEER_TRUST
from coach.buyer.testing import ScriptedAnalyzer
from coach.scenario import DEFAULT_TRUST_CHANGES, load_scenario_text

SCENARIO = """
version: 1
id: test-buyer
title: Test buyer
difficulty: easy
brief: {situation: A bakery chain., goal: Find out about ovens and staff.}
buyer:
  name: Bea
  role: Owner
  company: Bea's Bakes
  personality: Practical.
  opening: "Morning. What can I do for you?"
  trust: {start: 40, speed: 1.0}
discoveries:
  - id: ovens
    topic: the ovens breaking down
    examples: ["What happens when the ovens break down?", "How reliable are the ovens?"]
    reveal: ["Oven three died on a Saturday and we binned two hundred loaves."]
    guarded: ["Ovens are ovens.", "They work, mostly."]
    requires: {open_question: true}
  - id: staffing
    topic: bakers leaving and hiring staff
    examples: ["How is hiring bakers going?", "What is staffing like for the early shifts?"]
    reveal: ["Two of my bakers left this spring; nobody wants the four o'clock start."]
    guarded: ["Staff are fine."]
    requires: {min_trust: 55}
  - id: expansion
    topic: plans to open a second shop
    examples: ["What are your plans for a second shop?", "Where do you want the business in two years?"]
    reveal: ["I've signed a lease on a second shop across town. Opens in March."]
    guarded: ["We'll see."]
    requires: {after: [ovens]}
  - id: family
    topic: the family succession of the bakery
    examples: ["Who takes over the family bakery after you?"]
    reveal: ["My daughter wants to take over, but not the way I run it."]
    guarded: ["That's private."]
    requires: {min_trust: 50}
    volunteer: false
reactions:
  curiosity: ["Good question.", "Nobody asks that."]
  empathy: ["Thanks, it's been hard."]
  reflection: ["Exactly that.", "Yes, you've got it."]
  follow_up: ["Right."]
  mutual_success: ["Fair enough."]
  open_question: ["Let me think."]
  closed_question: ["Yes.", "No."]
  leading_question: ["You want me to say yes."]
  self_interested: ["Not talking money yet."]
  pitching: ["I've seen the leaflet."]
  pressure: ["Don't push me."]
  checklist: ["Is this a survey?"]
  fallback: ["Go on.", "Mm."]
  curt: ["Right.", "Sure."]
  walkout: ["I've got bread to bake. Bye."]
trust:
  pitching: -10
ending:
  max_turns: 60
  walkout_below: 10
  next_step:
    examples: ["Could we visit the bakery next week and look at the ovens with your head baker?"]
    min_trust: 60
    reply: ["Come Tuesday, early."]
    declined: ["Not yet."]
"""


@pytest.fixture
def scenario():
    return load_scenario_text(SCENARIO, "test.yaml")


def play(buyer: RuleBuyer, state: BuyerState, line: str):
    conv = ScriptedAnalyzer().conversation()
    return buyer.reply(state, conv.add_rep(line))


def fresh(scenario, seed: int = 0) -> tuple[RuleBuyer, BuyerState]:
    buyer = RuleBuyer(scenario, ScriptedAnalyzer(), seed)
    state = buyer.new_state()
    buyer.opening(state)
    return buyer, state


def test_rule_buyer_implements_the_buyer_protocol(scenario):
    buyer, state = fresh(scenario)
    assert isinstance(buyer, Buyer)
    assert state.said == ["Morning. What can I do for you?"]


def test_good_labels_raise_trust_by_the_defaults(scenario):
    buyer, state = fresh(scenario)
    turn = play(buyer, state, "[open_question curiosity] What matters most to you this year?")
    expected = DEFAULT_TRUST_CHANGES["open_question"] + DEFAULT_TRUST_CHANGES["curiosity"]
    assert turn.trust_change == pytest.approx(expected)
    assert state.trust == pytest.approx(40 + expected)


def test_the_scenarios_trust_override_and_speed_apply(scenario):
    buyer, state = fresh(scenario)
    play(buyer, state, "[pitching] Our ovens are the best in Europe.")
    assert state.trust == pytest.approx(30)  # the scenario's -10, not the default -7

    fast = scenario.model_copy(deep=True)
    fast.buyer.trust.speed = 2.0
    buyer, state = fresh(fast)
    play(buyer, state, "[pitching] Our ovens are the best in Europe.")
    assert state.trust == pytest.approx(20)


def test_one_turn_moves_trust_by_at_most_the_cap(scenario):
    buyer, state = fresh(scenario)
    turn = play(
        buyer,
        state,
        "[open_question curiosity follow_up reflection empathy mutual_success] So it has been hard. What would help?",
    )
    assert turn.trust_change == pytest.approx(15)


def test_an_open_question_on_the_topic_reveals_and_a_closed_one_is_guarded(scenario):
    buyer, state = fresh(scenario)
    closed = play(buyer, state, "[closed_question] Do the ovens break down much?")
    assert closed.kind == "guarded" and closed.asked_about == ("ovens",)
    assert closed.text in ("Ovens are ovens.", "They work, mostly.")
    assert state.discovered == []
    opened = play(buyer, state, "[open_question curiosity] What happens when the ovens break down?")
    assert opened.kind == "reveal" and opened.revealed == ("ovens",)
    assert "two hundred loaves" in opened.text
    assert state.discovered == ["ovens"]


def test_min_trust_and_after_gate_a_reveal(scenario):
    buyer, state = fresh(scenario)
    early = play(buyer, state, "[open_question] How is hiring bakers going?")
    assert early.kind == "guarded"  # trust 42 < 55
    blocked = play(buyer, state, "[open_question curiosity] What are your plans for a second shop?")
    assert blocked.kind == "guarded"  # ovens not revealed yet
    play(buyer, state, "[open_question curiosity] What happens when the ovens break down?")
    later = play(buyer, state, "[open_question curiosity follow_up] So where do you want the business in two years?")
    assert later.revealed == ("expansion",)
    assert state.trust >= 55
    staff = play(buyer, state, "[open_question curiosity] And how is hiring bakers going?")
    assert staff.revealed == ("staffing",)


def test_a_leading_question_on_the_topic_gets_the_guarded_reply_and_the_reaction(scenario):
    buyer, state = fresh(scenario)
    turn = play(buyer, state, "[leading_question] The ovens break down all the time, don't they?")
    assert turn.kind == "guarded"
    assert turn.text.startswith("You want me to say yes.")
    assert state.discovered == []


def test_self_interest_blocks_a_reveal_only_when_it_outweighs_the_good(scenario):
    buyer, state = fresh(scenario)
    pushy = play(buyer, state, "[closed_question self_interested] What's the budget for fixing the ovens?")
    assert pushy.kind == "guarded"
    buyer, state = fresh(scenario)
    mixed = play(
        buyer, state, "[open_question curiosity follow_up self_interested] What happens when the ovens break down?"
    )
    assert mixed.revealed == ("ovens",)


def test_a_pitch_blocks_a_reveal_when_it_outweighs_the_curiosity(scenario):
    buyer, state = fresh(scenario)
    pitched = play(buyer, state, "[open_question pitching] What happens when the ovens break down? Ours never do.")
    assert pitched.kind == "guarded" and pitched.text.startswith("I've seen the leaflet.")
    buyer, state = fresh(scenario)
    curious = play(
        buyer, state, "[open_question curiosity follow_up empathy pitching] That sounds rough. What happens when the ovens break down?"
    )
    assert curious.revealed == ("ovens",)


def test_repeated_bad_behaviour_makes_the_buyer_curt_then_walk_out(scenario):
    buyer, state = fresh(scenario)
    first = play(buyer, state, "[pitching] We sell the best kit in Europe.")
    assert first.kind == "reaction" and first.text == "I've seen the leaflet."
    kinds = [first.kind]
    for line in [
        "[pressure] You need new kit, trust me.",
        "[self_interested closed_question] Who signs the cheques?",
        "[pressure pitching] Sign today, the price goes up on Friday.",
    ]:
        kinds.append(play(buyer, state, line).kind)
        if state.ended:
            break
    assert CURT_STREAK == 2 and kinds[1] == "curt"
    assert kinds[-1] == "walkout"
    assert state.ended and state.end_reason == "walkout"
    assert state.trust <= 10
    with pytest.raises(RuntimeError):
        play(buyer, state, "[empathy] Sorry.")


def test_a_good_turn_after_bad_ones_ends_the_curt_streak(scenario):
    buyer, state = fresh(scenario)
    play(buyer, state, "[pitching] We sell the best kit in Europe.")
    play(buyer, state, "[pitching] Really, the best.")
    assert state.curt
    play(buyer, state, "[empathy reflection open_question] Sorry, that was a pitch. What's been hardest this year?")
    assert state.bad_streak == 0 and not state.curt


def test_a_trusting_buyer_volunteers_a_related_fact_but_never_a_private_one(scenario):
    buyer, state = fresh(scenario)
    play(buyer, state, "[open_question curiosity empathy] What happens when the ovens break down?")
    turns = []
    for _ in range(8):
        before = state.trust
        turns.append((before, play(buyer, state, "[reflection empathy] That sounds like a rough weekend.")))
    offered = [t for before, t in turns if t.kind == "volunteer"]
    assert offered, "a trusting buyer answering good turns should volunteer something"
    assert all(t.trust >= VOLUNTEER_TRUST for t in offered)
    assert {t.revealed[0] for t in offered} == {"staffing", "expansion"}
    assert "family" not in state.discovered  # volunteer: false


def test_tell_me_more_goes_on_with_the_last_topic(scenario):
    buyer, state = fresh(scenario)
    play(buyer, state, "[closed_question] Do the ovens break down?")
    more = play(buyer, state, "[open_question follow_up curiosity] Tell me more about that.")
    assert more.revealed == ("ovens",)


def test_a_next_step_too_early_is_declined_and_later_agreed(scenario):
    buyer, state = fresh(scenario)
    early = play(buyer, state, "[closed_question] Could we visit the bakery next week and look at the ovens with your head baker?")
    assert early.kind == "declined" and early.text == "Not yet." and not state.ended
    for _ in range(3):
        play(buyer, state, "[open_question curiosity reflection] So what would make this year a good one?")
    assert state.trust >= 60
    agreed = play(buyer, state, "[closed_question mutual_success] Could we visit the bakery next week and look at the ovens together?")
    assert agreed.kind == "next_step" and agreed.ended and state.end_reason == "next_step"


def test_the_session_ends_at_max_turns(scenario):
    short = scenario.model_copy(deep=True)
    short.ending.max_turns = 2
    buyer, state = fresh(short)
    assert not play(buyer, state, "Okay.").ended
    last = play(buyer, state, "Okay.")
    assert last.ended and state.end_reason == "max_turns"


def test_replies_never_repeat_within_a_session(scenario):
    buyer, state = fresh(scenario)
    for i in range(59):
        play(buyer, state, "[closed_question] Is that right?" if i % 2 else "Okay.")
    assert len(state.said) == 60
    assert len(set(state.said)) == 60
    # Past the scenario's lines the buyer uses short neutral ones, not another persona.
    assert any(line in GENERIC_LINES for line in state.said)


def test_same_seed_same_replies_and_seeds_vary_the_lines(scenario):
    script = [
        "[closed_question] Is that right?",
        "Okay.",
        "[reflection] So it's been busy.",
        "[curiosity open_question] What matters most to you?",
        "[closed_question] Really?",
        "Okay then.",
    ]

    def run(seed: int) -> list[str]:
        buyer, state = fresh(scenario, seed)
        return [play(buyer, state, line).text for line in script]

    assert run(7) == run(7)
    assert len({tuple(run(seed)) for seed in range(8)}) > 1


def test_without_an_encoder_words_decide_and_unrelated_turns_match_nothing(scenario):
    buyer, state = fresh(scenario)
    turn = play(buyer, state, "[open_question curiosity] What's the weather been like?")
    assert turn.asked_about == () and turn.kind == "reaction"
    assert buyer.similarities(ScriptedAnalyzer().conversation().add_rep("Hello")) == {}


# -- properties ------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from coach.labels import LABELS  # noqa: E402

_turns = st.lists(
    st.tuples(st.lists(st.sampled_from(LABELS), max_size=4, unique=True), st.text(min_size=1, max_size=200)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(turns=_turns, seed=st.integers(0, 2**31))
def test_any_conversation_keeps_the_buyers_invariants(turns, seed):
    scenario = load_scenario_text(SCENARIO, "test.yaml")
    buyer, state = fresh(scenario, seed)
    conv = ScriptedAnalyzer().conversation()
    for labels, text in turns:
        if state.ended:
            with pytest.raises(RuntimeError):
                buyer.reply(state, conv.add_rep(text))
            break
        before = state.trust
        turn = buyer.reply(state, conv.add_rep((f"[{' '.join(labels)}] " if labels else "") + text))
        assert turn.text.strip()
        assert 0 <= state.trust <= 100 and turn.trust == state.trust
        assert abs(state.trust - before) <= 15 + 1e-9
        assert set(turn.revealed) <= {d.id for d in scenario.discoveries}
        assert len(state.discovered) == len(set(state.discovered))
        if "family" in turn.revealed:
            assert turn.kind == "reveal"  # volunteer: false is never offered unasked
    assert len(set(state.said)) == len(state.said)


def test_acknowledging_a_guarded_answer_brings_the_buyer_back_to_it(scenario):
    buyer, state = fresh(scenario)
    assert play(buyer, state, "[open_question] How is hiring bakers going?").kind == "guarded"  # trust 42 < 55
    still = play(buyer, state, "[empathy] Sounds like a sore point.")
    assert still.kind == "guarded" and still.asked_about == ("staffing",)  # trust 47
    opened = play(buyer, state, "[empathy reflection follow_up] So it wears you down.")
    assert opened.kind == "reveal" and opened.revealed == ("staffing",)
