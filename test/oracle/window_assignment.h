#pragma once

// Which windows a row belongs to: tumbling/sliding windows of one time (SEMANTICS.md §1.2)
// and sessions of a whole table (§1.3), computed the slow, obvious way.

#include <cstdint>
#include <utility>
#include <vector>

#include "input_stream.h"
#include "pipeline.h"

namespace vigil::oracle {

/// The windows of time `t`, as (start, window index) pairs: every window [start, start +
/// duration) with start <= t < end, indexed in ascending start among all of them, then those
/// starting before an explicit origin dropped (their indexes stay).
std::vector<std::pair<int64_t, int64_t>> AssignWindows(const WindowSpec& window, int64_t t);

/// Which row's id names a session (its `_pw_window`). Pathway (`_SessionWindow.
/// _compute_group_repr` in `_window.py`) points every row at its successor when the two join
/// and iterates to a fixed point, so the chain ends at the session's last row in (time, id)
/// order.
enum class SessionRepresentative {
  kLastRow,   ///< Pathway.
  kFirstRow,  ///< Vigil's engine today (session_assign_op.h): a known deviation.
};

/// A row's session: its representative's id and its min and max time.
struct SessionOf {
  Key representative;
  int64_t start = 0;
  int64_t end = 0;
};

/// The session of each row of `rows` (same order): rows grouped by the instance column (None
/// without one), sorted by (t, id), adjacent rows joined when window.Joins(prev, next).
std::vector<SessionOf> AssignSessions(const WindowSpec& window, const std::vector<TimedRow>& rows,
                                      SessionRepresentative representative);

}  // namespace vigil::oracle
