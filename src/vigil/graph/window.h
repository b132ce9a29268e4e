#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vigil/common/status.h"
#include "vigil/expr/expression.h"
#include "vigil/ops/temporal/growth_steps.h"
#include "vigil/types/value.h"

namespace vigil {

class Table;
struct TableNode;

/// A time-like parameter of a window (hop, duration, origin): an int, a float, a duration or
/// a datetime, converting implicitly from C++ values so calls read like Pathway's.
class TimeParam {
 public:
  TimeParam(int v) : value_(Value::Int(v)) {}           // NOLINT
  TimeParam(int64_t v) : value_(Value::Int(v)) {}       // NOLINT
  TimeParam(double v) : value_(Value::Float(v)) {}      // NOLINT
  template <typename Rep, typename Period>
  TimeParam(std::chrono::duration<Rep, Period> d)  // NOLINT: any std::chrono duration.
      : value_(Value::Duration(
            std::chrono::duration_cast<std::chrono::nanoseconds>(d).count())) {}
  explicit TimeParam(Value v) : value_(v) {}
  const Value& value() const { return value_; }

 private:
  Value value_;  // Never a string or tuple: safe to copy as a view.
};

/// A datetime parameter (e.g. an origin) from `YYYY-MM-DDTHH:MM:SS[+zone]`.
TimeParam datetime_naive(const std::string& text);
TimeParam datetime_utc(const std::string& text);

/// The most windows one row may fall in (Vigil's bound, not Pathway's): a sliding window puts
/// every row in ceil(duration / hop) windows, so a huge ratio (`sliding(1, 1000000)`) would
/// turn each input row into a million (row, window) pairs, allocating until the process runs
/// out of memory. windowby rejects such a window when the graph is built (a
/// Status::Invalid naming the ratio), before any row is read; fronts can check their
/// parameters against this constant first (the CLI's `--window` / `--hop`).
inline constexpr int64_t kMaxWindowsPerRow = 10000;

/// How many windows of `sliding(hop, duration)` contain one point: ceil(duration / hop), or
/// `ratio` for sliding(hop, ratio=...). Parameters must be of one family (ints/floats, or
/// durations); returns nullopt when they are not, or are not positive (windowby reports
/// those with their own errors). Saturates at INT64_MAX.
std::optional<int64_t> WindowsPerRow(const Value& hop, const std::optional<Value>& duration,
                                     std::optional<int64_t> ratio);

/// OK, or the Invalid status windowby returns when WindowsPerRow exceeds kMaxWindowsPerRow.
Status CheckWindowsPerRow(const Value& hop, const std::optional<Value>& duration,
                          std::optional<int64_t> ratio);

/// A window definition for windowby: tumbling, sliding, session or intervals_over.
struct Window {
  enum class Kind { kTumbling, kSliding, kSession, kIntervalsOver };
  Kind kind = Kind::kTumbling;
  std::optional<TimeParam> hop;
  std::optional<TimeParam> duration;
  std::optional<int64_t> ratio;
  std::optional<TimeParam> origin;
  /// kSession: adjacent rows (by time) share a session when next - prev < max_gap ...
  std::optional<TimeParam> max_gap;
  /// ... or, without max_gap, when predicate(prev_time, next_time) holds.
  std::function<bool(const Value&, const Value&)> predicate;
  /// kIntervalsOver: one window [p + lower_bound, p + upper_bound] per value p of `at`, an
  /// expression over the probe table `at_table`.
  std::shared_ptr<const TableNode> at_table;
  std::optional<Expr> at;
  std::optional<TimeParam> lower_bound, upper_bound;
  bool is_outer = true;  ///< kIntervalsOver: a probe with no rows gives one row of Nones.
  Status status;  ///< A window built with inconsistent arguments carries the error here.
  /// Legal but suspicious arguments (a sliding hop longer than its duration); windowby hands
  /// them on to the reduced table's warnings().
  std::vector<std::string> warnings;
};

/// sliding()'s parameters by name, so that hop and duration cannot be swapped unnoticed:
/// `temporal::sliding({.hop = 10, .duration = 60})`. Exactly one of duration and ratio.
struct SlidingParams {
  // Default initializers: members left out of a designated initializer draw no
  // -Wmissing-field-initializers warning.
  std::optional<TimeParam> hop = std::nullopt;
  std::optional<TimeParam> duration = std::nullopt;
  std::optional<int64_t> ratio = std::nullopt;
  std::optional<TimeParam> origin = std::nullopt;
};

/// tumbling()'s parameters by name: `temporal::tumbling({.duration = 60, .origin = 30})`.
struct TumblingParams {
  std::optional<TimeParam> duration = std::nullopt;
  std::optional<TimeParam> origin = std::nullopt;
};

/// When a tumbling/sliding windowby emits results and when it stops updating (and forgets)
/// a window: Pathway's temporal behaviors. Built by temporal::common_behavior and
/// temporal::exactly_once_behavior; passed to Table::windowby. Parameters are checked against
/// the time column's type there, like the window's.
struct Behavior {
  enum class Kind { kCommon, kExactlyOnce };
  /// Which "now" the cutoff compares a (row, window) pair's threshold (window end + cutoff)
  /// with. See ops/temporal/README.md, "The reading-order clock".
  enum class CutoffClock {
    /// Pathway's rule (the default): the latest event time of the *earlier commits*, so a
    /// commit is judged as a whole and rows of one commit are never late relative to each
    /// other. The accepted rows depend on how the input was cut into commits.
    kPerCommit,
    /// A Vigil extension: the latest event time among the pairs that came *before* this
    /// one in reading order (rows in batch order within a commit, commits in order), the
    /// pair's own row excluded. The accepted rows depend only on the order of the rows,
    /// never on commit boundaries, so a replay in big commits and a live follower in tiny
    /// ones agree. Forgetting and exactly_once emission stay consistent: a window forgotten
    /// or emitted is one that no later row can enter.
    kReadingOrder,
  };
  Kind kind = Kind::kCommon;
  /// kCommon: a window's first result waits until now >= window_start + delay.
  std::optional<TimeParam> delay;
  /// kCommon: rows arriving when now >= window_end + cutoff are ignored, and the window's
  /// state is forgotten.
  std::optional<TimeParam> cutoff;
  /// kCommon: with false, a forgotten window's result row is retracted too.
  bool keep_results = true;
  /// kExactlyOnce: each window is emitted once, when now >= window_end + shift.
  std::optional<TimeParam> shift;
  /// Both kinds: see CutoffClock. Set it on the value the builders return:
  /// `auto b = temporal::exactly_once_behavior(5); b.cutoff_clock = ...kReadingOrder;`.
  CutoffClock cutoff_clock = CutoffClock::kPerCommit;
  /// kCommon with a cutoff, a Vigil extension: a big window's result is updated in steps
  /// (each time its row count has grown by `factor`, from `min_rows` rows on) instead of in
  /// every commit that changes it, and exactly when it closes (now >= end + cutoff) or at
  /// the end of input. For results that cost O(rows) to recompute (a sorted_tuple of every
  /// row) in live runs with small commits: O(log rows) recomputations instead of one per
  /// commit. Final results are the same as without it. See ops/temporal/growth_gate_op.h.
  std::optional<GrowthSteps> growth_steps;
  Status status;  ///< A behavior built with inconsistent arguments carries the error here.
};

namespace temporal {
/// Windows [origin + k*duration, origin + (k+1)*duration).
Window tumbling(TimeParam duration, std::optional<TimeParam> origin = std::nullopt);
Window tumbling(const TumblingParams& params);
/// Windows of length `duration` starting every `hop`; exactly one of duration and ratio
/// (duration = ratio * hop) must be given. hop > duration leaves gaps (allowed, as in
/// Pathway, but reported in the table's warnings(): the arguments may have been swapped).
/// Prefer the named form, `sliding({.hop = 10, .duration = 60})`.
Window sliding(TimeParam hop, std::optional<TimeParam> duration,
               std::optional<int64_t> ratio = std::nullopt,
               std::optional<TimeParam> origin = std::nullopt);
Window sliding(const SlidingParams& params);
/// Sessions: rows of one instance sorted by time, adjacent rows closer than `max_gap` (strict)
/// share a session; `_pw_window_start`/`_pw_window_end` are its min and max time (inclusive).
/// Behaviors are ignored for sessions, as in Pathway.
Window session(TimeParam max_gap);
/// Sessions whose adjacent rows are joined when predicate(prev_time, next_time) holds.
Window session_predicate(std::function<bool(const Value&, const Value&)> predicate);
/// Pathway's intervals_over(at=..., lower_bound, upper_bound, is_outer): for every row of
/// `at_table`, the window [at + lower_bound, at + upper_bound] (both ends inclusive) of the
/// windowed table's time; `at_table` may be the windowed table itself. Reduce can use
/// `_pw_window_location` (the `at` value), `_pw_window_start`, `_pw_window_end`,
/// `_pw_instance`; tuple() orders by time. With is_outer, a probe with no rows still gives a
/// group of one row of Nones. As in Pathway, a common_behavior is ignored and an
/// exactly_once_behavior is a TypeError.
Window intervals_over(const Table& at_table, const Expr& at, TimeParam lower_bound,
                      TimeParam upper_bound, bool is_outer = true);

/// Pathway's common_behavior(delay, cutoff, keep_results): delay the first result of a window
/// until now >= start + delay; ignore rows arriving once now >= end + cutoff and forget the
/// window's state then (its result stays unless keep_results is false). keep_results=false
/// needs a cutoff. "now" is the largest event time seen, across all instances.
Behavior common_behavior(std::optional<TimeParam> delay = std::nullopt,
                         std::optional<TimeParam> cutoff = std::nullopt, bool keep_results = true);
/// Pathway's exactly_once_behavior(shift): each window's result is emitted once, when now
/// reaches end + shift (or at end of input), and never updated: common_behavior(delay =
/// duration + shift, cutoff = shift, keep_results = true). No shift means 0.
Behavior exactly_once_behavior(std::optional<TimeParam> shift = std::nullopt);
}  // namespace temporal

}  // namespace vigil
