#pragma once

#include <cstdint>

namespace vigil {

/// When a window behind the growth gate (GrowthGateOperator, `Behavior::growth_steps`) has
/// its result updated: every change while it has fewer than `min_rows` rows, then each time
/// its row count has grown by `factor` since the last update (and when it closes).
struct GrowthSteps {
  int64_t min_rows = 64;
  double factor = 1.25;
};

}  // namespace vigil
