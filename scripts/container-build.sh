#!/usr/bin/env bash
# Builds sweeplab's images from this checkout: `scripts/container-build.sh [api|worker|all]` (default all), tagged
# ${SWEEPLAB_IMAGE:-localhost/sweeplab}-api and -worker. Prints each image's size and the time taken.
#
# Base: SWEEPLAB_BASE if set; else node:20-bookworm-slim if podman already has it; else the local stand-in that
# scripts/container-base.sh makes (once) from Debian's mirror and this host's Node 20.
# TensorFlow (worker only), first found wins: TENSORFLOW_DIR (a folder with libtensorflow_cc.so.2,
# libtensorflow_framework.so.2 and include/), TENSORFLOW_WHEEL (a tensorflow-cpu .whl), the folder pnpm install's
# setup-native.mjs unpacked into ~/.cache/sweeplab/tensorflow, or the wheel it cached there. It is linked (or
# copied) into .container/tensorflow, the part of the build context the Containerfile reads it from.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-all}
case "$target" in api | worker | all) ;; *) echo "usage: $0 [api|worker|all]" >&2; exit 2 ;; esac
image=${SWEEPLAB_IMAGE:-localhost/sweeplab}
podman=(scripts/podman.sh)

base=${SWEEPLAB_BASE:-}
if [ -z "$base" ]; then
  if podman image exists docker.io/library/node:20-bookworm-slim; then
    base=docker.io/library/node:20-bookworm-slim
  else
    base=${SWEEPLAB_BASE_IMAGE:-localhost/sweeplab-base:node20-bookworm}
    SWEEPLAB_BASE_IMAGE=$base scripts/container-base.sh
  fi
fi

stage_tensorflow() {
  local cache=${XDG_CACHE_HOME:-$HOME/.cache}/sweeplab/tensorflow source="" wheel=""
  if [ -n "${TENSORFLOW_DIR:-}" ]; then
    source=$TENSORFLOW_DIR
  elif [ -n "${TENSORFLOW_WHEEL:-}" ]; then
    wheel=$TENSORFLOW_WHEEL
  elif [ -e "$cache/tensorflow-cpu-2.21.0/libtensorflow_cc.so.2" ]; then
    source=$cache/tensorflow-cpu-2.21.0
  else
    wheel=$(ls "$cache"/wheels/tensorflow_cpu-*.whl 2>/dev/null | head -n 1 || true)
  fi
  rm -rf .container/tensorflow
  mkdir -p .container/tensorflow
  if [ -n "$source" ]; then
    for part in libtensorflow_cc.so.2 libtensorflow_framework.so.2 include; do
      [ -e "$source/$part" ] || { echo "container-build: $source has no $part" >&2; exit 1; }
      # A hard link costs nothing; across file systems, a copy.
      cp -al "$source/$part" .container/tensorflow/ 2>/dev/null || cp -a "$source/$part" .container/tensorflow/
    done
    echo "container-build: TensorFlow from $source"
  elif [ -n "$wheel" ]; then
    ln "$wheel" .container/tensorflow/ 2>/dev/null || cp "$wheel" .container/tensorflow/
    echo "container-build: TensorFlow from $wheel"
  else
    echo "container-build: no TensorFlow library found: set TENSORFLOW_DIR or TENSORFLOW_WHEEL, or run pnpm install first" >&2
    exit 1
  fi
}

# A proxy that re-signs TLS (this host's NODE_EXTRA_CA_CERTS) is trusted in the steps that reach the npm registry.
secret=()
if [ -s "${NODE_EXTRA_CA_CERTS:-}" ]; then secret=(--secret "id=extra-ca-certs,src=$NODE_EXTRA_CA_CERTS"); fi

build() {
  local name=$1 started
  started=$(date +%s)
  # docker format: OCI images cannot carry a HEALTHCHECK. Host network: the npm registry and Debian's mirror.
  "${podman[@]}" build --format docker --network host --layers --build-arg "BASE=$base" "${secret[@]}" \
    --target "$name" --tag "$image-$name" --file Containerfile . >".container/build-$name.log" 2>&1 || {
    tail -40 ".container/build-$name.log" >&2
    echo "container-build: $name failed (whole log: .container/build-$name.log)" >&2
    exit 1
  }
  echo "container-build: $image-$name in $(($(date +%s) - started)) s," \
    "$(podman image inspect --format '{{.Size}}' "$image-$name" | awk '{printf "%.0f MB", $1/1e6}') (base $base)"
}

mkdir -p .container
if [ "$target" != api ]; then stage_tensorflow; else mkdir -p .container/tensorflow; fi
[ "$target" = worker ] || build api
[ "$target" = api ] || build worker
