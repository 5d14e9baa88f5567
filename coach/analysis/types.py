"""The analyser's data types: the contract between the analyser and its users
(the buyer, scoring, the store, the CLI and the app). Plain dataclasses, no
heavy imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Speaker = Literal["rep", "buyer"]


@dataclass(frozen=True)
class Turn:
    """One turn of a conversation as text."""

    speaker: Speaker
    text: str


@dataclass(frozen=True)
class Evidence:
    """Why a label was given: the words of the turn that show it.

    ``start``/``end`` are character offsets into the turn's text, so that
    ``text[start:end] == quote``.
    """

    label: str
    start: int
    end: int
    quote: str
    why: str


@dataclass(frozen=True)
class AnalysedTurn:
    """A rep turn with its labels (names from coach.labels), evidence and tips."""

    text: str
    labels: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()
    tips: tuple[str, ...] = ()
    #: Number of questions (asking sentences or inviting imperatives) in the turn.
    questions: int = 0
    #: Number of words in the turn.
    words: int = 0
    #: Unit-length sentence embedding of the turn (numpy float32 vector), or
    #: None when the analyser ran without its encoder. The buyer uses it to
    #: match a turn to a scenario's discoveries by meaning.
    embedding: object | None = field(default=None, repr=False, compare=False)
    #: The trained heads' probability per label (empty when the rules decided
    #: alone). For inspection and calibration; the labels are the decision.
    scores: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def has(self, label: str) -> bool:
        return label in self.labels
