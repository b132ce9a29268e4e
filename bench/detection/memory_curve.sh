#!/usr/bin/env bash
# memory_curve.sh: RSS of `vigil detect --follow -` over a long sshd auth.log, sampled with
# the bytes it has read, to check that memory stays flat as event time passes (finished
# windows, held probes and join state are forgotten). Prints a Markdown table: the RSS at
# every 10% of the input, and the peak.
#
#   bench/detection/memory_curve.sh [--lines N] [--seed S] [--data LOG] [--vigil PATH]
#
# Without --data it generates N lines (default 10,000,000: about 70 days of event time) with
# gen_authlog.py (RFC 3339 stamps, so stdin needs no --year). The log goes through stdin at
# full speed: the live path (--follow, behaviors, forgetting) as fast as it runs.
set -euo pipefail
# shellcheck source=../rss_samples.sh
source "$(dirname "${BASH_SOURCE[0]}")/../rss_samples.sh"
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
lines=10000000
seed=1
data=""
vigil="$REPO/build/bin/vigil"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --lines) lines=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --vigil) vigil=$2; shift 2 ;;
    *) echo "usage: $0 [--lines N] [--seed S] [--data LOG] [--vigil PATH]" >&2; exit 2 ;;
  esac
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-authmem.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [[ -z "$data" ]]; then
  data="$tmp/auth.log"
  /usr/bin/python3 "$HERE/gen_authlog.py" --lines "$lines" --seed "$seed" --timestamps rfc3339 \
    --out "$data" --labels "$tmp/labels.json" >&2
fi
total=$(stat -c %s "$data")
total_lines=$(wc -l < "$data")

"$vigil" detect --follow - --input-format syslog --format jsonl --emit final \
  < "$data" > "$tmp/alerts.jsonl" 2> "$tmp/stderr" &
pid=$!
start=$(date +%s.%N)
sample_rss "$pid" "$tmp/samples"
status=0
wait "$pid" || status=$?
end=$(date +%s.%N)
[[ $status -eq 0 ]] || { echo "vigil detect failed ($status):" >&2; tail -5 "$tmp/stderr" >&2; exit 1; }

echo "# vigil detect --follow - : memory over a ${total_lines}-line sshd auth.log"
echo
echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); repo at $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "- Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
echo "- Command: \`vigil detect --follow - --input-format syslog --format jsonl --emit final < LOG\`"
echo "- Log: $(basename "$data"), $total bytes; $(head -c 32 "$data" | cut -c1-19) .. $(tail -n 1 "$data" | cut -c1-19)"
echo "- Wall time: $(echo "$end - $start" | bc) s; alerts: $(wc -l < "$tmp/alerts.jsonl")"
echo "- RSS sampled every 0.1 s from /proc; input read = bytes read (rchar) / log size"
echo
awk -v total="$total" '
  { if ($2 > peak) peak = $2
    for (k = 1; k <= 10; k++) if (!(k in at) && $1 >= total * k / 10 * 0.999) { at[k] = $2 }
    if (!first && $1 >= total / 100) first = $2 }
  END {
    print "| input read | RSS MB |"; print "|---:|---:|"
    if (first) printf "| 1 %% | %.1f |\n", first / 1024
    for (k = 1; k <= 10; k++) if (k in at) printf "| %d %% | %.1f |\n", k * 10, at[k] / 1024
    printf "\nPeak RSS sampled: %.1f MB\n", peak / 1024
  }' "$tmp/samples"
