"""One practice session: analyser -> director -> voice -> scoring -> store.

``PracticeSession`` is the engine behind the app, ``coach simulate`` and
``coach scenario test``::

    session = PracticeSession(scenario, analyzer, seed=0, store=store, rep="sam")
    session.opening.text                 # the buyer's first line
    ex = session.play("What's been on your plate since the outage?")
    ex.buyer.text, ex.buyer.move, ex.analysed.labels, ex.trust_after, ex.revealed
    session.hint()                       # a nudge toward something undiscovered (costs points)
    card = session.finish()              # the Scorecard, stored with the session

The app drives the same steps one by one, so that nothing the rep types is
lost and the buyer's words can stream:

    pending = session.say(text)          # the rep's words, stored at once (no analysis yet)
    decision = session.respond(pending)  # analysed, labels stored, the buyer's move decided
    speech = session.speak(decision)     # iterate: the words as the voice gives them
    ex = session.complete(decision, speech)   # the buyer's turn stored; the exchange

What the buyer knows and does is the director's (coach/buyer/director.py); the
voice only phrases the move. The analyser reads the rule voice's line as the
buyer's turn whatever voice speaks, so labels, trust, discoveries and the
score are the same with any voice for the same rep turns.

No Textual here; the analyser is handed in (its models load elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from coach.buyer.director import Director
from coach.buyer.move import BuyerMove, BuyerTurn, Voice, VoiceContext, VoiceError
from coach.buyer.voice import RuleVoice
from coach.scoring import Scorecard, conversation_summary, score

if TYPE_CHECKING:  # pragma: no cover
    from coach.analysis.types import AnalysedTurn
    from coach.scenario import Scenario, ScenarioTest
    from coach.session import SessionRecord
    from coach.store import Store

#: A rep turn is analysed on at most this many characters (it is stored whole):
#: nobody says more in one turn, and it bounds the time a pasted essay can take.
MAX_ANALYSED_CHARS = 4000


class Conversation(Protocol):
    """The analyser's running conversation (coach.analysis.ConversationAnalysis)."""

    def add_buyer(self, text: str) -> None: ...
    def add_rep(self, text: str) -> AnalysedTurn: ...
    def checkpoint(self) -> Any: ...
    def rollback(self, checkpoint: Any) -> None: ...


class Analyzer(Protocol):
    """What the engine needs of the analyser (coach.analysis.Analyzer, or the
    ScriptedAnalyzer test double)."""

    def conversation(self) -> Conversation: ...
    def encode(self, texts: Sequence[str]) -> Any: ...


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

    @property
    def move(self) -> BuyerMove:
        return self.buyer.move

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
            "uptake": a.uptake.to_dict(),
            "buyer": self.buyer.text,
            "buyer_kind": self.buyer.kind,
            "voice": self.buyer.voice,
            "asked_about": list(self.buyer.asked_about),
            "revealed": list(self.revealed),
            "move": self.move.to_dict(),
            "trust_before": round(self.trust_before, 1),
            "trust_after": round(self.trust_after, 1),
            "ended": self.ended,
            "end_reason": self.end_reason,
            "hinted": self.hinted,
        }


@dataclass(frozen=True)
class PendingTurn:
    """A rep turn stored but not answered yet."""

    text: str
    #: The store's id of the turn (None without a store).
    turn_id: int | None
    hinted: bool = False


@dataclass(frozen=True)
class Decision:
    """A rep turn analysed and the buyer's move decided, not yet spoken."""

    pending: PendingTurn
    analysed: AnalysedTurn
    move: BuyerMove
    #: The rule voice's line for the move: what the analyser reads as the
    #: buyer's turn, and what any other voice falls back to.
    rule_line: str


