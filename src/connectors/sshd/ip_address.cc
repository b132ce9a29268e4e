#include "connectors/sshd/ip_address.h"

#include <algorithm>
#include <cstring>

namespace vigil::sshd {
namespace {

constexpr std::array<uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// A dotted quad into out[0..3]; the whole of `text` must be it.
bool ParseDottedQuad(std::string_view text, uint8_t* out) {
  size_t pos = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (pos >= text.size() || text[pos] != '.') return false;
      ++pos;
    }
    const size_t start = pos;
    unsigned value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 3) {
      value = value * 10 + static_cast<unsigned>(text[pos] - '0');
      ++pos;
    }
    const size_t digits = pos - start;
    if (digits == 0 || value > 255) return false;
    if (digits > 1 && text[start] == '0') return false;  // leading zero: octal to inet_aton
    out[part] = static_cast<uint8_t>(value);
  }
  return pos == text.size();
}

/// RFC 4291 2.2 text (no zone) into 16 bytes.
bool ParseIpv6Text(std::string_view text, std::array<uint8_t, 16>& bytes) {
  uint16_t groups[8] = {};
  int count = 0;
  int gap_at = -1;  // group index where "::" stands
  size_t pos = 0;
  const size_t size = text.size();
  if (size < 2) return false;
  if (text[0] == ':') {
    if (text[1] != ':') return false;
    gap_at = 0;
    pos = 2;
    if (pos == size) {
      bytes.fill(0);
      return true;
    }
  }
  while (true) {
    const size_t start = pos;
    unsigned value = 0;
    while (pos < size && pos - start < 4) {
      const int digit = HexValue(text[pos]);
      if (digit < 0) break;
      value = value * 16 + static_cast<unsigned>(digit);
      ++pos;
    }
    if (pos == start) return false;
    if (pos < size && text[pos] == '.') {
      // An IPv4 tail: the last 32 bits, and the end of the text.
      if (count > 6) return false;
      uint8_t quad[4];
      if (!ParseDottedQuad(text.substr(start), quad)) return false;
      groups[count++] = static_cast<uint16_t>(quad[0] << 8 | quad[1]);
      groups[count++] = static_cast<uint16_t>(quad[2] << 8 | quad[3]);
      break;
    }
    if (count == 8) return false;
    groups[count++] = static_cast<uint16_t>(value);
    if (pos == size) break;
    if (text[pos] != ':') return false;
    ++pos;
    if (pos < size && text[pos] == ':') {
      if (gap_at >= 0) return false;
      gap_at = count;
      ++pos;
      if (pos == size) break;
    } else if (pos == size) {
      return false;  // a lone trailing colon
    }
  }
  if (gap_at >= 0) {
    if (count > 7) return false;  // "::" stands for at least one group
    const int moved = count - gap_at;
    std::copy_backward(groups + gap_at, groups + count, groups + 8);
    std::fill(groups + gap_at, groups + 8 - moved, uint16_t{0});
  } else if (count != 8) {
    return false;
  }
  for (int i = 0; i < 8; ++i) {
    bytes[2 * i] = static_cast<uint8_t>(groups[i] >> 8);
    bytes[2 * i + 1] = static_cast<uint8_t>(groups[i] & 0xff);
  }
  return true;
}

bool IsZoneChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

size_t WriteDecimal(unsigned value, char* out) {
  char digits[10];
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (size_t i = 0; i < count; ++i) out[i] = digits[count - 1 - i];
  return count;
}

size_t FormatIpv4(const uint8_t* quad, char* out) {
  size_t length = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) out[length++] = '.';
    length += WriteDecimal(quad[i], out + length);
  }
  return length;
}

int FamilyBits(const IpAddress& address) { return address.is_v4 ? 32 : 128; }

}  // namespace

