#pragma once

// Factories for the reducer families; MakeReducerState (reducer.cc) dispatches to them.

#include <memory>

#include "vigil/ops/reduce/reducer.h"

namespace vigil {

/// count, sum, avg.
std::unique_ptr<ReducerState> MakeAccumulableReducer(const ReducerSpec& spec);
/// min, max, argmin, argmax and the general reducers (multiset per group).
std::unique_ptr<ReducerState> MakeMultisetReducer(const ReducerSpec& spec);

}  // namespace vigil
