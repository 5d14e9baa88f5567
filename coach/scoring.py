"""The scorecard: a practice session's transcript -> a 0-100 score in four parts a rep can act on.

Parts (weights: the scenario's ``scoring:``, else DEFAULT_SCORING_WEIGHTS in coach/scenario/models.py):

- **discovery**: the weighted share of the scenario's hidden facts uncovered.
- **questions**: question quality, turn by turn: open and curious questions
  score high; closed ones middling; leading, self-interested and checklist
  questions low.
- **listening**: the rep's share of the words, follow-ups and reflections
  (building on what the buyer said), and the longest rep turn; from the
  analyser's conversation metrics (coach.analysis.metrics.summarize).
- **relationship**: the buyer's trust at the end, how the rep's turns moved it,
  and whether the meeting ended well (a next step) or badly (a walkout).

Each part quotes its best and worst rep turn with the reason, and gives one
thing to try next time. Hints cost ``HINT_COST`` points each. The score depends
only on the transcript (the analysed turns and the buyer's replies), so the same
transcript always gets the same score.

No heavy imports: this module needs only the analysed turns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from coach.scenario import DEFAULT_SCORING_WEIGHTS

if TYPE_CHECKING:  # pragma: no cover
    from coach.analysis.types import AnalysedTurn
    from coach.buyer.move import BuyerTurn
    from coach.scenario import Scenario

#: Points taken off the total for each hint the rep asked for.
HINT_COST = 5

PART_TITLES: dict[str, str] = {
    "discovery": "Discovery",
    "questions": "Question quality",
    "listening": "Listening",
    "relationship": "Relationship",
}

# -- questions: the value of one question turn, 0-1 --------------------------
#: By question form; a turn the analyser counted questions in but gave no form gets QUESTION_OTHER.
QUESTION_FORM_VALUE = {"open_question": 1.0, "closed_question": 0.45, "leading_question": 0.0}
QUESTION_OTHER = 0.6
#: Added for curiosity; taken off for serving the seller's agenda or interrogating.
QUESTION_CURIOSITY = 0.15
QUESTION_SELF_INTERESTED = 0.4
QUESTION_CHECKLIST = 0.25
#: A question that would fit any buyer is worth this share of its value.
QUESTION_GENERIC = 0.3

# -- listening ----------------------------------------------------------------
#: Rep share of the words at or below which listening gets full marks for talk share, and at or above which none.
SHARE_GOOD, SHARE_BAD = 0.50, 0.85
#: Share of rep turns (after the first) that follow up or reflect, for full marks.
FOLLOW_TARGET = 0.5
#: Reflections (or empathic restatements) per question turn, for full marks.
REFLECT_TARGET = 0.4
#: Words in the longest rep turn at or below which there is no monologue penalty, and at or above which it is full.
MONOLOGUE_OK, MONOLOGUE_BAD = 45, 120
#: Talk share weighs less than building on answers: in a simulation the buyer's
#: line lengths are the scenario author's, not earned by the rep.
LISTENING_WEIGHTS = {"share": 0.25, "follow": 0.4, "reflect": 0.2, "monologue": 0.15}
#: Building on the buyer (follow-up rate plus reflection ratio) that earns the
#: talk-share and monologue marks in full; with none, QUIET_FLOOR of them.
QUIET_NEEDS_BUILDING = 0.3
QUIET_FLOOR = 0.3
#: A turn is quoted as a part's best only if it earns at least this (0-1): a
#: pushy rep's least bad question is not "best".
BEST_AT_LEAST = 0.5

# -- relationship -------------------------------------------------------------
#: The trust share is what the rep did for trust: none for ending at or below
#: where the buyer started, full for reaching TRUST_HIGH (or TRUST_MIN_GAIN
#: above the start, for a buyer who starts warm). Where a buyer starts is the
#: scenario's doing, not the rep's: a rep who says nothing to a friendly buyer
#: has earned nothing.
TRUST_HIGH = 70.0
TRUST_MIN_GAIN = 20.0
#: A walkout caps every part at this (a session the buyer walked out of
#: cannot score well on anything); an agreed next step adds a bonus.
WALKOUT_CAP = 30
NEXT_STEP_BONUS = 10

QUOTE_CHARS = 160

#: Score bands: at or above GOOD_FROM is good, at or above FAIR_FROM fair, else
#: poor. Every place that colours or words a score reads them through band().
GOOD_FROM, FAIR_FROM = 75, 50


#: How each way of ending reads, in the third person ({buyer}: the buyer's first name).
END_REASONS: dict[str, str] = {
    "walkout": "{buyer} ended the meeting",
    "next_step": "a next step was agreed",
    "max_turns": "time ran out",
    "finished": "the session was ended",
}


def end_sentence(reason: str | None, buyer: str = "the buyer") -> str:
    """How a session ended, as a clause: "Dana ended the meeting"."""
    # A person's first name ("Dana Okafor" -> "Dana"); a description stays whole ("the buyer").
    first = buyer if buyer.lower().startswith("the ") or not buyer.split() else buyer.split()[0]
    return END_REASONS.get(reason or "", "the meeting is over").format(buyer=first)


def band(score: float) -> str:
    """"good", "fair" or "poor" for a 0-100 score."""
    return "good" if score >= GOOD_FROM else "fair" if score >= FAIR_FROM else "poor"


class ExchangeLike(Protocol):
    """What scoring needs of one exchange (coach.engine.Exchange provides it)."""

    rep_text: str
    analysed: AnalysedTurn
    buyer: BuyerTurn
    trust_before: float
    trust_after: float
    revealed: tuple[str, ...]


@dataclass(frozen=True)
class TurnRef:
    """A rep turn a part points at, quoted, with the reason."""

    #: Index in the whole transcript (0 is the buyer's opening; rep turn k is 2k-1): the store's turn index.
    turn: int
    #: 1-based number of the rep turn.
    rep_turn: int
    quote: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, "rep_turn": self.rep_turn, "quote": self.quote, "why": self.why}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> TurnRef | None:
        if not isinstance(d, dict) or not isinstance(d.get("turn"), int):
            return None
        return cls(turn=d["turn"], rep_turn=int(d.get("rep_turn") or 0), quote=str(d.get("quote") or ""),
                   why=str(d.get("why") or ""))


@dataclass(frozen=True)
class Part:
    """One part of the scorecard."""

    name: str
    title: str
    #: 0-100.
    score: int
    #: Normalised weight in the total (the weights sum to 1).
    weight: float
    best: TurnRef | None
    worst: TurnRef | None
    #: One thing to try next time.
    advice: str
    #: The numbers behind the score, for reports.
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "score": self.score,
            "weight": round(self.weight, 4),
            "best": self.best.to_dict() if self.best else None,
            "worst": self.worst.to_dict() if self.worst else None,
            "advice": self.advice,
            "details": self.details,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Part:
        name = str(d.get("name") or "")
        return cls(name=name, title=str(d.get("title") or PART_TITLES.get(name, name.title())),
                   score=int(round(float(d.get("score") or 0))), weight=float(d.get("weight") or 0.0),
                   best=TurnRef.from_dict(d.get("best")), worst=TurnRef.from_dict(d.get("worst")),
                   advice=str(d.get("advice") or ""), details=dict(d.get("details") or {}))


@dataclass(frozen=True)
class Scorecard:
    """The result of a session: ``total`` 0-100 and its parts."""

    total: int
    parts: tuple[Part, ...]
    #: Discoveries found, in the order found, and missed, in scenario order.
    discovered: tuple[str, ...]
    missed: tuple[str, ...]
    #: id -> topic, for showing found and missed facts.
    topics: dict[str, str]
    hints: int
    hint_penalty: int
    final_trust: float
    end_reason: str | None
    rep_turns: int
    #: The rep's best and weakest turn over all parts (never the same turn).
    best: TurnRef | None = None
    worst: TurnRef | None = None

    def part(self, name: str) -> Part:
        for p in self.parts:
            if p.name == name:
                return p
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; the store keeps it as the session's scorecard."""
        return {
            "total": self.total,
            "parts": [p.to_dict() for p in self.parts],
            "discovered": list(self.discovered),
            "missed": list(self.missed),
            "discoveries": [
                {"id": i, "topic": t, "found": i in self.discovered} for i, t in self.topics.items()
            ],
            "hints": self.hints,
            "hint_penalty": self.hint_penalty,
            "final_trust": round(self.final_trust, 1),
            "end_reason": self.end_reason,
            "rep_turns": self.rep_turns,
            "best": self.best.to_dict() if self.best else None,
            "worst": self.worst.to_dict() if self.worst else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Scorecard:
        """The scorecard as :meth:`to_dict` stored it."""
        topics = {x["id"]: x.get("topic", x["id"]) for x in d.get("discoveries") or [] if isinstance(x, dict) and "id" in x}
        parts = tuple(Part.from_dict(p) for p in d.get("parts") or [] if isinstance(p, dict))
        best, worst = TurnRef.from_dict(d.get("best")), TurnRef.from_dict(d.get("worst"))
        if "best" not in d:  # stored before the overall pick was kept: pick from the parts
            best, worst = overall_picks(parts)
        return cls(
            total=int(round(float(d.get("total") or 0))),
            parts=parts,
            discovered=tuple(d.get("discovered") or ()),
            missed=tuple(d.get("missed") or ()),
            topics=topics,
            hints=int(d.get("hints") or 0),
            hint_penalty=int(d.get("hint_penalty") or 0),
            final_trust=float(d.get("final_trust") or 0.0),
            end_reason=d.get("end_reason"),
            rep_turns=int(d.get("rep_turns") or 0),
            best=best,
            worst=worst,
        )


def overall_picks(parts: Sequence[Part]) -> tuple[TurnRef | None, TurnRef | None]:
    """The best and weakest turn over all parts: the turn most parts name, ties
    to the part that scored highest (best) or lowest (weakest), the reasons of
    the parts that agree joined. Never the same turn twice: a turn that is some
    part's worst is not the best."""

    def pick(which: str, exclude: set[int]) -> TurnRef | None:
        sign = 1 if which == "best" else -1
        votes: dict[int, list[tuple[float, TurnRef]]] = {}
        for part in parts:
            ref = getattr(part, which)
            if ref is not None and ref.turn not in exclude:
                votes.setdefault(ref.turn, []).append((part.score, ref))
        if not votes:
            return None
        turn, vs = max(
            votes.items(),
            key=lambda kv: (len(kv[1]), max(sign * sc for sc, _ in kv[1]), kv[0] if which == "best" else -kv[0]),
        )
        vs.sort(key=lambda v: -sign * v[0])
        whys = list(dict.fromkeys(r.why for _, r in vs if r.why))
        return TurnRef(turn=turn, rep_turn=vs[0][1].rep_turn, quote=vs[0][1].quote, why="; ".join(whys[:2]))

    worst = pick("worst", set())
    worsts = {p.worst.turn for p in parts if p.worst is not None}
    best = pick("best", worsts)
    return best, worst


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def _ref(exchanges: Sequence[ExchangeLike], k: int, why: str) -> TurnRef:
    return TurnRef(turn=2 * k + 1, rep_turn=k + 1, quote=_quote(exchanges[k].rep_text), why=why)


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, x))