@dataclass
class Speech:
    """The buyer's words for one decision, as the voice gives them. Iterate for
    the pieces; afterwards ``text`` is the reply and ``voice`` who said it
    (``fallback`` says why the rule line replaced another voice's words)."""

    decision: Decision
    voice: Voice
    context: VoiceContext
    text: str = ""
    voice_name: str = "rule"
    fallback: str | None = None
    _done: bool = field(default=False, repr=False)

    def __iter__(self) -> Iterator[str]:
        rule = self.decision.rule_line
        if isinstance(self.voice, RuleVoice):
            self.text, self.voice_name, self._done = rule, "rule", True
            yield rule
            return
        parts: list[str] = []
        try:
            for piece in self.voice.speak(self.decision.move, self.context):
                parts.append(piece)
                yield piece
            text = "".join(parts).strip()
            if not text:
                raise VoiceError("empty reply")
            self.text, self.voice_name = text, self.voice.name
        except Exception as exc:  # noqa: BLE001 - any failure: the rule line is said instead
            reason = exc.reason if isinstance(exc, VoiceError) else (str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            self.text, self.voice_name, self.fallback = rule, f"rule (fallback: {reason})", reason
        self._done = True

    def finish(self) -> Speech:
        """Run the voice to the end (for callers that do not stream)."""
        if not self._done:
            for _ in self:
                pass
        return self


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
        analyzer: Analyzer | None,
        *,
        seed: int = 0,
        store: Store | None = None,
        rep: str = "rep",
        voice: Voice | None = None,
        scenario_source: str | None = None,
        record: SessionRecord | None = None,
    ) -> None:
        """``analyzer`` may come later (:meth:`attach`): the session starts, and
        stores what the rep says, while the analyser loads. ``record``: a stored
        unfinished session to continue (see :meth:`resume`)."""
        self.scenario = scenario
        self.analyzer: Analyzer | None = None
        self.seed = seed
        self.store = store
        self.rep = rep
        self.director = Director(scenario)
        self.rule_voice = RuleVoice(scenario, seed)
        self.voice: Voice = voice or self.rule_voice
        self._conv: Conversation | None = None
        self._record = record
        #: Rep turns stored but not answered yet, oldest first.
        self.unanswered: list[PendingTurn] = []
        self.exchanges: list[Exchange] = []
        self.hints: list[str] = []
        self._hint_pending = False
        self._scorecard: Scorecard | None = None
        #: The conversation as it was shown: (speaker, text), for a voice's context.
        self.transcript: list[tuple[str, str]] = []
        #: Buyer turns decided but not yet stored (the store refused them);
        #: written, in order, before anything else is stored.
        self._unsaved: list[BuyerTurn] = []

        #: Why the last buyer turn could not be stored, while it is still unsaved.
        self.save_error: str | None = None
        self.session_id: int | None = record.id if record is not None else None
        #: False while a resumed session's stored turns are played again.
        self._writing = True

        move = self.director.opening()
        self.opening = BuyerTurn(text=self.rule_voice.line(move), move=move, voice="rule")
        self.director.heard(self.opening.text)
        self.transcript.append(("buyer", self.opening.text))
        if store is not None and record is None:
            self.session_id = store.start_session(
                rep=rep,
                scenario_id=scenario.id,
                scenario_title=scenario.title,
                scenario_yaml=_scenario_yaml(scenario),
                scenario_source=scenario_source or _scenario_source(scenario),
                seed=seed,
            )
            store.add_turn(self.session_id, speaker="buyer", text=self.opening.text, reply=self.opening)
        if analyzer is not None:
            self.attach(analyzer)

    def attach(self, analyzer: Analyzer) -> list[PendingTurn]:
        """Give the session its analyser (once). A resumed session's stored turns
        are played again now (same seed, so the same buyer). Returns the rep
        turns stored but not answered yet, oldest first: answer each with
        respond() then complete()."""
        if self.analyzer is not None:
            return list(self.unanswered)
        self.analyzer = analyzer
        self.director.attach(analyzer)
        self._conv = analyzer.conversation()
        self._conv.add_buyer(self.opening.text)
        if self._record is not None:
            self._replay(self._record)
        return list(self.unanswered)

    def _replay(self, record: SessionRecord) -> None:
        turns = list(record.turns)
        self._writing = False
        try:
            for i, t in enumerate(turns):
                if t.speaker != "rep":
                    continue
                if t.hint:
                    self.hint()
                pending = PendingTurn(text=t.text, turn_id=t.id, hinted=t.hint)
                self._hint_pending = False
                if not any(u.speaker == "buyer" for u in turns[i + 1 :]):
                    self.unanswered.append(pending)
                elif not self.ended:
                    decision = self.respond(pending)
                    self.complete(decision, Speech(decision, self.rule_voice, VoiceContext(self.scenario)))
        finally:
            self._writing = True
        # A resumed session shows what was stored, not the replay's lines.
        replies = [t.text for t in turns if t.speaker == "buyer"][1:]
        self.transcript = [("buyer", self.opening.text)]
        for ex, said in zip(self.exchanges, replies):
            self.transcript += [("rep", ex.rep_text), ("buyer", said)]

    # -- state ------------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        s = self.director.state
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

    def summary(self) -> dict:
        """The conversation's metrics so far (talk share, question mix, follow-ups...)."""
        return conversation_summary(self.opening.text, self.exchanges)

    @property
    def ended(self) -> bool:
        return self.director.state.ended or self._scorecard is not None

    # -- playing ----------------------------------------------------------------

    def say(self, rep_text: str) -> PendingTurn:
        """Store the rep's words now, before anything else happens to them.
        Raises ValueError for a blank turn, RuntimeError once the session has
        ended, and the store's error if it cannot keep them."""
        if not isinstance(rep_text, str) or not rep_text.strip():
            raise ValueError("say something: an empty turn cannot be played")
        if self.ended:
            raise RuntimeError("the session has ended; start a new one")
        text = rep_text.strip()
        # A reply the store refused earlier goes first, or the transcript would lose its order.
        self.save_pending()
        turn_id = None
        if self.store is not None:
            turn_id = self.store.add_turn(self.session_id, speaker="rep", text=text, hint=self._hint_pending)
        pending = PendingTurn(text=text, turn_id=turn_id, hinted=self._hint_pending)
        self._hint_pending = False
        return pending

    def respond(self, pending: PendingTurn) -> Decision:
        """Analyse a stored rep turn, store its labels, and decide the buyer's move."""
        if self.ended:
            raise RuntimeError("the session has ended; start a new one")
        if self._conv is None:
            raise RuntimeError("the analyser is not attached yet")
        if pending in self.unanswered:
            self.unanswered.remove(pending)
        checkpoint = self._conv.checkpoint()
        analysed = self._conv.add_rep(pending.text[:MAX_ANALYSED_CHARS])
        if self.store is not None and self._writing and pending.turn_id is not None:
            try:
                self.store.label_turn(pending.turn_id, analysed)
            except Exception:
                # The words are kept; their labels are not. Nothing of the turn
                # has happened in the conversation, so it can be answered later.
                self._conv.rollback(checkpoint)
                raise
        move = self.director.decide(analysed)
        line = self.rule_voice.line(move)
        self._conv.add_buyer(line)
        self.director.heard(line, move)
        self.transcript.append(("rep", pending.text))
        return Decision(pending=pending, analysed=analysed, move=move, rule_line=line)

    def speak(self, decision: Decision) -> Speech:
        """The buyer's words for a decision (iterate them as they come)."""
        context = VoiceContext(scenario=self.scenario, history=tuple(self.transcript), rule_line=decision.rule_line,
                               seed=self.seed)
        return Speech(decision=decision, voice=self.voice, context=context)

    def complete(self, decision: Decision, speech: Speech) -> Exchange:
        """Store the buyer's turn and record the exchange. The exchange stands
        even if the store refuses the reply now: it is kept and written before
        the next turn (save_error says why)."""
        speech.finish()
        reply = BuyerTurn(text=speech.text, move=decision.move, voice=speech.voice_name, rule_line=decision.rule_line)
        self.transcript.append(("buyer", reply.text))
        if self.store is not None and self._writing:
            self._unsaved.append(reply)
            try:
                self.save_pending()
            except Exception as exc:  # noqa: BLE001 - kept and retried before the next write
                self.save_error = str(exc) or type(exc).__name__
        move = decision.move
        ex = Exchange(
            index=len(self.exchanges),
            rep_text=decision.pending.text,
            analysed=decision.analysed,
            buyer=reply,
            trust_before=move.trust_before,
            trust_after=move.trust_after,
            revealed=move.revealed,
            ended=move.ended,
            end_reason=move.end_reason,
            hinted=decision.pending.hinted,
        )
        self.exchanges.append(ex)
        return ex

    def play(self, rep_text: str) -> Exchange:
        """The rep says ``rep_text``; returns the exchange (all the steps above)."""
        decision = self.respond(self.say(rep_text))
        return self.complete(decision, self.speak(decision))

    def hint(self) -> str:
        """A nudge toward a topic the buyer has not revealed yet. Each hint costs
        points on the scorecard (coach.scoring.HINT_COST)."""
        s = self.director.state
        todo = [d for d in self.scenario.discoveries if d.id not in s.discovered]
        if not todo:
            text = "You have uncovered everything: sum up what you heard and propose a next step worth their time."
        else:
            ready = [d for d in todo if all(a in s.discovered for a in d.requires.after)]
            d = max(ready or todo, key=lambda d: d.weight)
            text = f"They have not told you about {d.topic} yet."
            if s.trust < self.scenario.gate(d):
                text += " They need to trust you more first: reflect what you have heard, in their words, or acknowledge how it has been for them."
            elif d.requires.open_question:
                text += " Ask about it with an open question, in their terms: 'what', 'how' or 'tell me about'."
            else:
                text += " Ask about it, in your own words and theirs."
        self.hints.append(text)
        self._hint_pending = True
        return text

    def finish(self) -> Scorecard:
        """End the session (if the buyer has not) and score it; idempotent."""
        if self._scorecard is not None:
            return self._scorecard
        s = self.director.state
        if not s.ended:
            s.ended, s.end_reason = True, "finished"
        card = score(self.scenario, self.exchanges, hints=len(self.hints), opening=self.opening.text,
                     end_reason=s.end_reason)
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
            self.store.add_turn(self.session_id, speaker="buyer", text=self._unsaved[0].text, reply=self._unsaved[0])
            self._unsaved.pop(0)
        self.save_error = None

    @property
    def scorecard(self) -> Scorecard | None:
        """The scorecard once finished, else None."""
        return self._scorecard

    # -- resuming -----------------------------------------------------------------

    @classmethod
    def resume(cls, record: SessionRecord, analyzer: Analyzer | None, *, store: Store | None = None,
               voice: Voice | None = None) -> PracticeSession:
        """Continue a stored unfinished session: new turns are added to it, and
        its stored turns are played again once the analyser is attached; rep
        turns stored but never answered (typed just before the app closed) are
        left in ``unanswered``."""
        if record.scenario is None:
            raise ValueError(f"the stored scenario cannot be loaded: {record.scenario_error}")
        return cls(record.scenario, analyzer, seed=record.seed or 0, store=store, rep=record.rep, voice=voice,
                   record=record)


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


