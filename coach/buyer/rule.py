"""The embedded default buyer: deterministic given a seed, offline, driven by the scenario.

How it reacts to one rep turn (see docs/scenario-format.md for the fields):

1. Trust moves by the scenario's change for each label the analyser found
   (defaults in coach/scenario/models.py), times ``buyer.trust.speed``. One turn moves
   trust by at most ``TURN_CAP`` points (or the largest single change the
   scenario sets, if larger), times speed, so that bad behaviour makes the buyer
   curt before it makes them leave.
2. Trust at or below ``ending.walkout_below``: the buyer walks out.
3. A turn that proposes the scenario's next step (by meaning) ends the session
   well if trust, after the turn's own change, is at least the next step's
   ``min_trust``; otherwise the buyer declines.
4. The turn is matched to a discovery by meaning: the analyser's sentence
   embedding against each discovery's topic and example questions, with shared
   content words as a tie-breaker and as the whole test when there is no
   encoder. A "tell me more" with no topic of its own goes on with the topic of
   the buyer's last reply. If the discovery's ``requires`` hold and the turn
   was not a leading question, nor more pushy, pitching, self-interested or
   interrogating than it was curious (its trust change is positive), the buyer
   reveals it; otherwise it gives the guarded reply.
5. Otherwise the buyer reacts to the most telling label (bad behaviour first),
   or curtly when trust is low or bad turns come in a row.
6. A trusting buyer (trust >= ``VOLUNTEER_TRUST``) answering a good turn that
   revealed nothing volunteers the undiscovered fact most related to what was
   just discussed (``volunteer: true`` ones whose ``min_trust``/``after`` hold).

No line is said twice in a session: variants rotate in a seeded random order,
then fall back to the scenario's ``fallback`` lines, then to short neutral
acknowledgements and pairs of them.
"""

from __future__ import annotations

import random
import re
import weakref
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from coach.buyer.base import BuyerState, BuyerTurn
from coach.buyer.text import content_stems

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from coach.analysis.types import AnalysedTurn
    from coach.scenario import Discovery, Scenario

#: Bad behaviour: the buyer reacts to it first, and a run of it makes them curt.
BAD: frozenset[str] = frozenset({"leading_question", "pressure", "pitching", "self_interested", "checklist"})
#: A discovery asked about with a leading question is never revealed: the
#: question carries its own answer.
ALWAYS_BAD: frozenset[str] = frozenset({"leading_question"})
# Other bad behaviour (a pitch, a push, self-interest, interrogation) blocks a
# reveal when it outweighs the turn's good behaviour, i.e. the turn's trust
# change is not positive. The buyer judges the turn as a whole: a curious,
# empathic follow-up with a trace of the seller's side still gets an answer,
# and one stray label from the analyser does not silence the buyer.
#: Bad labels in the order the buyer reacts to them (the most offensive first).
BAD_ORDER: tuple[str, ...] = ("pressure", "pitching", "self_interested", "leading_question", "checklist")
#: Good labels in the order the buyer reacts to them.
GOOD_ORDER: tuple[str, ...] = (
    "empathy",
    "reflection",
    "mutual_success",
    "curiosity",
    "follow_up",
    "open_question",
    "closed_question",
)
#: Labels whose reaction makes a natural lead-in to a revealed fact ("Exactly. ...").
PREFIX_LABELS: tuple[str, ...] = ("empathy", "reflection", "mutual_success")

#: A turn moves trust by at most this many points (times speed), unless the
#: scenario sets a single label's change higher.
TURN_CAP = 15.0
#: Trust at which a buyer starts volunteering related facts unasked.
VOLUNTEER_TRUST = 60.0
#: Bad turns in a row that make the buyer curt whatever the trust.
CURT_STREAK = 2

#: Cosine similarity at or above which a turn is about a discovery.
SIM_HIGH = 0.50
#: Cosine similarity at or above which a turn is about a discovery when no
#: other discovery comes within SIM_MARGIN of it (a clear winner).
SIM_MID = 0.42
SIM_MARGIN = 0.12
#: Cosine similarity at or above which shared content words confirm a match.
SIM_LOW = 0.35
#: Weighted shared-word score that confirms a borderline match, or decides on its own without an encoder.
KW_CONFIRM = 0.5
KW_ALONE = 1.0
#: Shared-word score strong enough (two words specific to one discovery) to
#: carry a weak meaning score at or above SIM_FLOOR: the encoder misses some
#: domain synonyms ("the last breakdown" for "the last time a compressor went down").
KW_STRONG = 2.0
SIM_FLOOR = 0.2
#: A whole multi-sentence turn this similar to one undiscovered fact (and clear
#: of the rest) is matched without encoding its sentences separately.
SHORTCUT_SIM = 0.6
#: Cosine similarity at or above which a turn proposes the scenario's next step.
NEXT_SIM = 0.55
#: Two candidates whose scores differ by less than this count as a tie: the
#: undiscovered one wins, then the one whose `after` facts are revealed.
TIE = 0.06
#: Turns at most this many words long with no topic of their own ("tell me more",
#: "go on", "how so?") continue the topic of the buyer's last reply.
SHORT_PROMPT_WORDS = 8

