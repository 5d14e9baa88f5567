"""Two practising reps, a manager commenting and a reader, on one SQLite file.

    python benchmarks/bench_store.py [--seconds 60 | --sessions N] [--db FILE] [--json]

Starts four processes on one new database file (they open it together, so
creating it and its schema is contended too) and drives the store's API the
way the app does: each rep process plays whole sessions (start_session, ten
turns with labels and evidence through add_turn, finish_session); the manager
comments on the sessions it finds (add_comment, on a session or one of its
turns); the reader lists sessions and reads them whole (sessions, session),
checking that each read is consistent (the rep-turn and comment counts match
the lists). After SECONDS every process finishes the session it is in and
reports what it did; then every row each one reported is looked for in the
file. With --sessions N each rep plays N sessions instead, however long that
takes, and the manager and the reader go on until both reps are done (the
test uses this: a count, unlike a duration, holds on a loaded machine). Prints the failures (must be 0), the rows accounted for, operations per
second and write latencies, with the load average (a shared 2-core machine).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROLES = ("rep", "rep", "manager", "reader")
TURNS_PER_SESSION = 10
WRITES = ("start_session", "add_turn", "finish_session", "add_comment")


def _scorecard(total: int):
    from coach.scoring import Part, Scorecard

    part = Part("discovery", "Discovery", total, 1.0, None, None, "")
    return Scorecard(total=total, parts=(part,), discovered=(), missed=(), topics={}, hints=0, hint_penalty=0,
                     final_trust=50.0, end_reason="max_turns", rep_turns=TURNS_PER_SESSION // 2)


def _analysed(text: str):
    from coach.analysis.types import AnalysedTurn, Evidence

    return AnalysedTurn(text=text, labels=("open_question", "curiosity"),
                        evidence=(Evidence("open_question", 0, 4, text[:4], "opens with a question word"),),
                        tips=("Follow up on what they said.",), questions=1, words=len(text.split()))


def run_role(role: str, name: str, db: str, until: float, seed: int, seconds: float,
             sessions: int | None = None) -> dict:
    """One process's work; returns its report (never raises). With
    ``sessions``, a rep plays that many and marks itself done; the others work
    until every rep is done."""
    from coach.store import open_store

    rng = random.Random(seed)
    report: dict = {"role": role, "name": name, "ops": 0, "failures": [], "latencies_ms": [], "slowest": [],
                    "sessions": {}, "turns_attempted": 0, "comments": 0, "reads": 0, "inconsistent": 0}

    def timed(fn, *args, **kw):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kw)
        except Exception as exc:  # every failure is counted and shown, never hidden
            report["failures"].append(f"{fn.__name__}: {type(exc).__name__}: {exc}")
            return None
        finally:
            ms = (time.perf_counter() - t0) * 1000
            if fn.__name__ in WRITES:
                report["latencies_ms"].append(ms)
            report["ops"] += 1
            if ms > 500:  # where the long waits are: which call, how far into the run
                report["slowest"].append([round(ms), fn.__name__, round(time.time() - (until - seconds), 1)])

    try:
        store = open_store(db, readonly=False)
    except Exception as exc:
        report["failures"].append(f"open_store: {type(exc).__name__}: {exc}")
        return report
    done_marks = Path(db).parent

    def going_on() -> bool:
        if sessions is None:
            return time.time() < until
        if role == "rep":  # bounded even if start_session keeps failing
            return len(report["sessions"]) < sessions and report["ops"] < 30 * sessions * TURNS_PER_SESSION
        reps_done = len(list(done_marks.glob("*.rep-done"))) == ROLES.count("rep")
        return not (reps_done and report["ops"] > 0)

    while going_on():
        if role == "rep":
            sid = timed(store.start_session, rep=name, scenario_id="it-director-outage",
                        scenario_title="After the outage", scenario_yaml="id: it-director-outage\n", seed=seed)
            if sid is None:
                continue
            stored = 0
            for i in range(TURNS_PER_SESSION):
                speaker = "rep" if i % 2 else "buyer"
                text = f"{name} turn {i}: what happened to the orders after the outage?"
                report["turns_attempted"] += 1
                if timed(store.add_turn, sid, speaker=speaker, text=text,
                         analysed=_analysed(text) if speaker == "rep" else None) is not None:
                    stored += 1
            timed(store.finish_session, sid, scorecard=_scorecard(rng.randint(0, 100)), end_reason="max_turns")
            report["sessions"][str(sid)] = stored
        elif role == "manager":
            rows = timed(store.sessions, limit=20) or []
            if not rows:
                continue
            sid = rng.choice(rows).id
            turn_id = None
            if rng.random() < 0.5:
                s = timed(store.session, sid)
                if s and s.turns:
                    turn_id = rng.choice(s.turns).id
            if timed(store.add_comment, sid, author=name, text=f"comment by {name}", turn_id=turn_id) is not None:
                report["comments"] += 1
        else:
            rows = timed(store.sessions, limit=50) or []
            for row in rows[:3]:
                s = timed(store.session, row.id)
                if s is None:
                    continue
                report["reads"] += 1
                # read in one snapshot, the record agrees with itself: turns
                # numbered without gaps, every turn comment on one of its turns
                ids = {t.id for t in s.turns}
                if [t.index for t in s.turns] != list(range(len(s.turns))) or any(
                        c.turn_id is not None and c.turn_id not in ids for c in s.comments):
                    report["inconsistent"] += 1
    store.db.close()
    if role == "rep":
        (done_marks / f"{name}.rep-done").touch()
    return report


def account(db: str, reports: list[dict]) -> dict:
    """Look for every row the processes reported in the file."""
    from coach.store import open_store

    store = open_store(db, readonly=True)
    want_sessions = {int(sid): n for r in reports for sid, n in r["sessions"].items()}
    found = missing = 0
    for sid, turns in want_sessions.items():
        row = store.db.execute("select status, (select count(*) from turns where session_id = ?) from sessions where id = ?",
                               [sid, sid]).fetchone()
        if row and row[0] == "finished" and row[1] == turns:
            found += 1
        else:
            missing += 1
    total_sessions = store.db.execute("select count(*) from sessions").fetchone()[0]
    total_turns = store.db.execute("select count(*) from turns").fetchone()[0]
    comments = store.db.execute("select count(*) from comments").fetchone()[0]
    half = store.db.execute("select count(*) from sessions where status != 'finished'").fetchone()[0]
    return {
        "sessions_reported": len(want_sessions), "sessions_found_whole": found, "sessions_missing_or_partial": missing,
        "sessions_in_file": total_sessions, "half_written_sessions": half,
        "turns_reported": sum(want_sessions.values()), "turns_in_file": total_turns,
        "comments_reported": sum(r["comments"] for r in reports), "comments_in_file": comments,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--sessions", type=int, help="sessions per rep, instead of a duration")
    ap.add_argument("--db", help="database file to create (default: a new temporary file)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    ap.add_argument("--role", help=argparse.SUPPRESS)
    ap.add_argument("--name", help=argparse.SUPPRESS)
    ap.add_argument("--until", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.role:  # a worker: do the work, print the report
        print(json.dumps(run_role(args.role, args.name, args.db, args.until, args.seed, args.seconds, args.sessions)))
        return

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "coach.db")
        for stale in Path(db).parent.glob("*.rep-done"):
            stale.unlink()
        if Path(db).exists():
            sys.exit(f"{db} exists: the benchmark starts from a new file")
        start = time.time() + 1.0  # time for the interpreters to start, so all open the file together
        procs = []
        for i, role in enumerate(ROLES):
            name = f"{role}{i}"
            procs.append(subprocess.Popen(
                [sys.executable, __file__, "--role", role, "--name", name, "--db", db,
                 "--until", str(start + args.seconds), "--seconds", str(args.seconds), "--seed", str(i),
                 *(["--sessions", str(args.sessions)] if args.sessions else [])],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        reports = []
        for p in procs:
            out, err = p.communicate()
            if p.returncode:
                sys.exit(f"a worker crashed:\n{err}")
            reports.append(json.loads(out))
        rows = account(db, reports)
    failures = [f for r in reports for f in r["failures"]]
    lat = sorted(x for r in reports for x in r["latencies_ms"])
    elapsed = time.time() - start
    result = {
        "seconds": round(elapsed, 1) if args.sessions else args.seconds,
        "failures": len(failures),
        "failure_examples": sorted(set(failures))[:5],
        "inconsistent_reads": sum(r["inconsistent"] for r in reports),
        "reads": sum(r["reads"] for r in reports),
        "ops": sum(r["ops"] for r in reports),
        "ops_per_s": round(sum(r["ops"] for r in reports) / max(elapsed, 0.001), 1),
        "write_ms_median": round(statistics.median(lat), 2) if lat else None,
        "write_ms_p99": round(lat[int(len(lat) * 0.99)], 2) if lat else None,
        "write_ms_max": round(lat[-1], 1) if lat else None,
        "slowest": sorted((x for r in reports for x in r["slowest"]), reverse=True)[:5],
        "turns_attempted": sum(r["turns_attempted"] for r in reports),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        **rows,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{len(ROLES)} processes (2 reps, a manager, a reader) on one file for {result['seconds']:g} s; "
          f"load average {' '.join(map(str, result['load_before']))} -> {' '.join(map(str, result['load_after']))}")
    print(f"failures: {result['failures']}" + "".join(f"\n  {f}" for f in result["failure_examples"]))
    print(f"inconsistent reads: {result['inconsistent_reads']} of {result['reads']}")
    print(f"sessions: {rows['sessions_found_whole']} of {rows['sessions_reported']} reported found whole, "
          f"{rows['sessions_in_file']} in the file, {rows['half_written_sessions']} half-written")
    print(f"turns: {result['turns_attempted']} added, {rows['turns_reported']} reported stored, "
          f"{rows['turns_in_file']} in the file; "
          f"comments: {rows['comments_reported']} reported, {rows['comments_in_file']} in the file")
    print(f"{result['ops']} store calls ({result['ops_per_s']}/s); writes: median {result['write_ms_median']} ms, "
          f"p99 {result['write_ms_p99']} ms, max {result['write_ms_max']} ms")
    if result["slowest"]:
        print("calls over 0.5 s (ms, call, seconds into the run): "
              + "; ".join(f"{ms} {name} at {at}" for ms, name, at in result["slowest"]))


if __name__ == "__main__":
    main()
