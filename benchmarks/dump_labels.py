"""What the analyser says on every training turn, to prove a refactor changes nothing.

    python -m benchmarks.dump_labels before.jsonl            # before the change
    python -m benchmarks.dump_labels after.jsonl --compare before.jsonl

For every rep turn of data/sales/train_*.jsonl it writes one line with what
three callers get: the analyser with its trained heads (``analyze_turns``, as
`coach analyze` runs it), the analyser on its rules alone (no model files), and
the spaCy component (``nlp.add_pipe("coach_labeller")`` on ``spacy.blank("en")``,
rules, one turn per Doc with the buyer's last turn set). Each gives labels,
evidence spans and reasons, tips and the question count; the heads' path also
its sentence forms and uptake. ``--compare`` prints every turn whose output
differs, and exits 1 if any does. The held-out sets are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TRAIN = sorted((REPO / "data" / "sales").glob("train_*.jsonl"))


def _record(a) -> dict:
    return {"labels": list(a.labels), "questions": a.questions, "tips": list(a.tips),
            "evidence": [[e.label, e.start, e.end, e.why] for e in a.evidence]}


def dump(out: Path, files=TRAIN, limit: int | None = None) -> int:
    import spacy

    from coach.analysis import Analyzer, Turn
    from coach.analysis.data import sales_conversations

    convs = sales_conversations(files)[:limit]
    turns, ids, keys, buyer_before = [], [], [], []
    for conv in convs:
        last = None
        for r in conv:
            rep = r.get("speaker") == "rep"
            turns.append(Turn("rep" if rep else "buyer", r.get("text") or ""))
            ids.append(r.get("conversation"))
            keys.append((r.get("conversation"), r.get("turn")))
            buyer_before.append(last if rep else None)
            last = None if rep else r.get("text") or ""
    heads = Analyzer.load().analyze_turns(turns, conversations=ids)
    rules = Analyzer.load(encoder=False, heads=False).analyze_turns(turns, conversations=ids)
    nlp = spacy.blank("en")
    nlp.add_pipe("coach_labeller")
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for i, (t, h, r) in enumerate(zip(turns, heads, rules)):
            if t.speaker != "rep":
                continue
            doc = nlp.make_doc(t.text)
            doc._.coach_buyer_turn = buyer_before[i]
            doc = nlp.get_pipe("coach_labeller")(doc)
            rec = {"conversation": keys[i][0], "turn": keys[i][1],
                   "heads": _record(h) | {"sentences": [[s.start, s.end, s.form, s.questions] for s in h.sentences],
                                          "uptake": h.uptake.to_dict()},
                   "rules": _record(r),
                   "component": {"labels": list(doc._.coach_labels), "questions": doc._.coach_questions,
                                 "tips": list(doc._.coach_tips),
                                 "evidence": [[e["label"], e["start"], e["end"], e["why"]] for e in doc._.coach_evidence]}}
            fh.write(json.dumps(rec, sort_keys=True) + "\n")
            n += 1
    return n


def compare(new: Path, old: Path) -> int:
    def load(p):
        return {(r["conversation"], r["turn"]): r for r in map(json.loads, p.open(encoding="utf-8"))}

    a, b = load(new), load(old)
    diffs = 0
    for k in sorted(set(a) | set(b), key=str):
        if a.get(k) == b.get(k):
            continue
        diffs += 1
        if diffs <= 40:
            ra, rb = a.get(k) or {}, b.get(k) or {}
            parts = [p for p in ("heads", "rules", "component") if ra.get(p) != rb.get(p)]
            for p in parts:
                fields = [f for f in (ra.get(p) or {}) if (ra.get(p) or {}).get(f) != (rb.get(p) or {}).get(f)]
                print(f"{k[0]} turn {k[1]} [{p}] differs in {', '.join(fields)}:")
                for f in fields:
                    print(f"    before {rb.get(p, {}).get(f)}\n    after  {ra.get(p, {}).get(f)}")
    print(f"{len(a)} rep turns; {diffs} differ")
    return 1 if diffs else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="JSONL file to write")
    ap.add_argument("--compare", type=Path, help="an earlier dump: print the turns that differ (exit 1 if any)")
    ap.add_argument("--limit", type=int, help="only the first N conversations (a quick check)")
    args = ap.parse_args(argv)
    n = dump(args.out, limit=args.limit)
    print(f"wrote {n} rep turns to {args.out}", file=sys.stderr)
    return compare(args.out, args.compare) if args.compare else 0


if __name__ == "__main__":
    raise SystemExit(main())
