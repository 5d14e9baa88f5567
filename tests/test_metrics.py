"""coach.analysis.metrics.summarize on hand-built conversations, every value
computed by hand."""

from __future__ import annotations

import time

import pytest

from coach.analysis.metrics import REFLECTION_BENCHMARK, TALK_SHARE_BENCHMARK, summarize, word_count
from coach.analysis.types import AnalysedTurn, Turn
from coach.labels import LABELS


def rep(text, *labels, questions=0):
    return Turn("rep", text), AnalysedTurn(text=text, labels=tuple(labels), questions=questions)


def buyer(text):
    return Turn("buyer", text), None


def conversation(*pairs):
    return [p[0] for p in pairs], [p[1] for p in pairs]


@pytest.mark.parametrize(
    "text,n",
    [("We lost a week of orders.", 6), ("I don't sign.", 3), ("What's your budget?", 3),
     ("", 0), ("— … ?!", 0), ("24/7 support", 3), ("naïve café", 2)],
)
def test_word_count(text, n):
    assert word_count(text) == n


def test_a_mixed_conversation():
    turns, analysed = conversation(
        buyer("We lost a week of orders."),  # 6
        rep("A whole week. What did that do to your retail accounts?",  # 11
            "open_question", "curiosity", "follow_up", questions=1),
        buyer("Two accounts put us on probation."),  # 6
        buyer("And the board noticed."),  # 4: one buyer stretch of 10
        rep("So the outage cost you trust.", "reflection", "follow_up", "empathy"),  # 6
        rep("Are you the one who signs off? What's your budget? When do you decide?",  # 14: rep stretch 20
            "closed_question", "self_interested", "checklist", questions=3),
        buyer("I don't sign."),  # 3
        rep("Wouldn't you agree downtime is expensive, right?",  # 7
            "leading_question", "pressure", "checklist", questions=1),
        buyer("Sure."),  # 1
        rep("Tell me more.", "open_question", "curiosity"),  # 3, an imperative: counts one question
        (Turn("rep", "Our platform is great."), None),  # 4, not analysed yet: words only
    )
    s = summarize(turns, analysed)
    labels = s.pop("labels")
    assert s == {
        "turns": 11,
        "rep_turns": 6,
        "buyer_turns": 5,
        "rep_words": 45,
        "buyer_words": 20,
        "rep_talk_share": 0.692,  # 45 / 65
        "talk_share_benchmark": TALK_SHARE_BENCHMARK,
        "questions": 6,  # 1 + 3 + 1 + 1
        "question_turns": 4,
        "questions_per_rep_turn": 1.0,  # 6 / 6
        "open_questions": 2,
        "closed_questions": 1,
        "leading_questions": 1,
        "question_mix": "2:1:1",
        "longest_rep_monologue": 20,  # 6 + 14
        "longest_buyer_stretch": 10,  # 6 + 4
        "checklist_runs": 1,  # the buyer turn between the two does not break the run
        "longest_checklist_run": 2,
        "reflections": 1,
        "reflection_to_question": 0.167,  # 1 / 6
        "reflection_rating": "low",
        "reflection_benchmark": REFLECTION_BENCHMARK,
        "follow_ups": 1,  # the reflection is a follow-up but not a question turn
        "follow_up_rate": 0.25,  # 1 of 4 question turns
    }
    assert list(labels) == list(LABELS)
    assert labels == {
        "open_question": 2, "closed_question": 1, "leading_question": 1, "curiosity": 2,
        "follow_up": 2, "reflection": 1, "empathy": 1, "mutual_success": 0,
        "self_interested": 1, "pitching": 0, "pressure": 1, "checklist": 2,
    }


def test_empty_conversation_has_no_ratios():
    s = summarize([], [])
    assert s["turns"] == 0
    assert s["rep_talk_share"] is None
    assert s["questions_per_rep_turn"] is None
    assert s["reflection_to_question"] is None and s["reflection_rating"] is None
    assert s["follow_up_rate"] is None
    assert s["question_mix"] == "0:0:0"
    assert s["labels"] == dict.fromkeys(LABELS, 0)


def test_buyer_only_and_rep_only_talk_shares():
    assert summarize(*conversation(buyer("Hello there"), buyer("anyone?")))["rep_talk_share"] == 0.0
    s = summarize(*conversation(rep("Hi Dana, thanks for the time.")))
    assert s["rep_talk_share"] == 1.0
    assert s["longest_rep_monologue"] == 6
    assert s["longest_buyer_stretch"] == 0


def test_separate_checklist_runs():
    q = dict(questions=1)
    s = summarize(*conversation(
        rep("How many sites?", "closed_question", **q),
        rep("How many users?", "closed_question", **q),
        rep("Which CRM?", "closed_question", "checklist", **q),
        rep("Which ERP?", "closed_question", "checklist", **q),
        rep("That sounds hard.", "empathy"),  # no question: ends the run
        rep("What? Who? When?", "closed_question", "checklist", questions=3),
    ))
    assert (s["checklist_runs"], s["longest_checklist_run"]) == (2, 2)
    assert s["questions"] == 7
    assert s["follow_up_rate"] == 0.0


@pytest.mark.parametrize("reflections,questions,ratio,rating", [(4, 2, 2.0, "good"), (2, 2, 1.0, "fair"), (3, 4, 0.75, "low")])
def test_reflection_ratio_against_mi_practice(reflections, questions, ratio, rating):
    pairs = [rep("So it's hard.", "reflection") for _ in range(reflections)]
    pairs += [rep("Why?", "open_question", questions=1) for _ in range(questions)]
    s = summarize(*conversation(*pairs))
    assert (s["reflection_to_question"], s["reflection_rating"]) == (ratio, rating)


def test_unknown_labels_are_ignored_and_lengths_must_match():
    s = summarize(*conversation(rep("Hi.", "not_a_label")))
    assert "not_a_label" not in s["labels"]
    with pytest.raises(ValueError, match="2 turns but 1 analyses"):
        summarize([Turn("rep", "a"), Turn("buyer", "b")], [None])


def test_cheap_enough_for_every_turn():
    turns, analysed = conversation(*[
        rep("What would change for your team if this worked?", "open_question", "curiosity", questions=1),
        buyer("We would finally sleep at night, honestly, after the outage."),
    ] * 2500)
    t = time.perf_counter()
    s = summarize(turns, analysed)
    assert time.perf_counter() - t < 0.5  # measured about 10 ms for these 5,000 turns
    assert s["questions"] == 2500
