#include "vigil/ops/temporal/delay_op.h"

namespace vigil {

DelayOperator::DelayOperator(std::string name, const TemporalSpec& spec, size_t num_columns)
    : Operator(std::move(name)), time_columns_(spec), held_(num_columns), out_(num_columns) {}

void DelayOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  if (batch.empty()) return;
  time_columns_.Evaluate(batch, &commit_times_);
  if (!time_columns_.errors().empty()) ReportExpressionErrors(time_columns_.errors());
  const auto& thresholds = time_columns_.thresholds();
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
  if (held_.empty() || (!end_of_input && (!advanced || !now_.has_now()))) return;
  out_.Clear();
  // At end of input every held row goes, whatever its threshold.
  held_.Take(end_of_input ? nullptr : &now_.now(), /*negate=*/false, out_);
  Emit(out_, time);
  held_.EraseTaken();
}

}  // namespace vigil
