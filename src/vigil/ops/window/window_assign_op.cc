#include "vigil/ops/window/window_assign_op.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace vigil {

namespace {
__extension__ typedef __int128 Wide;  // __extension__: GCC's 128-bit int under -Wpedantic.

Wide FloorDiv(Wide a, Wide b) {
  Wide q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

/// A 128-bit window bound clamped to the int64 range (see the class comment).
int64_t Clamp(Wide v) {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

/// |k| below 2^53: every integer window index is exact in a double.
constexpr double kMaxExactIndex = 9007199254740992.0;
}  // namespace

WindowAssignOperator::WindowAssignOperator(std::string name, const WindowAssignSpec& spec,
                                           size_t input_columns)
    : Operator(std::move(name)),
      spec_(spec),
      input_columns_(input_columns),
      time_evaluator_(spec.time) {
  if (spec_.instance) instance_evaluator_.emplace(*spec_.instance);
  out_ = Batch(input_columns_ + 4);
}

bool WindowAssignOperator::AssignWindows(const Value& t) {
  starts_.clear();
  ends_.clear();
  indexes_.clear();
  // Pathway numbers a row's windows before dropping those that start before an explicit
  // origin (the filter runs after the engine's assignment), so indexes count them too.
  int64_t index = -1;
  const int64_t ratio = spec_.candidate_ratio;
  if (spec_.float_arithmetic) {
    const double time = t.as_number();
    const double hop = spec_.hop_f, origin = spec_.origin_f;
    const double quotient = std::floor((time - origin) / hop);
    // Also false for NaN and infinities.
    if (!(std::fabs(quotient) < kMaxExactIndex)) return false;
    const int64_t last_k = static_cast<int64_t>(quotient) + 1;
    for (int64_t k = last_k - ratio - 2; k <= last_k; ++k) {
      const double start = hop * static_cast<double>(k) + origin;
      const double end = spec_.ratio ? hop * static_cast<double>(k + *spec_.ratio) + origin
                                     : start + spec_.duration_f;
      if (!(start <= time && time < end)) continue;
      ++index;
      if (spec_.origin_explicit && start < origin) continue;
      indexes_.push_back(index);
      starts_.push_back(Value::Float(start));
      ends_.push_back(Value::Float(end));
    }
    return true;
  }
  if (AssignNarrow(t.as_timestamp())) return true;  // Same bits as as_int() for ints.
  // Near the ends of the axis: again in 128 bits. |time - origin| < 2^64 and hop >= 1, so
  // |k| <= 2^64 + kMaxWindowsPerRow and every product below stays far inside 128 bits.
  starts_.clear();
  ends_.clear();
  indexes_.clear();
  const Wide time = t.as_timestamp();
  const Wide hop = spec_.hop, origin = spec_.origin;
  const Wide last_k = FloorDiv(time - origin, hop) + 1;
  for (Wide k = last_k - ratio - 2; k <= last_k; ++k) {
    const Wide start = origin + k * hop;
    const Wide end = spec_.ratio ? origin + (k + *spec_.ratio) * hop : start + spec_.duration;
    if (!(start <= time && time < end)) continue;
    ++index;
    if (spec_.origin_explicit && start < origin) continue;
    indexes_.push_back(index);
    starts_.push_back(MakeBound(Clamp(start)));
    ends_.push_back(MakeBound(Clamp(end)));
  }
  return true;
}

Value WindowAssignOperator::MakeBound(int64_t v) const {
  switch (spec_.bound_kind) {
    case ValueKind::kDateTimeNaive: return Value::DateTimeNaive(v);
    case ValueKind::kDateTimeUtc: return Value::DateTimeUtc(v);
    default: return Value::Int(v);
  }
}

bool WindowAssignOperator::AssignNarrow(int64_t time) {
  // The usual case, in 64-bit arithmetic (a 128-bit division is a library call): the same
  // windows as the 128-bit path whenever nothing overflows, which every step checks.
  const int64_t hop = spec_.hop, origin = spec_.origin;
  int64_t offset;
  if (__builtin_sub_overflow(time, origin, &offset)) return false;
  int64_t last_k = offset / hop;
  if (offset % hop != 0 && offset < 0) --last_k;  // floor (hop > 0)
  // The candidate indexes k, and k + ratio, must be int64s too.
  const int64_t reach = spec_.candidate_ratio + 3;  // <= kMaxWindowsPerRow + 3
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (last_k > kMax - reach || last_k < kMin + reach) return false;
  last_k += 1;
  int64_t index = -1;
  for (int64_t k = last_k - spec_.candidate_ratio - 2; k <= last_k; ++k) {
    int64_t start, end;
    if (__builtin_mul_overflow(k, hop, &start) || __builtin_add_overflow(start, origin, &start)) {
      return false;
    }
    if (spec_.ratio) {
      if (__builtin_mul_overflow(k + *spec_.ratio, hop, &end) ||
          __builtin_add_overflow(end, origin, &end)) {
        return false;
      }
    } else if (__builtin_add_overflow(start, spec_.duration, &end)) {
      return false;
    }
    if (!(start <= time && time < end)) continue;
    ++index;
    if (spec_.origin_explicit && start < origin) continue;
    indexes_.push_back(index);
    starts_.push_back(MakeBound(start));
    ends_.push_back(MakeBound(end));
  }
  return true;
}

void WindowAssignOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  scratch_arena_.Reset();
  const std::vector<Value>& times = time_evaluator_.Evaluate(batch, scratch_arena_);
  const std::vector<Value>* instances =
      instance_evaluator_ ? &instance_evaluator_->Evaluate(batch, scratch_arena_) : nullptr;
  out_.Clear();
  const size_t n = batch.num_rows();
  size_t bad_times = 0, unplaceable_times = 0;
  for (size_t i = 0; i < n; ++i) {
    const Value& t = times[i];
    const bool usable = spec_.float_arithmetic ? t.is_numeric()
                                               : (t.kind() == ValueKind::kInt ||
                                                  t.kind() == ValueKind::kDateTimeNaive ||
                                                  t.kind() == ValueKind::kDateTimeUtc);
    if (!usable) {
      ++bad_times;
      continue;
    }
    if (!AssignWindows(t)) {
      ++unplaceable_times;
      continue;
    }
    const Value instance = instances ? (*instances)[i] : Value::None();
    for (size_t w = 0; w < starts_.size(); ++w) {
      for (size_t c = 0; c < input_columns_; ++c) out_.columns[c].push_back(batch.columns[c][i]);
      out_.columns[input_columns_].push_back(starts_[w]);
      out_.columns[input_columns_ + 1].push_back(ends_[w]);
      out_.columns[input_columns_ + 2].push_back(instance);
      out_.columns[input_columns_ + 3].push_back(Value::Pointer(batch.ids[i]));
      hasher_.Reset();
      hasher_.AddPointer(batch.ids[i]);
      hasher_.AddInt(indexes_[w]);
      out_.ids.push_back(hasher_.Finish());
      out_.diffs.push_back(batch.diffs[i]);
    }
  }
  if (bad_times > 0) {
    context().ReportEngineError(
        name(), fmt::format("{} row(s) with a None or Error time were left out of windowby",
                            bad_times));
  }
  if (unplaceable_times > 0) {
    context().ReportEngineError(
        name(), fmt::format("{} row(s) whose float time is too far from the window origin (or "
                            "not finite) to have a window were left out of windowby",
                            unplaceable_times));
  }
  Emit(out_, time);
}

}  // namespace vigil
