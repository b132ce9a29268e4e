#pragma once

#include <cstddef>

#include "vigil/types/schema.h"

namespace vigil {

/// The events table of an auth log: one row per authentication attempt (or scan), however
/// many lines sshd wrote for it. Every detection rule reads this table. Column indices are
/// fixed (the source writes rows by index).
namespace auth_events {
inline constexpr size_t kTime = 0;          ///< DateTimeUtc: when sshd logged it (ns, UTC).
inline constexpr size_t kHost = 1;          ///< str: the syslog host (the attacked server).
inline constexpr size_t kPid = 2;           ///< int: sshd's pid, -1 when not logged.
inline constexpr size_t kIp = 3;            ///< str: canonical address, or the host name.
inline constexpr size_t kIpIsHostname = 4;  ///< bool: `from` was a name (sshd's UseDNS).
inline constexpr size_t kPort = 5;          ///< int: source port, -1 when not logged.
inline constexpr size_t kUser = 6;          ///< str: the user name tried, "" when none.
inline constexpr size_t kInvalidUser = 7;   ///< bool: sshd said the user does not exist.
inline constexpr size_t kOutcome = 8;       ///< str: "failure", "success" or "none".
inline constexpr size_t kMethod = 9;        ///< str: "password", "publickey", ..., "".
inline constexpr size_t kKind = 10;         ///< str: "attempt" or "scan".
inline constexpr size_t kColumnCount = 11;
}  // namespace auth_events

/// time, host, pid, ip, ip_is_hostname, port, user, invalid_user, outcome, method, kind.
inline Schema AuthEventsSchema() {
  return Schema{{"time", dtype::DateTimeUtc}, {"host", dtype::Str},
                {"pid", dtype::Int},          {"ip", dtype::Str},
                {"ip_is_hostname", dtype::Bool}, {"port", dtype::Int},
                {"user", dtype::Str},         {"invalid_user", dtype::Bool},
                {"outcome", dtype::Str},      {"method", dtype::Str},
                {"kind", dtype::Str}};
}

}  // namespace vigil
