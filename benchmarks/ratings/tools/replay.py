"""Replay every kept rated session on the code importable now (seed 0) and write the replies:
    python benchmarks/ratings/tools/replay.py OUT.json [SCENARIO ...]
The scenarios are the files of the checkout this script is in; for an older commit, run the copy in
a worktree of it with PYTHONPATH set to that worktree. Compare two replays with compare.py, or one
with the ratings with kept.py."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rated import sessions  # noqa: E402

from coach.cli import common  # noqa: E402
from coach.buyer.topics import topic_key  # noqa: E402
from coach.engine import run_script  # noqa: E402
from coach.scenario import load_scenario  # noqa: E402

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"


def main() -> None:
    out, only = sys.argv[1], set(sys.argv[2:])
    analyzer = common.load_analyzer()
    loaded: dict = {}
    replies = {}
    for n, name, scen, script in sessions():
        if only and scen not in only:
            continue
        if scen not in loaded:
            loaded[scen] = load_scenario(SCENARIOS / f"{scen}.yaml")
        lines = [x.strip() for x in script.read_text(encoding="utf-8").splitlines()]
        result = run_script(loaded[scen], analyzer, [x for x in lines if x and not x.startswith("#")], seed=0)
        replies[f"{n}:{name}"] = [{"rep": t["rep"], "buyer": t["buyer"], "kind": t["buyer_kind"],
                                   "topic": topic_key(m["topic"]["kind"], m["topic"]["id"]),
                                   "sim": m["topic"]["similarity"], "reasons": m["reasons"]}
                                  for t in result.to_dict()["turns"] for m in [t["move"]]]
    Path(out).write_text(json.dumps(replies, indent=0), encoding="utf-8")
    print(f"{len(replies)} sessions replayed")


if __name__ == "__main__":
    main()