def run_script(scenario: Scenario, analyzer: Analyzer, script: Sequence[str], *, seed: int = 0,
               store: Store | None = None, rep: str = "rep", voice: Voice | None = None) -> ScriptResult:
    """Play ``script`` (rep lines; blank ones skipped) and finish the session."""
    session = PracticeSession(scenario, analyzer, seed=seed, store=store, rep=rep, voice=voice)
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


#: Trust at or above which a buyer counts as fully won over.
TOP_TRUST = 95.0


def behaviour_warnings(scenario: Scenario, analyzer: Analyzer, results: dict[str, ScriptResult]) -> list[tuple]:
    """What a scenario's tests and examples show about how its buyer behaves,
    as (location, message) pairs for `coach scenario test`:

    - a consultative test (one that expects discoveries) that takes the buyer's
      trust to the top in fewer than half its turns: the buyer warms too fast;
    - a discovery example the analyser does not label the way the discovery's
      ``requires`` needs (an open question required, the example read as
      closed): a rep asking it that way never hears the fact.

    ``results``: each test's name -> its played script."""
    out: list[tuple] = []
    for i, t in enumerate(scenario.tests):
        r = results.get(t.name)
        if r is None or not t.expect.revealed:
            continue
        turns = len(r.exchanges)
        top = next((e.index + 1 for e in r.exchanges if e.trust_after >= TOP_TRUST), None)
        if top is not None and turns >= 4 and top < turns / 2:
            out.append((("tests", i, "script"),
                        f"trust reaches {TOP_TRUST:g} by turn {top} of {turns}: this {scenario.difficulty} buyer warms "
                        "too fast (lower buyer.trust.speed, or raise the discoveries' min_trust)"))
    for i, d in enumerate(scenario.discoveries):
        if not d.requires.open_question:
            continue
        for j, example in enumerate(d.examples):
            labels = set(PracticeSession(scenario, analyzer, seed=0).play(example).analysed.labels)
            if "open_question" not in labels:
                form = next((x for x in ("closed_question", "leading_question") if x in labels), "not a question")
                out.append((("discoveries", i, "examples", j),
                            f"the analyser reads this example as {form.replace('_', ' ')}, but requires.open_question "
                            "needs an open one: a rep asking it this way never hears it"))
    return out
