"""An analyser double for testing buyers and the engine without the trained models.

``ScriptedAnalyzer`` gives each rep turn the labels you prescribe: a leading
``[label label ...]`` tag in the turn's text (stripped before anything else
sees it), else a ``labels`` mapping from text to labels, else none. Embeddings
come from an optional ``encoder`` (anything with ``encode(texts)``); without one
the buyer falls back to word matching, which is what these tests exercise.

It implements the slice of the analyser API the engine uses:
``conversation()`` with ``add_buyer``/``add_rep``, and ``encode``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from coach.analysis.language import word_count
from coach.analysis.types import AnalysedTurn, SentenceForm
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
        return AnalysedTurn(
            text=clean,
            labels=labels,
            questions=clean.count("?"),
            words=word_count(clean),
            embedding=emb,
            uptake=measure_uptake(clean, buyer),
            sentences=tuple(_sentences(clean, labels)),
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
