# tutorial_rule.awk: the tutorial rule on a raw sshd syslog, in one awk pass.
#
#   mawk -v year=2026 -f tutorial_rule.awk auth.log > flags.tsv
#
# Counts failed authentication attempts per source address per 60-second tumbling window
# (the UTC minute of the line's stamp) and prints every (address, window) with 5 or more as
#   ADDRESS <tab> WINDOW_END_UNIX_SECONDS <tab> brute_force
# (window end: the latest moment the 5th attempt can have happened; score.py reads this).
#
# An attempt is an sshd line `Failed <method> for ... from ADDRESS port N ...` (method `none`
# excluded: a method probe, not a guess); `message repeated N times: [ Failed ... ]` counts N.
# Stamps: traditional (`Mar 29 23:18:33`, the year from -v year=, default 1970 + no rollover)
# or RFC 3339 in UTC (`2026-03-29T23:18:33.123456+00:00`, as gen_authlog.py writes them).
# Used as a baseline column by run_quality.sh and as the speed reference by speed.sh.

BEGIN {
  split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", names, " ")
  for (m = 1; m <= 12; m++) month[names[m]] = m
  if (year == "") year = 1970
}

index($0, "Failed ") == 0 { next }

{
  if (substr($1, 5, 1) == "-") { prog = $3; minute = substr($1, 1, 16); first = 4 }
  else { prog = $5; minute = $1 " " $2 " " substr($3, 1, 5); first = 6 }
  if (substr(prog, 1, 5) != "sshd[" && substr(prog, 1, 13) != "sshd-session[") next
  times = 1
  if ($first == "message" && $(first + 1) == "repeated") {
    times = $(first + 2) + 0
    first += 5               # past "message repeated N times: [" to "Failed"
  }
  if ($first != "Failed" || $(first + 1) == "none") next
  # The source is the last "from ADDRESS port N" (a username may hold spaces or "from").
  for (i = NF - 2; i > first; i--) if ($i == "from" && $(i + 2) == "port") break
  if (i <= first) next
  count[$(i + 1) SUBSEP minute] += times
}

END {
  for (key in count) {
    if (count[key] < 5) continue
    split(key, parts, SUBSEP)
    print parts[1] "\t" window_end(parts[2]) "\tbrute_force"
  }
}

function window_end(stamp,    y, mo, d, h, mi, fields) {
  if (substr(stamp, 5, 1) == "-") {
    y = substr(stamp, 1, 4); mo = substr(stamp, 6, 2); d = substr(stamp, 9, 2)
    h = substr(stamp, 12, 2); mi = substr(stamp, 15, 2)
  } else {
    split(stamp, fields, " ")
    y = year; mo = month[fields[1]]; d = fields[2]
    h = substr(fields[3], 1, 2); mi = substr(fields[3], 4, 2)
  }
  return days_from_civil(y + 0, mo + 0, d + 0) * 86400 + h * 3600 + mi * 60 + 60
}

# Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
function days_from_civil(y, m, d,    era, yoe, doy, doe) {
  y -= (m <= 2)
  era = int((y >= 0 ? y : y - 399) / 400)
  yoe = y - era * 400
  doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
  return era * 146097 + doe - 719468
}
