#pragma once

#include <compare>
#include <cstdint>
#include <cstring>
#include <memory>
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
  KeyHasher() = default;
  KeyHasher(const KeyHasher&) = delete;
  KeyHasher& operator=(const KeyHasher&) = delete;

  void Reset() { size_ = 0; }
  void AddNone() { AddTag(KeyTag::kNone); }
  void AddBool(bool v) {
    char b[2] = {static_cast<char>(KeyTag::kBool), static_cast<char>(v ? 1 : 0)};
    Append(b, 2);
  }
  void AddInt(int64_t v) { AddTagged64(KeyTag::kInt, static_cast<uint64_t>(v)); }
  void AddFloat(double v);
  void AddPointer(const Key& k) {
    char b[17];
    b[0] = static_cast<char>(KeyTag::kPointer);
    std::memcpy(b + 1, &k.lo, 8);
    std::memcpy(b + 9, &k.hi, 8);
    Append(b, 17);
  }
  void AddString(std::string_view s) {
    AddTagged64(KeyTag::kString, s.size());
    Append(s.data(), s.size());
  }
  /// Starts a tuple of `size` elements; the caller then adds each element.
  void BeginTuple(uint64_t size) { AddTagged64(KeyTag::kTuple, size); }
  void AddTimestamp(KeyTag tag, int64_t ns) { AddTagged64(tag, static_cast<uint64_t>(ns)); }
  /// Untagged bytes (used for file-offset ids of CSV rows, which Pathway hashes without tags).
  void AddRawBytes(std::string_view bytes) { Append(bytes.data(), bytes.size()); }
  void AddRaw64(uint64_t v) {
    char b[8];
    std::memcpy(b, &v, 8);  // Little-endian hosts only (x86_64, aarch64).
    Append(b, 8);
  }

  Key Finish() const;

 private:
  void AddTag(KeyTag t) {
    const char b = static_cast<char>(t);
    Append(&b, 1);
  }
  void AddTagged64(KeyTag t, uint64_t v) {
    char b[9];
    b[0] = static_cast<char>(t);
    std::memcpy(b + 1, &v, 8);
    Append(b, 9);
  }
  void Append(const char* data, size_t n) {
    if (n == 0) return;  // An empty view may have a null data(): memcpy must not see it.
    if (size_ + n > capacity_) Grow(size_ + n);
    std::memcpy(data_ + size_, data, n);
    size_ += n;
  }
  void Grow(size_t needed);

  // Keys are hashed once per row on hot paths: the encoding is built in an inline buffer
  // (no allocation, no std::string bookkeeping) and spills to the heap only for long values.
  static constexpr size_t kInlineBytes = 256;
  char inline_[kInlineBytes];
  std::unique_ptr<char[]> heap_;
  char* data_ = inline_;
  size_t size_ = 0;
  size_t capacity_ = kInlineBytes;
};

/// Key of the row with index `i` in debug tables (table_from_markdown): hash([Int(i)]).
Key KeyForIndex(int64_t i);

}  // namespace vigil
