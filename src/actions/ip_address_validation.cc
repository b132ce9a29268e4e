#include "actions/ip_address_validation.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "connectors/sshd/ip_address.h"

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
  // The address itself is read by the reader's parser (connectors/sshd/ip_address.h), so
  // an address means the same here as in the events; the byte check above and the checks
  // below are what this stricter gate adds (no zone ids, no host bits, no other bytes).
  const std::optional<sshd::IpAddress> parsed = sshd::ParseIp(address);
  AddressShape shape;
  if (address.find(':') != std::string_view::npos) {
    if (!parsed) return Status::Invalid("not an IPv6 address (RFC 4291 text form)");
    shape.family = IpFamily::kIpv6;
    // IPv4-mapped text keeps its 16 bytes (sshd::IpAddress stores IPv4 that way).
    if (prefix_length && !HostBitsAreZero(parsed->bytes, *prefix_length)) {
      return Status::Invalid("an IPv6 prefix has no bits set after its length");
    }
  } else {
    if (!parsed || !parsed->is_v4) {
      return Status::Invalid("not an IPv4 address (four decimal parts 0-255, no leading zeros)");
    }
    shape.family = IpFamily::kIpv4;
    if (prefix_length && *prefix_length > 32) {
      return Status::Invalid("an IPv4 prefix length is at most 32");
    }
    std::array<uint8_t, 4> bytes{};
    std::copy(parsed->bytes.begin() + 12, parsed->bytes.end(), bytes.begin());
    if (prefix_length && !HostBitsAreZero(bytes, *prefix_length)) {
      return Status::Invalid("an IPv4 prefix has no bits set after its length");
    }
  }
  shape.prefix_length = prefix_length;
  return shape;
}

}  // namespace vigil::actions
