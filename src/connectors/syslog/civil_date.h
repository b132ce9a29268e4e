#pragma once

#include <cstdint>

#include "vigil/types/datetime.h"

namespace vigil::syslog {

/// Calendar arithmetic in the proleptic Gregorian calendar, done by hand so that parsing a
/// log line never calls into the C library's time functions (mktime and timegm consult the
/// locale and the zone database and are far too slow for millions of lines per second).
/// Algorithms: Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms"
/// (days_from_civil, civil_from_days), written here from the published description.

using ::vigil::DaysInMonth;  // vigil/types/datetime.h
using ::vigil::IsLeapYear;

/// Days from 1970-01-01 to year-month-day (month 1-12; a day past the month's end simply
/// counts on into the next month, which year inference relies on for Feb 29).
constexpr int64_t DaysFromCivil(int64_t year, int month, int day) {
  // Shift the year to start in March, so the leap day is the last day of the shifted year.
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;                         // [0, 399]
  const int64_t shifted_month = month > 2 ? month - 3 : month + 9;      // March = 0
  const int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;  // [0, 365]
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * 146097 + day_of_era - 719468;
}

struct CivilDate {
  int64_t year;
  int month;  ///< 1-12
  int day;    ///< 1-31
};

/// The date `days` after 1970-01-01 (inverse of DaysFromCivil).
constexpr CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const int month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{year, month, day};
}

/// Floor division (days from seconds before 1970 round down).
constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// Timestamps are int64 nanoseconds since the epoch, so only these years fit whole
/// (int64 ns spans 1677-09-21 to 2262-04-11).
inline constexpr int64_t kMinYear = 1678;
inline constexpr int64_t kMaxYear = 2261;

}  // namespace vigil::syslog
