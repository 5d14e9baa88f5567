"""How fast the manager's side is on a big team: it generates its own data.

- a database of 200 reps x 50 finished practice sessions (10 rep and 10 buyer
  turns each, labels, evidence, tips, scorecards, comments, some overrides and
  assignments), written straight into coach's schema in one transaction;
- `coach team` (text and --format json), the app's team view (headless, from
  opening it to the table filled) and the review table, on that database;
- `coach export` of it as CSV (per session and per turn);
- `coach import` of a one-hour call (600 turns) and of 1,000 calls (12 turns each).

Every command is a fresh process (interpreter start-up and imports included).
Medians of --runs runs, with the load average: on a shared 2-core machine the
figures move with it.

    python benchmarks/bench_review.py [--runs 5] [--reps 200] [--sessions 50] [--calls 1000]
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

LABELS_GOOD = ("open_question", "curiosity", "follow_up", "reflection", "empathy", "mutual_success")
LABELS_BAD = ("leading_question", "closed_question", "self_interested", "pitching", "pressure", "checklist")
REP_LINES = [
    "What has been on your plate since the outage?",
    "So the outage cost you more in trust than in hardware.",
    "Our platform halves downtime and we're the market leader, wouldn't you agree?",
    "What's your budget, and are you the one who signs off?",
    "That sounds exhausting. What did it end up costing the business?",
    "How do orders flow when the system is down?",
    "If it's not a fit, I'd rather we both know now.",
    "Can we get this signed by Friday?",
]
BUYER_LINES = [
    "Two of our biggest retail accounts put us on a formal review.",
    "Honestly, we were on the phones all weekend.",
    "Every vendor says that.",
    "We lost a week of orders in March and the board noticed.",
    "I'm not sure this is the right time.",
]


CPU: list[float] = []


def coach(*args: str, db: Path | None = None) -> float:
    """Run a coach command in a fresh process; the seconds it took (wall). Its
    CPU seconds (user + system) go to CPU: on a machine other jobs share, they
    move far less than the wall time."""
    import resource

    cmd = [sys.executable, "-m", "coach"] + (["--db", str(db)] if db else []) + list(args)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def median(f, runs: int) -> tuple[float, float, float, float]:
    """(median, min, max) wall seconds of ``runs`` runs, and the median CPU seconds."""
    CPU.clear()
    times = sorted(f() for _ in range(runs))
    return statistics.median(times), times[0], times[-1], statistics.median(CPU) if CPU else float("nan")


def generate(path: Path, reps: int, sessions: int, seed: int = 17) -> dict:
    """The team database, straight into the schema coach migrates to."""
    from coach.paths import builtin_scenarios_dir
    from coach.store import open_store

    rng = random.Random(seed)
    store = open_store(path)
    db = store.db
    scenarios = sorted(builtin_scenarios_dir().glob("*.yaml"))[:6]
    t0 = time.perf_counter()
    with db.atomic():
        snap_ids = []
        for i, f in enumerate(scenarios):
            text = f.read_text(encoding="utf-8")
            snap_ids.append(db.execute(
                "insert into snapshots (scenario_id, title, source, yaml, sha256, created_at) values (?, ?, 'builtin', ?, ?, '2026-01-01')",
                [f.stem, f.stem.replace("-", " ").title(), text, f"{i:064x}"]).lastrowid)
        turn_id = 0
        for r in range(reps):
            rep_id = db.execute("insert into reps (name, created_at) values (?, '2026-01-01')", [f"Rep {r:03d}"]).lastrowid
            skill = rng.random()
            sessions_rows, turns_rows, label_rows, evidence_rows, score_rows = [], [], [], [], []
            for k in range(sessions):
                sid = rep_id * 1000 + k
                day = f"2026-{1 + k // 28:02d}-{1 + k % 28:02d}T{9 + r % 8:02d}:{k % 60:02d}:00+00:00"
                parts = {p: max(0, min(100, round(100 * (skill + rng.gauss(0, 0.15))))) for p in
                         ("discovery", "questions", "listening", "relationship")}
                weights = {"discovery": 0.4, "questions": 0.2, "listening": 0.2, "relationship": 0.2}
                total = round(sum(weights[p] * parts[p] for p in parts))
                card = {"total": total, "parts": [{"name": p, "title": p.title(), "score": s, "weight": weights[p],
                                                   "best": None, "worst": None, "advice": "Ask why now.", "details": {}}
                                                  for p, s in parts.items()],
                        "discovered": [], "missed": [], "discoveries": [], "hints": 0, "hint_penalty": 0,
                        "final_trust": 50, "end_reason": "max_turns", "rep_turns": 10, "best": None, "worst": None}
                sessions_rows.append((sid, rep_id, snap_ids[k % len(snap_ids)], k, "finished", "max_turns", total,
                                      json.dumps(card), day, day, "practice"))
                for p, s in parts.items():
                    score_rows.append((sid, p, s, weights[p], None, None, "Ask why now."))
                for i in range(20):
                    turn_id += 1
                    speaker = "buyer" if i % 2 == 0 else "rep"
                    text = rng.choice(BUYER_LINES if speaker == "buyer" else REP_LINES)
                    turns_rows.append((turn_id, sid, i, speaker, text, None, "[]",
                                       '["Ask what they hope to achieve."]' if speaker == "rep" else "[]",
                                       1 if speaker == "rep" else None, len(text.split()), 0, day, 1))
                    if speaker == "rep":
                        pool = LABELS_GOOD if rng.random() < skill else LABELS_BAD
                        for label in rng.sample(pool, rng.randint(1, 3)):
                            label_rows.append((turn_id, label))
                            evidence_rows.append((turn_id, label, 0, min(12, len(text)), text[:12], "the words"))
            db.conn.executemany("insert into sessions (id, rep_id, snapshot_id, seed, status, end_reason, score,"
                                " scorecard, started_at, ended_at, kind) values (?,?,?,?,?,?,?,?,?,?,?)", sessions_rows)
            db.conn.executemany("insert into scores values (?,?,?,?,?,?,?)", score_rows)
            db.conn.executemany("insert into turns (id, session_id, idx, speaker, text, trust, revealed, tips,"
                                " questions, words, hint, created_at, analysed) values (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                turns_rows)
            db.conn.executemany("insert into turn_labels values (?,?)", label_rows)
            db.conn.executemany('insert into evidence (turn_id, label, start, "end", quote, why) values (?,?,?,?,?,?)',
                                evidence_rows)
            first = rep_id * 1000
            db.execute("insert into comments (session_id, turn_id, author, text, created_at) values (?, null, 'maria',"
                       " 'Good recovery after the pitch.', '2026-03-01')", [first])
            db.execute("insert into score_overrides (session_id, part, score, reason, author, created_at)"
                       " values (?, 'total', 60, 'the buyer was hostile', 'maria', '2026-03-01')", [first + 1])
            db.execute("insert into assignments (rep_id, scenario_id, pass_mark, due_on, assigned_by, created_at)"
                       " values (?, ?, 70, '2026-06-01', 'maria', '2026-01-01')", [rep_id, scenarios[0].stem])
    db.execute("analyze")
    return {"seconds": time.perf_counter() - t0, "turns": turn_id}


def team_screen_seconds(path: Path) -> tuple[tuple[float, float], tuple[float, float]]:
    """Headless app in a fresh process: (wall, CPU) seconds from opening the
    team view, and the review table, until it is filled."""
    child = r"""
