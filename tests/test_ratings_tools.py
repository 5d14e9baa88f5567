"""The rating tools (benchmarks/ratings/tools/) count every kept round."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

TOOLS = Path(__file__).parent.parent / "benchmarks" / "ratings" / "tools"


def test_kept_counts_every_rated_reply_of_every_round(tmp_path, monkeypatch, capsys):
    """kept.py reported rounds in fixed spans, the last ending at 42: round
    43's replies were left out without a word."""
    monkeypatch.syspath_prepend(str(TOOLS))
    import kept
    from rated import ratings

    rated = ratings()
    replay = {f"{n}:{s}": [{"buyer": turns.get(i, (None, ""))[1]} for i in range(1, max(turns) + 1)]
              for (n, s), turns in rated.items()}
    path = tmp_path / "replay.json"
    path.write_text(json.dumps(replay), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["kept.py", str(path)])
    kept.main()
    counts = [tuple(map(int, m)) for m in re.findall(r"still the same (\d+) of (\d+); rated 0 (\d+) of (\d+)",
                                                       capsys.readouterr().out)]
    twos = sum(1 for turns in rated.values() for r, _ in turns.values() if r == 2)
    zeros = sum(1 for turns in rated.values() for r, _ in turns.values() if r == 0)
    assert sum(c[1] for c in counts) == twos and sum(c[3] for c in counts) == zeros
    assert all(c[0] == c[1] for c in counts)  # a replay of the rated replies keeps every one
