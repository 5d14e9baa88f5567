"""What checking a database costs when coach opens it.

    python benchmarks/bench_open.py [--sessions 500,5000] [--runs 7]

Builds databases of N practice sessions (30 turns each, with labels, evidence,
a comment and a score: about 11 KB a session), then times, as medians over
RUNS opens of the closed file:

- ``open_store(path, readonly=True)``: what `coach sessions/show/search` do:
  the file check and the schema check (tables, indexes, triggers, columns);
- ``open_store(path)``: what `coach comment` and the app do: the same plus
  ``PRAGMA quick_check`` over every page before the first write;
- the schema check alone and ``PRAGMA quick_check`` alone.

Prints the load average before and after (a shared 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path


def build(path: Path, sessions: int) -> None:
    from coach.analysis.types import AnalysedTurn, Evidence
    from coach.store import open_store

    store = open_store(path)
    store.db.execute("pragma synchronous = off")  # building only; the opens below are measured as shipped
    for s in range(sessions):
        sid = store.start_session(rep=f"rep{s % 20}", scenario_id="it-director-outage",
                                  scenario_title="After the outage", scenario_yaml="id: it-director-outage\n" * 40)
        for i in range(15):
            store.add_turn(sid, speaker="buyer", text=f"We lost {i} days of orders and nobody could tell customers why.")
            text = f"What did losing {i} days of orders cost the business beyond IT?"
            store.add_turn(sid, speaker="rep", text=text, analysed=AnalysedTurn(
                text=text, labels=("open_question", "curiosity"),
                evidence=(Evidence("open_question", 0, 4, "What", "opens with a question word"),),
                tips=("Follow up on the cost.",), questions=1, words=12))
        store.add_comment(sid, author="manager", text="Good follow-up on the cost.")
        store.finish_session(sid, score=60.0, scorecard={"parts": [{"name": "discovery", "score": 60, "weight": 1}]},
                             end_reason="max_turns")
    store.db.execute("pragma wal_checkpoint(truncate)")
    store.db.close()


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    from coach import migrations
    from coach.store import open_store

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", default="500,5000")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sessions.split(",")):
            path = Path(tmp) / f"coach-{n}.db"
            build(path, n)
            mb = path.stat().st_size / 1e6

            def read_open():
                open_store(path, readonly=True).db.close()

            def write_open():
                open_store(path).db.close()

            def schema_only():
                conn = sqlite3.connect(path)
                migrations.schema_problem(conn, migrations.known_names())
                conn.close()

            def quick_check():
                conn = sqlite3.connect(path)
                conn.execute("pragma quick_check").fetchall()
                conn.close()

            print(f"{n:>6} sessions, {mb:5.1f} MB: open for reading {median_ms(read_open, args.runs):6.1f} ms, "
                  f"for writing {median_ms(write_open, args.runs):6.1f} ms; schema check "
                  f"{median_ms(schema_only, args.runs):5.1f} ms, quick_check {median_ms(quick_check, args.runs):6.1f} ms "
                  f"({median_ms(quick_check, args.runs) / mb:4.1f} ms/MB)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
