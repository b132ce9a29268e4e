#!/usr/bin/env bash
# speed.sh: lines per second of `vigil detect` on a large sshd syslog, against mawk computing the
# tutorial rule on the raw log, sshguard's parser and `cat`, in one run; medians of 3 rounds.
# Writes bench/out/detection/speed_<lines>.md and prints it. See bench/detection/README.md.
#
#   bench/detection/speed.sh                      # 5,000,000 lines
#   bench/detection/speed.sh --lines 10000000 --runs 5
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3
ORIG_ARGS="$*"

LINES=5000000
RUNS=3
SEED=1
STAMPS=traditional
VIGIL=""
DATA=""
OUT_DIR="$REPO/bench/out/detection"
TMP_PARENT="${TMPDIR:-/tmp}"
KEEP=0
FAIL2BAN_LINES=0

usage() {
  cat <<EOF
usage: $0 [options]
  --lines N            lines to generate (default 5000000; the generator writes about N)
  --runs K             rounds; medians are reported (default 3)
  --seed S             generator seed (default 1)
  --timestamps T       traditional | rfc3339 (default traditional)
  --data LOG           time an existing sshd syslog instead of generating one
  --vigil PATH         vigil binary (default build-detbench/bin/vigil, else build/bin/vigil)
  --fail2ban-lines N   also time fail2ban-regex (sshd filter) on the first N lines (default 0:
                       skipped; it runs ~0.03M lines/s)
  --out DIR            report folder (default bench/out/detection)
  --tmp DIR            parent of the scratch folder (default \$TMPDIR or /tmp)
  --keep               keep the scratch folder
EOF
}
die() { echo "speed: error: $*" >&2; exit 1; }
note() { echo "speed: $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --lines) LINES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --timestamps) STAMPS=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --vigil) VIGIL=$2; shift 2 ;;
    --fail2ban-lines) FAIL2BAN_LINES=$2; shift 2 ;;
    --out) OUT_DIR=$2; shift 2 ;;
    --tmp) TMP_PARENT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
if [[ -z "$VIGIL" ]]; then
  for candidate in "$REPO/build-detbench/bin/vigil" "$REPO/build/bin/vigil"; do
    if [[ -x "$candidate" ]]; then VIGIL=$candidate; break; fi
  done
fi

mkdir -p "$OUT_DIR"
SCRATCH=$(mktemp -d "$TMP_PARENT/vigil-detspeed.XXXXXX")
cleanup() { [[ $KEEP -eq 1 ]] && note "kept $SCRATCH" || rm -rf "$SCRATCH"; }
trap cleanup EXIT

if [[ -n "$DATA" ]]; then
  LOG=$DATA
else
  LOG="$SCRATCH/auth.log"
  # ~110 bytes a line: refuse when the disk cannot hold it with room to spare.
  need_kb=$(( LINES / 1000 * 120 / 1 + 512 * 1024 ))
  free_kb=$(df -Pk "$SCRATCH" | awk 'NR == 2 { print $4 }')
  (( free_kb > need_kb )) || die "need ~$need_kb KB free in $SCRATCH, have $free_kb KB"
  note "generating ~$LINES lines ($STAMPS)"
  gen_start=$EPOCHREALTIME
  "$PY" "$HERE/gen_authlog.py" --lines "$LINES" --seed "$SEED" --timestamps "$STAMPS" \
    --out "$LOG" --labels "$SCRATCH/labels.json"
  GEN_SECONDS=$(echo "$EPOCHREALTIME - $gen_start" | bc)
fi
YEAR=$(date -u -r "$LOG" +%Y)
ACTUAL_LINES=$(wc -l < "$LOG")
BYTES=$(stat -c %s "$LOG")

# name -> command (run with bash -c; $LOG, $YEAR exported)
export LOG YEAR HERE VIGIL
declare -A COMMAND
ORDER=(cat mawk)
COMMAND[cat]='cat "$LOG" > /dev/null'
COMMAND[mawk]='mawk -v year="$YEAR" -f "$HERE/tutorial_rule.awk" "$LOG" > /dev/null'
if [[ -n "$VIGIL" && -x "$VIGIL" ]] && \
    "$VIGIL" detect --format jsonl "$LOG" > "$SCRATCH/vigil_probe.jsonl" 2> "$SCRATCH/vigil_probe.err"; then
  ORDER+=(vigil vigil-single-commit)
  # The default reads the log in commits, windows closed as it goes (flat memory);
  # --single-commit keeps every window to the end (docs/PERFORMANCE.md, "Bounded static
  # reads").
  COMMAND[vigil]='"$VIGIL" detect --format jsonl "$LOG" > /dev/null'
  COMMAND[vigil-single-commit]='"$VIGIL" detect --single-commit --format jsonl "$LOG" > /dev/null'
