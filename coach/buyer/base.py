"""The buyer interface: what any simulated buyer (rules now, an LLM later) provides.

A buyer is handed a :class:`BuyerState` it owns and updates, and the analysed rep
turn; it answers with a :class:`BuyerTurn`. The engine (coach/engine.py) keeps
the state, the store and the scorecard; it does not care which buyer runs.

Nothing here imports numpy, spaCy or Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover
    from coach.analysis.types import AnalysedTurn

#: Why a session ended. ``walkout``: the buyer ended the meeting; ``next_step``:
#: a next step was agreed; ``max_turns``: out of time; ``finished``: the rep ended it.
EndReason = Literal["walkout", "next_step", "max_turns", "finished"]

#: What kind of reply a buyer turn is (for the UI and for tests).
ReplyKind = Literal[
    "opening",  # the buyer's first line
    "reveal",  # a hidden fact, asked about well enough
    "volunteer",  # a hidden fact offered unasked by a trusting buyer
    "guarded",  # asked about a hidden fact, but not well enough
    "reaction",  # a line reacting to the rep's behaviour
    "curt",  # trust is low: short and cold
    "walkout",  # the buyer ends the meeting
    "next_step",  # the buyer agrees a next step
    "declined",  # a next step proposed too early
    "fallback",  # nothing in particular to react to
]


@dataclass
class BuyerState:
    """Everything a buyer knows about the conversation so far. The buyer updates it in ``reply``."""

    #: The buyer's trust in the rep, 0-100.
    trust: float
    #: Ids of the discoveries revealed so far, in the order they were revealed.
    discovered: list[str] = field(default_factory=list)
    #: Rep turns so far.
    turn: int = 0
    #: Whether the conversation is over, and why (an EndReason).
    ended: bool = False
    end_reason: str | None = None
    #: Consecutive rep turns that lowered trust with bad behaviour.
    bad_streak: int = 0
    #: Rep turns that lowered trust with bad behaviour, in all.
    bad_turns: int = 0
    #: Whether the buyer has turned curt (low trust or repeated bad behaviour).
    curt: bool = False
    #: The discovery the buyer's last reply was about (revealed or guarded), if any:
    #: a "tell me more" from the rep goes on with it.
    last_topic: str | None = None
    #: Every buyer reply so far (the buyer never repeats one verbatim).
    said: list[str] = field(default_factory=list)
    #: The scenario lines used so far, for buyers that compose replies from parts.
    used: list[str] = field(default_factory=list)

    def snapshot(self) -> dict:
        """A JSON-ready copy for the UI and for reports."""
        return {
            "trust": round(self.trust, 1),
            "discovered": list(self.discovered),
            "turn": self.turn,
            "ended": self.ended,
            "end_reason": self.end_reason,
            "bad_streak": self.bad_streak,
            "curt": self.curt,
        }


@dataclass(frozen=True)
class BuyerTurn:
    """One thing the buyer says, and what it did to the conversation."""

    #: What the buyer says.
    text: str
    #: What kind of reply it is (a ReplyKind).
    kind: str = "reaction"
    #: Discoveries revealed (or volunteered) by this reply.
    revealed: tuple[str, ...] = ()
    #: Discoveries the rep's turn was judged to be about (revealed or not).
    asked_about: tuple[str, ...] = ()
    #: The buyer's trust after the rep's turn, and the change it made.
    trust: float = 0.0
    trust_change: float = 0.0
    #: Whether this reply ends the conversation, and why (an EndReason).
    ended: bool = False
    end_reason: str | None = None


@runtime_checkable
class Buyer(Protocol):
    """A simulated buyer. ``RuleBuyer`` (coach/buyer/rule.py) is the embedded default;
    an LLM-driven buyer implements the same two calls."""

    def opening(self, state: BuyerState) -> BuyerTurn:
        """The buyer's first line, before the rep speaks."""
        ...

    def reply(self, state: BuyerState, analysed: AnalysedTurn) -> BuyerTurn:
        """React to the analysed rep turn: update ``state`` (trust, discovered,
        ended...) and return what the buyer says."""
        ...
