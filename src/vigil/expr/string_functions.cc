#include "vigil/expr/string_functions.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace vigil::str {

namespace {

constexpr std::string_view kBlanks = " \t\n\v\f\r";

/// Whether byte `c` starts a code point (is not a UTF-8 continuation byte).
bool StartsCodePoint(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

int64_t CodePoints(std::string_view s) {
  int64_t n = 0;
  for (char c : s) n += StartsCodePoint(c) ? 1 : 0;
  return n;
}

/// A function of one string argument; `fn(text, arena)` gives the result.
template <typename Fn>
Expr OfString(const Expr& e, DType result, const char* name, Fn fn) {
  return apply(
      result,
      [fn](std::span<const Value> args, ValueArena& arena) -> Value {
        const Value& v = args[0];
        if (v.is_none()) return Value::None();
        if (v.kind() != ValueKind::kString) {
          SetApplyError(fmt::format("expected a string, got {}", ReprValue(v)));
          return Value::Error();
        }
        return fn(v.as_string(), arena);
      },
      {e}, std::string("str.") + name);
}

/// `s` with each byte mapped by `map`, into the arena (views need no copy when unchanged).
template <typename Map>
Value MapBytes(std::string_view s, ValueArena& arena, Map map) {
  size_t first = 0;
  while (first < s.size() && map(s[first]) == s[first]) ++first;
  if (first == s.size()) return Value::String(s);  // Unchanged: a view of the argument.
  Value out = arena.CopyString(s);
  char* bytes = const_cast<char*>(out.as_string().data());  // Just allocated, ours.
  for (size_t i = first; i < s.size(); ++i) bytes[i] = map(s[i]);
  return out;
}

/// The number in `s` for from_chars: blanks around removed, and a leading '+' (which
/// from_chars refuses and Python accepts); empty when nothing is left or a sign follows it.
std::string_view NumberText(std::string_view s) {
  const size_t begin = s.find_first_not_of(kBlanks);
  if (begin == std::string_view::npos) return {};
  std::string_view t = s.substr(begin, s.find_last_not_of(kBlanks) - begin + 1);
  if (t[0] == '+') t.remove_prefix(1);
  if (!t.empty() && (t[0] == '+' || t[0] == '-') && s[begin] == '+') return {};
  return t;
}

}  // namespace

Expr lower(const Expr& e) {
  return OfString(e, dtype::Str, "lower", [](std::string_view s, ValueArena& arena) {
    return MapBytes(s, arena, [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; });
  });
}

Expr upper(const Expr& e) {
  return OfString(e, dtype::Str, "upper", [](std::string_view s, ValueArena& arena) {
    return MapBytes(s, arena, [](char c) { return c >= 'a' && c <= 'z' ? char(c - 32) : c; });
  });
}

Expr len(const Expr& e) {
  return OfString(e, dtype::Int, "len",
                  [](std::string_view s, ValueArena&) { return Value::Int(CodePoints(s)); });
}

Expr strip(const Expr& e, std::optional<std::string> chars) {
  return OfString(e, dtype::Str, "strip", [chars](std::string_view s, ValueArena&) {
    if (!chars) {
      const size_t begin = s.find_first_not_of(kBlanks);
      if (begin == std::string_view::npos) return Value::String(s.substr(0, 0));
      return Value::String(s.substr(begin, s.find_last_not_of(kBlanks) - begin + 1));
    }
    // Code points of `chars`, compared whole (a multi-byte character is one).
    const auto strippable = [&chars](std::string_view cp) {
      for (size_t i = 0; i < chars->size();) {
        size_t j = i + 1;
        while (j < chars->size() && !StartsCodePoint((*chars)[j])) ++j;
        if (std::string_view(*chars).substr(i, j - i) == cp) return true;
        i = j;
      }
      return false;
    };
    size_t begin = 0, end = s.size();
    while (begin < end) {
      size_t next = begin + 1;
      while (next < end && !StartsCodePoint(s[next])) ++next;
      if (!strippable(s.substr(begin, next - begin))) break;
      begin = next;
    }
    while (end > begin) {
      size_t prev = end - 1;
      while (prev > begin && !StartsCodePoint(s[prev])) --prev;
      if (!strippable(s.substr(prev, end - prev))) break;
      end = prev;
    }
    return Value::String(s.substr(begin, end - begin));
  });
}

Expr startswith(const Expr& e, std::string prefix) {
  return OfString(e, dtype::Bool, "startswith", [prefix](std::string_view s, ValueArena&) {
    return Value::Bool(s.substr(0, prefix.size()) == prefix);
  });
}

Expr endswith(const Expr& e, std::string suffix) {
  return OfString(e, dtype::Bool, "endswith", [suffix](std::string_view s, ValueArena&) {
    return Value::Bool(s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix);
  });
}

Expr count(const Expr& e, std::string sub) {
  return OfString(e, dtype::Int, "count", [sub](std::string_view s, ValueArena&) {
    if (sub.empty()) return Value::Int(CodePoints(s) + 1);
    int64_t n = 0;
    for (size_t at = s.find(sub); at != std::string_view::npos; at = s.find(sub, at + sub.size())) {
      ++n;
    }
    return Value::Int(n);
  });
}

Expr find(const Expr& e, std::string sub) {
  return OfString(e, dtype::Int, "find", [sub](std::string_view s, ValueArena&) {
    const size_t at = s.find(sub);
    return Value::Int(at == std::string_view::npos ? -1 : CodePoints(s.substr(0, at)));
  });
}

Expr rfind(const Expr& e, std::string sub) {
  return OfString(e, dtype::Int, "rfind", [sub](std::string_view s, ValueArena&) {
    const size_t at = s.rfind(sub);
    return Value::Int(at == std::string_view::npos ? -1 : CodePoints(s.substr(0, at)));
  });
}

Expr slice(const Expr& e, int64_t start, int64_t end) {
  return OfString(e, dtype::Str, "slice", [start, end](std::string_view s, ValueArena&) {
    const int64_t n = CodePoints(s);
    const auto clamp = [n](int64_t i) { return std::clamp(i < 0 ? i + n : i, int64_t{0}, n); };
    const int64_t from = clamp(start), to = clamp(end);
    if (from >= to) return Value::String(s.substr(0, 0));
    // Byte offsets of code points `from` and `to`.
    size_t begin = s.size(), stop = s.size();
    int64_t index = -1;
    for (size_t i = 0; i < s.size(); ++i) {
      if (!StartsCodePoint(s[i])) continue;
      ++index;
      if (index == from) begin = i;
      if (index == to) {
        stop = i;
        break;
      }
    }
    return Value::String(s.substr(begin, stop - begin));
  });
}

Expr reversed(const Expr& e) {
  return OfString(e, dtype::Str, "reversed", [](std::string_view s, ValueArena& arena) {
    thread_local std::string out;
    out.clear();
    size_t end = s.size();
    while (end > 0) {
      size_t begin = end - 1;
      while (begin > 0 && !StartsCodePoint(s[begin])) --begin;
      out.append(s.substr(begin, end - begin));
      end = begin;
    }
    return arena.CopyString(out);
  });
}

Expr removeprefix(const Expr& e, std::string prefix) {
  return OfString(e, dtype::Str, "removeprefix", [prefix](std::string_view s, ValueArena&) {
    return Value::String(s.substr(0, prefix.size()) == prefix ? s.substr(prefix.size()) : s);
  });
}

Expr removesuffix(const Expr& e, std::string suffix) {
  return OfString(e, dtype::Str, "removesuffix", [suffix](std::string_view s, ValueArena&) {
    const bool has = !suffix.empty() && s.size() >= suffix.size() &&
                     s.substr(s.size() - suffix.size()) == suffix;
    return Value::String(has ? s.substr(0, s.size() - suffix.size()) : s);
  });
}

Expr replace(const Expr& e, std::string old, std::string replacement, int64_t max_count) {
  return OfString(
      e, dtype::Str, "replace",
      [old, replacement, max_count](std::string_view s, ValueArena& arena) {
        thread_local std::string out;
        out.clear();
        int64_t done = 0;
        const auto more = [&done, max_count] { return max_count < 0 || done < max_count; };
        if (old.empty()) {  // Python: before every code point and at the end.
          for (size_t i = 0; i < s.size(); ++i) {
            if (StartsCodePoint(s[i]) && more()) {
              out += replacement;
              ++done;
            }
            out += s[i];
          }
          if (more()) out += replacement;
          return arena.CopyString(out);
        }
        size_t from = 0;
        for (size_t at = s.find(old); at != std::string_view::npos && more();
             at = s.find(old, from)) {
          out.append(s.substr(from, at - from));
          out += replacement;
          from = at + old.size();
          ++done;
        }
        if (done == 0) return Value::String(s);
        out.append(s.substr(from));
        return arena.CopyString(out);
      });
}

Expr parse_int(const Expr& e, bool optional) {
  return OfString(e, optional ? dtype::Optional(dtype::Int) : dtype::Int, "parse_int",
                  [optional](std::string_view s, ValueArena&) {
    const std::string_view t = NumberText(s);
    int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (t.empty() || ec != std::errc() || ptr != t.data() + t.size()) {
      if (optional) return Value::None();
      SetApplyError(fmt::format("{} is not an int{}", ReprValue(Value::String(s)),
                                ec == std::errc::result_out_of_range ? " of 64 bits" : ""));
      return Value::Error();
    }
    return Value::Int(value);
  });
}

Expr parse_float(const Expr& e, bool optional) {
  return OfString(e, optional ? dtype::Optional(dtype::Float) : dtype::Float, "parse_float",
                  [optional](std::string_view s, ValueArena&) {
    const std::string_view t = NumberText(s);
    double value = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    // from_chars reads "1e999" as out of range; Python's float() gives inf.
    const bool overflow = ec == std::errc::result_out_of_range;
    if (t.empty() || (ec != std::errc() && !overflow) || ptr != t.data() + t.size()) {
      if (optional) return Value::None();
      SetApplyError(fmt::format("{} is not a float", ReprValue(Value::String(s))));
      return Value::Error();
    }
    // Out of range (from_chars leaves `value` as it was): strtod gives Python's answer,
    // +-inf for an overflow, 0 for an underflow.
    if (overflow) value = std::strtod(std::string(t).c_str(), nullptr);
    return Value::Float(value);
  });
}

}  // namespace vigil::str