def _ramp(x: float, good: float, bad: float) -> float:
    """1 at or beyond ``good``, 0 at or beyond ``bad``, linear between."""
    if good == bad:
        return 1.0 if x <= good else 0.0
    return _clamp((bad - x) / (bad - good))


# ---------------------------------------------------------------------------
# Turns: which ones a part may hold up as best or worst
# ---------------------------------------------------------------------------


def _picks(ex: Sequence[ExchangeLike], values: list[tuple[int, float]]) -> tuple[int | None, int | None]:
    """A part's best and worst turn from per-turn values (index, 0-1).

    The best must earn at least BEST_AT_LEAST, must not have cost trust or ended
    the meeting badly: a pushy rep's least bad question is not "best", nor is
    the turn the buyer walked out on. The worst is the lowest value; the two
    are never the same turn."""
    if not values:
        return None, None
    worst = min(values, key=lambda kv: (kv[1], kv[0]))[0]
    eligible = [
        (k, v) for k, v in values
        if v >= BEST_AT_LEAST and k != worst and ex[k].trust_after >= ex[k].trust_before
        and ex[k].buyer.end_reason != "walkout"
    ]
    best = max(eligible, key=lambda kv: (kv[1], -kv[0]))[0] if eligible else None
    return best, worst


def _substance(e: ExchangeLike) -> bool:
    """The turn carried something of this buyer (see BuyerMove.specific)."""
    return e.buyer.move.specific


