# detect.awk: the brute-force query as one mawk program (the mawk peer of compare_peers.sh).
#
#   mawk -f detect.awk FILE > result.csv
#
# Single pass over a logins CSV with a header naming (at least) successful, time and ip_address,
# in any order. A row is a success only when `successful` is exactly True; every other row is a
# failure. Failures are counted per (ip_address, 60-second tumbling window) in an associative
# array; windows with count >= 5 are printed as
#   ip_address,window_start,window_end,count
# ordered by window_start (numeric) then ip_address (byte order) by piping the rows through
# `LC_ALL=C sort` from inside this program, so the sort is part of the measured time.
#
# Assumptions (true of the generated files): fields are split on plain commas (no quoted fields),
# LF line endings, integer Unix seconds in `time`. Times are floored correctly when negative.
# Numbers are formatted with %.0f, not %d: mawk 1.3.4's %d clamps at 2^31-1.
BEGIN {
  FS = ","
  if (window == "") window = 60
  if (threshold == "") threshold = 5
  sortcmd = "LC_ALL=C sort -t, -k2,2n -k1,1"
}
NR == 1 {
  sub(/\r$/, "")
  for (i = 1; i <= NF; i++) col[$i] = i
  if (!("successful" in col) || !("time" in col) || !("ip_address" in col)) {
    print "detect.awk: header must name successful, time and ip_address; got: " $0 > "/dev/stderr"
    bad = 1
    exit 1
  }
  s = col["successful"]; t = col["time"]; a = col["ip_address"]
  next
}
NF == 0 { next }
$s != "True" {
  tm = $t + 0
  n[$a "," sprintf("%.0f", tm - (tm % window + window) % window)]++
}
END {
  if (bad) exit 1
  print "ip_address,window_start,window_end,count"
  fflush()
  for (k in n) {
    if (n[k] >= threshold) {
      i = length(k)
      while (substr(k, i, 1) != ",") i--
      ws = substr(k, i + 1) + 0
      printf "%s,%.0f,%.0f,%d\n", substr(k, 1, i - 1), ws, ws + window, n[k] | sortcmd
    }
  }
  close(sortcmd)
}
