#!/usr/bin/env bash
# Runs a command N times under /usr/bin/time and prints the median and range of its wall time and peak RSS, with
# the machine's load. Used for the CLI's start-up figures in BENCHMARKS.md, e.g.
#   scripts/bench-command.sh 10 node packages/cli/bin/sweeplab.mjs --host http://127.0.0.1:8787 runs ls
set -u
n=$1
shift
err=$(mktemp)
walls=()
rss=()
for _ in $(seq 1 "$n"); do
  /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$err"
  read -r wall kb < <(tail -1 "$err")
  walls+=("$wall")
  rss+=("$kb")
done
echo "load: $(uptime | sed 's/.*load average: //')"
printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {printf "wall s: median %.3f range %.2f-%.2f (n=%d)\n", (NR%2?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2), a[1], a[NR], NR}'
printf '%s\n' "${rss[@]}" | sort -n | awk '{a[NR]=$1/1024} END {printf "peak RSS MB: median %.0f range %.0f-%.0f\n", (NR%2?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2), a[1], a[NR]}'
rm -f "$err"
