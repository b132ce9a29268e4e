#!/usr/bin/env bash
# Memory per group of `vigil detect`: peak RSS on a file with N distinct keys (IPs), all in
# one window, minus the peak RSS on a one-row file, divided by N.
#
#   bench/memory_per_key.sh [VIGIL_BINARY] [N...]     (default: build/bin/vigil, 1000000)
#
# Why: a window with millions of distinct keys (a scan, a botnet) must fit in memory; each
# group holds its key, count and id (GroupByReduceOperator). Needs GNU time (/usr/bin/time).
set -euo pipefail

vigil="${1:-build/bin/vigil}"
shift || true
sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(1000000)
[[ -x "$vigil" ]] || { echo "no vigil binary at $vigil" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

# Peak RSS in kB of `vigil detect FILE`.
peak_kb() {
  /usr/bin/time -f '%M' -o "$dir/time.txt" "$vigil" detect "$1" > /dev/null
  cat "$dir/time.txt"
}

# A login CSV with N failed logins at time 0 from N distinct IP addresses.
make_input() {
  awk -v n="$1" 'BEGIN {
    print "username,successful,time,ip_address"
    for (i = 0; i < n; i++)
      printf "u,False,0,%d.%d.%d.%d\n", int(i / 16777216) % 256, int(i / 65536) % 256,
             int(i / 256) % 256, i % 256
  }' > "$2"
}

make_input 1 "$dir/one.csv"
base_kb="$(peak_kb "$dir/one.csv")"
printf '%12s %14s %16s\n' "groups" "peak RSS (MB)" "bytes per group"
for n in "${sizes[@]}"; do
  make_input "$n" "$dir/keys.csv"
  kb="$(peak_kb "$dir/keys.csv")"
  awk -v n="$n" -v kb="$kb" -v base="$base_kb" \
    'BEGIN { printf "%12d %14.1f %16.1f\n", n, kb / 1024, (kb - base) * 1024 / n }'
  rm -f "$dir/keys.csv"
done
