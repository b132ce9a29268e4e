#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

inline constexpr int64_t kNanosPerSecond = 1'000'000'000;

constexpr bool IsLeapYear(int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

/// Days in `month` (1-12) of `year` (proleptic Gregorian).
constexpr int DaysInMonth(int64_t year, int month) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

/// Days since 1970-01-01 of a proleptic Gregorian date (civil calendar arithmetic).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
/// The proleptic Gregorian date of a day count since 1970-01-01 (inverse of DaysFromCivil).
void CivilFromDays(int64_t days, int64_t& year, unsigned& month, unsigned& day);
/// A timestamp split into calendar fields (proleptic Gregorian, works before the epoch).
struct CivilTime {
  int64_t year;
  unsigned month, day;
  int64_t hour, minute, second, nanosecond;
};
CivilTime SplitTimestamp(int64_t ns);

/// Floor division (rounds toward negative infinity), for times before the epoch.
int64_t FloorDiv(int64_t a, int64_t b);

/// `2023-06-22 09:06:30` (naive) or `2023-06-22 09:06:30+00:00` (utc); fractional seconds are
/// printed only when present, as Python's datetime does.
std::string FormatDateTime(int64_t ns, bool utc);
/// `0 days 00:10:00`, as pandas prints a Timedelta.
std::string FormatDuration(int64_t ns);

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction]` (also with a space instead of `T`) into naive ns.
/// With `with_zone`, a `+HH:MM`/`+HHMM`/`Z` suffix is required and the result is UTC ns.
std::optional<int64_t> ParseDateTime(std::string_view text, bool with_zone);

}  // namespace vigil
