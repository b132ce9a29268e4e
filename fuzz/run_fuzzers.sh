#!/usr/bin/env bash
# Runs the libFuzzer targets built by the `fuzz` preset, each for SECONDS, JOBS at a time.
# Each target starts from a scratch copy of fuzz/corpus/<target>/ (the repository's corpus
# never grows). Exits 1 if any target finds a crash, leak, timeout or out-of-memory; the
# reproducer and the log are copied to BUILD_DIR/fuzz-findings/<target>/.
#
# Usage: fuzz/run_fuzzers.sh BUILD_DIR SECONDS JOBS [TARGET...]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
seconds=$2
jobs=$3
shift 3
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(csv_tokenizer_fuzz csv_source_fuzz value_parser_fuzz markdown_fuzz jsonlines_fuzzer
           csv_live_fuzz syslog_line_fuzz journal_json_fuzz sshd_message_fuzz)
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/vigil-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

dict_of() {
  case $1 in
    markdown_fuzz) echo "$root/fuzz/dict/markdown.dict" ;;
    jsonlines_fuzzer) echo "$root/fuzz/dict/jsonlines.dict" ;;
    syslog_line_fuzz) echo "$root/fuzz/dict/syslog.dict" ;;
    journal_json_fuzz) echo "$root/fuzz/dict/journal.dict" ;;
    sshd_message_fuzz) echo "$root/fuzz/dict/sshd.dict" ;;
    *) echo "$root/fuzz/dict/csv.dict" ;;
  esac
}

run_one() {
  local target=$1 dir=$scratch/$1
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp "$root/fuzz/corpus/$target/." "$dir/corpus/" -r
  local rc=0
  "$build/fuzz/$target" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
    -max_len=4096 -dict="$(dict_of "$target")" -artifact_prefix="$dir/artifacts/" \
    -print_final_stats=1 "$dir/corpus" >"$dir/log" 2>&1 || rc=$?
  echo "$rc" >"$dir/rc"
}

echo "fuzz: ${#targets[@]} targets, ${seconds}s each, $jobs at a time" >&2
for target in "${targets[@]}"; do
  if [ ! -x "$build/fuzz/$target" ]; then
    echo "fuzz: $build/fuzz/$target is missing (build the fuzz preset first)" >&2
    exit 2
  fi
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_one "$target" &
done
wait

failed=0
for target in "${targets[@]}"; do
  dir=$scratch/$target
  rc=$(cat "$dir/rc")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
  # cov and ft of libFuzzer's last status line (the scratch log is deleted on exit).
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$dir/log" | tail -1)
  corpus=$(find "$dir/corpus" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    printf 'fuzz: %-20s ok      %10s execs  %s exec/s  %s  corpus %s\n' "$target" "${runs:-?}" \
      "${rate:-?}" "$cov" "$corpus" >&2
  else
    failed=1
    findings=$build/fuzz-findings/$target
    mkdir -p "$findings"
    cp "$dir/log" "$findings/log"
    cp "$dir"/artifacts/* "$findings/" 2>/dev/null || true
    printf 'fuzz: %-20s FAILED (exit %s) after %s execs; reproducer and log in %s\n' \
      "$target" "$rc" "${runs:-?}" "$findings" >&2
    grep -v '^#' "$dir/log" | tail -40 >&2
  fi
done
exit "$failed"
