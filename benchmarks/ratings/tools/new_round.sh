#!/usr/bin/env bash
# Set up rating round N on the commit checked out now:
#   benchmarks/ratings/tools/new_round.sh N [OUT_DIR]
# makes a frozen worktree of HEAD (OUT_DIR/wt), OUT_DIR/run.sh, OUT_DIR/tools/step.sh and
# OUT_DIR/PROMPT.md (benchmarks/ratings/PROMPT.md with its placeholders filled in). Then give one
# rater per scenario "Read OUT_DIR/PROMPT.md and do exactly what it says with SCEN=..., PFX=..., NAME=...".
# The raters' *.md and scripts/*.txt go to benchmarks/ratings/roundN/ when they are done.
set -euo pipefail
N=$1
REPO=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
OUT=${2:-/tmp/ratings$N}
PY=${PYTHON:-$(command -v python)}
mkdir -p "$OUT/tools" "$OUT/scripts"
git -C "$REPO" worktree add -f "$OUT/wt" HEAD --detach -q
cat > "$OUT/run.sh" <<RUN
#!/usr/bin/env bash
# run.sh SCEN PFX: replay scripts/PFX.txt on the frozen worktree's scenario SCEN (seed 0), every turn.
set -euo pipefail
cd "$OUT/wt"
PYTHONPATH="$OUT/wt" COACH_HOME="$OUT/home" "$PY" -m coach simulate "$OUT/wt/scenarios/\$1.yaml" \\
  --script "$OUT/scripts/\$2.txt" --format json 2>&1 | "$PY" "$REPO/benchmarks/ratings/tools/fmt.py"
RUN
cat > "$OUT/tools/step.sh" <<STEP
#!/usr/bin/env bash
# step.sh SCEN PFX "rep line": add the line to scripts/PFX.txt, replay, print the opening and the last turn.
set -euo pipefail
printf '%s\n' "\$3" >> "$OUT/scripts/\$2.txt"
out=\$("$OUT/run.sh" "\$1" "\$2")
echo "\$out" | grep '^OPEN:'
echo "\$out" | grep -v '^OPEN:' | tail -n 4
STEP
chmod +x "$OUT/run.sh" "$OUT/tools/step.sh"
sed -e "s#<frozen worktree of the commit>#$OUT/wt#g" -e "s#<round folder>#$OUT#g" -e "s/round N/round $N/" \
  "$REPO/benchmarks/ratings/PROMPT.md" > "$OUT/PROMPT.md"
echo "round $N on $(git -C "$REPO" rev-parse --short HEAD): $OUT/PROMPT.md"
