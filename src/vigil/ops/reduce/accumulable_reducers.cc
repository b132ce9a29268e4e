// Accumulable reducers: count, sum, avg. O(1) state and work per diff, so retractions are
// just negative diffs.

#include <cmath>

#include "vigil/ops/reduce/reducer.h"
#include "vigil/ops/reduce/reducer_kinds.h"

namespace vigil {

namespace {

bool AnyArgIsError(const ReducerInput& in, size_t row) {
  for (const auto* column : in.args) {
    if ((*column)[row].is_error()) return true;
  }
  return false;
}

class CountReducer final : public ReducerState {
 public:
  void EnsureSlots(size_t n) override {
    if (counts_.size() < n) counts_.resize(n, 0);
  }
  void Update(const ReducerInput& in) override {
    if (in.args.empty()) {
      for (size_t i = 0; i < in.size; ++i) counts_[in.slots[i]] += in.diffs[i];
      return;
    }
    for (size_t i = 0; i < in.size; ++i) {
      if (!AnyArgIsError(in, i)) counts_[in.slots[i]] += in.diffs[i];
    }
  }
  Value Result(uint32_t slot, ValueArena&, std::string*) override {
    return Value::Int(counts_[slot]);
  }
  void Clear(uint32_t slot) override { counts_[slot] = 0; }

 private:
  std::vector<int64_t> counts_;
};

/// Integer sum (wrapping on overflow, as 64-bit ints do in Pathway).
class IntSumReducer final : public ReducerState {
 public:
  void EnsureSlots(size_t n) override {
    if (sums_.size() < n) sums_.resize(n, 0);
  }
  void Update(const ReducerInput& in) override {
    const auto& values = *in.args[0];
    for (size_t i = 0; i < in.size; ++i) {
      const Value& v = values[i];
      if (v.kind() != ValueKind::kInt) continue;  // None/Error rows do not contribute.
      sums_[in.slots[i]] += static_cast<uint64_t>(v.as_int()) * static_cast<uint64_t>(in.diffs[i]);
    }
  }
  Value Result(uint32_t slot, ValueArena&, std::string*) override {
    return Value::Int(static_cast<int64_t>(sums_[slot]));
  }
  void Clear(uint32_t slot) override { sums_[slot] = 0; }

 private:
  std::vector<uint64_t> sums_;  // Unsigned so that overflow wraps without UB.
};

/// Neumaier-compensated float sum, updated incrementally (retractions add negated values).
struct CompensatedSum {
  double sum = 0;
  double compensation = 0;
  void Add(double x) {
    double t = sum + x;
    if (std::fabs(sum) >= std::fabs(x)) {
      compensation += (sum - t) + x;
    } else {
      compensation += (x - t) + sum;
    }
    sum = t;
  }
  double Value() const { return sum + compensation; }
};

class FloatSumReducer final : public ReducerState {
 public:
  explicit FloatSumReducer(bool average) : average_(average) {}
  void EnsureSlots(size_t n) override {
    if (sums_.size() < n) {
      sums_.resize(n);
      counts_.resize(n, 0);
    }
  }
  void Update(const ReducerInput& in) override {
    const auto& values = *in.args[0];
    for (size_t i = 0; i < in.size; ++i) {
      const Value& v = values[i];
      if (!v.is_numeric()) continue;
      const Diff d = in.diffs[i];
      const double x = v.as_number();
      sums_[in.slots[i]].Add(d == 1 ? x : (d == -1 ? -x : x * static_cast<double>(d)));
      counts_[in.slots[i]] += d;
    }
  }
  Value Result(uint32_t slot, ValueArena&, std::string*) override {
    double s = sums_[slot].Value();
    if (!average_) return Value::Float(s);
    if (counts_[slot] == 0) return Value::None();
    return Value::Float(s / static_cast<double>(counts_[slot]));
  }
  void Clear(uint32_t slot) override {
    sums_[slot] = CompensatedSum();
    counts_[slot] = 0;
  }

 private:
  bool average_;
  std::vector<CompensatedSum> sums_;
  std::vector<int64_t> counts_;
};

}  // namespace

std::unique_ptr<ReducerState> MakeAccumulableReducer(const ReducerSpec& spec) {
  switch (spec.kind) {
    case ReducerKind::kCount: return std::make_unique<CountReducer>();
    case ReducerKind::kSum:
      if (spec.arg_types[0].kind == TypeKind::kInt) return std::make_unique<IntSumReducer>();
      return std::make_unique<FloatSumReducer>(false);
    case ReducerKind::kAvg: return std::make_unique<FloatSumReducer>(true);
    default: return nullptr;
  }
}

}  // namespace vigil
