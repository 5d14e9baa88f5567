"""Print a `coach simulate --format json` session for a rater: the opening, each turn (rep line, move kind, buyer
reply) and a last line with the score, discoveries and how it ended."""
import json, sys
raw = sys.stdin.read()
try:
    d = json.loads(raw)
except Exception:
    print(raw)
    sys.exit(1)
print("OPEN:", d["opening"])
for t in d["turns"]:
    print(f"T{t['index'] + 1} REP: {t['rep']}")
    print(f"   MOVE: {t['buyer_kind']}")
    print(f"   BUYER: {t['buyer']}")
print(f"LAST: score {d['score']}; discovered {d['discovered']}; ended {d['ended']}; trust {d['trust']}")
