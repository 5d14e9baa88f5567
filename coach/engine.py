"""One practice session: the analyser, the buyer, the scorecard and the store, together.

``PracticeSession`` is the engine behind the app, ``coach simulate`` and
``coach scenario test``::

    session = PracticeSession(scenario, analyzer, seed=0, store=store, rep="sam")
    session.opening.text                 # the buyer's first line
    ex = session.play("What's been on your plate since the outage?")
    ex.buyer.text, ex.analysed.labels, ex.trust_after, ex.revealed, ex.ended
    session.hint()                       # a nudge toward something undiscovered (costs points)
    card = session.finish()              # Scorecard; card.to_dict() is what the store keeps

With a store, every turn (the rep's and the buyer's) is written the moment it
happens; ``finish`` records the scorecard. ``run_script`` and ``check_test``
run a scenario's ``tests:`` section.

No Textual here; the analyser is handed in (its models load elsewhere).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coach.buyer.base import Buyer, BuyerState, BuyerTurn
from coach.scoring import Scorecard, score

if TYPE_CHECKING:  # pragma: no cover
    from coach.analysis.types import AnalysedTurn
    from coach.scenario import Scenario, ScenarioTest

#: A rep turn is analysed on at most this many characters (it is stored whole):
#: nobody says more in one turn, and it bounds the time a pasted essay can take.
MAX_ANALYSED_CHARS = 4000


@dataclass(frozen=True)
class Exchange:
    """One rep turn and the buyer's reply."""

    #: 0-based index of the rep turn in the session.
    index: int
    #: What the rep said, whole (the analysis may have seen a capped copy).
    rep_text: str
    analysed: AnalysedTurn
    buyer: BuyerTurn
    trust_before: float
    trust_after: float
    #: Discoveries revealed by this reply.
    revealed: tuple[str, ...]
    ended: bool
    end_reason: str | None
    #: Whether the rep asked for a hint before this turn.
    hinted: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for `coach simulate --format json`)."""
        a = self.analysed
        return {
            "index": self.index,
            "rep": self.rep_text,
            "labels": list(a.labels),
            "evidence": [
                {"label": e.label, "start": e.start, "end": e.end, "quote": e.quote, "why": e.why} for e in a.evidence
            ],
            "tips": list(a.tips),
            "buyer": self.buyer.text,
            "buyer_kind": self.buyer.kind,
            "asked_about": list(self.buyer.asked_about),
            "revealed": list(self.revealed),
            "trust_before": round(self.trust_before, 1),
            "trust_after": round(self.trust_after, 1),
            "ended": self.ended,
            "end_reason": self.end_reason,
            "hinted": self.hinted,
        }


@dataclass
class SessionState:
    """What the app shows beside the conversation."""

    trust: float
    discovered: list[str]
    ended: bool
    end_reason: str | None
    turns: int
    hints: int
    curt: bool = False
    finished: bool = False
    undiscovered: list[str] = field(default_factory=list)


class PracticeSession:
    """A practice conversation against one scenario."""

    def __init__(
        self,
        scenario: Scenario,
        analyzer: Any,
        *,
        seed: int = 0,
        store: Any = None,
        rep: str = "rep",
        buyer: Buyer | None = None,
        scenario_source: str | None = None,
    ) -> None:
        self.scenario = scenario
        self.analyzer = analyzer
        self.seed = seed
        self.store = store
        self.rep = rep
        if buyer is None:
            from coach.buyer.rule import RuleBuyer

            buyer = RuleBuyer(scenario, analyzer, seed)
        self.buyer: Buyer = buyer
        self._state = BuyerState(trust=float(scenario.buyer.trust.start))
        self._conv = analyzer.conversation()
        self.exchanges: list[Exchange] = []
        self.hints: list[str] = []
        self._hint_pending = False
        self._scorecard: Scorecard | None = None
        self.session_id: int | None = None
        #: Buyer turns played but not yet stored (the store refused them); they are
        #: written, in order, before anything else is stored.
        self._unsaved: list[dict[str, Any]] = []
        #: Why the last buyer turn could not be stored, while it is still unsaved.
        self.save_error: str | None = None

        self.opening: BuyerTurn = self.buyer.opening(self._state)
        self._conv.add_buyer(self.opening.text)
        if store is not None:
            self.session_id = store.start_session(
                rep=rep,
                scenario_id=scenario.id,
                scenario_title=scenario.title,
                scenario_yaml=_scenario_yaml(scenario),
                scenario_source=scenario_source or _scenario_source(scenario),
                seed=seed,
            )
            store.add_turn(self.session_id, speaker="buyer", text=self.opening.text, trust=self._state.trust)

    # -- state ------------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        s = self._state
        return SessionState(
            trust=s.trust,
            discovered=list(s.discovered),
            ended=s.ended,
            end_reason=s.end_reason,
            turns=s.turn,
            hints=len(self.hints),
            curt=s.curt,
            finished=self._scorecard is not None,
            undiscovered=[d.id for d in self.scenario.discoveries if d.id not in s.discovered],
        )

    @property
    def ended(self) -> bool:
        return self._state.ended or self._scorecard is not None

    # -- playing ----------------------------------------------------------------

    def play(self, rep_text: str) -> Exchange:
        """The rep says ``rep_text``; returns the exchange. Raises ValueError for a
        blank turn and RuntimeError once the session has ended."""
        if not isinstance(rep_text, str) or not rep_text.strip():
            raise ValueError("say something: an empty turn cannot be played")
        if self.ended:
            raise RuntimeError("the session has ended; start a new one")
        text = rep_text.strip()
        # A reply the store refused earlier goes first, or the transcript would
        # lose its order; if it still fails, nothing of this turn has happened.
        self.save_pending()
        checkpoint = self._conv.checkpoint()
        analysed = self._conv.add_rep(text[:MAX_ANALYSED_CHARS])
        hinted = self._hint_pending
        if self.store is not None:
            try:
                self.store.add_turn(self.session_id, speaker="rep", text=text, analysed=analysed, hint=hinted)
            except Exception:
                # Not stored, so not said: the app hands the text back to the
                # rep, and sending it again must not count it twice.
                self._conv.rollback(checkpoint)
                raise
        self._hint_pending = False
        before = self._state.trust
        reply = self.buyer.reply(self._state, analysed)
        self._conv.add_buyer(reply.text)
        if self.store is not None:
            # The rep's turn is stored and the buyer has answered: the exchange
            # stands even if its reply cannot be written now (raising would hand
            # the rep's text back, and sending it again would store it twice).
            self._unsaved.append(
                dict(speaker="buyer", text=reply.text, trust=self._state.trust, revealed=list(reply.revealed))
            )
            try:
                self.save_pending()
            except Exception as exc:  # noqa: BLE001 - kept and retried before the next write
                self.save_error = str(exc) or type(exc).__name__
        ex = Exchange(
            index=len(self.exchanges),
            rep_text=text,
            analysed=analysed,
            buyer=reply,
            trust_before=before,
            trust_after=self._state.trust,
            revealed=tuple(reply.revealed),
            ended=self._state.ended,
            end_reason=self._state.end_reason,
            hinted=hinted,
        )
        self.exchanges.append(ex)
        return ex

    def hint(self) -> str:
        """A nudge toward a topic the buyer has not revealed yet. Each hint costs
        points on the scorecard (coach.scoring.HINT_COST)."""
        s = self._state
        todo = [d for d in self.scenario.discoveries if d.id not in s.discovered]
        if not todo:
            text = "You have uncovered everything: sum up what you heard and propose a next step worth their time."
        else:
            ready = [d for d in todo if all(a in s.discovered for a in d.requires.after)]
            d = max(ready or todo, key=lambda d: d.weight)
            text = f"They have not told you about {d.topic} yet."
            if s.trust < d.requires.min_trust:
                text += " They need to trust you more first: reflect what you have heard, or acknowledge how it has been for them."
            elif d.requires.open_question:
                text += " Ask about it with an open question: 'what', 'how' or 'tell me about'."
            else:
                text += " Ask about it, in your own words."
        self.hints.append(text)
        self._hint_pending = True
        return text

    def finish(self) -> Scorecard:
        """End the session (if the buyer has not) and score it; idempotent."""
        if self._scorecard is not None:
            return self._scorecard
        s = self._state
        if not s.ended:
            s.ended, s.end_reason = True, "finished"
        card = score(
            self.scenario, self.exchanges, hints=len(self.hints), opening=self.opening.text, end_reason=s.end_reason
        )
        if self.store is not None:
            self.save_pending()
            self.store.finish_session(self.session_id, scorecard=card, end_reason=s.end_reason or "finished")
        # Kept only once stored, so finishing again after a store error retries.
        self._scorecard = card
        return card

    def save_pending(self) -> None:
        """Write the buyer replies the store refused earlier, in order (the app
        also calls it when the rep leaves); raises the store's error if it still
        refuses."""
        if self.store is None:
            return
        while self._unsaved:
            self.store.add_turn(self.session_id, **self._unsaved[0])
            self._unsaved.pop(0)
        self.save_error = None

    @property
    def scorecard(self) -> Scorecard | None:
        """The scorecard once finished, else None."""
        return self._scorecard


def _scenario_yaml(scenario: Scenario) -> str:
    text = getattr(scenario, "source_text", "") or ""
    if text:
        return text
    import yaml

    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def _scenario_source(scenario: Scenario) -> str:
    path = getattr(scenario, "source_path", None)
    if path is None:
        return "builtin"
    try:
        from coach.paths import builtin_scenarios_dir

        if path.resolve().parent == builtin_scenarios_dir().resolve():
            return "builtin"
    except Exception:  # noqa: BLE001 - only deciding a label
        pass
    return "user"


# ---------------------------------------------------------------------------
# Scripted runs: `coach simulate` and `coach scenario test`
# ---------------------------------------------------------------------------


@dataclass
class ScriptResult:
    """A script played to the end (or until the buyer ended it)."""

    session: PracticeSession
    scorecard: Scorecard
    #: Script lines not played because the buyer had already ended the session.
    unplayed: int

    @property
    def exchanges(self) -> list[Exchange]:
        return self.session.exchanges

    @property
    def discovered(self) -> list[str]:
        return list(self.scorecard.discovered)

    @property
    def discovered_share(self) -> float:
        """Share of the discoveries found, by count (not weight)."""
        n = len(self.session.scenario.discoveries)
        return len(self.scorecard.discovered) / n if n else 0.0

    def to_dict(self) -> dict[str, Any]:
        sc = self.session.scenario
        return {
            "scenario": sc.id,
            "title": sc.title,
            "seed": self.session.seed,
            "score": self.scorecard.total,
            "discovered": self.discovered,
            "missed": list(self.scorecard.missed),
            "trust": round(self.session.state.trust, 1),
            "ended": self.session.state.end_reason,
            "unplayed": self.unplayed,
            "opening": self.session.opening.text,
            "turns": [e.to_dict() for e in self.exchanges],
            "scorecard": self.scorecard.to_dict(),
        }


def run_script(scenario: Scenario, analyzer: Any, script: Sequence[str], *, seed: int = 0, store: Any = None,
               rep: str = "rep") -> ScriptResult:
    """Play ``script`` (rep lines; blank ones skipped) and finish the session."""
    session = PracticeSession(scenario, analyzer, seed=seed, store=store, rep=rep)
    lines = [x for x in script if x.strip()]
    played = 0
    for line in lines:
        if session.ended:
            break
        session.play(line)
        played += 1
    card = session.finish()
    return ScriptResult(session=session, scorecard=card, unplayed=len(lines) - played)


def check_test(test: ScenarioTest, result: ScriptResult) -> list[str]:
    """The ways ``result`` misses ``test.expect`` (empty: the test passes)."""
    e = test.expect
    problems: list[str] = []
    found = set(result.discovered)
    missing = [i for i in e.revealed if i not in found]
    if missing:
        problems.append("not revealed: " + ", ".join(missing))
    leaked = [i for i in e.not_revealed if i in found]
    if leaked:
        problems.append("revealed but should not be: " + ", ".join(leaked))
    trust = result.session.state.trust
    if e.trust is not None and not e.trust.contains(trust):
        problems.append(f"final trust {trust:.0f} outside {_bounds(e.trust)}")
    total = result.scorecard.total
    if e.score is not None and not e.score.contains(total):
        problems.append(f"score {total} outside {_bounds(e.score)}")
    if e.ended is not None:
        walked = result.session.state.end_reason == "walkout"
        if walked != e.ended:
            problems.append("the buyer walked out" if walked else "the buyer did not walk out")
    return problems


def _bounds(b: Any) -> str:
    if b.min is not None and b.max is not None:
        return f"{b.min:g}-{b.max:g}"
    return f">= {b.min:g}" if b.min is not None else f"<= {b.max:g}"
