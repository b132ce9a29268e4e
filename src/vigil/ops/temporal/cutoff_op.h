#pragma once

#include <optional>

#include "vigil/ops/operator.h"
#include "vigil/ops/temporal/commit_event_times.h"
#include "vigil/ops/temporal/event_clock.h"
#include "vigil/ops/temporal/temporal_spec.h"
#include "vigil/ops/temporal/time_columns.h"

namespace vigil {

/// Cutoff gate (Pathway's freeze / ignore_late): drops the rows that arrive late.
///
/// Per-commit clock (Pathway's, the default): a row passes iff no "now" exists yet or
/// now < its threshold (windowby: window_end + cutoff), where "now" is the largest current
/// time of all *earlier* commits. After the commit, "now" takes the largest current time of
/// every row of the commit, dropped ones included. A commit is judged as a whole (Pathway
/// processes each processing time atomically), so the result does not depend on how the
/// commit is cut into batches.
///
/// Reading-order clock (TemporalSpec::reading_order, a Vigil extension): "now" is the largest
/// current time of the rows that came before this one in reading order (batch order within a
/// commit, commits in order), dropped ones included; consecutive rows with the same
/// `row_identity` (the windows of one input row) do not count for each other. Commit
/// boundaries play no part, so the result depends only on the order of the rows. Every
/// change counts as it comes (no consolidation within a commit).
///
/// Rows pass unchanged (ids, values, diffs), retractions are judged like insertions, and a
/// late row is dropped (counted in num_late(): lateness is the behavior the user asked for).
/// State: a few event times.
class CutoffOperator final : public Operator {
 public:
  CutoffOperator(std::string name, const TemporalSpec& spec, size_t num_columns,
                 bool insert_only_input = false);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

  /// Rows dropped as late since the run started (for tests and monitoring).
  size_t num_late() const { return num_late_; }

 private:
  /// Reading-order clock: judges the rows of `batch` one by one (keep_[i]: row i passes).
  void JudgeInReadingOrder(const Batch& batch);

  TimeColumns time_columns_;
  EventClock now_;         ///< Of the commits (or, in reading order, the rows) before.
  CommitEventTimes commit_times_;  ///< This commit's rows' current times (per-commit clock).
  size_t num_late_ = 0;
  Batch out_;

  // Reading-order clock.
  bool reading_order_;
  std::optional<ExprEvaluator> row_identity_;
  ValueArena identity_arena_;
  EventClock current_row_time_;  ///< The current input row's time, folded into now_ after it.
  Key current_row_;
  bool has_current_row_ = false;
  std::vector<uint8_t> keep_;
};

}  // namespace vigil
