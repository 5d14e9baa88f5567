"""Tips: what to do instead, quoting the rep's own words.

One tip per problem found, worst first, at most three; a turn with nothing to fix
gets one short note on what worked, so the rep knows what to keep doing.

A tip that suggests a question reads the conversation first: a rep who already
asked what a good outcome looks like, and heard the answer, is told to build on
that answer rather than to ask again (issue 18).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coach.analysis.language import stem, words
from coach.analysis.types import Evidence, Uptake


def _q(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“{text}”"


def _first(evidence: list[Evidence], label: str) -> Evidence | None:
    for e in evidence:
        if e.label == label:
            return e
    return None


# --------------------------------------------------------------------------- the conversation so far


def _stems_of(question: str) -> frozenset[str]:
    """The stems of every word of a question (a Topic's keys are stems too)."""
    return frozenset(stem(w) for w in words(question.lower()))


@dataclass
class Asked:
    """A question the rep asked, and the buyer's next turn once it came."""

    question: str
    answer: str | None = None
    #: The stems of the question's words, worked out once: every later turn's
    #: tips look the question up again (a 400-turn call's were re-stemmed
    #: 400 times, a third of the analyser's time per turn).
    stems: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.stems = _stems_of(self.question)


@dataclass
class History:
    """The rep's questions so far in one conversation, with the buyer's answers."""

    questions: list[Asked] = field(default_factory=list)

    def asked(self, questions: list[str]) -> None:
        """The rep's latest turn asked these (its question sentences)."""
        self.questions += [Asked(q) for q in questions]

    def heard(self, buyer_text: str) -> None:
        """The buyer's turn: the answer to the questions still open."""
        for a in reversed(self.questions):
            if a.answer is not None:
                break
            a.answer = buyer_text

    def about(self, topic: Topic) -> Asked | None:
        """The latest question on ``topic``, answered ones first."""
        hits = [a for a in self.questions if a.stems & topic.keys]
        answered = [a for a in hits if a.answer and a.answer.strip()]
        return (answered or hits or [None])[-1]


@dataclass(frozen=True)
class Topic:
    """What a suggested question asks about, and the words that show a rep's own
    question asked about it already ("What are you hoping to achieve?" asks
    about goals as much as "What would a good outcome look like for you?")."""

    question: str
    #: Stems of the words that mark the topic.
    keys: frozenset[str]
    #: What the buyer's answer told the rep, for "they told you ...".
    told: str


def _topic(question: str, keys: str, told: str) -> Topic:
    return Topic(question, frozenset(stem(k) for k in keys.split()), told)


GOALS = _topic("What would a good outcome look like for you?",
               "outcome outcomes success successful succeed succeeding goal goals achieve achieving achieved hope hopes "
               "hoping hoped win ideal", "what matters to them")
CONCERNS = _topic("What concerns you most about changing?",
                  "concern concerns concerned worry worries worried risk risks afraid nervous hesitant hesitation",
                  "what worries them")
CHANGE = _topic("What would you want to be different a year from now?",
                "different change changes improve improvement better", "what they want to change")
SIZE = _topic("How big a problem is that for you?", "problem cost costing impact hurt hurting", "what it costs them")
TODAY = _topic("How does that work for you today?", "today currently process workflow manage handle",
               "how it works today")
BEHIND = _topic("What's behind that?", "behind reason why", "what is behind it")
VIEW = _topic("How do you see it?", "see view make think", "how they see it")


def _ask(topic: Topic, history: History | None) -> tuple[str, Asked | None]:
    """(the question to suggest, the earlier question on that topic the buyer
    already answered, if any)."""
    earlier = history.about(topic) if history is not None else None
    if earlier is not None and earlier.answer:
        return topic.question, earlier
    return topic.question, None


def _build_on(earlier: Asked, topic: Topic) -> str:
    """"you asked “…” and they told you what matters to them: “…” Build on that
    answer" (the caller ends the sentence)."""
    answer = _q(earlier.answer or "", 70)
    stop = "" if answer[-2:-1] in ".?!…" else "."
    return (f"you asked {_q(earlier.question, 60)} and they told you {topic.told}: "
            f"{answer}{stop} Build on that answer")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- tips


def _leading_tip(e: Evidence, whole: Evidence | None, history: History | None) -> str:
    why = e.why
    quote = _q((whole or e).quote)
    low = e.quote.lower()
    if "hypothetical" in why or "trial close" in why or re.search(r"\bwould you be interested\b", low):
        topic, lead = CHANGE, f"Ask what they hope to achieve rather than whether they would be interested: instead of {quote}"
    elif "tag question" in why or "agree" in why:
        topic, lead = SIZE, f"Let them judge: instead of {quote}"
    elif "pitch" in why:
        topic, lead = CHANGE, f"Ask about their world, not your offer: instead of {quote}"
    else:
        topic, lead = VIEW, f"Ask it neutrally: {quote} points to the answer you want"
    question, earlier = _ask(topic, history)
    if earlier is not None:
        return f"{lead}: {_build_on(earlier, topic)}."
    if topic is SIZE:
        return f"{lead}, ask “{question}” and let them tell you."
    if topic is VIEW:
        return f"{lead}. Try “What do you make of that?” or “{question}”"
    return f"{lead}, try “{question}”"


def _bad_tip(label: str, e: Evidence, history: History | None) -> str:
    if label == "pressure":
        question, earlier = _ask(CONCERNS, history)
        if earlier is not None:
            return f"Drop the push in {_q(e.quote)}: {_build_on(earlier, CONCERNS)} instead of pushing past it."
        return f"Drop the push in {_q(e.quote)}: ask what worries them instead, e.g. “{question}”"
    if label == "pitching":
        question, earlier = _ask(GOALS, history)
        if earlier is not None:
            return f"Tie the pitch ({_q(e.quote)}) to what they told you: {_build_on(earlier, GOALS)}, not on your product."
        return (f"Hold the pitch ({_q(e.quote)}) until you know what matters to them: "
                f"ask “{question}” first.")
    # self_interested
    question, earlier = _ask(GOALS, history)
    if earlier is not None:
        return f"{_q(e.quote)} serves your agenda. {_cap(_build_on(earlier, GOALS))} first; budget and sign-off come later."
    return (f"{_q(e.quote)} serves your agenda. Earn it: first ask what they "
            f"are trying to achieve and why now; budget and sign-off come later.")


_CHECKLIST = ("This is turning into an interrogation. Take up something they just said "
              "(“You mentioned …, what did that mean for you?”) instead of the next "
              "question on your list.")


def tips_for(labels: set[str], evidence: list[Evidence], *, buyer_last: str | None,
             questions: int, uptake: Uptake | None = None, history: History | None = None) -> list[str]:
    """The tips for a turn with these labels and evidence. ``uptake``: what it
    took up from ``buyer_last``; ``history``: the conversation's earlier
    questions and answers, so no tip suggests a question already answered."""
    tips: list[str] = []
    e = _first(evidence, "leading_question")
    if "leading_question" in labels and e:
        whole = max((x for x in evidence if x.label == "leading_question"), key=lambda x: x.end - x.start)
        tips.append(_leading_tip(e, whole, history))
    for lab in ("pressure", "pitching", "self_interested"):
        e = _first(evidence, lab)
        if lab in labels and e:
            tips.append(_bad_tip(lab, e, history))
    if "checklist" in labels:
        if questions >= 3:
            tips.append("Ask one question at a time: you stacked "
                        f"{questions}, so the buyer will answer the easiest one. Keep the one that "
                        "matters most to them.")
        else:
            tips.append(_CHECKLIST)
    if "closed_question" in labels and not labels & {"curiosity", "follow_up"} and len(tips) < 3:
        e = _first(evidence, "closed_question")
        quote = _q(e.quote) if e else "that question"
        question, earlier = _ask(TODAY, history)
        if earlier is not None:
            tips.append(f"{quote} gets a short answer. Open it up from what they said: {_build_on(earlier, TODAY)}.")
        else:
            tips.append(f"{quote} gets a short answer. Open it up: ask how or why, e.g. “{question}”")
    empty = "reflection" in labels and buyer_last and uptake is not None and not uptake.carried
    if empty and len(tips) < 3:
        e = _first(evidence, "reflection")
        quote = _q(e.quote) if e else "Your reflection"
        tips.append(f"{quote} restates nothing they said. Give their point back in your own words: "
                    f"they said {_q(buyer_last, 60)}.")
    if not tips and buyer_last and "follow_up" not in labels and questions and \
            len(buyer_last.split()) >= 6:
        tips.append(f"Build on their last words before moving on: they said {_q(buyer_last, 60)}. "
                    f"Ask what that meant for them.")
    if not tips:
        good = [lab for lab in ("reflection", "empathy", "follow_up", "curiosity", "mutual_success",
                                "open_question") if lab in labels]
        if good:
            names = {"reflection": "reflecting back what they said", "empathy": "acknowledging how "
                     "they feel", "follow_up": "building on their words", "curiosity": "exploring "
                     "their world", "mutual_success": "framing a shared outcome",
                     "open_question": "asking openly"}
            tips.append("Good: keep " + " and ".join(names[g] for g in good[:2]) + ".")
        elif not questions:
            question, earlier = _ask(BEHIND, history)
            tips.append("Ask about their world next: an open question (“What's behind that?”) "
                        "keeps them talking." if earlier is None else
                        f"Ask about their world next: {_build_on(earlier, BEHIND)} with an open question.")
    return tips[:3]
