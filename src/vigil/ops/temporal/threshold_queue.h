#pragma once

#include <compare>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include <absl/container/btree_map.h>
#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include "vigil/batch/batch.h"
#include "vigil/common/key.h"
#include "vigil/ops/temporal/event_clock.h"
#include "vigil/types/packed_values.h"

namespace vigil {

/// Rows held by a temporal operator until "now" reaches their threshold: the delay buffer's
/// waiting rows and the rows forget remembers. Bucketed by threshold, so releasing everything
/// up to "now" touches only the released rows.
///
/// Rows are consolidated like a differential arrangement: two updates of the same row (same
/// id and values) add their diffs, and a row whose diff reaches zero is dropped at once. So a
/// retraction meeting its held insertion frees the memory, and the queue's size is the number
/// of distinct live rows it holds. Values are copied (packed) on Add: batches are only valid
/// during the call that delivers them.
///
/// Why buckets: the rows of a window share one threshold (its end + cutoff), so a queue
/// holds few distinct thresholds and many rows each. One ordered map over (threshold, id)
/// put every insertion of a fresh row at a random place of a big tree, a cache miss per
/// level (a quarter of a live auth-log run's time); a hash map per threshold makes it one
/// probe. Rows are sorted by (id, version) when taken, so the output order is the same as an
/// ordered queue's.
class ThresholdQueue {
 public:
  explicit ThresholdQueue(size_t num_columns) : num_columns_(num_columns) {}

  /// Adds `diff` of row `row` of `batch`, held until "now" reaches `threshold`.
  void Add(const Value& threshold, const Batch& batch, size_t row, Diff diff);
  /// Holds the key of `group` until "now" reaches `threshold`, unless the group is already
  /// held. Callers give each group one threshold (a window's groups: its end + cutoff), so
  /// "already held" needs no threshold. Do not mix with Add() in one queue.
  void AddKeyOnce(const Value& threshold, const Key& group);
  /// Appends to `out` the keys held with threshold <= `limit` (every key when `limit` is
  /// null); call EraseTaken() after.
  void TakeKeys(const Value* limit, std::vector<Key>& out);

  /// Appends to `out` every held row whose threshold is <= `limit` (every row when `limit` is
  /// null), with diff negated when `negate`. The appended values are views into the queue:
  /// emit `out`, then call EraseTaken() before changing the queue again.
  void Take(const Value* limit, bool negate, Batch& out);
  /// Drops the rows handed out by the last Take().
  void EraseTaken();

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  struct RowKey {
    Key id;
    Key version;  // Hash of all values: updates of one id with other values are other rows.
    bool operator==(const RowKey&) const = default;
    template <typename H>
    friend H AbslHashValue(H h, const RowKey& k) {
      return H::combine(std::move(h), k.id, k.version);
    }
  };
  struct HeldRow {
    PackedValues values;
    Diff diff = 0;
  };
  struct ThresholdLess {
    bool operator()(const Value& a, const Value& b) const {
      return CompareEventTimes(a, b) == std::strong_ordering::less;
    }
  };
  /// The rows (Add) or group keys (AddKeyOnce) of one threshold.
  struct Bucket {
    absl::flat_hash_map<RowKey, HeldRow> rows;
    std::vector<Key> keys;
  };
  // Thresholds are event times (scalars, never views), so a Value is kept by value. Buckets
  // are owned through pointers so that the last one used stays where it is (BucketFor).
  using Buckets = absl::btree_map<Value, std::unique_ptr<Bucket>, ThresholdLess>;

  // Thresholds are event times of one column type.
  static bool ThresholdAfter(const Value& a, const Value& limit) {
    return CompareEventTimes(a, limit) == std::strong_ordering::greater;
  }
  void Pack(HeldRow& held, const Batch& batch, size_t row);
  /// The bucket of `threshold`, made if new.
  Bucket& BucketFor(const Value& threshold);

  size_t num_columns_;
  Buckets buckets_;
  Value last_threshold_;
  Bucket* last_bucket_ = nullptr;  ///< Of last_threshold_; null after an erase.
  size_t size_ = 0;
  Buckets::iterator taken_end_ = buckets_.begin();
  bool has_taken_ = false;
  KeyHasher hasher_;
  std::vector<Value> scratch_;
  std::vector<std::pair<RowKey, const HeldRow*>> sorted_;  ///< Take's scratch.
  absl::flat_hash_set<Key> held_groups_;  ///< AddKeyOnce's groups in buckets_.
};

}  // namespace vigil
