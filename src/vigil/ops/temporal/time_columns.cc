#include "vigil/ops/temporal/time_columns.h"

namespace vigil {

TimeColumns::TimeColumns(const TemporalSpec& spec) : threshold_(spec.threshold) {
  for (const auto& e : spec.current_times) {
    current_times_.push_back(std::make_unique<ExprEvaluator>(e));
  }
}

void TimeColumns::Evaluate(const Batch& batch, CommitEventTimes& commit) {
  arena_.Reset();
  auto take_errors = [&](ExprEvaluator& e) {
    for (auto& m : e.errors()) errors_.push_back(std::move(m));
    e.errors().clear();
  };
  // Each evaluator keeps its own result vector, so the thresholds stay valid after the
  // current times are evaluated, until the next call.
  times_.clear();
  for (auto& e : current_times_) {
    times_.push_back(&e->Evaluate(batch, arena_));
    take_errors(*e);
  }
  for (size_t row = 0; row < batch.num_rows(); ++row) commit.Add(batch, row, times_);
  thresholds_ = &threshold_.Evaluate(batch, arena_);
  take_errors(threshold_);
}

}  // namespace vigil
