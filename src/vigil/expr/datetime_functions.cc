#include "vigil/expr/datetime_functions.h"

#include <array>
#include <cctype>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "vigil/types/datetime.h"

namespace vigil::dt {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdays = {"Monday", "Tuesday",  "Wednesday",
                                                       "Thursday", "Friday", "Saturday",
                                                       "Sunday"};

/// A format, split once when the expression is built: literal runs and specifiers.
struct FormatItem {
  char spec = 0;          ///< 0: `literal`; ' ': a run of blanks (strptime: any blanks).
  std::string literal;
};

struct Format {
  std::vector<FormatItem> items;
  bool has_offset = false;       ///< %z
  std::optional<char> unsupported;  ///< The first specifier this module does not know.
};

Format SplitFormat(std::string_view format) {
  constexpr std::string_view kKnown = "YmdeHIpMSfybhBaAjzsTF%";
  Format out;
  auto literal = [&out](char c) {
    if (out.items.empty() || out.items.back().spec != 0) out.items.push_back({});
    out.items.back().literal += c;
  };
  for (size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (out.items.empty() || out.items.back().spec != ' ') out.items.push_back({' ', {}});
      continue;
    }
    if (c != '%') {
      literal(c);
      continue;
    }
    if (i + 1 == format.size()) {
      out.unsupported = '%';
      break;
    }
    const char spec = format[++i];
    if (kKnown.find(spec) == std::string_view::npos) {
      if (!out.unsupported) out.unsupported = spec;
      continue;
    }
    if (spec == '%') {
      literal('%');
    } else if (spec == 'T' || spec == 'F') {  // Shorthands, expanded.
      for (char part : spec == 'T' ? std::string_view("H:M:S") : std::string_view("Y-m-d")) {
        if (part == ':' || part == '-') {
          literal(part);
        } else {
          out.items.push_back({part, {}});
        }
      }
    } else {
      out.items.push_back({spec, {}});
      out.has_offset = out.has_offset || spec == 'z';
    }
  }
  return out;
}

/// Parsing state: the text and what was read so far.
struct Parser {
  std::string_view text;
  size_t pos = 0;

  /// Up to `max` digits (at least one), optionally after one leading blank (`%e`).
  std::optional<int64_t> Number(size_t max, bool allow_blank = false, size_t* digits = nullptr) {
    if (allow_blank && pos < text.size() && text[pos] == ' ') ++pos;
    int64_t value = 0;
    size_t n = 0;
    while (n < max && pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      value = value * 10 + (text[pos++] - '0');
      ++n;
    }
    if (digits != nullptr) *digits = n;
    return n == 0 ? std::nullopt : std::optional<int64_t>(value);
  }
  /// One of `names` (or its first three letters), case-insensitively; its index.
  template <size_t N>
  std::optional<int64_t> Name(const std::array<std::string_view, N>& names, bool abbreviated) {
    for (size_t k = 0; k < N; ++k) {
      const std::string_view name = abbreviated ? names[k].substr(0, 3) : names[k];
      if (text.size() - pos < name.size()) continue;
      bool same = true;
      for (size_t j = 0; same && j < name.size(); ++j) {
        same = std::tolower(static_cast<unsigned char>(text[pos + j])) ==
               std::tolower(static_cast<unsigned char>(name[j]));
      }
      if (same) {
        pos += name.size();
        return static_cast<int64_t>(k);
      }
    }
    return std::nullopt;
  }
};

/// Days in `month` of `year`; months outside 1-12 (not validated yet) have none.
int64_t DaysOf(int64_t year, int64_t month) {
  return month < 1 || month > 12 ? 0 : DaysInMonth(year, static_cast<int>(month));
}

/// Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday, 3).
int64_t Weekday(int64_t ns) {
  const int64_t days = FloorDiv(ns, 86400 * kNanosPerSecond);
  return ((days % 7) + 7 + 3) % 7;
}

