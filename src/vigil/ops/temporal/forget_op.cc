#include "vigil/ops/temporal/forget_op.h"

namespace vigil {

ForgetOperator::ForgetOperator(std::string name, const TemporalSpec& spec,
                               size_t num_columns, bool insert_only_input)
    : Operator(std::move(name)),
      time_columns_(spec),
      forgets_groups_(!spec.group_keys.empty()),
      keep_results_(spec.keep_results),
      commit_times_(insert_only_input),
      remembered_(num_columns),
      forgotten_(num_columns) {}

void ForgetOperator::ForgetKeys() {
  if (forgotten_keys_.empty() || groupby_ == nullptr) return;
  if (drop_results_) {
    groupby_->DropGroupsAtCommitEnd(forgotten_keys_);
  } else {
    groupby_->ForgetGroupsAtCommitEnd(forgotten_keys_);
  }
  forgotten_keys_.clear();
}

void ForgetOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  if (batch.empty()) return;
  time_columns_.Evaluate(batch, &commit_times_);
  if (!time_columns_.errors().empty()) ReportExpressionErrors(time_columns_.errors());
  Emit(batch, time);
  const auto& thresholds = time_columns_.thresholds();
  if (forgets_groups()) {
    if (groupby_ == nullptr) return;
    // The groupby has just grouped this very batch: its keys name the groups to remember.
    const std::vector<Key>& keys = groupby_->last_batch_keys();
    const std::vector<uint8_t>& key_ok = groupby_->last_batch_key_ok();
    for (size_t i = 0; i < batch.num_rows(); ++i) {
      if (!key_ok[i]) continue;  // Never grouped (an Error in a key): nothing to forget.
      if (now_.Reached(thresholds[i])) {
        // Its window is forgotten in this very commit (after the groupby took the row in).
        forgotten_keys_.push_back(keys[i]);
      } else {
        remembered_.AddKeyOnce(thresholds[i], keys[i]);
      }
    }
    ForgetKeys();
    return;
  }
  forgotten_.Clear();
  for (size_t i = 0; i < batch.num_rows(); ++i) {
    if (now_.Reached(thresholds[i])) {
      // Forgotten in this very commit: retract at once rather than remember.
      forgotten_.AppendRowFrom(batch, i);
      forgotten_.diffs.back() = -forgotten_.diffs.back();
    } else {
      remembered_.Add(thresholds[i], batch, i, batch.diffs[i]);
    }
  }
  if (!forgotten_.empty()) Emit(forgotten_, time);
}

void ForgetOperator::OnCommitEnd(Time time, bool /*end_of_input*/) {
  // Forgetting uses "now" as of the earlier commits, and only in a commit that brought rows
  // (after consolidation); then "now" advances.
  EventClock commit_max;
  const bool has_rows = commit_times_.Finish(commit_max);
  if (has_rows && now_.has_now() && !remembered_.empty()) {
    if (forgets_groups()) {
      remembered_.TakeKeys(&now_.now(), forgotten_keys_);
      remembered_.EraseTaken();
      ForgetKeys();
    } else {
      forgotten_.Clear();
      remembered_.Take(&now_.now(), /*negate=*/true, forgotten_);
      if (!forgotten_.empty()) Emit(forgotten_, time);
      remembered_.EraseTaken();
    }
  }
  now_.Advance(commit_max);
}

}  // namespace vigil
