#include "vigil/ops/temporal/threshold_queue.h"

#include <compare>

namespace vigil {

std::strong_ordering ThresholdQueue::Less::CompareThresholds(const Value& a, const Value& b) {
  // Thresholds are event times of one column type; ints (unix seconds, the usual case) are
  // compared inline, anything else through the general order.
  if (a.kind() == ValueKind::kInt && b.kind() == ValueKind::kInt) return a.as_int() <=> b.as_int();
  return CompareValues(a, b);
}

bool ThresholdQueue::Less::operator()(const RowKey& a, const RowKey& b) const {
  const auto c = CompareThresholds(a.threshold, b.threshold);
  if (c != std::strong_ordering::equal) return c == std::strong_ordering::less;
  if (a.id != b.id) return a.id < b.id;
  return a.version < b.version;
}

void ThresholdQueue::Add(const Value& threshold, const Batch& batch, size_t row, Diff diff) {
  if (diff == 0) return;
  hasher_.Reset();
  for (const auto& column : batch.columns) column[row].HashInto(hasher_);
  RowKey key{threshold, batch.ids[row], hasher_.Finish()};
  auto [it, inserted] = rows_.try_emplace(key);
  if (inserted) Pack(it->second, batch, row);
  it->second.diff += diff;
  if (it->second.diff == 0) rows_.erase(it);
}

void ThresholdQueue::AddKeyOnce(const Value& threshold, const Key& group) {
  // Most rows belong to a group already held (every failure of an attack hits one window):
  // one hash lookup settles them, without a btree search.
  if (!held_groups_.insert(group).second) return;
  rows_.try_emplace(RowKey{threshold, group, Key{}}).first->second.diff = 1;
}

void ThresholdQueue::TakeKeys(const Value& limit, std::vector<Key>& out) {
  auto it = rows_.begin();
  for (; it != rows_.end(); ++it) {
    if (Less::ThresholdAfter(it->first.threshold, limit)) break;
    out.push_back(it->first.id);
  }
  taken_end_ = it;
  has_taken_ = true;
}

void ThresholdQueue::Pack(HeldRow& held, const Batch& batch, size_t row) {
  scratch_.clear();
  for (const auto& column : batch.columns) scratch_.push_back(column[row]);
  held.values = PackedValues(scratch_.data(), scratch_.size());
}

void ThresholdQueue::Take(const Value* limit, bool negate, Batch& out) {
  scratch_.resize(num_columns_);
  auto it = rows_.begin();
  for (; it != rows_.end(); ++it) {
    if (limit != nullptr && Less::ThresholdAfter(it->first.threshold, *limit)) break;
    it->second.values.Unpack(scratch_.data(), num_columns_, out.arena);
    for (size_t c = 0; c < num_columns_; ++c) out.columns[c].push_back(scratch_[c]);
    out.ids.push_back(it->first.id);
    out.diffs.push_back(negate ? -it->second.diff : it->second.diff);
  }
  taken_end_ = it;
  has_taken_ = true;
}

void ThresholdQueue::EraseTaken() {
  if (!has_taken_) return;
  if (!held_groups_.empty()) {
    for (auto it = rows_.begin(); it != taken_end_; ++it) held_groups_.erase(it->first.id);
  }
  rows_.erase(rows_.begin(), taken_end_);
  has_taken_ = false;
}

}  // namespace vigil
