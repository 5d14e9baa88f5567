"""The analyser: rep turn (+ the conversation before it) -> labels, evidence, tips.

    analyzer = Analyzer.load()          # cached per process, thread-safe
    conv = analyzer.conversation()
    conv.add_buyer("We lost a week of orders.")
    turn = conv.add_rep("A whole week. What did that do to your retail accounts?")
    analyzer.analyze_turns(turns)       # batched; None for buyer turns
    analyzer.encode(texts)              # unit-length float32 rows

How a label is decided: spaCy gives the structure (sentences, which ask or invite and
in what form: features.py); cue phrases give evidence (rules.py); the trained heads
(heads.py, models/heads.npz) decide from the fine-tuned turn encoder's vector of
the rep turn read with the buyer's last turn (encoder.py, models/turn_encoder.onnx),
the structure, the cues and the relation to the buyer's last turn. Without trained
heads the rules decide alone. Checklist is the conversation rule of LABELS.md.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from coach.analysis import features as F
from coach.analysis import rules as R
from coach.analysis.language import word_count
from coach.analysis.tips import History, tips_for
from coach.analysis.types import AnalysedTurn, Evidence, SentenceForm, Turn
from coach.analysis.types import Uptake
from coach.analysis.uptake import measure as measure_uptake
from coach.analysis.uptake import phrases as uptake_phrases
from coach.analysis.uptake import spans as uptake_spans
from coach.labels import LABELS

HEAD_LABELS = tuple(lab for lab in LABELS if lab != "checklist")
#: Texts whose general-encoder vectors Analyzer.vector() keeps (buyer lines).
VECTOR_CACHE = 512
_CUE_NAMES = tuple(f"cue_{lab}" for lab in R.CUES)
_FU_NAMES = ("fu_has_buyer", "fu_overlap", "fu_overlap_frac", "fu_num", "fu_uptake",
             "fu_anaphor", "fu_ack_only", "fu_short", "fu_buyer_asked", "fu_buyer_objects",
             "fu_buyer_feels")
#: The non-embedding features, in order.
SCALAR_NAMES = F.FEATURE_NAMES + _CUE_NAMES + _FU_NAMES
DIM = 384




# --------------------------------------------------------------------------- per-turn parts


@dataclass
class Prepared:
    """Everything about one rep turn that does not depend on the decision."""

    text: str  # original text
    clean: str  # sanitized + capped: what the parser and encoder saw
    st: F.Structure
    cues: list
    #: the turn encoder's vector (rep turn read with the buyer's last turn): the heads' input
    emb: np.ndarray | None = None
    #: the general sentence embedding (meaning), when asked for: AnalysedTurn.embedding
    vec: np.ndarray | None = None


def turn_vector(p: Prepared, buyer_text: str | None) -> np.ndarray:
    """The heads' input: [rep embedding, scalar features (structure, cues, relation to
    the buyer's last turn)].

    Tried and dropped: an elementwise rep*buyer embedding block (lowered
    cross-validated macro-F1 by 0.03) and the cosine between the rep and buyer
    embeddings (+0.004 macro-F1 for twice the encoder work per turn)."""
    emb = p.emb if p.emb is not None else np.zeros(DIM, np.float32)
    cv = R.cue_vector(p.cues, p.st)
    fu = R.follow_features(p.clean, p.st, buyer_text)
    scal = np.concatenate([
        F.numeric(p.st),
        np.array([cv[k] for k in _CUE_NAMES], np.float32),
        np.array([fu[k] for k in _FU_NAMES], np.float32),
    ])
    return np.concatenate([emb, scal]).astype(np.float32)


# --------------------------------------------------------------------------- the analyser


class Analyzer:
    """Loads spaCy, the encoders and the heads once; analyses turns.

    ``encoder`` is the general sentence encoder (or a function that makes it: it is
    then loaded on first use, so ``coach analyze``, which never needs it, never
    loads it); ``turn_encoder`` is the fine-tuned encoder the heads read."""

    _cache: dict[tuple, "Analyzer"] = {}
    _cache_lock = threading.Lock()

    def __init__(self, nlp, encoder, heads, turn_encoder=None):
        self.nlp = nlp
        self._encoder = encoder
        # heads read the turn encoder's vectors: without it the rules decide
        self.heads = heads if turn_encoder is not None else None
        self.turn_encoder = turn_encoder
        self._nlp_lock = threading.Lock()
        self._encoder_lock = threading.Lock()
        self._vectors: dict[str, np.ndarray] = {}

    @property
    def encoder(self):
        """The general sentence encoder (None when loaded without one)."""
        if self._encoder is not None and _is_factory(self._encoder):
            with self._encoder_lock:
                if _is_factory(self._encoder):
                    self._encoder = self._encoder()
        return self._encoder

    @classmethod
    def load(cls, *, encoder: bool = True, heads: bool = True) -> "Analyzer":
        """The analyser, loaded once per process (thread-safe). ``encoder=False``
        runs on structure and rules alone (no ONNX; embeddings are None)."""
        key = (encoder, heads)
        with cls._cache_lock:
            if key not in cls._cache:
                _return_freed_memory()
                nlp = F.load_nlp()
                enc = hd = turn = None
                if encoder:
                    from coach.analysis.encoder import Encoder

                    enc = Encoder  # loaded on first use
                if heads and encoder:
                    hd, turn = load_heads()
                cls._cache[key] = cls(nlp, enc, hd, turn)
            return cls._cache[key]

    # -- public API ---------------------------------------------------------------

    def conversation(self) -> "ConversationAnalysis":
        return ConversationAnalysis(self)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text (sanitized, capped)."""
        clean = [F.sanitize(t or "")[: F.MAX_CHARS] for t in texts]
        if self.encoder is None:
            raise RuntimeError("this Analyzer was loaded without its encoder")
        return self.encoder.encode(clean)

    def analyze_turns(self, turns: Sequence[Turn], *, conversations: Sequence[object] | None = None,
                      embeddings: bool = False) -> list[AnalysedTurn | None]:
        """Analyse a whole conversation at once (batched parsing and encoding).

        Returns one entry per turn: an AnalysedTurn for rep turns, None for buyer
        turns. ``conversations``, if given, holds one conversation id per turn: the
        history (follow-up, checklist runs) restarts where the id changes, so a file
        of many conversations can go through in one call. ``embeddings=True`` also
        fills each AnalysedTurn's general sentence embedding."""
        turns = list(turns)
        rep_idx = [i for i, t in enumerate(turns) if t.speaker == "rep"]
        prev_buyer: dict[int, int] = {}
        last_b = None
        last_conv = object()
        for i, t in enumerate(turns):
            conv = conversations[i] if conversations is not None else None
            if conv != last_conv:
                last_b, last_conv = None, conv
            if t.speaker == "rep":
                if last_b is not None:
                    prev_buyer[i] = last_b
                last_b = None  # a buyer turn two turns back does not count
            else:
                last_b = i
        prepared = self.prepare([turns[i].text for i in rep_idx],
                                 [turns[prev_buyer[i]].text if i in prev_buyer else None for i in rep_idx],
                                 general=embeddings)
        out: list[AnalysedTurn | None] = [None] * len(turns)
        state, history = R.RunState(), History()
        last_conv = object()
        pi = 0
        for i, t in enumerate(turns):
            conv = conversations[i] if conversations is not None else None
            if conv != last_conv:
                state, history, last_conv = R.RunState(), History(), conv
            if t.speaker != "rep":
                history.heard(t.text)
                continue
            j = prev_buyer.get(i)
            out[i] = self.decide(prepared[pi], turns[j].text if j is not None else None, state, history=history)
            pi += 1
        return out

    # -- the two steps (the trainer and the spaCy component call them too) ---------

    def prepare(self, texts: list[str], buyers: Sequence[str | None] | None = None, *,
                general: bool = False, chunk: int = 128) -> list[Prepared]:
        """Parse and encode rep turns (``buyers``: the buyer's turn before each, or
        None), a chunk at a time so memory stays flat on big files (no Doc outlives
        its chunk). The turn encoder runs when there are heads to read it; the
        general encoder when ``general``. On more than one chunk the encoders run in
        a worker thread (ONNX Runtime releases the GIL) while the next chunk is
        parsed."""
        texts = [_as_text(t) for t in texts]
        buyers = list(buyers) if buyers is not None else [None] * len(texts)
        turn_enc = self.turn_encoder if self.heads is not None else None
        gen_enc = self.encoder if general else None

        def parse(lo: int) -> list[Prepared]:
            originals = texts[lo : lo + chunk]
            clean = [F.sanitize(t)[: F.MAX_CHARS] for t in originals]
            part = []
            with self._nlp_lock:
                docs = self.nlp.pipe(clean, batch_size=64) if len(clean) > 1 else (self.nlp(c) for c in clean)
                for t, c, d in zip(originals, clean, docs):
                    st = F.structure(d)
                    part.append(Prepared(text=t, clean=c, st=st, cues=R.find_cues(c, st)))
            return part

        def encode(part: list[Prepared], lo: int) -> None:
            clean = [p.clean for p in part]
            if turn_enc is not None:
                for p, e in zip(part, turn_enc.encode(clean, buyers[lo : lo + len(part)])):
                    p.emb = e
            if gen_enc is not None:
                for p, e in zip(part, gen_enc.encode(clean)):
                    p.vec = e

        starts = range(0, max(len(texts), 1), chunk)
        if len(texts) <= chunk or (turn_enc is None and gen_enc is None):
            out: list[Prepared] = []
            for lo in starts:
                part = parse(lo)
                if part:
                    encode(part, lo)
                out += part
            return out
        from concurrent.futures import ThreadPoolExecutor

        out, pending = [], []
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-encode") as pool:
            for lo in starts:
                part = parse(lo)
                pending.append(pool.submit(encode, part, lo))
                out += part
            for fut in pending:
                fut.result()
        return out

    def analyse_one(self, text: str, buyer_last: str | None, state: R.RunState, *,
                    embedding: bool = True, history: History | None = None) -> AnalysedTurn:
        p = self.prepare([text], [buyer_last], general=embedding)[0]
        buyer_vec = statement_vec = None
        if embedding and buyer_last and p.vec is not None:
            buyer_vec = self.vector(buyer_last)
            # A reflect-then-ask turn restates in its statements: measure those
            # against the buyer's turn, not the whole turn the question dilutes.
            said = [p.clean[x.start : x.end] for x in p.st.sentences if not x.is_question]
            if said and len(said) < len(p.st.sentences):
                statement_vec = self.encode([" ".join(said)])[0]
        return self.decide(p, buyer_last, state, buyer_vec, history, statement_vec)

    def vector(self, text: str) -> np.ndarray:
        """The general encoder's unit vector of one text, cached: the buyer's
        lines come from a scenario and recur across sessions."""
        with self._encoder_lock:
            hit = self._vectors.get(text)
        if hit is None:
            hit = self.encode([text])[0]
            with self._encoder_lock:
                if len(self._vectors) >= VECTOR_CACHE:
                    self._vectors.pop(next(iter(self._vectors)))
                self._vectors[text] = hit
        return hit

    def decide(self, p: Prepared, buyer: str | None, state: R.RunState,
               buyer_vec: np.ndarray | None = None, history: History | None = None,
               statement_vec: np.ndarray | None = None) -> AnalysedTurn:
        """The analysis of one prepared rep turn: labels (the heads', or the rules'
        without them), checklist by the conversation's ``state`` (updated), evidence,
        tips, uptake. ``buyer``: the buyer's turn just before, or None;
        ``history``: what the rep asked before and the buyer answered (the tips
        read it, and this turn's questions are added to it); ``buyer_vec``,
        ``statement_vec``: the general encoder's vectors of the buyer's turn and of
        this turn's statements, for the meaning part of the uptake."""
        st = p.st
        if self.heads is not None:
            x = turn_vector(p, buyer)
            prob = self.heads.proba(x[None, :])[0]
            scores = dict(zip(self.heads.labels, prob.tolist()))
            thr = dict(zip(self.heads.labels, self.heads.thr.tolist()))
            labels = decide_from_scores(scores, thr, st, R.claims(p.cues, p.clean, buyer))
            if not (buyer and buyer.strip()):
                # Nothing said to build on or restate (LABELS.md): "Thanks for
                # meeting me." opening a call was credited as a follow-up.
                labels -= {"follow_up", "reflection"}
        else:
            scores = {}
            labels = rule_labels(p, buyer)
        n_q = R.apply_checklist(labels, scores, st, state,
                              self.heads.meta.get("checklist_follow_up_threshold") if self.heads else None)
        ordered = tuple(lab for lab in LABELS if lab in labels)
        uptake = measure_uptake(p.clean, buyer, p.vec if statement_vec is None else statement_vec, buyer_vec)
        evidence = build_evidence(p, set(ordered), buyer, uptake)
        tips = tips_for(set(ordered), evidence, buyer_last=buyer, questions=n_q, uptake=uptake, history=history)
        if history is not None:
            history.asked([s.text for s in st.sentences if s.is_question])
        return AnalysedTurn(
            text=p.text, labels=ordered, evidence=tuple(evidence), tips=tuple(tips),
            questions=n_q, words=word_count(p.text) if len(p.text) < 200_000 else st.words,
            embedding=p.vec, scores=scores, uptake=uptake,
            sentences=tuple(SentenceForm(s.start, s.end, s.form, s.clauses) for s in st.sentences),
        )