#: What parroting the buyer's words back earns of a real restatement, in listening.
PARROT_CREDIT = 0.2


def _took_up(e: ExchangeLike) -> float:
    """How much the turn built on what the buyer had told: 1 in the rep's own
    words, PARROT_CREDIT parroted back, 0 nothing (from the director's
    judgement, BuyerMove.took_up)."""
    t = e.buyer.move.took_up
    return 1.0 if t >= 1 else PARROT_CREDIT if t > 0 else 0.0


# ---------------------------------------------------------------------------
# The parts
# ---------------------------------------------------------------------------


def _discovery(scenario: Scenario, ex: Sequence[ExchangeLike]) -> tuple[float, TurnRef | None, TurnRef | None, str, dict]:
    weights = {d.id: d.weight for d in scenario.discoveries}
    total = sum(weights.values()) or 1.0
    found: list[str] = []
    gained: list[tuple[int, float]] = []
    held: list[int] = []
    for k, e in enumerate(ex):
        new = [i for i in e.revealed if i in weights and i not in found]
        found.extend(new)
        if new:
            gained.append((k, sum(weights[i] for i in new)))
        elif e.buyer.kind in ("hold", "surface") and e.buyer.asked_about:
            held.append(k)
    share = sum(weights[i] for i in found) / total
    best = worst = None
    if gained:
        k = max(gained, key=lambda kv: (kv[1], -kv[0]))[0]
        topics = ", ".join(scenario.discovery(i).topic for i in ex[k].revealed if i in weights)
        best = _ref(ex, k, f"uncovered {topics}")
    if held:
        k = held[0]
        d = scenario.discovery(ex[k].buyer.asked_about[0])
        worst = _ref(ex, k, f"asked about {d.topic}, but {_why_held(ex[k])}")
    missed = [d for d in scenario.discoveries if d.id not in found]
    if missed:
        m = max(missed, key=lambda d: d.weight)
        advice = (
            f"You never heard about {m.topic}. Ask about it once they trust you, building on what they have "
            f"told you, for example: \"{_open_example(m.examples)}\""
        )
    else:
        advice = "You uncovered everything: next time, get there in fewer turns by following up on each answer."
    details = {"found": found, "missed": [d.id for d in missed], "share": round(share, 3)}
    return share, best, worst, advice, details


