"""The labelled sales files keep the format and the contract the analyser is
trained and measured on: a broken line or a label name off the contract would
silently drop turns from training or scoring. (Writers of new files run this
before they commit.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.analysis.rules import checklist
from coach.labels import LABELS, QUESTION_FORMS

SALES = Path(__file__).resolve().parents[1] / "data" / "sales"
FILES = sorted(SALES.glob("*.jsonl"))


def _rows(path: Path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_sales_files_are_there():
    names = {p.name for p in FILES}
    assert "heldout.jsonl" in names
    assert any(n.startswith("train_") for n in names)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_labelled_file_keeps_the_contracts_mechanical_rules(path: Path):
    """What LABELS.md fixes mechanically holds in every labelled file: known label
    names, each given once, buyer turns unlabelled, at most one question form,
    non-empty text, a conversation's turns together and numbered in order, and
    the checklist run rule (the 3rd and later question turn of a run without a
    follow-up is a checklist turn)."""
    problems: list[str] = []
    convs: dict[str, list[tuple[int, dict]]] = {}
    last = None
    for n, r in enumerate(_rows(path), 1):
        labels = r.get("labels")
        if not isinstance(labels, list):
            problems.append(f"line {n}: labels is not a list")
            continue
        if set(labels) - set(LABELS):
            problems.append(f"line {n}: unknown labels {sorted(set(labels) - set(LABELS))}")
        if len(labels) != len(set(labels)):
            problems.append(f"line {n}: a label given twice")
        if r.get("speaker") not in ("rep", "buyer"):
            problems.append(f"line {n}: speaker {r.get('speaker')!r}")
        elif r["speaker"] == "buyer" and labels:
            problems.append(f"line {n}: a buyer turn with labels")
        if len(set(labels) & set(QUESTION_FORMS)) > 1:
            problems.append(f"line {n}: more than one question form")
        if not isinstance(r.get("text"), str) or not r["text"].strip():
            problems.append(f"line {n}: empty text")
        conv = r.get("conversation")
        if conv != last and conv in convs:
            problems.append(f"line {n}: conversation {conv!r} is split in two")
        last = conv
        convs.setdefault(conv, []).append((n, r))
    for conv, turns in convs.items():
        if [r.get("turn") for _, r in turns] != list(range(len(turns))):
            problems.append(f"{conv}: turns not numbered 0, 1, 2, ... in file order")
        run = 0
        for n, r in turns:
            if r.get("speaker") != "rep" or not isinstance(r.get("labels"), list):
                continue
            labels = set(r["labels"])
            # the analyser's own rule, fed the writer's labels (a question turn counts one question)
            due, run = checklist(int(bool(labels & set(QUESTION_FORMS))), "follow_up" in labels, run)
            if due and "checklist" not in labels:
                problems.append(f"line {n}: question turn {run} of a run without a follow-up lacks checklist")
    assert not problems, f"{path.name}:\n" + "\n".join(problems[:20])


def test_no_conversation_is_in_both_training_and_held_out():
    held = {r["conversation"] for r in _rows(SALES / "heldout.jsonl")}
    for path in FILES:
        if path.name.startswith("train_"):
            assert not held & {r["conversation"] for r in _rows(path)}, path.name


def test_strong_cues_hold_their_precision_on_the_training_turns():
    """A cue kind in rules.STRONG gives its label whatever the head says, so it
    must stay as precise as its comment promises (>= 0.85 on the training turns
    where it fires) as the training files grow; rules.BY_CONTRACT are kept by
    the contract's word."""
    from coach.analysis import rules
    from coach.analysis.analyzer import Analyzer
    from coach.analysis.data import load_sales

    examples = load_sales([p for p in FILES if p.name.startswith("train_")])
    nlp = Analyzer.load(encoder=False, heads=False)
    fired: dict[tuple[str, str], list[bool]] = {k: [] for k in rules.STRONG}
    for lo in range(0, len(examples), 512):
        chunk = examples[lo : lo + 512]
        for e, p in zip(chunk, nlp.prepare([e.text for e in chunk])):
            for kind in {(c.label, c.why) for c in p.cues} & rules.STRONG:
                fired[kind].append(kind[0] in e.labels)
    weak = {k: f"{sum(v) / len(v):.2f} of {len(v)}" for k, v in fired.items()
            if v and sum(v) / len(v) < 0.85 and k not in rules.BY_CONTRACT}
    assert not weak
