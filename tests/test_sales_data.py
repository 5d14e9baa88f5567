"""The labelled sales files keep the format and the contract the analyser is
trained and measured on: a broken line or a label name off the contract would
silently drop turns from training or scoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.labels import LABELS, QUESTION_FORMS

SALES = Path(__file__).resolve().parents[1] / "data" / "sales"
FILES = sorted(SALES.glob("*.jsonl"))


def test_the_sales_files_are_there():
    names = {p.name for p in FILES}
    assert "heldout.jsonl" in names
    assert any(n.startswith("train_") for n in names)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_turn_keeps_the_format_and_the_contract(path: Path):
    problems: list[str] = []
    seen: dict[str, int] = {}  # conversation -> next turn index
    finished: set[str] = set()
    current = None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{n}"
        if not line.strip():
            continue
        r = json.loads(line)
        conv, turn, speaker, text, labels = (r.get(k) for k in ("conversation", "turn", "speaker", "text", "labels"))
        if conv != current:
            if conv in finished or conv in seen:
                problems.append(f"{where}: conversation {conv!r} is split in two")
            if current is not None:
                finished.add(current)
            current = conv
        if turn != seen.get(conv, 0):
            problems.append(f"{where}: turn {turn}, expected {seen.get(conv, 0)}")
        seen[conv] = (turn if isinstance(turn, int) else seen.get(conv, 0)) + 1
        if speaker not in ("rep", "buyer"):
            problems.append(f"{where}: speaker {speaker!r}")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: empty text")
        if not isinstance(labels, list):
            problems.append(f"{where}: labels is not a list")
            continue
        if speaker == "buyer" and labels:
            problems.append(f"{where}: a buyer turn carries labels")
        unknown = [lab for lab in labels if lab not in LABELS]
        if unknown:
            problems.append(f"{where}: labels off the contract: {unknown}")
        if len(labels) != len(set(labels)):
            problems.append(f"{where}: a label given twice")
        if sum(lab in QUESTION_FORMS for lab in labels) > 1:
            problems.append(f"{where}: more than one question form")
    assert not problems, "\n".join(problems[:20])


def test_no_conversation_is_in_both_training_and_held_out():
    def convs(path):
        return {json.loads(line)["conversation"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}

    held = convs(SALES / "heldout.jsonl")
    for path in FILES:
        if path.name.startswith("train_"):
            assert not held & convs(path), path.name
