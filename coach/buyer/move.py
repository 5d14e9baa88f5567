"""What the buyer does on a turn, as data, and the voices that put it into words.

Deciding and phrasing are separate (docs/architecture.md):

- the **director** (coach/buyer/director.py) reads the analysed rep turn, what
  it is about in the scenario and the conversation so far, and decides a
  :class:`BuyerMove`: reveal this fact, hold it back, answer this plain fact,
  say it does not know, react to a pitch, raise or press an objection, accept
  or decline the next step, walk out... It alone decides what the buyer knows
  and tells, and how trust moves;
- a **voice** phrases the move (:class:`Voice`). The rule voice says one of the
  scenario's own lines (``move.lines``); a language-model voice may say the
  same thing in its own words, but it is only ever given what the move allows
  (``move.lines`` and ``move.facts``), so it cannot tell a fact the rep has
  not earned.

Trust, discoveries, labels and the score depend on the moves alone, so they are
the same whichever voice speaks.

Nothing here imports numpy, spaCy or Textual.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover
    from coach.scenario import Scenario

#: What the buyer does on a turn.
MoveKind = Literal[
    "opening",  # the buyer's first line
    "reveal",  # tells a hidden fact (a discovery) the rep asked about well enough
    "volunteer",  # offers a related hidden fact unasked: a reflection that carried their words earned it
    "elaborate",  # more on a fact already told, to a follow-up about it
    "hold",  # asked about a hidden fact it is not ready to tell: the holding line
    "answer",  # a plain fact the scenario lists (facts:)
    "unknown",  # a factual question about something the scenario does not say: "I'd have to check"
    "surface",  # a generic prompt ("tell me more", "what are your goals?"): an answer that tells nothing hidden
    "confirm",  # a reflection or acknowledgement that carried their words: they agree
    "react",  # reacts to bad behaviour: a pitch, pressure, a leading or self-interested question, a checklist
    "object",  # raises one of the scenario's objections
    "press",  # presses an objection the rep has not handled
    "concede",  # an objection handled: the buyer accepts the answer
    "repeat",  # the rep said (nearly) the same thing before
    "small_talk",  # a greeting, thanks, logistics: a brief reply
    "accept",  # agrees the next step: the meeting ends well
    "decline",  # a next step proposed before the buyer is ready
    "consider",  # a proposal that is not the scenario's next step: neither yes nor no, what would it involve?
    "curt",  # trust is low or bad turns came in a row: short and cold
    "walkout",  # ends the meeting
]

#: The moves that end the meeting.
ENDING_KINDS: frozenset[str] = frozenset({"accept", "walkout"})
#: The moves that take the rep's turn as a proposal: agreed, declined, considered.
PROPOSAL_KINDS: frozenset[str] = frozenset({"accept", "decline", "consider"})


@dataclass(frozen=True)
class TopicMatch:
    """What a rep turn was about, among the scenario's topics, and how closely."""

    #: discovery, fact, objection, next_step; "generic" for a prompt that fits
    #: any buyer; "none" when the turn asks about nothing the scenario knows.
    kind: Literal["discovery", "fact", "objection", "next_step", "generic", "none"]
    #: The id of the discovery, fact or objection (None for the others).
    id: str | None = None
    #: Cosine similarity of the turn to the topic's prototypes (0 without an encoder).
    similarity: float = 0.0
    #: How it matched, in words: "meaning 0.61", "shared words: cost, outage",
    #: "continues the last topic".
    how: str = ""