import asyncio, json, sys, time
from coach.store import open_store
from coach.ui.app import make_app
from coach.ui.screens.review import ReviewScreen
from coach.ui.screens.team import TeamScreen
store = open_store(sys.argv[1])
out = {}
async def main():
    app = make_app(store=store, rep="maria", analyzer=object(), cursor_blink=False)
    async with app.run_test(size=(140, 44)) as pilot:
        # Let the home screen finish reading the scenarios (a thread whose CPU
        # would count below), as a manager's app has by the time they press r.
        while not getattr(app.screen_stack[0], "loaded", True):
            await pilot.pause(0.01)
        await pilot.pause(0.2)
        t0, c0 = time.perf_counter(), time.process_time()
        app.push_screen(ReviewScreen())
        while not (isinstance(app.screen, ReviewScreen) and app.screen.rows):
            await pilot.pause(0.01)
        out["review"] = (time.perf_counter() - t0, time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        app.open_team()
        while not (isinstance(app.screen, TeamScreen) and app.screen.view is not None):
            await pilot.pause(0.01)
        await pilot.pause()
        out["team"] = (time.perf_counter() - t0, time.process_time() - c0)
asyncio.run(main())
print(json.dumps(out))
"""
    res = subprocess.run([sys.executable, "-c", child, str(path)], capture_output=True, text=True)
    if res.returncode:
        raise SystemExit(f"the app benchmark failed:\n{res.stderr[-2000:]}")
    data = json.loads(res.stdout.strip().splitlines()[-1])
    return data["team"], data["review"]


def write_calls(folder: Path, calls: int, turns: int, seed: int = 5) -> Path:
    rng = random.Random(seed)
    f = folder / f"calls-{calls}x{turns}.jsonl"
    with f.open("w", encoding="utf-8") as out:
        for c in range(calls):
            for i in range(turns):
                speaker = "buyer" if i % 2 == 0 else "rep"
                text = rng.choice(BUYER_LINES if speaker == "buyer" else REP_LINES)
                out.write(json.dumps({"conversation": f"call {c}", "speaker": speaker, "text": f"{text} ({c}.{i})"}) + "\n")
    return f


def write_hour_call(folder: Path, turns: int = 600, seed: int = 9) -> Path:
    """A one-hour meeting export: 600 WebVTT cues, 6 s apart, two speakers."""
    rng = random.Random(seed)

    def stamp(s: int) -> str:
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}.000"

    lines = ["WEBVTT", ""]
    for i in range(turns):
        who = "Dana Okafor" if i % 2 == 0 else "Sam Patel"
        text = rng.choice(BUYER_LINES if i % 2 == 0 else REP_LINES)
        lines += [f"{stamp(i * 6)} --> {stamp(i * 6 + 5)}", f"<v {who}>{text} ({i})", ""]
    f = folder / "hour.vtt"
    f.write_text("\n".join(lines), encoding="utf-8")
    return f


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--reps", type=int, default=200, help="reps in the generated team (default 200)")
    parser.add_argument("--sessions", type=int, default=50, help="sessions per rep (default 50)")
    parser.add_argument("--calls", type=int, default=1000, help="calls in the bulk import (default 1000; 0 skips the imports)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "team.db"
        made = generate(db, args.reps, args.sessions)
        size = db.stat().st_size / 1e6
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        print(f"generated {args.reps} reps x {args.sessions} sessions, {made['turns']:,} turns, {size:.0f} MB "
              f"in {made['seconds']:.1f} s")
        coach("team", db=db)  # warm the file cache
        rows = [
            ("coach team", median(lambda: coach("team", db=db), args.runs)),
            ("coach team --format json", median(lambda: coach("team", "--format", "json", db=db), args.runs)),
            ("coach team --rep (chart)", median(lambda: coach("team", "--rep", "Rep 007", db=db), args.runs)),
            ("coach --help (start-up alone)", median(lambda: coach("--help"), args.runs)),
        ]
        screens = [team_screen_seconds(db) for _ in range(args.runs)]
        for i, label in ((0, "app: team view opens"), (1, "app: review table opens")):
            walls = [s[i][0] for s in screens]
            rows.append((label, (statistics.median(walls), min(walls), max(walls),
                                 statistics.median(s[i][1] for s in screens))))
        out = folder / "out.csv"
        runs = max(1, min(args.runs, 3))
        rows.append(("coach export (CSV per session)", median(lambda: coach("export", "-o", str(out), db=db), runs)))
        rows.append(("coach export --per turn", median(
            lambda: coach("export", "--per", "turn", "-o", str(out), db=db), runs)))
        for label, (med, lo, hi, cpu) in rows:
            print(f"{label:34s} median {med:6.2f} s  (min {lo:.2f}, max {hi:.2f}; CPU {cpu:.2f} s)")
        print(f"load average {os.getloadavg()[0]:.2f}")

        if not args.calls:
            return
        hour = write_hour_call(folder)
        many = write_calls(folder, args.calls, 12)
        results = []
        for label, f in (("coach import, one 600-turn call", hour), (f"coach import, {args.calls} calls x 12 turns", many)):
            def once(f=f):
                target = folder / "calls.db"
                target.unlink(missing_ok=True)
                return coach("import", str(f), "--rep", "Sam Patel" if f == hour else "Sam", db=target)
            results.append((label, median(once, runs)))
        results.append(("the same calls again (all skipped)",
                        median(lambda: coach("import", str(many), "--rep", "Sam", db=folder / "calls.db"), 1)))
        for label, (med, lo, hi, cpu) in results:
            print(f"{label:34s} median {med:6.2f} s  (min {lo:.2f}, max {hi:.2f}; CPU {cpu:.2f} s)")
        print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
