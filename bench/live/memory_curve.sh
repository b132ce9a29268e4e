#!/usr/bin/env bash
# The live memory benchmark: N events (default 100M) spread over D days of event time (default
# 30) go through `vigil detect --follow -` (stdin, the live path, default cutoff = the window
# length), while the RSS of the vigil process is sampled with the bytes it has read. Prints the
# RSS at every 10% of the events and the peak, as a Markdown table.
#
#   bench/live/memory_curve.sh [--rows N] [--days D] [--vigil PATH]
set -euo pipefail
# shellcheck source=../rss_samples.sh
source "$(dirname "${BASH_SOURCE[0]}")/../rss_samples.sh"
rows=100000000
days=30
vigil=build/bin/vigil
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --vigil) vigil=$2; shift 2 ;;
    *) echo "usage: $0 [--rows N] [--days D] [--vigil PATH]" >&2; exit 2 ;;
  esac
done
span=$((days * 86400))
tmp=$(mktemp -d /tmp/vigil-memory.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Bytes per row of this generator at this size (measured on a 1M-row prefix of the same shape),
# to turn "bytes read" into "events read".
bytes_per_row=$("$vigil" generate --rows 1000000 --seed 1 --span "$span" | wc -c | awk '{print $1 / 1000000}')

"$vigil" generate --rows "$rows" --seed 1 --span "$span" |
  "$vigil" detect --follow - --format jsonl > "$tmp/alerts.jsonl" &
sleep 0.05
pid=$(pgrep -n -f "detect --follow -" || true)
[[ -n "$pid" ]] || { echo "vigil detect did not start" >&2; exit 1; }
start=$(date +%s.%N)
sample_rss "$pid" "$tmp/samples"
wait || true
end=$(date +%s.%N)
alerts=$(grep -c '"diff":1' "$tmp/alerts.jsonl" || true)

echo "# vigil detect --follow - : memory over $rows events, $days days of event time"
echo
echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); repo at $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "- Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
echo "- Command: \`vigil generate --rows $rows --seed 1 --span $span | vigil detect --follow - --format jsonl\`"
echo "- Wall time: $(echo "$end - $start" | bc) s; alert insertions printed: $alerts"
echo "- RSS sampled every 0.1 s from /proc; events read = bytes read / $bytes_per_row bytes per row"
echo
awk -v rows="$rows" -v bpr="$bytes_per_row" '
  { ev = $1 / bpr; if ($2 > peak) peak = $2
    for (k = 1; k <= 10; k++) if (!(k in at) && ev >= rows * k / 10 * 0.999) { at[k] = $2 }
    if (!first && ev >= rows / 100) first = $2 }
  END {
    print "| events read | RSS MB |"; print "|---:|---:|"
    if (first) printf "| %.1f M | %.1f |\n", rows / 100 / 1e6, first / 1024
    for (k = 1; k <= 10; k++) if (k in at) printf "| %.1f M | %.1f |\n", rows * k / 10 / 1e6, at[k] / 1024
    printf "\nPeak RSS sampled: %.1f MB\n", peak / 1024
  }' "$tmp/samples"
