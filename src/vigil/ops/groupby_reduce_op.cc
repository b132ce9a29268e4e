#include "vigil/ops/groupby_reduce_op.h"

#include <fmt/format.h>

namespace vigil {

GroupByReduceOperator::GroupByReduceOperator(std::string name, const GroupBySpec& spec)
    : Operator(std::move(name)), spec_(spec) {
  for (const auto& k : spec_.keys) key_evaluators_.push_back(std::make_unique<ExprEvaluator>(k));
  for (size_t r = 0; r < spec_.reducers.size(); ++r) {
    reducers_.push_back(MakeReducerState(spec_.reducers[r]));
    arg_evaluators_.emplace_back();
    for (const auto& a : spec_.reducer_args[r]) {
      arg_evaluators_.back().push_back(std::make_unique<ExprEvaluator>(a));
    }
  }
  for (const auto& o : spec_.outputs) {
    output_evaluators_.push_back(std::make_unique<ExprEvaluator>(o));
  }
  for (const auto& r : reducers_) {
    needs_row_versions_ = needs_row_versions_ || r->NeedsRowVersions();
  }
  group_rows_ = Batch(spec_.keys.size() + spec_.reducers.size());
  out_ = Batch(spec_.outputs.size());
}

uint32_t GroupByReduceOperator::SlotFor(const Key& key, const Batch& /*batch*/, size_t row) {
  auto [it, inserted] = slot_of_key_.try_emplace(key, 0);
  if (!inserted) return it->second;
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(groups_.size());
    groups_.emplace_back();
    for (auto& r : reducers_) r->EnsureSlots(groups_.size());
  }
  it->second = slot;
  Group& g = groups_[slot];
  g.key = key;
  g.key_values.clear();
  for (const auto* column : key_columns_) g.key_values.emplace_back((*column)[row]);
  return slot;
}

void GroupByReduceOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  const size_t n = batch.num_rows();
  if (n == 0) return;
  scratch_arena_.Reset();
  key_columns_.clear();
  for (auto& e : key_evaluators_) {
    key_columns_.push_back(&e->Evaluate(batch, scratch_arena_));
    if (!e->errors().empty()) ReportExpressionErrors(e->errors());
  }
  // Group of every row. Rows whose key holds an Error cannot be grouped: they are reported
  // and left out (slot kNoSlot), never silently merged into a group.
  constexpr uint32_t kNoSlot = ~uint32_t{0};
  row_slots_.resize(n);
  size_t skipped = 0;
  for (size_t i = 0; i < n; ++i) {
    hasher_.Reset();
    bool has_error = false;
    for (const auto* column : key_columns_) {
      const Value& v = (*column)[i];
      has_error = has_error || v.is_error();
      v.HashInto(hasher_);
    }
    if (has_error) {
      row_slots_[i] = kNoSlot;
      ++skipped;
      continue;
    }
    Key key = hasher_.Finish();
    if (spec_.shard_key) {
      shard_hasher_.Reset();
      (*key_columns_[*spec_.shard_key])[i].HashInto(shard_hasher_);
      key = key.WithShardOf(shard_hasher_.Finish());
    }
    uint32_t slot = SlotFor(key, batch, i);
    row_slots_[i] = slot;
    Group& g = groups_[slot];
    g.count += batch.diffs[i];
    if (!g.dirty) {
      g.dirty = true;
      dirty_slots_.push_back(slot);
    }
  }
  if (skipped > 0) {
    context().ReportEngineError(name(), fmt::format("{} row(s) with an Error value in a grouping "
                                                    "column were left out", skipped));
  }
  // Reducers see only the rows that found a group.
  const Batch* rows = &batch;
  Batch filtered;
  const uint32_t* slots = row_slots_.data();
  std::vector<uint32_t> kept_slots;
  if (skipped > 0) {
    filtered = Batch(batch.num_columns());
    for (size_t i = 0; i < n; ++i) {
      if (row_slots_[i] == kNoSlot) continue;
      filtered.AppendRowFrom(batch, i);
      kept_slots.push_back(row_slots_[i]);
    }
    rows = &filtered;
    slots = kept_slots.data();
  }
  if (needs_row_versions_) {
    row_versions_.resize(rows->num_rows());
    for (size_t i = 0; i < rows->num_rows(); ++i) {
      hasher_.Reset();
      hasher_.AddPointer(rows->ids[i]);
      for (const auto& column : rows->columns) column[i].HashInto(hasher_);
      row_versions_[i] = hasher_.Finish();
    }
  }
  for (size_t r = 0; r < reducers_.size(); ++r) {
    arg_columns_.clear();
    for (auto& e : arg_evaluators_[r]) {
      arg_columns_.push_back(&e->Evaluate(*rows, scratch_arena_));
      if (!e->errors().empty()) ReportExpressionErrors(e->errors());
    }
    ReducerInput input{slots, arg_columns_, rows->ids.data(), rows->diffs.data(),
                       rows->num_rows(), time,
                       needs_row_versions_ ? row_versions_.data() : nullptr};
    reducers_[r]->Update(input);
  }
}

