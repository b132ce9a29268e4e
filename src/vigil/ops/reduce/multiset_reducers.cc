// Ordered and general reducers. Each keeps, per group, a multiset of entries (up to three
// values compared lexicographically) with their multiplicities; a retraction decrements the
// entry, so results stay exact whatever is removed. The entry layout per reducer:
//   min, max, sorted_tuple, unique,
//   sum(strict=True):                (value)
//   argmin, argmax:                  (value, id)        ties: smallest id for both
//   count_distinct:                  (args...)          one entry per distinct tuple
//   tuple:                           (row id, value)    values in row-id order
//   tuple with a sort key:           (sort key, row id, value)   (groupby sort_by: intervals_over)
//   any:                             (row id ^ salt, value)  Pathway's deterministic pick
//   earliest, latest:                (time, row id, value)

#include <cmath>

#include <absl/container/btree_map.h>
#include <absl/container/flat_hash_map.h>

#include <fmt/format.h>

#include "vigil/ops/reduce/reducer.h"
#include "vigil/ops/reduce/reducer_kinds.h"

namespace vigil {

namespace {

/// A processing time as an orderable Value. Times are below 2^63 except the end-of-input
/// time (2^64 - 2), which must still sort after every other: it becomes INT64_MAX.
Value TimeOrderValue(Time time) {
  return Value::Int(time > static_cast<Time>(INT64_MAX) ? INT64_MAX
                                                         : static_cast<int64_t>(time));
}

/// Salt of Pathway's any(): the row with the smallest `row id XOR salt` is chosen.
constexpr Key kAnySalt{0xDEADBEEFDEADBEEFull, 0xDEADBEEFDEADBEEFull};

constexpr size_t kMaxParts = 3;

/// A lookup view of an entry (no ownership), used for heterogeneous btree lookups so that
/// retracting an existing entry allocates nothing.
struct EntryView {
  Value parts[kMaxParts];
};

struct Entry {
  StoredValue parts[kMaxParts];
  explicit Entry(const EntryView& v) {
    for (size_t i = 0; i < kMaxParts; ++i) parts[i] = StoredValue(v.parts[i]);
  }
};

int CompareParts(const Value* a, const Value* b) {
  for (size_t i = 0; i < kMaxParts; ++i) {
    auto c = CompareValues(a[i], b[i]);
    if (c != std::strong_ordering::equal) return c < 0 ? -1 : 1;
    if (!ValuesIdentical(a[i], b[i])) return a[i].kind() < b[i].kind() ? -1 : 1;
  }
  return 0;
}

struct EntryLess {
  using is_transparent = void;
  static void Load(const Entry& e, Value* out) {
    for (size_t i = 0; i < kMaxParts; ++i) out[i] = e.parts[i].get();
  }
  static void Load(const EntryView& e, Value* out) {
    for (size_t i = 0; i < kMaxParts; ++i) out[i] = e.parts[i];
  }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    Value x[kMaxParts], y[kMaxParts];
    Load(a, x);
    Load(b, y);
    return CompareParts(x, y) < 0;
  }
};

using Multiset = absl::btree_map<Entry, int64_t, EntryLess>;

class MultisetReducer final : public ReducerState {
 public:
  explicit MultisetReducer(const ReducerSpec& spec) : spec_(spec) {}

  void EnsureSlots(size_t n) override {
    if (sets_.size() < n) sets_.resize(n);
    if (timed() && versions_.size() < n) versions_.resize(n);
  }

  bool NeedsRowVersions() const override { return timed(); }

  void Update(const ReducerInput& in) override {
    for (size_t i = 0; i < in.size; ++i) {
      EntryView view{};
      if (!MakeEntry(in, i, view)) continue;
      if (timed()) {
        // The entry carries the time its row version was inserted, not the time of this
        // update, so that a retraction finds the entry its insertion made. A version that
        // left and came back within the commit (retract + re-insert of an identical row,
        // in either order, in any batches) keeps its time: that is no change.
        Version& version =
            versions_[in.slots[i]].try_emplace(in.row_versions[i], Version{in.time, 0})
                .first->second;
        version.count += in.diffs[i];
        view.parts[0] = TimeOrderValue(version.time);
      }
      Multiset& set = sets_[in.slots[i]];
      auto it = set.find(view);
      if (it == set.end()) {
        if (in.diffs[i] == 0) continue;
        set.emplace(Entry(view), in.diffs[i]);
      } else {
        it->second += in.diffs[i];
        if (it->second == 0) set.erase(it);
      }
    }
  }

