"""Does the practice measure skill? The buyer and the scorecard against scripts
that say nothing, honest average reps, consultative and pushy ones; relevance
probes; and the buyer's reply time on top of the analysis.

    python benchmarks/bench_buyer.py [--only skill|probes|speed] [--scenario ID] [--json FILE]

- **skill**: on every built-in scenario, every content-free script in
  benchmarks/practice/content_free/ (ten lines each: repetition, "tell me
  more", parroting, generic questions, generic two-part questions, buzzwords,
  empty empathy, bare prompts, asking for concerns, a mix) and an echo that hands the buyer's last sentence back ("So ...");
  then the scenario's own consultative, average and pushy scripts
  (benchmarks/practice/<id>/*.txt). Goals (issue 15): content-free <= 40 and
  at most 1 discovery; consultative >= 85 and >= 4 discoveries; pushy <= 20;
  average at least 15 below consultative, 15 above pushy and above every
  content-free script.
- **probes**: benchmarks/practice/<id>/probes.yaml: after its warm-up lines,
  each probe asks about one discovery in words not among its examples, or a
  plain fact; it holds when the buyer's turn is about the discovery asked
  about and reveals no other (a fact or "none": touches no discovery). Goal:
  >= 90% hold.
- **speed**: the buyer's decision and line per rep turn (the director, the
  matcher's encoding, the rule voice), timed apart from the analysis. Goal:
  p95 <= 30 ms.

Prints the load average beside the times: they move with it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent / "practice"
GOALS = {"content_free_max": 40, "content_free_discoveries": 1, "consultative_min": 85,
         "consultative_discoveries": 4, "pushy_max": 20, "average_gap": 15, "probes": 0.90, "p95_ms": 30}
ECHO = "<echo>"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def lines_of(path: Path) -> list[str]:
    return [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")]


def echo_line(buyer: str) -> str:
    """The parrot: the buyer's last sentence handed back as "So ..."."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", buyer.strip()) if s]
    last = sentences[-1].rstrip(".!?") if sentences else buyer
    swaps = {"i": "you", "i'm": "you're", "my": "your", "we": "you", "our": "your", "me": "you", "us": "you"}
    words = [swaps.get(w.lower(), w) for w in last.split()]
    return "So " + " ".join(words)[:1].lower() + " ".join(words)[1:] + "."


def play(sc, analyzer, script: list[str] | str, seed: int = 0, timing: list[float] | None = None):
    """A scripted session to the end; ``script`` ECHO plays the parrot for ten turns."""
    from coach.engine import PracticeSession

    session = PracticeSession(sc, analyzer, seed=seed)
    if timing is not None:
        decide = session.director.decide

        def timed(analysed):
            t0 = time.perf_counter()
            try:
                return decide(analysed)
            finally:
                timing.append(time.perf_counter() - t0)

        session.director.decide = timed  # type: ignore[method-assign]
    lines = script if script != ECHO else [None] * 10
    for line in lines:
        if session.ended:
            break
        if line is None:
            last = session.exchanges[-1].buyer.text if session.exchanges else session.opening.text
            line = echo_line(last)
        session.play(line)
    card = session.finish()
    return session, card


def skill(scenarios, analyzer, out: dict) -> bool:
    generic = {p.stem: lines_of(p) for p in sorted((HERE / "content_free").glob("*.txt"))}
    generic["echo"] = ECHO
    ok = True
    print(f"{'scenario':30} {'content-free: max score (script) / max found':48} {'consult':>8} {'average':>8} {'pushy':>8}")
    for sc in scenarios:
        n = len(sc.discoveries)
        row = {"content_free": {}}
        for name, script in generic.items():
            _, card = play(sc, analyzer, script)
            row["content_free"][name] = {"score": card.total, "found": len(card.discovered)}
        own = {}
        for kind in ("consultative", "average", "pushy"):
            path = HERE / sc.id / f"{kind}.txt"
            if path.exists():
                _, card = play(sc, analyzer, lines_of(path))
                own[kind] = {"score": card.total, "found": len(card.discovered)}
        row.update(own)
        out[sc.id] = row
        cf = row["content_free"]
        worst = max(cf, key=lambda k: (cf[k]["score"], cf[k]["found"]))
        most = max(v["found"] for v in cf.values())
        cell = lambda k: f"{own[k]['score']:>3} {own[k]['found']}/{n}" if k in own else "   -"  # noqa: E731
        print(f"{sc.id:30} {cf[worst]['score']:>3} ({worst}) / {most}/{n}{'':14} {cell('consultative'):>8} "
              f"{cell('average'):>8} {cell('pushy'):>8}")
        checks = [max(v["score"] for v in cf.values()) <= GOALS["content_free_max"],
                  most <= GOALS["content_free_discoveries"]]
        if "consultative" in own:
            checks += [own["consultative"]["score"] >= GOALS["consultative_min"],
                       own["consultative"]["found"] >= GOALS["consultative_discoveries"]]
        if "pushy" in own:
            checks.append(own["pushy"]["score"] <= GOALS["pushy_max"])
        if {"consultative", "average", "pushy"} <= set(own):
            a = own["average"]["score"]
            checks += [own["consultative"]["score"] - a >= GOALS["average_gap"],
                       a - own["pushy"]["score"] >= GOALS["average_gap"],
                       a > max(v["score"] for v in cf.values())]
        row["goals_met"] = all(checks)
        ok &= all(checks)
    return ok


