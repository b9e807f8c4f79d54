#!/usr/bin/env bash
# The GPU check, on a GPU host (NVIDIA H100 / H200: no Node.js, no Vulkan loader, no registries), from the
# repository root, after `node scripts/gpu-bundle.mjs` prepared .gpu/ on a machine with the registries:
#   bash scripts/gpu-check.sh            (writes everything under $OUT, or ./gpu-check-out without it)
# Runs, each under its own time limit so that one hang cannot eat the rest (about 6-8 minutes in all):
#   1. core's WGSL kernels against the CPU reference (kernels.jsonl)
#   2. ms per training step on webgpu, core's kernels and the stock ones (steps.jsonl, steps-stock.jsonl)
#   3. PyTorch CUDA's ms per step on the same shapes (torch-steps.jsonl)
#   4. accuracy: the reference MLP 2000 steps and the default CNN 1000 steps on webgpu (accuracy.jsonl)
#   5. 16 seed-mlp configs x 1000 steps: trainBatched on webgpu, and PyTorch CUDA one after the other
#      (batched.jsonl, torch-batched.jsonl)
set -u
OUT=${OUT:-$PWD/gpu-check-out}
mkdir -p "$OUT"
G=$PWD/.gpu
[ -f "$G/gpu-check.mjs" ] || { echo "no .gpu/: run node scripts/gpu-bundle.mjs first (and carry .gpu)"; exit 1; }

# What the host lacks: the Vulkan loader and GL vendor libraries (the NVIDIA ICD needs them), and Node.js.
for f in "$G"/deb/*.deb; do dpkg -x "$f" / ; done
ldconfig
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
NODE=$(mktemp) && xz -d -c "$G/node.xz" > "$NODE" && chmod +x "$NODE"
MNIST=$(mktemp -d) && cp "$G"/mnist/*.gz "$MNIST"/ && gunzip "$MNIST"/*.gz    # the peer reads raw IDX only
export SWEEPLAB_ROOT=$PWD
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; "$NODE" --version; } > "$OUT/machine.txt" 2>&1

step() { # name limit_s command...
  local name=$1 limit=$2; shift 2
  local t0=$SECONDS
  timeout "$limit" "$@" > "$OUT/$name.jsonl" 2> "$OUT/$name.err"
  echo "$name: rc=$? in $((SECONDS - t0)) s" | tee -a "$OUT/summary.txt"
}

check() { step "$1" "$2" "$NODE" "$G/gpu-check.mjs" "${@:3}" --data "$MNIST"; }

check kernels 90 kernels
check steps 120 steps
check steps-stock 120 steps --stock
PY=/usr/bin/python3; command -v $PY > /dev/null || PY=python3
: > "$OUT/torch-steps.jsonl"
for spec in "mlp 256" "mlp 1024" "cnn 128" "cnn 512"; do
  set -- $spec
  timeout 60 $PY scripts/peers/torch_mnist.py step --model "$1" --batch "$2" --steps 200 --device cuda \
    --data "$MNIST" >> "$OUT/torch-steps.jsonl" 2>> "$OUT/torch-steps.err"
done
echo "torch-steps: done" | tee -a "$OUT/summary.txt"
check accuracy 180 accuracy
check batched 150 batched --trials 16 --steps 1000 --batch 128
# The same 16 configs (same learning rates and seeds) one after the other on PyTorch CUDA, as bench-batched's peer.
T0=$SECONDS
"$NODE" "$G/gpu-check.mjs" peer-configs --trials 16 --steps 1000 --batch 128 > "$OUT/peer-configs.txt" 2> "$OUT/torch-batched.err"
: > "$OUT/torch-batched.jsonl"
while read -r lr seed; do
  timeout 60 $PY scripts/peers/torch_mnist.py train --model mlp --act silu --width 512 --opt adamw --steps 1000 \
    --batch 128 --lr "$lr" --seed "$seed" --device cuda --data "$MNIST" >> "$OUT/torch-batched.jsonl" 2>> "$OUT/torch-batched.err"
done < "$OUT/peer-configs.txt"
echo "torch-batched: $(wc -l < "$OUT/torch-batched.jsonl") configs in $((SECONDS - T0)) s (wall, python start-up included)" | tee -a "$OUT/summary.txt"
rm -f "$NODE"
