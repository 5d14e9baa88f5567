"""Time the simulated buyer's reply on top of the analysis (target: p95 <= 30 ms).

    python benchmarks/bench_buyer.py [ROUNDS]

Plays every built-in scenario's test scripts ROUNDS times (default 5) through
the engine with the real analyser, and times separately, per rep turn:
- the analysis of the turn (``conversation.add_rep``), for context;
- the buyer's reply (``buyer.reply``): matching by meaning (which may encode
  the turn's questions again, one batch), trust, gating and line choice.
Also prints the one-off cost of setting up a buyer (encoding a scenario's
example questions; cached per analyser afterwards).

Wall-clock times depend on what else the machine runs: the load average is
printed. A reply that encodes costs about one encoder call; the rest is well
under a millisecond.
"""

from __future__ import annotations

import os
import statistics
import sys
import time


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[k]


class Timed:
    """Wraps a buyer (or a conversation) and records how long each call takes."""

    def __init__(self, inner, sink: list[float], name: str) -> None:
        self._inner, self._sink, self._name = inner, sink, name

    def __getattr__(self, attr):
        value = getattr(self._inner, attr)
        if attr != self._name:
            return value

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                self._sink.append(time.perf_counter() - t0)

        return timed


class TimedAnalyzer:
    def __init__(self, analyzer, sink: list[float]) -> None:
        self._a, self._sink = analyzer, sink

    def conversation(self):
        return Timed(self._a.conversation(), self._sink, "add_rep")

    def encode(self, texts):
        return self._a.encode(texts)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    from coach.analysis.analyzer import Analyzer
    from coach.buyer.rule import RuleBuyer
    from coach.engine import PracticeSession
    from coach.scenario import builtin_scenarios, load_scenario

    t0 = time.perf_counter()
    analyzer = Analyzer.load()
    load_s = time.perf_counter() - t0
    scenarios = [load_scenario(p) for p in builtin_scenarios()]

    encoded = [0]

    class Counting:
        """The analyser as the buyer sees it: counts the buyer's own encoder calls."""

        def encode(self, texts):
            encoded[0] += 1
            return analyzer.encode(texts)
    counting = Counting()

    setup: list[float] = []
    for sc in scenarios:  # first set-up per scenario encodes its examples
        t0 = time.perf_counter()
        RuleBuyer(sc, counting, 0)
        setup.append(time.perf_counter() - t0)

    encoded[0] = 0  # count only the encoding done while replying
    replies: list[float] = []
    analysis: list[float] = []
    turns = 0
    for r in range(rounds):
        for sc in scenarios:
            for t in sc.tests:
                buyer = Timed(RuleBuyer(sc, counting, t.seed + r), replies, "reply")
                session = PracticeSession(sc, TimedAnalyzer(analyzer, analysis), seed=t.seed + r, buyer=buyer)
                for line in t.script:
                    if session.ended:
                        break
                    session.play(line)
                    turns += 1
                session.finish()

    ms = lambda s: s * 1000  # noqa: E731
    print(f"analyser load: {load_s:.2f} s; {len(scenarios)} scenarios, {turns} rep turns over {rounds} rounds")
    print(f"buyer set-up (first per scenario, encodes examples): median {ms(statistics.median(setup)):.1f} ms, "
          f"max {ms(max(setup)):.1f} ms")
    print(f"analysis per rep turn:     median {ms(statistics.median(analysis)):.1f} ms, "
          f"p95 {ms(pct(analysis, 0.95)):.1f} ms")
    print(f"buyer reply per rep turn:  median {ms(statistics.median(replies)):.1f} ms, "
          f"p95 {ms(pct(replies, 0.95)):.1f} ms, max {ms(max(replies)):.1f} ms  (target p95 <= 30 ms)")
    print(f"turns the buyer encoded again (multi-sentence, no clear whole-turn match): {encoded[0]} of {turns}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min) {load:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
