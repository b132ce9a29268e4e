#include "vigil/ops/temporal/threshold_queue.h"

#include <compare>

namespace vigil {

bool ThresholdQueue::Less::operator()(const RowKey& a, const RowKey& b) const {
  const auto c = CompareValues(a.threshold, b.threshold);
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

void ThresholdQueue::AddOnce(const Value& threshold, const Key& group, const Batch& batch,
                             size_t row) {
  auto [it, inserted] = rows_.try_emplace(RowKey{threshold, group, Key{}});
  if (!inserted) return;
  Pack(it->second, batch, row);
  it->second.diff = 1;
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
    if (limit != nullptr &&
        CompareValues(it->first.threshold, *limit) == std::strong_ordering::greater) {
      break;
    }
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
  rows_.erase(rows_.begin(), taken_end_);
  has_taken_ = false;
}

}  // namespace vigil