void GroupByReduceOperator::OnCommitEnd(Time time, bool /*end_of_input*/) {
  if (dirty_slots_.empty()) return;
  // 1. Recompute the group row (keys + reducer results) of every dirty group that has rows.
  group_rows_.Clear();
  std::vector<uint32_t> live;
  live.reserve(dirty_slots_.size());
  std::string error;
  for (uint32_t slot : dirty_slots_) {
    Group& g = groups_[slot];
    if (g.count <= 0) continue;
    live.push_back(slot);
    size_t c = 0;
    for (const auto& kv : g.key_values) group_rows_.columns[c++].push_back(kv.get());
    for (auto& reducer : reducers_) {
      group_rows_.columns[c++].push_back(reducer->Result(slot, group_rows_.arena, &error));
      if (!error.empty()) {
        context().ReportEngineError(name(), error);
        error.clear();
      }
    }
    group_rows_.ids.push_back(g.key);
    group_rows_.diffs.push_back(1);
  }
  // 2. Output expressions over the group rows.
  std::vector<const std::vector<Value>*> outputs;
  for (auto& e : output_evaluators_) {
    outputs.push_back(&e->Evaluate(group_rows_, group_rows_.arena));
    if (!e->errors().empty()) ReportExpressionErrors(e->errors());
  }
  // 3. Diff against what was emitted before: -old then +new, only where something changed.
  out_.Clear();
  auto emit_row = [&](const Key& key, const std::vector<StoredValue>& row, Diff diff) {
    for (size_t c = 0; c < row.size(); ++c) out_.columns[c].push_back(row[c].get());
    out_.ids.push_back(key);
    out_.diffs.push_back(diff);
  };
  std::vector<std::vector<StoredValue>> new_rows(live.size());
  size_t live_index = 0;
  for (uint32_t slot : dirty_slots_) {
    Group& g = groups_[slot];
    g.dirty = false;
    if (g.count > 0) {
      std::vector<StoredValue>& row = new_rows[live_index];
      row.reserve(outputs.size());
      for (const auto* column : outputs) row.emplace_back((*column)[live_index]);
      ++live_index;
      bool same = g.emitted && g.output.size() == row.size();
      for (size_t c = 0; same && c < row.size(); ++c) {
        same = ValuesIdentical(g.output[c].get(), row[c].get());
      }
      if (same) continue;
      if (g.emitted) emit_row(g.key, g.output, -1);
      emit_row(g.key, row, +1);
    } else if (g.emitted) {
      emit_row(g.key, g.output, -1);
    }
  }
  Emit(out_, time);
  // 4. Only now (downstream has consumed the views into old rows) update the state.
  live_index = 0;
  for (uint32_t slot : dirty_slots_) {
    Group& g = groups_[slot];
    if (g.count > 0) {
      g.output = std::move(new_rows[live_index++]);
      g.emitted = true;
    } else {
      slot_of_key_.erase(g.key);
      for (auto& reducer : reducers_) reducer->Clear(slot);
      g = Group();
      free_slots_.push_back(slot);
    }
  }
  dirty_slots_.clear();
}

}  // namespace vigil
