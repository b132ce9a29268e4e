#pragma once

// Seeded random choices for the oracle test's generators: one seed reproduces a pipeline, its
// stream and every variant of it.

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace vigil::oracle {

class Random {
 public:
  explicit Random(uint64_t seed) : rng_(seed * 0x9E3779B97F4A7C15ull + 12345) {}
  /// Uniform in [lo, hi].
  int64_t Int(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int64_t>(v.size()) - 1))];
  }
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    std::shuffle(v.begin(), v.end(), rng_);
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace vigil::oracle
