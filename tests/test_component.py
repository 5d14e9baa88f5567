"""The spaCy component works for any spaCy user, through the entry point."""

from __future__ import annotations

import subprocess
import sys

import pytest
import spacy
from spacy.tokens import Doc


def test_add_pipe_by_name_on_a_blank_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("coach_labeller")
    doc = nlp("Downtime is expensive, right? Tell me how orders flow today.")
    assert doc._.coach_labels == ("leading_question",)
    assert [s._.coach_question_form for s in doc._.coach_sentences] == ["leading", "open"]
    assert doc._.coach_questions == 2
    for ev in doc._.coach_evidence:
        assert doc.text[ev["start"]:ev["end"]] == ev["quote"]
    assert doc._.coach_tips and "Downtime is expensive, right?" in doc._.coach_tips[0]


def test_buyer_turn_gives_follow_up():
    nlp = spacy.blank("en")
    nlp.add_pipe("coach_labeller")
    doc = nlp.make_doc("A whole week? What did that do to your retail accounts?")
    doc._.coach_buyer_turn = "We lost a week of orders."
    doc = nlp.get_pipe("coach_labeller")(doc)
    assert "follow_up" in doc._.coach_labels
    assert "open_question" in doc._.coach_labels


@pytest.mark.parametrize("text", ["What's your budget? Who signs? When do you decide?",
                                  "What's your budget, who signs, and when do you decide?"])
def test_stacked_questions_are_a_checklist(text):
    nlp = spacy.blank("en")
    nlp.add_pipe("coach_labeller")
    doc = nlp(text)
    assert {"closed_question", "self_interested", "checklist"} <= set(doc._.coach_labels)
    assert doc._.coach_questions == 3


def test_entry_point_is_found_in_a_fresh_interpreter():
    # No import of coach: spaCy must find the factory through the entry point.
    code = (
        "import spacy\n"
        "nlp = spacy.blank('en')\n"
        "nlp.add_pipe('coach_labeller')\n"
        "print(nlp('Walk me through last quarter.')._.coach_labels)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "open_question" in out.stdout


def test_extensions_are_not_forced_over_a_users_own():
    # Registering twice (a second pipeline) must neither fail nor replace the getter.
    nlp1 = spacy.blank("en")
    nlp1.add_pipe("coach_labeller")
    nlp2 = spacy.blank("en")
    nlp2.add_pipe("coach_labeller")
    assert Doc.has_extension("coach_labels")
    assert nlp2("Tell me more about that.")._.coach_labels[0] == "open_question"


def test_component_with_the_trained_pipeline_and_encoder():
    from coach.analysis.features import load_nlp

    nlp = load_nlp()
    from spacy.language import Language

    fresh = Language(nlp.vocab)
    fresh.add_pipe("coach_labeller", config={"use_encoder": True})
    doc = fresh("What are you hoping to achieve with this?")
    assert "open_question" in doc._.coach_labels
    assert doc._.coach_scores and 0 <= doc._.coach_scores["open_question"] <= 1
