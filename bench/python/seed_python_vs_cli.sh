#!/usr/bin/env bash
# seed_python_vs_cli.sh: the seed pipeline written in Python (examples/python/
# seed_detect.py: the tutorial's cells, `import vigil as pw`, printing the window bounds as
# the CLI does) against `vigil detect` on the same generated
# logins file, alternating runs; checks both print the same table and reports the medians
# and their ratio. Issue 10's target: Python within 10 % of the CLI.
#
#   bench/python/seed_python_vs_cli.sh [--rows N] [--runs K] [--seed S]
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ROWS=10000000
RUNS=5
SEED=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    *) echo "usage: $0 [--rows N] [--runs K] [--seed S]" >&2; exit 2 ;;
  esac
done
VIGIL="$REPO/build/bin/vigil"
PY=/usr/bin/python3
[[ -x "$VIGIL" && -d "$REPO/build/python/vigil" ]] || { echo "run make build first" >&2; exit 1; }
MIMALLOC=$(ls /usr/lib/*/libmimalloc.so.2 2>/dev/null | head -1 || true)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$VIGIL" generate --rows "$ROWS" --seed "$SEED" -o "$TMP/logins.csv"

# Wall-clock seconds of one command, its stdout kept in $TMP/$2.out.
run_timed() {
  local start end
  start=$(date +%s.%N)
  "${@:3}" > "$TMP/$2.out"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l >> "$TMP/$1.times"
}
for ((i = 0; i < RUNS; i++)); do
  run_timed cli cli "$VIGIL" detect "$TMP/logins.csv"
  run_timed python python env PYTHONPATH="$REPO/build/python" "$PY" \
    "$HERE/seed_detect.py" "$TMP/logins.csv"
  # The CLI allocates through mimalloc with 2 MiB pages (src/cli/heap.cc). A Python process
  # can get huge pages from glibc's own malloc with a tunable read at startup...
  run_timed python_thp python_thp env PYTHONPATH="$REPO/build/python" \
    GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "$PY" "$HERE/seed_detect.py" "$TMP/logins.csv"
  # ... or allocate through mimalloc too, by
  # preloading Debian's libmimalloc with 2 MiB pages, as the CLI sets them (a process-wide
  # choice the module cannot make itself).
  if [[ -n "$MIMALLOC" ]]; then
    run_timed python_mimalloc python_mimalloc env PYTHONPATH="$REPO/build/python" \
      LD_PRELOAD="$MIMALLOC" MIMALLOC_LARGE_OS_PAGES=1 "$PY" "$HERE/seed_detect.py" "$TMP/logins.csv"
  fi
done
cmp "$TMP/cli.out" "$TMP/python.out" || { echo "outputs differ" >&2; exit 1; }
median() { sort -g "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
cli=$(median "$TMP/cli.times")
python=$(median "$TMP/python.times")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "rows: $ROWS (vigil generate --seed $SEED), runs: $RUNS alternating, identical output: yes ($(wc -l < "$TMP/cli.out") lines)"
printf 'vigil detect   median %.3f s  (%.1f M rows/s)\n' "$cli" "$(echo "$ROWS / $cli / 1000000" | bc -l)"
printf 'python (pw)    median %.3f s  (%.1f M rows/s)\n' "$python" "$(echo "$ROWS / $python / 1000000" | bc -l)"
printf 'python / cli:  %.3f\n' "$(echo "$python / $cli" | bc -l)"
cmp "$TMP/cli.out" "$TMP/python_thp.out" || { echo "outputs differ" >&2; exit 1; }
thp=$(median "$TMP/python_thp.times")
printf 'python, GLIBC_TUNABLES=glibc.malloc.hugetlb=1  median %.3f s, / cli: %.3f\n' "$thp" \
  "$(echo "$thp / $cli" | bc -l)"
if [[ -n "$MIMALLOC" ]]; then
  cmp "$TMP/cli.out" "$TMP/python_mimalloc.out" || { echo "outputs differ" >&2; exit 1; }
  mi=$(median "$TMP/python_mimalloc.times")
  printf 'python, LD_PRELOAD=%s MIMALLOC_LARGE_OS_PAGES=1  median %.3f s, / cli: %.3f\n' "$(basename "$MIMALLOC")" "$mi" \
    "$(echo "$mi / $cli" | bc -l)"
fi
