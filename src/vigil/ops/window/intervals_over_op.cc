#include "vigil/ops/window/intervals_over_op.h"

#include <bit>
#include <cfloat>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "vigil/common/saturating.h"
#include "vigil/types/datetime.h"

namespace vigil {

namespace {

bool IsNumeric(TypeKind k) { return k == TypeKind::kInt || k == TypeKind::kFloat; }
bool IsDatetime(TypeKind k) {
  return k == TypeKind::kDateTimeNaive || k == TypeKind::kDateTimeUtc;
}

/// a + b with two's-complement wrap-around (Pathway's i64 arithmetic), without signed UB.
int64_t WrappingAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

constexpr uint64_t kSignBit = uint64_t{1} << 63;

}  // namespace

Result<IntervalsOverBoundTypes> ResolveIntervalsOver(DType time_type, DType at_type,
                                                     const Value& lower_bound,
                                                     const Value& upper_bound,
                                                     IntervalsOverSpec& spec) {
  const TypeKind t = time_type.kind, a = at_type.kind;
  bool fits = false;
  if (IsNumeric(t)) {
    fits = IsNumeric(a) && lower_bound.is_numeric() && upper_bound.is_numeric();
  } else if (IsDatetime(t)) {
    fits = a == t && lower_bound.kind() == ValueKind::kDuration &&
           upper_bound.kind() == ValueKind::kDuration;
  }
  if (!fits) {
    return Status::TypeError(
        "Arguments (time_expr, window.lower_bound, window.upper_bound, window.at) have to be of "
        "types (int | float, int | float, int | float, int | float) or (DateTimeNaive, "
        "Duration, Duration, DateTimeNaive) or (DateTimeUtc, Duration, Duration, DateTimeUtc) "
        "but are of types ({}, {}, {}, {})",
        time_type.AsRequired().ToString(), TimeValueTypeName(lower_bound),
        TimeValueTypeName(upper_bound), at_type.AsRequired().ToString());
  }
  const bool float_bounds =
      lower_bound.kind() == ValueKind::kFloat || upper_bound.kind() == ValueKind::kFloat;
  if (float_bounds &&
      !(std::isfinite(lower_bound.as_number()) && std::isfinite(upper_bound.as_number()))) {
    return Status::Invalid("intervals_over: lower_bound and upper_bound must be finite, got {} "
                           "and {}",
                           FormatValue(lower_bound), FormatValue(upper_bound));
  }
  const bool reversed = IsDatetime(t) ? lower_bound.as_timestamp() > upper_bound.as_timestamp()
                                      : lower_bound.as_number() > upper_bound.as_number();
  if (reversed) {
    // Pathway's interval_join: "lower_bound has to be less than or equal to the upper_bound".
    return Status::Invalid(
        "intervals_over: lower_bound ({}) has to be less than or equal to upper_bound ({})",
        FormatValue(lower_bound), FormatValue(upper_bound));
  }
  spec.lower_bound = lower_bound;
  spec.upper_bound = upper_bound;
  spec.float_arithmetic = t == TypeKind::kFloat || a == TypeKind::kFloat || float_bounds;
  if (IsDatetime(t)) {
    spec.datetime_kind =
        t == TypeKind::kDateTimeNaive ? ValueKind::kDateTimeNaive : ValueKind::kDateTimeUtc;
    spec.bucket_origin = DaysFromCivil(1973, 1, 1) * 86400 * kNanosPerSecond;
    return IntervalsOverBoundTypes{DType(t), DType(t)};
  }
  spec.datetime_kind = ValueKind::kNone;
  spec.bucket_origin = 0;
  // `at + bound`: a float as soon as either is a float.
  auto sum_type = [&](const Value& bound) {
    return a == TypeKind::kFloat || bound.kind() == ValueKind::kFloat ? dtype::Float : dtype::Int;
  };
  return IntervalsOverBoundTypes{sum_type(lower_bound), sum_type(upper_bound)};
}

IntervalsOverOperator::IntervalsOverOperator(std::string name, const IntervalsOverSpec& spec,
                                             size_t data_columns)
    : Operator(std::move(name)),
      spec_(spec),
      data_columns_(data_columns),
      time_evaluator_(spec.time),
      at_evaluator_(spec.at) {
  if (spec_.instance) instance_evaluator_.emplace(*spec_.instance);
  if (spec_.float_arithmetic) {
    width_f_ = spec_.upper_bound.as_number() - spec_.lower_bound.as_number();
    bucketed_ = width_f_ > 0;
  } else {
    width_ = SaturatingSub(spec_.upper_bound.as_timestamp(), spec_.lower_bound.as_timestamp());
    bucketed_ = width_ > 0;
  }
  out_ = Batch(data_columns_ + kAddedColumns);
  unpacked_.resize(data_columns_);
}

bool IntervalsOverOperator::UsableTime(const Value& t) const {
  if (spec_.datetime_kind != ValueKind::kNone) return t.kind() == spec_.datetime_kind;
  if (t.kind() == ValueKind::kInt) return true;
  return spec_.float_arithmetic && t.kind() == ValueKind::kFloat && !std::isnan(t.as_float());
}

IntervalsOverOperator::Coordinate IntervalsOverOperator::CoordinateOfNumber(double v) const {
  if (v == 0) v = 0.0;  // -0.0 and 0.0 are one time.
  const uint64_t bits = std::bit_cast<uint64_t>(v);
  return (bits & kSignBit) != 0 ? ~bits : bits | kSignBit;
}

IntervalsOverOperator::Coordinate IntervalsOverOperator::CoordinateOf(const Value& t) const {
  if (spec_.float_arithmetic) return CoordinateOfNumber(t.as_number());
  return static_cast<uint64_t>(t.as_timestamp()) ^ kSignBit;  // Same bits as as_int().
}

bool IntervalsOverOperator::InWindow(const Value& p, const Value& t) const {
  if (spec_.float_arithmetic) {
    // As Pathway's join filters compute it: t <= p + upper and p + lower <= t.
    const double location = p.as_number(), time = t.as_number();
    return location + spec_.lower_bound.as_number() <= time &&
           time <= location + spec_.upper_bound.as_number();
  }
  int64_t offset;  // t - p, exact: p + lower <= t <= p + upper.
  if (__builtin_sub_overflow(t.as_timestamp(), p.as_timestamp(), &offset)) return false;
  return spec_.lower_bound.as_timestamp() <= offset && offset <= spec_.upper_bound.as_timestamp();
}

Value IntervalsOverOperator::AddBound(const Value& p, const Value& bound) const {
  if (spec_.datetime_kind == ValueKind::kDateTimeNaive) {
    return Value::DateTimeNaive(WrappingAdd(p.as_timestamp(), bound.as_timestamp()));
  }
  if (spec_.datetime_kind == ValueKind::kDateTimeUtc) {
    return Value::DateTimeUtc(WrappingAdd(p.as_timestamp(), bound.as_timestamp()));
  }
  if (p.kind() == ValueKind::kFloat || bound.kind() == ValueKind::kFloat) {
    return Value::Float(p.as_number() + bound.as_number());
  }
  return Value::Int(WrappingAdd(p.as_int(), bound.as_int()));
}

Key IntervalsOverOperator::ShardOf(const Value& p) {
  hasher_.Reset();
  if (bucketed_) {
    // Pathway's interval join puts a probe in bucket (p - origin) // (upper - lower) and
    // equi-joins on it, so the bucket is the join key.
    int64_t bucket;
    if (spec_.float_arithmetic) {
      const double b = std::floor((p.as_number() - 0.0) / width_f_);
      bucket = std::isfinite(b) && std::fabs(b) < 9.2e18 ? static_cast<int64_t>(b) : 0;
    } else {
      bucket = FloorDiv(SaturatingSub(p.as_timestamp(), spec_.bucket_origin), width_);
    }
    hasher_.AddInt(bucket);
  } else {
    // lower == upper: an equi join of p + lower with the row's time.
    AddBound(p, spec_.lower_bound).HashInto(hasher_);
  }
  return hasher_.Finish();
}

Key IntervalsOverOperator::PairId(const Key& probe_id, const Key& row_id, const Key& shard) {
  id_hasher_.Reset();
  id_hasher_.AddPointer(probe_id);
  id_hasher_.AddPointer(row_id);
  const Key join_id = id_hasher_.Finish().WithShardOf(shard);
  if (!(spec_.is_outer && bucketed_)) return join_id;
  // The left interval join concatenates matched and unmatched rows with concat_reindex:
  // table i's row with id k becomes hash(Pointer(k), Int(i)); matched pairs are table 0.
  id_hasher_.Reset();
  id_hasher_.AddPointer(join_id);
  id_hasher_.AddInt(0);
  return id_hasher_.Finish();
}

Key IntervalsOverOperator::OuterId(const Key& probe_id, const Key& shard) {
  id_hasher_.Reset();
  id_hasher_.AddPointer(probe_id);
  if (bucketed_) {
    id_hasher_.AddInt(1);  // Table 1 of concat_reindex: the unmatched probes.
    return id_hasher_.Finish();
  }
  id_hasher_.AddNone();  // A left join's unmatched row: hash(left id, None), sharded.
  return id_hasher_.Finish().WithShardOf(shard);
}

void IntervalsOverOperator::Append(const Value* data, const Probe& probe, const Value& instance,
                                   const Value& time, const Value& original_id, const Key& id,
                                   Diff diff) {
  for (size_t c = 0; c < data_columns_; ++c) {
    out_.columns[c].push_back(data != nullptr ? data[c] : Value::None());
  }
  out_.columns[data_columns_].push_back(probe.location);
  out_.columns[data_columns_ + 1].push_back(probe.start);
  out_.columns[data_columns_ + 2].push_back(probe.end);
  out_.columns[data_columns_ + 3].push_back(instance);
  out_.columns[data_columns_ + 4].push_back(time);
  out_.columns[data_columns_ + 5].push_back(original_id);
  out_.ids.push_back(id);
  out_.diffs.push_back(diff);
}

void IntervalsOverOperator::MarkDirty(const EntryKey& key, Probe& probe) {
  if (probe.dirty) return;
  probe.dirty = true;
  dirty_probes_.push_back(key);
}

void IntervalsOverOperator::OnBatch(size_t port, const Batch& batch, Time time) {
  if (port == kProbePort) {
    OnProbeBatch(batch, time);
  } else {
    OnDataBatch(batch, time);
  }
}

void IntervalsOverOperator::OnDataBatch(const Batch& batch, Time time) {
  scratch_arena_.Reset();
  const std::vector<Value>& times = time_evaluator_.Evaluate(batch, scratch_arena_);
  ReportExpressionErrors(time_evaluator_.errors());
  const std::vector<Value>* instances = nullptr;
  if (instance_evaluator_) {
    instances = &instance_evaluator_->Evaluate(batch, scratch_arena_);
    ReportExpressionErrors(instance_evaluator_->errors());
  }
  out_.Clear();
  size_t bad_times = 0;
  for (size_t i = 0; i < batch.num_rows(); ++i) {
    const Value& t = times[i];
    if (!UsableTime(t)) {
      ++bad_times;
      continue;
    }
    const Diff diff = batch.diffs[i];
    if (diff == 0) continue;
    for (size_t c = 0; c < data_columns_; ++c) unpacked_[c] = batch.columns[c][i];
    const Value instance = instances ? (*instances)[i] : Value::None();
    // The row's own state first. The pairs below take their values from the batch, so the
    // entry may go at once.
    hasher_.Reset();
    hasher_.AddPointer(batch.ids[i]);
    for (size_t c = 0; c < data_columns_; ++c) unpacked_[c].HashInto(hasher_);
    const EntryKey key{CoordinateOf(t), batch.ids[i], hasher_.Finish()};
    auto it = rows_.find(key);
    if (it == rows_.end()) {
      DataRow row;
      row.time = t;
      row.instance = StoredValue(instance);
      row.values = PackedValues(unpacked_.data(), data_columns_);
      it = rows_.emplace(key, std::move(row)).first;
    }
    const Diff before = Present(it->second.multiplicity);
    it->second.multiplicity += diff;
    const Diff change = Present(it->second.multiplicity) - before;
    if (it->second.multiplicity == 0) rows_.erase(it);
    if (change == 0) continue;
    // Probes p with p + lower <= t <= p + upper lie in [t - upper, t - lower].
    Coordinate first, last;
    if (spec_.float_arithmetic) {
      const double time_f = t.as_number();
      const double lower = spec_.lower_bound.as_number(), upper = spec_.upper_bound.as_number();
      // Rounding of p + bound may differ from t - bound by an ulp or so: widen the range and
      // let InWindow decide exactly.
      const double slack = 8 * DBL_EPSILON * (std::fabs(time_f) + std::fabs(lower) +
                                              std::fabs(upper) + DBL_MIN);
      first = CoordinateOfNumber(time_f - upper - slack);
      last = CoordinateOfNumber(time_f - lower + slack);
    } else {
      first = static_cast<uint64_t>(SaturatingSub(t.as_timestamp(),
                                                  spec_.upper_bound.as_timestamp())) ^
              kSignBit;
      last = static_cast<uint64_t>(SaturatingSub(t.as_timestamp(),
                                                 spec_.lower_bound.as_timestamp())) ^
             kSignBit;
    }
    for (auto probe_it = probes_.lower_bound(EntryKey{first, Key{}, Key{}});
         probe_it != probes_.end() && probe_it->first.coordinate <= last; ++probe_it) {
      Probe& probe = probe_it->second;
      if (!InWindow(probe.location, t)) continue;
      probe.matching_rows += change;
      if (spec_.is_outer) MarkDirty(probe_it->first, probe);
      const Diff probe_present = Present(probe.multiplicity);
      if (probe_present == 0) continue;  // Kept only until its outer row is settled.
      Append(unpacked_.data(), probe, instance, t, Value::Pointer(batch.ids[i]),
             PairId(probe_it->first.id, batch.ids[i], probe.shard), change * probe_present);
    }
  }
  if (bad_times > 0) {
    context().ReportEngineError(
        name(), fmt::format("{} row(s) with a None or Error time were left out of windowby "
                            "(intervals_over)",
                            bad_times));
  }
  Emit(out_, time);
}

void IntervalsOverOperator::OnProbeBatch(const Batch& batch, Time time) {
  scratch_arena_.Reset();
  const std::vector<Value>& locations = at_evaluator_.Evaluate(batch, scratch_arena_);
  ReportExpressionErrors(at_evaluator_.errors());
  out_.Clear();
  size_t bad_locations = 0;
  for (size_t i = 0; i < batch.num_rows(); ++i) {
    const Value& p = locations[i];
    if (!UsableTime(p)) {
      ++bad_locations;
      continue;
    }
    const Diff diff = batch.diffs[i];
    if (diff == 0) continue;
    hasher_.Reset();
    hasher_.AddPointer(batch.ids[i]);
    p.HashInto(hasher_);
    const EntryKey key{CoordinateOf(p), batch.ids[i], hasher_.Finish()};
    auto found = probes_.find(key);
    const bool is_new = found == probes_.end();
    if (is_new) {
      Probe probe;
      probe.location = p;
      probe.start = AddBound(p, spec_.lower_bound);
      probe.end = AddBound(p, spec_.upper_bound);
      probe.shard = ShardOf(p);
      found = probes_.emplace(key, probe).first;
    }
    Probe& probe = found->second;
    const Diff before = Present(probe.multiplicity);
    probe.multiplicity += diff;
    const Diff change = Present(probe.multiplicity) - before;
    MarkDirty(key, probe);  // Its outer row may change; a probe gone is dropped.
    if (!is_new && change == 0) continue;
    // The rows of the window [p + lower, p + upper], as they are now.
    Coordinate first, last;
    if (spec_.float_arithmetic) {
      first = CoordinateOfNumber(p.as_number() + spec_.lower_bound.as_number());
      last = CoordinateOfNumber(p.as_number() + spec_.upper_bound.as_number());
    } else {
      first = static_cast<uint64_t>(SaturatingAdd(p.as_timestamp(),
                                                  spec_.lower_bound.as_timestamp())) ^
              kSignBit;
      last = static_cast<uint64_t>(SaturatingAdd(p.as_timestamp(),
                                                 spec_.upper_bound.as_timestamp())) ^
             kSignBit;
    }
    Diff matching = 0;
    for (auto it = rows_.lower_bound(EntryKey{first, Key{}, Key{}});
         it != rows_.end() && it->first.coordinate <= last; ++it) {
      const DataRow& row = it->second;
      const Diff row_present = Present(row.multiplicity);
      if (row_present == 0 || !InWindow(p, row.time)) continue;
      matching += row_present;
      if (change == 0) continue;
      // Strings of the unpacked row point into the row's packed block, which stays put:
      // the rows are not touched until the next data batch.
      row.values.Unpack(unpacked_.data(), data_columns_, out_.arena);
      Append(unpacked_.data(), probe, row.instance.get(), row.time,
             Value::Pointer(it->first.id), PairId(key.id, it->first.id, probe.shard),
             change * row_present);
    }
    if (is_new) probe.matching_rows = matching;
  }
  if (bad_locations > 0) {
    context().ReportEngineError(
        name(), fmt::format("{} probe row(s) with a None or Error `at` value were left out of "
                            "windowby (intervals_over)",
                            bad_locations));
  }
  Emit(out_, time);
}

void IntervalsOverOperator::OnCommitEnd(Time time, bool /*end_of_input*/) {
  if (dirty_probes_.empty()) return;
  out_.Clear();
  for (const EntryKey& key : dirty_probes_) {
    Probe& probe = probes_.find(key)->second;
    probe.dirty = false;
    if (!spec_.is_outer) continue;
    // A probe with no rows in its window stands as one row of Nones (Pathway's left join).
    const Diff wanted = probe.matching_rows == 0 ? Present(probe.multiplicity) : 0;
    if (wanted == probe.emitted_outer) continue;
    Append(nullptr, probe, Value::None(), Value::None(), Value::None(),
           OuterId(key.id, probe.shard), wanted - probe.emitted_outer);
    probe.emitted_outer = wanted;
  }
  Emit(out_, time);
  // Probes that are gone and owe no outer row leave the state (memory follows live probes).
  for (const EntryKey& key : dirty_probes_) {
    auto it = probes_.find(key);
    if (it->second.multiplicity == 0 && it->second.emitted_outer == 0) probes_.erase(it);
  }
  dirty_probes_.clear();
}

}  // namespace vigil
