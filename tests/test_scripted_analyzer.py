"""The scripted analyser (coach.buyer.testing) stands in for the real one in the
engine, buyer and app tests: it must keep to the engine's Analyzer protocol,
give evidence and tips as the analyser does, and label the UI tests' lines as
the real analyser labels them."""

from __future__ import annotations

import inspect

import pytest
from test_ui_support import SCRIPTS, UI_LABELS, scripted_analyzer, shared_analyzer

from coach.analysis.analyzer import Analyzer as RealAnalyzer
from coach.analysis.analyzer import ConversationAnalysis
from coach.buyer.testing import SCRIPTED_WHY, ScriptedAnalyzer, ScriptedConversation
from coach.engine import Analyzer, Conversation, PracticeSession


def _members(protocol) -> list[str]:
    return [n for n, v in vars(protocol).items() if callable(v) and not n.startswith("_")]


def _positional(fn) -> list[str]:
    return [p.name for p in inspect.signature(fn).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name != "self"]


@pytest.mark.parametrize(("protocol", "double", "real"), [
    (Analyzer, ScriptedAnalyzer, RealAnalyzer),
    (Conversation, ScriptedConversation, ConversationAnalysis),
], ids=["Analyzer", "Conversation"])
def test_the_double_has_what_the_engine_calls_as_the_real_one_has_it(protocol, double, real):
    names = _members(protocol)
    assert names, protocol
    for name in names:
        wanted = _positional(getattr(protocol, name))
        assert _positional(getattr(double, name)) == wanted, name
        assert _positional(getattr(real, name)) == wanted, name


def test_each_label_has_evidence_quoting_the_words_that_show_it():
    conv = ScriptedAnalyzer().conversation()
    conv.add_buyer("We lost two retail accounts after the outage.")
    text = "That must have hurt. So you lost two accounts. What did that cost you?  "
    turn = conv.add_rep(f"[empathy reflection open_question curiosity] {text}")
    assert turn.text == text  # the tag is gone before anything else sees the turn
    by_label = {e.label: e for e in turn.evidence}
    assert set(by_label) == set(turn.labels)
    for e in turn.evidence:
        assert turn.text[e.start:e.end] == e.quote and e.why == SCRIPTED_WHY
    assert by_label["empathy"].quote == "That must have hurt."  # the first sentence
    assert by_label["reflection"].quote == "That must have hurt."  # the first statement
    assert by_label["open_question"].quote == by_label["curiosity"].quote == "What did that cost you?"
    assert [s.form for s in turn.sentences] == [None, None, "open"]
    assert (turn.uptake.words, turn.uptake.numbers) == (("lost", "accounts"), ("two",))


def test_tips_are_the_analysers_own_for_those_labels_and_words():
    conv = ScriptedAnalyzer({"Our platform is the market leader.": ["pitching"]}).conversation()
    conv.add_buyer("We had an outage.")
    turn = conv.add_rep("Our platform is the market leader.")
    assert turn.labels == ("pitching",)
    assert len(turn.tips) == 1 and "Hold the pitch (“Our platform is the market leader.”)" in turn.tips[0]
    good = conv.add_rep("[open_question curiosity] What happened then?")
    assert good.tips == ("Good: keep exploring their world and asking openly.",)


def test_a_rollback_forgets_the_turns_after_the_checkpoint():
    conv = ScriptedAnalyzer().conversation()
    conv.add_buyer("The outage cost us two retail accounts.")
    mark = conv.checkpoint()
    assert conv.add_rep("[follow_up] Two accounts?").uptake.numbers == ("two",)
    # after a rep turn, the next one has no buyer line to take up...
    assert conv.add_rep("[follow_up] Two accounts?").uptake.numbers == ()
    conv.rollback(mark)
    # ...after the rollback, the buyer's line is again the last thing said
    assert conv.add_rep("[follow_up] Two accounts?").uptake.numbers == ("two",)


def test_the_ui_tests_lines_are_labelled_as_the_real_analyser_labels_them():
    """If this fails, the analyser now reads these lines differently: update
    UI_LABELS in test_ui_support.py (and look at the snapshots) rather than
    letting the UI tests play conversations the real analyser would not."""
    from test_ui_support import _scenario

    scenario = _scenario("it-director-outage")
    for script in SCRIPTS:
        real = PracticeSession(scenario, shared_analyzer(), seed=0)
        double = PracticeSession(scenario, scripted_analyzer(), seed=0)
        for line in script:
            assert line in UI_LABELS, line
            got = set(real.play(line).analysed.labels)
            assert set(double.play(line).analysed.labels) == got, (script, line)
