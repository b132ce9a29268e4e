#include "vigil/ops/join/join_op.h"

#include <fmt/format.h>

#include <algorithm>

namespace vigil {

namespace {
/// Joined rows gathered before evaluating the outputs, when the commit's output need not be
/// consolidated as a whole.
constexpr size_t kChunkRows = 4096;
}  // namespace

void JoinOperator::PendingRows::Clear() {
  ids.clear();
  join_keys.clear();
  key_ok.clear();
  diffs.clear();
  values.clear();
  fingerprints.clear();
  consolidated.clear();
  arena.Reset();
}

JoinOperator::JoinOperator(std::string name, const JoinSpec& spec)
    : Operator(std::move(name)),
      spec_(spec),
      arrangements_{JoinArrangement(spec.sides[kLeftSide].stored_columns.size()),
                    JoinArrangement(spec.sides[kRightSide].stored_columns.size())} {
  for (const auto& e : spec_.outputs) {
    output_evaluators_.push_back(std::make_unique<ExprEvaluator>(e));
  }
  joined_ = Batch(spec_.joined_columns.size());
  out_ = Batch(spec_.outputs.size());
  for (size_t side : {kLeftSide, kRightSide}) {
    state_scratch_[side].resize(spec_.sides[side].stored_columns.size());
  }
}

void JoinOperator::OnBatch(size_t port, const Batch& batch, Time /*time*/) {
  if (batch.empty() || port > kRightSide) return;
  BufferRows(port, batch);
}

void JoinOperator::BufferRows(size_t side, const Batch& batch) {
  const JoinSideSpec& spec = spec_.sides[side];
  PendingRows& pending = pending_[side];
  const size_t n = batch.num_rows();
  for (size_t i = 0; i < n; ++i) {
    // The join key: Pathway's hash of the condition values (with the instance's shard bits).
    hasher_.Reset();
    bool has_error = false;
    for (const JoinKeyPart& part : spec.key) {
      const Value v = part.is_id ? Value::Pointer(batch.ids[i]) : batch.columns[part.column][i];
      has_error = has_error || v.is_error();
      v.HashInto(hasher_);
    }
    Key join_key;
    if (!has_error) {
      join_key = hasher_.Finish();
      if (spec_.shard_by_instance) {
        const JoinKeyPart& instance = spec.key.back();
        shard_hasher_.Reset();
        (instance.is_id ? Value::Pointer(batch.ids[i]) : batch.columns[instance.column][i])
            .HashInto(shard_hasher_);
        join_key = join_key.WithShardOf(shard_hasher_.Finish());
      }
    } else {
      // Pathway's message; the row is still passed through padded by left/right/outer joins.
      context().ReportEngineError(name(),
                                  "Error value encountered in join condition, skipping the row");
    }
    pending.ids.push_back(batch.ids[i]);
    pending.join_keys.push_back(join_key);
    pending.key_ok.push_back(has_error ? 0 : 1);
    pending.diffs.push_back(batch.diffs[i]);
    for (size_t column : spec.stored_columns) {
      pending.values.push_back(pending.arena.Copy(batch.columns[column][i]));
    }
  }
}

bool JoinOperator::Consolidate(size_t side) {
  PendingRows& pending = pending_[side];
  const size_t n = pending.size();
  const size_t width = spec_.sides[side].stored_columns.size();
  pending.fingerprints.resize(n);
  bool any_negative = false;
  for (size_t i = 0; i < n; ++i) {
    hasher_.Reset();
    if (pending.key_ok[i]) {
      hasher_.AddPointer(pending.join_keys[i]);
    } else {
      hasher_.AddNone();
    }
    hasher_.AddPointer(pending.ids[i]);
    for (size_t c = 0; c < width; ++c) pending.values[i * width + c].HashInto(hasher_);
    pending.fingerprints[i] = hasher_.Finish();
    any_negative = any_negative || pending.diffs[i] < 0;
  }
  auto& order = pending.consolidated;
  order.resize(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
  // Only a retraction can cancel something: a commit of insertions is applied as it came
  // (repeated rows simply add up in the arrangement).
  if (!any_negative) return false;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (pending.fingerprints[a] != pending.fingerprints[b]) {
      return pending.fingerprints[a] < pending.fingerprints[b];
    }
    return a < b;
  });
  size_t kept = 0;
  bool net_negative = false;
  for (size_t begin = 0; begin < n;) {
    size_t end = begin + 1;
    Diff sum = pending.diffs[order[begin]];
    while (end < n && pending.fingerprints[order[end]] == pending.fingerprints[order[begin]]) {
      sum += pending.diffs[order[end]];
      ++end;
    }
    if (sum != 0) {
      pending.diffs[order[begin]] = sum;
      order[kept++] = order[begin];
      net_negative = net_negative || sum < 0;
    }
    begin = end;
  }
  order.resize(kept);
  return net_negative;
}

