"""An analyser double for testing buyers and the engine without the trained models.

``ScriptedAnalyzer`` gives each rep turn the labels you prescribe: a leading
``[label label ...]`` tag in the turn's text (stripped before anything else
sees it), else a ``labels`` mapping from text to labels, else none. Embeddings
come from an optional ``encoder`` (anything with ``encode(texts)``); without one
the buyer falls back to word matching, which is what these tests exercise.

Each label comes with evidence, as the analyser's does: the words of the turn
that show it (the first sentence that asks, for a question form, curiosity or
a self-interested question; the first statement for a reflection; the first
sentence otherwise), with ``why`` saying the label was scripted. The tips are
written from those labels and that evidence by the analyser's own tip writer
(coach.analysis.tips), so screens that show evidence and tips can be tested
without the trained models.

It implements the engine's Analyzer protocol (coach/engine.py):
``conversation()`` with ``add_buyer``/``add_rep``/``checkpoint``/``rollback``,
and ``encode``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from coach.analysis.language import word_count
from coach.analysis.tips import tips_for
from coach.analysis.types import AnalysedTurn, Evidence, SentenceForm
from coach.analysis.uptake import measure as measure_uptake
from coach.labels import LABELS

_TAG = re.compile(r"^\s*\[([a-z_ ]+)\]\s*")
_SENTENCE = re.compile(r"[^.?!]+[.?!]*")
_FORMS = {"open_question": "open", "closed_question": "closed", "leading_question": "leading"}


def _sentences(text: str, labels: Sequence[str]) -> list[SentenceForm]:
    """Sentences split at . ? !; those ending in ? take the turn's prescribed form."""
    form = next((f for lab, f in _FORMS.items() if lab in labels), "closed")
    out = []
    for m in _SENTENCE.finditer(text):
        if m.group().strip():
            asks = m.group().rstrip().endswith("?")
            out.append(SentenceForm(m.start(), m.end(), form if asks else None, int(asks)))
    return out


#: Labels whose evidence is the first sentence that asks (when one does).
_ASKING = {"open_question", "closed_question", "leading_question", "curiosity", "self_interested", "checklist"}
#: What the evidence of a scripted label says about it (shown in tips and transcripts).
SCRIPTED_WHY = "scripted"


def _evidence(text: str, labels: Sequence[str], sentences: Sequence[SentenceForm]) -> list[Evidence]:
    """One piece of evidence per label, a span of ``text`` that shows it (see the module docstring)."""
    out = []
    asking = [s for s in sentences if s.questions]
    stating = [s for s in sentences if not s.questions]
    for label in labels:
        if label in _ASKING and asking:
            span = asking[0]
        elif label == "reflection" and stating:
            span = stating[0]
        elif sentences:
            span = sentences[0]
        else:
            continue
        start, end = span.start, len(text[: span.end].rstrip())
        start += len(text[start:end]) - len(text[start:end].lstrip())
        out.append(Evidence(label=label, start=start, end=end, quote=text[start:end], why=SCRIPTED_WHY))
    return out


def split_tag(text: str) -> tuple[tuple[str, ...], str]:
    """``"[open_question curiosity] How...?"`` -> (("open_question", "curiosity"), "How...?")."""
    m = _TAG.match(text)
    if not m:
        return (), text
    labels = tuple(x for x in m.group(1).split() if x)
    if not labels or any(x not in LABELS for x in labels):
        return (), text  # not a tag: ordinary text that starts with brackets
    return labels, text[m.end():]


class ScriptedConversation:
    def __init__(self, owner: ScriptedAnalyzer) -> None:
        self._owner = owner
        self.turns: list[tuple[str, str]] = []

    def add_buyer(self, text: str) -> None:
        self.turns.append(("buyer", text))

    def checkpoint(self) -> int:
        return len(self.turns)

    def rollback(self, checkpoint: int) -> None:
        del self.turns[checkpoint:]

    def add_rep(self, text: str) -> AnalysedTurn:
        labels, clean = split_tag(text)
        if not labels:
            labels = tuple(self._owner.labels.get(text, ()))
        buyer = self.turns[-1][1] if self.turns and self.turns[-1][0] == "buyer" else None
        self.turns.append(("rep", text))
        emb = None
        if self._owner.encoder is not None:
            emb = self._owner.encoder.encode([clean])[0]
        sentences = _sentences(clean, labels)
        evidence = _evidence(clean, labels, sentences)
        questions = clean.count("?")
        return AnalysedTurn(
            text=clean,
            labels=labels,
            evidence=tuple(evidence),
            tips=tuple(tips_for(set(labels), evidence, buyer_last=buyer, questions=questions)),
            questions=questions,
            words=word_count(clean),
            embedding=emb,
            uptake=measure_uptake(clean, buyer),
            sentences=tuple(sentences),
        )


class ScriptedAnalyzer:
    """Labels by prescription; see the module docstring."""

    def __init__(self, labels: Mapping[str, Sequence[str]] | None = None, encoder: Any = None) -> None:
        self.labels = dict(labels or {})
        self.encoder = encoder

    def conversation(self) -> ScriptedConversation:
        return ScriptedConversation(self)

    def encode(self, texts: Sequence[str]) -> Any:
        if self.encoder is None:
            return None
        return self.encoder.encode([split_tag(t)[1] for t in texts])
