#include "vigil/types/value_arena.h"

#include <algorithm>
#include <cstring>

namespace vigil {

namespace {
constexpr size_t kAlign = alignof(Value);
size_t AlignUp(size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); }

// Copies the out-of-line parts of `v` to `*cursor`, advancing it; returns the re-pointed view.
Value DeepCopyTo(const Value& v, std::byte*& cursor) {
  switch (v.kind()) {
    case ValueKind::kString: {
      std::string_view s = v.as_string();
      char* dst = reinterpret_cast<char*>(cursor);
      if (!s.empty()) std::memcpy(dst, s.data(), s.size());
      cursor += AlignUp(s.size());
      return Value::String(std::string_view(dst, s.size()));
    }
    case ValueKind::kTuple: {
      Value* elements = reinterpret_cast<Value*>(cursor);
      cursor += sizeof(Value) * v.tuple_size();
      for (uint32_t i = 0; i < v.tuple_size(); ++i) {
        elements[i] = DeepCopyTo(v.tuple_at(i), cursor);
      }
      return Value::Tuple(elements, v.tuple_size());
    }
    default: return v;
  }
}
}  // namespace

size_t DeepSize(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kString: return AlignUp(v.as_string().size());
    case ValueKind::kTuple: {
      size_t n = sizeof(Value) * v.tuple_size();
      for (uint32_t i = 0; i < v.tuple_size(); ++i) n += DeepSize(v.tuple_at(i));
      return n;
    }
    default: return 0;
  }
}

void* ValueArena::Allocate(size_t bytes) {
  bytes = AlignUp(std::max<size_t>(bytes, 1));
  if (bytes > remaining_) {
    size_t block = std::max(kBlockSize, bytes);
    // Not zeroed (make_unique would memset every fresh block): every byte handed out is
    // written by the caller before it is read.
    blocks_.push_back(std::unique_ptr<std::byte[]>(new std::byte[block]));
    cursor_ = blocks_.back().get();
    remaining_ = block;
  }
  void* out = cursor_;
  cursor_ += bytes;
  remaining_ -= bytes;
  used_total_ += bytes;
  return out;
}

Value ValueArena::CopyString(std::string_view s) {
  char* dst = static_cast<char*>(Allocate(s.size()));
  if (!s.empty()) std::memcpy(dst, s.data(), s.size());
  return Value::String(std::string_view(dst, s.size()));
}

Value ValueArena::MakeTuple(const Value* elements, uint32_t size) {
  Value* copy = static_cast<Value*>(Allocate(sizeof(Value) * (size == 0 ? 1 : size)));
  std::copy(elements, elements + size, copy);
  return Value::Tuple(copy, size);
}

Value ValueArena::Copy(const Value& v) {
  size_t n = DeepSize(v);
  if (n == 0) return v;
  std::byte* cursor = static_cast<std::byte*>(Allocate(n));
  return DeepCopyTo(v, cursor);
}

void ValueArena::Reset() {
  if (blocks_.size() > 1) blocks_.resize(1);
  if (!blocks_.empty()) {
    cursor_ = blocks_[0].get();
    remaining_ = kBlockSize;
  }
  used_total_ = 0;
}

StoredValue::StoredValue(const Value& v) {
  size_t n = DeepSize(v);
  if (n == 0) {
    value_ = v;
    return;
  }
  // Not zeroed: DeepCopyTo writes every byte that is read (a string's alignment padding
  // is never read).
  storage_.reset(new std::byte[n]);
  std::byte* cursor = storage_.get();
  value_ = DeepCopyTo(v, cursor);
}

}  // namespace vigil