void JoinOperator::CollectTouchedKeys() {
  for (size_t side : {kLeftSide, kRightSide}) {
    const PendingRows& pending = pending_[side];
    for (uint32_t i : pending.consolidated) {
      if (!pending.key_ok[i]) continue;
      const Key& join_key = pending.join_keys[i];
      auto [it, inserted] = touched_.try_emplace(join_key);
      TouchedKey& t = it->second;
      if (inserted) {
        for (size_t s : {kLeftSide, kRightSide}) {
          t.old_count[s] = arrangements_[s].Count(join_key);
          t.new_count[s] = t.old_count[s];
        }
      }
      t.new_count[side] += pending.diffs[i];
    }
  }
}

bool JoinOperator::CommitMayRetract(bool input_retracts) const {
  if (input_retracts) return true;
  for (size_t side : {kLeftSide, kRightSide}) {
    if (!spec_.KeepsUnmatched(side)) continue;
    const size_t other = 1 - side;
    for (const auto& [join_key, t] : touched_) {
      // Padded rows of `side` are retracted when the other side gains its first row.
      if (t.old_count[side] != 0 && t.old_count[other] <= 0 && t.new_count[other] > 0) {
        return true;
      }
    }
  }
  return false;
}

JoinOperator::RowView JoinOperator::StateRow(size_t side, uint32_t row) {
  arrangements_[side].UnpackRow(row, state_scratch_[side].data(), joined_.arena);
  return RowView{state_scratch_[side].data(), &arrangements_[side].RowId(row)};
}

Key JoinOperator::ResultId(const RowView& left_row, const RowView& right_row, const Key& join_key,
                           bool key_ok) {
  if (spec_.id_source == JoinIdSource::kLeft && left_row.id != nullptr) return *left_row.id;
  if (spec_.id_source == JoinIdSource::kRight && right_row.id != nullptr) return *right_row.id;
  // Pathway: hash([Pointer(left_row id) or None, Pointer(right_row id) or None]) with the shard bits
  // of the join key (of the present row's id when its key holds an Error).
  hasher_.Reset();
  if (left_row.id != nullptr) {
    hasher_.AddPointer(*left_row.id);
  } else {
    hasher_.AddNone();
  }
  if (right_row.id != nullptr) {
    hasher_.AddPointer(*right_row.id);
  } else {
    hasher_.AddNone();
  }
  const Key& shard = key_ok ? join_key : (left_row.id != nullptr ? *left_row.id : *right_row.id);
  return hasher_.Finish().WithShardOf(shard);
}