  Value Result(uint32_t slot, ValueArena& arena, std::string* error) override {
    if (timed()) {
      // Called once per changed group at commit end: versions gone by now are forgotten.
      absl::erase_if(versions_[slot], [](const auto& v) { return v.second.count == 0; });
    }
    const Multiset& set = sets_[slot];
    // Entries with negative multiplicity can only come from retracting what was never
    // inserted; they are ignored for the result.
    auto first = set.begin();
    while (first != set.end() && first->second <= 0) ++first;
    switch (spec_.kind) {
      case ReducerKind::kMin:
      case ReducerKind::kAny:
      case ReducerKind::kEarliest:
        if (first == set.end()) return Value::None();
        return spec_.kind == ReducerKind::kMin ? first->first.parts[0].get()
               : spec_.kind == ReducerKind::kAny ? first->first.parts[1].get()
                                                 : first->first.parts[2].get();
      case ReducerKind::kArgMin:
        if (first == set.end()) return Value::None();
        return first->first.parts[1].get();
      case ReducerKind::kMax:
      case ReducerKind::kLatest:
      case ReducerKind::kArgMax: {
        auto last = set.end();
        while (last != set.begin()) {
          --last;
          if (last->second > 0) break;
        }
        if (last == set.end() || last->second <= 0) return Value::None();
        if (spec_.kind == ReducerKind::kMax) return last->first.parts[0].get();
        if (spec_.kind == ReducerKind::kLatest) return last->first.parts[2].get();
        // argmax: the largest value, and among equal values the smallest id.
        EntryView probe{};
        probe.parts[0] = last->first.parts[0].get();
        probe.parts[1] = Value::None();  // None sorts before every id.
        auto best = set.lower_bound(probe);
        while (best != set.end() && best->second <= 0) ++best;
        return best->first.parts[1].get();
      }
      case ReducerKind::kSum: {
        // Exact: Shewchuk's non-overlapping partials (as Python's math.fsum), so the result
        // is the correctly rounded sum whatever the order of values.
        partials_.clear();
        for (const auto& [entry, count] : set) {
          const double x = entry.parts[0].get().as_number();
          for (int64_t k = 0; k < (count < 0 ? -count : count); ++k) AddPartial(count < 0 ? -x : x);
        }
        return Value::Float(RoundedPartialsSum());
      }
      case ReducerKind::kCountDistinct: {
        int64_t n = 0;
        for (const auto& [entry, count] : set) n += count > 0 ? 1 : 0;
        return Value::Int(n);
      }
      case ReducerKind::kUnique: {
        const Value* found = nullptr;
        for (const auto& [entry, count] : set) {
          if (count <= 0) continue;
          if (found != nullptr) {
            if (error) {
              *error = fmt::format("unique() saw more than one value: {} and {}",
                                   ReprValue(*found), ReprValue(entry.parts[0].get()));
            }
            return Value::Error();
          }
          found = &entry.parts[0].get();
        }
        return found ? *found : Value::None();
      }
      case ReducerKind::kTuple:
      case ReducerKind::kSortedTuple: {
        const size_t part = spec_.kind == ReducerKind::kSortedTuple ? 0
                            : spec_.arg_types.size() > 1           ? 2
                                                                   : 1;
        scratch_.clear();
        for (const auto& [entry, count] : set) {
          for (int64_t k = 0; k < count; ++k) scratch_.push_back(entry.parts[part].get());
        }
        return arena.MakeTuple(scratch_.data(), static_cast<uint32_t>(scratch_.size()));
      }
      default: return Value::Error();
    }
  }

  void Clear(uint32_t slot) override {
    Multiset().swap(sets_[slot]);
    if (timed()) absl::flat_hash_map<Key, Version>().swap(versions_[slot]);
  }