std::optional<IpAddress> ParseIp(std::string_view text) {
  IpAddress address;
  if (text.empty()) return std::nullopt;
  // Dotted quads are by far the most common; try them first.
  if (text.find(':') == std::string_view::npos) {
    if (!ParseDottedQuad(text, address.bytes.data() + 12)) return std::nullopt;
    std::copy(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), address.bytes.begin());
    address.is_v4 = true;
    return address;
  }
  const size_t percent = text.find('%');
  if (percent != std::string_view::npos) {
    const std::string_view zone = text.substr(percent + 1);
    if (zone.empty() || !std::all_of(zone.begin(), zone.end(), IsZoneChar)) return std::nullopt;
    text = text.substr(0, percent);
  }
  if (!ParseIpv6Text(text, address.bytes)) return std::nullopt;
  address.is_v4 = std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), address.bytes.begin());
  return address;
}

size_t FormatIp(const IpAddress& address, char* out) {
  if (address.is_v4) return FormatIpv4(address.bytes.data() + 12, out);
  unsigned groups[8];
  for (int i = 0; i < 8; ++i) {
    groups[i] = static_cast<unsigned>(address.bytes[2 * i]) << 8 | address.bytes[2 * i + 1];
  }
  // RFC 5952 4.2: the longest run of 2+ zero groups becomes "::", the first on a tie.
  int best_start = -1;
  int best_length = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length) {
      best_start = i;
      best_length = j - i;
    }
    i = j;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  size_t length = 0;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out[length++] = ':';
      if (i == 0) out[length++] = ':';
      i += best_length - 1;
      continue;
    }
    const unsigned group = groups[i];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned nibble = (group >> shift) & 0xf;
      if (nibble != 0 || started || shift == 0) {
        out[length++] = kHex[nibble];
        started = true;
      }
    }
    if (i < 7) out[length++] = ':';
  }
  return length;
}

IpAddress Prefix(const IpAddress& address, int bits) {
  const int family_bits = FamilyBits(address);
  bits = std::clamp(bits, 0, family_bits);
  // Bits count from the family's first byte: byte 12 for IPv4 (stored IPv4-mapped).
  int keep = bits + (address.is_v4 ? 96 : 0);
  IpAddress network = address;
  for (int i = 0; i < 16; ++i) {
    const int byte_bits = std::clamp(keep - 8 * i, 0, 8);
    const unsigned mask = byte_bits == 0 ? 0u : (0xffu << (8 - byte_bits)) & 0xffu;
    network.bytes[i] = static_cast<uint8_t>(network.bytes[i] & mask);
  }
  if (address.is_v4) {
    std::copy(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), network.bytes.begin());
  }
  return network;
}

size_t FormatCidr(const IpAddress& address, int bits, char* out) {
  bits = std::clamp(bits, 0, FamilyBits(address));
  size_t length = FormatIp(Prefix(address, bits), out);
  out[length++] = '/';
  length += WriteDecimal(static_cast<unsigned>(bits), out + length);
  return length;
}

std::optional<IpPrefix> ParseCidr(std::string_view text) {
  const size_t slash = text.find('/');
  const std::optional<IpAddress> address = ParseIp(text.substr(0, slash));
  if (!address) return std::nullopt;
  const int family_bits = FamilyBits(*address);
  int bits = family_bits;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0')) {
      return std::nullopt;
    }
    bits = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      bits = bits * 10 + (c - '0');
    }
    if (bits > family_bits) return std::nullopt;
  }
  return IpPrefix{Prefix(*address, bits), bits};
}

bool Contains(const IpPrefix& prefix, const IpAddress& address) {
  if (prefix.network.is_v4 != address.is_v4) return false;
  return Prefix(address, prefix.bits) == prefix.network;
}

bool LooksLikeHostname(std::string_view text) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > 253) return false;
  size_t label_start = 0;
  bool label_all_digits = true;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.') {
      const size_t label_length = i - label_start;
      if (label_length == 0 || label_length > 63) return false;
      if (text[label_start] == '-' || text[i - 1] == '-') return false;
      if (i == text.size() && label_all_digits) return false;
      label_start = i + 1;
      label_all_digits = true;
      continue;
    }
    const char c = text[i];
    const bool digit = c >= '0' && c <= '9';
    if (!digit && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) return false;
    label_all_digits = label_all_digits && digit;
  }
  return true;
}

}  // namespace vigil::sshd