def _is_factory(obj) -> bool:
    return isinstance(obj, type) or not hasattr(obj, "encode")


def load_heads(directory: Path | None = None):
    """(heads, turn encoder) from the models folder, or (None, None) when either is
    missing: heads trained on the turn encoder's vectors are no use without it."""
    from coach.analysis.encoder import TURN_ENCODER_FILE, TurnEncoder
    from coach.analysis.heads import Heads

    from coach.paths import models_dir

    d = directory or models_dir()
    if not (d / "heads.npz").exists() or not (d / TURN_ENCODER_FILE).exists():
        return None, None
    return Heads.load(d / "heads.npz"), TurnEncoder(d / TURN_ENCODER_FILE)


def _return_freed_memory() -> None:
    """Ask glibc to give freed memory back to the system at once (M_TRIM_THRESHOLD
    0, which also pins the mmap threshold). spaCy and numpy free large buffers
    every batch; with glibc's adaptive defaults they stay mapped (peak RSS of a
    5,000-turn run 373 MB against 235 MB). It slows every allocation a little, so
    ONNX Runtime keeps its own arena (encoder.py), whose buffers the token budget
    bounds: with both, 468 turns/s and 390 MB peak with both encoders loaded,
    against 250 turns/s with the arena off. No effect on other platforms."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, 0)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass


def _as_text(t) -> str:
    if isinstance(t, str):
        return t
    return "" if t is None else str(t)


class ConversationAnalysis:
    """One conversation, turn by turn: keeps the buyer's last turn (for follow-up)
    and the run of question turns (for checklist)."""

    def __init__(self, analyzer: Analyzer):
        self.analyzer = analyzer
        self.turns: list[Turn] = []
        self.analysed: list[AnalysedTurn | None] = []
        self._state = R.RunState()
        self._history = History()
        self._buyer_last: str | None = None
        self._lock = threading.Lock()

    def add_buyer(self, text: str) -> None:
        with self._lock:
            self.turns.append(Turn("buyer", text))
            self.analysed.append(None)
            self._history.heard(text)
            self._buyer_last = text

    def add_rep(self, text: str, *, embedding: bool = True) -> AnalysedTurn:
        """Analyse the rep's next turn. ``embedding`` also computes the turn's
        general sentence embedding (``AnalysedTurn.embedding``, which the
        simulated buyer matches with); the labels do not depend on it."""
        with self._lock:
            res = self.analyzer.analyse_one(text, self._buyer_last, self._state, embedding=embedding,
                                            history=self._history)
            self.turns.append(Turn("rep", text))
            self.analysed.append(res)
            self._buyer_last = None
            return res

    def checkpoint(self) -> tuple:
        """The conversation as it stands, for :meth:`rollback`."""
        with self._lock:
            return (len(self.turns), self._state.run, self._buyer_last, len(self._history.questions))

    def rollback(self, checkpoint: tuple) -> None:
        """Forget every turn added since ``checkpoint`` (a turn that could not be
        stored is taken back, so sending it again does not count it twice)."""
        n, run, last, asked = checkpoint
        with self._lock:
            del self.turns[n:]
            del self.analysed[n:]
            del self._history.questions[asked:]
            self._state.run = run
            self._buyer_last = last


# --------------------------------------------------------------------------- decisions


def decide_from_scores(scores: dict[str, float], thr: dict[str, float], st: F.Structure,
                       cues=()) -> set[str]:
    """Labels from the heads' probabilities, with structure where it is decisive:

    - a turn spaCy finds asking or inviting gets exactly one question form (the
      most probable one), a turn it finds not asking gets one only if a head is
      confident (passes its threshold);
    - a leading pattern (tag question, "wouldn't you agree", a hypothetical or
      trial close, a rhetorical question) makes the question leading; an
      invitation to talk ("Walk me through...", "Could you walk me through it?",
      "Is there anything else that worries you?": features' Sentence.invite)
      makes it open, as the contract says;
    - a strong cue phrase (rules.STRONG) gives its behaviour label;
    - a turn of small talk and nothing else gets no label at all.
    """
    if _only_small_talk(st, cues):
        return set()
    labels = {lab for lab in HEAD_LABELS[3:] if scores.get(lab, 0) >= thr.get(lab, 0.5)}
    forms = HEAD_LABELS[:3]
    ratio = {f: scores.get(f, 0) / max(thr.get(f, 0.5), 1e-6) for f in forms}
    if st.form == "leading" and any(s.form == "leading" and s.cue for s in st.sentences):
        labels.add("leading_question")
    elif st.form == "open" and any(s.form == "open" and s.invite for s in st.sentences):
        labels.add("open_question")
    elif st.form is not None:
        labels.add(max(forms, key=lambda f: scores.get(f, 0)))
    else:
        passed = [f for f in forms if ratio[f] >= 1.0]
        if passed:
            labels.add(max(passed, key=lambda f: ratio[f]))
    for c in cues:
        if (c.label, c.why) in R.STRONG and not (c.label == "empathy" and "pitching" in labels):
            labels.add(c.label)
    return labels


def _only_small_talk(st: F.Structure, cues) -> bool:
    """Thanks, greetings, acknowledgements, logistics and apologies for one's own
    conduct get no label (LABELS.md; issue 18: reps lose trust in feedback that
    credits "Understood." with a follow-up), unless a cue of a behaviour that
    pushes or sells is in them ("ill send u a code that expires friday")."""
    return R.small_talk(st) and not any(c.label in _SELLING for c in cues)


_SELLING = frozenset({"pressure", "self_interested", "pitching", "mutual_success"})


def rule_labels(p: Prepared, buyer: str | None) -> set[str]:
    """The rules alone (used before heads are trained and as a baseline)."""
    st = p.st
    labels: set[str] = set()
    if _only_small_talk(st, p.cues):
        return labels
    form = st.form
    if form:
        labels.add(form + "_question")
    cue = {c.label for c in R.claims(p.cues, p.clean, buyer)}
    cv = R.cue_vector(p.cues, st)
    if "pressure" in cue:
        labels.add("pressure")
    if "self_interested" in cue:
        labels.add("self_interested")
    if "pitching" in cue:
        labels.add("pitching")
    if "empathy" in cue and "pitching" not in cue:
        labels.add("empathy")
    if "mutual_success" in cue:
        labels.add("mutual_success")
    if cv["cue_reflection"] and buyer:
        labels.add("reflection")
    q_cur = any(c.label == "curiosity" and R.in_question(c, st) for c in p.cues)
    if form == "open" and not labels & {"self_interested", "pitching"}:
        labels.add("curiosity")
    elif form == "closed" and q_cur and not labels & {"self_interested", "pitching"}:
        labels.add("curiosity")
    fu = R.follow_features(p.clean, st, buyer)
    if buyer and not fu["fu_ack_only"] and (
        measure_uptake(p.clean, buyer).carried or fu["fu_uptake"] or fu["fu_num"]
        or (fu["fu_anaphor"] and st.questions and st.words <= 4) or "reflection" in labels
    ):
        labels.add("follow_up")
    return labels


# --------------------------------------------------------------------------- evidence

_FORM_OF = {"open_question": "open", "closed_question": "closed", "leading_question": "leading"}
_HEAD_WHY = {
    "curiosity": "explores the buyer's world",
    "follow_up": "builds on the buyer's last turn",
    "reflection": "restates what the buyer said",
    "empathy": "acknowledges the buyer's feelings or situation",
    "mutual_success": "frames the outcome as shared",
    "self_interested": "serves the seller's agenda",
    "pitching": "promotes the seller's offer",
    "pressure": "pushes the buyer",
}


def _ev(label: str, text: str, a: int, b: int, why: str) -> Evidence:
    a = max(0, min(a, len(text)))
    b = max(a, min(b, len(text)))
    return Evidence(label=label, start=a, end=b, quote=text[a:b], why=why)


def build_evidence(p: Prepared, labels: set[str], buyer: str | None, uptake: Uptake | None = None) -> list[Evidence]:
    """The words behind each label, as spans of the original text: the question
    forms, then the behaviours, then checklist. ``uptake``: what the turn took up
    from ``buyer`` (measured when not given), which a follow-up's and a
    reflection's evidence name."""
    if uptake is None:
        uptake = measure_uptake(p.clean, buyer)
    return [*_question_evidence(p, labels), *_behaviour_evidence(p, labels, buyer, uptake),
            *_checklist_evidence(p, labels)]


def _question_evidence(p: Prepared, labels: set[str]) -> list[Evidence]:
    """The question sentence of each form given (for a leading one its cue, and
    the whole question when the cue is a small part of it)."""
    text, st = p.text, p.st
    sents = st.sentences
    out: list[Evidence] = []
    for lab, form in _FORM_OF.items():
        if lab not in labels:
            continue
        qs = [s for s in sents if s.form == form] or st.questions
        if qs:
            s = qs[0]
            if form == "leading" and s.cue:
                out.append(_ev(lab, text, s.cue[0], s.cue[1], s.form_why))
                if (s.cue[1] - s.cue[0]) < (s.end - s.start) * 0.6:
                    out.append(_ev(lab, text, s.start, s.end, "the question as a whole steers the answer"))
            else:
                why = s.form_why if s.form == form else _form_why(form)
                out.append(_ev(lab, text, s.start, s.end, why))
        elif sents:
            out.append(_ev(lab, text, sents[0].start, sents[-1].end, _form_why(form)))
    return out


def _behaviour_evidence(p: Prepared, labels: set[str], buyer: str | None, uptake: Uptake) -> list[Evidence]:
    """Each behaviour's cue phrases (up to three), else the sentence it most
    plausibly comes from; a follow-up and a reflection say what they took up."""
    text, st = p.text, p.st
    out: list[Evidence] = []
    by_label: dict[str, list] = {}
    for c in p.cues:
        by_label.setdefault(c.label, []).append(c)
    for lab in ("curiosity", "follow_up", "reflection", "empathy", "mutual_success",
                "self_interested", "pitching", "pressure"):
        if lab not in labels:
            continue
        cs = by_label.get(lab, [])
        if lab == "reflection":
            # a reflection is a whole statement: quote the sentence, not the opener;
            # one asked as a question ("You said you've been here before - what
            # did you try?") when it is all there is, not "Thanks for seeing me."
            whole = [(c, R.Cue(c.label, s.start, s.end, c.why)) for c in cs
                     for s in st.sentences if s.start <= c.start < s.end]
            cs = [w for c, w in whole if not R.in_question(c, st)] or [w for _, w in whole]
        if lab == "curiosity":
            cs = [c for c in cs if R.in_question(c, st)]
        if cs:
            seen = set()
            for c in cs[:3]:
                if (c.start, c.end) in seen:
                    continue
                seen.add((c.start, c.end))
                why = _took_up(c.why, p, uptake, buyer) if lab == "reflection" else c.why
                out.append(_ev(lab, text, c.start, c.end, why))
            continue
        span = _fallback_span(lab, p, uptake)
        if span:
            why = _HEAD_WHY[lab]
            if lab in ("follow_up", "reflection"):
                why = _took_up(why, p, uptake, buyer)
            out.append(_ev(lab, text, span[0], span[1], why))
    return out


def _took_up(why: str, p: Prepared, uptake: Uptake, buyer: str | None) -> str:
    """A follow-up's or a reflection's reason with what it carried of the buyer's
    last turn ("takes up: “two retail accounts on notice”"), or, for a reflection
    that carried none of it, that it did not: a restatement is only as good as
    what it keeps of the buyer's (issue 18)."""
    if not buyer:
        return why
    said = uptake_phrases(p.clean, uptake)
    if said:
        return f"{why}; takes up: " + ", ".join(f"“{s}”" for s in said[:3])
    if uptake.carried:  # by meaning alone
        return f"{why}; takes up the buyer's point in other words"
    if why == _HEAD_WHY["follow_up"]:
        return why
    if uptake.meaning is None:
        return "restates, but takes up none of the buyer's words or numbers"
    return "restates, but takes up nothing the buyer said (none of their words, numbers or meaning)"


def _checklist_evidence(p: Prepared, labels: set[str]) -> list[Evidence]:
    st = p.st
    if "checklist" not in labels or not st.sentences:
        return []
    qs, n = st.questions or st.sentences, R.count_questions(st, labels)
    if n >= 3:
        return [_ev("checklist", p.text, qs[0].start, qs[-1].end, f"stacks {n} questions in one turn")]
    return [_ev("checklist", p.text, qs[0].start, qs[0].end,
                "another question in a run that does not build on the answers")]


def _form_why(form: str) -> str:
    return {"open": "invites the buyer to explain", "closed": "a short answer fits",
            "leading": "steers to the answer the seller wants"}[form]


def _fallback_span(label: str, p: Prepared, uptake: Uptake) -> tuple[int, int] | None:
    st = p.st
    sents = st.sentences
    if not sents:
        return None
    taken = [a for a, _ in uptake_spans(p.clean, uptake)]
    if label == "follow_up":
        # the sentence that carries what was taken up, else the first that is
        # not a pleasantry ("Thanks for meeting me." builds on nothing)
        for s in sents:
            if any(s.start <= a < s.end for a in taken):
                return (s.start, s.end)
        s = next((x for x in sents if not R.small_talk_sentence(x.text)), sents[0])
        return (s.start, s.end)
    if label in ("curiosity", "self_interested") and st.questions:
        return (st.questions[0].start, st.questions[0].end)
    if label == "reflection":
        # the statement that takes up most of the buyer's words, else the
        # longest one (not an apology or "okay" before it, nor a pleasantry:
        # "Thanks for seeing me, Ruth." restates nothing)
        stm = [s for s in sents if not s.is_question and not R.small_talk_sentence(s.text)] or [
            s for s in sents if not R.small_talk_sentence(s.text)] or sents
        s = max(stm, key=lambda s: (sum(s.start <= a < s.end for a in taken), len(s.text.split()), -s.start))
        return (s.start, s.end)
    if label in ("pitching", "pressure"):
        # The sentence with most "we" (pitching) or "you" (pressure), else the
        # longest: not "I understand." before "Wardview is much easier to use...".
        key = "we" if label == "pitching" else "you"
        s = max(sents, key=lambda s: (getattr(s, key), not R.small_talk_sentence(s.text), len(s.text.split()), -s.start))
        return (s.start, s.end)
    if label == "mutual_success":
        s = max(sents, key=lambda s: (s.we, -s.start))
        return (s.start, s.end)
    return (sents[0].start, sents[0].end)


__all__ = ["Analyzer", "ConversationAnalysis"]