#: How an open question starts: "How did...?" and "How is...going?" open;
#: "How many...?" and "How reliable...?" ask for a number or a yes.
_OPENS = re.compile(r"^\W*(?:what|why|tell|walk|talk|describe|where|who"
                    r"|how (?:do|does|did|is|are|was|were|has|have|had|would|could|can|will|should|might|come))\b", re.I)


def _open_example(examples: Sequence[str]) -> str:
    """The first example that reads as an open question: advice must not
    recommend a question the analyser would call closed."""
    return next((x for x in examples if _OPENS.match(x)), examples[0])


def _judged(e: ExchangeLike) -> set[str]:
    """The turn's labels as the scorecard judges them: the analyser's, less any
    the buyer excused (self-interest once value was established: the buyer
    answered it gladly, so the scorecard does not count it against the rep)."""
    return set(e.analysed.labels) - set(e.buyer.move.excused)


def _why_held(e: ExchangeLike) -> str:
    """Why the buyer held a fact back, in the rep's terms, from the director's reasons."""
    reasons = " ".join(e.buyer.move.reasons)
    labels = _judged(e)
    for label, why in (
        ("leading_question", "the question led them to your answer"),
        ("pressure", "you pushed instead of asking"),
        ("pitching", "the question came wrapped in a pitch"),
        ("self_interested", "the question served your agenda"),
        ("checklist", "it came as one more item on a checklist"),
    ):
        if label in labels and f"with {label}" in reasons:
            return why
    if "curt" in reasons:
        return "they had stopped trusting you by then"
    if "generic prompt" in reasons:
        return "the question would fit any buyer: ask about their situation, in their words"
    if "open question" in reasons:
        return "it was a closed question: they answered without telling you anything"
    if "trust" in reasons:
        return "they did not trust you enough yet to tell you"
    if "first" in reasons:
        return "they needed to tell you something else first"
    return "they kept it to themselves"


