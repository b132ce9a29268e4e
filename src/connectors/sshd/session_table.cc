#include "connectors/sshd/session_table.h"

#include <algorithm>

namespace vigil::sshd {

SessionTable::SessionTable(size_t capacity)
    : capacity_(std::clamp<size_t>(capacity, 1, size_t{kNoSlot} - 1)) {}

uint32_t SessionTable::Find(uint64_t host_hash, int64_t pid) const {
  const auto it = index_.find(Key{host_hash, pid});
  return it == index_.end() ? kNoSlot : it->second;
}

uint32_t SessionTable::Insert(uint64_t host_hash, int64_t pid) {
  uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& entry = slots_[slot];
  entry.session.host_hash = host_hash;
  entry.session.pid = pid;
  index_.emplace(Key{host_hash, pid}, slot);
  LinkNewest(slot);
  return slot;
}

void SessionTable::Remove(uint32_t slot) {
  const SshdSession& session = slots_[slot].session;
  index_.erase(Key{session.host_hash, session.pid});
  Unlink(slot);
  free_.push_back(slot);
}

void SessionTable::Touch(uint32_t slot) {
  if (slot == tail_) return;
  Unlink(slot);
  LinkNewest(slot);
}

void SessionTable::Unlink(uint32_t slot) {
  Slot& entry = slots_[slot];
  if (entry.prev != kNoSlot) {
    slots_[entry.prev].next = entry.next;
  } else {
    head_ = entry.next;
  }
  if (entry.next != kNoSlot) {
    slots_[entry.next].prev = entry.prev;
  } else {
    tail_ = entry.prev;
  }
  entry.prev = entry.next = kNoSlot;
}

void SessionTable::LinkNewest(uint32_t slot) {
  Slot& entry = slots_[slot];
  entry.prev = tail_;
  entry.next = kNoSlot;
  if (tail_ != kNoSlot) {
    slots_[tail_].next = slot;
  } else {
    head_ = slot;
  }
  tail_ = slot;
}

}  // namespace vigil::sshd