 private:
  /// Fills the entry of row `i`; false if the row does not take part (Error, skipped None).
  bool MakeEntry(const ReducerInput& in, size_t i, EntryView& view) {
    for (const auto* column : in.args) {
      if ((*column)[i].is_error()) return false;
    }
    switch (spec_.kind) {
      case ReducerKind::kMin:
      case ReducerKind::kMax:
      case ReducerKind::kUnique:
        view.parts[0] = (*in.args[0])[i];
        return true;
      case ReducerKind::kSum:
        view.parts[0] = (*in.args[0])[i];
        return view.parts[0].is_numeric();
      case ReducerKind::kSortedTuple:
        view.parts[0] = (*in.args[0])[i];
        return !(spec_.skip_nones && view.parts[0].is_none());
      case ReducerKind::kArgMin:
      case ReducerKind::kArgMax:
        view.parts[0] = (*in.args[0])[i];
        view.parts[1] = (*in.args[1])[i];
        return true;
      case ReducerKind::kCountDistinct: {
        if (in.args.size() == 1) {
          view.parts[0] = (*in.args[0])[i];
          return true;
        }
        // Several arguments: distinct tuples. The tuple is copied into the entry on insert.
        row_.clear();
        for (const auto* column : in.args) row_.push_back((*column)[i]);
        view.parts[0] = Value::Tuple(row_.data(), static_cast<uint32_t>(row_.size()));
        return true;
      }
      case ReducerKind::kTuple:
        if (in.args.size() > 1) {  // Ordered by the sort key, ties by row id (Pathway's).
          view.parts[0] = (*in.args[1])[i];
          view.parts[1] = Value::Pointer(in.ids[i]);
          view.parts[2] = (*in.args[0])[i];
          return !(spec_.skip_nones && view.parts[2].is_none());
        }
        view.parts[0] = Value::Pointer(in.ids[i]);
        view.parts[1] = (*in.args[0])[i];
        return !(spec_.skip_nones && view.parts[1].is_none());
      case ReducerKind::kAny:
        view.parts[0] = Value::Pointer(in.ids[i] ^ kAnySalt);
        view.parts[1] = (*in.args[0])[i];
        return true;
      case ReducerKind::kEarliest:
      case ReducerKind::kLatest:
        view.parts[0] = TimeOrderValue(in.time);
        view.parts[1] = Value::Pointer(in.ids[i]);
        view.parts[2] = (*in.args[0])[i];
        return true;
      default: return false;
    }
  }

  /// The correctly rounded value of the partials (largest last), with fsum's half-even fix.
  double RoundedPartialsSum() const {
    size_t n = partials_.size();
    if (n == 0) return 0.0;
    double high = partials_[--n];
    double low = 0;
    while (n > 0) {
      const double x = high, y = partials_[--n];
      high = x + y;
      low = y - (high - x);
      if (low != 0.0) break;
    }
    if (n > 0 && ((low < 0 && partials_[n - 1] < 0) || (low > 0 && partials_[n - 1] > 0))) {
      const double y = low * 2;
      const double x = high + y;
      if (y == x - high) high = x;
    }
    return high;
  }

  void AddPartial(double x) {
    size_t used = 0;
    for (double y : partials_) {
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      const double high = x + y;
      const double low = y - (high - x);
      if (low != 0) partials_[used++] = low;
      x = high;
    }
    partials_.resize(used);
    partials_.push_back(x);
  }

  bool timed() const {
    return spec_.kind == ReducerKind::kEarliest || spec_.kind == ReducerKind::kLatest;
  }

  /// earliest/latest: per group, each present row version's insertion time and count.
  struct Version {
    Time time;
    int64_t count;
  };

  ReducerSpec spec_;
  std::vector<Multiset> sets_;
  std::vector<absl::flat_hash_map<Key, Version>> versions_;
  std::vector<double> partials_;
  std::vector<Value> scratch_;
  std::vector<Value> row_;
};

}  // namespace

std::unique_ptr<ReducerState> MakeMultisetReducer(const ReducerSpec& spec) {
  return std::make_unique<MultisetReducer>(spec);
}

}  // namespace vigil
