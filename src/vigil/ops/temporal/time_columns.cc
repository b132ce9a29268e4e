#include "vigil/ops/temporal/time_columns.h"

#include "vigil/common/saturating.h"

namespace vigil {

Value ShiftTime(const Value& time, const Value& shift) {
  switch (time.kind()) {
    case ValueKind::kInt:
      if (shift.kind() == ValueKind::kFloat) return Value::Float(time.as_number() + shift.as_float());
      return Value::Int(SaturatingAdd(time.as_int(), shift.as_int()));
    case ValueKind::kFloat:
      return Value::Float(time.as_float() + shift.as_number());
    case ValueKind::kDateTimeNaive:
      return Value::DateTimeNaive(SaturatingAdd(time.as_timestamp(), shift.as_timestamp()));
    case ValueKind::kDateTimeUtc:
      return Value::DateTimeUtc(SaturatingAdd(time.as_timestamp(), shift.as_timestamp()));
    case ValueKind::kDuration:
      return Value::Duration(SaturatingAdd(time.as_timestamp(), shift.as_timestamp()));
    default:  // None, Error (type checks admit nothing else): no time to shift.
      return time;
  }
}

TimeColumns::TimeColumns(const TemporalSpec& spec) : threshold_(spec.threshold) {
  for (const auto& e : spec.current_times) current_times_.push_back(std::make_unique<Column>(e));
}

const std::vector<Value>* TimeColumns::EvaluateColumn(Column& column, const Batch& batch) {
  const std::vector<Value>& values = column.evaluator.Evaluate(batch, arena_);
  for (auto& m : column.evaluator.errors()) errors_.push_back(std::move(m));
  column.evaluator.errors().clear();
  if (!column.shift) return &values;
  column.shifted.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i) column.shifted[i] = ShiftTime(values[i], *column.shift);
  return &column.shifted;
}

void TimeColumns::Evaluate(const Batch& batch, CommitEventTimes* commit) {
  arena_.Reset();
  // Each column keeps its own result vector, so the thresholds stay valid after the current
  // times are evaluated, until the next call.
  times_.clear();
  for (auto& c : current_times_) times_.push_back(EvaluateColumn(*c, batch));
  if (commit != nullptr) commit->Add(batch, times_);
  thresholds_ = EvaluateColumn(threshold_, batch);
}

}  // namespace vigil
