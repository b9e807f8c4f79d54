#!/usr/bin/env bash
# The reference MLP (2 x 512 SiLU, AdamW, batch 256, cosine, 5000 steps) as a user runs it: `sweeplab train` on an
# embedded service (a fresh data folder), timed from the command's start to its exit, beside the PyTorch peer's
# `train` of the same recipe at 1 and 2 threads, in the same run. Usage: scripts/bench-reference-mlp.sh [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${1:-5000}
PY=${PEER_PYTHON:-$HOME/.cache/sweeplab-peer-venv/bin/python}
[ -x "$PY" ] || PY=python3
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
start=$(date +%s.%N)
SWEEPLAB_DATA_DIR=$data node packages/cli/bin/sweeplab.mjs train --model mlp --steps "$STEPS" --json >"$data/run.json" 2>/dev/null
end=$(date +%s.%N)
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(JSON.stringify({ side: "sweeplab train", steps: r.totalSteps, wallSeconds: Number(process.argv[2]),
  testAccuracy: r.testAccuracy, msPerStep: r.msPerStep, execution: r.environment?.backend?.execution,
  threads: r.environment?.backend?.threads }));' "$data/run.json" "$(echo "$end - $start" | bc)"
for threads in 1 2; do
  start=$(date +%s.%N)
  out=$("$PY" ../shared/peers/torch_mnist.py train --model mlp --steps "$STEPS" --threads "$threads" | tail -1)
  end=$(date +%s.%N)
  echo "{\"side\":\"peer train, $threads thread(s)\",\"wallSeconds\":$(echo "$end - $start" | bc),\"peer\":$out}"
done
