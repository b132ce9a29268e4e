#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "vigil/common/status.h"

namespace vigil::actions {

/// Which protocol an address or prefix belongs to; an action script needs it to pick the
/// right firewall table (`ip saddr` vs `ip6 saddr` in nftables).
enum class IpFamily { kIpv4, kIpv6 };

/// What an accepted address text is. The text itself is passed on unchanged: validation only
/// decides whether it may reach an action, it never rewrites it.
struct AddressShape {
  IpFamily family = IpFamily::kIpv4;
  /// Set for CIDR notation (`10.0.0.0/8`, `2001:db8::/64`), absent for a single address.
  std::optional<int> prefix_length;
};

/// The longest text that can be valid: an IPv6 address with an embedded IPv4 tail
/// (`ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`, 45 bytes) plus `/128`.
inline constexpr std::size_t kMaxAddressTextLength = 49;

/// Accepts exactly an IPv4 address in dotted-quad form, an IPv6 address (RFC 4291 text forms:
/// full, `::`-compressed, with an IPv4 tail such as `::ffff:192.0.2.1`), or either followed by
/// `/N` with 0 <= N <= 32 (IPv4) or 128 (IPv6) and no host bits set. Everything else is
/// rejected with a reason: leading zeros in IPv4 parts or prefix lengths (ambiguous: some
/// tools read them as octal), zone ids (`fe80::1%eth0`), surrounding whitespace, brackets,
/// hostnames, and any byte outside `0-9 a-f A-F . : /`, which is what makes an accepted text
/// safe to hand to a program. Why strict: the key of an alert comes from log lines an
/// attacker writes, and this check is what stands between them and a firewall command.
Result<AddressShape> ValidateAddressOrPrefix(std::string_view text);

}  // namespace vigil::actions
