#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "vigil/types/value.h"

namespace vigil {

/// Bump allocator for the out-of-line parts of values (string bytes, tuple elements) created
/// while a batch is built. Memory lives until the arena is destroyed or Reset; blocks never
/// move, so views into it stay valid while the arena lives. Owned by one thread.
class ValueArena {
 public:
  ValueArena() = default;
  ValueArena(ValueArena&&) = default;
  ValueArena& operator=(ValueArena&&) = default;

  /// Raw memory aligned for Value.
  void* Allocate(size_t bytes);
  /// A string value whose bytes are copied into the arena.
  Value CopyString(std::string_view s);
  /// A tuple value whose element array lives in the arena. Elements are copied as views
  /// (strings and nested tuples are not duplicated): the tuple is valid as long as both the
  /// arena and what the elements point to, which holds within one batch's processing.
  Value MakeTuple(const Value* elements, uint32_t size);
  /// Deep copy of `v` (strings and tuples re-pointed into this arena).
  Value Copy(const Value& v);
  /// Frees all blocks but the first, which is kept for reuse.
  void Reset();
  size_t bytes_used() const { return used_total_; }

 private:
  static constexpr size_t kBlockSize = 64 * 1024;
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* cursor_ = nullptr;
  size_t remaining_ = 0;
  size_t used_total_ = 0;
};

/// Bytes a deep copy of `v` needs outside the Value itself.
size_t DeepSize(const Value& v);

/// An owning value: a Value plus one heap buffer for its strings/tuples (none for scalars).
/// Used by operator state that outlives the batch a value came from (group keys, multisets).
class StoredValue {
 public:
  StoredValue() = default;
  explicit StoredValue(const Value& v);
  StoredValue(const StoredValue& other) : StoredValue(other.value_) {}
  StoredValue& operator=(const StoredValue& other) {
    if (this != &other) *this = StoredValue(other.value_);
    return *this;
  }
  StoredValue(StoredValue&&) noexcept = default;
  StoredValue& operator=(StoredValue&&) noexcept = default;

  const Value& get() const { return value_; }
  /// Whether the value lives in storage of its own (a string or tuple), which views of it
  /// point into; a scalar is copied whole by whoever reads it.
  bool has_storage() const { return storage_ != nullptr; }

 private:
  Value value_;
  std::unique_ptr<std::byte[]> storage_;
};

}  // namespace vigil
