#include "rules/address_prefix.h"

#include <charconv>

#include "connectors/sshd/ip_address.h"

namespace vigil::rules {

// Addresses are parsed, masked and printed by the auth-log reader's own functions
// (connectors/sshd/ip_address.h), so an address has one reading everywhere: in the events,
// in the rules' keys, in the allowlist.

void AppendAggregationKey(std::string_view ip, int ipv4_prefix, int ipv6_prefix,
                          std::string& out) {
  out.clear();
  const std::optional<sshd::IpAddress> address = sshd::ParseIp(ip);
  if (!address) {
    out.assign(ip);  // A host name (sshd's UseDNS) is its own key.
    return;
  }
  const int length = address->is_v4 ? ipv4_prefix : ipv6_prefix;
  char text[sshd::kMaxCidrTextLength];
  if (length >= (address->is_v4 ? 32 : 128)) {
    out.append(text, sshd::FormatIp(*address, text));
  } else {
    out.append(text, sshd::FormatCidr(*address, length, text));
  }
}

namespace {

/// The entry as an sshd::IpPrefix. An IPv4-mapped IPv6 spelling takes IPv6 lengths
/// (`::ffff:10.0.0.0/104` is IPv4 10.0.0.0/8): its 96 mapped bits go away.
Result<sshd::IpPrefix> ParseEntry(std::string_view text) {
  const size_t slash = text.find('/');
  const std::string_view address_text = text.substr(0, slash);
  const std::optional<sshd::IpAddress> address = sshd::ParseIp(address_text);
  if (!address) return Status::Invalid("'{}' is not an IPv4 or IPv6 address", address_text);
  const bool mapped = address->is_v4 && address_text.find(':') != std::string_view::npos;
  const int max_length = mapped ? 128 : address->is_v4 ? 32 : 128;
  int length = address->is_v4 ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::string_view length_text = text.substr(slash + 1);
    const char* end = length_text.data() + length_text.size();
    const auto [ptr, ec] = std::from_chars(length_text.data(), end, length);
    if (length_text.empty() || ec != std::errc() || ptr != end || length < 0 ||
        length > max_length) {
      return Status::Invalid("prefix length '{}' is not a number from 0 to {}", length_text,
                             max_length);
    }
    if (mapped) {
      if (length < 96) {
        return Status::Invalid("prefix length {} of an IPv4-mapped address is below 96", length);
      }
      length -= 96;
    }
  }
  return sshd::IpPrefix{sshd::Prefix(*address, length), length};
}

}  // namespace

Status CheckCidr(std::string_view text) { return ParseEntry(text).status(); }

Result<Allowlist> Allowlist::Make(const std::vector<std::string>& entries) {
  Allowlist list;
  for (const std::string& entry : entries) {
    auto prefix = ParseEntry(entry);
    if (!prefix.ok()) {
      return Status::Invalid("allowlist entry \"{}\": {}", entry, prefix.status().message());
    }
    list.prefixes_.push_back(*prefix);
  }
  return list;
}

bool Allowlist::Contains(std::string_view ip) const {
  if (prefixes_.empty()) return false;
  const std::optional<sshd::IpAddress> address = sshd::ParseIp(ip);
  if (!address) return false;  // Host names never match.
  for (const sshd::IpPrefix& prefix : prefixes_) {
    if (sshd::Contains(prefix, *address)) return true;
  }
  return false;
}

}  // namespace vigil::rules
