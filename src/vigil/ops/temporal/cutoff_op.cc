#include "vigil/ops/temporal/cutoff_op.h"

namespace vigil {

CutoffOperator::CutoffOperator(std::string name, const TemporalSpec& spec, size_t num_columns)
    : Operator(std::move(name)), time_columns_(spec), out_(num_columns) {}

void CutoffOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  if (batch.empty()) return;
  time_columns_.Evaluate(batch, commit_times_);
  if (!time_columns_.errors().empty()) ReportExpressionErrors(time_columns_.errors());
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

void CutoffOperator::OnCommitEnd(Time /*time*/, bool /*end_of_input*/) {
  commit_times_.Finish(now_);
}

}  // namespace vigil
