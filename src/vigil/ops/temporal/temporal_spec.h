#pragma once

#include <optional>
#include <vector>

#include "vigil/expr/bound_expr.h"
#include "vigil/ops/temporal/growth_steps.h"
#include "vigil/types/value.h"

namespace vigil {

/// An event time read from a row: `expr`, plus `shift` when given (`_pw_window_end` + cutoff).
/// The sum is computed by the temporal operator, not by the expression evaluator, because it
/// must saturate: integer and datetime sums clamp to the int64 range (common/saturating.h), so
/// a window ending near 2^63 stays "far in the future" instead of wrapping to the past. Float
/// sums are plain IEEE additions. `shift` is an int, float or duration (never a string).
struct TimeExpr {
  BoundExpr expr;
  std::optional<Value> shift;
};

/// How a temporal operator (cutoff, delay buffer, forget) reads the rows it judges, fixed at
/// graph-build time. Pathway's time-column operators take the same two extractors.
///
/// Every row has a *threshold* (the event time at which it becomes late, due, or forgettable:
/// `_pw_window_end + cutoff`, `_pw_window_start + delay`, `time + threshold`) and a *current
/// time* (the event time it advances the operator's "now" with). Both are expressions over the
/// operator's input, so one operator serves windowby behaviors and the plain-table methods
/// (ignore_late, buffer, forget).
struct TemporalSpec {
  TimeExpr threshold;
  /// The row's current time is the largest of these values. Windowby's forget step needs
  /// two: Pathway rewrites a released pair's time column to max(t, window_start + delay)
  /// before forgetting, and "now" of forgetting follows the rewritten time.
  std::vector<TimeExpr> current_times;
  /// Forget only, set by windowby: remember and forget whole groups of the downstream
  /// groupby (windows, identified by these key values) instead of single rows, so memory is
  /// one row per live window rather than every row of it. Valid because every row of a
  /// window has the same threshold (end + cutoff), so Pathway forgets a window's rows
  /// together, and the cutoff before forget lets no row of a forgotten window through again.
  std::vector<BoundExpr> group_keys;
  /// With group_keys, Pathway's keep_results: forgetting frees the window and keeps its
  /// result row (true) or retracts it (false).
  bool keep_results = true;
  /// Cutoff only: judge each row against the latest current time of the rows before it in
  /// reading order instead of the earlier commits (Behavior::CutoffClock::kReadingOrder,
  /// see README.md). `row_identity` (windowby: `_pw_original_id`) groups the consecutive
  /// (row, window) pairs of one input row, which must not judge each other; without it
  /// every row is its own.
  bool reading_order = false;
  std::optional<BoundExpr> row_identity;
  /// Growth gate only (windowby with Behavior::growth_steps; group_keys name the windows).
  GrowthSteps growth;
  /// Delay only, set by windowby for exactly_once_behavior: its delay releases a window
  /// exactly when its cutoff closes it (`start + duration + shift = end + shift`), so no row
  /// of a released window follows, and GroupedTable::reduce may turn the delay into
  /// `hold_results` when no reducer reads processing time.
  bool exactly_once_window = false;
  /// Delay only: hold the downstream groupby's *results* instead of its input rows. Rows pass
  /// at once; the groupby (behind windowby's forget) aggregates them as they come and emits a
  /// window's groups when "now" reaches the window's threshold, in the commit where the delay
  /// would have released the window's rows (DelayOperator's class comment). Same update stream
  /// as holding the rows, for reducers that do not read processing time (not earliest/latest);
  /// state is one group per (window, instance) instead of every distinct row.
  bool hold_results = false;
};

}  // namespace vigil
