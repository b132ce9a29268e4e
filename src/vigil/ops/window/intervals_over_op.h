#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <vector>

#include <absl/container/btree_map.h>

#include "vigil/common/status.h"
#include "vigil/expr/evaluator.h"
#include "vigil/ops/operator.h"
#include "vigil/types/packed_values.h"

namespace vigil {

/// An intervals_over window, resolved at graph-build time: for every value p of `at` (a column
/// of the probe table) the window [p + lower_bound, p + upper_bound], both ends inclusive, holds
/// the data rows whose `time` falls in it.
struct IntervalsOverSpec {
  BoundExpr time;                     ///< Over the data table (input port 0).
  std::optional<BoundExpr> instance;  ///< Over the data table.
  BoundExpr at;                       ///< Over the probe table (input port 1).
  Value lower_bound, upper_bound;     ///< Numbers, or durations for datetime times.
  /// A probe matching no row still yields one row of Nones (Pathway's is_outer=True).
  bool is_outer = true;
  /// Set when the time, `at` or a bound is a float: everything is compared in double.
  bool float_arithmetic = false;
  /// The datetime kind of the time column and `at`, or kNone for numeric times.
  ValueKind datetime_kind = ValueKind::kNone;
  /// Pathway's default origin of the time type (0, or 1973-01-01 in ns for datetimes): the
  /// shift of the buckets its interval join hashes into row ids.
  int64_t bucket_origin = 0;
};

/// The types of `_pw_window_start` (`at + lower_bound`) and `_pw_window_end`.
struct IntervalsOverBoundTypes {
  DType start, end;
};

/// Checks the types of an intervals_over window as Pathway's check_joint_types does (int or
/// float time, `at` and bounds; or one datetime kind for time and `at` with duration bounds)
/// and that lower_bound <= upper_bound, then fills the bounds and arithmetic of `spec`.
Result<IntervalsOverBoundTypes> ResolveIntervalsOver(DType time_type, DType at_type,
                                                     const Value& lower_bound,
                                                     const Value& upper_bound,
                                                     IntervalsOverSpec& spec);

/// Window assignment of intervals_over (SEMANTICS.md §1.4): every data row is paired with every
/// probe p such that p + lower_bound <= time <= p + upper_bound. Each pair becomes an output
/// row with the data columns plus `_pw_window_location` (p), `_pw_window_start`,
/// `_pw_window_end`, `_pw_instance`, `_pw_key` (the row's time: tuple() orders by it) and
/// `_pw_original_id` (the data row's id: argmin/argmax return it). Probes do not carry an
/// instance: as in Pathway, a window holds rows of every instance and the groupby after it
/// splits them by `_pw_instance`. With is_outer, a probe matching no row yields one row whose
/// data columns, `_pw_instance`, `_pw_key` and `_pw_original_id` are None.
///
/// Row ids follow Pathway, which builds intervals_over from an interval join (bucketed equi
/// joins when lower < upper, an equi join on time when lower == upper): a pair's id is
/// hash(Pointer(probe id), Pointer(row id)) with the shard bits of the join key (the probe's
/// bucket, or p + lower); with is_outer and lower < upper, the left join's concat_reindex makes
/// that hash(Pointer(pair id), Int(0)) and a lone probe's hash(Pointer(probe id), Int(1)); with
/// lower == upper a lone probe's is hash(Pointer(probe id), None) with the same shard bits.
/// tuple() breaks ties of equal times by these ids.
///
/// Incremental: the pairs are a join, bilinear in the two sides, so each change is applied to
/// its own side and joined with the other side's current state (output diff = the change of
/// its entry's multiplicity times the other entry's). A retracted probe retracts every pair
/// it made, a retracted row every window it was in, a late probe finds the rows already
/// there, whatever the batch sizes, row order or commit splits. Multiplicities count only
/// when positive (see Present). The outer rows are not linear: at the end of a commit each
/// probe touched in it compares "no matching row" with what it emitted before and emits the
/// difference.
///
/// State: every live data row (its values packed, keyed by time, id and a hash of its values)
/// and every live probe (keyed by location, id and value), each with its multiplicity; a
/// probe also counts its matching rows. Both are ordered by a time coordinate, so a change
/// visits only the entries its window range covers. Owned by the executor's thread.
class IntervalsOverOperator final : public Operator {
 public:
  static constexpr size_t kDataPort = 0;
  static constexpr size_t kProbePort = 1;
  /// Columns appended after the data columns.
  static constexpr size_t kAddedColumns = 6;

