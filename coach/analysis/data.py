"""Loading the labelled sets: the sales turns (data/sales/*.jsonl) and AnnoMI
(counselling, open/closed questions and reflections), split by conversation."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from coach.labels import LABELS

ANNOMI_SEED = 13
ANNOMI_TEST_SHARE = 0.2


@dataclass
class Example:
    """One rep turn in context, with the labels known for it."""

    conversation: str
    turn: int
    text: str
    buyer: str | None  # the buyer's turn just before, if the turn before was the buyer's
    labels: set[str]
    #: labels whose value is known for this example (AnnoMI knows only a few)
    known: frozenset[str] = frozenset(LABELS)
    source: str = "sales"
    extra: dict = field(default_factory=dict)


def _rows(path: Path):
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                # a file still being written may end in half a line
                continue


def conversations(rows) -> list[list[dict]]:
    """Rows grouped into conversations, in file order."""
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(str(r.get("conversation")), []).append(r)
    return [sorted(v, key=lambda r: r.get("turn", 0)) for v in out.values()]


def _examples(convs, source: str, label_fn, known) -> list[Example]:
    out = []
    for conv in convs:
        prev = None
        for r in conv:
            sp = r.get("speaker")
            text = r.get("text") or ""
            if sp == "rep":
                labs = label_fn(r)
                if labs is not None:
                    out.append(Example(
                        conversation=str(r.get("conversation")), turn=int(r.get("turn", 0)),
                        text=text, buyer=prev, labels=labs,
                        known=known(r) if callable(known) else known, source=source,
                    ))
                prev = None
            else:
                prev = text
    return out


def sales_conversations(paths) -> list[list[dict]]:
    convs = []
    for p in paths:
        p = Path(p)
        if p.exists():
            convs += conversations(_rows(p))
    return convs


def load_sales(paths) -> list[Example]:
    def labs(r):
        return {lab for lab in (r.get("labels") or []) if lab in LABELS}

    return _examples(sales_conversations(paths), "sales", labs, frozenset(LABELS))


ANNOMI_KNOWN = frozenset({"open_question", "closed_question", "reflection"})


def annomi_split(path, seed: int = ANNOMI_SEED, test_share: float = ANNOMI_TEST_SHARE):
    """AnnoMI conversations split by conversation with a fixed seed:
    (train conversations, test conversations)."""
    convs = conversations(_rows(Path(path)))
    ids = sorted({c[0]["conversation"] for c in convs})
    rng = random.Random(seed)
    rng.shuffle(ids)
    n_test = round(len(ids) * test_share)
    test = set(ids[:n_test])
    return ([c for c in convs if c[0]["conversation"] not in test],
            [c for c in convs if c[0]["conversation"] in test])


def annomi_labels(r) -> set[str] | None:
    a = r.get("annomi")
    if not a:
        return None
    labs = set()
    q = a.get("question_subtype")
    if q == "open":
        labs.add("open_question")
    elif q == "closed":
        labs.add("closed_question")
    if str(a.get("reflection_exists")) == "True":
        labs.add("reflection")
    return labs


def load_annomi(convs) -> list[Example]:
    return _examples(convs, "annomi", annomi_labels, ANNOMI_KNOWN)
