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

#include <absl/container/flat_hash_map.h>

#include <fmt/format.h>

#include "vigil/ops/reduce/reducer.h"
#include "vigil/ops/reduce/reducer_kinds.h"
#include "vigil/ops/reduce/sorted_multiset.h"

namespace vigil {

namespace {

/// A processing time as an orderable Value. Times are below 2^63 except the end-of-input
/// time (2^64 - 2), which must still sort after every other: it becomes INT64_MAX.
Value TimeOrderValue(Time time) {
  return Value::Int(time > static_cast<Time>(INT64_MAX) ? INT64_MAX
                                                         : static_cast<int64_t>(time));
}

/// Values per entry, at most (earliest/latest and tuple with a sort key use three).
constexpr size_t kMaxParts = 3;

/// How many values an entry of this reducer holds (see the table at the top).
size_t PartsOf(ReducerKind kind, size_t num_args) {
  switch (kind) {
    case ReducerKind::kArgMin:
    case ReducerKind::kArgMax:
    case ReducerKind::kAny: return 2;
    case ReducerKind::kTuple: return num_args > 1 ? 3 : 2;
    case ReducerKind::kEarliest:
    case ReducerKind::kLatest: return 3;
    default: return 1;
  }
}

/// An ordered or general reducer whose entries hold `N` values.
template <size_t N>
class MultisetReducer final : public ReducerState {
 public:
  explicit MultisetReducer(const ReducerSpec& spec) : spec_(spec) {}

  void EnsureSlots(size_t n) override {
    // In chunks, like the groupby's groups: growing never moves the sets already there.
    while (sets_.size() * kChunkSlots < n) sets_.push_back(std::make_unique<Chunk>());
    if (timed() && versions_.size() < n) versions_.resize(n);
  }

  bool NeedsRowVersions() const override { return timed(); }

  void Update(const ReducerInput& in) override {
    for (size_t i = 0; i < in.size; ++i) {
      Value parts[kMaxParts];
      if (!MakeEntry(in, i, parts)) continue;
      typename Set::View view;
      std::copy(parts, parts + N, view.begin());
      if (timed()) {
        // The entry carries the time its row version was inserted, not the time of this
        // update, so that a retraction finds the entry its insertion made. A version that
        // left and came back within the commit (retract + re-insert of an identical row,
        // in either order, in any batches) keeps its time: that is no change.
        Version& version =
            versions_[in.slots[i]].try_emplace(in.row_versions[i], Version{in.time, 0})
                .first->second;
        version.count += in.diffs[i];
        view[0] = TimeOrderValue(version.time);
      }
      SetOf(in.slots[i]).Add(view, in.diffs[i], &retired_entries_);
    }
  }

  Value Result(uint32_t slot, ValueArena& arena, std::string* error) override {
    if (timed()) {
      // Called once per changed group at commit end: versions gone by now are forgotten.
      absl::erase_if(versions_[slot], [](const auto& v) { return v.second.count == 0; });
    }
    const Set& set = SetOf(slot);
    // Entries with negative multiplicity can only come from retracting what was never
    // inserted; they are ignored for the result.
    switch (spec_.kind) {
      case ReducerKind::kMin:
      case ReducerKind::kAny:
      case ReducerKind::kEarliest:
      case ReducerKind::kArgMin: {
        const auto* first = set.FirstPositive();
        if (first == nullptr) return Value::None();
        // min: the value; any, argmin: the value after the salted id or the value; earliest:
        // the value after (time, id).
        return (*first)[spec_.kind == ReducerKind::kMin ? 0
                        : spec_.kind == ReducerKind::kEarliest ? N - 1
                                                               : 1];
      }
      case ReducerKind::kMax:
      case ReducerKind::kLatest:
      case ReducerKind::kArgMax: {
        const auto* last = set.LastPositive();
        if (last == nullptr) return Value::None();
        if (spec_.kind == ReducerKind::kMax) return (*last)[0];
        if (spec_.kind == ReducerKind::kLatest) return (*last)[N - 1];
        // argmax: the largest value, and among equal values the smallest id.
        typename Set::View probe;
        probe[0] = (*last)[0];
        for (size_t i = 1; i < N; ++i) probe[i] = Value::None();  // None sorts first.
        return (*set.FirstPositiveAtLeast(probe))[N > 1 ? 1 : 0];
      }
      case ReducerKind::kSum: {
        // Exact: Shewchuk's non-overlapping partials (as Python's math.fsum), so the result
        // is the correctly rounded sum whatever the order of values.
        partials_.clear();
        set.ForEach([this](const auto& entry, int64_t count) {
          const double x = entry[0].as_number();
          for (int64_t k = 0; k < (count < 0 ? -count : count); ++k) AddPartial(count < 0 ? -x : x);
        });
        return Value::Float(RoundedPartialsSum());
      }
      case ReducerKind::kCountDistinct: {
        int64_t n = 0;
        set.ForEach([&n](const auto&, int64_t count) { n += count > 0 ? 1 : 0; });
        return Value::Int(n);
      }
      case ReducerKind::kUnique: {
        const Value* found = nullptr;
        const Value* second = nullptr;
        set.ForEach([&](const auto& entry, int64_t count) {
          if (count <= 0 || second != nullptr) return;
          (found == nullptr ? found : second) = &entry[0];
        });
        if (second != nullptr) {
          if (error) {
            *error = fmt::format("unique() saw more than one value: {} and {}",
                                 ReprValue(*found), ReprValue(*second));
          }
          return Value::Error();
        }
        return found ? *found : Value::None();
      }
      case ReducerKind::kTuple:
      case ReducerKind::kSortedTuple: {
        const size_t part = spec_.kind == ReducerKind::kSortedTuple ? 0
                            : spec_.arg_types.size() > 1           ? 2
                                                                   : 1;
        scratch_.clear();
        set.ForEach([this, part](const auto& entry, int64_t count) {
          for (int64_t k = 0; k < count; ++k) scratch_.push_back(entry[part]);
        });
        return arena.MakeTuple(scratch_.data(), static_cast<uint32_t>(scratch_.size()));
      }
      default: return Value::Error();
    }
  }