def probes(scenarios, analyzer, out: dict) -> bool:
    import yaml

    held = total = 0
    for sc in scenarios:
        path = HERE / sc.id / "probes.yaml"
        if not path.exists():
            continue
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        from coach.engine import PracticeSession

        misses = []
        h = t = 0
        for probe in spec["probes"]:
            # each probe in a fresh session after the warm-up, so one probe's
            # reveal does not change the next one's answer
            session = PracticeSession(sc, analyzer, seed=0)
            for line in spec.get("warmup") or []:
                if not session.ended:
                    session.play(line)
            if session.ended:
                misses.append(("warm-up ended the session", probe["say"]))
                t += 1
                continue
            ex = session.play(probe["say"])
            about = str(probe["about"])
            m = ex.move
            if about.startswith("fact:"):
                good = m.kind == "answer" and m.fact == about[5:] and not m.revealed
            elif about == "none":
                good = not m.asked_about and not m.revealed
            else:
                good = m.asked_about == (about,) and set(m.revealed) <= {about}
            t += 1
            h += good
            if not good:
                misses.append((f"{about} -> {m.kind} {m.topic.kind}:{m.topic.id} ({m.topic.how})", probe["say"]))
        held += h
        total += t
        out.setdefault(sc.id, {})["probes"] = {"held": h, "total": t, "misses": misses}
        print(f"{sc.id:30} probes held {h}/{t}")
        for why, say in misses:
            print(f"    miss: {say!r}: {why}")
    share = held / total if total else float("nan")
    print(f"probes held: {held}/{total} = {share:.0%} (goal >= {GOALS['probes']:.0%})")
    out["probes_share"] = share
    return total > 0 and share >= GOALS["probes"]


def speed(scenarios, analyzer, out: dict, rounds: int = 3) -> bool:
    decide: list[float] = []
    turns = 0
    scripts = [lines_of(p) for p in sorted((HERE / "content_free").glob("*.txt"))]
    for r in range(rounds):
        for sc in scenarios:
            own = [lines_of(p) for p in sorted((HERE / sc.id).glob("*.txt"))] if (HERE / sc.id).exists() else []
            for script in [*(t.script for t in sc.tests), *own, *scripts[:2]]:
                session, _ = play(sc, analyzer, script, seed=r, timing=decide)
                turns += len(session.exchanges)
    ms = [x * 1000 for x in decide]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"buyer decision per rep turn ({turns} turns): median {statistics.median(ms):.1f} ms, "
          f"p95 {pct(ms, 0.95):.1f} ms, max {max(ms):.1f} ms (goal p95 <= {GOALS['p95_ms']} ms); "
          f"load average {load:.1f} on {os.cpu_count()} cores")
    out["speed"] = {"median_ms": statistics.median(ms), "p95_ms": pct(ms, 0.95), "turns": turns, "load": load}
    return pct(ms, 0.95) <= GOALS["p95_ms"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["skill", "probes", "speed"])
    parser.add_argument("--scenario", action="append", help="only this built-in scenario id (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    from coach.analysis import Analyzer
    from coach.scenario import builtin_scenarios, load_scenario

    analyzer = Analyzer.load()
    scenarios = [load_scenario(p) for p in builtin_scenarios()]
    if args.scenario:
        scenarios = [s for s in scenarios if s.id in args.scenario]
    out: dict = {}
    results = {}
    for name, fn in (("skill", skill), ("probes", probes), ("speed", speed)):
        if args.only in (None, name):
            print(f"== {name} ==")
            results[name] = fn(scenarios, analyzer, out)
    print("goals: " + ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in results.items()))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    sys.exit(0 if all(results.values()) else 1)


if __name__ == "__main__":
    main()
