#!/usr/bin/env bash
# Replay throughput: `vigil detect --replay FILE` (the live path: file follower, commits of at
# most 64k-row reads, behaviors with the default cutoff) against static `vigil detect FILE`
# on the same generated file, alternating runs; prints medians and their ratio.
#
#   bench/live/replay_vs_static.sh [--rows N] [--runs K] [--vigil PATH]
set -euo pipefail
rows=10000000
runs=5
vigil=build/bin/vigil
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --vigil) vigil=$2; shift 2 ;;
    *) echo "usage: $0 [--rows N] [--runs K] [--vigil PATH]" >&2; exit 2 ;;
  esac
done
tmp=$(mktemp -d /tmp/vigil-replay.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
data="$tmp/logins.csv"
"$vigil" generate --rows "$rows" --seed 1 -o "$data"
cat "$data" > /dev/null
time_of() {  # prints wall seconds of the command
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
static_times=()
replay_times=()
for ((i = 0; i < runs; i++)); do
  static_times+=("$(time_of "$vigil" detect --format csv "$data")")
  replay_times+=("$(time_of "$vigil" detect --replay "$data" --format csv)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
s=$(median "${static_times[@]}")
r=$(median "${replay_times[@]}")
echo "| mode | median s | runs s | rows/s |"
echo "|---|---:|---|---:|"
echo "| static \`vigil detect FILE\` | $s | ${static_times[*]} | $(echo "$rows / $s / 1000000" | bc -l | xargs printf '%.2f')M |"
echo "| \`vigil detect --replay FILE\` | $r | ${replay_times[*]} | $(echo "$rows / $r / 1000000" | bc -l | xargs printf '%.2f')M |"
echo
echo "replay / static time: $(echo "$r / $s" | bc -l | xargs printf '%.3f')"
