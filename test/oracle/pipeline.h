#pragma once

// The shape of a random pipeline, shared by the oracle (oracle.h), the engine builder
// (engine_pipeline.h) and the generator (random_pipeline.h):
//
//   input [.filter] [.with_columns(w)] [.ignore_late | .buffer | .forget] .groupby(keys)
//   input [.filter] [.with_columns(w)] .windowby(t, tumbling | sliding | session,
//                                                [instance], [behavior])
//   then .reduce(group columns, reducers...)

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::oracle {

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

/// A plain-table temporal operator on the event time `t` before a groupby (SEMANTICS.md §2.3
/// last bullets; CASES.md O-01..O-03): ignore_late drops rows with `t + threshold <= now`
/// (now of the earlier commits), buffer holds rows until now >= `t + threshold` (now
/// including the current commit), forget retracts rows once now (of the earlier commits)
/// reached `t + threshold`.
struct TemporalOpSpec {
  enum class Kind { kNone, kIgnoreLate, kBuffer, kForget };
  Kind kind = Kind::kNone;
  double threshold = 0;  ///< An int or a half-integer (then passed to the engine as float).
};

/// Session joining rule of two adjacent times of one instance (prev <= next).
enum class SessionRule {
  kMaxGap,         ///< session(max_gap = gap): next - prev < gap (gap may be a half-integer).
  kAbsDiffBelow,   ///< predicate |prev - next| < gap
  kAbsDiffAtMost,  ///< predicate |prev - next| <= gap
  kGapOrMultiple,  ///< predicate next - prev <= gap or next % 3 == 0 (not monotone in the gap)
};

struct WindowSpec {
  enum class Kind { kTumbling, kSliding, kSession };
  Kind kind = Kind::kTumbling;
  int64_t hop = 1;       ///< Tumbling: the duration.
  int64_t duration = 1;  ///< Sliding only (ignored when `ratio` is set).
  std::optional<int64_t> ratio;   ///< Sliding given by ratio: duration = ratio * hop.
  std::optional<int64_t> origin;  ///< Explicit origin (filters windows starting before it).
  SessionRule session_rule = SessionRule::kMaxGap;  ///< kSession only.
  double gap = 1;                                   ///< kSession only.
  std::optional<std::string> instance;  ///< Instance column name.

  /// Window length of tumbling/sliding windows.
  int64_t Duration() const;
  /// Whether the session rule joins adjacent times `prev` <= `next`.
  bool Joins(int64_t prev, int64_t next) const;
};

/// A temporal behavior (SEMANTICS.md §2.1): common_behavior(delay, cutoff, keep_results) or
/// exactly_once_behavior(shift).
struct BehaviorSpec {
  enum class Kind { kCommon, kExactlyOnce };
  Kind kind = Kind::kCommon;
  std::optional<int64_t> delay;
  std::optional<int64_t> cutoff;
  bool keep_results = true;
  std::optional<int64_t> shift;  ///< kExactlyOnce; none means 0.

  /// The common behavior it amounts to for a window of length `duration` (exactly_once is
  /// common_behavior(delay = duration + shift, cutoff = shift, keep_results = true)).
  BehaviorSpec Effective(int64_t duration) const;
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
  TemporalOpSpec temporal_op;              ///< Only before a groupby.
  bool windowed = false;
  std::vector<std::string> group_columns;  ///< groupby keys (when !windowed).
  WindowSpec window;                       ///< windowby (when windowed).
  /// windowby's behavior (sessions ignore it, as in Pathway).
  std::optional<BehaviorSpec> behavior;
  std::vector<ReducerCall> reducers;       ///< Output columns r0, r1, ...
  /// windowby: also output `_pw_window`, and the instance column under its own name.
  bool output_window_tuple = false;
  bool output_instance_alias = false;
  /// Adds `spread = max(v) - min(v)`: an expression over two reducers.
  bool output_spread = false;

  bool is_session() const { return windowed && window.kind == WindowSpec::Kind::kSession; }
  /// A behavior that acts (tumbling/sliding windows only).
  bool has_active_behavior() const { return windowed && behavior && !is_session(); }
  /// Output column names, in order.
  std::vector<std::string> OutputColumns() const;
  /// Reads like the C++ API call chain that builds it.
  std::string Describe() const;
};

std::string ReducerText(const ReducerCall& r);
/// Name of the output column of reducer `i`: r0, r1, ...
std::string ReducerColumn(size_t i);

}  // namespace vigil::oracle
