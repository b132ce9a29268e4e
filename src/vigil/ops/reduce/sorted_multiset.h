#pragma once

// The per-group state of the ordered and general reducers (multiset_reducers.cc): entries of
// `N` values, compared lexicographically, each with a multiplicity.

#include <algorithm>
#include <array>
#include <compare>
#include <cstdint>
#include <memory>
#include <vector>

#include <absl/container/btree_map.h>
#include <absl/container/inlined_vector.h>

#include "vigil/types/value.h"
#include "vigil/types/value_arena.h"

namespace vigil {

/// A lookup view of an entry (no ownership), so that finding or retracting an existing
/// entry allocates nothing.
template <size_t N>
using EntryView = std::array<Value, N>;

/// An owned entry: the values outlive the batch they came from.
template <size_t N>
struct StoredEntry {
  std::array<StoredValue, N> parts;
  explicit StoredEntry(const EntryView<N>& v) {
    for (size_t i = 0; i < N; ++i) parts[i] = StoredValue(v[i]);
  }
  const Value& operator[](size_t i) const { return parts[i].get(); }
};

/// Total order of entries: by value (CompareValues), then by kind for values that compare
/// equal but are not identical (1 and 1.0), so distinct values never share an entry.
template <size_t N, typename A, typename B>
int CompareEntries(const A& a, const B& b) {
  for (size_t i = 0; i < N; ++i) {
    const Value& x = a[i];
    const Value& y = b[i];
    const auto c = CompareValues(x, y);
    if (c != std::strong_ordering::equal) return c < 0 ? -1 : 1;
    if (!ValuesIdentical(x, y)) return x.kind() < y.kind() ? -1 : 1;
  }
  return 0;
}

/// A multiset of entries with multiplicities (negative ones allowed: a retraction of what was
/// never inserted), in entry order.
///
/// Most groups hold a handful of entries (a login window of one address holds its few
/// attempts), so the entries are a sorted flat array, the first one inline: no allocation for
/// a one-entry group, one for a small one, and contiguous memory to search. A group that
/// outgrows kMaxFlat entries moves to a B-tree, so that inserting into a large group stays
/// logarithmic whatever the order values come in.
template <size_t N>
class SortedMultiset {
 public:
  using Entry = StoredEntry<N>;
  using View = EntryView<N>;

  /// Adds `diff` to the multiplicity of `view`'s entry. An entry reaching zero is removed
  /// and its values moved to `*retired`, so that views of them stay valid until the caller
  /// frees them (see ReducerState::ReleaseRetired).
  void Add(const View& view, int64_t diff, std::vector<Entry>* retired) {
    if (diff == 0) return;
    if (tree_ != nullptr) {
      auto it = tree_->find(view);
      if (it == tree_->end()) {
        tree_->emplace(Entry(view), diff);
      } else if ((it->second += diff) == 0) {
        // A map's key is const; extracted, it moves out with its buffers (views stay valid).
        auto node = tree_->extract(it);
        retired->push_back(std::move(node.key()));
      }
      return;
    }
    auto it = LowerBoundFlat(view);
    if (it != flat_.end() && CompareEntries<N>(it->first, view) == 0) {
      if ((it->second += diff) == 0) {
        retired->push_back(std::move(it->first));
        flat_.erase(it);
      }
      return;
    }
    if (flat_.size() >= kMaxFlat) {
      MoveToTree();
      tree_->emplace(Entry(view), diff);
      return;
    }
    flat_.emplace(it, Entry(view), diff);
  }

  bool empty() const { return tree_ != nullptr ? tree_->empty() : flat_.empty(); }

  /// Calls `f(entry, multiplicity)` for every entry in order.
  template <typename F>
  void ForEach(F&& f) const {
    if (tree_ != nullptr) {
      for (const auto& [entry, count] : *tree_) f(entry, count);
    } else {
      for (const auto& [entry, count] : flat_) f(entry, count);
    }
  }

  /// The smallest entry with a positive multiplicity, or null.
  const Entry* FirstPositive() const {
    return tree_ != nullptr ? FirstPositiveIn(tree_->begin(), tree_->end())
                            : FirstPositiveIn(flat_.begin(), flat_.end());
  }
  /// The largest entry with a positive multiplicity, or null.
  const Entry* LastPositive() const {
    return tree_ != nullptr ? LastPositiveIn(tree_->begin(), tree_->end())
                            : LastPositiveIn(flat_.begin(), flat_.end());
  }
  /// The smallest entry `>= view` with a positive multiplicity, or null.
  const Entry* FirstPositiveAtLeast(const View& view) const {
    return tree_ != nullptr ? FirstPositiveIn(tree_->lower_bound(view), tree_->end())
                            : FirstPositiveIn(LowerBoundFlat(view), flat_.end());
  }

 private:
  static constexpr size_t kMaxFlat = 32;

  struct Less {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return CompareEntries<N>(a, b) < 0;
    }
  };
  using Flat = absl::InlinedVector<std::pair<Entry, int64_t>, 1>;
  using Tree = absl::btree_map<Entry, int64_t, Less>;

  typename Flat::iterator LowerBoundFlat(const View& view) {
    return std::lower_bound(flat_.begin(), flat_.end(), view, [](const auto& e, const View& v) {
      return CompareEntries<N>(e.first, v) < 0;
    });
  }
  typename Flat::const_iterator LowerBoundFlat(const View& view) const {
    return std::lower_bound(flat_.begin(), flat_.end(), view, [](const auto& e, const View& v) {
      return CompareEntries<N>(e.first, v) < 0;
    });
  }

  template <typename It>
  static const Entry* FirstPositiveIn(It it, It end) {
    for (; it != end; ++it) {
      if (it->second > 0) return &it->first;
    }
    return nullptr;
  }
  template <typename It>
  static const Entry* LastPositiveIn(It begin, It it) {
    while (it != begin) {
      --it;
      if (it->second > 0) return &it->first;
    }
    return nullptr;
  }

  void MoveToTree() {
    tree_ = std::make_unique<Tree>();
    for (auto& [entry, count] : flat_) tree_->emplace_hint(tree_->end(), std::move(entry), count);
    Flat().swap(flat_);
  }

  Flat flat_;
  std::unique_ptr<Tree> tree_;
};

}  // namespace vigil