/// Parses `text` with `format`; on failure sets `why` and returns nullopt. The result is UTC
/// nanoseconds when the format has %z, else naive nanoseconds.
std::optional<int64_t> Parse(const Format& format, std::string_view text, std::string& why) {
  Parser p{text};
  int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0;
  int64_t offset_seconds = 0;
  std::optional<int64_t> day_of_year, epoch_seconds, hour12;
  std::optional<bool> pm;
  for (const FormatItem& item : format.items) {
    if (item.spec == 0) {
      if (text.substr(p.pos, item.literal.size()) != item.literal) {
        why = fmt::format("expected '{}' at character {}", item.literal, p.pos + 1);
        return std::nullopt;
      }
      p.pos += item.literal.size();
      continue;
    }
    if (item.spec == ' ') {
      while (p.pos < text.size() && std::isspace(static_cast<unsigned char>(text[p.pos]))) ++p.pos;
      continue;
    }
    std::optional<int64_t> v;
    const size_t at = p.pos;
    switch (item.spec) {
      case 'Y': {
        const bool negative = p.pos < text.size() && text[p.pos] == '-';
        if (negative || (p.pos < text.size() && text[p.pos] == '+')) ++p.pos;
        v = p.Number(4);
        if (v) year = negative ? -*v : *v;
        break;
      }
      case 'y':
        v = p.Number(2);
        if (v) year = *v < 69 ? 2000 + *v : 1900 + *v;
        break;
      case 'm': v = p.Number(2); if (v) month = *v; break;
      case 'd': v = p.Number(2); if (v) day = *v; break;
      case 'e': v = p.Number(2, /*allow_blank=*/true); if (v) day = *v; break;
      case 'H': v = p.Number(2); if (v) hour = *v; break;
      case 'I': v = p.Number(2); if (v) hour12 = *v; break;
      case 'M': v = p.Number(2); if (v) minute = *v; break;
      case 'S': v = p.Number(2); if (v) second = *v; break;
      case 'j': v = p.Number(3); if (v) day_of_year = *v; break;
      case 'f': {
        size_t digits = 0;
        v = p.Number(9, false, &digits);
        if (v) {
          nanos = *v;
          for (size_t k = digits; k < 9; ++k) nanos *= 10;
        }
        break;
      }
      case 's': {
        const bool negative = p.pos < text.size() && text[p.pos] == '-';
        if (negative) ++p.pos;
        v = p.Number(18);
        if (v) epoch_seconds = negative ? -*v : *v;
        break;
      }
      case 'b': case 'h': v = p.Name(kMonths, true); if (v) month = *v + 1; break;
      case 'B': v = p.Name(kMonths, false); if (v) month = *v + 1; break;
      case 'a': v = p.Name(kWeekdays, true); break;  // Checked for form only, as chrono.
      case 'A': v = p.Name(kWeekdays, false); break;
      case 'p':
        if (text.size() - p.pos >= 2) {
          const std::string_view ampm = text.substr(p.pos, 2);
          if (ampm == "AM" || ampm == "am") pm = false;
          if (ampm == "PM" || ampm == "pm") pm = true;
          if (pm) {
            p.pos += 2;
            v = 0;
          }
        }
        break;
      case 'z':
        if (p.pos < text.size() && (text[p.pos] == 'Z' || text[p.pos] == 'z')) {
          ++p.pos;
          v = 0;
        } else if (p.pos < text.size() && (text[p.pos] == '+' || text[p.pos] == '-')) {
          const int64_t sign = text[p.pos++] == '-' ? -1 : 1;
          const auto hh = p.Number(2);
          if (hh && p.pos < text.size() && text[p.pos] == ':') ++p.pos;
          const auto mm = p.Number(2);
          if (hh && mm && *hh < 24 && *mm < 60) {
            offset_seconds = sign * (*hh * 3600 + *mm * 60);
            v = 0;
          }
        }
        break;
      default: break;
    }
    if (!v) {
      why = fmt::format("%{} does not match at character {}", item.spec, at + 1);
      return std::nullopt;
    }
  }
  if (p.pos != text.size()) {
    why = fmt::format("unexpected '{}' after the format's end", text.substr(p.pos));
    return std::nullopt;
  }
  // Nanoseconds since the epoch must fit 64 bits (years 1677-2262), as Pathway's datetimes.
  const auto to_nanos = [&why](int64_t seconds, int64_t fraction) -> std::optional<int64_t> {
    int64_t ns = 0;
    if (__builtin_mul_overflow(seconds, kNanosPerSecond, &ns) ||
        __builtin_add_overflow(ns, fraction, &ns)) {
      why = "out of the datetime range (years 1677-2262)";
      return std::nullopt;
    }
    return ns;
  };
  if (epoch_seconds) return to_nanos(*epoch_seconds, nanos);
  if (hour12) {
    if (*hour12 < 1 || *hour12 > 12) {
      why = fmt::format("hour {} out of 1-12 for %I", *hour12);
      return std::nullopt;
    }
    hour = *hour12 % 12 + (pm.value_or(false) ? 12 : 0);
  } else if (pm && *pm && hour < 12) {
    hour += 12;
  }
  if (day_of_year) {
    const int64_t days_in_year = IsLeapYear(year) ? 366 : 365;
    if (*day_of_year < 1 || *day_of_year > days_in_year) {
      why = fmt::format("day of the year {} out of range", *day_of_year);
      return std::nullopt;
    }
    int64_t left = *day_of_year;
    month = 1;
    while (left > DaysOf(year, month)) left -= DaysOf(year, month++);
    day = left;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysOf(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    why = fmt::format("no such date or time: {:04}-{:02}-{:02} {:02}:{:02}:{:02}", year, month,
                      day, hour, minute, second);
    return std::nullopt;
  }
  const int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return to_nanos(seconds, nanos);
}

/// Formats `ns` (UTC when `utc`) with `format` into `out`.
void Print(const Format& format, int64_t ns, bool utc, std::string& out) {
  const CivilTime c = SplitTimestamp(ns);
  const int64_t days = FloorDiv(ns, 86400 * kNanosPerSecond);
  const int64_t weekday = Weekday(ns);
  auto it = std::back_inserter(out);
  for (const FormatItem& item : format.items) {
    switch (item.spec) {
      case 0: out += item.literal; break;
      case ' ': out += ' '; break;
      case 'Y': fmt::format_to(it, "{:04}", c.year); break;
      case 'y': fmt::format_to(it, "{:02}", ((c.year % 100) + 100) % 100); break;
      case 'm': fmt::format_to(it, "{:02}", c.month); break;
      case 'd': fmt::format_to(it, "{:02}", c.day); break;
      case 'e': fmt::format_to(it, "{:2}", c.day); break;
      case 'H': fmt::format_to(it, "{:02}", c.hour); break;
      case 'I': fmt::format_to(it, "{:02}", c.hour % 12 == 0 ? 12 : c.hour % 12); break;
      case 'p': out += c.hour < 12 ? "AM" : "PM"; break;
      case 'M': fmt::format_to(it, "{:02}", c.minute); break;
      case 'S': fmt::format_to(it, "{:02}", c.second); break;
      case 'f': fmt::format_to(it, "{:09}", c.nanosecond); break;
      case 'j': {
        const int64_t first = DaysFromCivil(c.year, 1, 1);
        fmt::format_to(it, "{:03}", days - first + 1);
        break;
      }
      case 's': fmt::format_to(it, "{}", FloorDiv(ns, kNanosPerSecond)); break;
      case 'b': case 'h': out += kMonths[c.month - 1].substr(0, 3); break;
      case 'B': out += kMonths[c.month - 1]; break;
      case 'a': out += kWeekdays[static_cast<size_t>(weekday)].substr(0, 3); break;
      case 'A': out += kWeekdays[static_cast<size_t>(weekday)]; break;
      case 'z': if (utc) out += "+0000"; break;
      default: break;
    }
  }
}

bool IsDateTime(const Value& v) {
  return v.kind() == ValueKind::kDateTimeNaive || v.kind() == ValueKind::kDateTimeUtc;
}

/// A function of a datetime's calendar fields, as an int.
Expr Field(const Expr& e, const char* name, int64_t (*field)(int64_t ns)) {
  return apply(
      dtype::Int,
      [field](std::span<const Value> args, ValueArena&) {
        if (args[0].is_none()) return Value::None();
        if (!IsDateTime(args[0])) {
          SetApplyError(fmt::format("expected a datetime, got {}", ReprValue(args[0])));
          return Value::Error();
        }
        return Value::Int(field(args[0].as_timestamp()));
      },
      {e}, std::string("dt.") + name);
}

}  // namespace