def _question_value(e: ExchangeLike) -> float | None:
    """The value of a turn's question, 0-1 (None for a turn without one).
    A question that would fit any buyer is worth QUESTION_GENERIC of its value;
    one asked again, or the buyer's own words handed back, nothing."""
    a = e.analysed
    labels = _judged(e)
    form = next((f for f in QUESTION_FORM_VALUE if f in labels), None)
    if (form is None and not a.questions) or not e.buyer.move.asked or e.buyer.move.proposed:
        # A check on a summary ("...and two vans used privately at weekends.
        # Is that fair?") asks nothing of its own (BuyerMove.asked): the
        # reflection is the turn, not a closed question to call the weakest.
        # Nor is a proposal (BuyerMove.proposed) a question to judge: "Could
        # we book an hour this week to put the payback case together with
        # you...?", agreed, was the weakest turn, "a closed question: it gets
        # a yes, a no or a number".
        return None
    if e.buyer.kind == "repeat":
        return 0.0
    v = QUESTION_FORM_VALUE[form] if form else QUESTION_OTHER
    if "curiosity" in labels:
        v += QUESTION_CURIOSITY
    if "self_interested" in labels:
        v -= QUESTION_SELF_INTERESTED
    if "checklist" in labels:
        v -= QUESTION_CHECKLIST
    if e.buyer.move.parroted:  # their own question handed back ("So why would yours be any different?")
        return 0.0
    if not _substance(e):
        v *= QUESTION_GENERIC
    return _clamp(v)


def _question_why(e: ExchangeLike, good: bool) -> str:
    labels = _judged(e)
    if good:
        if "open_question" in labels and "curiosity" in labels:
            return "an open question about their world, in their terms"
        if "open_question" in labels:
            return "an open question: it invites them to explain"
        return "the strongest question you asked"
    if e.buyer.kind == "repeat":
        return "the same question again: it told you nothing new"
    if e.buyer.move.parroted:
        return "their own words handed back as a question: nothing of yours in it"
    for label, why in (
        ("leading_question", "a leading question: it steers them to your answer"),
        ("self_interested", "a question that serves your agenda, not their understanding"),
        ("checklist", "interrogation: question after question without building on the answers"),
    ):
        if label in labels:
            return why
    if not _substance(e):
        return "a question that would fit any buyer: nothing of theirs in it"
    if "closed_question" in labels:
        return "a closed question: it gets a yes, a no or a number"
    return "the weakest question you asked"


def _questions(ex: Sequence[ExchangeLike]) -> tuple[float, TurnRef | None, TurnRef | None, str, dict]:
    values = [(k, v) for k, e in enumerate(ex) if (v := _question_value(e)) is not None]
    counts = {label: sum(1 for e in ex if label in _judged(e)) for label in (
        "open_question", "closed_question", "leading_question", "curiosity", "self_interested", "checklist")}
    generic = sum(1 for k, _ in values if not _substance(ex[k]))
    details = {"question_turns": len(values), "generic": generic, **counts}
    if not values:
        return 0.0, None, None, "Ask questions: an open one about what they told you gets them talking.", details
    score = sum(v for _, v in values) / len(values)
    b, w = _picks(ex, values)
    best = _ref(ex, b, _question_why(ex[b], True)) if b is not None else None
    worst = _ref(ex, w, _question_why(ex[w], False)) if w is not None and dict(values)[w] < 1.0 else None
    if counts["leading_question"]:
        advice = "Drop the leading questions: ask what they think (\"What did that cost you?\") rather than steering (\"That must be expensive, right?\")."
    elif counts["self_interested"]:
        advice = "Hold budget, authority and signature questions until they have told you what they hope to achieve and why it matters now."
    elif counts["checklist"]:
        advice = "Stop working down a list: take up their last answer before you ask something new."
    elif generic * 2 >= len(values):
        advice = "Make your questions about them: use their words and their situation, not questions that fit any buyer."
    elif counts["closed_question"] > counts["open_question"]:
        advice = "Open your questions up: start with \"how\", \"what happened\" or \"tell me about\" instead of \"is\", \"do\" or \"how many\"."
    elif not counts["curiosity"]:
        advice = "Be curious about them: ask what they hope to achieve and why it is a priority now."
    else:
        advice = "Keep the open, curious questions, each built on their last answer."
    return score, best, worst, advice, details


