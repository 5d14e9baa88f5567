"""The label contract of ../shared/LABELS.md, in one place.

Every part of coach (the analyser, the buyer, scoring, the store, the UI) names
labels through this module so the names stay exactly as the contract writes them.
"""

from __future__ import annotations

#: Question form: at most one per rep turn.
QUESTION_FORMS: tuple[str, ...] = ("open_question", "closed_question", "leading_question")

#: Behaviours: any number per rep turn.
BEHAVIOURS: tuple[str, ...] = (
    "curiosity",
    "follow_up",
    "reflection",
    "empathy",
    "mutual_success",
    "self_interested",
    "pitching",
    "pressure",
)

#: Needs the conversation: interrogation rather than conversation.
CONVERSATION_LABELS: tuple[str, ...] = ("checklist",)

#: All twelve labels, in the order the contract lists them.
LABELS: tuple[str, ...] = QUESTION_FORMS + BEHAVIOURS + CONVERSATION_LABELS

#: Labels that open a buyer up.
GOOD: frozenset[str] = frozenset(
    {"open_question", "curiosity", "follow_up", "reflection", "empathy", "mutual_success"}
)
#: Labels that put a buyer on the defensive.
BAD: frozenset[str] = frozenset(
    {"leading_question", "self_interested", "pitching", "pressure", "checklist"}
)

#: Human names for chips and reports.
HUMAN: dict[str, str] = {
    "open_question": "open question",
    "closed_question": "closed question",
    "leading_question": "leading question",
    "curiosity": "curiosity",
    "follow_up": "follow-up",
    "reflection": "reflection",
    "empathy": "empathy",
    "mutual_success": "mutual success",
    "self_interested": "self-interested",
    "pitching": "pitching",
    "pressure": "pressure",
    "checklist": "checklist",
}


def human(label: str) -> str:
    """The human name of a label ("leading question" for ``leading_question``)."""
    return HUMAN.get(label, label.replace("_", " "))


#: How a label the buyer excused is shown in place of its reason (see
#: BuyerMove.excused): self-interest or a pitch once value was established.
EXCUSED_WHY = "fine here: the buyer trusted the rep by then"


def human_list(labels, excused=()) -> str:
    """Labels' human names, comma-separated, one the buyer excused marked "(fine here)"."""
    return ", ".join(human(x) + (" (fine here)" if x in excused else "") for x in labels)


def only_excused(labels, excused) -> bool:
    """Whether every fault among ``labels`` is one the buyer ``excused``: then
    the turn's tips, written about those faults, are not shown."""
    return bool(excused) and not (set(labels) & BAD) - set(excused)
