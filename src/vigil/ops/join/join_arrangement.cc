#include "vigil/ops/join/join_arrangement.h"

namespace vigil {

uint32_t JoinArrangement::GroupFor(const Key& join_key) {
  auto [it, inserted] = group_of_key_.try_emplace(join_key, 0);
  if (!inserted) return it->second;
  uint32_t slot;
  if (!free_groups_.empty()) {
    slot = free_groups_.back();
    free_groups_.pop_back();
  } else {
    slot = static_cast<uint32_t>(groups_.size());
    groups_.emplace_back();
  }
  groups_[slot] = Group{join_key, 0, kNoRow, true};
  it->second = slot;
  return slot;
}

void JoinArrangement::Update(const Key& join_key, const Key& fingerprint, const Key& id,
                             const Value* values, Diff diff) {
  if (diff == 0) return;
  auto [it, inserted] = row_of_fingerprint_.try_emplace(fingerprint, 0);
  uint32_t row;
  if (inserted) {
    const uint32_t group = GroupFor(join_key);
    if (!free_rows_.empty()) {
      row = free_rows_.back();
      free_rows_.pop_back();
    } else {
      row = static_cast<uint32_t>(rows_.size());
      rows_.emplace_back();
    }
    it->second = row;
    Row& r = rows_[row];
    r.id = id;
    r.fingerprint = fingerprint;
    // A join whose outputs read none of this side's columns stores nothing per row.
    r.values = num_stored_columns_ > 0 ? PackedValues(values, num_stored_columns_) : PackedValues();
    r.count = 0;
    r.group = group;
    r.live = true;
    // New rows go to the front of the group's list.
    r.prev = kNoRow;
    r.next = groups_[group].head;
    if (r.next != kNoRow) rows_[r.next].prev = row;
    groups_[group].head = row;
  } else {
    row = it->second;
  }
  Row& r = rows_[row];
  r.count += diff;
  groups_[r.group].count += diff;
  if (r.count == 0) {
    dead_rows_.push_back(row);
    maybe_empty_groups_.push_back(r.group);
  }
}

void JoinArrangement::CollectGarbage() {
  for (uint32_t row : dead_rows_) {
    Row& r = rows_[row];
    // Already freed (listed twice), or brought back to life after it died.
    if (!r.live || r.count != 0) continue;
    if (r.prev != kNoRow) {
      rows_[r.prev].next = r.next;
    } else {
      groups_[r.group].head = r.next;
    }
    if (r.next != kNoRow) rows_[r.next].prev = r.prev;
    row_of_fingerprint_.erase(r.fingerprint);
    r = Row();
    free_rows_.push_back(row);
  }
  dead_rows_.clear();
  for (uint32_t group : maybe_empty_groups_) {
    Group& g = groups_[group];
    if (!g.live || g.head != kNoRow) continue;  // Freed already (listed twice), or not empty.
    group_of_key_.erase(g.join_key);
    g = Group();
    free_groups_.push_back(group);
  }
  maybe_empty_groups_.clear();
}

}  // namespace vigil