@dataclass(frozen=True)
class BuyerMove:
    """The director's decision for one buyer turn."""

    kind: MoveKind
    #: What the rep's turn was about (None for the opening).
    topic: TopicMatch | None = None
    #: Discoveries told by this turn (reveal, volunteer).
    revealed: tuple[str, ...] = ()
    #: The fact answered (answer), or the objection raised, pressed or conceded.
    fact: str | None = None
    objection: str | None = None
    #: The label the buyer reacts to (react, curt), if any.
    reacting_to: str | None = None
    #: Trust before and after the rep's turn (0-100).
    trust_before: float = 0.0
    trust_after: float = 0.0
    #: Whether this turn ends the meeting, and why: walkout, next_step, max_turns.
    ended: bool = False
    end_reason: str | None = None
    #: The scenario's lines for this move: the rule voice says one not used
    #: yet in the session. Everything the buyer may say.
    lines: tuple[str, ...] = ()
    #: What to say instead once every one of ``lines`` has been said in the
    #: session (more asked on a story told in full): "That's about all there
    #: is to it." to "Tell me more", an honest "I'd have to think about that."
    #: to a new question the scenario has no line for. Empty: say a line again.
    then: tuple[str, ...] = ()
    #: A short lead-in said first (how the buyer takes the way the rep put it:
    #: "That's a question with your product already inside it."), may be empty.
    lead: tuple[str, ...] = ()
    #: Plain facts the buyer may draw on while saying it (the answer to a
    #: factual question, what an objection is about). Never an unearned discovery.
    facts: tuple[str, ...] = ()
    #: Why the director decided this, one short clause each: for
    #: `coach simulate --explain` and failing scenario tests.
    reasons: tuple[str, ...] = ()
    #: Whether the rep's turn carried something of this buyer (their words, or
    #: words of their world) rather than a prompt that fits any buyer.
    specific: bool = True
    #: How much of what the buyer had just told the rep's turn took up: 1 in
    #: the rep's own words, 0.5 parroted back, 0 nothing (or nothing to take
    #: up: a reaction, an acknowledgement).
    took_up: float = 0.0
    #: Whether the rep's turn asked something (a question, an invitation to
    #: talk): only a turn that asks is about a topic the buyer answers.
    asked: bool = True
    #: Analyser labels the buyer did not hold against the turn: self-interest
    #: (and a proposal's pitch) once value was established. The scorecard
    #: judges the turn without them too.
    excused: tuple[str, ...] = ()

    @property
    def trust_change(self) -> float:
        return self.trust_after - self.trust_before

    @property
    def parroted(self) -> bool:
        """The rep's turn handed the buyer's words back rather than restating them (see took_up)."""
        return 0 < self.took_up < 1

    @property
    def asked_about(self) -> tuple[str, ...]:
        """The discovery the rep's turn asked about, if it asked about one (a
        question that settled a concern and asked for its story asked about
        the discovery it was told)."""
        if self.asked and self.topic is not None and self.topic.kind == "discovery" and self.topic.id:
            return (self.topic.id,)
        if self.asked and self.kind == "concede" and self.revealed:
            return self.revealed
        return ()

    @property
    def proposed(self) -> bool:
        """The buyer took the rep's turn as a proposal (PROPOSAL_KINDS, or the
        next step that set off a concern): no question to judge as one."""
        return self.kind in PROPOSAL_KINDS or (self.topic is not None and self.topic.kind == "next_step")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (stored with the buyer's turn; shown by --explain)."""
        t = self.topic
        return {
            "kind": self.kind,
            "topic": None if t is None else {"kind": t.kind, "id": t.id, "similarity": round(t.similarity, 3),
                                             "how": t.how},
            "revealed": list(self.revealed),
            "fact": self.fact,
            "objection": self.objection,
            "reacting_to": self.reacting_to,
            "trust_before": round(self.trust_before, 1),
            "trust_after": round(self.trust_after, 1),
            "ended": self.ended,
            "end_reason": self.end_reason,
            "reasons": list(self.reasons),
            "specific": self.specific,
            "took_up": self.took_up,
            "asked": self.asked,
            "excused": list(self.excused),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> BuyerMove:
        """The move as :meth:`to_dict` stored it (lines and facts are not stored)."""
        t = d.get("topic")
        return cls(
            kind=d.get("kind", "surface"),
            topic=None if not t else TopicMatch(kind=t.get("kind", "none"), id=t.get("id"),
                                                similarity=float(t.get("similarity") or 0.0), how=t.get("how") or ""),
            revealed=tuple(d.get("revealed") or ()),
            fact=d.get("fact"),
            objection=d.get("objection"),
            reacting_to=d.get("reacting_to"),
            trust_before=float(d.get("trust_before") or 0.0),
            trust_after=float(d.get("trust_after") or 0.0),
            ended=bool(d.get("ended")),
            end_reason=d.get("end_reason"),
            reasons=tuple(d.get("reasons") or ()),
            specific=bool(d.get("specific", True)),
            took_up=float(d.get("took_up") or 0.0),
            asked=bool(d.get("asked", True)),
            excused=tuple(d.get("excused") or ()),
        )


@dataclass(frozen=True)
class BuyerTurn:
    """One thing the buyer said: the move, its words, and which voice said them."""

    text: str
    move: BuyerMove
    #: "rule", "llm:MODEL", or "rule (fallback: REASON)".
    voice: str = "rule"
    #: The rule voice's line for the move: what the analyser read as the
    #: buyer's turn, and what the talk share counts, whichever voice spoke.
    rule_line: str = ""

    @property
    def canonical(self) -> str:
        """The move's content as the rule voice says it (the text itself when no other voice spoke)."""
        return self.rule_line or self.text

    # Shorthands the engine, scoring and the UI read.
    @property
    def kind(self) -> str:
        return self.move.kind

    @property
    def revealed(self) -> tuple[str, ...]:
        return self.move.revealed

    @property
    def asked_about(self) -> tuple[str, ...]:
        return self.move.asked_about

    @property
    def trust(self) -> float:
        return self.move.trust_after

    @property
    def trust_change(self) -> float:
        return self.move.trust_change

    @property
    def ended(self) -> bool:
        return self.move.ended

    @property
    def end_reason(self) -> str | None:
        return self.move.end_reason


@dataclass(frozen=True)
class VoiceContext:
    """What a voice may know when phrasing a move: who the buyer is and what has
    been said. Nothing the director has not allowed (see BuyerMove.lines/facts)."""

    scenario: Scenario
    #: The conversation so far, oldest first: ("rep" | "buyer", text). The
    #: rep's turn being answered is the last entry.
    history: tuple[tuple[str, str], ...] = ()
    #: The rule voice's phrasing of this move: what a language-model voice
    #: falls back to, and the gist it must convey.
    rule_line: str = ""
    #: Seed for any choice the voice makes (sessions are reproducible).
    seed: int = 0


class VoiceError(Exception):
    """A voice could not phrase a move (slow, failed, unusable): ``reason`` is
    one short line; the engine says the rule voice's line instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@runtime_checkable
class Voice(Protocol):
    """Phrases a move. ``speak`` yields the reply in pieces (a streaming voice
    yields as the words arrive; the rule voice yields one piece) and raises
    VoiceError when it cannot produce a usable reply."""

    #: "rule" or "llm:MODEL": recorded with every buyer turn.
    name: str

    def speak(self, move: BuyerMove, context: VoiceContext) -> Iterator[str]:
        ...
