#pragma once

#include <cstdint>
#include <limits>

namespace vigil {

/// Processing time: one value per commit (minibatch), increasing. Not the event time of rows.
using Time = uint64_t;
/// Multiplicity change of an update: +1 inserts, -1 retracts; consolidated diffs may be larger.
using Diff = int64_t;

/// The processing time at which end-of-input flushes happen (Pathway's u64::MAX - 1).
inline constexpr Time kEndOfInputTime = std::numeric_limits<uint64_t>::max() - 1;

}  // namespace vigil
