#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "vigil/ops/operator.h"
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
///  - Groups (windowby, TemporalSpec::group_keys): one representative row per window is
///    remembered, and forgetting sends it to the groupby connected with ConnectGroupsTo,
///    which drops the window's group whole: visibly (keep_results=False, the result row is
///    retracted) or silently (keep_results=True, only the memory is freed). Same outcome as
///    retracting each row of the window, at the cost of one row per window instead of all.
class ForgetOperator final : public Operator {
 public:
  ForgetOperator(std::string name, const TemporalSpec& spec, size_t num_columns);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

  /// Group granularity: sends the representative rows of forgotten windows to input `port`
  /// of `groupby` (GroupByReduceOperator::kDropGroupsPort or kForgetGroupsPort).
  void ConnectGroupsTo(Operator* groupby, size_t port) {
    group_outputs_.emplace_back(groupby, port);
  }
  bool forgets_groups() const { return !group_key_evaluators_.empty(); }
  bool keeps_results() const { return keep_results_; }

  /// Rows currently remembered (with group granularity: windows).
  size_t num_remembered() const { return remembered_.size(); }

 private:
  /// Sends what this commit forgets: retractions of rows, or representatives of groups.
  void EmitForgotten(const Batch& batch, Time time);

  TimeColumns time_columns_;
  std::vector<std::unique_ptr<ExprEvaluator>> group_key_evaluators_;
  bool keep_results_;
  EventClock now_;
  EventClock commit_max_;
  bool commit_has_rows_ = false;
  ThresholdQueue remembered_;
  std::vector<std::pair<Operator*, size_t>> group_outputs_;
  Batch forgotten_;
  ValueArena key_arena_;
  std::vector<const std::vector<Value>*> key_columns_;
  KeyHasher hasher_;
};

}  // namespace vigil
