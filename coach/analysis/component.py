"""The analyser as a spaCy component: ``nlp.add_pipe("coach_labeller")``.

Declared under ``[project.entry-points.spacy_factories]``, so any spaCy pipeline
finds it once coach is installed, including ``spacy.blank("en")`` (the component
then splits sentences itself). It labels each Doc as one rep turn::

    nlp = spacy.blank("en")
    nlp.add_pipe("coach_labeller")
    doc = nlp("Downtime is expensive, right?")
    doc._.coach_labels          # ("leading_question",)
    doc._.coach_evidence        # [{"label", "start", "end", "quote", "why"}, ...]
    doc._.coach_tips            # ["Let them judge: ..."]
    [s._.coach_question_form for s in doc._.coach_sentences]   # ["leading"]

Set ``doc._.coach_buyer_turn`` to the buyer's last turn before running the
component (``nlp.pipe`` with ``as_tuples`` is handy for that) so follow-up and
reflection can be judged. With ``use_encoder=True`` the trained heads decide
(the fine-tuned MiniLM turn encoder via ONNX, as ``coach.analysis.Analyzer`` does); by default the structural
rules decide, which needs no model files beyond spaCy.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from coach.analysis import features as F
from coach.analysis import rules as R

_DOC_EXT = {
    "coach_labels": (),
    "coach_evidence": None,
    "coach_tips": None,
    "coach_questions": 0,
    "coach_buyer_turn": None,
    "coach_scores": None,
}


def _register_extensions() -> None:
    for name, default in _DOC_EXT.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Doc.has_extension("coach_sentences"):
        Doc.set_extension("coach_sentences", getter=_sentences)
    if not Span.has_extension("coach_question_form"):
        Span.set_extension("coach_question_form", getter=_question_form)


def _sentences(doc: Doc) -> list[Span]:
    """The sentences the analyser judged (split after every '?'), as Spans."""
    out = []
    for s in F.structure(doc).sentences:
        span = doc.char_span(s.start, s.end, alignment_mode="expand")
        if span is not None:
            out.append(span)
    return out


def _question_form(span: Span) -> str | None:
    """'open', 'closed', 'leading', or None when the span neither asks nor invites."""
    return F.classify_sentence(span.text).form


class CoachLabeller:
    """Labels a Doc as a rep turn (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, *, use_encoder: bool = False):
        _register_extensions()
        self.name = name
        self.use_encoder = use_encoder
        self._analyzer = None

    def _get_analyzer(self):
        """The analyser that decides: with the trained heads and the turn encoder
        when ``use_encoder``, else on its rules alone; either way the same decision,
        checklist, evidence and tips code as ``coach.analysis.Analyzer``."""
        if self._analyzer is None:
            from coach.analysis.analyzer import Analyzer, load_heads

            heads, turn_encoder = load_heads() if self.use_encoder else (None, None)
            self._analyzer = Analyzer(None, None, heads, turn_encoder)
        return self._analyzer

    def __call__(self, doc: Doc) -> Doc:
        from coach.analysis.analyzer import Prepared

        text = doc.text
        st = F.structure(doc)
        p = Prepared(text=text, clean=text, st=st, cues=R.find_cues(text, st))
        buyer = doc._.coach_buyer_turn
        an = self._get_analyzer()
        if an.turn_encoder is not None:
            p.emb = an.turn_encoder.encode([text[: F.MAX_CHARS]], [buyer])[0]
        # One Doc is one turn with no conversation before it: the checklist run
        # starts afresh, so only a turn that stacks three questions is a checklist.
        res = an.decide(p, buyer, R.RunState())
        if res.scores:
            doc._.coach_scores = res.scores
        doc._.coach_labels = res.labels
        doc._.coach_evidence = [
            {"label": e.label, "start": e.start, "end": e.end, "quote": e.quote, "why": e.why}
            for e in res.evidence
        ]
        doc._.coach_tips = list(res.tips)
        doc._.coach_questions = res.questions
        return doc


@Language.factory(
    "coach_labeller",
    default_config={"use_encoder": False},
    requires=[],
    assigns=["doc._.coach_labels", "doc._.coach_evidence", "doc._.coach_tips", "doc._.coach_questions"],
)
def make_coach_labeller(nlp: Language, name: str, use_encoder: bool) -> CoachLabeller:
    """spaCy factory of the coach labeller."""
    return CoachLabeller(nlp, name, use_encoder=use_encoder)
