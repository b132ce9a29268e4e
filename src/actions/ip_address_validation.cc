#include "actions/ip_address_validation.h"

#include <array>
#include <cstdint>
#include <string>

namespace vigil::actions {
namespace {

bool IsDecimalDigit(char c) { return c >= '0' && c <= '9'; }

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// A decimal number of 1-3 digits without a leading zero (`0` itself is fine), at most `max`.
/// Returns -1 when `text` is not one.
int ParseSmallDecimal(std::string_view text, int max) {
  if (text.empty() || text.size() > 3) return -1;
  if (text.size() > 1 && text[0] == '0') return -1;
  int value = 0;
  for (char c : text) {
    if (!IsDecimalDigit(c)) return -1;
    value = value * 10 + (c - '0');
  }
  return value <= max ? value : -1;
}

/// Dotted quad, exactly four parts. `error` says why not.
bool ParseIpv4(std::string_view text, std::array<uint8_t, 4>& bytes, std::string& error) {
  std::size_t part = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = text.find('.', start);
    std::string_view piece =
        text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part >= 4) {
      error = "an IPv4 address has four parts";
      return false;
    }
    int value = ParseSmallDecimal(piece, 255);
    if (value < 0) {
      error = "each IPv4 part is a number 0-255 without leading zeros";
      return false;
    }
    bytes[part++] = static_cast<uint8_t>(value);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (part != 4) {
    error = "an IPv4 address has four parts";
    return false;
  }
  return true;
}

/// One side of a `::` (or the whole address without one): hex groups separated by single
/// colons; when `ipv4_tail_allowed`, the last group may be a dotted quad worth two groups.
bool ParseIpv6Groups(std::string_view text, bool ipv4_tail_allowed, std::array<uint16_t, 8>& out,
                     std::size_t& count, std::string& error) {
  count = 0;
  if (text.empty()) return true;
  std::size_t start = 0;
  while (true) {
    std::size_t colon = text.find(':', start);
    bool last = colon == std::string_view::npos;
    std::string_view group = text.substr(start, last ? std::string_view::npos : colon - start);
    if (group.empty()) {
      error = "an IPv6 address has no empty groups outside a single '::'";
      return false;
    }
    if (last && ipv4_tail_allowed && group.find('.') != std::string_view::npos) {
      std::array<uint8_t, 4> v4{};
      if (!ParseIpv4(group, v4, error)) return false;
      if (count + 2 > 8) {
        error = "an IPv6 address has eight 16-bit groups";
        return false;
      }
      out[count++] = static_cast<uint16_t>(v4[0] << 8 | v4[1]);
      out[count++] = static_cast<uint16_t>(v4[2] << 8 | v4[3]);
      return true;
    }
    if (group.size() > 4) {
      error = "an IPv6 group has at most four hex digits";
      return false;
    }
    unsigned value = 0;
    for (char c : group) {
      int digit = HexDigitValue(c);
      if (digit < 0) {
        error = "an IPv6 group is hex digits";
        return false;
      }
      value = value * 16 + static_cast<unsigned>(digit);
    }
    if (count >= 8) {
      error = "an IPv6 address has eight 16-bit groups";
      return false;
    }
    out[count++] = static_cast<uint16_t>(value);
    if (last) return true;
    start = colon + 1;
  }
}

bool ParseIpv6(std::string_view text, std::array<uint8_t, 16>& bytes, std::string& error) {
  std::array<uint16_t, 8> groups{};
  std::size_t gap = text.find("::");
  if (gap == std::string_view::npos) {
    std::size_t count = 0;
    if (!ParseIpv6Groups(text, true, groups, count, error)) return false;
    if (count != 8) {
      error = "an IPv6 address has eight 16-bit groups (or a '::')";
      return false;
    }
  } else {
    if (text.find("::", gap + 1) != std::string_view::npos) {
      error = "an IPv6 address has at most one '::'";
      return false;
    }
    std::array<uint16_t, 8> head{};
    std::array<uint16_t, 8> tail{};
    std::size_t head_count = 0;
    std::size_t tail_count = 0;
    if (!ParseIpv6Groups(text.substr(0, gap), false, head, head_count, error)) return false;
    if (!ParseIpv6Groups(text.substr(gap + 2), true, tail, tail_count, error)) return false;
    // '::' stands for at least one zero group (RFC 4291 section 2.2).
    if (head_count + tail_count > 7) {
      error = "an IPv6 address with '::' has at most seven other groups";
      return false;
    }
    for (std::size_t i = 0; i < head_count; ++i) groups[i] = head[i];
    for (std::size_t i = 0; i < tail_count; ++i) groups[8 - tail_count + i] = tail[i];
  }
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[2 * i] = static_cast<uint8_t>(groups[i] >> 8);
    bytes[2 * i + 1] = static_cast<uint8_t>(groups[i] & 0xff);
  }
  return true;
}

/// True when every bit after the first `prefix_length` bits of `bytes` is zero.
template <std::size_t N>
bool HostBitsAreZero(const std::array<uint8_t, N>& bytes, int prefix_length) {
  for (std::size_t bit = static_cast<std::size_t>(prefix_length); bit < N * 8; ++bit) {
    if (bytes[bit / 8] & (0x80 >> (bit % 8))) return false;
  }
  return true;
}

}  // namespace

Result<AddressShape> ValidateAddressOrPrefix(std::string_view text) {
  if (text.empty()) return Status::Invalid("empty address");
  if (text.size() > kMaxAddressTextLength) {
    return Status::Invalid("longer than any address or prefix ({} bytes, at most {})", text.size(),
                           kMaxAddressTextLength);
  }
  for (char c : text) {
    if (!(IsDecimalDigit(c) || HexDigitValue(c) >= 0 || c == '.' || c == ':' || c == '/')) {
      return Status::Invalid(
          "not an IPv4 or IPv6 address or CIDR prefix (a byte other than "
          "hex digits, '.', ':' and '/')");
    }
  }
  std::string_view address = text;
  std::optional<int> prefix_length;
  std::size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    address = text.substr(0, slash);
    std::string_view length_text = text.substr(slash + 1);
    int length = ParseSmallDecimal(length_text, 128);
    if (length < 0) {
      return Status::Invalid("a prefix length is a number 0-128 without leading zeros");
    }
    prefix_length = length;
  }
  std::string error;
  AddressShape shape;
  if (address.find(':') != std::string_view::npos) {
    std::array<uint8_t, 16> bytes{};
    if (!ParseIpv6(address, bytes, error)) return Status::Invalid("{}", error);
    shape.family = IpFamily::kIpv6;
    if (prefix_length && !HostBitsAreZero(bytes, *prefix_length)) {
      return Status::Invalid("an IPv6 prefix has no bits set after its length");
    }
  } else {
    std::array<uint8_t, 4> bytes{};
    if (!ParseIpv4(address, bytes, error)) return Status::Invalid("{}", error);
    shape.family = IpFamily::kIpv4;
    if (prefix_length && *prefix_length > 32) {
      return Status::Invalid("an IPv4 prefix length is at most 32");
    }
    if (prefix_length && !HostBitsAreZero(bytes, *prefix_length)) {
      return Status::Invalid("an IPv4 prefix has no bits set after its length");
    }
  }
  shape.prefix_length = prefix_length;
  return shape;
}

}  // namespace vigil::actions
