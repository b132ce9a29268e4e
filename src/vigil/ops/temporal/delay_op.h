#pragma once

#include <vector>

#include "vigil/ops/groupby_reduce_op.h"
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
///
/// Holding results (TemporalSpec::hold_results, an exactly_once windowby whose reducers do not
/// read processing time): every row passes at once to the windowby's groupby (through its
/// forget), which aggregates it and keeps the group's result unemitted; this operator
/// remembers each group's threshold (one key per window and instance, from the keys the
/// groupby computed for the batch) and, when "now" reaches it, by the same rule and in the
/// same commit as it would have released the rows, tells the groupby to emit the group
/// (GroupByReduceOperator::ReleaseGroupsAtCommitEnd). Memory is one key per open group
/// instead of every distinct row of the window, and a row that changes again and again (a
/// running count upstream) costs a reducer update, not a copy into the buffer.
class DelayOperator final : public Operator {
 public:
  DelayOperator(std::string name, const TemporalSpec& spec, size_t num_columns,
                bool insert_only_input = false);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

  /// Holding results: the groupby whose results are held (the executor connects it; the rows
  /// reach it through a forget that passes them unchanged).
  void HoldResultsOf(GroupByReduceOperator* groupby) { groupby_ = groupby; }
  bool holds_results() const { return hold_results_; }

  /// Rows currently held (holding results: groups).
  size_t num_held() const { return held_.size(); }

 private:
  TimeColumns time_columns_;
  EventClock now_;
  CommitEventTimes commit_times_;  ///< This commit's rows' current times.
  ThresholdQueue held_;
  Batch out_;
  bool hold_results_;
  GroupByReduceOperator* groupby_ = nullptr;
  std::vector<Key> released_;  ///< Holding results: groups to release at this commit's end.
};

}  // namespace vigil
