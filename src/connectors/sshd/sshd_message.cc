#include "connectors/sshd/sshd_message.h"

#include <fmt/format.h>

#include <cstring>

namespace vigil::sshd {
namespace {

using std::string_view;

constexpr string_view kExpectedAddress = "an IPv4 or IPv6 address or a host name";
constexpr string_view kExpectedPort = "a port number 0..65535";
constexpr size_t kMaxErrorValueBytes = 256;

// Prefix tests against literals: memcmp with a constant length compiled to a few word
// compares (string_view::starts_with goes through an ordering compare and a libc call).
template <size_t N>
bool StartsWith(string_view text, const char (&prefix)[N]) {
  return text.size() >= N - 1 && std::memcmp(text.data(), prefix, N - 1) == 0;
}

template <size_t N>
bool EndsWith(string_view text, const char (&suffix)[N]) {
  return text.size() >= N - 1 && std::memcmp(text.data() + text.size() - (N - 1), suffix, N - 1) == 0;
}

template <size_t N>
bool Consume(string_view& text, const char (&prefix)[N]) {
  if (!StartsWith(text, prefix)) return false;
  text.remove_prefix(N - 1);
  return true;
}

bool Consume(string_view& text, string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

template <size_t N>
bool ConsumeSuffix(string_view& text, const char (&suffix)[N]) {
  if (!EndsWith(text, suffix)) return false;
  text.remove_suffix(N - 1);
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

size_t ScanDigits(string_view text, size_t pos) {
  while (pos < text.size() && IsDigit(text[pos])) ++pos;
  return pos;
}

MessageType Fail(SshdMessageError* error, string_view column, string_view value,
                 string_view expected) {
  if (error != nullptr) {
    error->column.assign(column);
    if (value.size() > kMaxErrorValueBytes) {
      error->value.assign(value.substr(0, kMaxErrorValueBytes));
      error->value += "...";
    } else {
      error->value.assign(value);
    }
    error->expected.assign(expected);
    error->message = fmt::format("{} \"{}\" is not {}", error->column,
                                 error->value, error->expected);
  }
  return MessageType::kMalformed;
}

/// The peer of a message, as found in its text (not yet validated).
struct PeerText {
  string_view before;   ///< The text before ` from ` (FindLastFrom).
  string_view address;  ///< The address token.
  string_view port;     ///< The port digits, "" when not logged.
};

/// `ADDRESS`, then the end, ` port DIGITS` followed by the end, a space or a colon, or (old
/// sshd) ` ssh2`. Structure only: the address is checked later.
bool MatchPeer(string_view rest, PeerText& peer) {
  const size_t space = rest.find(' ');
  const string_view token = rest.substr(0, space);
  if (token.empty()) return false;
  peer.address = token;
  peer.port = {};
  if (space == string_view::npos) return true;
  const string_view tail = rest.substr(space);
  if (StartsWith(tail, " port ")) {
    const size_t end = ScanDigits(tail, 6);
    if (end > 6 && (end == tail.size() || tail[end] == ' ' || tail[end] == ':')) {
      peer.port = tail.substr(6, end - 6);
      return true;
    }
    return false;
  }
  return StartsWith(tail, " ssh");
}

/// The last ` from ` followed by a peer (MatchPeer): sshd writes the peer last, so a user name
/// holding ` from ` cannot move it.
bool FindLastFrom(string_view text, PeerText& peer) {
  size_t search = string_view::npos;
  while (true) {
    const size_t pos = text.rfind(" from ", search);
    if (pos == string_view::npos) return false;
    if (MatchPeer(text.substr(pos + 6), peer)) {
      peer.before = text.substr(0, pos);
      return true;
    }
    if (pos == 0) return false;
    search = pos - 1;
  }
}

bool ReadAddress(string_view token, SshdMessage& out, SshdMessageError* error) {
  out.address = token;
  if (const std::optional<IpAddress> ip = ParseIp(token)) {
    out.ip = *ip;
    out.ip_is_hostname = false;
    out.address_is_canonical = ip->is_v4 && token.find(':') == string_view::npos;
    return true;
  }
  if (LooksLikeHostname(token)) {
    out.ip_is_hostname = true;
    return true;
  }
  Fail(error, "ip", token, kExpectedAddress);
  return false;
}

/// Digits already checked to be digits (possibly empty: no port logged).
bool ReadPort(string_view digits, SshdMessage& out, SshdMessageError* error) {
  if (digits.empty()) {
    out.port = -1;
    return true;
  }
  if (digits.size() > 5) {
    Fail(error, "port", digits, kExpectedPort);
    return false;
  }
  int64_t value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  if (value > 65535) {
    Fail(error, "port", digits, kExpectedPort);
    return false;
  }
  out.port = value;
  return true;
}

bool ReadPeer(const PeerText& peer, SshdMessage& out, SshdMessageError* error) {
  return ReadAddress(peer.address, out, error) && ReadPort(peer.port, out, error);
}

bool ReadUser(string_view user, SshdMessage& out, SshdMessageError* error) {
  if (user.size() > kMaxUserBytes) {
    Fail(error, "user", user, "a user name of at most 512 bytes");
    return false;
  }
  out.user = user;
  out.has_user = true;
  return true;
}

/// `invalid user U` / `U`: the user part of Failed, Accepted and max-tries lines.
bool ReadUserPart(string_view part, SshdMessage& out, SshdMessageError* error) {
  out.invalid_user = Consume(part, "invalid user ");
  return ReadUser(part, out, error);
}

/// `[invalid user U |authenticating user U |user U ]ADDRESS[ port DIGITS]`, read from the
/// end (the user may hold spaces). `port` may be given already split off.
MessageType ReadUserPeer(string_view text, string_view port, MessageType type, SshdMessage& out,
                         SshdMessageError* error) {
  if (port.empty()) {
    const size_t pos = text.rfind(" port ");
    if (pos != string_view::npos && pos + 6 < text.size() &&
        ScanDigits(text, pos + 6) == text.size()) {
      port = text.substr(pos + 6);
      text = text.substr(0, pos);
    }
  }
  const size_t space = text.rfind(' ');
  const string_view address = space == string_view::npos ? text : text.substr(space + 1);
  if (address.empty()) return MessageType::kUnknown;
  if (space != string_view::npos) {
    string_view prefix = text.substr(0, space);
    if (Consume(prefix, "invalid user ")) {
      out.invalid_user = true;
    } else if (!Consume(prefix, "authenticating user ") && !Consume(prefix, "user ")) {
      return MessageType::kUnknown;
    }
    if (!ReadUser(prefix, out, error)) return MessageType::kMalformed;
  }
  if (!ReadAddress(address, out, error) || !ReadPort(port, out, error)) {
    return MessageType::kMalformed;
  }
  out.type = type;
  return type;
}

/// `ADDRESS port DIGITS:...` or (older sshd) `ADDRESS: ...`, read forwards (the text after
/// the peer may come from the client).
MessageType ReadForwardPeer(string_view text, MessageType type, SshdMessage& out,
                            SshdMessageError* error) {
  const size_t space = text.find(' ');
  string_view token = text.substr(0, space);
  string_view port;
  if (space != string_view::npos && StartsWith(text.substr(space), " port ")) {
    const size_t end = ScanDigits(text, space + 6);
    if (end == space + 6 || (end < text.size() && text[end] != ':' && text[end] != ' ')) {
      return MessageType::kUnknown;
    }
    port = text.substr(space + 6, end - space - 6);
  } else if (!ConsumeSuffix(token, ":") && space != string_view::npos) {
    return MessageType::kUnknown;
  }
  if (token.empty()) return MessageType::kUnknown;
  if (!ReadAddress(token, out, error) || !ReadPort(port, out, error)) {
    return MessageType::kMalformed;
  }
  out.type = type;
  return type;
}

/// `ADDRESS[ port DIGITS]` after a fixed prefix.
MessageType ReadPeerAfter(string_view rest, MessageType type, SshdMessage& out,
                          SshdMessageError* error) {
  PeerText peer;
  if (!MatchPeer(rest, peer)) return MessageType::kUnknown;
  if (!ReadPeer(peer, out, error)) return MessageType::kMalformed;
  out.type = type;
  return type;
}

/// The method names sshd logs, as the events table spells them (a submethod such as
/// `keyboard-interactive/pam` is dropped).
string_view NormalizeMethod(string_view token) {
  const size_t slash = token.find('/');
  const string_view base = token.substr(0, slash);
  static constexpr string_view kKnown[] = {"password",        "publickey", "keyboard-interactive",
                                           "hostbased",       "none",      "gssapi-with-mic",
                                           "gssapi-keyex",    "gssapi"};
  for (string_view known : kKnown) {
    if (base == known) return known;
  }
  return base;
}

bool IsMethodChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '-' || c == '/' ||
         c == '@' || c == '.' || c == '_';
}

/// `Failed|Accepted METHOD for [invalid user ]U from ADDRESS port P ssh2[: INFO]` (auth.c's
/// auth_log). `rest` starts at METHOD.
MessageType ReadAuthResult(string_view rest, bool accepted, SshdMessage& out,
                           SshdMessageError* error) {
  const size_t space = rest.find(' ');
  if (space == string_view::npos || space == 0) return MessageType::kUnknown;
  const string_view token = rest.substr(0, space);
  string_view after = rest.substr(space);
  if (!Consume(after, " for ")) {
    // `Accepted key RSA SHA256:... found at ...` (VERBOSE) and other texts sharing the word.
    return accepted ? MessageType::kIgnored : MessageType::kUnknown;
  }
  for (char c : token) {
    if (!IsMethodChar(c)) {
      return Fail(error, "method", token, "an authentication method name");
    }
  }
  PeerText peer;
  if (!FindLastFrom(after, peer)) {
    return Fail(error, "message", after, "`USER from ADDRESS port PORT ssh2` after the method");
  }
  if (!ReadUserPart(peer.before, out, error) || !ReadPeer(peer, out, error)) {
    return MessageType::kMalformed;
  }
  out.method = NormalizeMethod(token);
  out.preauth = !accepted;
  if (accepted) {
    out.type = MessageType::kAuthSuccess;
  } else {
    out.type = out.method == "none" ? MessageType::kNoneFailure : MessageType::kAuthFailure;
  }
  return out.type;
}

MessageType ReadInvalidUser(string_view rest, SshdMessage& out, SshdMessageError* error) {
  PeerText peer;
  if (!FindLastFrom(rest, peer)) {
    return Fail(error, "message", rest, "`USER from ADDRESS[ port PORT]` after `Invalid user`");
  }
  if (!ReadUser(peer.before, out, error) || !ReadPeer(peer, out, error)) {
    return MessageType::kMalformed;
  }
  out.invalid_user = true;
  out.preauth = true;
  out.type = MessageType::kInvalidUser;
  return out.type;
}

MessageType ReadMaxTries(string_view rest, SshdMessage& out, SshdMessageError* error) {
  PeerText peer;
  if (!FindLastFrom(rest, peer)) {
    return Fail(error, "message", rest, "`[invalid user ]USER from ADDRESS port PORT ssh2`");
  }
  if (!ReadUserPart(peer.before, out, error) || !ReadPeer(peer, out, error)) {
    return MessageType::kMalformed;
  }
  out.preauth = true;
  out.type = MessageType::kMaxTries;
  return out.type;
}

/// The last ` port DIGITS:` in `text`: splits `[user part ]ADDRESS` from what follows.
bool SplitAtPortColon(string_view text, string_view& left, string_view& port,
                      string_view& right) {
  size_t search = string_view::npos;
  while (true) {
    const size_t pos = text.rfind(" port ", search);
    if (pos == string_view::npos) return false;
    const size_t end = ScanDigits(text, pos + 6);
    if (end > pos + 6 && end < text.size() && text[end] == ':') {
      left = text.substr(0, pos);
      port = text.substr(pos + 6, end - pos - 6);
      right = text.substr(end + 1);
      return true;
    }
    if (pos == 0) return false;
    search = pos - 1;
  }
}

/// `Disconnecting: REASON` or `Disconnecting [invalid |authenticating ]user U ADDRESS port P:
/// REASON` (sshd 8+). Too many authentication failures is its own type; others end the
/// connection.
MessageType ReadDisconnecting(string_view rest, SshdMessage& out, SshdMessageError* error) {
  constexpr string_view kTooMany = "Too many authentication failures";
  out.preauth = true;
  if (Consume(rest, ": ")) {
    if (Consume(rest, kTooMany)) {
      string_view user = rest;
      if (Consume(user, " for ")) {
        ConsumeSuffix(user, " [preauth]");
        out.invalid_user = Consume(user, "invalid user ");
        if (!ReadUser(user, out, error)) return MessageType::kMalformed;
      }
      out.type = MessageType::kTooManyFailures;
    } else {
      out.type = MessageType::kClose;
    }
    return out.type;
  }
  if (!Consume(rest, " ")) return MessageType::kUnknown;
  string_view left, port, reason;
  if (!SplitAtPortColon(rest, left, port, reason)) return MessageType::kUnknown;
  const bool too_many = StartsWith(reason, " ") && reason.substr(1).starts_with(kTooMany);
  return ReadUserPeer(left, port, too_many ? MessageType::kTooManyFailures : MessageType::kClose,
                      out, error);
}

/// A message that ends the connection, `[user part ]ADDRESS[ port P][ [preauth]]`.
MessageType ReadClose(string_view rest, SshdMessage& out, SshdMessageError* error) {
  out.preauth = ConsumeSuffix(rest, " [preauth]");
  return ReadUserPeer(rest, {}, MessageType::kClose, out, error);
}

/// The connection broke (`Write failed: Connection reset by peer [preauth]`); the peer is
/// known only from the connection's earlier lines.
MessageType CloseWithoutPeer(string_view rest, SshdMessage& out) {
  out.preauth = EndsWith(rest, " [preauth]");
  out.type = MessageType::kClose;
  return out.type;
}

MessageType ParseOne(string_view message, SshdMessage& out, SshdMessageError* error, int depth);

MessageType ReadRepeated(string_view rest, SshdMessage& out, SshdMessageError* error,
                         int depth) {
  constexpr string_view kExpectedCount = "a repeat count 1..1000000";
  const size_t space = rest.find(' ');
  const string_view digits = rest.substr(0, space);
  string_view inner = space == string_view::npos ? string_view() : rest.substr(space);
  if (digits.empty() || digits.size() > 10 || ScanDigits(digits, 0) != digits.size()) {
    return Fail(error, "repeat", digits, kExpectedCount);
  }
  uint64_t count = 0;
  for (char c : digits) count = count * 10 + static_cast<uint64_t>(c - '0');
  if (count == 0 || count > kMaxRepeat) return Fail(error, "repeat", digits, kExpectedCount);
  if (!Consume(inner, " times: [ ")) {
    return Fail(error, "message", rest, "`message repeated N times: [ MESSAGE]`");
  }
  // rsyslog closes with `]`; a line cut at rsyslog's size limit has lost it.
  ConsumeSuffix(inner, "]");
  if (depth > 0) return MessageType::kUnknown;  // rsyslog never nests them
  const MessageType type = ParseOne(inner, out, error, depth + 1);
  out.repeat = static_cast<uint32_t>(count);
  return type;
}

MessageType ParseOne(string_view message, SshdMessage& out, SshdMessageError* error,
                     int depth) {
  // sshd's log levels prefix some messages (`error: `, `fatal: `): the text after them is what
  // says what happened.
  if (!Consume(message, "error: ")) Consume(message, "fatal: ");
  if (message.empty()) return MessageType::kUnknown;
  string_view rest = message;
  switch (message[0]) {
    case 'A':
      if (Consume(rest, "Accepted ")) return ReadAuthResult(rest, true, out, error);
      if (StartsWith(message, "Address ")) return MessageType::kIgnored;  // DNS mismatch
      break;
    case 'B':
      if (Consume(rest, "Bad protocol version identification ")) {
        PeerText peer;
        if (!FindLastFrom(rest, peer)) return MessageType::kUnknown;
        if (!ReadPeer(peer, out, error)) return MessageType::kMalformed;
        out.preauth = true;
        out.type = MessageType::kScan;
        return out.type;
      }
      break;
    case 'b':
      if (Consume(rest, "banner exchange: Connection from ")) {
        out.preauth = true;
        return ReadForwardPeer(rest, MessageType::kScan, out, error);
      }
      break;
    case 'C':
      if (Consume(rest, "Connection closed by ")) return ReadClose(rest, out, error);
      if (Consume(rest, "Connection reset by ")) return ReadClose(rest, out, error);
      if (Consume(rest, "Connection from ")) {
        return ReadPeerAfter(rest, MessageType::kConnectionFrom, out, error);
      }
      if (StartsWith(message, "Close session: ")) return MessageType::kIgnored;
      break;
    case 'D':
      if (Consume(rest, "Did not receive identification string from ")) {
        out.preauth = true;
        return ReadPeerAfter(rest, MessageType::kScan, out, error);
      }
      if (Consume(rest, "Disconnected from ")) return ReadClose(rest, out, error);
      if (Consume(rest, "Disconnecting")) return ReadDisconnecting(rest, out, error);
      break;
    case 'F':
      if (Consume(rest, "Failed ")) return ReadAuthResult(rest, false, out, error);
      break;
    case 'I':
      if (Consume(rest, "Invalid user ") || Consume(rest, "Illegal user ")) {
        return ReadInvalidUser(rest, out, error);
      }
      break;
    case 'i':
      if (StartsWith(message, "input_userauth_request: ")) return MessageType::kIgnored;
      break;
    case 'k':
      if (StartsWith(message, "kex_exchange_identification: ")) {
        out.preauth = true;
        out.type = MessageType::kScanNoAddress;
        return out.type;
      }
      break;
    case 'm':
      if (Consume(rest, "message repeated ")) return ReadRepeated(rest, out, error, depth);
      if (Consume(rest, "maximum authentication attempts exceeded for ")) {
        return ReadMaxTries(rest, out, error);
      }
      break;
    case 'P':
      if (StartsWith(message, "PAM ") || StartsWith(message, "PAM: ") ||
          StartsWith(message, "Partial ") ||
          StartsWith(message, "Postponed ")) {
        return MessageType::kIgnored;
      }
      if (Consume(rest, "Protocol major versions differ")) {
        out.preauth = true;
        if (Consume(rest, " for ")) return ReadForwardPeer(rest, MessageType::kScan, out, error);
        out.type = MessageType::kScanNoAddress;
        return out.type;
      }
      break;
    case 'p':
      if (StartsWith(message, "pam_")) return MessageType::kIgnored;
      break;
    case 'R':
      if (Consume(rest, "Received disconnect from ")) {
        out.preauth = EndsWith(rest, " [preauth]");
        return ReadForwardPeer(rest, MessageType::kClose, out, error);
      }
      if (Consume(rest, "Read error from remote host ")) {
        out.preauth = EndsWith(rest, " [preauth]");
        return ReadForwardPeer(rest, MessageType::kClose, out, error);
      }
      if (StartsWith(message, "Read from socket failed: ")) return CloseWithoutPeer(rest, out);
      if (StartsWith(message, "Received signal ")) return MessageType::kIgnored;
      break;
    case 'r':
      if (StartsWith(message, "reverse mapping checking ")) return MessageType::kIgnored;
      break;
    case 'S':
      if (StartsWith(message, "Server listening on ") ||
          StartsWith(message, "Starting session: ")) {
        return MessageType::kIgnored;
      }
      break;
    case 's':
      if (Consume(rest, "ssh_dispatch_run_fatal: Connection from ")) {
        out.preauth = ConsumeSuffix(rest, " [preauth]");
        string_view left, port, reason;
        if (!SplitAtPortColon(rest, left, port, reason)) return MessageType::kUnknown;
        return ReadUserPeer(left, port, MessageType::kClose, out, error);
      }
      break;
    case 'T':
      if (Consume(rest, "Timeout before authentication for ")) {
        out.preauth = true;
        return ReadPeerAfter(rest, MessageType::kClose, out, error);
      }
      if (StartsWith(message, "Transferred: ")) return MessageType::kIgnored;
      break;
    case 'U':
      if (Consume(rest, "Unable to negotiate with ")) {
        out.preauth = true;
        return ReadForwardPeer(rest, MessageType::kScan, out, error);
      }
      if (StartsWith(message, "User child is on pid ")) return MessageType::kIgnored;
      break;
    case 'W':
      if (StartsWith(message, "Write failed: ")) return CloseWithoutPeer(rest, out);
      break;
    default:
      break;
  }
  return MessageType::kUnknown;
}

}  // namespace

MessageType ParseSshdMessage(std::string_view message, SshdMessage& out,
                             SshdMessageError* error) {
  out = SshdMessage();
  const MessageType type = ParseOne(message, out, error, 0);
  out.type = type;
  return type;
}

}  // namespace vigil::sshd
