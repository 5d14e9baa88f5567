"""The buyer matches turns to discoveries by meaning: the analyser's encoder, not shared words."""

from __future__ import annotations

import pytest

from coach.buyer import RuleBuyer
from coach.buyer.testing import ScriptedAnalyzer
from coach.buyer.text import content_stems
from coach.scenario import load_scenario_text

from test_buyer import SCENARIO  # noqa: E402  (tests/ is on sys.path under pytest)


@pytest.fixture(scope="module")
def encoder():
    from coach.analysis.analyzer import Analyzer

    return Analyzer.load()


@pytest.fixture
def setup(encoder):
    scenario = load_scenario_text(SCENARIO, "test.yaml")
    analyzer = ScriptedAnalyzer(encoder=encoder)
    buyer = RuleBuyer(scenario, analyzer, 0)
    state = buyer.new_state()
    buyer.opening(state)
    return scenario, analyzer, buyer, state


@pytest.mark.parametrize(
    ("line", "discovery"),
    [
        ("If the baking equipment fails on a busy day, what does that do to you?", "ovens"),
        ("How easy is it to find people who want to work for you these days?", "staffing"),
    ],
)
def test_a_paraphrase_with_no_shared_words_is_matched_by_meaning(setup, line, discovery):
    scenario, analyzer, buyer, state = setup
    d = scenario.discovery(discovery)
    vocabulary = content_stems(" ".join([d.topic, *d.examples]))
    assert not content_stems(line) & vocabulary, "the paraphrase must not share content words"
    turn = buyer.reply(state, analyzer.conversation().add_rep("[open_question curiosity] " + line))
    assert turn.asked_about == (discovery,)


def test_an_unrelated_question_matches_no_discovery(setup):
    _, analyzer, buyer, state = setup
    turn = buyer.reply(state, analyzer.conversation().add_rep("[open_question curiosity] What's the weather been like?"))
    assert turn.asked_about == ()
    assert turn.kind == "reaction"


def test_the_question_not_the_reflection_before_it_decides_the_topic(setup):
    _, analyzer, buyer, state = setup
    line = "[reflection open_question curiosity] So the ovens have let you down. How is hiring bakers going?"
    turn = buyer.reply(state, analyzer.conversation().add_rep(line))
    assert turn.asked_about == ("staffing",)


def test_a_proposed_next_step_is_recognised_in_other_words(setup):
    _, analyzer, buyer, state = setup
    state.trust = 70
    line = "[closed_question mutual_success] Could I come by and see the kitchen with your lead baker soon?"
    turn = buyer.reply(state, analyzer.conversation().add_rep(line))
    assert turn.kind == "next_step" and turn.ended
