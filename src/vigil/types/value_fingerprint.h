#pragma once

#include <cstdint>
#include <span>

#include "vigil/common/key.h"
#include "vigil/types/value.h"

namespace vigil {

/// A 64-bit fingerprint of values that tells identical values (ValuesIdentical: same kind,
/// same bits, so 0.0 and -0.0 differ) from others, for matching a row with its other
/// versions inside one operator. Not Pathway's id recipe (KeyHasher, XXH3-128 over tagged
/// values, which costs ~600 instructions a row): a few instructions per scalar, XXH3-64 per
/// string. It never leaves the operator; a collision (about 2^-64 per pair) is possible, so
/// a caller that must be exact compares the values too.
uint64_t FingerprintValue(uint64_t state, const Value& v);
uint64_t FingerprintValues(uint64_t state, std::span<const Value> values);
/// Folds one 64-bit word into a fingerprint state (splitmix64's finalizer).
uint64_t MixFingerprint(uint64_t state, uint64_t word);
inline uint64_t MixFingerprint(uint64_t state, const Key& key) {
  return MixFingerprint(MixFingerprint(state, key.lo), key.hi);
}

}  // namespace vigil
