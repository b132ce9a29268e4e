#include "vigil/ops/temporal/forget_op.h"

namespace vigil {

ForgetOperator::ForgetOperator(std::string name, const TemporalSpec& spec, size_t num_columns)
    : Operator(std::move(name)),
      time_columns_(spec),
      keep_results_(spec.keep_results),
      remembered_(num_columns),
      forgotten_(num_columns) {
  for (const auto& e : spec.group_keys) {
    group_key_evaluators_.push_back(std::make_unique<ExprEvaluator>(e));
  }
}

void ForgetOperator::EmitForgotten(const Batch& batch, Time time) {
  if (batch.empty()) return;
  if (!forgets_groups()) {
    Emit(batch, time);
    return;
  }
  for (auto& [op, port] : group_outputs_) op->OnBatch(port, batch, time);
}

void ForgetOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  if (batch.empty()) return;
  commit_has_rows_ = true;
  time_columns_.Evaluate(batch, commit_max_);
  if (!time_columns_.errors().empty()) ReportExpressionErrors(time_columns_.errors());
  Emit(batch, time);
  const auto& thresholds = time_columns_.thresholds();
  forgotten_.Clear();
  if (forgets_groups()) {
    key_arena_.Reset();
    key_columns_.clear();
    for (auto& e : group_key_evaluators_) {
      key_columns_.push_back(&e->Evaluate(batch, key_arena_));
      e->errors().clear();  // The groupby evaluates the same keys and reports their errors.
    }
    for (size_t i = 0; i < batch.num_rows(); ++i) {
      if (now_.Reached(thresholds[i])) {
        // Its window is forgotten in this very commit (after the groupby took the row in).
        forgotten_.AppendRowFrom(batch, i);
        continue;
      }
      hasher_.Reset();
      for (const auto* column : key_columns_) (*column)[i].HashInto(hasher_);
      remembered_.AddOnce(thresholds[i], hasher_.Finish(), batch, i);
    }
  } else {
    for (size_t i = 0; i < batch.num_rows(); ++i) {
      if (now_.Reached(thresholds[i])) {
        // Forgotten in this very commit: retract at once rather than remember.
        forgotten_.AppendRowFrom(batch, i);
        forgotten_.diffs.back() = -forgotten_.diffs.back();
      } else {
        remembered_.Add(thresholds[i], batch, i, batch.diffs[i]);
      }
    }
  }
  EmitForgotten(forgotten_, time);
}

void ForgetOperator::OnCommitEnd(Time time, bool /*end_of_input*/) {
  if (commit_has_rows_ && now_.has_now() && !remembered_.empty()) {
    forgotten_.Clear();
    remembered_.Take(&now_.now(), /*negate=*/!forgets_groups(), forgotten_);
    EmitForgotten(forgotten_, time);
    remembered_.EraseTaken();
  }
  commit_has_rows_ = false;
  now_.Advance(commit_max_);
  commit_max_.Reset();
}

}  // namespace vigil
