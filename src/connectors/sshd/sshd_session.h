#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::sshd {

/// What the tracker remembers of one sshd connection (one sshd process: host + pid) between
/// its lines. Strings keep their capacity when the slot is reused, so a steady stream of
/// connections allocates nothing.
struct SshdSession {
  uint64_t host_hash = 0;
  int64_t pid = -1;
  std::string host;
  std::string ip;  ///< Canonical address or host name; "" until a line names the peer.
  bool ip_is_hostname = false;
  int64_t port = -1;
  int64_t last_time_ns = 0;  ///< Log time of its latest line (idle timeout).

  /// A username probe waiting for the connection's end: `Invalid user` or a first
  /// `Failed none`, and no attempt logged since.
  bool probe_pending = false;
  int64_t probe_time_ns = 0;
  std::string user;  ///< The probe's user (at most kMaxUserBytes).
  bool invalid_user = false;

  bool has_user = false;      ///< Some line named the user tried.
  bool attempt_seen = false;  ///< An attempt was counted (Failed, Accepted, max tries...).
  bool none_seen = false;     ///< A `Failed none` was logged (sshd's free first try).
  bool scan_emitted = false;  ///< The connection's scan event was given.
  /// The connection ended; the session stays as a tombstone, so the further end lines sshd
  /// writes for it (`Received disconnect` then `Disconnected from`) count nothing.
  bool closed = false;

  /// Starts the session of a new connection (keeps the strings' capacity).
  void Reset(std::string_view new_host, uint64_t new_host_hash, int64_t new_pid) {
    host_hash = new_host_hash;
    pid = new_pid;
    host.assign(new_host);
    ip.clear();
    ip_is_hostname = false;
    port = -1;
    probe_pending = false;
    probe_time_ns = 0;
    user.clear();
    invalid_user = false;
    has_user = false;
    attempt_seen = false;
    none_seen = false;
    scan_emitted = false;
    closed = false;
  }
};

}  // namespace vigil::sshd
