#include "vigil/ops/temporal/threshold_queue.h"

#include <algorithm>
#include <compare>
#include <memory>

#include "vigil/ops/temporal/event_clock.h"

namespace vigil {

void ThresholdQueue::Add(const Value& threshold, const Batch& batch, size_t row, Diff diff) {
  if (diff == 0) return;
  hasher_.Reset();
  for (const auto& column : batch.columns) column[row].HashInto(hasher_);
  Bucket& bucket = BucketFor(threshold);
  auto [it, inserted] = bucket.rows.try_emplace(RowKey{batch.ids[row], hasher_.Finish()});
  if (inserted) {
    Pack(it->second, batch, row);
    ++size_;
  }
  it->second.diff += diff;
  if (it->second.diff == 0) {
    bucket.rows.erase(it);
    --size_;
  }
}

void ThresholdQueue::AddKeyOnce(const Value& threshold, const Key& group) {
  // Most rows belong to a group already held (every failure of an attack hits one window):
  // one hash lookup settles them.
  if (!held_groups_.insert(group).second) return;
  BucketFor(threshold).keys.push_back(group);
  ++size_;
}

ThresholdQueue::Bucket& ThresholdQueue::BucketFor(const Value& threshold) {
  // The rows of one window come together and share its threshold: most calls find the
  // bucket of the call before without a walk down the tree.
  if (last_bucket_ != nullptr &&
      CompareEventTimes(threshold, last_threshold_) == std::strong_ordering::equal) {
    return *last_bucket_;
  }
  std::unique_ptr<Bucket>& bucket = buckets_[threshold];
  if (bucket == nullptr) bucket = std::make_unique<Bucket>();
  last_threshold_ = threshold;
  last_bucket_ = bucket.get();
  return *bucket;
}

void ThresholdQueue::TakeKeys(const Value* limit, std::vector<Key>& out) {
  auto it = buckets_.begin();
  for (; it != buckets_.end(); ++it) {
    if (limit != nullptr && ThresholdAfter(it->first, *limit)) break;
    out.insert(out.end(), it->second->keys.begin(), it->second->keys.end());
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
  auto it = buckets_.begin();
  for (; it != buckets_.end(); ++it) {
    if (limit != nullptr && ThresholdAfter(it->first, *limit)) break;
    // In (id, version) order, as an ordered queue gives them: a run's output order must not
    // depend on the hash map's layout.
    sorted_.clear();
    for (const auto& [key, held] : it->second->rows) sorted_.emplace_back(key, &held);
    std::sort(sorted_.begin(), sorted_.end(), [](const auto& a, const auto& b) {
      if (a.first.id != b.first.id) return a.first.id < b.first.id;
      return a.first.version < b.first.version;
    });
    for (const auto& [key, held] : sorted_) {
      held->values.Unpack(scratch_.data(), num_columns_, out.arena);
      for (size_t c = 0; c < num_columns_; ++c) out.columns[c].push_back(scratch_[c]);
      out.ids.push_back(key.id);
      out.diffs.push_back(negate ? -held->diff : held->diff);
    }
  }
  taken_end_ = it;
  has_taken_ = true;
}

void ThresholdQueue::EraseTaken() {
  if (!has_taken_) return;
  for (auto it = buckets_.begin(); it != taken_end_; ++it) {
    for (const Key& k : it->second->keys) held_groups_.erase(k);
    size_ -= it->second->rows.size() + it->second->keys.size();
  }
  buckets_.erase(buckets_.begin(), taken_end_);
  last_bucket_ = nullptr;  // It may have been erased.
  has_taken_ = false;
}

}  // namespace vigil
