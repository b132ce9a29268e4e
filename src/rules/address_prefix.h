#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/sshd/ip_address.h"
#include "vigil/common/status.h"

namespace vigil::rules {

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
  std::vector<sshd::IpPrefix> prefixes_;
};

/// Checks one allowlist entry (an address or `address/length`; host bits set are cleared);
/// the error says what is wrong.
Status CheckCidr(std::string_view text);

}  // namespace vigil::rules
