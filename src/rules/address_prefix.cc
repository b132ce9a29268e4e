#include "rules/address_prefix.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace vigil::rules {

namespace {

/// inet_pton needs a NUL-terminated string: copy into a stack buffer (no heap). Longer text
/// is no address (the longest IPv6 spelling with an embedded IPv4 is 45 characters).
constexpr size_t kMaxAddressText = 64;

/// Clears every bit of `address` after the first `length` bits.
void ClearHostBits(IpAddress& address, int length) {
  const int bytes = address.is_v6 ? 16 : 4;
  for (int i = 0; i < bytes; ++i) {
    const int first_bit = i * 8;
    if (first_bit >= length) {
      address.bytes[i] = 0;
    } else if (first_bit + 8 > length) {
      address.bytes[i] &= static_cast<uint8_t>(0xFF << (8 - (length - first_bit)));
    }
  }
}

void AppendAddressText(const IpAddress& address, std::string& out) {
  char text[INET6_ADDRSTRLEN];
  const char* written = inet_ntop(address.is_v6 ? AF_INET6 : AF_INET, address.bytes, text,
                                  sizeof(text));
  if (written != nullptr) out += written;
}

}  // namespace

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  if (text.empty() || text.size() >= kMaxAddressText) return std::nullopt;
  char buffer[kMaxAddressText];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  IpAddress address;
  if (inet_pton(AF_INET, buffer, address.bytes) == 1) return address;
  if (inet_pton(AF_INET6, buffer, address.bytes) != 1) return std::nullopt;
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::memcmp(address.bytes, kMappedPrefix, 12) == 0) {
    IpAddress v4;
    std::memcpy(v4.bytes, address.bytes + 12, 4);
    return v4;
  }
  address.is_v6 = true;
  return address;
}

void AppendAggregationKey(std::string_view ip, int ipv4_prefix, int ipv6_prefix,
                          std::string& out) {
  out.clear();
  std::optional<IpAddress> address = ParseIpAddress(ip);
  if (!address) {
    out.assign(ip);
    return;
  }
  const int length = address->is_v6 ? ipv6_prefix : ipv4_prefix;
  if (length >= address->bit_length()) {
    AppendAddressText(*address, out);
    return;
  }
  ClearHostBits(*address, length);
  AppendAddressText(*address, out);
  out.push_back('/');
  out += std::to_string(length);
}

Result<std::pair<IpAddress, int>> ParseCidr(std::string_view text) {
  const size_t slash = text.find('/');
  const std::string_view address_text = text.substr(0, slash);
  std::optional<IpAddress> address = ParseIpAddress(address_text);
  if (!address) {
    return Status::Invalid("'{}' is not an IPv4 or IPv6 address", address_text);
  }
  // An IPv4-mapped IPv6 spelling takes IPv6 prefix lengths (0..128).
  const bool mapped = !address->is_v6 && address_text.find(':') != std::string_view::npos;
  const int max_length = mapped ? 128 : address->bit_length();
  int length = address->bit_length();
  if (slash != std::string_view::npos) {
    const std::string_view length_text = text.substr(slash + 1);
    const char* end = length_text.data() + length_text.size();
    auto [ptr, ec] = std::from_chars(length_text.data(), end, length);
    if (length_text.empty() || ec != std::errc() || ptr != end || length < 0 ||
        length > max_length) {
      return Status::Invalid("prefix length '{}' is not a number from 0 to {}", length_text,
                             max_length);
    }
    // `::ffff:10.0.0.0/104` names IPv4 10.0.0.0/8: the mapped prefix's 96 bits go away.
    if (mapped) {
      if (length < 96) {
        return Status::Invalid("prefix length {} of an IPv4-mapped address is below 96",
                               length);
      }
      length -= 96;
    }
  }
  ClearHostBits(*address, length);
  return std::make_pair(*address, length);
}

Result<Allowlist> Allowlist::Make(const std::vector<std::string>& entries) {
  Allowlist list;
  for (const std::string& entry : entries) {
    auto parsed = ParseCidr(entry);
    if (!parsed.ok()) {
      return Status::Invalid("allowlist entry \"{}\": {}", entry, parsed.status().message());
    }
    list.prefixes_.push_back({parsed->first, parsed->second});
  }
  return list;
}

bool Allowlist::Contains(std::string_view ip) const {
  if (prefixes_.empty()) return false;
  std::optional<IpAddress> address = ParseIpAddress(ip);
  if (!address) return false;
  for (const Prefix& prefix : prefixes_) {
    if (prefix.network.is_v6 != address->is_v6) continue;
    IpAddress masked = *address;
    ClearHostBits(masked, prefix.length);
    if (std::memcmp(masked.bytes, prefix.network.bytes, 16) == 0) return true;
  }
  return false;
}

}  // namespace vigil::rules
