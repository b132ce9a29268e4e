// min, max, argmin, argmax and any over an insert-only input (Source::insert_only; the
// executor tells the groupby). A group never loses a row, so its result is a running
// extreme: one entry per group instead of the multiset of every distinct value that a
// retraction would need (multiset_reducers.cc). The auth-log rules' per-source windows take
// min and max of the event times per group; as multisets those were an entry per event.
//
// Results are exactly the multiset reducers' (the same entry layout and total order,
// CompareEntries): min/argmin/any keep the smallest entry, max the largest, argmax the
// largest value with the smallest id among identical values.

#include <deque>
#include <optional>

#include "vigil/ops/reduce/reducer.h"
#include "vigil/ops/reduce/reducer_kinds.h"
#include "vigil/ops/reduce/sorted_multiset.h"

namespace vigil {

namespace {

/// The running extreme of `N`-value entries: (value) for min and max, (value, argument) for
/// argmin and argmax, (id ^ salt, value) for any.
template <size_t N>
class InsertOnlyExtremeReducer final : public ReducerState {
 public:
  explicit InsertOnlyExtremeReducer(ReducerKind kind) : kind_(kind) {}

  void EnsureSlots(size_t n) override {
    // A deque: growing never moves the entries already there (results are views of them).
    if (best_.size() < n) best_.resize(n);
  }

  void Update(const ReducerInput& in) override {
    for (size_t i = 0; i < in.size; ++i) {
      if (in.diffs[i] == 0) continue;
      if (in.diffs[i] < 0) {
        saw_retraction_ = true;  // Never, if the executor's analysis is right.
        continue;
      }
      EntryView<N> view;
      if (!MakeEntry(in, i, view)) continue;
      std::optional<StoredEntry<N>>& best = best_[in.slots[i]];
      if (best && !Better(view, *best)) continue;
      if (best) Retire(*best);
      best.emplace(view);
    }
  }

  Value Result(uint32_t slot, ValueArena& /*arena*/, std::string* error) override {
    if (saw_retraction_) {
      if (error) *error = "internal error: a retraction reached a reducer of an insert-only input";
      return Value::Error();
    }
    const std::optional<StoredEntry<N>>& best = best_[slot];
    if (!best) return Value::None();  // Only Error rows: as the multiset's empty result.
    // min, max: the value; argmin, argmax: the argument; any: the value after the salted id.
    return (*best)[N - 1];
  }

  void Clear(uint32_t slot) override {
    if (best_[slot]) Retire(*best_[slot]);
    best_[slot].reset();
  }

  void ReleaseRetired() override { retired_.clear(); }

 private:
  /// Fills the entry of row `i`; false if an argument is Error (skipped, as in Pathway).
  bool MakeEntry(const ReducerInput& in, size_t i, EntryView<N>& view) const {
    for (const auto* column : in.args) {
      if ((*column)[i].is_error()) return false;
    }
    if constexpr (N == 2) {
      if (kind_ == ReducerKind::kAny) {
        view[0] = Value::Pointer(in.ids[i] ^ kAnySalt);
        view[1] = (*in.args[0])[i];
        return true;
      }
    }
    for (size_t p = 0; p < N; ++p) view[p] = (*in.args[p])[i];
    return true;
  }

  /// Keeps a replaced entry until the commit ends if views of it may be out there (a
  /// string's or tuple's storage); a scalar entry is simply dropped, so a commit of a
  /// million rows raising one group's max a million times keeps nothing.
  void Retire(StoredEntry<N>& entry) {
    for (size_t p = 0; p < N; ++p) {
      if (entry.parts[p].has_storage()) {
        retired_.push_back(std::move(entry));
        return;
      }
    }
  }

  /// Whether `candidate` replaces the current extreme `best`.
  bool Better(const EntryView<N>& candidate, const StoredEntry<N>& best) const {
    switch (kind_) {
      case ReducerKind::kMax:
        return CompareEntries<N>(candidate, best) > 0;
      case ReducerKind::kArgMax: {
        // The largest value; among identical values the first argument in entry order (the
        // multiset's "first entry at least (max, None)").
        const int by_value = CompareEntries<1>(candidate, best);
        return by_value > 0 || (by_value == 0 && CompareEntries<N>(candidate, best) < 0);
      }
      default:  // kMin, kArgMin, kAny
        return CompareEntries<N>(candidate, best) < 0;
    }
  }

  ReducerKind kind_;
  std::deque<std::optional<StoredEntry<N>>> best_;
  /// Entries replaced or cleared during the current commit (ReducerState::ReleaseRetired).
  std::vector<StoredEntry<N>> retired_;
  bool saw_retraction_ = false;
};

}  // namespace

std::unique_ptr<ReducerState> MakeInsertOnlyReducer(const ReducerSpec& spec) {
  switch (spec.kind) {
    case ReducerKind::kMin:
    case ReducerKind::kMax:
      return std::make_unique<InsertOnlyExtremeReducer<1>>(spec.kind);
    case ReducerKind::kArgMin:
    case ReducerKind::kArgMax:
    case ReducerKind::kAny:
      return std::make_unique<InsertOnlyExtremeReducer<2>>(spec.kind);
    default:
      return nullptr;
  }
}

}  // namespace vigil
