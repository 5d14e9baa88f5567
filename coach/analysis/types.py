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
class SentenceForm:
    """One sentence of a rep turn as the analyser read it: where it is, and
    whether and how it asks (``"open"``, ``"closed"``, ``"leading"``; None for
    a statement). The buyer reads these instead of splitting sentences again."""

    start: int
    end: int
    form: str | None = None
    #: How many questions it asks (stacked ones counted); 0 for a statement.
    questions: int = 0


@dataclass(frozen=True)
class Uptake:
    """What a rep turn took up from the buyer's last turn: their words, their
    numbers, their meaning. A reflection or follow-up that carries none of it
    ("So what I'm hearing is that it has been difficult.") takes up nothing."""

    #: The buyer's content words the turn took up, as the buyer wrote them.
    words: tuple[str, ...] = ()
    #: Numbers from the buyer's turn that the rep's turn repeats.
    numbers: tuple[str, ...] = ()
    #: Cosine similarity between the turn's restating sentence and the buyer's
    #: turn (general sentence encoder), or None when the encoder did not run.
    meaning: float | None = None
    #: Share of the rep's words copied verbatim from the buyer's turn in runs of
    #: four words or more: near 1 is parroting, not restating.
    echo: float = 0.0

    @property
    def carried(self) -> bool:
        """Whether the turn took up anything of the buyer's at all."""
        return bool(self.words or self.numbers) or (self.meaning or 0.0) >= UPTAKE_MEANING

    def describe(self) -> str:
        """'two retail accounts, notice' for evidence; '' when nothing was taken up."""
        return ", ".join(dict.fromkeys((*self.numbers, *self.words)))

    def to_dict(self) -> dict:
        return {"words": list(self.words), "numbers": list(self.numbers),
                "meaning": None if self.meaning is None else round(self.meaning, 3), "echo": round(self.echo, 3)}

    @classmethod
    def from_dict(cls, d: dict | None) -> Uptake:
        d = d or {}
        m = d.get("meaning")
        return cls(words=tuple(d.get("words") or ()), numbers=tuple(d.get("numbers") or ()),
                   meaning=None if m is None else float(m), echo=float(d.get("echo") or 0.0))


#: Meaning similarity at or above which a turn restates the buyer's turn even
#: with none of their words (a paraphrase). Measured on the 141 reflections
#: after a buyer turn in train_q/train_r, 32 of them marked content-free by
#: their writers: with this threshold and the shared words, 83% of the
#: reflections with content take something up, 9% of the content-free ones
#: (0.45 would give 83% and 12%).
UPTAKE_MEANING = 0.55


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
    #: What the turn took up from the buyer's last turn.
    uptake: Uptake = field(default_factory=Uptake)
    #: The turn's sentences and their question forms, in order.
    sentences: tuple[SentenceForm, ...] = ()

    def has(self, label: str) -> bool:
        return label in self.labels
