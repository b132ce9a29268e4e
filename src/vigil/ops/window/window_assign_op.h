#pragma once

#include <cstdint>
#include <optional>

#include "vigil/expr/evaluator.h"
#include "vigil/ops/operator.h"

namespace vigil {

/// The arithmetic of a tumbling/sliding window assignment, resolved at graph-compile time
/// from the types of the time column and the window parameters.
struct WindowAssignSpec {
  BoundExpr time;
  std::optional<BoundExpr> instance;
  /// True when any of time/hop/duration/origin is a float: everything is computed in double.
  bool float_arithmetic = false;
  /// Kind of `_pw_window_start/_end`: int, float, or the datetime kind of the time column.
  ValueKind bound_kind = ValueKind::kInt;
  int64_t hop = 0, duration = 0, origin = 0;  ///< Integer or nanosecond arithmetic.
  double hop_f = 0, duration_f = 0, origin_f = 0;
  /// sliding(hop, ratio=r): end = origin + (k + r) * hop instead of start + duration.
  std::optional<int64_t> ratio;
  /// floor(duration / hop) (or the ratio): the candidate range is this plus 3 windows long.
  /// At most kMaxWindowsPerRow (graph/window.h), so the work per row is bounded.
  int64_t candidate_ratio = 0;
  /// With an explicit origin, windows starting before it are dropped (Pathway's rule).
  bool origin_explicit = false;
};

/// Window assignment for tumbling and sliding windows: each input row becomes one row per
/// window `[start, end)` containing its time (none if it falls in a gap), with the input
/// columns plus `_pw_window_start`, `_pw_window_end`, `_pw_instance`, `_pw_original_id`.
/// The new row id is hash(Pointer(original id), Int(window index)) as in Pathway, which
/// id-dependent reducers (tuple, any, latest) rely on. Stateless: retractions map to the
/// same windows, so a downstream groupby retracts exactly what was inserted.
///
/// Candidate windows follow Pathway's arithmetic (SEMANTICS.md §1.2): with
/// last_k = floor((t - origin) / hop) + 1 and ratio = floor(duration / hop), every k in
/// [last_k - ratio - 2, last_k] whose window contains t, in increasing k.
///
/// Edges of the 64-bit range: integer and datetime windows are computed in 128-bit
/// arithmetic, so membership (start <= t < end) is exact for every time and parameter; a
/// bound beyond the int64 range (a window ending after 2^63 - 1, or starting before -2^63)
/// is clamped to it in `_pw_window_start/_end`. Clamping keeps windows distinct (a window
/// is shorter than 2^64, so at most one of its bounds is clamped) and every row in its
/// windows. Float windows need k exact: a float time whose (t - origin) / hop is not finite
/// or at least 2^53 in magnitude has no well-defined window and is left out and reported,
/// like a None time.
class WindowAssignOperator final : public Operator {
 public:
  WindowAssignOperator(std::string name, const WindowAssignSpec& spec, size_t input_columns);
  void OnBatch(size_t port, const Batch& batch, Time time) override;

 private:
  /// Appends the windows of one time value to `starts_`/`ends_` (as values); false when the
  /// time has no well-defined window (a float too far from the origin, see above).
  bool AssignWindows(const Value& t);
  /// Integer/datetime windows of `time` in 64-bit arithmetic; false when a step would
  /// overflow (windows may have been appended: the caller clears them and starts over in
  /// 128 bits).
  bool AssignNarrow(int64_t time);
  /// A window bound as a value of the spec's bound kind.
  Value MakeBound(int64_t v) const;

  const WindowAssignSpec& spec_;
  size_t input_columns_;
  ExprEvaluator time_evaluator_;
  std::optional<ExprEvaluator> instance_evaluator_;
  std::vector<Value> starts_, ends_;
  std::vector<int64_t> indexes_;  ///< Each window's index among all windows of the time.
  KeyHasher hasher_;
  ValueArena scratch_arena_;
  Batch out_;
};

}  // namespace vigil
