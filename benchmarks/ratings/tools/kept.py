"""How many replies rated 2 (and 0) a replay still gives, word for word in their first 40 characters:
    python benchmarks/ratings/tools/kept.py REPLAY.json"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rated import ratings  # noqa: E402

#: Rounds reported together; the last span runs to the newest round kept.
SPANS = [(11, 20), (21, 24), (25, 26), (27, 30), (31, 34), (35, 36), (37, 38), (39, 42), (43, 10**6)]


def main() -> None:
    replay = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    rated = ratings()
    for lo, hi in SPANS:
        same = {2: 0, 0: 0}
        total = {2: 0, 0: 0}
        for (n, session), turns in rated.items():
            now = replay.get(f"{n}:{session}")
            if not lo <= n <= hi or not isinstance(now, list):
                continue
            for turn, (rating, reply) in turns.items():
                if rating in total:
                    total[rating] += 1
                    said = now[turn - 1]["buyer"] if turn <= len(now) else ""
                    same[rating] += said[:40].strip() == reply.strip('"“” ')[:40].strip()
        if total[2] or total[0]:
            last = max(n for n, _ in rated) if hi >= 10**6 else hi
            print(f"rounds {lo}-{last}: rated 2 still the same {same[2]} of {total[2]}; rated 0 {same[0]} of {total[0]}")


if __name__ == "__main__":
    main()
