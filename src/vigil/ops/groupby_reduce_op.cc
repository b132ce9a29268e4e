#include "vigil/ops/groupby_reduce_op.h"

#include <fmt/format.h>

namespace vigil {

namespace {
/// Adds to `used` the group-row columns below `num_keys` that `e` reads.
void CollectKeyColumns(const BoundExpr& e, size_t num_keys, std::vector<bool>& used) {
  if (e.op == ExprOp::kColumn && e.column < num_keys) used[e.column] = true;
  for (const auto& arg : e.args) CollectKeyColumns(arg, num_keys, used);
}
}  // namespace

GroupByReduceOperator::GroupByReduceOperator(std::string name, const GroupBySpec& spec,
                                             bool insert_only_input)
    : Operator(std::move(name)),
      spec_(spec),
      slots_(0, SlotHash{this}, SlotEq{this}) {
  for (const auto& k : spec_.keys) key_evaluators_.push_back(std::make_unique<ExprEvaluator>(k));
  for (size_t r = 0; r < spec_.reducers.size(); ++r) {
    const bool row_count =
        spec_.reducers[r].kind == ReducerKind::kCount && spec_.reducer_args[r].empty();
    // count() is the sum of the diffs of the group's rows: the group's own count.
    reducers_.push_back(row_count ? nullptr
                                  : MakeReducerState(spec_.reducers[r], insert_only_input));
    needs_row_versions_ =
        needs_row_versions_ || (reducers_.back() && reducers_.back()->NeedsRowVersions());
    arg_evaluators_.emplace_back();
    for (const auto& a : spec_.reducer_args[r]) {
      arg_evaluators_.back().push_back(std::make_unique<ExprEvaluator>(a));
    }
  }
  std::vector<bool> used(spec_.keys.size(), false);
  for (const auto& o : spec_.outputs) {
    output_evaluators_.push_back(std::make_unique<ExprEvaluator>(o));
    CollectKeyColumns(o, spec_.keys.size(), used);
  }
  for (size_t k = 0; k < used.size(); ++k) {
    if (used[k]) stored_key_columns_.push_back(k);
  }
  key_scratch_.resize(stored_key_columns_.size());
  group_rows_ = Batch(spec_.keys.size() + spec_.reducers.size());
  snapshot_rows_ = Batch(spec_.keys.size() + spec_.reducers.size());
  old_outputs_ = Batch(spec_.outputs.size());
  out_ = Batch(spec_.outputs.size());
}

uint32_t GroupByReduceOperator::SlotFor(const Key& key, size_t row) {
  bool inserted = false;
  const uint32_t slot = *slots_.lazy_emplace(key, [&](const auto& construct) {
    inserted = true;
    uint32_t s;
    if (!free_slots_.empty()) {
      s = free_slots_.back();
      free_slots_.pop_back();
    } else {
      s = num_slots_++;
      if (s % kChunkGroups == 0) chunks_.push_back(std::make_unique<Chunk>());
      for (auto& r : reducers_) {
        if (r) r->EnsureSlots(num_slots_);
      }
    }
    // The set hashes the slot through its group's key: set the key before inserting.
    group(s).key = key;
    construct(s);
  });
  if (!inserted) return slot;
  if (hold_results_) flags(slot) = kHeld;
  Group& g = group(slot);
  for (size_t i = 0; i < stored_key_columns_.size(); ++i) {
    key_scratch_[i] = (*key_columns_[stored_key_columns_[i]])[row];
  }
  g.stored_keys = PackedValues(key_scratch_.data(), key_scratch_.size());
  return slot;
}

std::vector<const std::vector<Value>*>& GroupByReduceOperator::ComputeOutputs(
    const std::vector<uint32_t>& slots, Batch& rows, bool reset_arena) {
  if (reset_arena) {
    rows.Clear();
  } else {
    rows.ClearRows();
  }
  std::string error;
  for (uint32_t slot : slots) {
    const Group& g = group(slot);
    g.stored_keys.Unpack(key_scratch_.data(), key_scratch_.size(), rows.arena);
    size_t next_stored = 0;
    for (size_t k = 0; k < spec_.keys.size(); ++k) {
      const bool stored = next_stored < stored_key_columns_.size() &&
                          stored_key_columns_[next_stored] == k;
      rows.columns[k].push_back(stored ? key_scratch_[next_stored++] : Value::None());
    }
    for (size_t r = 0; r < reducers_.size(); ++r) {
      rows.columns[spec_.keys.size() + r].push_back(
          reducers_[r] ? reducers_[r]->Result(slot, rows.arena, &error) : Value::Int(g.count));
      if (!error.empty()) {
        context().ReportEngineError(name(), error);
        error.clear();
      }
    }
    rows.ids.push_back(g.key);
    rows.diffs.push_back(1);
  }
  output_columns_.clear();
  for (auto& e : output_evaluators_) {
    output_columns_.push_back(&e->Evaluate(rows, rows.arena));
    if (!e->errors().empty()) ReportExpressionErrors(e->errors());
  }
  return output_columns_;
}

size_t GroupByReduceOperator::ComputeRowKeys(const Batch& batch) {
  const size_t n = batch.num_rows();
  key_columns_.clear();
  for (auto& e : key_evaluators_) {
    key_columns_.push_back(&e->Evaluate(batch, scratch_arena_));
    if (!e->errors().empty()) ReportExpressionErrors(e->errors());
  }
  row_keys_.resize(n);
  row_key_ok_.resize(n);
  size_t skipped = 0;
  for (size_t i = 0; i < n; ++i) {
    hasher_.Reset();
    bool has_error = false;
    for (const auto* column : key_columns_) {
      const Value& v = (*column)[i];
      has_error = has_error || v.is_error();
      v.HashInto(hasher_);
    }
    row_key_ok_[i] = has_error ? 0 : 1;
    if (has_error) {
      ++skipped;
      continue;
    }
    Key key = hasher_.Finish();
    if (spec_.shard_key) {
      shard_hasher_.Reset();
      (*key_columns_[*spec_.shard_key])[i].HashInto(shard_hasher_);
      key = key.WithShardOf(shard_hasher_.Finish());
    }
    row_keys_[i] = key;
  }
  return skipped;
}

void GroupByReduceOperator::SnapshotOldOutputs() {
  if (to_snapshot_.empty()) return;
  // Views, not copies (a group's output may be a tuple of thousands of its rows, and a live
  // commit snapshots it on every update): they point into snapshot_rows_' arena, which is
  // reset only when the commit ends, and into reducer state, which reducers keep until then
  // (ReducerState::ReleaseRetired).
  auto& outputs = ComputeOutputs(to_snapshot_, snapshot_rows_, /*reset_arena=*/false);
  for (size_t j = 0; j < to_snapshot_.size(); ++j) {
    old_output_row_[to_snapshot_[j]] = static_cast<uint32_t>(old_outputs_.num_rows());
    for (size_t c = 0; c < outputs.size(); ++c) {
      old_outputs_.columns[c].push_back((*outputs[c])[j]);
    }
    old_outputs_.ids.push_back(group(to_snapshot_[j]).key);
    old_outputs_.diffs.push_back(-1);
  }
}

void GroupByReduceOperator::DropGroups(const std::vector<Key>& keys) {
  to_snapshot_.clear();
  std::vector<uint32_t>& dropped = row_slots_;  // Scratch: OnBatch is done for this commit.
  dropped.clear();
  for (const Key& key : keys) {
    auto it = slots_.find(key);
    if (it == slots_.end()) continue;  // Already gone.
    const uint32_t slot = *it;
    MarkDirty(slot);
    dropped.push_back(slot);
  }
  SnapshotOldOutputs();
  // As if every row of the group were retracted: OnCommitEnd emits -old and frees the slot.
  for (uint32_t slot : dropped) {
    group(slot).count = 0;
    for (auto& reducer : reducers_) {
      if (reducer) reducer->Clear(slot);
    }
  }
}

void GroupByReduceOperator::MarkDirty(uint32_t slot) {
  uint8_t& f = flags(slot);
  if (f & (kDirty | kHeld)) return;  // Already listed, or emitted only when released.
  f |= kDirty;
  dirty_slots_.push_back(slot);
  if (f & kEmitted) to_snapshot_.push_back(slot);
}

void GroupByReduceOperator::ReleaseGroups(const std::vector<Key>& keys) {
  for (const Key& key : keys) {
    auto it = slots_.find(key);
    if (it == slots_.end()) continue;  // Its rows all cancelled, or already released.
    uint8_t& f = flags(*it);
    if (!(f & kHeld)) continue;
    f &= static_cast<uint8_t>(~kHeld);
    MarkDirty(*it);  // Never emitted: nothing to snapshot.
  }
}

void GroupByReduceOperator::ForgetGroups(const std::vector<Key>& keys) {
  for (const Key& key : keys) {
    auto it = slots_.find(key);
    if (it != slots_.end()) RecycleSlot(*it);
  }
}

void GroupByReduceOperator::RecycleSlot(uint32_t slot) {
  slots_.erase(slot);  // Hashes through the group's key, so before the group is reset.
  for (auto& reducer : reducers_) {
    if (reducer) reducer->Clear(slot);
  }
  group(slot) = Group();
  flags(slot) = 0;
  free_slots_.push_back(slot);
}

void GroupByReduceOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  const size_t n = batch.num_rows();
  if (n == 0) return;
  scratch_arena_.Reset();
  // Group of every row. Rows whose key holds an Error cannot be grouped: they are reported
  // and left out (slot kNoSlot), never silently merged into a group.
  constexpr uint32_t kNoSlot = ~uint32_t{0};
  const size_t skipped = ComputeRowKeys(batch);
  row_slots_.resize(n);
  to_snapshot_.clear();
  for (size_t i = 0; i < n; ++i) {
    if (!row_key_ok_[i]) {
      row_slots_[i] = kNoSlot;
      continue;
    }
    uint32_t slot = SlotFor(row_keys_[i], i);
    row_slots_[i] = slot;
    MarkDirty(slot);
  }
  if (skipped > 0) {
    context().ReportEngineError(name(), fmt::format("{} row(s) with an Error value in a grouping "
                                                    "column were left out", skipped));
  }
  // Before the counts and reducers change: keep the outputs emitted before by groups first
  // changed now (count() reads the group's count).
  SnapshotOldOutputs();
  for (size_t i = 0; i < n; ++i) {
    if (row_slots_[i] != kNoSlot) group(row_slots_[i]).count += batch.diffs[i];
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
    // A row version = hash(id, all values): earliest/latest keep each version's insertion time.
    row_versions_.resize(rows->num_rows());
    for (size_t i = 0; i < rows->num_rows(); ++i) {
      hasher_.Reset();
      hasher_.AddPointer(rows->ids[i]);
      for (const auto& column : rows->columns) column[i].HashInto(hasher_);
      row_versions_[i] = hasher_.Finish();
    }
  }
  for (size_t r = 0; r < reducers_.size(); ++r) {
    if (!reducers_[r]) continue;  // count(): the group's count, already updated.
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

bool GroupByReduceOperator::KeepsInsertOnlyPromise(const Batch& out) {
  if (OnlyInsertions(out)) return true;
  // An engine bug, not bad data: fails the run whatever terminate_on_error says.
  if (context().engine_error.ok()) {
    context().engine_error = Status::EngineError(
        "{}: internal error: a groupby promised to only insert retracted a result", name());
  }
  return false;
}

void GroupByReduceOperator::OnCommitEnd(Time time, bool /*end_of_input*/) {
  if (!groups_to_drop_.empty()) {
    DropGroups(groups_to_drop_);
    groups_to_drop_.clear();
  }
  if (!groups_to_release_.empty()) {
    ReleaseGroups(groups_to_release_);
    groups_to_release_.clear();
  }
  // Changed groups are finished in chunks, so the batches built here stay small however many
  // groups one commit touched (a static input is a single commit over every group).
  constexpr size_t kChunk = 4096;
  for (size_t begin = 0; begin < dirty_slots_.size(); begin += kChunk) {
    const size_t end = std::min(dirty_slots_.size(), begin + kChunk);
    live_.clear();
    for (size_t d = begin; d < end; ++d) {
      if (group(dirty_slots_[d]).count > 0) live_.push_back(dirty_slots_[d]);
    }
    auto& outputs = ComputeOutputs(live_, group_rows_);
    // Diff against what was emitted before: -old then +new, only where something changed.
    out_.Clear();
    size_t live_index = 0;
    for (size_t d = begin; d < end; ++d) {
      const uint32_t slot = dirty_slots_[d];
      const Group& g = group(slot);
      uint8_t& f = flags(slot);
      f &= static_cast<uint8_t>(~kDirty);
      if (g.count > 0) {
        const size_t j = live_index++;
        if (f & kEmitted) {
          const uint32_t old_row = old_output_row_.at(slot);
          bool same = true;
          for (size_t c = 0; same && c < outputs.size(); ++c) {
            same = ValuesIdentical(old_outputs_.columns[c][old_row], (*outputs[c])[j]);
          }
          if (same) continue;
          out_.AppendRowFrom(old_outputs_, old_row);
        }
        for (size_t c = 0; c < outputs.size(); ++c) out_.columns[c].push_back((*outputs[c])[j]);
        out_.ids.push_back(g.key);
        out_.diffs.push_back(+1);
      } else if (f & kEmitted) {
        out_.AppendRowFrom(old_outputs_, old_output_row_.at(slot));
      }
    }
    if (!insert_only_output_ || KeepsInsertOnlyPromise(out_)) Emit(out_, time);
    // Downstream has consumed the views; now update and recycle.
    for (size_t d = begin; d < end; ++d) {
      const uint32_t slot = dirty_slots_[d];
      if (group(slot).count > 0) {
        flags(slot) |= kEmitted;
      } else {
        RecycleSlot(slot);
      }
    }
  }
  dirty_slots_.clear();
  old_outputs_.Clear();
  old_output_row_.clear();
  snapshot_rows_.Clear();
  if (!groups_to_forget_.empty()) {
    ForgetGroups(groups_to_forget_);
    groups_to_forget_.clear();
  }
  // Nothing refers to what the reducers removed in this commit any more.
  for (auto& reducer : reducers_) {
    if (reducer) reducer->ReleaseRetired();
  }
}

}  // namespace vigil