  IntervalsOverOperator(std::string name, const IntervalsOverSpec& spec, size_t data_columns);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

 private:
  /// A time on one ordered axis: ints and nanoseconds with the sign bit flipped, doubles by
  /// their order-preserving bit pattern, so both order as unsigned integers.
  using Coordinate = uint64_t;
  /// Where an entry sits: its coordinate, then its id and a hash of its values, which tell
  /// apart versions of one row (an update's old and new rows may coexist within a commit).
  struct EntryKey {
    Coordinate coordinate = 0;
    Key id;
    Key version;
    friend auto operator<=>(const EntryKey&, const EntryKey&) = default;
  };
  struct DataRow {
    Value time;  ///< Int, float or datetime: no pointed-to storage.
    StoredValue instance;
    PackedValues values;
    Diff multiplicity = 0;
  };
  struct Probe {
    Value location, start, end;  ///< Numbers or datetimes: no pointed-to storage.
    Key shard;                   ///< Key of the join key value; its low bits go into ids.
    Diff multiplicity = 0;
    /// Sum of the multiplicities of the data rows in this probe's window.
    Diff matching_rows = 0;
    /// Multiplicity of the outer (no rows) row emitted so far.
    Diff emitted_outer = 0;
    bool dirty = false;
  };

  /// The multiplicity an entry takes part in the join with: a negative one (a retraction
  /// that came before its insertion, when a commit was split) waits for the insertion and
  /// pairs with nothing, so the output never holds a negative row, which the groupby after
  /// this operator could not carry across commits.
  static Diff Present(Diff multiplicity) { return multiplicity > 0 ? multiplicity : 0; }
  bool UsableTime(const Value& t) const;
  Coordinate CoordinateOf(const Value& t) const;
  Coordinate CoordinateOfNumber(double v) const;
  /// Whether `t` lies in the window of location `p`: p + lower <= t <= p + upper.
  bool InWindow(const Value& p, const Value& t) const;
  /// `p + bound` with Pathway's arithmetic (int, float, or datetime + duration).
  Value AddBound(const Value& p, const Value& bound) const;
  /// The key whose low 16 bits shard the ids of the pairs of location `p`.
  Key ShardOf(const Value& p);
  Key PairId(const Key& probe_id, const Key& row_id, const Key& shard);
  Key OuterId(const Key& probe_id, const Key& shard);

  void OnDataBatch(const Batch& batch, Time time);
  void OnProbeBatch(const Batch& batch, Time time);
  void MarkDirty(const EntryKey& key, Probe& probe);
  /// Appends one output row: `data` (data columns; nullptr for an outer row), the window of
  /// `probe`, and the row's instance, time and id.
  void Append(const Value* data, const Probe& probe, const Value& instance, const Value& time,
              const Value& original_id, const Key& id, Diff diff);

  const IntervalsOverSpec& spec_;
  size_t data_columns_;
  /// upper - lower > 0: the pairs come from a bucketed interval join (ids differ, see class).
  bool bucketed_;
  int64_t width_ = 0;  ///< upper - lower, integer or nanoseconds.
  double width_f_ = 0;
  ExprEvaluator time_evaluator_;
  std::optional<ExprEvaluator> instance_evaluator_;
  ExprEvaluator at_evaluator_;
  ValueArena scratch_arena_;
  absl::btree_map<EntryKey, DataRow> rows_;
  absl::btree_map<EntryKey, Probe> probes_;
  /// Probes whose outer row may have to change at the end of this commit.
  std::vector<EntryKey> dirty_probes_;
  std::vector<Value> unpacked_;  ///< One data row's values, decoded from its PackedValues.
  KeyHasher hasher_;
  KeyHasher id_hasher_;
  Batch out_;
};

}  // namespace vigil
