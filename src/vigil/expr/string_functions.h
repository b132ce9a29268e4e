#pragma once

#include <optional>
#include <string>

#include "vigil/expr/expression.h"

/// String functions of expressions: Pathway's `.str` namespace (`pw.this.name.str.lower()`,
/// ...). None gives None; a value that is not a string (or a string that does not parse)
/// gives an Error value and a runtime error naming the function and the value.
///
/// Positions and lengths count code points (UTF-8 sequences), as Python's do. Case mapping
/// and blanks are ASCII's: `lower`/`upper` change only A-Z/a-z, `strip` removes
/// " \t\n\v\f\r"; Python also maps other letters and blanks (a documented difference).
namespace vigil::str {

Expr lower(const Expr& e);
Expr upper(const Expr& e);
/// Number of code points.
Expr len(const Expr& e);
/// Without leading and trailing blanks, or without the code points of `chars` when given.
Expr strip(const Expr& e, std::optional<std::string> chars = std::nullopt);
Expr startswith(const Expr& e, std::string prefix);
Expr endswith(const Expr& e, std::string suffix);
/// Non-overlapping occurrences of `sub` (an empty `sub` occurs len + 1 times, as in Python).
Expr count(const Expr& e, std::string sub);
/// Code-point index of the first occurrence of `sub`, -1 when absent.
Expr find(const Expr& e, std::string sub);
/// Code-point index of the last occurrence of `sub`, -1 when absent.
Expr rfind(const Expr& e, std::string sub);
/// Code points [start, end) with Python's slice rules (negative counts from the end).
Expr slice(const Expr& e, int64_t start, int64_t end);
/// The code points in reverse order.
Expr reversed(const Expr& e);
Expr removeprefix(const Expr& e, std::string prefix);
Expr removesuffix(const Expr& e, std::string suffix);
/// `old` replaced by `replacement`, at most `max_count` times (all when negative).
Expr replace(const Expr& e, std::string old, std::string replacement, int64_t max_count = -1);
/// An int: optional sign and decimal digits, blanks around allowed (as Python's int()).
/// With `optional`, a string that does not parse gives None instead of an Error.
Expr parse_int(const Expr& e, bool optional = false);
/// A float, as Python's float() reads one (blanks around allowed; inf, nan).
Expr parse_float(const Expr& e, bool optional = false);

}  // namespace vigil::str
