#!/usr/bin/env bash
# compare_peers.sh: times `vigil detect` against mawk, sqlite3 and DuckDB (1 and 2 threads) on the
# same generated logins file, checks that every tool prints exactly the same CSV, and writes
# rows/s, MB/s and peak RSS per tool with the machine description to bench/out/peers_<rows>.md.
# See bench/peers/README.md. Run `make build` first.
#
#   bench/peers/compare_peers.sh                  # 10M rows, then 50M rows
#   bench/peers/compare_peers.sh --rows 1000000   # one size (repeat --rows for several)
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

ORIG_ARGS="$*"
ROWS_LIST=()
KEEP=0
RUNS=3
SEED=1
GENERATOR=auto
DATA_FILE=""
VIGIL="$REPO/build/bin/vigil"
EXAMPLE_GEN="$REPO/build/bin/generate_logins"
OUT_DIR="$REPO/bench/out"
TMP_PARENT="${TMPDIR:-/tmp}"
DUCKDB_NODE_VERSION="${DUCKDB_NODE_VERSION:-1.5.6-r.1}"
SKIP_VIGIL=0
WAIT_IDLE=0

usage() {
  cat <<EOF
usage: $0 [options]
  --rows N           rows to generate and time (repeatable; default: 10000000 then 50000000)
  --runs K           timed runs per tool; the median is reported (default 3)
  --seed S           generator seed (default 1)
  --generator G      auto | vigil | example (default auto: \`vigil generate\` when it works,
                     else build/bin/generate_logins)
  --data FILE        time an existing logins CSV instead of generating one (one size only)
  --vigil PATH       vigil binary (default build/bin/vigil)
  --skip-vigil       do not run vigil even if it exists
  --out DIR          report folder and npm scratch folder (default bench/out)
  --tmp DIR          parent of the scratch data folder (default \$TMPDIR or /tmp)
  --keep             keep the scratch folder (data file and every tool's output)
  --wait-idle SECS   before each size's timed runs, wait up to SECS for the machine to be idle
                     (other processes below 10% of all cores over 3 s); then run anyway
  -h, --help         this help
Writes DIR/peers_<rows>.md and prints it. Exits 1 if any tool fails or disagrees.
EOF
}

die() { echo "compare_peers: error: $*" >&2; exit 1; }
note() { echo "compare_peers: $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) [[ $# -ge 2 ]] || die "--rows needs a value"; ROWS_LIST+=("$2"); shift 2 ;;
    --runs) [[ $# -ge 2 ]] || die "--runs needs a value"; RUNS=$2; shift 2 ;;
    --seed) [[ $# -ge 2 ]] || die "--seed needs a value"; SEED=$2; shift 2 ;;
    --generator) [[ $# -ge 2 ]] || die "--generator needs a value"; GENERATOR=$2; shift 2 ;;
    --data) [[ $# -ge 2 ]] || die "--data needs a value"; DATA_FILE=$2; shift 2 ;;
    --vigil) [[ $# -ge 2 ]] || die "--vigil needs a value"; VIGIL=$2; shift 2 ;;
    --skip-vigil) SKIP_VIGIL=1; shift ;;
    --out) [[ $# -ge 2 ]] || die "--out needs a value"; OUT_DIR=$2; shift 2 ;;
    --tmp) [[ $# -ge 2 ]] || die "--tmp needs a value"; TMP_PARENT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --wait-idle) [[ $# -ge 2 ]] || die "--wait-idle needs a value"; WAIT_IDLE=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
[[ "$WAIT_IDLE" =~ ^[0-9]+$ ]] || die "--wait-idle must be a number of seconds"
for r in "${ROWS_LIST[@]+"${ROWS_LIST[@]}"}"; do
  [[ "$r" =~ ^[1-9][0-9]*$ ]] || die "--rows must be a positive integer, got '$r'"
done
if [[ -n "$DATA_FILE" ]]; then
  [[ -r "$DATA_FILE" ]] || die "cannot read --data $DATA_FILE"
  [[ ${#ROWS_LIST[@]} -eq 0 ]] || die "--data and --rows are exclusive"
  DATA_FILE=$(cd "$(dirname "$DATA_FILE")" && pwd)/$(basename "$DATA_FILE")
  ROWS_LIST=(from-file)
elif [[ ${#ROWS_LIST[@]} -eq 0 ]]; then
  ROWS_LIST=(10000000 50000000)
fi
case "$GENERATOR" in auto|vigil|example) ;; *) die "--generator must be auto, vigil or example" ;; esac

# ---------------------------------------------------------------------------------------------
# Tools: install what is missing (Debian packages; DuckDB from npm into $OUT_DIR/node_modules).

APT_UPDATED=0
ensure_cmd() {  # ensure_cmd COMMAND DEBIAN_PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null || die "$1 is missing: apt-get install $2"
  note "installing Debian package $2 (for $1)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null; then
    [[ $APT_UPDATED -eq 1 ]] || { apt-get update -q >/dev/null; APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null || die "could not install $2"
  fi
  command -v "$1" >/dev/null 2>&1 || die "$1 still missing after installing $2"
}
ensure_cmd mawk mawk
ensure_cmd sqlite3 sqlite3
ensure_cmd node nodejs
ensure_cmd npm npm
[[ -x /usr/bin/time ]] || { ensure_cmd time time; [[ -x /usr/bin/time ]] || die "/usr/bin/time missing"; }

mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
DUCKDB_PREFIX="$OUT_DIR"
installed_duckdb_version() {
  local pj="$DUCKDB_PREFIX/node_modules/@duckdb/node-api/package.json"
  [[ -f "$pj" ]] && node -e 'console.log(require(process.argv[1]).version)' "$pj" || true
}
if [[ "$(installed_duckdb_version)" != "$DUCKDB_NODE_VERSION" ]]; then
  note "npm install @duckdb/node-api@$DUCKDB_NODE_VERSION into $DUCKDB_PREFIX/node_modules"
  npm install --prefix "$DUCKDB_PREFIX" --no-audit --no-fund --no-save --loglevel=error \
    "@duckdb/node-api@$DUCKDB_NODE_VERSION" "@duckdb/node-bindings-linux-x64@$DUCKDB_NODE_VERSION" \
    >&2 || die "npm install of DuckDB failed"
fi

# ---------------------------------------------------------------------------------------------
# Which generator and whether vigil detect exists yet.

SCRATCH=$(mktemp -d "$TMP_PARENT/vigil-peers.XXXXXX")
cleanup() {
  if [[ $KEEP -eq 1 ]]; then note "kept scratch folder $SCRATCH"; else rm -rf "$SCRATCH"; fi
}
trap cleanup EXIT

header_ok() {  # header_ok FILE: first line names successful, time and ip_address
  head -n 1 "$1" | tr -d '\r' | tr ',' '\n' | sort -u |
    grep -cxE 'successful|time|ip_address' | grep -qx 3
}

VIGIL_GENERATE_OK=0
if [[ -x "$VIGIL" ]] && "$VIGIL" generate --rows 50 --seed 1 >"$SCRATCH/probe_gen.csv" 2>/dev/null &&
   [[ $(wc -l <"$SCRATCH/probe_gen.csv") -eq 51 ]] && header_ok "$SCRATCH/probe_gen.csv"; then
  VIGIL_GENERATE_OK=1
fi
case "$GENERATOR" in
  auto) if [[ $VIGIL_GENERATE_OK -eq 1 ]]; then GENERATOR=vigil; else GENERATOR=example; fi ;;
  vigil) [[ $VIGIL_GENERATE_OK -eq 1 ]] || die "\`$VIGIL generate\` does not work yet (probe failed)" ;;
esac
if [[ -z "$DATA_FILE" && $GENERATOR == example ]]; then
  [[ -x "$EXAMPLE_GEN" ]] || die "$EXAMPLE_GEN missing: run make build"
fi

VIGIL_NOTE=""
RUN_VIGIL=0
if [[ $SKIP_VIGIL -eq 1 ]]; then
  VIGIL_NOTE="vigil skipped (--skip-vigil)"
elif [[ ! -x "$VIGIL" ]]; then
  VIGIL_NOTE="vigil skipped: $VIGIL does not exist (run make build)"
else
  printf 'username,successful,time,ip_address\n' >"$SCRATCH/probe_detect.csv"
  for i in 0 1 2 3 4 5 6; do
    printf 'user_B,False,%d,50.37.169.241\n' $((1545729965 + 7 * i)) >>"$SCRATCH/probe_detect.csv"
  done
  printf 'ip_address,window_start,window_end,count\n50.37.169.241,1545729960,1545730020,7\n' \
    >"$SCRATCH/probe_expect.csv"
  if "$VIGIL" detect --format csv "$SCRATCH/probe_detect.csv" >"$SCRATCH/probe_detect.out" \
       2>"$SCRATCH/probe_detect.err"; then
    RUN_VIGIL=1
    if ! cmp -s "$SCRATCH/probe_detect.out" "$SCRATCH/probe_expect.csv"; then
      note "WARNING: vigil detect runs but its output on a 7-row probe differs from the expected:"
      diff "$SCRATCH/probe_expect.csv" "$SCRATCH/probe_detect.out" >&2 || true
    fi
  else
    VIGIL_NOTE="vigil skipped: \`vigil detect --format csv\` does not work yet (probe exited $?: $(head -c 200 "$SCRATCH/probe_detect.err" | tr '\n' ' '))"
  fi
fi
[[ -z "$VIGIL_NOTE" ]] || note "$VIGIL_NOTE"

# ---------------------------------------------------------------------------------------------
# Tools. run_tool TOOL FILE OUT TIMEFILE ERRFILE runs one complete query under GNU time, writing
# the CSV result to OUT (and the tool's own timing, if any, to OUT.timer / OUT.json).

run_tool() {
  local t=$1 file=$2 out=$3 tf=$4 err=$5
  local T=(/usr/bin/time -f '%e %M' -o "$tf")
  case "$t" in
    vigil) "${T[@]}" "$VIGIL" detect --format csv "$file" >"$out" 2>"$err" ;;
    mawk) "${T[@]}" mawk -f "$HERE/detect.awk" "$file" >"$out" 2>"$err" ;;
    sqlite3)
      "${T[@]}" sqlite3 -bail -cmd ".import --csv \"$file\" logins" -cmd ".output \"$out\"" :memory: \
        <"$HERE/sqlite_query.sql" >"$out.timer" 2>"$err" ;;
    duckdb1|duckdb2)
      "${T[@]}" node "$HERE/duckdb_query.mjs" --threads "${t#duckdb}" --modules "$DUCKDB_PREFIX" \
        "$file" "$out" >"$out.json" 2>"$err" ;;
    cat) "${T[@]}" cat "$file" >/dev/null 2>"$err"; : >"$out" ;;
    *) die "unknown tool $t" ;;
  esac
}

inner_seconds() {  # inner_seconds TOOL OUT: the tool's own query time, or empty
  case "$1" in
    sqlite3) [[ -f "$2.timer" ]] && awk '/^Run Time: real/ { print $4 }' "$2.timer" | tail -n 1 ;;
    duckdb*) [[ -f "$2.json" ]] && node -e \
      'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).query_seconds.toFixed(3))' "$2.json" ;;
  esac
  return 0
}

declare -A LABEL=(
  [vigil]="vigil detect"
  [mawk]="mawk (+ sort)"
  [sqlite3]="sqlite3 (import + query, :memory:)"
  [duckdb1]="DuckDB, threads=1"
  [duckdb2]="DuckDB, threads=2"
  [cat]="cat > /dev/null (I/O ceiling)"
)

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

machine_desc() {
  local model cpus cores_per_socket sockets tpc mem
  model=$(lscpu | awk -F: '/^Model name/ { sub(/^[ \t]+/, "", $2); print $2; exit }')
  cpus=$(nproc --all)
  cores_per_socket=$(lscpu | awk -F: '/^Core\(s\) per socket/ { gsub(/[ \t]/, "", $2); print $2; exit }')
  sockets=$(lscpu | awk -F: '/^Socket\(s\)/ { gsub(/[ \t]/, "", $2); print $2; exit }')
  tpc=$(lscpu | awk -F: '/^Thread\(s\) per core/ { gsub(/[ \t]/, "", $2); print $2; exit }')
  mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  local hv
  hv=$(lscpu | awk -F: '/^Hypervisor vendor/ { gsub(/[ \t]/, "", $2); print " (VM, " $2 ")"; exit }')
  echo "${model:-unknown CPU}, ${cpus} logical CPUs ($((${sockets:-1} * ${cores_per_socket:-0})) cores, ${tpc:-1} thread(s) per core), ${mem} RAM, Linux $(uname -r)${hv}"
}

FAILED=0

wait_idle() {  # waits up to $WAIT_IDLE s until the whole machine is < 10% busy over 3 s
  (( WAIT_IDLE > 0 )) || return 0
  local start=$SECONDS b0 b1 pct
  while :; do
    b0=$(cpu_busy_seconds); sleep 3; b1=$(cpu_busy_seconds)
    pct=$(awk -v a="$b0" -v b="$b1" -v n="$(nproc)" 'BEGIN { printf "%.0f", 100 * (b - a) / (3 * n) }')
    if (( pct < 10 )); then note "machine idle (${pct}% busy)"; return 0; fi
    if (( SECONDS - start >= WAIT_IDLE )); then
      note "WARNING: machine still ${pct}% busy after waiting ${WAIT_IDLE} s; running anyway"
      return 0
    fi
    note "machine ${pct}% busy; waiting for it to be idle"
    sleep 7
  done
}

# CPU seconds (user + system, all cores) spent by the whole machine since boot, and by this
# script's finished children; their difference over the timed runs is what others used.
CLK_TCK=$(getconf CLK_TCK)
cpu_busy_seconds() { awk -v hz="$CLK_TCK" '$1 == "cpu" { printf "%.2f\n", ($2 + $3 + $4 + $7 + $8) / hz; exit }' /proc/stat; }
# `times` must run in this shell, not in a $(...) subshell, which has no finished children.
my_children_cpu_seconds() {  # my_children_cpu_seconds FILE: parse `times` output saved in FILE
  awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); s += p[1] * 60 + p[2] } printf "%.2f\n", s }' "$1"
}

group() { awk -v n="$1" 'BEGIN { s = ""; while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) } print n s }'; }

run_size() {  # run_size ROWS|from-file
  local want=$1 file gen_cmd gen_secs=""
  if [[ "$want" == from-file ]]; then
    file=$DATA_FILE
    gen_cmd="existing file $DATA_FILE"
  else
    # ~40 bytes a row from the generators; budget 64 plus 512 MB of slack.
    local need_kb=$(( want * 64 / 1024 + 512 * 1024 ))
    local avail_kb
    avail_kb=$(df -Pk "$SCRATCH" | awk 'NR == 2 { print $4 }')
    if (( avail_kb < need_kb )); then
      die "not enough disk in $SCRATCH for $want rows: $((avail_kb / 1024)) MB free, need ~$((need_kb / 1024)) MB"
    fi
    file="$SCRATCH/logins_${want}.csv"
    if [[ $GENERATOR == vigil ]]; then
      gen_cmd="build/bin/vigil generate --rows $want --seed $SEED"
      note "generating $want rows: $gen_cmd"
      local t0=$EPOCHREALTIME
      "$VIGIL" generate --rows "$want" --seed "$SEED" >"$file"
    else
      gen_cmd="build/bin/generate_logins $want $SEED (example generator; vigil generate not available)"
      note "generating $want rows: build/bin/generate_logins $want $SEED"
      local t0=$EPOCHREALTIME
      "$EXAMPLE_GEN" "$want" "$SEED" >"$file"
    fi
    gen_secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
  fi
  header_ok "$file" || die "$file: header does not name successful, time and ip_address"
  local bytes rows
  bytes=$(stat -c %s "$file")
  rows=$(( $(wc -l <"$file") - 1 ))
  local tag=$want
  [[ "$want" == from-file ]] && tag=$rows
  note "file $file: $rows rows, $bytes bytes"

  local tools=()
  [[ $RUN_VIGIL -eq 1 ]] && tools+=(vigil)
  tools+=(mawk sqlite3 duckdb1 duckdb2 cat)

  local dir="$SCRATCH/run_$tag"
  mkdir -p "$dir"
  wait_idle
  local load_before busy0 mine0 wall0
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  times >"$dir/times0"; busy0=$(cpu_busy_seconds); wall0=$EPOCHREALTIME
  mine0=$(my_children_cpu_seconds "$dir/times0")
  declare -A WALLS=() RSS=() INNER=() STATUS=()
  local r t
  # Rounds: every tool once per round, so slow drift on the machine hits every tool alike.
  for ((r = 1; r <= RUNS; r++)); do
    cat "$file" >/dev/null  # warm the page cache
    for t in "${tools[@]}"; do
      [[ "${STATUS[$t]:-ok}" == ok ]] || continue
      local out="$dir/$t.$r.csv"
      note "run $r/$RUNS: ${LABEL[$t]}"
      local t0=$EPOCHREALTIME rc=0
      run_tool "$t" "$file" "$out" "$dir/$t.$r.time" "$dir/$t.$r.err" || rc=$?
      local t1=$EPOCHREALTIME
      if [[ $rc -ne 0 ]]; then
        echo "==================== ${LABEL[$t]} FAILED (exit $rc) ====================" >&2
        head -n 20 "$dir/$t.$r.err" >&2
        STATUS[$t]="FAILED (exit $rc)"
        FAILED=1
        continue
      fi
      WALLS[$t]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }') "
      local kb
      kb=$(awk 'END { print $2 }' "$dir/$t.$r.time")
      if [[ -z "${RSS[$t]:-}" || $kb -gt ${RSS[$t]} ]]; then RSS[$t]=$kb; fi
      local inner
      inner=$(inner_seconds "$t" "$out")
      [[ -z "$inner" ]] || INNER[$t]+="$inner "
    done
  done

  local busy1 mine1 wall1 others others_pct
  busy1=$(cpu_busy_seconds); times >"$dir/times1"; wall1=$EPOCHREALTIME
  mine1=$(my_children_cpu_seconds "$dir/times1")
  others=$(awk -v b0="$busy0" -v b1="$busy1" -v m0="$mine0" -v m1="$mine1" \
    'BEGIN { o = (b1 - b0) - (m1 - m0); if (o < 0) o = 0; printf "%.1f", o }')
  others_pct=$(awk -v o="$others" -v w0="$wall0" -v w1="$wall1" -v n="$(nproc)" \
    'BEGIN { printf "%.0f", 100 * o / ((w1 - w0) * n) }')
  if (( others_pct >= 5 )); then
    note "WARNING: other processes used ${others} CPU-s (${others_pct}% of the machine) during the timed runs"
  fi

  # Agreement. Every run of a tool must equal its first run; the reference output is the one
  # that most tools printed (ties go to mawk's), so one wrong tool, vigil included, is the one
  # flagged, not all the others. Every tool that differs from it is a failure.
  local windows=0 agree_all=1 ref_out="" ref_hash="" ref_tools=""
  declare -A AGREE=() HASH=() VOTES=()
  for t in "${tools[@]}"; do
    [[ $t == cat ]] && { AGREE[$t]="n/a"; continue; }
    [[ "${STATUS[$t]:-ok}" == ok ]] || { AGREE[$t]="**${STATUS[$t]}**"; agree_all=0; continue; }
    HASH[$t]=$(md5sum <"$dir/$t.1.csv" | cut -c1-32)
    VOTES[${HASH[$t]}]=$(( ${VOTES[${HASH[$t]}]:-0} + 1 ))
    for ((r = 2; r <= RUNS; r++)); do
      if ! cmp -s "$dir/$t.1.csv" "$dir/$t.$r.csv"; then
        AGREE[$t]="**NO** (run $r differs from run 1)"
        agree_all=0; FAILED=1
        echo "==================== MISMATCH: ${LABEL[$t]} run $r differs from its run 1 ====================" >&2
        diff "$dir/$t.1.csv" "$dir/$t.$r.csv" | head -n 20 >&2 || true
        break
      fi
    done
  done
  local h best=0
  [[ -n "${HASH[mawk]:-}" ]] && { ref_hash=${HASH[mawk]}; best=${VOTES[$ref_hash]}; }
  for h in "${!VOTES[@]}"; do
    if (( VOTES[$h] > best )); then best=${VOTES[$h]}; ref_hash=$h; fi
  done
  for t in "${tools[@]}"; do
    [[ -n "${HASH[$t]:-}" && "${HASH[$t]}" == "$ref_hash" ]] || continue
    ref_tools+="${ref_tools:+, }$t"
    [[ -n "$ref_out" ]] || ref_out="$dir/$t.1.csv"
  done
  if [[ -n "$ref_out" ]]; then
    windows=$(( $(wc -l <"$ref_out") - 1 ))
    if [[ "$(head -n 1 "$ref_out")" != "ip_address,window_start,window_end,count" ]]; then
      echo "==================== the reference output has a wrong header: $(head -c 100 "$ref_out") ====================" >&2
      agree_all=0; FAILED=1
    fi
    (( windows > 0 )) || note "WARNING: the reference output flags no window at all"
  fi
  for t in "${tools[@]}"; do
    [[ -n "${HASH[$t]:-}" && -z "${AGREE[$t]:-}" ]] || continue
    if [[ "${HASH[$t]}" == "$ref_hash" ]]; then
      AGREE[$t]="yes"
    else
      AGREE[$t]="**NO** ($(( $(wc -l <"$dir/$t.1.csv") - 1 )) rows)"
      agree_all=0; FAILED=1
      echo "==================== MISMATCH: ${LABEL[$t]} differs from the reference ($ref_tools) ====================" >&2
      echo "(< reference, > $t; $(wc -l <"$ref_out") vs $(wc -l <"$dir/$t.1.csv") lines)" >&2
      diff "$ref_out" "$dir/$t.1.csv" | head -n 20 >&2 || true
    fi
  done

  # Report.
  local md="$OUT_DIR/peers_${tag}.md"
  local mb
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
  local rev
  rev=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [[ -z "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null)" ]] || rev+=" (with uncommitted changes)"
  local duck_ver
  duck_ver=$(cat "$dir"/duckdb1.1.csv.json 2>/dev/null | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).duckdb)}catch{console.log("?")}})')
  {
    echo "# Vigil vs peers: $(group "$rows") rows"
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); repo at $rev"
    echo "- Machine: $(machine_desc)"
    echo "- File: $rows rows, $mb MB ($bytes bytes), \`username,successful,time,ip_address\`;" \
         "source: \`$gen_cmd\`${gen_secs:+ in ${gen_secs} s}; warm page cache (\`cat FILE > /dev/null\` before each round)"
    echo "- Query: failures (\`successful\` not exactly \`True\`) per (ip_address, 60 s tumbling window)," \
         "count >= 5, CSV ordered by window_start then ip_address"
    echo "- Method: $RUNS rounds, each tool once per round; wall time of the whole process" \
         "(start-up, read, query, sorted CSV written) and its median; peak RSS = GNU time %M, max over runs" \
         "(for mawk, the larger of mawk and its sort); MB = 10^6 bytes"
    if (( others_pct >= 5 )); then
      echo "- **Machine busy**: other processes used ${others} CPU-seconds (${others_pct}% of all cores) during" \
           "the timed runs; the times are inflated, rerun when it is idle"
    else
      echo "- Machine idle: other processes used ${others} CPU-seconds (${others_pct}% of all cores) during the timed runs"
    fi
    echo "- Load average (1/5/15 min) before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Result: $windows flagged windows; reference output (the one most tools printed): ${ref_tools:-none}"
    if [[ $agree_all -eq 1 ]]; then
      echo "- Agreement: **all tools printed byte-identical CSV in every run**"
    else
      echo "- Agreement: **MISMATCH or FAILURE, see the table**"
    fi
    [[ -z "$VIGIL_NOTE" ]] || echo "- Note: $VIGIL_NOTE"
    echo
    echo "| tool | median wall s | runs s | rows/s | MB/s | peak RSS MB | in-process s (median) | agrees |"
    echo "|---|---:|---|---:|---:|---:|---:|---|"
    for t in "${tools[@]}"; do
      if [[ -z "${WALLS[$t]:-}" ]]; then
        echo "| ${LABEL[$t]} | - | - | - | - | - | - | ${AGREE[$t]:-} |"
        continue
      fi
      local med runs rps mbs rss inner=""
      med=$(tr ' ' '\n' <<<"${WALLS[$t]}" | grep . | median)
      runs=$(tr ' ' '\n' <<<"${WALLS[$t]}" | grep . | awk '{ printf "%s%.3f", (NR > 1 ? " / " : ""), $1 }')
      rps=$(awk -v n="$rows" -v s="$med" 'BEGIN { printf "%.2fM", n / s / 1e6 }')
      mbs=$(awk -v b="$bytes" -v s="$med" 'BEGIN { printf "%.0f", b / s / 1e6 }')
      rss=$(awk -v k="${RSS[$t]}" 'BEGIN { printf "%.0f", k / 1024 }')
      if [[ -n "${INNER[$t]:-}" ]]; then
        inner=$(tr ' ' '\n' <<<"${INNER[$t]}" | grep . | median | awk '{ printf "%.3f", $1 }')
      fi
      printf '| %s | %.3f | %s | %s | %s | %s | %s | %s |\n' \
        "${LABEL[$t]}" "$med" "$runs" "$rps" "$mbs" "$rss" "${inner:--}" "${AGREE[$t]}"
    done
    echo
    echo "In-process s: sqlite3 = the query alone after the import (\`.timer\`); DuckDB = read_csv +" \
         "query + COPY inside node, without node start-up and module loading."
    echo
    echo "Versions: mawk $(mawk -W version 2>&1 </dev/null | head -n 1 | awk '{ print $2, $3 }');" \
         "sqlite3 $(sqlite3 --version | awk '{ print $1 }'); DuckDB ${duck_ver:-?} via @duckdb/node-api $DUCKDB_NODE_VERSION," \
         "node $(node --version); $(sort --version | head -n 1)."
    echo
    echo "Command: \`bench/peers/compare_peers.sh${ORIG_ARGS:+ $ORIG_ARGS}\`"
  } >"$md"
  echo
  cat "$md"
  echo
  note "wrote $md"
  [[ $KEEP -eq 1 || "$want" == from-file ]] || rm -f "$file"
}

for want in "${ROWS_LIST[@]}"; do
  run_size "$want"
done

if [[ $FAILED -ne 0 ]]; then
  echo "compare_peers: FAILED: a tool failed or the outputs disagree (see above)" >&2
  exit 1
fi
