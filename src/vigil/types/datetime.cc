#include "vigil/types/datetime.h"

#include <fmt/format.h>

namespace vigil {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Inverse of DaysFromCivil (era-based civil calendar conversion).
void CivilFromDays(int64_t z, int64_t& year, unsigned& month, unsigned& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = y + (month <= 2);
}

namespace {

bool ReadDigits(std::string_view s, size_t& pos, size_t count, int64_t& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += count;
  return true;
}
}  // namespace

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilTime SplitTimestamp(int64_t ns) {
  const int64_t seconds = FloorDiv(ns, kNanosPerSecond);
  const int64_t days = FloorDiv(seconds, 86400);
  const int64_t second_of_day = seconds - days * 86400;
  CivilTime t;
  CivilFromDays(days, t.year, t.month, t.day);
  t.hour = second_of_day / 3600;
  t.minute = (second_of_day / 60) % 60;
  t.second = second_of_day % 60;
  t.nanosecond = ns - seconds * kNanosPerSecond;
  return t;
}

std::string FormatDateTime(int64_t ns, bool utc) {
  const CivilTime t = SplitTimestamp(ns);
  std::string out = fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}", t.year, t.month,
                                t.day, t.hour, t.minute, t.second);
  if (t.nanosecond != 0) {
    std::string digits = fmt::format("{:09d}", t.nanosecond);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  if (utc) out += "+00:00";
  return out;
}

std::string FormatDuration(int64_t ns) {
  int64_t seconds = FloorDiv(ns, kNanosPerSecond);
  int64_t fraction = ns - seconds * kNanosPerSecond;
  int64_t days = FloorDiv(seconds, 86400);
  int64_t sod = seconds - days * 86400;
  std::string out = fmt::format("{} days {:02d}:{:02d}:{:02d}", days, sod / 3600, (sod / 60) % 60,
                                sod % 60);
  if (fraction != 0) out += fmt::format(".{:09d}", fraction);
  return out;
}

std::optional<int64_t> ParseDateTime(std::string_view s, bool with_zone) {
  size_t pos = 0;
  int64_t year, month, day, hour, minute, second;
  if (!ReadDigits(s, pos, 4, year) || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  if (!ReadDigits(s, pos, 2, month) || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  if (!ReadDigits(s, pos, 2, day) || pos >= s.size()) return std::nullopt;
  if (s[pos] != 'T' && s[pos] != ' ') return std::nullopt;
  ++pos;
  if (!ReadDigits(s, pos, 2, hour) || pos >= s.size() || s[pos++] != ':') return std::nullopt;
  if (!ReadDigits(s, pos, 2, minute) || pos >= s.size() || s[pos++] != ':') return std::nullopt;
  if (!ReadDigits(s, pos, 2, second)) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  int64_t fraction_ns = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100'000'000;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      fraction_ns += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_seconds = 0;
  if (with_zone) {
    if (pos >= s.size()) return std::nullopt;
    if (s[pos] == 'Z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int sign = s[pos++] == '-' ? -1 : 1;
      int64_t oh, om;
      if (!ReadDigits(s, pos, 2, oh)) return std::nullopt;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (!ReadDigits(s, pos, 2, om)) return std::nullopt;
      offset_seconds = sign * (oh * 3600 + om * 60);
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  // Nanoseconds since the epoch fit an int64 only from 1677-09-21 00:12:43.145224192 to
  // 2262-04-11 23:47:16.854775807, and a 4-digit year reaches far beyond: check, never wrap.
  // A fraction of a negative second borrows one second, so the lowest instant still fits.
  const bool borrow = seconds < 0 && fraction_ns > 0;
  int64_t ns = 0;
  if (__builtin_mul_overflow(seconds + (borrow ? 1 : 0), kNanosPerSecond, &ns) ||
      __builtin_add_overflow(ns, fraction_ns - (borrow ? kNanosPerSecond : 0), &ns)) {
    return std::nullopt;
  }
  return ns;
}

}  // namespace vigil
