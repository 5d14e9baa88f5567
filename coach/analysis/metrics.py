"""Per-conversation metrics: the summary `coach analyze` prints, the app's live
metrics panel shows and the scorecard builds on.

:func:`summarize` is pure and linear in the number of turns (a regex word count
per turn, no model), so the app can call it after every turn.
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.analysis.language import word_count
from coach.analysis.types import AnalysedTurn, Turn
from coach.labels import LABELS, QUESTION_FORMS

__all__ = [
    "summarize",
    "word_count",
    "TALK_SHARE_BENCHMARK",
    "REFLECTION_BENCHMARK",
    "reflection_rating",
]

#: Where the rep's share of the words stands against Gong's research.
TALK_SHARE_BENCHMARK = "winning reps talk about 43% of the time, average reps 65-75% (Gong)"
#: What Motivational Interviewing practice counts as a good reflection-to-question ratio.
REFLECTION_BENCHMARK = "Motivational Interviewing counts 1:1 as fair and 2:1 as good"

_QUESTION_FORMS = frozenset(QUESTION_FORMS)


def reflection_rating(ratio: float | None) -> str | None:
    """"good" from 2:1 reflections to questions, "fair" from 1:1, else "low";
    None when there were no questions to compare with."""
    if ratio is None:
        return None
    return "good" if ratio >= 2 else "fair" if ratio >= 1 else "low"


def summarize(turns: Sequence[Turn], analysed: Sequence[AnalysedTurn | None]) -> dict:
    """The metrics of one conversation.

    ``analysed[i]`` is the analysis of ``turns[i]``: an AnalysedTurn for a rep
    turn, None for a buyer turn (a rep turn whose analysis is None counts for
    words only). Returns a JSON-ready dict:

    - ``turns``, ``rep_turns``, ``buyer_turns``, ``rep_words``, ``buyer_words``;
    - ``rep_talk_share``: the rep's share of all words (0-1; None with no
      words), with ``talk_share_benchmark``;
    - ``questions`` (asking sentences, at least one per turn with a question
      form), ``question_turns`` (rep turns with a question),
      ``questions_per_rep_turn``;
    - ``open_questions``, ``closed_questions``, ``leading_questions`` and
      ``question_mix`` ("open:closed:leading", e.g. "3:1:0");
    - ``longest_rep_monologue`` and ``longest_buyer_stretch``: the most words
      in one stretch of consecutive turns of one side;
    - ``checklist_runs`` (runs of consecutive rep turns labelled checklist;
      buyer turns between them do not break a run) and
      ``longest_checklist_run`` (rep turns);
    - ``reflections``, ``reflection_to_question`` (reflection turns per
      question; None with no questions), ``reflection_rating``
      (good/fair/low) and ``reflection_benchmark``;
    - ``follow_ups`` (question turns that are follow-ups) and
      ``follow_up_rate`` (their share of question turns; None with none);
    - ``labels``: the count of rep turns carrying each label of
      coach.labels.LABELS, zeros included, in the contract's order.
    """
    # One piece: a single pass over the turns updates every counter together, so
    # the figures agree with each other and the cost stays linear; most of the
    # length is the docstring naming every key and the dict that returns them.
    if len(turns) != len(analysed):
        raise ValueError(f"summarize() got {len(turns)} turns but {len(analysed)} analyses")
    counts = dict.fromkeys(LABELS, 0)
    words = {"rep": 0, "buyer": 0}
    n_turns = {"rep": 0, "buyer": 0}
    longest = {"rep": 0, "buyer": 0}
    side: str | None = None
    stretch = 0
    questions = question_turns = follow_ups = 0
    checklist_runs = longest_run = run = 0

    for turn, result in zip(turns, analysed):
        speaker = "rep" if turn.speaker == "rep" else "buyer"
        w = word_count(turn.text)
        words[speaker] += w
        n_turns[speaker] += 1
        stretch = stretch + w if speaker == side else w
        side = speaker
        if stretch > longest[speaker]:
            longest[speaker] = stretch
        if speaker != "rep":
            continue
        if result is None:
            run = 0
            continue
        labels = result.labels
        for label in labels:
            if label in counts:
                counts[label] += 1
        asks = result.questions
        if not asks and _QUESTION_FORMS.intersection(labels):
            asks = 1  # an inviting imperative ("Tell me more") may count no sentence
        if asks:
            questions += asks
            question_turns += 1
            if "follow_up" in labels:
                follow_ups += 1
        if "checklist" in labels:
            run += 1
            if run == 1:
                checklist_runs += 1
            longest_run = max(longest_run, run)
        else:
            run = 0

    total_words = words["rep"] + words["buyer"]
    reflections = counts["reflection"]
    ratio = _ratio(reflections, questions)
    return {
        "turns": len(turns),
        "rep_turns": n_turns["rep"],
        "buyer_turns": n_turns["buyer"],
        "rep_words": words["rep"],
        "buyer_words": words["buyer"],
        "rep_talk_share": _ratio(words["rep"], total_words),
        "talk_share_benchmark": TALK_SHARE_BENCHMARK,
        "questions": questions,
        "question_turns": question_turns,
        "questions_per_rep_turn": _ratio(questions, n_turns["rep"]),
        "open_questions": counts["open_question"],
        "closed_questions": counts["closed_question"],
        "leading_questions": counts["leading_question"],
        "question_mix": f"{counts['open_question']}:{counts['closed_question']}:{counts['leading_question']}",
        "longest_rep_monologue": longest["rep"],
        "longest_buyer_stretch": longest["buyer"],
        "checklist_runs": checklist_runs,
        "longest_checklist_run": longest_run,
        "reflections": reflections,
        "reflection_to_question": ratio,
        "reflection_rating": reflection_rating(ratio),
        "reflection_benchmark": REFLECTION_BENCHMARK,
        "follow_ups": follow_ups,
        "follow_up_rate": _ratio(follow_ups, question_turns),
        "labels": counts,
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None
