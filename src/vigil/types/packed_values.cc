#include "vigil/types/packed_values.h"

#include <cstring>

namespace vigil {

namespace {

size_t EncodedSize(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNone:
    case ValueKind::kError: return 1;
    case ValueKind::kBool: return 2;
    case ValueKind::kPointer: return 1 + 16;
    case ValueKind::kString: return 1 + 4 + v.as_string().size();
    case ValueKind::kTuple: {
      size_t n = 1 + 4;
      for (uint32_t i = 0; i < v.tuple_size(); ++i) n += EncodedSize(v.tuple_at(i));
      return n;
    }
    default: return 1 + 8;  // int, float, datetimes, duration
  }
}

char* Encode(const Value& v, char* p) {
  *p++ = static_cast<char>(v.kind());
  switch (v.kind()) {
    case ValueKind::kNone:
    case ValueKind::kError: return p;
    case ValueKind::kBool: *p++ = v.as_bool() ? 1 : 0; return p;
    case ValueKind::kPointer: std::memcpy(p, &v.as_pointer(), 16); return p + 16;
    case ValueKind::kString: {
      const uint32_t n = static_cast<uint32_t>(v.as_string().size());
      std::memcpy(p, &n, 4);
      if (n > 0) std::memcpy(p + 4, v.as_string().data(), n);
      return p + 4 + n;
    }
    case ValueKind::kTuple: {
      const uint32_t n = v.tuple_size();
      std::memcpy(p, &n, 4);
      p += 4;
      for (uint32_t i = 0; i < n; ++i) p = Encode(v.tuple_at(i), p);
      return p;
    }
    case ValueKind::kFloat: {
      const double f = v.as_float();
      std::memcpy(p, &f, 8);
      return p + 8;
    }
    default: {
      const int64_t i = v.as_int();
      std::memcpy(p, &i, 8);
      return p + 8;
    }
  }
}

const char* Decode(const char* p, Value& out, ValueArena& arena) {
  const auto kind = static_cast<ValueKind>(*p++);
  switch (kind) {
    case ValueKind::kNone: out = Value::None(); return p;
    case ValueKind::kError: out = Value::Error(); return p;
    case ValueKind::kBool: out = Value::Bool(*p != 0); return p + 1;
    case ValueKind::kPointer: {
      Key k;
      std::memcpy(&k, p, 16);
      out = Value::Pointer(k);
      return p + 16;
    }
    case ValueKind::kString: {
      uint32_t n;
      std::memcpy(&n, p, 4);
      out = Value::String(std::string_view(p + 4, n));
      return p + 4 + n;
    }
    case ValueKind::kTuple: {
      uint32_t n;
      std::memcpy(&n, p, 4);
      p += 4;
      Value* elements = static_cast<Value*>(arena.Allocate(sizeof(Value) * (n == 0 ? 1 : n)));
      for (uint32_t i = 0; i < n; ++i) p = Decode(p, elements[i], arena);
      out = Value::Tuple(elements, n);
      return p;
    }
    case ValueKind::kFloat: {
      double f;
      std::memcpy(&f, p, 8);
      out = Value::Float(f);
      return p + 8;
    }
    default: {
      int64_t i;
      std::memcpy(&i, p, 8);
      switch (kind) {
        case ValueKind::kDateTimeNaive: out = Value::DateTimeNaive(i); break;
        case ValueKind::kDateTimeUtc: out = Value::DateTimeUtc(i); break;
        case ValueKind::kDuration: out = Value::Duration(i); break;
        default: out = Value::Int(i);
      }
      return p + 8;
    }
  }
}

}  // namespace

PackedValues::PackedValues(const Value* values, size_t count) {
  size_t size = 0;
  for (size_t i = 0; i < count; ++i) size += EncodedSize(values[i]);
  data_ = std::make_unique_for_overwrite<char[]>(size == 0 ? 1 : size);
  char* p = data_.get();
  for (size_t i = 0; i < count; ++i) p = Encode(values[i], p);
}

void PackedValues::Unpack(Value* out, size_t count, ValueArena& arena) const {
  const char* p = data_.get();
  for (size_t i = 0; i < count; ++i) p = Decode(p, out[i], arena);
}

}  // namespace vigil