void JoinOperator::AppendJoined(const RowView& left_row, const RowView& right_row, const Key& join_key,
                                bool key_ok, Diff diff, Time time) {
  if (diff == 0) return;
  const bool missing_is_error = spec_.missing_right_is_error && right_row.id == nullptr;
  if (missing_is_error && diff > 0) {
    context().ReportEngineError(
        name(), fmt::format("key missing in output table: {}", left_row.id->ToString()));
  }
  for (size_t j = 0; j < spec_.joined_columns.size(); ++j) {
    const JoinedColumn& column = spec_.joined_columns[j];
    const RowView& row = column.side == kLeftSide ? left_row : right_row;
    // The padded side is None (Error for the missing rows of a non-optional ix).
    Value v = missing_is_error && column.side == kRightSide ? Value::Error() : Value::None();
    if (row.error) {
      v = Value::Error();
    } else if (row.id != nullptr) {
      v = column.source == JoinedColumn::Source::kRowId ? Value::Pointer(*row.id)
                                                        : row.values[column.stored];
    }
    joined_.columns[j].push_back(v);
  }
  joined_.ids.push_back(ResultId(left_row, right_row, join_key, key_ok));
  joined_.diffs.push_back(diff);
  if (!consolidate_commit_ && joined_.num_rows() >= kChunkRows) Flush(time, false);
}

void JoinOperator::JoinPendingWithState(size_t side, Time time) {
  const PendingRows& pending = pending_[side];
  const size_t other = 1 - side;
  const size_t width = spec_.sides[side].stored_columns.size();
  const bool keeps_unmatched = spec_.KeepsUnmatched(side);
  const RowView padded;
  for (uint32_t i : pending.consolidated) {
    const Diff diff = pending.diffs[i];
    const RowView mine{pending.values.data() + i * width, &pending.ids[i]};
    const Key& join_key = pending.join_keys[i];
    if (!pending.key_ok[i]) {
      if (keeps_unmatched) {
        AppendJoined(side == kLeftSide ? mine : padded, side == kLeftSide ? padded : mine, join_key,
                     false, diff, time);
      }
      continue;
    }
    if (auto group = arrangements_[other].FindGroup(join_key)) {
      arrangements_[other].ForEachRow(*group, [&](uint32_t row) {
        const RowView theirs = StateRow(other, row);
        const Diff pair_diff = diff * arrangements_[other].RowCount(row);
        if (side == kLeftSide) {
          AppendJoined(mine, theirs, join_key, true, pair_diff, time);
        } else {
          AppendJoined(theirs, mine, join_key, true, pair_diff, time);
        }
      });
    }
    if (keeps_unmatched) {
      const TouchedKey& t = touched_.at(join_key);
      if (t.old_count[other] <= 0 && t.new_count[other] <= 0) {
        AppendJoined(side == kLeftSide ? mine : padded, side == kLeftSide ? padded : mine, join_key,
                     true, diff, time);
      }
    }
  }
}

void JoinOperator::EmitPaddingChanges(size_t side, bool other_became_non_empty, Time time) {
  if (!spec_.KeepsUnmatched(side)) return;
  const size_t other = 1 - side;
  const RowView padded;
  for (const auto& [join_key, t] : touched_) {
    const bool changed = other_became_non_empty ? t.old_count[other] <= 0 && t.new_count[other] > 0
                                                : t.old_count[other] > 0 && t.new_count[other] <= 0;
    if (!changed) continue;
    auto group = arrangements_[side].FindGroup(join_key);
    if (!group) continue;
    const Key& key = join_key;
    arrangements_[side].ForEachRow(*group, [&](uint32_t row) {
      const RowView mine = StateRow(side, row);
      const Diff count = arrangements_[side].RowCount(row);
      const Diff diff = other_became_non_empty ? -count : count;
      AppendJoined(side == kLeftSide ? mine : padded, side == kLeftSide ? padded : mine, key, true,
                   diff, time);
    });
  }
}

void JoinOperator::ApplyPending(size_t side) {
  const PendingRows& pending = pending_[side];
  const size_t width = spec_.sides[side].stored_columns.size();
  for (uint32_t i : pending.consolidated) {
    // Rows whose key holds an Error never match: nothing to remember.
    if (!pending.key_ok[i]) continue;
    arrangements_[side].Update(pending.join_keys[i], pending.fingerprints[i], pending.ids[i],
                               pending.values.data() + i * width, pending.diffs[i]);
  }
}

