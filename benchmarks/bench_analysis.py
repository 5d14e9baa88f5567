"""Benchmark of the analyser: accuracy on the held-out sets, speed and memory.

    python -m benchmarks.bench_analysis            # everything
    python -m benchmarks.bench_analysis --only speed
    python -m benchmarks.bench_analysis --json out.json

Accuracy:
- the held-out sales set (data/sales/heldout.jsonl, written independently and never
  used for training or tuning): per-label precision, recall, F1, macro-F1 over the
  12 labels. Target (issue 18): no lower than the 0.881 of the model before.
- the second held-out set (data/heldout2/: typed chat and transcribed calls,
  written apart, labelled twice blind and adjudicated; never trained or tuned
  on): the same table for each file and for both together. Targets (issue 18):
  macro-F1 >= 0.88 over both, no label below 0.78.
- On each held-out set: precision on small talk (of the rep turns with no label
  in the gold data, the share given no behaviour label; target >= 95 % on the
  second set) and a confusion table of the question forms.
- the development sets (data/smalltalk_dev/, data/followup_dev/): rules are
  chosen on them, so they are reported, never targets (--only smalltalk_dev,
  --only smalltalk_dev2, --only followup_dev).
- AnnoMI held-out conversations (the 20% split off by conversation with the fixed
  seed of coach.analysis.data; training used the other 80%): open vs closed
  question macro-F1 over the counsellor turns the annotators marked as open or
  closed questions (our leading counts as closed: AnnoMI has no leading class),
  and reflection F1 over all counsellor turns, with precision and recall per
  label. Targets (issue 18) 0.85 and 0.78. The README's wh-word regex is scored
  the same way for comparison; where the contract's annotators and AnnoMI
  disagree on a question (data/annomi_contract/) the conflicts are counted.
Speed (models loaded, this machine): per rep turn one at a time through
``conversation().add_rep`` (median, p95; target p95 <= 20 ms; also with the
general sentence embedding the simulated buyer uses); throughput of
``analyze_turns`` on a 5,000-turn file (target >= 300 turns/s); peak RSS of the
process (target <= 400 MB).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
HELDOUT = REPO / "data" / "sales" / "heldout.jsonl"
TRAIN = sorted((REPO / "data" / "sales").glob("train_*.jsonl"))
HELDOUT2 = [REPO / "data" / "heldout2" / "chat.jsonl", REPO / "data" / "heldout2" / "calls.jsonl"]
#: Development sets (rules are chosen on them): reported, never targets.
DEV_SETS = {"smalltalk_dev": (REPO / "data" / "smalltalk_dev" / "dev.jsonl", "Small-talk development set (not held out)"),
            "followup_dev": (REPO / "data" / "followup_dev" / "dev.jsonl", "Follow-up development set (not held out)"),
            "smalltalk_dev2": (REPO / "data" / "smalltalk_dev2" / "dev.jsonl",
                               "Second small-talk development set, another writer (not held out)")}
ANNOMI = Path("/work/shared/data/annomi/annomi_dev.jsonl")
CONTRACT = REPO / "data" / "annomi_contract" / "heldout.jsonl"


def _loadavg() -> str:
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


def _ok(flag: bool) -> str:
    return "PASS" if flag else "FAIL"


def _analyse(analyzer, convs, gold_of):
    """(turns, gold labels per turn or None for buyer turns, analyser output) of
    labelled conversations, analysed in one batch."""
    from coach.analysis.types import Turn

    turns, conv_ids, gold = [], [], []
    for conv in convs:
        for r in conv:
            sp = "rep" if r.get("speaker") == "rep" else "buyer"
            turns.append(Turn(sp, r.get("text") or ""))
            conv_ids.append(r.get("conversation"))
            gold.append(gold_of(r) if sp == "rep" else None)
    return turns, gold, analyzer.analyze_turns(turns, conversations=conv_ids)


FORMS = ("open_question", "closed_question", "leading_question")
#: Labels that say what the rep did, as against the form of a question.
BEHAVIOURS = ("curiosity", "follow_up", "reflection", "empathy", "mutual_success", "self_interested",
              "pitching", "pressure", "checklist")


def _form(labels: set) -> str:
    return next((f.split("_")[0] for f in FORMS if f in labels), "none")


def bench_labelled(analyzer, paths, title: str, *, macro_target: float, min_target: float,
                   small_talk_target: float | None = None) -> dict:
    """Per-label table, macro-F1, small-talk precision and the question forms'
    confusion table of one or more labelled files (analysed together)."""
    from coach.analysis.data import sales_conversations
    from coach.analysis.evaluation import format_table, macro_f1, prf
    from coach.labels import LABELS

    convs = sales_conversations(paths)
    turns, gold, out = _analyse(analyzer, convs, lambda r: set(r.get("labels") or []))
    g = [x for x in gold if x is not None]
    p = [set(a.labels) for a, x in zip(out, gold) if x is not None]
    table = prf(g, p, LABELS)
    macro = macro_f1(table)
    worst = min(v["f1"] for v in table.values())
    print(format_table(table, f"\n{title}: {len(g)} rep turns, {len(convs)} conversations"))
    print(f"  target macro-F1 >= {macro_target}: {macro:.3f} {_ok(macro >= macro_target)}; "
          f"every label >= {min_target}: min {worst:.3f} {_ok(worst >= min_target)}")
    empty = [pp for gg, pp in zip(g, p) if not gg]
    quiet = sum(1 for pp in empty if not pp & set(BEHAVIOURS))
    silent = sum(1 for pp in empty if not pp)
    # Which behaviours small talk is mistaken for says where the precision goes.
    wrongly = Counter(lab for pp in empty for lab in pp & set(BEHAVIOURS))
    st_prec = quiet / len(empty) if empty else None
    if empty:
        target = f" {_ok(st_prec >= small_talk_target)} (target >= {small_talk_target:.0%})" if small_talk_target else ""
        print(f"  small talk: of {len(empty)} rep turns with no label, {quiet} ({st_prec:.1%}) get no behaviour "
              f"label{target}; {silent} ({silent / len(empty):.1%}) no label at all")
        if wrongly:
            print("    behaviour labels given to them: " + ", ".join(f"{k} {n}" for k, n in wrongly.most_common()))
    forms = ("open", "closed", "leading", "none")
    conf = {a: {b: 0 for b in forms} for a in forms}
    for gg, pp in zip(g, p):
        conf[_form(gg)][_form(pp)] += 1
    print("  question forms (rows gold, columns analyser): " + " ".join(f"{f:>8}" for f in forms))
    for a in forms:
        print(f"  {a:>46} " + " ".join(f"{conf[a][b]:>8}" for b in forms))
    return {"turns": len(g), "conversations": len(convs), "per_label": table, "macro_f1": macro, "min_f1": worst,
            "small_talk": {"turns": len(empty), "no_behaviour": quiet, "no_label": silent, "precision": st_prec,
                           "behaviours_given": dict(wrongly)},
            "question_forms": conf}


def bench_sales(analyzer) -> dict:
    return bench_labelled(analyzer, [HELDOUT], "Held-out sales set", macro_target=0.881, min_target=0.70)


def bench_heldout2(analyzer) -> dict:
    """The second held-out set: each file, then both together (the targets)."""
    res = {}
    for path in HELDOUT2:
        res[path.stem] = bench_labelled(analyzer, [path], f"Second held-out set, {path.name}",
                                        macro_target=0.88, min_target=0.78, small_talk_target=0.95)
    res["both"] = bench_labelled(analyzer, HELDOUT2, "Second held-out set, both files",
                                 macro_target=0.88, min_target=0.78, small_talk_target=0.95)
    return res


def bench_dev(analyzer, which: str) -> dict:
    """A development set: rules are chosen on it, so its figures say what the
    rules catch, not how they generalise (the held-out sets say that)."""
    path, title = DEV_SETS[which]
    return bench_labelled(analyzer, [path], title, macro_target=0.88, min_target=0.78, small_talk_target=0.95)


_WH = re.compile(r"\b(how|what|why|tell me|describe|which)\b", re.I)


def bench_annomi(analyzer) -> dict:
    from coach.analysis.data import ANNOMI_SEED, ANNOMI_TEST_SHARE, annomi_labels, annomi_split

    _, test = annomi_split(ANNOMI)
    turns, gold, out = _analyse(analyzer, test, annomi_labels)
    rows = [(t.text, g, set(a.labels)) for t, g, a in zip(turns, gold, out) if g is not None]

    def f1(pairs, cls):
        tp = sum(1 for gg, pp in pairs if gg == cls and pp == cls)
        fp = sum(1 for gg, pp in pairs if gg != cls and pp == cls)
        fn = sum(1 for gg, pp in pairs if gg == cls and pp != cls)
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    qrows = [(text, "open" if "open_question" in g else "closed", p) for text, g, p in rows
             if g & {"open_question", "closed_question"}]
    ours = [(gg, "open" if "open_question" in p else "closed") for _, gg, p in qrows]
    regex = [(gg, "open" if _WH.search(text) else "closed") for text, gg, _ in qrows]
    oc = (f1(ours, "open") + f1(ours, "closed")) / 2
    per_label = {}
    for name, pairs, cls in (("open_question", ours, "open"), ("closed_question", ours, "closed")):
        tp = sum(1 for gg, pp in pairs if gg == pp == cls)
        per_label[name] = {"precision": tp / max(sum(1 for _, pp in pairs if pp == cls), 1),
                           "recall": tp / max(sum(1 for gg, _ in pairs if gg == cls), 1),
                           "f1": f1(pairs, cls), "support": sum(1 for gg, _ in pairs if gg == cls)}
    oc_regex = (f1(regex, "open") + f1(regex, "closed")) / 2
    # strict: over every counsellor turn, "no question" is a third class
    strict = [("open" if "open_question" in g else "closed" if "closed_question" in g else "none",
               "open" if "open_question" in p else "closed" if p & {"closed_question", "leading_question"} else "none")
              for _, g, p in rows]
    oc_strict = (f1(strict, "open") + f1(strict, "closed")) / 2
    refl = [("r" if "reflection" in g else "-", "r" if "reflection" in p else "-") for _, g, p in rows]
    rf = f1(refl, "r")
    tp = sum(1 for g, p in refl if g == p == "r")
    prec = tp / max(sum(1 for _, p in refl if p == "r"), 1)
    rec = tp / max(sum(1 for g, _ in refl if g == "r"), 1)
    regex_refl = [("r" if "reflection" in g else "-", "r" if not _WH.search(text) and "?" not in text else "-")
                  for text, g, _ in rows]
    print(f"\nAnnoMI held-out: {len(test)} conversations, {len(rows)} counsellor turns "
          f"({len(qrows)} open/closed questions); split seed {ANNOMI_SEED}, test share {ANNOMI_TEST_SHARE}")
    print(f"  open vs closed macro-F1 (question turns): {oc:.3f} {_ok(oc >= 0.85)} (target 0.85; wh-regex {oc_regex:.3f})")
    print(f"  open vs closed macro-F1 over all turns, 'no question' as a third class: {oc_strict:.3f}")
    print(f"  reflection F1: {rf:.3f} (P {prec:.3f} R {rec:.3f}) {_ok(rf >= 0.78)} (target 0.78; "
          f"'no wh-word, no ?' baseline {f1(regex_refl, 'r'):.3f})")
    conf = {g: {f: 0 for f in ("open", "closed", "leading", "none")} for g in ("open", "closed")}
    for _, gg, pp in qrows:
        conf[gg][_form(pp)] += 1
    print("  question forms (rows AnnoMI, columns analyser):   open   closed  leading     none")
    for g in ("open", "closed"):
        print(f"  {g:>46} " + " ".join(f"{conf[g][f]:>8}" for f in ("open", "closed", "leading", "none")))
    per_label["reflection"] = {"precision": prec, "recall": rec, "f1": rf,
                               "support": sum(1 for g, _ in refl if g == "r")}
    for name, v in per_label.items():
        print(f"    {name:16} P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f} support {v['support']}")
    res = {"conversations": len(test), "turns": len(rows), "questions": len(qrows), "per_label": per_label,
           "question_forms": conf,
           "open_closed_macro_f1": oc, "open_closed_regex": oc_regex, "open_closed_strict": oc_strict,
           "reflection_f1": rf, "reflection_precision": prec, "reflection_recall": rec}
    if CONTRACT.exists():
        keys = [(r.get("conversation"), r.get("turn")) for conv in test for r in conv]
        res["contract"] = bench_contract({k: "open" if "open_question" in a.labels else "closed"
                                          for k, a in zip(keys, out) if a is not None}, f1)
    return res


def bench_contract(ours: dict, f1) -> dict:
    """The same AnnoMI questions labelled a second time, by LABELS.md (two
    annotators, blind; data/annomi_contract/README.md): how far AnnoMI's own
    convention is from the contract, and how the analyser scores against it."""
    rows = [json.loads(line) for line in CONTRACT.open(encoding="utf-8")]
    oc = lambda form: "open" if form == "open" else "closed"  # noqa: E731 - leading and none count as closed

    def macro(pairs):
        return (f1(pairs, "open") + f1(pairs, "closed")) / 2

    res = {"questions": len(rows)}
    for who in ("a", "b"):
        res[f"annomi_vs_{who}"] = macro([(r["annomi"], oc(r[who])) for r in rows])
        res[f"ours_vs_{who}"] = macro([(oc(r[who]), ours[(r["conversation"], r["turn"])]) for r in rows])
    agreed = [r for r in rows if oc(r["a"]) == oc(r["b"])]
    # Where AnnoMI and the contract conflict: the questions both annotators,
    # reading LABELS.md, put on the other side of open/closed from AnnoMI; and
    # how many of the analyser's misses against AnnoMI are those.
    conflict = [r for r in agreed if oc(r["a"]) != r["annomi"]]
    misses = [r for r in rows if ours[(r["conversation"], r["turn"])] != r["annomi"]]
    res["conflicts"] = {"questions": len(conflict),
                        "annomi_open_contract_closed": sum(1 for r in conflict if r["annomi"] == "open"),
                        "annomi_closed_contract_open": sum(1 for r in conflict if r["annomi"] == "closed"),
                        "our_misses_vs_annomi": len(misses),
                        "of_them_we_follow_the_contract": sum(1 for r in misses if r in conflict)}
    c = res["conflicts"]
    print(f"    AnnoMI and the contract conflict on {c['questions']} of the {len(agreed)} agreed questions "
          f"({c['annomi_open_contract_closed']} AnnoMI open / contract closed, {c['annomi_closed_contract_open']} "
          f"the other way); of the analyser's {c['our_misses_vs_annomi']} misses against AnnoMI, "
          f"{c['of_them_we_follow_the_contract']} are such conflicts, where it follows the contract")
    res["agreed"] = len(agreed)
    res["ours_vs_agreed"] = macro([(oc(r["a"]), ours[(r["conversation"], r["turn"])]) for r in agreed])
    res["ours_vs_annomi_on_agreed"] = macro([(r["annomi"], ours[(r["conversation"], r["turn"])]) for r in agreed])
    print(f"  the same {len(rows)} questions labelled by LABELS.md (two annotators, {len(agreed)} agreed on open or not):")
    print(f"    AnnoMI's labels against each annotator's (what a model that follows the contract exactly would "
          f"score): {res['annomi_vs_a']:.3f}, {res['annomi_vs_b']:.3f}")
    print(f"    the analyser against each annotator: {res['ours_vs_a']:.3f}, {res['ours_vs_b']:.3f}; "
          f"against the {len(agreed)} agreed labels: {res['ours_vs_agreed']:.3f} (against AnnoMI's on them: "
          f"{res['ours_vs_annomi_on_agreed']:.3f})")
    return res


def _training_turns():
    from coach.analysis.data import sales_conversations

    return sales_conversations(TRAIN)


def bench_speed(analyzer) -> dict:
    from coach.analysis.types import Turn

    convs = _training_turns()
    if not convs:
        print("no training conversations to time with", file=sys.stderr)
        return {}
    # one at a time, as the app calls it
    conv = analyzer.conversation()
    times = []
    pairs = []
    for c in convs:
        last_b = None
        for r in c:
            if r.get("speaker") == "rep":
                pairs.append((last_b, r.get("text") or ""))
                last_b = None
            else:
                last_b = r.get("text") or ""
    for b, t in pairs[:20]:  # warm up
        if b:
            conv.add_buyer(b)
        conv.add_rep(t)
    # Labels, evidence and tips of each turn (add_rep(embedding=False)); then the
    # same with the general sentence embedding the simulated buyer matches with,
    # which the app computes too. Interleaved, so both see the same load.
    cpu, times_emb = [], []
    for b, t in pairs[20:420]:
        if b:
            conv.add_buyer(b)
        cp = conv.checkpoint()
        t0 = time.perf_counter()
        conv.add_rep(t, embedding=True)
        times_emb.append(time.perf_counter() - t0)
        conv.rollback(cp)
        c0 = time.process_time()
        t0 = time.perf_counter()
        conv.add_rep(t, embedding=False)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    ms = np.array(times) * 1000
    p50, p95 = float(np.median(ms)), float(np.percentile(ms, 95))
    ms_emb = np.array(times_emb) * 1000
    cpu_ms = np.array(cpu) * 1000
    load = _loadavg()
    print(f"\nSpeed, one rep turn at a time ({len(ms)} turns): median {p50:.1f} ms, p95 {p95:.1f} ms "
          f"{_ok(p95 <= 20)} (target p95 <= 20 ms); CPU time per turn (all threads) median "
          f"{np.median(cpu_ms):.1f} ms, p95 {np.percentile(cpu_ms, 95):.1f} ms; load average {load}")
    print(f"  with the general embedding for the buyer (as in the app): median {np.median(ms_emb):.1f} ms, "
          f"p95 {np.percentile(ms_emb, 95):.1f} ms")
    # batched: a 5,000-turn file
    turns, ids = [], []
    k = 0
    # A 5,000-turn file of distinct turns: the sales training conversations, then
    # AnnoMI training conversations (real transcripts) to fill it up.
    pool = list(convs)
    if ANNOMI.exists():
        from coach.analysis.data import annomi_split

        pool += annomi_split(ANNOMI)[0]
    while len(turns) < 5000:
        for r in pool[k % len(pool)]:
            turns.append(Turn("rep" if r.get("speaker") == "rep" else "buyer", r.get("text") or ""))
            ids.append(f"{k}")
            if len(turns) >= 5000:
                break
        k += 1
    runs, cpus = [], []
    for _ in range(3):
        c0 = time.process_time()
        t0 = time.perf_counter()
        analyzer.analyze_turns(turns, conversations=ids)
        runs.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    tps = [len(turns) / r for r in runs]
    med = float(np.median(tps))
    cpu_tps = float(np.median([len(turns) / c for c in cpus]))
    reps = sum(t.speaker == "rep" for t in turns)
    uniq = len({t.text for t in turns if t.speaker == "rep"})
    print(f"Throughput, analyze_turns on {len(turns)} turns ({reps} rep, {uniq} distinct rep texts): "
          f"median {med:.0f} turns/s over {len(runs)} runs ({', '.join(f'{x:.0f}' for x in tps)}) "
          f"{_ok(med >= 300)} (target >= 300); {cpu_tps:.0f} turns per CPU-second "
          f"(2 cores: at most {2 * cpu_tps:.0f} turns/s on an idle machine); load average {_loadavg()}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory (RSS) of this process: {rss:.0f} MB {_ok(rss <= 400)} (target <= 400 MB)")
    return {"single_median_ms": p50, "single_p95_ms": p95,
            "single_with_embedding_median_ms": float(np.median(ms_emb)),
            "single_with_embedding_p95_ms": float(np.percentile(ms_emb, 95)), "single_cpu_median_ms": float(np.median(cpu_ms)),
            "single_cpu_p95_ms": float(np.percentile(cpu_ms, 95)), "turns_per_cpu_s": cpu_tps,
            "load_average": load, "turns_per_s_median": med,
            "turns_per_s_runs": tps, "file_turns": len(turns), "file_rep_turns": reps, "peak_rss_mb": rss}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=["sales", "heldout2", "annomi", "speed", *DEV_SETS], action="append")
    ap.add_argument("--json", type=Path, help="also write the results as JSON")
    args = ap.parse_args(argv)
    which = args.only or ["speed", "sales", "heldout2", *DEV_SETS, "annomi"]
    from coach.analysis import Analyzer

    t0 = time.perf_counter()
    analyzer = Analyzer.load()
    print(f"Analyzer.load(): {time.perf_counter() - t0:.2f} s "
          f"(heads: {'trained' if analyzer.heads is not None else 'none, rules only'})")
    res = {}
    if "speed" in which:  # first, so peak memory is the analyser's and not the evaluation's
        res["speed"] = bench_speed(analyzer)
    if "sales" in which and HELDOUT.exists():
        res["sales_heldout"] = bench_sales(analyzer)
    if "heldout2" in which and all(p.exists() for p in HELDOUT2):
        res["heldout2"] = bench_heldout2(analyzer)
    for name, (path, _) in DEV_SETS.items():
        if name in which and path.exists():
            res[name] = bench_dev(analyzer, name)
    if "annomi" in which and ANNOMI.exists():
        res["annomi_heldout"] = bench_annomi(analyzer)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
