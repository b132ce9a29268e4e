#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "vigil/ops/groupby_reduce_op.h"
#include "vigil/ops/operator.h"
#include "vigil/ops/temporal/commit_event_times.h"
#include "vigil/ops/temporal/event_clock.h"
#include "vigil/ops/temporal/temporal_spec.h"
#include "vigil/ops/temporal/threshold_queue.h"
#include "vigil/ops/temporal/time_columns.h"

namespace vigil {

/// Forget (Pathway's forget): passes every row through and remembers it; once "now" reaches
/// its threshold (windowby: window_end + cutoff) the row is retracted, so that downstream
/// state (the windowby's groups) is freed.
///
/// "Now" is the largest current time of the earlier commits (advanced after each commit, as
/// Pathway's forget advances it after the batch). Forgetting happens only in a commit whose
/// batches reach this operator: then everything remembered with threshold <= now is
/// forgotten, rows of this commit included (those are never stored). So a window is
/// forgotten in the first commit with rows after the one that moved "now" to end + cutoff.
/// Nothing is flushed at end of input.
///
/// Two granularities:
///  - Rows (Table::forget): every row is remembered (copied, consolidated by id and values)
///    and retracted on the regular output.
///  - Groups (windowby, TemporalSpec::group_keys): the key of each group (window, instance)
///    is remembered, and forgetting hands the keys to the groupby connected with
///    ConnectGroupsTo, which drops the group whole: visibly (keep_results=False, the result
///    row is retracted) or silently (keep_results=True, only the memory is freed). Same
///    outcome as retracting each row of the window, at the cost of one key per group. The
///    keys are the ones the groupby computed for the batch this operator just passed to it
///    (it is the forget's only consumer), so no row is copied and no key hashed twice.
class ForgetOperator final : public Operator {
 public:
  ForgetOperator(std::string name, const TemporalSpec& spec, size_t num_columns,
                 bool insert_only_input = false);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

  /// Group granularity: `groupby` (this operator's only consumer) drops forgotten groups,
  /// retracting their results (`drop_results`, keep_results=False) or silently.
  void ConnectGroupsTo(GroupByReduceOperator* groupby, bool drop_results) {
    groupby_ = groupby;
    drop_results_ = drop_results;
  }
  bool forgets_groups() const { return forgets_groups_; }
  bool keeps_results() const { return keep_results_; }

  /// Rows currently remembered (with group granularity: windows).
  size_t num_remembered() const { return remembered_.size(); }

 private:
  /// Hands forgotten group keys to the groupby.
  void ForgetKeys();

  TimeColumns time_columns_;
  bool forgets_groups_;
  bool keep_results_;
  EventClock now_;
  CommitEventTimes commit_times_;  ///< This commit's rows' current times.
  ThresholdQueue remembered_;
  GroupByReduceOperator* groupby_ = nullptr;
  bool drop_results_ = false;
  Batch forgotten_;
  std::vector<Key> forgotten_keys_;
};

}  // namespace vigil