void JoinOperator::ReportDuplicateIds() {
  if (spec_.id_source == JoinIdSource::kPair) return;
  // id=left.id (right.id): a row matched by more than one row of the other side would give
  // the result several rows with its id. Pathway reports "duplicate key: <id>".
  const size_t side = spec_.id_source == JoinIdSource::kLeft ? kLeftSide : kRightSide;
  const size_t other = 1 - side;
  for (const auto& [join_key, t] : touched_) {
    if (t.new_count[side] <= 0 || t.new_count[other] <= 1) continue;
    auto group = arrangements_[side].FindGroup(join_key);
    if (!group) continue;
    bool reported = false;
    arrangements_[side].ForEachRow(*group, [&](uint32_t row) {
      if (reported) return;
      reported = true;
      context().ReportEngineError(
          name(), fmt::format("duplicate key: {}", arrangements_[side].RowId(row).ToString()));
    });
  }
}

bool JoinOperator::HasDuplicateIds() const {
  if (spec_.id_source == JoinIdSource::kPair) return false;
  const size_t other = spec_.id_source == JoinIdSource::kLeft ? kRightSide : kLeftSide;
  for (const auto& [join_key, t] : touched_) {
    if (t.old_count[other] > 1 || t.new_count[other] > 1) return true;
  }
  return false;
}

void JoinOperator::CorrectDuplicateIds(bool old_state, Time time) {
  if (spec_.id_source == JoinIdSource::kPair) return;
  const size_t side = spec_.id_source == JoinIdSource::kLeft ? kLeftSide : kRightSide;
  const size_t other = 1 - side;
  // Old state: -Error rows +pairs (undo); new state: +Error rows -pairs.
  const Diff sign = old_state ? -1 : 1;
  static const Key kNoId{};
  for (const auto& [join_key, t] : touched_) {
    const int64_t matches = old_state ? t.old_count[other] : t.new_count[other];
    if (matches < 2) continue;
    const auto mine = arrangements_[side].FindGroup(join_key);
    const auto theirs = arrangements_[other].FindGroup(join_key);
    if (!mine || !theirs) continue;
    arrangements_[side].ForEachRow(*mine, [&](uint32_t row) {
      const Diff n = arrangements_[side].RowCount(row);
      if (n == 0) return;
      const RowView me = StateRow(side, row);
      const RowView error_row{nullptr, &kNoId, /*error=*/true};
      if (side == kLeftSide) {
        AppendJoined(me, error_row, join_key, true, sign * n, time);
      } else {
        AppendJoined(error_row, me, join_key, true, sign * n, time);
      }
      arrangements_[other].ForEachRow(*theirs, [&](uint32_t their_row) {
        const RowView them = StateRow(other, their_row);
        const Diff pair = -sign * n * arrangements_[other].RowCount(their_row);
        if (side == kLeftSide) {
          AppendJoined(me, them, join_key, true, pair, time);
        } else {
          AppendJoined(them, me, join_key, true, pair, time);
        }
      });
    });
  }
}

