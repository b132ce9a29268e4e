#pragma once

#include <string>

#include "vigil/expr/expression.h"

/// Datetime functions of expressions: Pathway's `.dt` namespace (`pw.this.t.dt.strptime(fmt)`,
/// `.dt.year()`, ...), as expressions any table operation takes. A row whose value cannot be
/// converted (a string that does not match the format, an argument of another type) gives
/// an Error value and a runtime error naming the function, the value and what was expected.
///
/// Formats (strptime, strftime) use these specifiers, with chrono's (and so Pathway's)
/// meanings: `%Y` year, `%m` month, `%d` day, `%e` day (space-padded), `%H` hour, `%I` hour
/// of 12 with `%p` AM/PM, `%M` minute, `%S` second, `%f` fraction of a second (parsed: 1-9
/// digits; printed: 9 digits, nanoseconds), `%y` two-digit year (69-99: 19xx, 00-68: 20xx),
/// `%b`/`%h` month abbreviation, `%B` month name, `%a` weekday abbreviation, `%A` weekday
/// name, `%j` day of the year, `%z` UTC offset (parsed: `+hhmm`, `+hh:mm` or `Z`; printed:
/// `+hhmm`, nothing for a naive datetime), `%s` seconds since the epoch, `%T` = `%H:%M:%S`,
/// `%F` = `%Y-%m-%d`, `%%` a percent sign. In strptime a blank in the format matches any run
/// of blanks (also none); every other character must match itself. Another specifier makes
/// every row an Error saying which.
namespace vigil::dt {

/// Parses strings into datetimes: DateTimeUtc when `format` has `%z` (the offset is
/// applied), DateTimeNaive otherwise.
Expr strptime(const Expr& e, std::string format);
/// Formats a DateTimeNaive or DateTimeUtc (in UTC) as a string.
Expr strftime(const Expr& e, std::string format);

/// Calendar fields of a DateTimeNaive, or of a DateTimeUtc in UTC, as ints.
Expr year(const Expr& e);
Expr month(const Expr& e);
Expr day(const Expr& e);
Expr hour(const Expr& e);
Expr minute(const Expr& e);
Expr second(const Expr& e);
Expr millisecond(const Expr& e);
Expr microsecond(const Expr& e);
Expr nanosecond(const Expr& e);
/// Monday = 0 ... Sunday = 6, as Python's datetime.weekday().
Expr weekday(const Expr& e);
/// The datetime rounded down to a multiple of `duration_ns` since the epoch (1970-01-01,
/// in UTC for a DateTimeUtc), of the same type: `dt.floor(timedelta(minutes=5))`.
Expr floor(const Expr& e, int64_t duration_ns);

}  // namespace vigil::dt
