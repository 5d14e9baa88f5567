"""The kept rating rounds: their sessions (scenario, script) and the rating of every buyer reply,
read from the raters' tables in benchmarks/ratings/roundN/*.md (rounds 11 on)."""
from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
#: Session-name prefix -> built-in scenario ("ho" is the hospital in rounds with a hospital.md and no
#: hotel.md, else the hotel).
SCENARIOS = {"fl": "fleet-pilot-close", "rs": "renewal-say-no", "rn": "renewal-say-no", "fs": "finserv-interview-fatigue",
             "it": "it-director-outage", "re": "retail-shifting-agenda", "un": "renewal-unprofitable-growth",
             "wa": "warehouse-no-forecasts", "in": "industrial-self-diagnostics", "hs": "hospital-bed-objections"}
FIRST = 11


def scenario(folder: Path, prefix: str) -> str:
    if prefix == "ho":
        hospital = (folder / "hospital.md").exists() and not (folder / "hotel.md").exists()
        return "hospital-bed-objections" if hospital else "hotel-laundry-price"
    return SCENARIOS[prefix]


def rounds() -> list[tuple[int, Path]]:
    found = [(int(d.name[5:]), d) for d in HERE.glob("round*") if d.name[5:].isdigit()]
    return sorted((n, d) for n, d in found if n >= FIRST)


def sessions():
    """(round, session name, scenario id, script path) for every kept rated session."""
    for n, d in rounds():
        for s in sorted((d / "scripts").glob("*.txt")):
            yield n, s.stem, scenario(d, s.stem[:2]), s


def ratings() -> dict[tuple[int, str], dict[int, tuple[int, str]]]:
    """(round, session) -> {turn: (rating, the buyer reply as rated)}."""
    out: dict = {}
    for n, d in rounds():
        for md in d.glob("*.md"):
            session = None
            for line in md.read_text(encoding="utf-8").splitlines():
                m = re.match(r"^## (\w+_[a-z]):", line)
                if m:
                    session = m.group(1)
                    continue
                cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
                if session and len(cells) >= 6 and cells[0].isdigit():
                    try:
                        rating = int(cells[-2].strip("* "))
                    except ValueError:
                        continue
                    out.setdefault((n, session), {})[int(cells[0])] = (rating, cells[3])
    return out