void JoinOperator::Flush(Time time, bool consolidate) {
  if (joined_.empty()) return;
  output_columns_.clear();
  for (auto& e : output_evaluators_) {
    output_columns_.push_back(&e->Evaluate(joined_, joined_.arena));
    if (!e->errors().empty()) ReportExpressionErrors(e->errors());
  }
  out_.Clear();
  const size_t n = joined_.num_rows();
  if (!consolidate) {
    for (size_t c = 0; c < output_columns_.size(); ++c) {
      out_.columns[c].assign(output_columns_[c]->begin(), output_columns_[c]->end());
    }
    out_.ids.assign(joined_.ids.begin(), joined_.ids.end());
    out_.diffs.assign(joined_.diffs.begin(), joined_.diffs.end());
  } else {
    // Consolidation: rows equal in id and values merge (diffs summed, zeros dropped). Rows
    // are bucketed by a hash of (id, values); equal hashes are then compared value by value.
    output_order_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      hasher_.Reset();
      hasher_.AddPointer(joined_.ids[i]);
      for (const auto* column : output_columns_) (*column)[i].HashInto(hasher_);
      output_order_[i] = {hasher_.Finish(), static_cast<uint32_t>(i)};
    }
    std::sort(output_order_.begin(), output_order_.end());
    output_diffs_.assign(joined_.diffs.begin(), joined_.diffs.end());
    auto same_row = [&](uint32_t a, uint32_t b) {
      if (joined_.ids[a] != joined_.ids[b]) return false;
      for (const auto* column : output_columns_) {
        if (!ValuesIdentical((*column)[a], (*column)[b])) return false;
      }
      return true;
    };
    for (size_t begin = 0; begin < n;) {
      size_t end = begin + 1;
      while (end < n && output_order_[end].first == output_order_[begin].first) ++end;
      // Within a run of equal hashes (almost always one row), merge identical rows.
      for (size_t a = begin; a < end; ++a) {
        const uint32_t row = output_order_[a].second;
        if (output_diffs_[row] == 0) continue;
        for (size_t b = a + 1; b < end; ++b) {
          const uint32_t later = output_order_[b].second;
          if (output_diffs_[later] != 0 && same_row(row, later)) {
            output_diffs_[row] += output_diffs_[later];
            output_diffs_[later] = 0;
          }
        }
        if (output_diffs_[row] == 0) continue;
        for (size_t c = 0; c < output_columns_.size(); ++c) {
          out_.columns[c].push_back((*output_columns_[c])[row]);
        }
        out_.ids.push_back(joined_.ids[row]);
        out_.diffs.push_back(output_diffs_[row]);
      }
      begin = end;
    }
  }
  Emit(out_, time);
  joined_.Clear();
}

void JoinOperator::OnCommitEnd(Time time, bool /*end_of_input*/) {
  if (pending_[kLeftSide].size() == 0 && pending_[kRightSide].size() == 0) return;
  const bool left_retracts = Consolidate(kLeftSide);
  const bool right_retracts = Consolidate(kRightSide);
  // Per-key counts are needed only for padded rows and for the duplicate-id check.
  if (spec_.KeepsUnmatched(kLeftSide) || spec_.KeepsUnmatched(kRightSide) ||
      spec_.id_source != JoinIdSource::kPair) {
    CollectTouchedKeys();
  }
  const bool duplicate_ids = HasDuplicateIds();
  consolidate_commit_ = duplicate_ids || CommitMayRetract(left_retracts || right_retracts);
  if (duplicate_ids) CorrectDuplicateIds(/*old_state=*/true, time);
  // dL x R_old, then L's padded rows around applying dL, then L_new x dR, then R's.
  JoinPendingWithState(kLeftSide, time);
  EmitPaddingChanges(kLeftSide, /*other_became_non_empty=*/true, time);
  ApplyPending(kLeftSide);
  EmitPaddingChanges(kLeftSide, /*other_became_non_empty=*/false, time);
  JoinPendingWithState(kRightSide, time);
  EmitPaddingChanges(kRightSide, /*other_became_non_empty=*/true, time);
  ApplyPending(kRightSide);
  EmitPaddingChanges(kRightSide, /*other_became_non_empty=*/false, time);
  if (duplicate_ids) CorrectDuplicateIds(/*old_state=*/false, time);
  ReportDuplicateIds();
  Flush(time, consolidate_commit_);
  // Downstream has consumed every emitted view: now rows and keys that vanished are freed.
  for (size_t side : {kLeftSide, kRightSide}) {
    arrangements_[side].CollectGarbage();
    pending_[side].Clear();
  }
  touched_.clear();
}

}  // namespace vigil
