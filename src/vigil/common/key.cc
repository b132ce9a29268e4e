#include "vigil/common/key.h"

#include <bit>
#include <cmath>

#include <xxhash.h>

namespace vigil {

namespace {
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
}  // namespace

std::string Key::ToString() const {
  unsigned char bytes[16];
  std::memcpy(bytes, &lo, 8);
  std::memcpy(bytes + 8, &hi, 8);
  std::string out = "^";
  out.reserve(27);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kCrockford[(acc >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kCrockford[(acc << (5 - bits)) & 31]);
  return out;
}

std::string Key::ToShortString() const { return ToString().substr(0, 8) + "..."; }

void KeyHasher::AddFloat(double v) {
  uint64_t bits;
  if (std::isnan(v)) {
    bits = ~uint64_t{0};
  } else if (v == 0.0) {
    bits = 0;  // +0 and -0 hash alike.
  } else {
    bits = std::bit_cast<uint64_t>(v);
  }
  AddTagged64(KeyTag::kFloat, bits);
}

void KeyHasher::Grow(size_t needed) {
  size_t capacity = capacity_ * 2;
  while (capacity < needed) capacity *= 2;
  auto bigger = std::make_unique<char[]>(capacity);
  std::memcpy(bigger.get(), data_, size_);
  heap_ = std::move(bigger);
  data_ = heap_.get();
  capacity_ = capacity;
}

Key KeyHasher::Finish() const {
  XXH128_hash_t h = XXH3_128bits(data_, size_);
  return Key{h.low64, h.high64};
}

Key KeyForIndex(int64_t i) {
  KeyHasher h;
  h.AddInt(i);
  return h.Finish();
}

}  // namespace vigil