def conversation_summary(opening: str | None, ex: Sequence[ExchangeLike]) -> dict:
    """The analyser's conversation metrics (coach.analysis.metrics.summarize) of
    a practice session: the one place its transcript is laid out as turns."""
    from coach.analysis.metrics import summarize
    from coach.analysis.types import Turn

    turns: list[Turn] = [Turn("buyer", opening)] if opening else []
    analysed: list[AnalysedTurn | None] = [None] if opening else []
    for e in ex:
        # The move's content as the rule voice says it: a score cannot depend
        # on how long-winded the voice that phrased the move was.
        turns += [Turn("rep", e.rep_text), Turn("buyer", e.buyer.canonical)]
        analysed += [e.analysed, None]
    return summarize(turns, analysed)


def _listening_metrics(opening: str | None, ex: Sequence[ExchangeLike]) -> dict[str, float]:
    """Talk share and longest rep turn."""
    s = conversation_summary(opening, ex)
    return {"rep_share": float(s.get("rep_talk_share") or 0.0), "longest_rep": float(s.get("longest_rep_monologue") or 0)}


def _listening(opening: str | None, ex: Sequence[ExchangeLike]) -> tuple[float, TurnRef | None, TurnRef | None, str, dict]:
    m = _listening_metrics(opening, ex)
    later = ex[1:]
    # Building on what they said counts by what the turn took up of theirs,
    # not by the label alone: a reflection that restates nothing is not listening.
    building = sum(_took_up(e) for e in later if {"follow_up", "reflection"} & _judged(e))
    follow_rate = building / len(later) if later else 0.0
    reflections = sum(_took_up(e) for e in ex if "reflection" in _judged(e))
    question_turns = sum(1 for e in ex if _question_value(e) is not None)
    reflect_ratio = reflections / max(1, question_turns)
    parts = {
        "share": _ramp(m["rep_share"], SHARE_GOOD, SHARE_BAD),
        "follow": _clamp(follow_rate / FOLLOW_TARGET),
        "reflect": _clamp(reflect_ratio / REFLECT_TARGET),
        "monologue": _ramp(m["longest_rep"], MONOLOGUE_OK, MONOLOGUE_BAD),
    }
    if not ex:
        parts = dict.fromkeys(parts, 0.0)
    # Saying little is listening only when what is said builds on theirs: a
    # rep who never takes anything up earns a fraction of the talk-share and
    # monologue marks, however short their turns.
    # Only what was taken up in the rep's own words opens the gate: a parrot's
    # echoes earn their small listening credit above, not the quiet marks.
    real = sum(1 for e in ex if _took_up(e) >= 1 and {"follow_up", "reflection"} & _judged(e))
    building_share = _clamp(real / max(1, len(ex)) / QUIET_NEEDS_BUILDING)
    quiet = max(QUIET_FLOOR, building_share)
    talked_little = parts["share"]
    score = sum(LISTENING_WEIGHTS[k] * v * (quiet if k in ("share", "monologue") else 1.0) for k, v in parts.items())

    best, worst = _listening_picks(ex)
    share_pct = round(100 * m["rep_share"])
    if talked_little < 0.6:
        advice = f"Talk less: you had {share_pct}% of the words. Ask, then let the silence work."
    elif parts["follow"] < 0.6:
        advice = "Build on their last answer: take up their own words and ask about them before you change topic."
    elif parts["reflect"] < 0.6:
        advice = "Sum up what you heard in your own words (\"So what really hurts is...\") before your next question."
    elif parts["monologue"] < 1.0:
        advice = "Keep your turns short: one thought, one question."
    else:
        advice = "You listened well: keep reflecting before you ask the next question."
    details = {
        "rep_share": round(m["rep_share"], 3),
        "follow_rate": round(follow_rate, 3),
        "reflections": round(reflections, 1),
        "longest_rep_words": int(m["longest_rep"]),
    }
    return score, best, worst, advice, details


