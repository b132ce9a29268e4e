#pragma once

#include <memory>
#include <string>
#include <vector>

#include "vigil/expr/evaluator.h"
#include "vigil/ops/temporal/commit_event_times.h"
#include "vigil/ops/temporal/event_clock.h"
#include "vigil/ops/temporal/temporal_spec.h"

namespace vigil {

/// Evaluates a TemporalSpec over a batch: every row's threshold and current times. Owned by
/// one operator; the vectors it returns are valid until the next Evaluate call and as long as
/// the batch lives.
class TimeColumns {
 public:
  explicit TimeColumns(const TemporalSpec& spec);

  /// Evaluates `batch` and, unless `commit` is null, adds its rows' current times to it
  /// (consolidated at the commit's end). Runtime errors land in errors().
  void Evaluate(const Batch& batch, CommitEventTimes* commit);

  const std::vector<Value>& thresholds() const { return *thresholds_; }
  /// One column per TemporalSpec::current_times entry.
  const std::vector<const std::vector<Value>*>& current_times() const { return times_; }
  std::vector<std::string>& errors() { return errors_; }

 private:
  /// One TimeExpr: its evaluator, and where the shifted values go.
  struct Column {
    explicit Column(const TimeExpr& time) : evaluator(time.expr), shift(time.shift) {}
    ExprEvaluator evaluator;
    std::optional<Value> shift;
    std::vector<Value> shifted;
  };
  /// Evaluates `column` over `batch` (its errors into errors_); returns the values.
  const std::vector<Value>* EvaluateColumn(Column& column, const Batch& batch);

  Column threshold_;
  std::vector<std::unique_ptr<Column>> current_times_;
  const std::vector<Value>* thresholds_ = nullptr;
  std::vector<const std::vector<Value>*> times_;
  ValueArena arena_;
  std::vector<std::string> errors_;
};

/// `time + shift` for an event time and an interval, saturating for ints, datetimes and
/// durations (see TimeExpr). None and Error stay as they are.
Value ShiftTime(const Value& time, const Value& shift);

}  // namespace vigil