else
  note "vigil skipped: $( [[ -x "$VIGIL" ]] && head -c 300 "$SCRATCH/vigil_probe.err" || echo 'no binary')"
fi
if [[ -x /usr/libexec/sshguard/sshg-parser ]]; then
  ORDER+=(sshguard-parser)
  COMMAND[sshguard-parser]='/usr/libexec/sshguard/sshg-parser < "$LOG" > /dev/null'
fi

declare -A TIMES
for ((round = 1; round <= RUNS; round++)); do
  cat "$LOG" > /dev/null   # page cache warm for everyone
  for name in "${ORDER[@]}"; do
    start=$EPOCHREALTIME
    bash -c "${COMMAND[$name]}" || die "$name failed"
    TIMES[$name]+="$(echo "$EPOCHREALTIME - $start" | bc) "
  done
  note "round $round: $(for n in "${ORDER[@]}"; do t=${TIMES[$n]% }; printf '%s %s s  ' "$n" "${t##* }"; done)"
done

F2B_NOTE=""
if (( FAIL2BAN_LINES > 0 )) && command -v fail2ban-regex > /dev/null; then
  head -n "$FAIL2BAN_LINES" "$LOG" > "$SCRATCH/head.log"
  touch -r "$LOG" "$SCRATCH/head.log"
  start=$EPOCHREALTIME
  fail2ban-regex -r --print-no-missed "$SCRATCH/head.log" sshd > /dev/null 2>&1 || true
  f2b=$(echo "$EPOCHREALTIME - $start" | bc)
  F2B_NOTE=$(printf 'fail2ban-regex (sshd filter), first %d lines, one run: %.1f s = %.3f M lines/s' \
    "$FAIL2BAN_LINES" "$f2b" "$(echo "$FAIL2BAN_LINES / $f2b / 1000000" | bc -l)")
fi

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
REPORT="$OUT_DIR/speed_${ACTUAL_LINES}.md"
{
  echo "# sshd syslog speed: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Command: \`bench/detection/speed.sh $ORIG_ARGS\`; repo $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?');" \
       "$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }'), $(nproc) cores; load before/after below."
  echo
  echo "Log: $ACTUAL_LINES lines, $((BYTES / 1000000)) MB, $STAMPS stamps${GEN_SECONDS:+, generated in $(printf '%.0f' "$GEN_SECONDS") s}."
  echo
  echo "| tool | median s | runs (s) | M lines/s | MB/s |"
  echo "|---|---|---|---|---|"
  for name in "${ORDER[@]}"; do
    m=$(echo "${TIMES[$name]}" | median)
    printf '| %s | %.3f | %s | %.2f | %.0f |\n' "$name" "$m" "${TIMES[$name]% }" \
      "$(echo "$ACTUAL_LINES / $m / 1000000" | bc -l)" "$(echo "$BYTES / $m / 1000000" | bc -l)"
  done
  if [[ -n "${TIMES[vigil]:-}" ]]; then
    mv=$(echo "${TIMES[vigil]}" | median); mm=$(echo "${TIMES[mawk]}" | median)
    echo
    printf 'vigil / mawk speed ratio: %.2f (mawk %.3f s / vigil %.3f s)\n' \
      "$(echo "$mm / $mv" | bc -l)" "$mm" "$mv"
  fi
  [[ -n "$F2B_NOTE" ]] && { echo; echo "$F2B_NOTE"; }
  echo
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "vigil: \`vigil detect --format jsonl LOG > /dev/null\` (every rule, default settings);" \
       "mawk: \`tutorial_rule.awk\` (failed attempts per IP per UTC minute >= 5, repeats expanded);" \
       "sshguard-parser: \`sshg-parser < LOG\` (parsing only, no blocker); cat: the read ceiling."
} | tee "$REPORT"
note "report: $REPORT"
