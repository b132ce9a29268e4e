#pragma once

#include <memory>
#include <string>
#include <vector>

#include "vigil/expr/evaluator.h"
#include "vigil/ops/temporal/commit_event_times.h"
#include "vigil/ops/temporal/event_clock.h"
#include "vigil/ops/temporal/temporal_spec.h"

namespace vigil {

/// Evaluates a TemporalSpec over a batch: every row's threshold and current time, and the
/// batch's largest current time. Owned by one operator; the vectors it returns are valid until
/// the next Evaluate call and as long as the batch lives.
class TimeColumns {
 public:
  explicit TimeColumns(const TemporalSpec& spec);

  /// Evaluates `batch` and adds its rows' current times to `commit` (consolidated at the
  /// commit's end). Runtime errors (an overflowing `end + cutoff`, ...) land in errors().
  void Evaluate(const Batch& batch, CommitEventTimes& commit);

  const std::vector<Value>& thresholds() const { return *thresholds_; }
  std::vector<std::string>& errors() { return errors_; }

 private:
  ExprEvaluator threshold_;
  std::vector<std::unique_ptr<ExprEvaluator>> current_times_;
  const std::vector<Value>* thresholds_ = nullptr;
  std::vector<const std::vector<Value>*> times_;
  ValueArena arena_;
  std::vector<std::string> errors_;
};

}  // namespace vigil
