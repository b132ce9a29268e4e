#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/sshd/ip_address.h"

namespace vigil::sshd {

/// Why an sshd message could not be read: the field, its value (cut at 256 bytes), what was
/// expected there, and the whole explanation as one sentence.
struct SshdMessageError {
  std::string column;    ///< "ip", "port", "user", "repeat", "method" or "message".
  std::string value;     ///< The offending text as logged (at most 256 bytes, then "...").
  std::string expected;  ///< e.g. "an IPv4 or IPv6 address or a host name".
  std::string message;   ///< e.g. `sshd message: ip "999.1.1.1" is not an IPv4 ...`.
};

/// What one sshd message says, before it is put in the context of its connection.
enum class MessageType : uint8_t {
  kUnknown,    ///< sshd text we do not classify.
  kMalformed,  ///< A known message whose fields do not parse (see SshdMessageError).
  kIgnored,    ///< Known, and never an event by itself: PAM, session and server lines.
  kAuthFailure,       ///< `Failed METHOD for [invalid user ]U from A port P ssh2`, METHOD != none.
  kAuthSuccess,       ///< `Accepted METHOD for U from A port P ssh2[: KEY]`.
  kNoneFailure,       ///< `Failed none for ...`: the client asking which methods exist.
  kInvalidUser,       ///< `Invalid user U from A[ port P]` (and old `Illegal user`).
  kMaxTries,          ///< `error: maximum authentication attempts exceeded for ...`.
  kTooManyFailures,   ///< `Disconnecting[ ... A port P]: Too many authentication failures...`.
  kClose,             ///< The connection ended: closed, reset, disconnected, timed out.
  kScan,              ///< A pre-auth protocol failure naming the peer (ends the connection).
  kScanNoAddress,     ///< A pre-auth protocol failure without the peer (`kex_exchange_...`).
  kConnectionFrom,    ///< `Connection from A port P on B port Q` (LogLevel VERBOSE).
};

/// The fields of one message. Views point into the message text.
struct SshdMessage {
  MessageType type = MessageType::kUnknown;
  std::string_view user;       ///< As logged; meaningful when has_user.
  bool has_user = false;
  bool invalid_user = false;
  std::string_view method;     ///< Attempts: "password", ..., the token as logged, or "".
  std::string_view address;    ///< The peer as logged, "" when the message has none.
  IpAddress ip;                ///< The parsed address when address != "" and !ip_is_hostname.
  bool ip_is_hostname = false; ///< `address` is a host name (sshd's UseDNS), not an address.
  /// `address` is already the canonical text of `ip` (a dotted quad: ParseIp refuses leading
  /// zeros, so one that parses is canonical), so no formatting is needed.
  bool address_is_canonical = false;
  int64_t port = -1;           ///< -1 when not logged.
  bool preauth = false;        ///< Pre-authentication by sshd's own tag or by its nature.
  uint32_t repeat = 1;         ///< N of rsyslog's `message repeated N times: [ X]`.
};

/// Largest N accepted in `message repeated N times`. Each repeat is a row of the events
/// table, so N bounds the work one line can cause; rsyslog flushes its repeat count every few
/// seconds, so real counts stay far below this.
inline constexpr uint32_t kMaxRepeat = 1'000'000;
/// Longest user name accepted. sshd logs at most 100 bytes of it (`%.100s`) and rsyslog
/// writes a control byte as 4 (`#011`), so real lines stay far below; the bound keeps a held
/// probe's memory small whatever the input.
inline constexpr size_t kMaxUserBytes = 512;

/// Reads one sshd message (the text after `sshd[pid]: `). Dispatches on the first bytes, no
/// allocation unless the message is malformed (then `error`, when not null, is filled).
/// Returns out.type. Every rule is listed in this folder's README.md.
MessageType ParseSshdMessage(std::string_view message, SshdMessage& out, SshdMessageError* error);

}  // namespace vigil::sshd
