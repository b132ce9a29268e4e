#pragma once

#include <cstddef>
#include <memory>

#include "vigil/types/value.h"
#include "vigil/types/value_arena.h"

namespace vigil {

/// A compact owned encoding of a few values (a kind byte, then 8 bytes for numbers and
/// timestamps, 16 for pointers, a 4-byte length and the bytes for strings, a count and the
/// elements for tuples) in one heap block. Operator state that keeps a small row per group
/// (groupby keys) uses it instead of Value arrays: an IP address and two window bounds take
/// ~30 bytes instead of 72 plus separate string copies.
class PackedValues {
 public:
  PackedValues() = default;
  PackedValues(const Value* values, size_t count);

  bool empty() const { return data_ == nullptr; }
  /// Decodes into `out[0..count)`; strings point into this block, tuple elements go to `arena`.
  void Unpack(Value* out, size_t count, ValueArena& arena) const;

 private:
  std::unique_ptr<char[]> data_;
};

}  // namespace vigil
