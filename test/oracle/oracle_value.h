#pragma once

// The values the naive oracle computes with: independent of the engine's Value so that a
// bug in the engine's value helpers cannot hide in both sides. Only KeyHasher (Pathway's id
// recipe, SEMANTICS.md Appendix A) and FormatValue (to print a cell the way the engine's rows
// are printed) come from the engine.

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "vigil/common/key.h"

namespace vigil::oracle {

/// The per-value Error marker (unique() over a group whose values disagree).
struct Err {
  friend bool operator==(const Err&, const Err&) = default;
};
struct OValue;
using OTuple = std::vector<OValue>;
struct OValue {
  std::variant<std::monostate, int64_t, double, std::string, Key, OTuple, Err> v;

  static OValue None() { return OValue{}; }
  static OValue Int(int64_t i) { return OValue{i}; }
  static OValue Float(double f) { return OValue{f}; }
  static OValue Str(std::string s) { return OValue{std::move(s)}; }
  static OValue Pointer(Key k) { return OValue{k}; }
  static OValue Tuple(OTuple t) { return OValue{std::move(t)}; }
  static OValue Error() { return OValue{Err{}}; }

  bool is_int() const { return std::holds_alternative<int64_t>(v); }
  int64_t as_int() const { return std::get<int64_t>(v); }
  double as_number() const {
    return is_int() ? static_cast<double>(as_int()) : std::get<double>(v);
  }
};

/// Total order of oracle values (the value order of SEMANTICS.md §3 for the kinds that occur
/// here: None first, numbers numerically, pointers as u128, strings bytewise, tuples
/// lexicographically).
int Compare(const OValue& a, const OValue& b);
bool Equal(const OValue& a, const OValue& b);
/// Python str() of the value, as the engine prints a cell (goes through vigil::FormatValue).
std::string Format(const OValue& v);
/// Pathway's key of a list of values: xxh3-128 of their tagged encodings (Appendix A).
Key HashValues(const std::vector<OValue>& values);
/// Key order: the 128-bit unsigned integer hi:lo.
bool KeyLess(const Key& a, const Key& b);
/// Pathway's sharding: the low 16 bits of `key` replaced by those of `shard`.
Key Sharded(Key key, const Key& shard);

/// Python's floor division and modulo (the divisor is positive here).
int64_t FloorDiv(int64_t a, int64_t b);
int64_t PythonMod(int64_t a, int64_t b);

/// Lexicographic order of value lists (group keys, count_distinct tuples).
struct ValuesLess {
  bool operator()(const std::vector<OValue>& a, const std::vector<OValue>& b) const;
};

/// A row's columns by name: `k` (int), `s` (str), `v` (int), `f` (float), `t` (int, the event
/// time) and, after with_columns, `w` (int).
using Row = std::map<std::string, OValue>;
/// Order of rows (column names, then values): lets changes of equal rows be summed.
struct RowLess {
  bool operator()(const Row& a, const Row& b) const;
};
bool RowEqual(const Row& a, const Row& b);

}  // namespace vigil::oracle