#: What changing the subject costs a turn when the scorecard picks the turn that listened least.
NEW_TOPIC_COST = 0.1


def _listening_picks(ex: Sequence[ExchangeLike]) -> tuple[TurnRef | None, TurnRef | None]:
    """The turn that listened best and the one that listened least, with why."""
    def turn_value(k: int, e: ExchangeLike) -> float:
        labels = _judged(e)
        up = _took_up(e)
        v = 0.4 + 0.35 * up * ("follow_up" in labels) + 0.35 * up * ("reflection" in labels) + 0.1 * up * ("empathy" in labels)
        v -= 0.3 * ("pitching" in labels) + 0.3 * (e.analysed.words > MONOLOGUE_OK)
        v -= 0.2 * (e.buyer.kind == "repeat")
        # A later turn that changes the subject listened less than a first
        # turn that had only the opening to build on: "Do you have budget for
        # patient flow this year?" is the worst, not "Thanks for meeting me.
        # I hear you've had a bed system before. What happened with it?"
        v -= NEW_TOPIC_COST * (k > 0 and not labels & {"follow_up", "reflection"})
        return _clamp(v)

    values = [(k, turn_value(k, e)) for k, e in enumerate(ex)]
    b, w = _picks(ex, values)
    best = worst = None
    if b is not None:
        lb = _judged(ex[b])
        why = ("you reflected what they said back to them, in your words" if "reflection" in lb
               else "you built on what they had just said")
        best = _ref(ex, b, why)
    if w is not None:
        e = ex[w]
        lw = _judged(e)
        words = e.analysed.words
        if words > MONOLOGUE_OK:
            why = f"a {words}-word turn: a monologue leaves them nothing to say"
        elif "pitching" in lw:
            why = "talking about your offer instead of listening"
        elif e.buyer.kind == "repeat":
            why = "you said it again instead of building on their answer"
        elif lw & {"reflection", "empathy"} and not _took_up(e):
            why = "an acknowledgement that carried nothing they had said"
        elif e.buyer.move.parroted:
            why = "you repeated their words back instead of restating them in yours"
        elif "follow_up" not in lw and w > 0:
            why = "a new topic that ignored what they had just said"
        else:
            why = "the turn that built least on what they said"
        worst = _ref(ex, w, why)
    return best, worst


