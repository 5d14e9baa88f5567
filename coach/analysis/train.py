"""Retrain the analyser's heads: ``python -m coach.analysis.train``.

Reads the labelled sales turns (data/sales/train_*.jsonl; never the held-out file)
and the training part of AnnoMI (split by conversation, fixed seed), computes the
features the analyser uses at run time (spaCy structure, cue flags, follow-up
features against the buyer's last turn, the MiniLM embedding of the rep turn),
cross-validates by conversation to pick each label's threshold and report F1, then
fits the heads (a small multi-label MLP, in numpy) on everything and writes
``models/heads.npz`` and ``models/training_report.json``.

Needs nothing beyond the runtime dependencies (numpy); no torch.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from coach.analysis import rules as R
from coach.analysis.analyzer import (
    HEAD_LABELS, SCALAR_NAMES, Analyzer, _RunState, apply_checklist, decide_from_scores, models_dir, turn_vector,
)
from coach.analysis.data import ANNOMI_SEED, ANNOMI_TEST_SHARE, Example, annomi_split, load_annomi, load_sales
from coach.analysis.evaluation import format_table, macro_f1, prf
from coach.analysis.features import MAX_CHARS, sanitize
from coach.analysis.heads import Heads
from coach.labels import LABELS

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SALES = [REPO / "data" / "sales" / "train_a.jsonl", REPO / "data" / "sales" / "train_b.jsonl"]
DEFAULT_ANNOMI = Path("/work/shared/data/annomi/annomi_dev.jsonl")


# --------------------------------------------------------------------------- features


class EmbeddingCache:
    """Embeddings by text hash, kept on disk between runs (training only)."""

    def __init__(self, directory: Path | None):
        self.dir = directory
        self.vec: dict[str, np.ndarray] = {}
        if directory and (directory / "emb.npy").exists():
            keys = json.loads((directory / "keys.json").read_text())
            mat = np.load(directory / "emb.npy")
            self.vec = dict(zip(keys, mat))

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()

    def encode(self, analyzer: Analyzer, texts: list[str]) -> np.ndarray:
        clean = [sanitize(t or "")[:MAX_CHARS] for t in texts]
        missing = sorted({c for c in clean if self.key(c) not in self.vec})
        if missing:
            embs = analyzer.encoder.encode(missing)
            for c, e in zip(missing, embs):
                self.vec[self.key(c)] = e
        return np.stack([self.vec[self.key(c)] for c in clean]) if clean else np.zeros((0, 384), np.float32)

    def save(self):
        if not self.dir:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        keys = list(self.vec)
        np.save(self.dir / "emb.npy", np.stack([self.vec[k] for k in keys]))
        (self.dir / "keys.json").write_text(json.dumps(keys))


def featurize(analyzer: Analyzer, examples: list[Example], cache: EmbeddingCache):
    """(X, prepared) for the examples, exactly as the analyser computes them."""
    nlp_only = Analyzer(analyzer.nlp, None, None)
    prepared = []
    for lo in range(0, len(examples), 256):
        prepared += nlp_only._prepare([e.text for e in examples[lo : lo + 256]])
    rep_emb = cache.encode(analyzer, [e.text for e in examples])
    X = []
    for p, e, re_ in zip(prepared, examples, rep_emb):
        p.emb = re_
        X.append(turn_vector(p, e.buyer))
    return np.stack(X), prepared


# --------------------------------------------------------------------------- model


def fit_heads(X, Y, Wt, *, hidden: int = 64, l2: float = 1e-2, epochs: int = 300,
              lr: float = 3e-3, seed: int = 0, labels=HEAD_LABELS, thr=None, meta=None) -> Heads:
    """A small multi-label MLP (one hidden ReLU layer shared by all labels, one
    sigmoid output per label), trained full-batch with Adam in numpy. The loss is
    masked where a label is unknown (AnnoMI knows three) and class-balanced per
    label. Cross-validation preferred it to one logistic regression per label
    (macro-F1 0.80 against 0.78)."""
    rng = np.random.default_rng(seed)
    X = X.astype(np.float32)
    mu = X.mean(0)
    sd = X.std(0) + 1e-6
    Z = (X - mu) / sd
    N, D = Z.shape
    L = Y.shape[1]
    W1 = rng.normal(0, np.sqrt(2 / D), (D, hidden)).astype(np.float32)
    b1 = np.zeros(hidden, np.float32)
    W2 = rng.normal(0, np.sqrt(1 / hidden), (hidden, L)).astype(np.float32)
    b2 = np.zeros(L, np.float32)
    M = Wt.astype(np.float32).copy()
    for k in range(L):
        m = Wt[:, k] > 0
        if not m.any():
            continue
        p = float((Y[m, k] * Wt[m, k]).sum() / Wt[m, k].sum())
        M[:, k] = np.where(Y[:, k] == 1, Wt[:, k] * 0.5 / max(p, 1e-3), Wt[:, k] * 0.5 / max(1 - p, 1e-3))
    norm = M.sum(0).clip(1)
    params = [W1, b1, W2, b2]
    m_ = [np.zeros_like(q) for q in params]
    v_ = [np.zeros_like(q) for q in params]
    Yf = Y.astype(np.float32)
    for t in range(1, epochs + 1):
        H = Z @ W1 + b1
        A = np.maximum(H, 0)
        P = 1 / (1 + np.exp(-np.clip(A @ W2 + b2, -30, 30)))
        G = (P - Yf) * M / norm
        dH = (G @ W2.T) * (H > 0)
        grads = [Z.T @ dH + l2 * W1, dH.sum(0), A.T @ G + l2 * W2, G.sum(0)]
        for i, (q, g) in enumerate(zip(params, grads)):
            m_[i] = 0.9 * m_[i] + 0.1 * g
            v_[i] = 0.999 * v_[i] + 0.001 * g * g
            q -= lr * (m_[i] / (1 - 0.9 ** t)) / (np.sqrt(v_[i] / (1 - 0.999 ** t)) + 1e-8)
    return Heads(labels=tuple(labels), W=W2.T.copy(), b=b2, mu=mu.astype(np.float32), sd=sd.astype(np.float32),
                 thr=np.array(thr if thr is not None else [0.5] * len(labels), np.float32),
                 feature_names=("emb",) * 384 + SCALAR_NAMES, meta=meta or {}, W1=W1, b1=b1)


def fit_ensemble(X, Y, Wt, *, seeds: int = 3, **kw) -> Heads:
    """Several MLPs from different seeds, their logits averaged. Stored as one wider
    MLP (hidden layers side by side, output weights divided by the count), so
    inference is unchanged."""
    if seeds <= 1:
        return fit_heads(X, Y, Wt, **kw)
    hs = [fit_heads(X, Y, Wt, seed=k, **kw) for k in range(seeds)]
    h = hs[0]
    h.W1 = np.concatenate([x.W1 for x in hs], axis=1)
    h.b1 = np.concatenate([x.b1 for x in hs])
    h.W = np.concatenate([x.W for x in hs], axis=1) / seeds
    h.b = np.mean([x.b for x in hs], axis=0).astype(np.float32)
    return h


def decide_sequence(examples: list[Example], prepared, probs: np.ndarray, thr: dict, labels=HEAD_LABELS,
                    fu_thr: float | None = None):
    """Labels of every example, conversation by conversation (checklist included)."""
    out = []
    state, conv = _RunState(), None
    for e, p, pr in zip(examples, prepared, probs):
        if e.conversation != conv:
            state, conv = _RunState(), e.conversation
        scores = dict(zip(labels, pr.tolist()))
        labs = decide_from_scores(scores, thr, p.st, p.cues)
        apply_checklist(labs, scores, p.st, state, fu_thr)
        out.append(labs)
    return out


def targets(examples: list[Example], annomi_weight: float, labels=HEAD_LABELS):
    Y = np.zeros((len(examples), len(labels)), np.int64)
    Wt = np.zeros((len(examples), len(labels)), np.float32)
    for i, e in enumerate(examples):
        for k, lab in enumerate(labels):
            Y[i, k] = lab in e.labels
            if lab in e.known:
                Wt[i, k] = 1.0 if e.source == "sales" else annomi_weight
    return Y, Wt


def best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    best, bt = -1.0, 0.5
    for t in np.arange(0.15, 0.86, 0.025):
        pred = p >= t
        tp = (pred & (y == 1)).sum()
        fp = (pred & (y == 0)).sum()
        fn = (~pred & (y == 1)).sum()
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best + 1e-9:
            best, bt = f1, float(t)
    return bt


def cross_validate(X, Y, Wt, examples, prepared, *, folds: int, seed: int = 0, **kw):
    """Out-of-fold probabilities for the sales examples (grouped by conversation;
    AnnoMI training rows are in every training fold)."""
    sales = np.array([e.source == "sales" for e in examples])
    convs = sorted({e.conversation for e in examples if e.source == "sales"})
    rng = np.random.default_rng(seed)
    rng.shuffle(convs)
    fold_of = {c: i % folds for i, c in enumerate(convs)}
    fold = np.array([fold_of.get(e.conversation, -1) for e in examples])
    oof = np.zeros(Y.shape, np.float32)
    for f in range(folds):
        tr = fold != f
        te = fold == f
        h = fit_ensemble(X[tr], Y[tr], Wt[tr], **kw)
        oof[te] = h.proba(X[te])
    return oof, sales


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m coach.analysis.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sales", nargs="*", type=Path, default=DEFAULT_SALES, help="labelled sales JSONL files (never the held-out set)")
    ap.add_argument("--annomi", type=Path, default=DEFAULT_ANNOMI, help="AnnoMI dev JSONL (its training conversations are used)")
    ap.add_argument("--annomi-weight", type=float, default=0.3, help="weight of an AnnoMI turn against a sales turn")
    ap.add_argument("--hidden", type=int, default=128, help="hidden units of the MLP heads")
    ap.add_argument("--l2", type=float, default=3e-2, help="L2 penalty of the MLP heads")
    ap.add_argument("--epochs", type=int, default=300, help="full-batch Adam steps")
    ap.add_argument("--seeds", type=int, default=3, help="MLPs averaged (different initialisations)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=None, help="directory for heads.npz (default: the package's models/)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/coach-train-cache"), help="embedding cache directory")
    ap.add_argument("--no-save", action="store_true", help="cross-validate only")
    args = ap.parse_args(argv)

    if any("heldout" in Path(p).name for p in args.sales):
        print("refusing to train on a held-out file", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    analyzer = Analyzer.load(heads=False)
    sales = load_sales(args.sales)
    annomi_train, annomi_test = annomi_split(args.annomi) if args.annomi.exists() else ([], [])
    anno = load_annomi(annomi_train)
    examples = sales + anno
    print(f"{len(sales)} sales rep turns ({len({e.conversation for e in sales})} conversations), "
          f"{len(anno)} AnnoMI rep turns ({len(annomi_train)} conversations)")
    cache = EmbeddingCache(args.cache)
    X, prepared = featurize(analyzer, examples, cache)
    cache.save()
    print(f"features {X.shape} in {time.perf_counter() - t0:.1f}s")
    Y, Wt = targets(examples, args.annomi_weight)
    kw = dict(hidden=args.hidden, l2=args.l2, epochs=args.epochs, seeds=args.seeds)
    oof, is_sales = cross_validate(X, Y, Wt, examples, prepared, folds=args.folds, **kw)
    s_idx = np.where(is_sales)[0]
    thr = {lab: best_threshold(oof[s_idx, k], Y[s_idx, k]) for k, lab in enumerate(HEAD_LABELS)}
    s_ex = [examples[i] for i in s_idx]
    s_prep = [prepared[i] for i in s_idx]
    gold = [e.labels for e in s_ex]
    # how sure a follow-up must be to break a checklist run (see apply_checklist)
    fu_thr = max((None, 0.5, 0.6, 0.7, 0.8, 0.9),
                 key=lambda t: prf(gold, decide_sequence(s_ex, s_prep, oof[s_idx], thr, fu_thr=t),
                                   ["checklist", "follow_up"])["checklist"]["f1"])
    pred = decide_sequence(s_ex, s_prep, oof[s_idx], thr, fu_thr=fu_thr)
    table = prf(gold, pred, LABELS)
    print(format_table(table, f"cross-validated on sales ({args.folds} folds by conversation; thresholds tuned on the same folds)"))
    report = {
        "sales_files": [str(p) for p in args.sales], "sales_turns": len(sales),
        "sales_conversations": len({e.conversation for e in sales}),
        "annomi_train_conversations": len(annomi_train), "annomi_train_turns": len(anno),
        "annomi_split": {"seed": ANNOMI_SEED, "test_share": ANNOMI_TEST_SHARE},
        "annomi_weight": args.annomi_weight, "heads": {"kind": "mlp", **kw}, "folds": args.folds,
        "thresholds": thr, "checklist_follow_up_threshold": fu_thr, "cv": table, "cv_macro_f1": macro_f1(table),
    }
    if args.no_save:
        return 0
    heads = fit_ensemble(X, Y, Wt, **kw, thr=[thr[lab] for lab in HEAD_LABELS],
                      meta={k: v for k, v in report.items() if k != "cv"})
    out = args.out or models_dir()
    heads.save(out / "heads.npz")
    (out / "training_report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out / 'heads.npz'} in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