#: Neutral acknowledgements used when a scenario's own lines are all used up.
GENERIC_LINES: tuple[str, ...] = (
    "Mm.",
    "Go on.",
    "Okay.",
    "Right.",
    "I see.",
    "Hm.",
    "Sure.",
    "Mm-hm.",
    "Fair enough.",
    "Okay, and?",
)

#: Key of the next step in RuleBuyer.similarities().
NEXT_KEY = "<next-step>"
#: Characters of a turn looked at for matching, and sentences encoded at most.
MAX_MATCH_CHARS = 2000
MAX_SEGMENTS = 4

_SENTENCE = re.compile(r"(?<=[.?!])\s+")
_INVITE = re.compile(
    r"^(?:so,?\s+)?(?:tell me|walk me|talk me|help me|take me|describe|explain|say more|go on|paint me)\b", re.I
)

# Encodings of a scenario's example lines, per analyser, so a test suite that
# runs many scripts against one scenario encodes them once.
_ENCODED: "weakref.WeakKeyDictionary[Any, dict[str, Any]]" = weakref.WeakKeyDictionary()


def _encode_cached(analyzer: Any, texts: list[str]) -> "np.ndarray | None":
    import numpy as np

    try:
        cache = _ENCODED.setdefault(analyzer, {})
    except TypeError:  # not weak-referenceable: no cache
        cache = {}
    missing = [t for t in dict.fromkeys(texts) if t not in cache]
    if missing:
        vecs = analyzer.encode(missing)
        if vecs is None:
            return None
        vecs = np.asarray(vecs, dtype=np.float32)
        for t, v in zip(missing, vecs):
            cache[t] = v
    return np.stack([cache[t] for t in texts]) if texts else None


