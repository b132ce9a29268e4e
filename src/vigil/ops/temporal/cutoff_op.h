#pragma once

#include "vigil/ops/operator.h"
#include "vigil/ops/temporal/commit_event_times.h"
#include "vigil/ops/temporal/event_clock.h"
#include "vigil/ops/temporal/temporal_spec.h"
#include "vigil/ops/temporal/time_columns.h"

namespace vigil {

/// Cutoff gate (Pathway's freeze / ignore_late): drops the rows that arrive late.
///
/// A row passes iff no "now" exists yet or now < its threshold (windowby: window_end +
/// cutoff), where "now" is the largest current time of all *earlier* commits. After the
/// commit, "now" takes the largest current time of every row of the commit, dropped ones
/// included. A commit is judged as a whole (Pathway processes each processing time
/// atomically), so the result does not depend on how the commit is cut into batches.
///
/// Rows pass unchanged (ids, values, diffs), retractions are judged like insertions, and a
/// late row vanishes silently. State: two event times.
class CutoffOperator final : public Operator {
 public:
  CutoffOperator(std::string name, const TemporalSpec& spec, size_t num_columns);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

  /// Rows dropped as late since the run started (for tests and monitoring).
  size_t num_late() const { return num_late_; }

 private:
  TimeColumns time_columns_;
  EventClock now_;         ///< Of the commits before the current one.
  CommitEventTimes commit_times_;  ///< This commit's rows' current times.
  size_t num_late_ = 0;
  Batch out_;
};

}  // namespace vigil
