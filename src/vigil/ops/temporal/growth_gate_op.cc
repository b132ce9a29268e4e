#include "vigil/ops/temporal/growth_gate_op.h"

#include <cmath>
#include <utility>

namespace vigil {

GrowthGateOperator::GrowthGateOperator(std::string name, const TemporalSpec& spec,
                                       size_t num_columns, bool insert_only_input)
    : Operator(std::move(name)),
      time_columns_(spec),
      steps_(spec.growth),
      num_columns_(num_columns),
      commit_times_(insert_only_input),
      closing_(num_columns),
      out_(num_columns) {
  key_evaluators_.reserve(spec.group_keys.size());
  for (const BoundExpr& e : spec.group_keys) key_evaluators_.emplace_back(e);
}

void GrowthGateOperator::Release(Window& w, Time time) {
  if (!w.held || w.held->empty()) return;
  out_.Clear();
  w.held->Take(nullptr, /*negate=*/false, out_);
  Emit(out_, time);
  w.held->EraseTaken();  // out_ held views into the queue until emitted.
}

void GrowthGateOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  if (batch.empty()) return;
  time_columns_.Evaluate(batch, &commit_times_);
  if (!time_columns_.errors().empty()) ReportExpressionErrors(time_columns_.errors());
  const std::vector<Value>& thresholds = time_columns_.thresholds();
  key_arena_.Reset();
  key_columns_.clear();
  for (ExprEvaluator& e : key_evaluators_) {
    key_columns_.push_back(&e.Evaluate(batch, key_arena_));
    if (!e.errors().empty()) {
      ReportExpressionErrors(e.errors());
      e.errors().clear();
    }
  }
  Batch& pass = out_;  // Rows of windows below min_rows, passed on at once.
  pass.Clear();
  for (size_t i = 0; i < batch.num_rows(); ++i) {
    if (!EventClock::IsEventTime(thresholds[i])) {
      // No time to close the window by (a None or Error end): nothing is held for it, so
      // no state is kept that could never be freed.
      pass.AppendRowFrom(batch, i);
      continue;
    }
    hasher_.Reset();
    hasher_.BeginTuple(key_columns_.size());
    for (const std::vector<Value>* column : key_columns_) (*column)[i].HashInto(hasher_);
    const Key key = hasher_.Finish();
    auto [it, inserted] = windows_.try_emplace(key);
    Window& w = it->second;
    if (inserted) closing_.AddKeyOnce(thresholds[i], key);
    w.rows += batch.diffs[i];
    if (!w.held && w.rows < steps_.min_rows) {
      pass.AppendRowFrom(batch, i);
      continue;
    }
    if (!w.held) {
      w.held = std::make_unique<ThresholdQueue>(num_columns_);
      w.next = w.rows;  // Reached now: released at this commit's end.
    }
    w.held->Add(thresholds[i], batch, i, batch.diffs[i]);
    if (!w.touched) {
      w.touched = true;
      touched_.push_back(key);
    }
  }
  if (!pass.empty()) Emit(pass, time);
}

void GrowthGateOperator::OnCommitEnd(Time time, bool end_of_input) {
  commit_times_.Finish(now_);
  for (const Key& key : touched_) {
    auto it = windows_.find(key);
    if (it == windows_.end()) continue;
    Window& w = it->second;
    w.touched = false;
    if (w.rows < steps_.min_rows) {
      // Shrunk below the gate's floor: what it holds goes, and its changes pass again.
      Release(w, time);
      w.held.reset();
      w.next = 0;
    } else if (w.rows >= w.next) {
      Release(w, time);
      const auto grown =
          static_cast<int64_t>(std::ceil(static_cast<double>(w.rows) * steps_.factor));
      w.next = std::max(w.rows + 1, grown);
    }
  }
  touched_.clear();
  // Windows that closed ("now" reached end + cutoff), or all of them at the end of input:
  // what they hold goes, and their state is freed.
  if (end_of_input) {
    for (auto& [key, w] : windows_) Release(w, time);
    windows_.clear();  // Nothing comes after the end of input: closing_ is left as it is.
    return;
  }
  if (!now_.has_now() || closing_.empty()) return;
  closed_.clear();
  closing_.TakeKeys(&now_.now(), closed_);
  closing_.EraseTaken();
  for (const Key& key : closed_) {
    auto it = windows_.find(key);
    if (it == windows_.end()) continue;
    Release(it->second, time);
    windows_.erase(it);
  }
}

}  // namespace vigil
