"""How fast the app starts: time to first frame, and until the analyser is ready.

Each run is a fresh Python process that does what ``coach`` does (read the
config, open a database, build the app with ``make_app``) and runs the app
headless; times are measured from just before the process is spawned, so they
include interpreter start-up and imports. The analyser loads in a thread worker
after the first frame; the rep can type meanwhile.

    python benchmarks/bench_app.py [--runs 5]

Goal (issue 5): first frame within 1 s. The machine's load average is printed
too: on a shared 2-core machine the numbers move with it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import json, os, sys, time
t0 = float(os.environ["BENCH_T0"])
from pathlib import Path
from coach.config import load_config, rep_name
from coach.store import open_store
from coach.ui.app import make_app

store = open_store(Path(os.environ["BENCH_DB"]))
app = make_app(store=store, rep=rep_name(None, load_config()))
built = time.time()

listed = None

async def pilot(p):
    global listed
    # Wait for the scenario list and the analyser (both read in workers after the first frame).
    while app.analyzer_ready_at is None and app.analyzer_error is None:
        if listed is None and getattr(app.screen_stack[0], "loaded", False):
            listed = time.perf_counter()
        await p.pause(0.01)
    if listed is None:
        listed = time.perf_counter()
    app.exit()

app.run(headless=True, size=(120, 40), auto_pilot=pilot)
now_wall, now_perf = time.time(), time.perf_counter()
def wall(perf):
    return None if perf is None else now_wall - (now_perf - perf) - t0
print(json.dumps({
    "app_built": built - t0,
    "first_frame": wall(app.first_frame_at),
    "first_frame_cpu": app.first_frame_cpu,
    "scenarios_listed": wall(listed),
    "analyzer_ready": wall(app.analyzer_ready_at),
    "analyzer_error": app.analyzer_error,
}))
"""


def one_run(db: str) -> dict:
    env = dict(os.environ, BENCH_DB=db)
    env["BENCH_T0"] = repr(time.time())
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes to time (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        one_run(db)  # warm the OS file cache and create the database
        runs = [one_run(db) for _ in range(args.runs)]
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    errors = {r["analyzer_error"] for r in runs if r["analyzer_error"]}
    if errors:
        print(f"analyser failed to load: {errors.pop()}", file=sys.stderr)
    for key, label in (
        ("first_frame", "time to first frame"),
        ("first_frame_cpu", "  CPU by then (all threads)"),
        ("scenarios_listed", "time until scenarios are listed"),
        ("analyzer_ready", "time until analysis is ready"),
    ):
        values = [r[key] for r in runs if r[key] is not None]
        if not values:
            print(f"{label:32s} n/a")
            continue
        print(
            f"{label:32s} median {statistics.median(values):.3f} s"
            f"  (min {min(values):.3f}, max {max(values):.3f}, {len(values)} runs)"
        )


if __name__ == "__main__":
    main()
