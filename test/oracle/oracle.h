#pragma once

// A deliberately naive reference evaluator for random groupby/windowby pipelines.
//
// It recomputes a pipeline's whole output from the full input table as of one time, with
// plain std containers and textbook loops, sharing no code with the engine's operators
// (src/vigil/ops). Only KeyHasher (Pathway's id recipe, SEMANTICS.md Appendix A) and
// FormatValue (to print results the way the engine's rows are printed) come from the engine.
// The rules it encodes are read from conformance/SEMANTICS.md: §1.2 window assignment, §1.7
// window ids, §3 reducers. oracle_test.cc checks the engine against it at every commit.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "vigil/common/key.h"

namespace vigil::oracle {

/// A value the oracle computes with: independent of the engine's Value so that a bug in the
/// engine's value helpers cannot hide in both sides. `Err` is the per-value Error marker
/// (unique() over a group whose values disagree).
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

/// Total order of oracle values (the value order of §3 for the kinds that occur here: None
/// first, numbers numerically, strings bytewise, pointers as u128, tuples lexicographically).
int Compare(const OValue& a, const OValue& b);
bool Equal(const OValue& a, const OValue& b);
/// Python str() of the value, as the engine prints a cell (goes through vigil::FormatValue).
std::string Format(const OValue& v);
/// Pathway's key of a list of values: xxh3-128 of their tagged encodings (Appendix A).
Key HashValues(const std::vector<OValue>& values);

/// Input row of the oracle: columns are `k` (int), `s` (str), `v` (int), `f` (float, a
/// multiple of 0.5 so that sums are exact in any order) and `t` (int, the event time windows
/// use); `time` is the processing time of the commit that inserted this version of the row.
struct InputRow {
  Key id;
  std::map<std::string, OValue> values;
  uint64_t time = 0;
};

// ---- Pipeline description --------------------------------------------------------------

struct FilterSpec {
  enum class Kind { kNone, kModNotEqual, kGreater };  // kModNotEqual: int columns only
  Kind kind = Kind::kNone;
  std::string column = "v";
  int64_t modulus = 2;    ///< kModNotEqual: `column % modulus != remainder` (Python modulo).
  int64_t remainder = 0;
  int64_t threshold = 0;  ///< kGreater: `column > threshold`.
};

/// Optional `with_columns(w = v * mul + add)`.
struct WithColumnsSpec {
  bool enabled = false;
  int64_t mul = 1;
  int64_t add = 0;
};

struct WindowSpec {
  enum class Kind { kTumbling, kSliding };
  Kind kind = Kind::kTumbling;
  int64_t hop = 1;       ///< Tumbling: the duration.
  int64_t duration = 1;  ///< Sliding only (ignored when `ratio` is set).
  std::optional<int64_t> ratio;   ///< Sliding given by ratio: duration = ratio * hop.
  std::optional<int64_t> origin;  ///< Explicit origin (filters windows starting before it).
  std::optional<std::string> instance;  ///< Instance column name.
};

enum class ReducerOp {
  kCount, kSum, kAvg, kMin, kMax, kArgMin, kArgMax, kCountDistinct, kAny, kUnique, kTuple,
  kSortedTuple, kEarliest, kLatest,
};

struct ReducerCall {
  ReducerOp op = ReducerOp::kCount;
  /// Argument columns (count: none; count_distinct: zero or more; others: one).
  std::vector<std::string> columns;
  /// The argument is the float expression `column + 0.5` instead of the column.
  bool plus_half = false;
  /// argmin/argmax: the `id` argument column (empty: the row id, in windowby the input id).
  std::string id_column;
};

struct Pipeline {
  FilterSpec filter;
  WithColumnsSpec with_columns;
  bool windowed = false;
  std::vector<std::string> group_columns;  ///< groupby keys (when !windowed).
  WindowSpec window;                        ///< windowby (when windowed).
  std::vector<ReducerCall> reducers;        ///< Output columns r0, r1, ...
  /// windowby: also output `_pw_window`, and the instance column under its own name.
  bool output_window_tuple = false;
  bool output_instance_alias = false;
  /// Adds `spread = max(v) - min(v)`: an expression over two reducers.
  bool output_spread = false;

  /// Output column names, in order.
  std::vector<std::string> OutputColumns() const;
  /// Reads like the C++ API call chain that builds it.
  std::string Describe() const;
};

std::string ReducerText(const ReducerCall& r);
/// Name of the output column of reducer `i`: r0, r1, ...
std::string ReducerColumn(size_t i);

/// One output row: its id and its values, in OutputColumns() order.
struct OutputRow {
  Key id;
  std::vector<OValue> values;
};

/// The output table of `pipeline` over the table holding exactly `rows`.
std::vector<OutputRow> Evaluate(const Pipeline& pipeline, const std::vector<InputRow>& rows);

/// The window starts of time `t` under `window`, as (start, window index) pairs: every window
/// [start, start + duration) with start <= t < end, indexed in ascending start among all of
/// them, then those starting before an explicit origin dropped (their indexes stay).
std::vector<std::pair<int64_t, int64_t>> AssignWindows(const WindowSpec& window, int64_t t);

}  // namespace vigil::oracle
