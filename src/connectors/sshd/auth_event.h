#pragma once

#include <cstdint>
#include <string_view>

namespace vigil::sshd {

/// How an authentication attempt ended. Scans have none.
enum class Outcome : uint8_t { kNone, kFailure, kSuccess };
/// An authentication attempt, or a connection that never tried to authenticate (a scanner,
/// a banner grabber, a failed key exchange).
enum class EventKind : uint8_t { kAttempt, kScan };

/// "none", "failure", "success": the events table's `outcome` text.
std::string_view OutcomeName(Outcome outcome);
/// "attempt", "scan": the events table's `kind` text.
std::string_view EventKindName(EventKind kind);

/// One row of the events table (connectors/authlog/auth_events_schema.h): one authentication
/// attempt however many lines sshd wrote for it, or one scanning connection.
///
/// The string views point into the arguments of the AttemptTracker call that produced the
/// event, or into the tracker's own storage; both stay valid until the tracker's next call
/// (and the arguments as long as the caller keeps them).
struct AuthEvent {
  int64_t time_ns = 0;    ///< When sshd logged the line the event comes from (ns, UTC).
  std::string_view host;  ///< The syslog host.
  int64_t pid = -1;       ///< sshd's pid, -1 when not logged.
  /// Canonical address text (IPv4 dotted quad, IPv6 RFC 5952), or the host name when
  /// ip_is_hostname (sshd's UseDNS logged a name in `from`).
  std::string_view ip;
  bool ip_is_hostname = false;
  int64_t port = -1;       ///< Source port, -1 when not logged.
  std::string_view user;   ///< The user name as logged (bytes, never interpreted), "" unknown.
  bool invalid_user = false;  ///< sshd said the user does not exist.
  Outcome outcome = Outcome::kNone;
  /// "password", "publickey", "keyboard-interactive", "hostbased", "none", a GSSAPI method,
  /// another method token as logged, or "" (scans; attempts whose method sshd did not log).
  std::string_view method;
  EventKind kind = EventKind::kAttempt;
  /// This event happened `repeat` times (rsyslog's "message repeated N times: [ X ]").
  uint32_t repeat = 1;
};

}  // namespace vigil::sshd