class RuleBuyer:
    """The scenario-driven buyer. ``analyzer`` supplies ``encode(texts)`` for
    matching by meaning; without it (or with an encoder that returns None) the
    buyer matches by shared content words only."""

    def __init__(self, scenario: Scenario, analyzer: Any = None, seed: int = 0) -> None:
        self.scenario = scenario
        self.seed = seed
        self._rng = random.Random(seed)
        self._speed = scenario.buyer.trust.speed
        self._changes = scenario.trust_changes()
        self._cap = max([TURN_CAP] + [abs(v) for v in self._changes.values()])
        self._discoveries: dict[str, Discovery] = {d.id: d for d in scenario.discoveries}
        self._order = [d.id for d in scenario.discoveries]
        ending = scenario.ending
        start = scenario.buyer.trust.start
        #: Trust below which the buyer is curt: halfway between walking out and where they started.
        self.curt_below = ending.walkout_below + max(10.0, (start - ending.walkout_below) / 2)

        # Content words of each discovery, weighted by how specific they are to it.
        self._stems = {d.id: content_stems(" ".join([d.topic, *d.examples])) for d in scenario.discoveries}
        df: dict[str, int] = {}
        for stems in self._stems.values():
            for s in stems:
                df[s] = df.get(s, 0) + 1
        self._idf = {s: 1.0 / n for s, n in df.items()}
        ns = ending.next_step
        self._next_stems = content_stems(" ".join(ns.examples)) if ns else set()

        # Prototype embeddings: each discovery's topic and examples; the next step's examples.
        self._analyzer = analyzer
        self._protos: dict[str, Any] | None = None
        self._next_protos: Any = None
        self._related: dict[str, list[str]] = {i: [j for j in self._order if j != i] for i in self._order}
        if analyzer is not None and hasattr(analyzer, "encode"):
            self._build_prototypes(analyzer)

    # -- set-up ---------------------------------------------------------------

    def _build_prototypes(self, analyzer: Any) -> None:
        import numpy as np

        texts: list[str] = []
        spans: dict[str, tuple[int, int]] = {}
        for d in self.scenario.discoveries:
            a = len(texts)
            texts.extend([d.topic, *d.examples])
            spans[d.id] = (a, len(texts))
        ns = self.scenario.ending.next_step
        n0 = len(texts)
        if ns:
            texts.extend(ns.examples)
        vecs = _encode_cached(analyzer, texts)
        if vecs is None or len(vecs) != len(texts):
            return
        self._protos = {i: vecs[a:b] for i, (a, b) in spans.items()}
        self._next_protos = vecs[n0:] if ns else None
        # Related facts: the ones whose prototypes lie closest (after-dependents first).
        centroids = {i: v.mean(axis=0) for i, v in self._protos.items()}
        for i in self._order:
            dependents = [j for j in self._order if i in self._discoveries[j].requires.after]
            others = sorted(
                (j for j in self._order if j != i and j not in dependents),
                key=lambda j: -float(np.dot(centroids[i], centroids[j])),
            )
            self._related[i] = dependents + others

    # -- the Buyer protocol ---------------------------------------------------

    def new_state(self) -> BuyerState:
        """A fresh state at the scenario's starting trust."""
        return BuyerState(trust=float(self.scenario.buyer.trust.start))

    def opening(self, state: BuyerState) -> BuyerTurn:
        text = self.scenario.buyer.opening
        state.said.append(text)
        return BuyerTurn(text=text, kind="opening", trust=state.trust)

    def reply(self, state: BuyerState, analysed: AnalysedTurn) -> BuyerTurn:
        if state.ended:
            raise RuntimeError("the conversation has ended")
        sc = self.scenario
        labels = set(analysed.labels)
        bad = labels & BAD

        # 1. Trust.
        raw = sum(self._changes.get(label, 0.0) for label in labels)
        cap = self._cap * self._speed
        change = max(-cap, min(cap, raw * self._speed))
        before = state.trust
        state.trust = max(0.0, min(100.0, before + change))
        change = state.trust - before
        state.turn += 1
        if bad and raw < 0:
            state.bad_streak += 1
            state.bad_turns += 1
        elif raw > 0:
            state.bad_streak = 0
        # The first bad turn gets a reaction that names it; curtness comes with repetition.
        state.curt = state.bad_streak >= CURT_STREAK or (state.trust < self.curt_below and state.bad_turns >= 2)

        def done(parts: list[str], kind: str, revealed: tuple[str, ...] = (), asked: tuple[str, ...] = (),
                 ended: bool = False, reason: str | None = None) -> BuyerTurn:
            if not ended and state.turn >= sc.ending.max_turns:
                ended, reason = True, "max_turns"
            if ended:
                state.ended, state.end_reason = True, reason
            text = " ".join(p for p in parts if p)
            if text in state.said:  # a composed reply can coincide with an earlier one
                text = f"{text} {self._pick(list(GENERIC_LINES), state)}"
            state.said.append(text)
            return BuyerTurn(text=text, kind=kind, revealed=revealed, asked_about=asked, trust=state.trust,
                             trust_change=change, ended=ended, end_reason=reason)

        # 2. Walkout.
        if state.trust <= sc.ending.walkout_below:
            return done([self._pick(sc.reactions.walkout, state)], "walkout", ended=True, reason="walkout")

        topic, next_step = self._match(analysed, state)

        # 3. A proposed next step.
        if next_step:
            ns = sc.ending.next_step
            assert ns is not None
            # Trust (after this turn's own change) is the gate, as the format says:
            # a pushy proposal has already paid for its pushiness in trust.
            if state.trust >= ns.min_trust:
                return done([self._pick(ns.reply, state)], "next_step", ended=True, reason="next_step")
            pool = ns.declined or (sc.reactions.curt if state.curt else sc.reactions.fallback)
            return done([self._pick(pool, state)], "declined")

        good = raw > 0 and not bad
        asked_badly = bool(labels & ALWAYS_BAD) or (bool(bad) and raw <= 0)

        def reaction() -> str:  # picked only when said, so unsaid lines stay fresh
            return self._reaction(labels, bad if asked_badly or raw <= 0 else set(), state)

        # 4. A hidden fact asked about.
        if topic is not None and topic not in state.discovered:
            d = self._discoveries[topic]
            state.last_topic = topic
            if self._can_reveal(d, labels, asked_badly, state):
                state.discovered.append(topic)
                prefix = self._prefix(labels, state) if not state.curt else ""
                return done([prefix, self._pick([x.say for x in d.reveal], state)], "reveal", (topic,), (topic,))
            guarded = self._pick([x.say for x in d.guarded], state, fallback=False)
            parts = [reaction(), guarded] if asked_badly else [guarded]
            return done(parts, "guarded", asked=(topic,))

        # 5/6. A reaction, and perhaps a related fact offered unasked.
        if topic is not None:
            state.last_topic = topic
        if good and state.trust >= VOLUNTEER_TRUST and not state.curt:
            offered = self._volunteer(topic, state)
            if offered is not None:
                d = self._discoveries[offered]
                state.discovered.append(offered)
                state.last_topic = offered
                lead = self._prefix(labels, state)
                return done([lead, self._pick([x.say for x in d.reveal], state)], "volunteer", (offered,),
                            (topic,) if topic else ())
        kind = "curt" if state.curt else ("reaction" if labels else "fallback")
        return done([reaction()], kind, asked=(topic,) if topic else ())

    # -- matching -------------------------------------------------------------

    def _segments(self, text: str) -> list[str]:
        """The parts of a turn that carry its topic: its questions and inviting
        imperatives if it has any (a reflection before the question is about the
        last topic, not the next), else all its sentences. At most MAX_SEGMENTS,
        the last ones (a turn ends on its ask)."""
        sentences = [x.strip() for x in _SENTENCE.split(text[:MAX_MATCH_CHARS]) if x.strip()]
        asks = [x for x in sentences if x.endswith("?") or _INVITE.match(x)]
        return (asks or sentences)[-MAX_SEGMENTS:]

    def _unit(self, vecs: Any) -> Any:
        import numpy as np

        vecs = np.asarray(vecs, dtype=np.float32)
        vecs = vecs.reshape(1, -1) if vecs.ndim == 1 else vecs
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return vecs / norms

    def _sims_for(self, vecs: Any) -> dict[str, float]:
        import numpy as np

        assert self._protos is not None
        out = {i: float(np.max(v @ vecs.T)) for i, v in self._protos.items()}
        if self._next_protos is not None:
            out[NEXT_KEY] = float(np.max(self._next_protos @ vecs.T))
        return out

    def similarities(self, analysed: AnalysedTurn, discovered: Collection[str] = ()) -> dict[str, float]:
        """Cosine similarity of the turn's asks to each discovery, and to the next
        step under the key ``"<next-step>"`` (empty without an encoder).

        A one-sentence turn uses the analyser's embedding of the turn. A longer
        turn is matched sentence by sentence (its questions), encoded here in one
        batch, unless the whole turn's embedding already points clearly at one
        undiscovered fact (which saves that encoding, the buyer's main cost).
        """
        if self._protos is None:
            return {}
        whole = None if analysed.embedding is None else self._unit(analysed.embedding)
        sentences = [x for x in _SENTENCE.split(analysed.text[:MAX_MATCH_CHARS]) if x.strip()]
        if whole is not None:
            sims = self._sims_for(whole)
            if len(sentences) <= 1:
                return sims
            ranked = sorted(((v, k) for k, v in sims.items() if k != NEXT_KEY), reverse=True)
            (best, best_id), second = ranked[0], (ranked[1][0] if len(ranked) > 1 else 0.0)
            if (
                best_id not in discovered
                and best >= SHORTCUT_SIM
                and best - second >= SIM_MARGIN
                and sims.get(NEXT_KEY, 0.0) < best
            ):
                return sims
        segments = self._segments(analysed.text)
        if self._analyzer is None or not segments:
            return {} if whole is None else self._sims_for(whole)
        vecs = self._analyzer.encode(segments)
        if vecs is None:
            return {} if whole is None else self._sims_for(whole)
        return self._sims_for(self._unit(vecs))

    def _keyword_scores(self, stems: set[str]) -> dict[str, float]:
        return {i: sum(self._idf[s] for s in stems & own) for i, own in self._stems.items()}

    def _match(self, analysed: AnalysedTurn, state: BuyerState) -> tuple[str | None, bool]:
        """(discovery the turn asks about or None, whether it proposes the next step)."""
        segments = self._segments(analysed.text)
        stems = content_stems(" ".join(segments))
        kw = self._keyword_scores(stems)
        sims = self.similarities(analysed, state.discovered)

        scores: dict[str, float] = {}
        best_sim = max((v for k, v in sims.items() if k != NEXT_KEY), default=0.0)
        for i in self._order:
            if sims:
                s = sims[i]
                if s < best_sim - SIM_MARGIN:
                    continue  # shared words do not outvote a clearly closer meaning
                runner_up = max((v for k, v in sims.items() if k not in (i, NEXT_KEY)), default=0.0)
                if (
                    s >= SIM_HIGH
                    or (s >= SIM_MID and s - runner_up >= SIM_MARGIN)
                    or (s >= SIM_LOW and kw[i] >= KW_CONFIRM)
                    or (s >= SIM_FLOOR and kw[i] >= KW_STRONG)
                ):
                    scores[i] = s + 0.05 * min(kw[i], 2.0)
            elif kw[i] >= KW_ALONE:
                scores[i] = kw[i]
        topic: str | None = None
        if scores:
            # Near-ties go to a fact not yet told, then to one whose `after` facts
            # are told: an ambiguous question gets the answer the buyer can give.
            best = max(scores.values())
            close = [i for i in self._order if i in scores and scores[i] >= best - TIE]
            topic = max(
                close,
                key=lambda i: (
                    i not in state.discovered,
                    all(a in state.discovered for a in self._discoveries[i].requires.after),
                    scores[i],
                ),
            )

        if self.scenario.ending.next_step is not None:
            if sims and NEXT_KEY in sims:
                nsim = sims[NEXT_KEY]
                best_topic = max(v for k, v in sims.items() if k != NEXT_KEY)
                next_step = nsim >= NEXT_SIM and nsim > best_topic
            else:
                shared = len(stems & self._next_stems)
                next_step = shared >= 2 and shared > max(kw.values(), default=0.0)
            if next_step:
                return None, True

        if topic is None and state.last_topic is not None and max(kw.values(), default=0.0) < KW_CONFIRM:
            labels = set(analysed.labels)
            words = analysed.words or len(analysed.text.split())
            # "Tell me more" / "How so?": no topic of its own, goes on with the last one.
            prompt = bool(labels & {"follow_up", "open_question"}) and words <= SHORT_PROMPT_WORDS
            # Acknowledging a guarded answer ("Sounds like a sore point") invites the buyer back to it.
            guarded_last = state.last_topic not in state.discovered
            if prompt or (guarded_last and labels & {"follow_up", "reflection", "empathy"}):
                topic = state.last_topic
        return topic, False

    def _can_reveal(self, d: Discovery, labels: set[str], asked_badly: bool, state: BuyerState) -> bool:
        req = d.requires
        if asked_badly:
            return False
        if req.open_question and "open_question" not in labels:
            return False
        if state.trust < req.min_trust:
            return False
        return all(a in state.discovered for a in req.after)

    def _volunteer(self, topic: str | None, state: BuyerState) -> str | None:
        anchor = topic or state.last_topic or (state.discovered[-1] if state.discovered else None)
        # The fact they were guarded about comes first, then the ones related to it.
        order = [anchor, *self._related[anchor]] if anchor else self._order
        for i in order:
            d = self._discoveries[i]
            if i in state.discovered or not d.volunteer:
                continue
            if state.trust >= d.requires.min_trust and all(a in state.discovered for a in d.requires.after):
                return i
        return None

    # -- lines ----------------------------------------------------------------

    def _reaction(self, labels: set[str], bad: set[str], state: BuyerState) -> str:
        r = self.scenario.reactions
        if state.curt:
            return self._pick(r.curt, state)
        order = BAD_ORDER + GOOD_ORDER if bad else GOOD_ORDER + BAD_ORDER
        for label in order:
            if label in labels:
                lines = [x for x in r.lines(label) if x not in state.used]
                if lines:
                    return self._pick(lines, state)
        return self._pick(r.fallback, state)

    def _prefix(self, labels: set[str], state: BuyerState) -> str:
        for label in PREFIX_LABELS:
            if label in labels:
                lines = [x for x in self.scenario.reactions.lines(label) if x not in state.used]
                if lines:
                    return self._pick(lines, state)
        return ""

    def _pick(self, lines: list[str], state: BuyerState, *, fallback: bool = True) -> str:
        """A line not used yet in this session, chosen with the seeded generator.

        When ``lines`` are all used: the scenario's fallback lines, then short
        neutral acknowledgements, then pairs of them.
        """
        used = set(state.used)
        pools = [lines, self.scenario.reactions.fallback, list(GENERIC_LINES)] if fallback else [lines]
        for pool in pools:
            fresh = [x for x in pool if x not in used]
            if fresh:
                choice = self._rng.choice(fresh)
                state.used.append(choice)
                return choice
        if not fallback:
            return self._pick(self.scenario.reactions.fallback, state)
        pairs = [f"{a} {b}" for a in GENERIC_LINES for b in GENERIC_LINES if a != b]
        fresh = [x for x in pairs if x not in used]
        choice = self._rng.choice(fresh) if fresh else self._rng.choice(pairs)
        state.used.append(choice)
        return choice
