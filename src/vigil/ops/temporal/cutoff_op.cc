#include "vigil/ops/temporal/cutoff_op.h"

#include <fmt/format.h>

namespace vigil {

CutoffOperator::CutoffOperator(std::string name, const TemporalSpec& spec,
                               size_t num_columns, bool insert_only_input)
    : Operator(std::move(name)),
      time_columns_(spec),
      commit_times_(insert_only_input),
      out_(num_columns),
      reading_order_(spec.reading_order) {
  if (reading_order_ && spec.row_identity) row_identity_.emplace(*spec.row_identity);
}

/// Decides keep_[i] for every row, advancing the clock row by row.
void CutoffOperator::JudgeInReadingOrder(const Batch& batch) {
  const auto& thresholds = time_columns_.thresholds();
  const auto& times = time_columns_.current_times();
  const std::vector<Value>* identities = nullptr;
  if (row_identity_) {
    identity_arena_.Reset();
    identities = &row_identity_->Evaluate(batch, identity_arena_);
  }
  keep_.resize(batch.num_rows());
  for (size_t i = 0; i < batch.num_rows(); ++i) {
    const Value* identity = identities != nullptr ? &(*identities)[i] : nullptr;
    const Key row = identity != nullptr && identity->kind() == ValueKind::kPointer
                        ? identity->as_pointer()
                        : batch.ids[i];
    if (!has_current_row_ || !(row == current_row_)) {
      // A new input row: the previous one is now "before" everything that follows.
      now_.Advance(current_row_time_);
      current_row_time_.Reset();
      current_row_ = row;
      has_current_row_ = true;
    }
    for (const auto* column : times) current_row_time_.Advance((*column)[i]);
    const bool late = now_.Reached(thresholds[i]);
    num_late_ += late ? 1 : 0;
    keep_[i] = late ? 0 : 1;
  }
}

void CutoffOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  if (batch.empty()) return;
  time_columns_.Evaluate(batch, reading_order_ ? nullptr : &commit_times_);
  if (!time_columns_.errors().empty()) ReportExpressionErrors(time_columns_.errors());
  if (reading_order_) {
    const size_t late_before = num_late_;
    JudgeInReadingOrder(batch);
    if (num_late_ == late_before) {
      Emit(batch, time);  // Nothing late: forward the batch itself, without copying.
      return;
    }
    out_.Clear();
    for (size_t i = 0; i < batch.num_rows(); ++i) {
      if (keep_[i]) out_.AppendRowFrom(batch, i);
    }
    Emit(out_, time);
    return;
  }
  const auto& thresholds = time_columns_.thresholds();
  const size_t n = batch.num_rows();
  size_t first_late = 0;
  while (first_late < n && !now_.Reached(thresholds[first_late])) ++first_late;
  if (first_late == n) {
    Emit(batch, time);  // Nothing late: forward the batch itself, without copying.
    return;
  }
  out_.Clear();
  for (size_t i = 0; i < n; ++i) {
    if (i >= first_late && now_.Reached(thresholds[i])) {
      ++num_late_;
      continue;
    }
    out_.AppendRowFrom(batch, i);
  }
  Emit(out_, time);
}

void CutoffOperator::OnCommitEnd(Time /*time*/, bool end_of_input) {
  // Reading order: the clock moves row by row, and the last row of the commit is folded in
  // when the next row arrives (a row's windows never straddle commits).
  if (!reading_order_) commit_times_.Finish(now_);
  // The reading-order clock is Vigil's (fronts such as `vigil detect` use it): there, rows
  // left out as late are reported once, at the end of the run, rather than only counted as
  // Pathway's freeze does. A count, not a line per row: a stream may hold millions.
  if (reading_order_ && end_of_input && num_late_ > 0) {
    context().ReportWarning(
        name(), fmt::format("{} (row, window) pair(s) were not counted: they came after their "
                            "window had closed (a row read before them had reached the "
                            "window's end + cutoff)",
                            num_late_));
  }
}

}  // namespace vigil
