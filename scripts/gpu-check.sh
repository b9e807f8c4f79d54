#!/usr/bin/env bash
# The GPU check, on a GPU host (NVIDIA H100 / H200: no Node.js, no Vulkan loader, no registries), from the
# repository root, after `node scripts/gpu-bundle.mjs` prepared .gpu/ on a machine with the registries:
#   bash scripts/gpu-check.sh [PART ...]     (default: every part, in this order; results under $OUT)
# Parts, each under its own time limit so that one hang cannot eat the rest (about 6 minutes in all when healthy):
#   kernels        core's WGSL kernels against the CPU reference                         kernels.jsonl
#   steps          ms per training step on webgpu with core's kernels: MLP b256 / b1024, CNN b128 / b512
#   torch-steps    PyTorch CUDA's ms per step on the same shapes                         torch-steps.jsonl
#   accuracy       reference MLP 2000 steps, default CNN 1000 steps on webgpu: test accuracy (and again on the
#                  stock kernels, accuracy-stock.jsonl, when a core kernel failed its check)
#   batched        16 seed-mlp configs x 1000 steps through trainBatched on webgpu: trials per hour
#   torch-batched  the same 16 configs one after the other on PyTorch CUDA
#   steps-stock    ms per step with tfjs-backend-webgpu's stock kernels (the baseline)
set -u
OUT=${OUT:-$PWD/gpu-check-out}
mkdir -p "$OUT"
G=$PWD/.gpu
[ -f "$G/gpu-check.mjs" ] || { echo "no .gpu/: run node scripts/gpu-bundle.mjs first (and carry .gpu)"; exit 1; }
PARTS=${*:-kernels steps torch-steps accuracy batched torch-batched steps-stock}

# What the host lacks: the Vulkan loader and GL vendor libraries (the NVIDIA ICD needs them), and Node.js.
# (GPU_CHECK_ROOT unpacks them elsewhere, to try the script on a machine that must stay as it is.)
ROOT=${GPU_CHECK_ROOT:-/}
for f in "$G"/deb/*.deb; do dpkg -x "$f" "$ROOT"; done
[ "$ROOT" = / ] && ldconfig
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
NODE=$(mktemp) && xz -d -c "$G/node.xz" > "$NODE" && chmod +x "$NODE"
MNIST=$(mktemp -d) && cp "$G"/mnist/*.gz "$MNIST"/ && gunzip "$MNIST"/*.gz    # the peer reads raw IDX only
export SWEEPLAB_ROOT=$PWD
# The GPU hosts' PyTorch lives in the python3 on PATH (a venv); /usr/bin/python3 there has no numpy.
PY=python3
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; "$NODE" --version; } \
  > "$OUT/machine.txt" 2>&1

# The whole check stays within GPU_CHECK_BUDGET_S (default 560 s, under a device call's 10 minutes): a part gets
# what is left at most, and parts that would start with under 10 s left are skipped and say so.
DEADLINE=$((SECONDS + ${GPU_CHECK_BUDGET_S:-560}))
left() { echo $((DEADLINE - SECONDS)); }
cap() { local l; l=$(left); [ "$1" -lt "$l" ] && echo "$1" || echo "$l"; }

check() { # part limit_s gpu-check arguments...
  local part=$1 limit; limit=$(cap "$2"); shift 2
  local t0=$SECONDS
  [ "$limit" -ge 10 ] || { echo "$part: skipped (budget spent)" | tee -a "$OUT/summary.txt"; return; }
  timeout "$limit" "$NODE" "$G/gpu-check.mjs" "$@" --data "$MNIST" > "$OUT/$part.jsonl" 2> "$OUT/$part.err"
  echo "$part: rc=$? in $((SECONDS - t0)) s" | tee -a "$OUT/summary.txt"
}

for part in $PARTS; do
  case $part in
    kernels) check kernels 90 kernels ;;
    steps) check steps 90 steps ;;
    steps-stock) check steps-stock 90 steps --stock ;;
    accuracy) check accuracy 200 accuracy
      # Should a core kernel fail its check, the same runs on the stock kernels say whether the backend is sound.
      if grep -q '"ok":false' "$OUT/kernels.jsonl" 2>/dev/null; then
        SWEEPLAB_WEBGPU_KERNELS=stock check accuracy-stock 200 accuracy
      fi ;;
    batched) check batched 120 batched --trials 16 --steps 1000 --batch 128 ;;
    torch-steps)
      t0=$SECONDS; : > "$OUT/torch-steps.jsonl"
      for spec in "mlp 256" "mlp 1024" "cnn 128" "cnn 512"; do
        set -- $spec
        [ "$(left)" -ge 10 ] || break
        timeout "$(cap 30)" $PY scripts/peers/torch_mnist.py step --model "$1" --batch "$2" --steps 200 --device cuda \
          --data "$MNIST" >> "$OUT/torch-steps.jsonl" 2>> "$OUT/torch-steps.err"
      done
      echo "torch-steps: $(wc -l < "$OUT/torch-steps.jsonl") shapes in $((SECONDS - t0)) s" | tee -a "$OUT/summary.txt" ;;
    torch-batched)
      # The same configs (learning rates and seeds) as `batched`, one process each, one after the other.
      t0=$SECONDS; : > "$OUT/torch-batched.jsonl"
      "$NODE" "$G/gpu-check.mjs" peer-configs --trials 16 --steps 1000 --batch 128 > "$OUT/peer-configs.txt"
      while read -r lr seed; do
        [ "$(left)" -ge 10 ] || break
        timeout "$(cap 30)" $PY scripts/peers/torch_mnist.py train --model mlp --act silu --width 512 --opt adamw \
          --steps 1000 --batch 128 --lr "$lr" --seed "$seed" --device cuda --data "$MNIST" \
          >> "$OUT/torch-batched.jsonl" 2>> "$OUT/torch-batched.err"
      done < "$OUT/peer-configs.txt"
      echo "torch-batched: $(wc -l < "$OUT/torch-batched.jsonl") configs in $((SECONDS - t0)) s (wall, start-up included)" \
        | tee -a "$OUT/summary.txt" ;;
    *) echo "unknown part $part" | tee -a "$OUT/summary.txt" ;;
  esac
done
rm -f "$NODE"