def _relationship(
    scenario: Scenario, ex: Sequence[ExchangeLike], end_reason: str | None
) -> tuple[float, TurnRef | None, TurnRef | None, str, dict]:
    start = float(scenario.buyer.trust.start)
    final = ex[-1].trust_after if ex else start
    trust_part = _clamp((final - start) / max(TRUST_MIN_GAIN, TRUST_HIGH - start))
    shared_seen = 0

    def behaviour(e: ExchangeLike) -> float:
        nonlocal shared_seen
        labels = _judged(e)
        real = _substance(e)
        v = 0.5 + 0.25 * real * ("empathy" in labels) + 0.15 * _took_up(e) * ("reflection" in labels)
        if "mutual_success" in labels:
            v += 0.25 / (1 + shared_seen)  # said once it counts; said again it is a slogan
            shared_seen += 1
        v -= 0.4 * ("pressure" in labels) + 0.3 * ("pitching" in labels) + 0.3 * ("self_interested" in labels)
        v -= 0.15 * ("leading_question" in labels) + 0.2 * (e.buyer.kind == "repeat")
        return _clamp(v)

    manner = sum(behaviour(e) for e in ex) / len(ex) if ex else 0.0
    score = 0.6 * trust_part + 0.4 * manner
    if end_reason == "next_step":
        score = min(1.0, score + NEXT_STEP_BONUS / 100)

    changes = [(k, e.trust_after - e.trust_before) for k, e in enumerate(ex)]
    worst_k = min(changes, key=lambda kv: (kv[1], kv[0]))[0] if changes else None
    best = worst = None
    ups = [(k, c) for k, c in changes if c > 0 and k != worst_k and ex[k].buyer.end_reason != "walkout"]
    if ups:
        k, c = max(ups, key=lambda kv: (kv[1], -kv[0]))
        best = _ref(ex, k, f"raised their trust by {c:.0f}")
    if worst_k is not None:
        c = changes[worst_k][1]
        if ex[worst_k].buyer.end_reason == "walkout":
            worst = _ref(ex, worst_k, "the turn that ended the meeting")
        elif c < 0:
            worst = _ref(ex, worst_k, f"lowered their trust by {-c:.0f}")
        elif best is not None and worst_k != (best.rep_turn - 1):
            worst = _ref(ex, worst_k, "the turn that did least for their trust")
    labels = [label for e in ex for label in _judged(e)]
    if end_reason == "next_step":
        advice = "You earned a next step: next time, see how few turns it takes to earn it."
    elif end_reason == "walkout":
        advice = "They walked out: when the buyer goes quiet or curt, stop pushing and ask what matters to them."
    elif "pressure" in labels:
        advice = "Drop the urgency and the \"you need\": ask what worries them about changing instead."
    elif "pitching" in labels:
        advice = "Keep your product out of it until they ask: every unasked pitch costs trust."
    elif "mutual_success" not in labels:
        advice = "Frame it as shared: say you would rather both of you know early if it is not a fit."
    elif final < TRUST_HIGH:
        advice = "Show you understood before you ask for more: reflect their situation, in their words."
    else:
        advice = "Trust is high: use it to agree a concrete next step that is worth their time."
    details = {"final_trust": round(final, 1), "start_trust": start, "end_reason": end_reason}
    return score, best, worst, advice, details


def score(
    scenario: Scenario,
    exchanges: Sequence[ExchangeLike],
    *,
    hints: int = 0,
    opening: str | None = None,
    end_reason: str | None = None,
) -> Scorecard:
    """Score a session. ``opening`` is the buyer's first line (it counts in the
    talk share; default: the scenario's); ``end_reason`` defaults to the last
    buyer turn's. A session the buyer walked out of scores at most
    WALKOUT_CAP on every part."""
    ex = list(exchanges)
    if opening is None:
        opening = scenario.buyer.opening
    if end_reason is None and ex and ex[-1].buyer.ended:
        end_reason = ex[-1].buyer.end_reason
    weights = scenario.scoring.normalised() if scenario.scoring else dict(DEFAULT_SCORING_WEIGHTS)
    results = {
        "discovery": _discovery(scenario, ex),
        "questions": _questions(ex),
        "listening": _listening(opening, ex),
        "relationship": _relationship(scenario, ex, end_reason),
    }
    if end_reason == "walkout":
        results = {k: (min(v[0], WALKOUT_CAP / 100), *v[1:]) for k, v in results.items()}
    parts = tuple(
        Part(
            name=name,
            title=PART_TITLES[name],
            score=round(100 * value),
            weight=weights.get(name, 0.0),
            best=best,
            worst=worst,
            advice=advice,
            details=details,
        )
        for name, (value, best, worst, advice, details) in results.items()
    )
    raw = sum(p.weight * 100 * results[p.name][0] for p in parts)
    penalty = HINT_COST * max(0, hints)
    total = int(round(_clamp(raw - penalty, 0, 100)))
    found = tuple(results["discovery"][4]["found"])
    best, worst = overall_picks(parts)
    return Scorecard(
        total=total,
        parts=parts,
        discovered=found,
        missed=tuple(d.id for d in scenario.discoveries if d.id not in found),
        topics={d.id: d.topic for d in scenario.discoveries},
        hints=max(0, hints),
        hint_penalty=penalty,
        final_trust=ex[-1].trust_after if ex else float(scenario.buyer.trust.start),
        end_reason=end_reason,
        rep_turns=len(ex),
        best=best,
        worst=worst,
    )
