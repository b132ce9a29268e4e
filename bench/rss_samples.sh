# Sourced by the memory benchmarks (bench/live/memory_curve.sh,
# bench/detection/memory_curve.sh).
#
# sample_rss PID OUT: until process PID exits, appends "<bytes read> <RSS KiB>" to OUT every
# 0.1 s (rchar and VmRSS from /proc), so that memory can be plotted against input consumed.
sample_rss() {
  local pid=$1 out=$2 rss rchar
  : > "$out"
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    rchar=$(awk '/^rchar/ {print $2}' "/proc/$pid/io" 2>/dev/null || true)
    [[ -n "$rss" && -n "$rchar" ]] && echo "$rchar $rss" >> "$out"
    sleep 0.1
  done
}