Expr strptime(const Expr& e, std::string format) {
  auto parsed = std::make_shared<const Format>(SplitFormat(format));
  const DType result = parsed->has_offset ? dtype::DateTimeUtc : dtype::DateTimeNaive;
  return apply(
      result,
      [parsed, format](std::span<const Value> args, ValueArena&) {
        const Value& v = args[0];
        if (v.is_none()) return Value::None();
        if (parsed->unsupported) {
          SetApplyError(fmt::format("format '{}': %{} is not supported", format,
                                    *parsed->unsupported));
          return Value::Error();
        }
        if (v.kind() != ValueKind::kString) {
          SetApplyError(fmt::format("expected a string, got {}", ReprValue(v)));
          return Value::Error();
        }
        std::string why;
        const auto ns = Parse(*parsed, v.as_string(), why);
        if (!ns) {
          SetApplyError(
              fmt::format("{} does not match format '{}': {}", ReprValue(v), format, why));
          return Value::Error();
        }
        return parsed->has_offset ? Value::DateTimeUtc(*ns) : Value::DateTimeNaive(*ns);
      },
      {e}, "dt.strptime");
}

Expr strftime(const Expr& e, std::string format) {
  auto parsed = std::make_shared<const Format>(SplitFormat(format));
  return apply(
      dtype::Str,
      [parsed, format](std::span<const Value> args, ValueArena& arena) {
        const Value& v = args[0];
        if (v.is_none()) return Value::None();
        if (parsed->unsupported) {
          SetApplyError(fmt::format("format '{}': %{} is not supported", format,
                                    *parsed->unsupported));
          return Value::Error();
        }
        if (!IsDateTime(v)) {
          SetApplyError(fmt::format("expected a datetime, got {}", ReprValue(v)));
          return Value::Error();
        }
        thread_local std::string text;
        text.clear();
        Print(*parsed, v.as_timestamp(), v.kind() == ValueKind::kDateTimeUtc, text);
        return arena.CopyString(text);
      },
      {e}, "dt.strftime");
}

