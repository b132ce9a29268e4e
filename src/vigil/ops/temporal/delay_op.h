#pragma once

#include "vigil/ops/operator.h"
#include "vigil/ops/temporal/commit_event_times.h"
#include "vigil/ops/temporal/event_clock.h"
#include "vigil/ops/temporal/temporal_spec.h"
#include "vigil/ops/temporal/threshold_queue.h"
#include "vigil/ops/temporal/time_columns.h"

namespace vigil {

/// Delay buffer (Pathway's buffer / postpone): holds rows until "now" reaches their threshold
/// (windowby: window_start + delay), then releases them unchanged at the current processing
/// time.
///
/// Unlike cutoff and forget, the buffer advances "now" with the current commit *before*
/// deciding (Pathway: "current time is updated immediately, not in the next batch"), so the
/// decision needs the whole commit: rows whose threshold the previous "now" already reached
/// pass at once, the others are held, and at the end of the commit "now" takes the commit's
/// largest current time and every held row with threshold <= now is released. The
/// end-of-input commit (time kEndOfInputTime) flushes everything still held, which is how a
/// static run sees the last windows. Nothing else releases rows: a commit whose batches do
/// not reach this operator changes nothing.
///
/// State: the held rows (copied, consolidated by id and values), ordered by threshold.
class DelayOperator final : public Operator {
 public:
  DelayOperator(std::string name, const TemporalSpec& spec, size_t num_columns);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

  /// Rows currently held.
  size_t num_held() const { return held_.size(); }

 private:
  TimeColumns time_columns_;
  EventClock now_;
  CommitEventTimes commit_times_;  ///< This commit's rows' current times.
  ThresholdQueue held_;
  Batch out_;
};

}  // namespace vigil