  void Clear(uint32_t slot) override {
    // Kept until the commit ends (ReleaseRetired); the slot will be reused.
    retired_sets_.push_back(std::move(SetOf(slot)));
    SetOf(slot) = Set();
    if (timed()) absl::flat_hash_map<Key, Version>().swap(versions_[slot]);
  }

 private:
  /// Fills the entry of row `i`; false if the row does not take part (Error, skipped None).
  bool MakeEntry(const ReducerInput& in, size_t i, Value* parts) {
    for (const auto* column : in.args) {
      if ((*column)[i].is_error()) return false;
    }
    switch (spec_.kind) {
      case ReducerKind::kMin:
      case ReducerKind::kMax:
      case ReducerKind::kUnique:
        parts[0] = (*in.args[0])[i];
        return true;
      case ReducerKind::kSum:
        parts[0] = (*in.args[0])[i];
        return parts[0].is_numeric();
      case ReducerKind::kSortedTuple:
        parts[0] = (*in.args[0])[i];
        return !(spec_.skip_nones && parts[0].is_none());
      case ReducerKind::kArgMin:
      case ReducerKind::kArgMax:
        parts[0] = (*in.args[0])[i];
        parts[1] = (*in.args[1])[i];
        return true;
      case ReducerKind::kCountDistinct: {
        if (in.args.size() == 1) {
          parts[0] = (*in.args[0])[i];
          return true;
        }
        // Several arguments: distinct tuples. The tuple is copied into the entry on insert.
        row_.clear();
        for (const auto* column : in.args) row_.push_back((*column)[i]);
        parts[0] = Value::Tuple(row_.data(), static_cast<uint32_t>(row_.size()));
        return true;
      }
      case ReducerKind::kTuple:
        if (in.args.size() > 1) {  // Ordered by the sort key, ties by row id (Pathway's).
          parts[0] = (*in.args[1])[i];
          parts[1] = Value::Pointer(in.ids[i]);
          parts[2] = (*in.args[0])[i];
          return !(spec_.skip_nones && parts[2].is_none());
        }
        parts[0] = Value::Pointer(in.ids[i]);
        parts[1] = (*in.args[0])[i];
        return !(spec_.skip_nones && parts[1].is_none());
      case ReducerKind::kAny:
        parts[0] = Value::Pointer(in.ids[i] ^ kAnySalt);
        parts[1] = (*in.args[0])[i];
        return true;
      case ReducerKind::kEarliest:
      case ReducerKind::kLatest:
        parts[0] = TimeOrderValue(in.time);
        parts[1] = Value::Pointer(in.ids[i]);
        parts[2] = (*in.args[0])[i];
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

  void ReleaseRetired() override {
    // Emptied, not shrunk: the capacity is reused by the next commit's retractions.
    retired_entries_.clear();
    retired_sets_.clear();
  }

  using Set = SortedMultiset<N>;
  static constexpr size_t kChunkSlots = 4096;
  using Chunk = std::array<Set, kChunkSlots>;
  Set& SetOf(uint32_t slot) { return (*sets_[slot / kChunkSlots])[slot % kChunkSlots]; }

  ReducerSpec spec_;
  std::vector<std::unique_ptr<Chunk>> sets_;
  /// Entries and sets removed during the current commit (see ReducerState::ReleaseRetired).
  std::vector<typename Set::Entry> retired_entries_;
  std::vector<Set> retired_sets_;
  std::vector<absl::flat_hash_map<Key, Version>> versions_;
  std::vector<double> partials_;
  std::vector<Value> scratch_;
  std::vector<Value> row_;
};

}  // namespace

std::unique_ptr<ReducerState> MakeMultisetReducer(const ReducerSpec& spec) {
  switch (PartsOf(spec.kind, spec.arg_types.size())) {
    case 1: return std::make_unique<MultisetReducer<1>>(spec);
    case 2: return std::make_unique<MultisetReducer<2>>(spec);
    default: return std::make_unique<MultisetReducer<3>>(spec);
  }
}

}  // namespace vigil
