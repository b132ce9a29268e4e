#pragma once

#include <vector>

#include "vigil/expr/bound_expr.h"

namespace vigil {

/// How a temporal operator (cutoff, delay buffer, forget) reads the rows it judges, fixed at
/// graph-build time. Pathway's time-column operators take the same two extractors.
///
/// Every row has a *threshold* (the event time at which it becomes late, due, or forgettable:
/// `_pw_window_end + cutoff`, `_pw_window_start + delay`, `time + threshold`) and a *current
/// time* (the event time it advances the operator's "now" with). Both are expressions over the
/// operator's input, so one operator serves windowby behaviors and the plain-table methods
/// (ignore_late, buffer, forget).
struct TemporalSpec {
  BoundExpr threshold;
  /// The row's current time is the largest of these values. Windowby's forget step needs
  /// two: Pathway rewrites a released pair's time column to max(t, window_start + delay)
  /// before forgetting, and "now" of forgetting follows the rewritten time.
  std::vector<BoundExpr> current_times;
  /// Forget only, set by windowby: remember and forget whole groups of the downstream
  /// groupby (windows, identified by these key values) instead of single rows, so memory is
  /// one row per live window rather than every row of it. Valid because every row of a
  /// window has the same threshold (end + cutoff), so Pathway forgets a window's rows
  /// together, and the cutoff before forget lets no row of a forgotten window through again.
  std::vector<BoundExpr> group_keys;
  /// With group_keys, Pathway's keep_results: forgetting frees the window and keeps its
  /// result row (true) or retracts it (false).
  bool keep_results = true;
};

}  // namespace vigil
