#include "vigil/ops/map_op.h"

#include <algorithm>

#include <fmt/format.h>

namespace vigil {

MapOperator::MapOperator(std::string name, const std::vector<BoundExpr>& outputs)
    : Operator(std::move(name)), out_(outputs.size()) {
  for (const auto& e : outputs) evaluators_.push_back(std::make_unique<ExprEvaluator>(e));
}

void MapOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  out_.Clear();
  for (size_t c = 0; c < evaluators_.size(); ++c) {
    const std::vector<Value>& values = evaluators_[c]->Evaluate(batch, out_.arena);
    out_.columns[c].assign(values.begin(), values.end());
    if (!evaluators_[c]->errors().empty()) ReportExpressionErrors(evaluators_[c]->errors());
  }
  out_.ids.assign(batch.ids.begin(), batch.ids.end());
  out_.diffs.assign(batch.diffs.begin(), batch.diffs.end());
  Emit(out_, time);
}

FilterOperator::FilterOperator(std::string name, const BoundExpr& predicate)
    : Operator(std::move(name)), predicate_(predicate) {}

void FilterOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  scratch_arena_.Reset();
  const std::vector<Value>& keep = predicate_.Evaluate(batch, scratch_arena_);
  if (!predicate_.errors().empty()) ReportExpressionErrors(predicate_.errors());
  if (out_.columns.size() != batch.num_columns()) out_ = Batch(batch.num_columns());
  out_.Clear();
  const size_t n = batch.num_rows();
  selected_.clear();
  for (size_t i = 0; i < n; ++i) {
    if (keep[i].kind() == ValueKind::kBool && keep[i].as_bool()) {
      selected_.push_back(static_cast<uint32_t>(i));
    }
  }
  if (selected_.empty()) return;
  for (size_t c = 0; c < batch.num_columns(); ++c) {
    const Value* in = batch.columns[c].data();
    auto& dst = out_.columns[c];
    dst.resize(selected_.size());
    for (size_t k = 0; k < selected_.size(); ++k) dst[k] = in[selected_[k]];
  }
  out_.ids.resize(selected_.size());
  out_.diffs.resize(selected_.size());
  for (size_t k = 0; k < selected_.size(); ++k) {
    out_.ids[k] = batch.ids[selected_[k]];
    out_.diffs[k] = batch.diffs[selected_[k]];
  }
  Emit(out_, time);
}

ConcatOperator::ConcatOperator(std::string name, std::vector<std::vector<size_t>> column_maps)
    : Operator(std::move(name)), column_maps_(std::move(column_maps)) {
  out_ = Batch(column_maps_.empty() ? 0 : column_maps_[0].size());
}

void ConcatOperator::OnBatch(size_t port, const Batch& batch, Time time) {
  out_.Clear();
  const auto& map = column_maps_[port];
  for (size_t c = 0; c < map.size(); ++c) {
    out_.columns[c].assign(batch.columns[map[c]].begin(), batch.columns[map[c]].end());
  }
  out_.ids.assign(batch.ids.begin(), batch.ids.end());
  out_.diffs.assign(batch.diffs.begin(), batch.diffs.end());
  for (size_t i = 0; i < batch.num_rows(); ++i) {
    auto [it, inserted] =
        live_.try_emplace(IdInInput{batch.ids[i], static_cast<uint32_t>(port)}, 0);
    it->second += batch.diffs[i];
    if (it->second == 0) live_.erase(it);
    changed_.push_back(batch.ids[i]);
  }
  Emit(out_, time);
}

void ConcatOperator::OnCommitEnd(Time /*time*/, bool /*end_of_input*/) {
  std::sort(changed_.begin(), changed_.end());
  changed_.erase(std::unique(changed_.begin(), changed_.end()), changed_.end());
  for (const Key& id : changed_) {
    uint32_t inputs_holding = 0;
    for (uint32_t port = 0; port < column_maps_.size(); ++port) {
      auto it = live_.find(IdInInput{id, port});
      inputs_holding += it != live_.end() && it->second > 0 ? 1 : 0;
    }
    if (inputs_holding < 2) {
      reported_.erase(id);
    } else if (reported_.insert(id).second) {  // Once per collision, not per commit.
      context().ReportEngineError(name(), fmt::format("duplicate key: {}", id.ToString()));
    }
  }
  changed_.clear();
}

}  // namespace vigil
