"""Tips: what to do instead, quoting the rep's own words.

One tip per problem found, worst first, at most three; a turn with nothing to fix
gets one short note on what worked, so the rep knows what to keep doing."""

from __future__ import annotations

import re

from coach.analysis.types import Evidence


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


def _leading_tip(e: Evidence, whole: Evidence | None = None) -> str:
    why = e.why
    quote = _q((whole or e).quote)
    low = e.quote.lower()
    if "hypothetical" in why or re.search(r"\bwould you be interested\b", low):
        return (f"Ask what they hope to achieve rather than whether they would be interested: "
                f"instead of {quote}, try “What would you want to be different a year from now?”")
    if "tag question" in why or "agree" in why:
        return (f"Let them judge: instead of {quote}, ask “How big a problem is that for you?” "
                f"and let them tell you.")
    if "pitch" in why:
        return (f"Ask about their world, not your offer: instead of {quote}, try "
                f"“What would have to change for this to be worth fixing?”")
    return (f"Ask it neutrally: {quote} points to the answer you want. Try “What do you make "
            f"of that?” or “How do you see it?”")


TIPS_BAD = {
    "pressure": lambda e: (f"Drop the push in {_q(e.quote)}: ask what worries them instead, e.g. "
                           f"“What concerns you most about changing?”"),
    "pitching": lambda e: (f"Hold the pitch ({_q(e.quote)}) until you know what matters to them: "
                           f"ask “What would a good outcome look like for you?” first."),
    "self_interested": lambda e: (f"{_q(e.quote)} serves your agenda. Earn it: first ask what they "
                                  f"are trying to achieve and why now; budget and sign-off come later."),
    "checklist": lambda e: ("This is turning into an interrogation. Take up something they just said "
                            "(“You mentioned …, what did that mean for you?”) instead of the next "
                            "question on your list."),
}


def tips_for(labels: set[str], evidence: list[Evidence], *, buyer_last: str | None,
             questions: int) -> list[str]:
    tips: list[str] = []
    e = _first(evidence, "leading_question")
    if "leading_question" in labels and e:
        whole = max((x for x in evidence if x.label == "leading_question"), key=lambda x: x.end - x.start)
        tips.append(_leading_tip(e, whole))
    for lab in ("pressure", "pitching", "self_interested"):
        e = _first(evidence, lab)
        if lab in labels and e:
            tips.append(TIPS_BAD[lab](e))
    if "checklist" in labels:
        if questions >= 3:
            tips.append("Ask one question at a time: you stacked "
                        f"{questions}, so the buyer will answer the easiest one. Keep the one that "
                        "matters most to them.")
        else:
            tips.append(TIPS_BAD["checklist"](None))
    if "closed_question" in labels and not labels & {"curiosity", "follow_up"} and len(tips) < 3:
        e = _first(evidence, "closed_question")
        quote = _q(e.quote) if e else "that question"
        tips.append(f"{quote} gets a short answer. Open it up: ask how or why, e.g. “How does "
                    f"that work for you today?”")
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
            tips.append("Ask about their world next: an open question (“What's behind that?”) "
                        "keeps them talking.")
    return tips[:3]
