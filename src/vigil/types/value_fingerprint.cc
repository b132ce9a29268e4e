#include "vigil/types/value_fingerprint.h"

#include <bit>

#include <xxhash.h>

namespace vigil {

uint64_t MixFingerprint(uint64_t state, uint64_t word) {
  uint64_t x = (state ^ word) * 0x9E3779B97F4A7C15ULL;
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ULL;
  return x ^ (x >> 29);
}

uint64_t FingerprintValue(uint64_t h, const Value& v) {
  h = MixFingerprint(h, static_cast<uint64_t>(v.kind()));
  switch (v.kind()) {
    case ValueKind::kString: {
      const std::string_view s = v.as_string();
      return MixFingerprint(h, XXH3_64bits(s.data(), s.size()));
    }
    case ValueKind::kPointer:
      return MixFingerprint(h, v.as_pointer());
    case ValueKind::kTuple:
      h = MixFingerprint(h, v.tuple_size());
      for (uint32_t i = 0; i < v.tuple_size(); ++i) h = FingerprintValue(h, v.tuple_at(i));
      return h;
    case ValueKind::kFloat:
      return MixFingerprint(h, std::bit_cast<uint64_t>(v.as_float()));
    case ValueKind::kNone:
    case ValueKind::kError:
      return h;
    default:  // Bool, int, datetimes, duration: the 64-bit payload.
      return MixFingerprint(h, static_cast<uint64_t>(v.as_int()));
  }
}

uint64_t FingerprintValues(uint64_t h, std::span<const Value> values) {
  for (const Value& v : values) h = FingerprintValue(h, v);
  return h;
}

}  // namespace vigil
