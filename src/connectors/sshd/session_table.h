#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "connectors/sshd/sshd_session.h"

namespace vigil::sshd {

/// The open sshd connections, by (host, pid), at most `capacity` of them, in least recently
/// used order so the tracker can evict the oldest and expire idle ones. Slots are reused: no
/// allocation once the table has been full once. Owned by one AttemptTracker (one thread).
class SessionTable {
 public:
  static constexpr uint32_t kNoSlot = UINT32_MAX;

  explicit SessionTable(size_t capacity);

  /// The slot of (host_hash, pid), or kNoSlot. The caller checks the slot's host text (two
  /// hosts may share a hash).
  uint32_t Find(uint64_t host_hash, int64_t pid) const;
  /// A new slot for (host_hash, pid), the most recently used; the table must not be full and
  /// must not hold the key. The slot's contents are the previous user's: Reset it.
  uint32_t Insert(uint64_t host_hash, int64_t pid);
  void Remove(uint32_t slot);
  /// Marks the slot the most recently used.
  void Touch(uint32_t slot);
  /// The least recently used slot, or kNoSlot when empty.
  uint32_t Oldest() const { return head_; }

  SshdSession& at(uint32_t slot) { return slots_[slot].session; }
  size_t size() const { return index_.size(); }
  bool full() const { return index_.size() >= capacity_; }
  size_t capacity() const { return capacity_; }

 private:
  struct Key {
    uint64_t host_hash;
    int64_t pid;
    friend bool operator==(const Key&, const Key&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const Key& key) {
      return H::combine(std::move(h), key.host_hash, key.pid);
    }
  };
  struct Slot {
    SshdSession session;
    uint32_t prev = kNoSlot;  ///< Towards the oldest.
    uint32_t next = kNoSlot;  ///< Towards the newest.
  };

  void Unlink(uint32_t slot);
  void LinkNewest(uint32_t slot);

  size_t capacity_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  absl::flat_hash_map<Key, uint32_t> index_;
  uint32_t head_ = kNoSlot;  ///< Oldest.
  uint32_t tail_ = kNoSlot;  ///< Newest.
};

}  // namespace vigil::sshd
