#!/usr/bin/env bash
# run_quality.sh: detection quality of `vigil detect` against fail2ban, sshguard and crowdsec on
# one labeled sshd log from gen_authlog.py; prints precision and per-category recall side by
# side and writes bench/out/detection/quality_<lines>_<timestamps>.md (+ .json).
# See bench/detection/README.md. A benchmark, not a test.
#
#   bench/detection/run_quality.sh                          # 1M lines, traditional stamps
#   bench/detection/run_quality.sh --lines 200000 --peers "fail2ban sshguard"
#   bench/detection/run_quality.sh --timestamps rfc3339
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3
ORIG_ARGS="$*"

LINES=1000000
SEED=1
DAYS=0
START=2026-03-23T00:00:00Z
STAMPS=traditional
PEERS="fail2ban sshguard crowdsec"
VIGIL=""
OUT_DIR="$REPO/bench/out/detection"
TMP_PARENT="${TMPDIR:-/tmp}"
KEEP=0
INSTALL=1
DATA=""
LABELS=""
VIGIL_ARGS=()
EXTRA_TOOLS=()

usage() {
  cat <<EOF
usage: $0 [options]
  --lines N            lines to generate (default 1000000)
  --seed S             generator seed (default 1)
  --days D             time span of the log (default: the generator's, 7 days per million lines)
  --start TIME         the log's first moment (default 2026-03-23T00:00:00Z). With traditional
                       stamps crowdsec and fail2ban assume the current year: keep it in the
                       current year and before today.
  --timestamps T       traditional | rfc3339 (default traditional)
  --data LOG --labels L  score an existing log and labels file instead of generating
  --peers "LIST"       peers to run among fail2ban sshguard crowdsec (default all; "" for none)
  --vigil PATH         vigil binary (default build-detbench/bin/vigil, else build/bin/vigil)
  --vigil-arg ARG      extra argument for \`vigil detect\` (repeatable, e.g. --vigil-arg --rules
                       --vigil-arg my.toml)
  --no-install         do not apt-get install missing peers (skip them instead)
  --extra-tool NAME=FILE[:FORMAT]  add a result computed earlier on the same --data log (e.g.
                       crowdsec's, which takes ~45 min for 1M lines) to the table (repeatable)
  --out DIR            report folder (default bench/out/detection)
  --tmp DIR            parent of the scratch folder (default \$TMPDIR or /tmp)
  --keep               keep the scratch folder (log, labels, every tool's output)
  -h, --help           this help
EOF
}

die() { echo "run_quality: error: $*" >&2; exit 1; }
note() { echo "run_quality: $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --lines) LINES=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --days) DAYS=$2; shift 2 ;;
    --start) START=$2; shift 2 ;;
    --timestamps) STAMPS=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --labels) LABELS=$2; shift 2 ;;
    --peers) PEERS=$2; shift 2 ;;
    --vigil) VIGIL=$2; shift 2 ;;
    --vigil-arg) VIGIL_ARGS+=("$2"); shift 2 ;;
    --no-install) INSTALL=0; shift ;;
    --extra-tool) EXTRA_TOOLS+=("$2"); shift 2 ;;
    --out) OUT_DIR=$2; shift 2 ;;
    --tmp) TMP_PARENT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ "$LINES" =~ ^[1-9][0-9]*$ ]] || die "--lines must be a positive integer"
[[ "$STAMPS" == traditional || "$STAMPS" == rfc3339 ]] || die "--timestamps: traditional|rfc3339"
if [[ -n "$DATA" || -n "$LABELS" ]]; then
  [[ -r "$DATA" && -r "$LABELS" ]] || die "--data and --labels go together and must be readable"
fi
if [[ -z "$VIGIL" ]]; then
  for candidate in "$REPO/build-detbench/bin/vigil" "$REPO/build/bin/vigil"; do
    if [[ -x "$candidate" ]]; then VIGIL=$candidate; break; fi
  done
fi

# --- peers: install from Debian when missing, without starting any service ------------------
peer_present() {
  case "$1" in
    fail2ban) command -v fail2ban-regex >/dev/null && [[ -d /usr/lib/python3/dist-packages/fail2ban ]] ;;
    sshguard) [[ -x /usr/libexec/sshguard/sshg-parser ]] ;;
    crowdsec) command -v crowdsec >/dev/null && command -v cscli >/dev/null && \
                [[ -d /usr/share/crowdsec/hub ]] ;;
    *) return 1 ;;
  esac
}

install_peers() {
  local missing=()
  for peer in $PEERS; do peer_present "$peer" || missing+=("$peer"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $INSTALL -eq 0 || $(id -u) -ne 0 ]]; then
    note "not installing ${missing[*]} (--no-install or not root): they are skipped"
    return 0
  fi
  # No service may start: Debian's maintainer scripts ask policy-rc.d; if the machine has none,
  # one that refuses every start is in place for the install and removed after.
  local own_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  # crowdsec's postinst registers with the online Central API unless this file holds a
  # comment (README.Debian); an offline benchmark host must not register (nor fail to).
  if [[ " ${missing[*]} " == *" crowdsec "* && ! -s /etc/crowdsec/online_api_credentials.yaml ]]; then
    mkdir -p /etc/crowdsec
    echo '# no thanks: offline benchmark host (Vigil bench/detection), no Central API' \
      > /etc/crowdsec/online_api_credentials.yaml
  fi
  note "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
    >&2 || note "apt-get install failed; missing peers are skipped"
  [[ $own_policy -eq 1 ]] && rm -f /usr/sbin/policy-rc.d
  # The units are enabled by the packages but must not run here; stop any that did start.
  if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
    for unit in fail2ban sshguard crowdsec; do
      systemctl disable --now "$unit.service" >/dev/null 2>&1 || true
    done
  fi
}
[[ -n "$PEERS" ]] && install_peers

# --- data ------------------------------------------------------------------------------------
mkdir -p "$OUT_DIR"
SCRATCH=$(mktemp -d "$TMP_PARENT/vigil-detection.XXXXXX")
cleanup() { [[ $KEEP -eq 1 ]] && note "kept $SCRATCH" || rm -rf "$SCRATCH"; }
trap cleanup EXIT

if [[ -n "$DATA" ]]; then
  LOG=$DATA
else
  LOG="$SCRATCH/auth.log"
  LABELS="$SCRATCH/auth.log.labels.json"
  note "generating $LINES lines ($STAMPS, seed $SEED)"
  "$PY" "$HERE/gen_authlog.py" --lines "$LINES" --seed "$SEED" --timestamps "$STAMPS" \
    --days "$DAYS" --start "$START" --out "$LOG" --labels "$LABELS"
fi
YEAR=$(date -u -r "$LOG" +%Y)

# --- tools -----------------------------------------------------------------------------------
TOOLS=()
declare -A SECONDS_TAKEN
timed() {  # timed NAME command...: runs it, records wall seconds
  local name=$1; shift
  local start=$EPOCHREALTIME
  if "$@"; then
    SECONDS_TAKEN[$name]=$(echo "$EPOCHREALTIME - $start" | bc)
    return 0
  fi
  note "$name failed"
  return 1
}

if [[ -n "$VIGIL" && -x "$VIGIL" ]]; then
  note "vigil: $VIGIL detect --format jsonl --emit final ${VIGIL_ARGS[*]-}"
  if timed vigil sh -c '"$@" > "$0" 2> "$0.stderr"' "$SCRATCH/vigil.jsonl" \
      "$VIGIL" detect --format jsonl --emit final ${VIGIL_ARGS[@]+"${VIGIL_ARGS[@]}"} "$LOG"; then
    TOOLS+=("vigil=$SCRATCH/vigil.jsonl:vigil")
  else
    head -c 2000 "$SCRATCH/vigil.jsonl.stderr" >&2
  fi
else
  note "no vigil binary (build it: cmake --build build-detbench --target vigil_cli); skipped"
fi

note "tutorial rule with mawk (>= 5 failed attempts per IP per minute, repeats expanded)"
if timed mawk sh -c 'mawk -v year="$1" -f "$2" "$3" > "$4"' _ "$YEAR" "$HERE/tutorial_rule.awk" \
    "$LOG" "$SCRATCH/mawk.tsv"; then
  TOOLS+=("tutorial(mawk)=$SCRATCH/mawk.tsv")
fi

for peer in $PEERS; do
  if ! peer_present "$peer"; then note "$peer not installed: skipped"; continue; fi
  note "$peer (replayed on log time)"
  if timed "$peer" "$PY" "$HERE/replay_peers.py" "$peer" "$LOG" "$SCRATCH/$peer.tsv"; then
    TOOLS+=("$peer=$SCRATCH/$peer.tsv")
  fi
done
for extra in ${EXTRA_TOOLS[@]+"${EXTRA_TOOLS[@]}"}; do
  [[ -n "$DATA" ]] || die "--extra-tool needs --data (the log it was computed on)"
  note "adding earlier result ${extra%%=*} (${extra#*=})"
  TOOLS+=("$extra")
done
[[ ${#TOOLS[@]} -gt 0 ]] || die "no tool ran"

# --- report ----------------------------------------------------------------------------------
REPORT="$OUT_DIR/quality_${LINES}_${STAMPS}.md"
[[ $DAYS != 0 ]] && REPORT="$OUT_DIR/quality_${LINES}_${STAMPS}_${DAYS}d.md"
[[ -n "$DATA" ]] && REPORT="$OUT_DIR/quality_$(basename "$DATA").md"
ARGS=()
for tool in "${TOOLS[@]}"; do ARGS+=(--tool "$tool"); done
{
  echo "# Detection quality: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Command: \`bench/detection/run_quality.sh $ORIG_ARGS\`; repo $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo
  "$PY" "$HERE/score.py" --labels "$LABELS" "${ARGS[@]}" --json "${REPORT%.md}.json" --detail
  echo
  for extra in ${EXTRA_TOOLS[@]+"${EXTRA_TOOLS[@]}"}; do
    echo "${extra%%=*}: computed earlier on this same log ($(basename "${extra#*=}"))."
  done
  echo "Wall time per tool (s):"
  for name in "${!SECONDS_TAKEN[@]}"; do printf '  %s %.1f\n' "$name" "${SECONDS_TAKEN[$name]}"; done
  echo
  echo "Versions: vigil ${VIGIL:-none}; $(for p in mawk fail2ban sshguard crowdsec; do
    dpkg-query -W -f='${Package} ${Version}; ' "$p" 2>/dev/null; done)"
} | tee "$REPORT"
note "report: $REPORT"
