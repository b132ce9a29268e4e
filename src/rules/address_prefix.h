#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/common/status.h"

namespace vigil::rules {

/// An IPv4 or IPv6 address as 16 bytes (IPv4 in the first 4), parsed from text.
struct IpAddress {
  bool is_v6 = false;
  uint8_t bytes[16] = {};
  int bit_length() const { return is_v6 ? 128 : 32; }
};

/// Parses a canonical or non-canonical IPv4/IPv6 address (inet_pton's grammar). An
/// IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) is taken as the IPv4 address, so an attacker
/// switching between the two spellings stays one key.
std::optional<IpAddress> ParseIpAddress(std::string_view text);

/// The aggregation key of a source address for the per-IP rules: the address itself when the
/// prefix covers all of it (IPv4 /32, IPv6 /128), else the prefix in CIDR text with the host
/// bits cleared (`2001:db8:1:2::/64`). Text that is not an address (a host name logged by
/// sshd's UseDNS) is its own key. Appends to `out` (cleared first), which the caller reuses.
void AppendAggregationKey(std::string_view ip, int ipv4_prefix, int ipv6_prefix,
                          std::string& out);

/// A set of addresses and CIDR prefixes (IPv4 and IPv6) whose events never alert.
class Allowlist {
 public:
  /// Parses entries like `192.0.2.7`, `10.0.0.0/8`, `2001:db8::/32`. Errors name the entry.
  static Result<Allowlist> Make(const std::vector<std::string>& entries);
  /// True when `ip` (address text) lies in one of the prefixes. Host names never match.
  bool Contains(std::string_view ip) const;
  bool empty() const { return prefixes_.empty(); }

 private:
  struct Prefix {
    IpAddress network;
    int length = 0;
  };
  std::vector<Prefix> prefixes_;
};

/// Parses one allowlist entry (an address or `address/length`); the error says what is wrong.
Result<std::pair<IpAddress, int>> ParseCidr(std::string_view text);

}  // namespace vigil::rules
