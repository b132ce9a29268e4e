#!/usr/bin/env bash
# Output cost against output size: N failed logins, each alone in its own 60-second window,
# with --threshold 1, so every input row is a flagged window (N output rows). Times static
# (`--format csv`), replay (`--replay --format csv`) and stdin (`--follow -`) at each N; a
# linear output path keeps seconds / N flat (issue 8 found 1M rows taking 21 s, 2M 105 s).
#
#   bench/output_scaling.sh [--vigil PATH] [--runs K] [N...]   (default N: 250000 1000000 2000000)
set -euo pipefail
vigil=build/bin/vigil
runs=3
sizes=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --vigil) vigil=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -*) echo "usage: $0 [--vigil PATH] [--runs K] [N...]" >&2; exit 2 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(250000 1000000 2000000)
tmp=$(mktemp -d /tmp/vigil-output.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
seconds() {  # wall seconds of "$@" (stdout discarded)
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
echo "| flagged rows | static s | replay s | stdin s | static us/row | replay us/row | stdin us/row |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  data="$tmp/flagged_$n.csv"
  awk -v n="$n" 'BEGIN { print "username,successful,time,ip_address";
                         for (i = 0; i < n; i++) printf "u,False,%d,1.1.1.1\n", i * 60 }' > "$data"
  s=() r=() f=()
  for ((i = 0; i < runs; i++)); do
    s+=("$(seconds "$vigil" detect --format csv --threshold 1 "$data")")
    r+=("$(seconds "$vigil" detect --replay "$data" --format csv --threshold 1)")
    f+=("$(seconds sh -c "\"$vigil\" detect --follow - --format csv --threshold 1 < \"$data\"")")
  done
  ms=$(median "${s[@]}") mr=$(median "${r[@]}") mf=$(median "${f[@]}")
  printf '| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n' "$n" "$ms" "$mr" "$mf" \
    "$(echo "$ms * 1000000 / $n" | bc -l)" "$(echo "$mr * 1000000 / $n" | bc -l)" \
    "$(echo "$mf * 1000000 / $n" | bc -l)"
done
