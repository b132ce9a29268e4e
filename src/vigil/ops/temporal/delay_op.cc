#include "vigil/ops/temporal/delay_op.h"

#include <algorithm>

namespace vigil {

DelayOperator::DelayOperator(std::string name, const TemporalSpec& spec,
                             size_t num_columns, bool insert_only_input)
    : Operator(std::move(name)),
      time_columns_(spec),
      commit_times_(insert_only_input),
      held_(num_columns),
      out_(num_columns),
      hold_results_(spec.hold_results) {}

void DelayOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  if (batch.empty()) return;
  time_columns_.Evaluate(batch, &commit_times_);
  if (!time_columns_.errors().empty()) ReportExpressionErrors(time_columns_.errors());
  const auto& thresholds = time_columns_.thresholds();
  if (hold_results_) {
    if (groupby_ == nullptr) {
      // The executor connects the groupby when it compiles it; rows passed on unheld would
      // be emitted before their window closes.
      context().ReportEngineError(name(), "internal error: a delay holding results has no groupby");
      return;
    }
    Emit(batch, time);
    // The groupby has just grouped this very batch (the forget in between passes it as it
    // is): its keys name the groups to hold.
    const std::vector<Key>& keys = groupby_->last_batch_keys();
    const std::vector<uint8_t>& key_ok = groupby_->last_batch_key_ok();
    for (size_t i = 0; i < batch.num_rows(); ++i) {
      if (!key_ok[i]) continue;  // Never grouped (an Error in a key).
      if (now_.Reached(thresholds[i])) {
        released_.push_back(keys[i]);  // A row that would have passed at once.
      } else {
        held_.AddKeyOnce(thresholds[i], keys[i]);
      }
    }
    return;
  }
  // "now" only grows, so a row already due under the previous "now" is due at the end of
  // this commit too: pass it on now instead of copying it.
  out_.Clear();
  for (size_t i = 0; i < batch.num_rows(); ++i) {
    if (now_.Reached(thresholds[i])) {
      out_.AppendRowFrom(batch, i);
    } else {
      held_.Add(thresholds[i], batch, i, batch.diffs[i]);
    }
  }
  Emit(out_, time);
}

void DelayOperator::OnCommitEnd(Time time, bool end_of_input) {
  // Only a commit that brought rows (after consolidation) can move "now" (and so release
  // anything).
  const bool advanced = commit_times_.Finish(now_);
  const bool release = !held_.empty() && (end_of_input || (advanced && now_.has_now()));
  if (hold_results_) {
    if (release) {
      // At end of input every held group goes, whatever its threshold.
      held_.TakeKeys(end_of_input ? nullptr : &now_.now(), released_);
      held_.EraseTaken();
    }
    if (!released_.empty() && groupby_ != nullptr) {
      // In key order: the output order of a commit must not depend on arrival order.
      std::sort(released_.begin(), released_.end());
      groupby_->ReleaseGroupsAtCommitEnd(released_);
    }
    released_.clear();
    return;
  }
  if (!release) return;
  out_.Clear();
  held_.Take(end_of_input ? nullptr : &now_.now(), /*negate=*/false, out_);
  Emit(out_, time);
  held_.EraseTaken();
}

}  // namespace vigil
