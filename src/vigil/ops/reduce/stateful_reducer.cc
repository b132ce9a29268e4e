// stateful_many (Pathway's pw.reducers.stateful_many): a user function folds each commit's
// changes of a group into the group's state, and the state is the result. Per group: the
// state, and the changes of the commit in progress (copied: the batch goes away), which
// Result hands to the function once, the first time it is asked for the group's result in
// the commit. The groupby snapshots a group's old result before the commit's first change
// reaches the reducers, so that snapshot reads the old state, without a call.

#include <exception>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "vigil/ops/reduce/reducer.h"
#include "vigil/ops/reduce/reducer_kinds.h"
#include "vigil/types/value_fingerprint.h"

namespace vigil {

namespace {

class StatefulReducer final : public ReducerState {
 public:
  explicit StatefulReducer(const ReducerSpec& spec) : fn_(spec.stateful) {}

  void EnsureSlots(size_t n) override {
    if (states_.size() < n) states_.resize(n);
  }

  void Update(const ReducerInput& in) override {
    for (size_t i = 0; i < in.size; ++i) {
      if (in.diffs[i] == 0) continue;
      row_values_.clear();
      bool has_error = false;
      for (const auto* column : in.args) {
        row_values_.push_back((*column)[i]);
        has_error = has_error || (*column)[i].is_error();
      }
      if (has_error) continue;  // Skipped, as by every reducer.
      const uint32_t slot = in.slots[i];
      std::vector<Change>& changes = pending_[slot];
      // Consolidated: the same values inserted and retracted in one commit are no change.
      // Found by fingerprint in O(1); the values are compared too (a collision is no match).
      const uint64_t fingerprint = FingerprintValues(0, row_values_);
      auto [it, added] = index_.try_emplace({slot, fingerprint}, changes.size());
      if (!added && Identical(changes[it->second], row_values_)) {
        changes[it->second].diff += in.diffs[i];
        continue;
      }
      Change change;
      change.diff = in.diffs[i];
      change.fingerprint = fingerprint;
      change.values.reserve(row_values_.size());
      for (const Value& v : row_values_) change.values.emplace_back(v);
      changes.push_back(std::move(change));
    }
  }

  Value Result(uint32_t slot, ValueArena& arena, std::string* error) override {
    auto it = pending_.find(slot);
    if (it == pending_.end()) return states_[slot].get();
    std::vector<Change> changes = std::move(it->second);
    pending_.erase(it);
    for (const Change& c : changes) index_.erase({slot, c.fingerprint});
    // The values of every change in a row, then the rows as spans of it.
    values_.clear();
    for (const Change& c : changes) {
      if (c.diff == 0) continue;
      for (const StoredValue& v : c.values) values_.push_back(v.get());
    }
    rows_.clear();
    size_t offset = 0;
    for (const Change& c : changes) {
      if (c.diff == 0) continue;
      rows_.push_back({std::span<const Value>(values_).subspan(offset, c.values.size()), c.diff});
      offset += c.values.size();
    }
    if (rows_.empty()) return states_[slot].get();
    Value next;
    try {
      next = fn_(states_[slot].get(), rows_, arena);
    } catch (const std::exception& e) {
      if (error) *error = e.what();
      return Value::Error();
    }
    // The old state may be a view the groupby still holds (its -old row): kept to the end
    // of the commit.
    retired_.push_back(std::move(states_[slot]));
    states_[slot] = StoredValue(next);
    return states_[slot].get();
  }

  void Clear(uint32_t slot) override {
    if (auto it = pending_.find(slot); it != pending_.end()) {
      for (const Change& c : it->second) index_.erase({slot, c.fingerprint});
      pending_.erase(it);
    }
    if (slot < states_.size()) {
      retired_.push_back(std::move(states_[slot]));
      states_[slot] = StoredValue();
    }
  }

  void ReleaseRetired() override { retired_.clear(); }

 private:
  struct Change {
    std::vector<StoredValue> values;
    Diff diff = 0;
    uint64_t fingerprint = 0;  ///< Of the values (vigil/types/value_fingerprint.h).
  };
  static bool Identical(const Change& c, const std::vector<Value>& values) {
    for (size_t a = 0; a < values.size(); ++a) {
      if (!ValuesIdentical(c.values[a].get(), values[a])) return false;
    }
    return true;
  }
  StatefulReducerFunction fn_;
  std::vector<StoredValue> states_;  ///< Per slot; None before the first call.
  absl::flat_hash_map<uint32_t, std::vector<Change>> pending_;  ///< This commit's changes.
  /// (slot, fingerprint) → the position in pending_[slot] of the first change with it.
  absl::flat_hash_map<std::pair<uint32_t, uint64_t>, size_t> index_;
  std::vector<Value> row_values_;    ///< Scratch: one row's argument values.
  std::vector<StoredValue> retired_;
  std::vector<Value> values_;        ///< Scratch: the changes' values, in a row.
  std::vector<StatefulRow> rows_;    ///< Scratch: the rows handed to the function.
};

}  // namespace

std::unique_ptr<ReducerState> MakeStatefulReducer(const ReducerSpec& spec) {
  return std::make_unique<StatefulReducer>(spec);
}

}  // namespace vigil
