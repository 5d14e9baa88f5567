"""The label contract a user reads (docs/labels.md) and the labels the code
uses (coach/labels.py) name the same labels, in the same groups and order."""

from __future__ import annotations

import re
from pathlib import Path

from coach.labels import BEHAVIOURS, CONVERSATION_LABELS, HUMAN, LABELS, QUESTION_FORMS

DOC = Path(__file__).resolve().parents[1] / "docs" / "labels.md"


def _sections() -> dict[str, list[str]]:
    """Label names per `## ` section: the first cell of each table row, and
    the backticked name a section's prose defines (checklist has no table)."""
    out: dict[str, list[str]] = {}
    current = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            out[current] = []
        elif m := re.match(r"^\|\s*`([a-z_]+)`\s*\|", line):
            out[current].append(m.group(1))
        elif m := re.match(r"^`([a-z_]+)` marks ", line):
            out[current].append(m.group(1))
    return out


def test_the_document_defines_exactly_the_codes_labels_in_its_groups():
    sections = _sections()
    by_heading = {h.split(":")[0].lower(): names for h, names in sections.items() if names}
    assert by_heading == {
        "question form": list(QUESTION_FORMS),
        "behaviours": list(BEHAVIOURS),
        "checklist questioning": list(CONVERSATION_LABELS),
    }
    assert [n for names in sections.values() for n in names] == list(LABELS)


def test_every_name_in_backticks_in_the_document_is_a_label():
    # A label renamed or added in the document but not in the code (or a typo
    # such as `follow-up`) shows up here.
    named = set(re.findall(r"`([a-z_-]+)`", DOC.read_text(encoding="utf-8")))
    assert named == set(LABELS)
    assert set(HUMAN) == set(LABELS)
