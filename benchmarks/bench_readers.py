"""Peak memory and time of `coach analyze` on large one-conversation transcripts.

    python benchmarks/bench_readers.py [--sizes 10,100] [--formats txt,vtt,srt,jsonl]
                                       [--at-limit] [--timeout SECONDS]

Writes each file (one conversation of alternating rep and buyer turns, SIZE
MB) to a temporary folder, runs `coach analyze --format jsonl FILE > /dev/null`
under `/usr/bin/time -v`, and prints the wall time, the peak resident memory,
the exit status and the first line coach wrote to stderr. `--at-limit` also
runs a conversation of exactly MAX_TURNS turns, the largest coach analyses, to
show what the limit costs. The load average is printed before and after: on
this shared 2-core machine, compare figures taken under similar load.
`--timeout` stops a run that takes longer (to measure code without the limit).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REP = ["What has been on your plate since the outage?", "How did the team cope with that?",
       "So the orders stopped for two days, and nobody could tell customers why.",
       "Our platform is the best on the market, would you be interested?"]
BUYER = ["We lost two days of orders and the phones never stopped.",
         "Honestly, it was chaos. Nobody knew who owned the recovery.", "I'd need to talk to finance first."]


def turn(i: int, fmt: str) -> str:
    rep = i % 2 == 0
    text = REP[i % len(REP)] if rep else BUYER[i % len(BUYER)]
    who = "Sam (Rep)" if rep else "Dana"
    if fmt == "txt":
        return f"{who}: {text}\n"
    if fmt == "jsonl":
        return json.dumps({"speaker": "rep" if rep else "buyer", "text": text}) + "\n"
    s, sep = i % 3600, "," if fmt == "srt" else "."
    stamp = f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{sep}000"
    return f"{i + 1}\n{stamp} --> {stamp[:-3]}500\n{who}: {text}\n\n"


def write(path: Path, fmt: str, *, size: int | None = None, turns: int | None = None) -> int:
    """Write a transcript of ``size`` bytes or ``turns`` turns; returns the turns written."""
    n = written = 0
    with path.open("w", encoding="utf-8") as fh:
        if fmt == "vtt":
            written += fh.write("WEBVTT\n\n")
        while (size is not None and written < size) or (turns is not None and n < turns):
            written += fh.write(turn(n, fmt))
            n += 1
    return n


def measure(path: Path, timeout: float | None) -> dict:
    exe = shutil.which("coach")
    cmd = [exe] if exe else [sys.executable, "-m", "coach"]
    cmd = ["/usr/bin/time", "-v", *(["timeout", str(timeout)] if timeout else []),
           *cmd, "analyze", "--format", "jsonl", str(path)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    err = proc.stderr
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    said = next((ln for ln in err.splitlines() if ln.startswith("coach:")), "")
    return {"wall": wall, "rss_mb": int(rss.group(1)) / 1024 if rss else float("nan"),
            "status": proc.returncode, "said": said}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100", help="file sizes in MB, comma-separated")
    ap.add_argument("--formats", default="txt,vtt,srt,jsonl")
    ap.add_argument("--at-limit", action="store_true", help="also analyse a conversation of MAX_TURNS turns")
    ap.add_argument("--timeout", type=float, help="stop a run after this many seconds")
    args = ap.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            runs = [(f"{mb} MB", {"size": int(float(mb) * 1_000_000)}) for mb in args.sizes.split(",") if mb]
            if args.at_limit:
                from coach.analysis.readers import MAX_TURNS

                runs.append((f"{MAX_TURNS:,} turns", {"turns": MAX_TURNS}))
            for name, how in runs:
                path = Path(tmp) / f"call.{fmt}"
                n = write(path, fmt, **how)
                r = measure(path, args.timeout)
                print(f"{fmt:5} {name:>13} ({n:,} turns): {r['wall']:7.1f} s, peak RSS {r['rss_mb']:6.0f} MB, "
                      f"exit {r['status']}  {r['said'][:110]}")
                path.unlink()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