Expr year(const Expr& e) {
  return Field(e, "year", [](int64_t ns) { return SplitTimestamp(ns).year; });
}
Expr month(const Expr& e) {
  return Field(e, "month", [](int64_t ns) { return int64_t{SplitTimestamp(ns).month}; });
}
Expr day(const Expr& e) {
  return Field(e, "day", [](int64_t ns) { return int64_t{SplitTimestamp(ns).day}; });
}
Expr hour(const Expr& e) {
  return Field(e, "hour", [](int64_t ns) { return SplitTimestamp(ns).hour; });
}
Expr minute(const Expr& e) {
  return Field(e, "minute", [](int64_t ns) { return SplitTimestamp(ns).minute; });
}
Expr second(const Expr& e) {
  return Field(e, "second", [](int64_t ns) { return SplitTimestamp(ns).second; });
}
Expr millisecond(const Expr& e) {
  return Field(e, "millisecond",
               [](int64_t ns) { return SplitTimestamp(ns).nanosecond / 1000000; });
}
Expr microsecond(const Expr& e) {
  return Field(e, "microsecond", [](int64_t ns) { return SplitTimestamp(ns).nanosecond / 1000; });
}
Expr nanosecond(const Expr& e) {
  return Field(e, "nanosecond", [](int64_t ns) { return SplitTimestamp(ns).nanosecond; });
}
Expr weekday(const Expr& e) {
  return Field(e, "weekday", Weekday);
}

Expr floor(const Expr& e, int64_t duration_ns) {
  const Expr call = apply(
      dtype::Any,
      [duration_ns](std::span<const Value> args, ValueArena&) {
        const Value& v = args[0];
        if (v.is_none()) return Value::None();
        if (duration_ns <= 0) {
          SetApplyError(fmt::format("the duration must be positive, got {} ns", duration_ns));
          return Value::Error();
        }
        if (!IsDateTime(v)) {
          SetApplyError(fmt::format("expected a datetime, got {}", ReprValue(v)));
          return Value::Error();
        }
        const int64_t ns = FloorDiv(v.as_timestamp(), duration_ns) * duration_ns;
        return v.kind() == ValueKind::kDateTimeUtc ? Value::DateTimeUtc(ns)
                                                   : Value::DateTimeNaive(ns);
      },
      {e}, "dt.floor");
  auto node = std::make_shared<ExprNode>(call.node());
  node->type_of_first_arg = true;  // A naive datetime stays naive, a UTC one UTC.
  return Expr(std::move(node));
}

}  // namespace vigil::dt
