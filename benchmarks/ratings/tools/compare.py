"""The replies that differ between two replays, with the rating of the first where it was rated:
    python benchmarks/ratings/tools/compare.py BEFORE.json AFTER.json"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rated import ratings  # noqa: E402


def main() -> None:
    before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in sys.argv[1:3])
    rated = ratings()
    changed = 0
    for key, old in before.items():
        new = after.get(key)
        if not isinstance(new, list):
            continue
        n, session = key.split(":")
        for i in range(max(len(old), len(new))):
            x = old[i]["buyer"] if i < len(old) else "(ended)"
            y = new[i]["buyer"] if i < len(new) else "(ended)"
            if x != y:
                changed += 1
                rating = rated.get((int(n), session), {}).get(i + 1, (None,))[0]
                print(f"== {key} t{i + 1} rated={rating}\n  REP: {(old[i] if i < len(old) else new[i])['rep']}"
                      f"\n  OLD: {x}\n  NEW: {y}")
    print(f"{changed} replies changed")


if __name__ == "__main__":
    main()
