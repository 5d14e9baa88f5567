"""Precision, recall and F1 per label, shared by training (cross-validation) and the
benchmark."""

from __future__ import annotations

from typing import Iterable, Sequence


def prf(gold: Sequence[set], pred: Sequence[set], labels: Iterable[str],
        known: Sequence[frozenset] | None = None) -> dict[str, dict[str, float]]:
    """Per label: precision, recall, f1, support (gold positives), n (examples where
    the label is known)."""
    out = {}
    for lab in labels:
        tp = fp = fn = n = 0
        for i, (g, p) in enumerate(zip(gold, pred)):
            if known is not None and lab not in known[i]:
                continue
            n += 1
            gi, pi = lab in g, lab in p
            tp += gi and pi
            fp += pi and not gi
            fn += gi and not pi
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[lab] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn, "n": n}
    return out


def macro_f1(table: dict[str, dict[str, float]]) -> float:
    vals = [v["f1"] for v in table.values()]
    return sum(vals) / len(vals) if vals else 0.0


def format_table(table: dict[str, dict[str, float]], title: str = "") -> str:
    lines = [title] if title else []
    lines.append(f"  {'label':18} {'prec':>6} {'rec':>6} {'F1':>6} {'support':>8}")
    for lab, v in table.items():
        lines.append(f"  {lab:18} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} {v['support']:8d}")
    lines.append(f"  {'macro':18} {'':6} {'':6} {macro_f1(table):6.3f}")
    return "\n".join(lines)
