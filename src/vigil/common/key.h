#pragma once

#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace vigil {

/// A 128-bit row id ("pointer"), ordered as an unsigned 128-bit integer (hi, then lo), as
/// Pathway orders its keys. Produced by KeyHasher following Pathway's recipe so that printed
/// ids and id-dependent reducers (any, tuple, argmin ties, latest) match Pathway exactly.
struct Key {
  uint64_t lo = 0;
  uint64_t hi = 0;

  friend constexpr bool operator==(const Key&, const Key&) = default;
  friend constexpr std::strong_ordering operator<=>(const Key& a, const Key& b) {
    if (a.hi != b.hi) return a.hi <=> b.hi;
    return a.lo <=> b.lo;
  }
  Key operator^(const Key& o) const { return Key{lo ^ o.lo, hi ^ o.hi}; }

  /// Replaces the low 16 bits with those of `shard` (Pathway's sharding of grouped keys).
  Key WithShardOf(const Key& shard) const {
    return Key{(lo & ~uint64_t{0xFFFF}) | (shard.lo & 0xFFFF), hi};
  }

  /// `^` + 26 Crockford base32 characters of the 16 little-endian bytes.
  std::string ToString() const;
  /// `^` + first 7 characters + `...`, as Pathway prints with short_pointers=True.
  std::string ToShortString() const;

  template <typename H>
  friend H AbslHashValue(H h, const Key& k) {
    // Keys are already uniformly distributed hash digests; mixing one word is enough.
    return H::combine(std::move(h), k.lo);
  }
};

/// Tag bytes of Pathway's value encoding (SEMANTICS.md Appendix A).
enum class KeyTag : uint8_t {
  kNone = 0,
  kBool = 1,
  kInt = 2,
  kFloat = 3,
  kPointer = 4,
  kString = 5,
  kTuple = 6,
  kDateTimeNaive = 9,
  kDateTimeUtc = 10,
  kDuration = 11,
};

/// Builds a Key from a sequence of values: the XXH3-128 digest of their concatenated tagged
/// encodings. Reuse one hasher (Reset) on hot paths: it keeps its buffer, so no allocation
/// happens per row once the buffer has grown.
class KeyHasher {
 public:
  void Reset() { buffer_.clear(); }
  void AddNone() { AddTag(KeyTag::kNone); }
  void AddBool(bool v) {
    AddTag(KeyTag::kBool);
    buffer_.push_back(v ? 1 : 0);
  }
  void AddInt(int64_t v) {
    AddTag(KeyTag::kInt);
    AddRaw64(static_cast<uint64_t>(v));
  }
  void AddFloat(double v);
  void AddPointer(const Key& k) {
    AddTag(KeyTag::kPointer);
    AddRaw64(k.lo);
    AddRaw64(k.hi);
  }
  void AddString(std::string_view s) {
    AddTag(KeyTag::kString);
    AddRaw64(s.size());
    buffer_.append(s.data(), s.size());
  }
  /// Starts a tuple of `size` elements; the caller then adds each element.
  void BeginTuple(uint64_t size) {
    AddTag(KeyTag::kTuple);
    AddRaw64(size);
  }
  void AddTimestamp(KeyTag tag, int64_t ns) {
    AddTag(tag);
    AddRaw64(static_cast<uint64_t>(ns));
  }
  /// Untagged bytes (used for file-offset ids of CSV rows, which Pathway hashes without tags).
  void AddRawBytes(std::string_view bytes) { buffer_.append(bytes.data(), bytes.size()); }
  void AddRaw64(uint64_t v) {
    char b[8];
    std::memcpy(b, &v, 8);  // Little-endian hosts only (x86_64, aarch64).
    buffer_.append(b, 8);
  }

  Key Finish() const;

 private:
  void AddTag(KeyTag t) { buffer_.push_back(static_cast<char>(t)); }
  std::string buffer_;
};

/// Key of the row with index `i` in debug tables (table_from_markdown): hash([Int(i)]).
Key KeyForIndex(int64_t i);

}  // namespace vigil
