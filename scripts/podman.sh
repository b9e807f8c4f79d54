#!/usr/bin/env bash
# `podman` as the build and run scripts and the container flow call it: `scripts/podman.sh <command> [args]`.
#
# - runc as the runtime: crun refuses the cgroup setup of the machines sweeplab's CI runs on. SWEEPLAB_PODMAN_RUNTIME
#   names another one (or `default` for podman's own choice).
# - Where this process lacks CAP_SYS_RESOURCE (a container host that is itself a container), podman's default
#   rlimits for a container (nofile 1048576, nproc above 32768) cannot be set and every `run` fails with "error
#   setting rlimit type 7: operation not permitted": containers then get this process's own hard limits (nproc at
#   most 32768, podman's own cap).
set -euo pipefail

runtime=()
case "${SWEEPLAB_PODMAN_RUNTIME:-runc}" in
  default) ;;
  *) runtime=(--runtime "${SWEEPLAB_PODMAN_RUNTIME:-runc}") ;;
esac

limits=()
cap_eff=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
if (((16#$cap_eff >> 24 & 1) == 0)); then
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
  [ "$nofile" = unlimited ] && nofile=1048576
  limits=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
fi

command=${1:?usage: scripts/podman.sh <podman command> [args]}
shift
case "$command" in
  run | create | build) exec podman "${runtime[@]}" "$command" "${limits[@]}" "$@" ;;
  *) exec podman "${runtime[@]}" "$command" "$@" ;;
esac
