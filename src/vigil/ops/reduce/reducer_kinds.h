#pragma once

// Factories for the reducer families; MakeReducerState (reducer.cc) dispatches to them.

#include <memory>

#include "vigil/ops/reduce/reducer.h"

namespace vigil {

/// Salt of Pathway's any(): the row with the smallest `row id XOR salt` is chosen.
inline constexpr Key kAnySalt{0xDEADBEEFDEADBEEFull, 0xDEADBEEFDEADBEEFull};

/// count, sum, avg.
std::unique_ptr<ReducerState> MakeAccumulableReducer(const ReducerSpec& spec);
/// min, max, argmin, argmax and the general reducers (multiset per group).
std::unique_ptr<ReducerState> MakeMultisetReducer(const ReducerSpec& spec);
/// min, max, argmin, argmax, any over an input without retractions (one entry per group);
/// nullptr for the other reducers.
std::unique_ptr<ReducerState> MakeInsertOnlyReducer(const ReducerSpec& spec);
/// stateful_many: a user function folding each commit's changes into a state per group.
std::unique_ptr<ReducerState> MakeStatefulReducer(const ReducerSpec& spec);

}  // namespace vigil
