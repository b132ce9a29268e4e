// libFuzzer target: the sshd layer (connectors/sshd/) on arbitrary bytes: ParseSshdMessage,
// the address helpers, and the AttemptTracker. sshd's messages carry attacker-chosen text
// (user names, the client's banner) between the parts sshd writes itself.
//
// Input layout: byte 0 picks the tracker's options (bits 0-1: max_sessions 1, 2, 3 or the
// default; bits 2-3: the idle timeout), the log time of the first line (bits 4-6, kBaseTimes)
// and the hosts (bit 7: `web1`/`web2`, or an empty host and one over 255 bytes); the rest is
// the log, split on `\n`. A line's first byte says who logged it (bits 0-1: pid 100, 101, 102
// or -1; bit 2: the host; bits 3-5: how far log time moves, kTimeSteps, backwards too and
// wrapping around int64; bits 6-7: the program, sshd, sshd-session or cron); the rest of the
// line is the message. An empty line is AdvanceTo(now).
//
// Checked:
// - ParseSshdMessage, on every message and on the whole log as one message (journal messages
//   may hold newlines): the type's fields are there (an address for the types that name a
//   peer, a user for attempts, `none` exactly for kNoneFailure) and lie in the message (the
//   method may be a static canonical name); the address parses (ParseIp == ip) or is a host
//   name; a canonical address is FormatIp's text; a user comes before the address (a user
//   name cannot move the peer); port, user length and repeat within their bounds; a
//   kMalformed error names a known column and quotes the message; the same result without
//   an error pointer; `error: `/`fatal: ` before a message and rsyslog's `message repeated N
//   times: [ ... ]` around it (closed or cut) change only the repeat; N out of 1..1000000 is
//   kMalformed.
// - The address helpers on every space-separated token: ParseIp accepts what glibc's
//   inet_pton accepts, as the same address (a zone id is dropped); FormatIp is what inet_ntop
//   writes (IPv4 as a dotted quad, except glibc's ::a.b.c.d) and parses back to the address;
//   ParseCidr is a bare address or `address/bits` with host bits cleared (a bit-by-bit model),
//   FormatCidr parses back to it; Contains agrees with a bit-by-bit model on every pair of
//   tokens; Prefix clamps bits; LooksLikeHostname follows RFC 1123 and never holds for an
//   address.
// - The AttemptTracker, fed every line (the message in an exact-size buffer freed after the
//   call, so events that kept a view into an earlier line are ASan reports): kNotSshd,
//   kUnknown and kMalformed exactly as the program and ParseSshdMessage say (and a host over
//   255 bytes), with no events and no session change; kEvents exactly when events were given;
//   every event has an ip that is the canonical text of a valid address, or a host name when
//   flagged ip_is_hostname; its host and pid are a line's, its time one of that (host, pid)'s
//   lines; scans have no user, method or outcome; a Failed/Accepted line gives its own attempt
//   last, with its fields; success and repeats only from the line's own event; held probes
//   (AdvanceTo, Finish) are failures with method `none`; at most max_sessions sessions, none
//   after Finish; a second tracker given no error pointer, whose events vector is never
//   cleared, gives the same events.

#include <arpa/inet.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connectors/sshd/attempt_tracker.h"
#include "connectors/sshd/auth_event.h"
#include "connectors/sshd/ip_address.h"
#include "connectors/sshd/sshd_message.h"
#include "vigil/common/check.h"

namespace vigil::sshd {
namespace {

using std::string_view;

constexpr int64_t kSecond = 1'000'000'000;
constexpr size_t kMaxSessions[4] = {1, 2, 3, 65536};
constexpr int64_t kIdleTimeouts[4] = {600 * kSecond, 10 * kSecond, 0, -1};
constexpr int64_t kBaseTimes[8] = {1774826313 * kSecond,
                                   0,
                                   -kSecond,
                                   std::numeric_limits<int64_t>::max() - 3600 * kSecond,
                                   std::numeric_limits<int64_t>::min(),
                                   std::numeric_limits<int64_t>::min() + 10 * kSecond,
                                   1,
                                   std::numeric_limits<int64_t>::max()};
constexpr int64_t kTimeSteps[8] = {0,           kSecond,           2 * kSecond,  30 * kSecond,
                                   200 * kSecond, 700 * kSecond, -5 * kSecond, 86400 * kSecond};
constexpr int64_t kPids[4] = {100, 101, 102, -1};
constexpr string_view kPrograms[4] = {"sshd", "sshd", "sshd-session", "cron"};
/// The method names ParseSshdMessage may give as static text rather than a view.
constexpr string_view kMethodNames[] = {"password",        "publickey",    "keyboard-interactive",
                                        "hostbased",       "none",         "gssapi-with-mic",
                                        "gssapi-keyex",    "gssapi"};

bool Within(string_view part, string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

bool IsStaticMethodName(string_view method) {
  return std::find(std::begin(kMethodNames), std::end(kMethodNames), method) !=
         std::end(kMethodNames);
}

std::string Format(const IpAddress& address) {
  char text[kMaxIpTextLength];
  const size_t length = FormatIp(address, text);
  VIGIL_CHECK_LE(length, kMaxIpTextLength);
  return std::string(text, length);
}

/// A canonical address text: it parses, and formats back to itself.
bool IsCanonicalAddress(string_view text) {
  const std::optional<IpAddress> address = ParseIp(text);
  return address.has_value() && Format(*address) == text;
}

// ---- Messages ----

/// A parsed message with its strings owned, to compare parses of different texts.
struct OwnedMessage {
  MessageType type;
  std::string user, method, address;
  bool has_user, invalid_user, ip_is_hostname, address_is_canonical, preauth;
  IpAddress ip;
  int64_t port;
  uint32_t repeat;
  std::string error_column, error_value, error_expected;

  friend bool operator==(const OwnedMessage&, const OwnedMessage&) = default;
};

OwnedMessage Own(const SshdMessage& m, const SshdMessageError& error) {
  OwnedMessage out{m.type,
                   std::string(m.user),
                   std::string(m.method),
                   std::string(m.address),
                   m.has_user,
                   m.invalid_user,
                   m.ip_is_hostname,
                   m.address_is_canonical,
                   m.preauth,
                   m.address.empty() || m.ip_is_hostname ? IpAddress() : m.ip,
                   m.port,
                   m.repeat,
                   {},
                   {},
                   {}};
  if (m.type == MessageType::kMalformed) {
    out.error_column = error.column;
    out.error_value = error.value;
    out.error_expected = error.expected;
  }
  return out;
}

OwnedMessage ParseOwned(string_view message) {
  SshdMessage parsed;
  SshdMessageError error;
  ParseSshdMessage(message, parsed, &error);
  return Own(parsed, error);
}

/// The invariants of one ParseSshdMessage result.
void CheckMessage(string_view message, const SshdMessage& m, MessageType result,
                  const SshdMessageError& error) {
  VIGIL_CHECK(m.type == result);
  SshdMessage quiet;
  VIGIL_CHECK(ParseSshdMessage(message, quiet, nullptr) == result);
  VIGIL_CHECK(Own(quiet, {}) == Own(m, {}));
  if (result == MessageType::kMalformed) {
    static constexpr string_view kColumns[] = {"ip", "port", "user", "repeat", "method", "message"};
    VIGIL_CHECK(std::find(std::begin(kColumns), std::end(kColumns), error.column) !=
                std::end(kColumns));
    VIGIL_CHECK(!error.expected.empty() && !error.message.empty());
    string_view value = error.value;
    VIGIL_CHECK_LE(value.size(), size_t{256 + 3});
    if (value.size() == 256 + 3 && value.ends_with("...")) value.remove_suffix(3);
    VIGIL_CHECK(message.find(value) != string_view::npos);
    return;
  }
  if (result == MessageType::kUnknown || result == MessageType::kIgnored) return;
  VIGIL_CHECK(Within(m.user, message));
  VIGIL_CHECK(Within(m.address, message));
  VIGIL_CHECK(Within(m.method, message) || IsStaticMethodName(m.method));
  VIGIL_CHECK(m.has_user || m.user.empty());
  VIGIL_CHECK_LE(m.user.size(), kMaxUserBytes);
  VIGIL_CHECK(m.port >= -1 && m.port <= 65535);
  VIGIL_CHECK(m.repeat >= 1 && m.repeat <= kMaxRepeat);
  if (!m.address.empty()) {
    const std::optional<IpAddress> ip = ParseIp(m.address);
    if (m.ip_is_hostname) {
      VIGIL_CHECK(!ip.has_value() && LooksLikeHostname(m.address));
    } else {
      VIGIL_CHECK(ip.has_value() && *ip == m.ip);
      if (m.address_is_canonical) VIGIL_CHECK(Format(m.ip) == m.address);
    }
    // The peer is sshd's last field: a user name logged before it cannot supply it.
    if (!m.user.empty()) VIGIL_CHECK(m.user.data() + m.user.size() <= m.address.data());
  } else {
    VIGIL_CHECK(!m.ip_is_hostname && !m.address_is_canonical);
  }
  switch (result) {
    case MessageType::kAuthFailure:
    case MessageType::kAuthSuccess:
    case MessageType::kNoneFailure:
    case MessageType::kInvalidUser:
    case MessageType::kMaxTries:
      VIGIL_CHECK(m.has_user && !m.address.empty());
      VIGIL_CHECK((result == MessageType::kNoneFailure) == (m.method == "none") ||
                  (result != MessageType::kAuthFailure && result != MessageType::kNoneFailure));
      if (result == MessageType::kInvalidUser) VIGIL_CHECK(m.invalid_user);
      break;
    case MessageType::kScan:
    case MessageType::kConnectionFrom:
      VIGIL_CHECK(!m.address.empty());
      break;
    case MessageType::kScanNoAddress:
      VIGIL_CHECK(m.address.empty());
      break;
    default:
      break;
  }
}

/// sshd's log-level prefix, as ParseSshdMessage skips it.
string_view WithoutLevel(string_view message) {
  if (message.starts_with("error: ")) return message.substr(7);
  if (message.starts_with("fatal: ")) return message.substr(7);
  return message;
}

/// Wrappers that must not change what a message says (but its repeat count).
void CheckWrappers(string_view message, const OwnedMessage& plain) {
  if (!message.starts_with("error: ") && !message.starts_with("fatal: ")) {
    VIGIL_CHECK(ParseOwned("error: " + std::string(message)) == plain);
    VIGIL_CHECK(ParseOwned("fatal: " + std::string(message)) == plain);
  }
  // rsyslog never nests its repeat lines; the inner one is not read.
  if (WithoutLevel(message).starts_with("message repeated ")) return;
  OwnedMessage repeated = plain;
  repeated.repeat = 7;
  const std::string closed = "message repeated 7 times: [ " + std::string(message) + "]";
  VIGIL_CHECK(ParseOwned(closed) == repeated);
  if (!message.ends_with("]")) {
    // A line cut at rsyslog's size limit has lost the closing bracket.
    VIGIL_CHECK(ParseOwned("message repeated 7 times: [ " + std::string(message)) == repeated);
  }
  repeated.repeat = kMaxRepeat;
  VIGIL_CHECK(ParseOwned("message repeated 1000000 times: [ " + std::string(message) + "]") ==
              repeated);
  for (const char* count : {"0", "1000001", "99999999999"}) {
    const OwnedMessage bad =
        ParseOwned("message repeated " + std::string(count) + " times: [ " + std::string(message) +
                   "]");
    VIGIL_CHECK(bad.type == MessageType::kMalformed && bad.error_column == "repeat");
  }
}

void FuzzMessage(string_view message) {
  SshdMessage parsed;
  SshdMessageError error;
  const MessageType result = ParseSshdMessage(message, parsed, &error);
  CheckMessage(message, parsed, result, error);
  CheckWrappers(message, Own(parsed, error));
}

// ---- Addresses ----

/// What glibc makes of `text` (IPv4 as IPv4-mapped IPv6, as ParseIp stores it), or nullopt.
std::optional<IpAddress> SystemParse(string_view text) {
  const std::string terminated(text);
  IpAddress address;
  in_addr v4;
  if (inet_pton(AF_INET, terminated.c_str(), &v4) == 1) {
    address.bytes[10] = address.bytes[11] = 0xff;
    std::memcpy(address.bytes.data() + 12, &v4, 4);
    address.is_v4 = true;
    return address;
  }
  if (inet_pton(AF_INET6, terminated.c_str(), address.bytes.data()) == 1) {
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    address.is_v4 = std::memcmp(address.bytes.data(), kMapped, 12) == 0;
    return address;
  }
  return std::nullopt;
}

/// Bit `i` of the address within its family (bit 0 is the first bit of the dotted quad or of
/// the IPv6 address).
bool FamilyBit(const IpAddress& address, int i) {
  const int bit = i + (address.is_v4 ? 96 : 0);
  return (address.bytes[static_cast<size_t>(bit / 8)] >> (7 - bit % 8)) & 1;
}
int FamilyBits(const IpAddress& address) { return address.is_v4 ? 32 : 128; }

/// The network of `address` with its first `bits` bits kept, bit by bit.
IpAddress ModelPrefix(const IpAddress& address, int bits) {
  IpAddress network = address;
  for (int i = bits; i < FamilyBits(address); ++i) {
    const int bit = i + (address.is_v4 ? 96 : 0);
    network.bytes[static_cast<size_t>(bit / 8)] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  }
  return network;
}

bool ModelContains(const IpPrefix& prefix, const IpAddress& address) {
  if (prefix.network.is_v4 != address.is_v4) return false;
  for (int i = 0; i < prefix.bits; ++i) {
    if (FamilyBit(prefix.network, i) != FamilyBit(address, i)) return false;
  }
  return true;
}

/// `ADDRESS` or `ADDRESS/BITS`, BITS decimal without sign or leading zero, within the family.
std::optional<IpPrefix> ModelCidr(string_view text) {
  const size_t slash = text.find('/');
  const std::optional<IpAddress> address = ParseIp(text.substr(0, slash));
  if (!address) return std::nullopt;
  int bits = FamilyBits(*address);
  if (slash != string_view::npos) {
    // Written apart from ip_address.cc's loop: the shortest decimal text of a number in
    // [0, family bits] is the only spelling accepted.
    const string_view digits = text.substr(slash + 1);
    bool found = false;
    for (int n = 0; n <= FamilyBits(*address) && !found; ++n) {
      if (digits == std::to_string(n)) {
        bits = n;
        found = true;
      }
    }
    if (!found) return std::nullopt;
  }
  return IpPrefix{ModelPrefix(*address, bits), bits};
}

/// RFC 1123 host names as ip_address.h describes them.
bool ModelHostname(string_view text) {
  if (text.ends_with('.')) text.remove_suffix(1);
  if (text.empty() || text.size() > 253) return false;
  bool last_all_digits = false;
  for (size_t begin = 0; begin <= text.size();) {
    const size_t dot = std::min(text.find('.', begin), text.size());
    const string_view label = text.substr(begin, dot - begin);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    last_all_digits = true;
    for (char c : label) {
      const bool digit = c >= '0' && c <= '9';
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!digit && !letter && c != '-') return false;
      last_all_digits = last_all_digits && digit;
    }
    begin = dot + 1;
  }
  return !last_all_digits;
}

void FuzzAddresses(string_view text) {
  std::vector<string_view> tokens;
  for (size_t begin = 0; begin <= text.size();) {
    const size_t end = std::min(text.find_first_of(" \n", begin), text.size());
    if (end > begin) tokens.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  if (tokens.size() > 64) tokens.resize(64);  // pairs below: keep them few
  std::vector<IpAddress> addresses;
  std::vector<IpPrefix> prefixes;
  for (string_view token : tokens) {
    const std::optional<IpAddress> address = ParseIp(token);
    const size_t percent = token.find('%');
    if (percent != string_view::npos) {
      // A zone id: dropped, after an IPv6 address (`fe80::1%eth0`).
      if (address) {
        const string_view zone = token.substr(percent + 1);
        VIGIL_CHECK(!zone.empty() && zone.find_first_of("% /:") == string_view::npos);
        VIGIL_CHECK(token.substr(0, percent).find(':') != string_view::npos);
        VIGIL_CHECK(ParseIp(token.substr(0, percent)) == address);
      }
    } else if (token.find('\0') == string_view::npos) {
      VIGIL_CHECK(address == SystemParse(token));
    }
    VIGIL_CHECK(!(address && LooksLikeHostname(token)));
    VIGIL_CHECK_EQ(LooksLikeHostname(token), ModelHostname(token));

    const std::optional<IpPrefix> prefix = ParseCidr(token);
    VIGIL_CHECK(prefix == ModelCidr(token));
    if (prefix) {
      VIGIL_CHECK(Contains(*prefix, prefix->network));
      VIGIL_CHECK(Contains(*prefix, *ParseIp(token.substr(0, token.find('/')))));
      char cidr[kMaxCidrTextLength];
      const size_t length = FormatCidr(prefix->network, prefix->bits, cidr);
      VIGIL_CHECK_LE(length, kMaxCidrTextLength);
      VIGIL_CHECK(ParseCidr(string_view(cidr, length)) == prefix);
      prefixes.push_back(*prefix);
    }
    if (!address) continue;
    addresses.push_back(*address);

    const std::string ours = Format(*address);
    VIGIL_CHECK(ParseIp(ours) == address);
    VIGIL_CHECK(IsCanonicalAddress(ours));
    char system[INET6_ADDRSTRLEN];
    if (address->is_v4) {
      VIGIL_CHECK(inet_ntop(AF_INET, address->bytes.data() + 12, system, sizeof system));
      VIGIL_CHECK(ours == system);
    } else {
      VIGIL_CHECK(inet_ntop(AF_INET6, address->bytes.data(), system, sizeof system));
      // glibc writes ::a.b.c.d (deprecated IPv4-compatible) where RFC 5952 keeps hex.
      if (std::strchr(system, '.') == nullptr) VIGIL_CHECK(ours == system);
    }
    for (int bits : {-7, 0, 1, 24, 31, 64, 127, 200}) {
      const int clamped = std::clamp(bits, 0, FamilyBits(*address));
      VIGIL_CHECK(Prefix(*address, bits) == ModelPrefix(*address, clamped));
    }
  }
  for (const IpPrefix& prefix : prefixes) {
    for (const IpAddress& address : addresses) {
      VIGIL_CHECK_EQ(Contains(prefix, address), ModelContains(prefix, address));
    }
  }
}

// ---- The tracker ----

struct OwnedEvent {
  int64_t time_ns;
  std::string host;
  int64_t pid;
  std::string ip;
  bool ip_is_hostname;
  int64_t port;
  std::string user;
  bool invalid_user;
  Outcome outcome;
  std::string method;
  EventKind kind;
  uint32_t repeat;

  friend bool operator==(const OwnedEvent&, const OwnedEvent&) = default;
};

OwnedEvent Own(const AuthEvent& e) {
  return OwnedEvent{e.time_ns,   std::string(e.host),   e.pid,
                    std::string(e.ip), e.ip_is_hostname, e.port,
                    std::string(e.user), e.invalid_user, e.outcome,
                    std::string(e.method), e.kind, e.repeat};
}

/// The log so far, as the events must reflect it.
struct Log {
  std::string hosts[2];
  /// Times of the lines of each (host, pid): an event has the time of one of them.
  std::map<std::pair<std::string, int64_t>, std::set<int64_t>> times;
};

/// Invariants every event holds. `message` is the line's (empty for AdvanceTo and Finish).
void CheckEvent(const AuthEvent& e, const Log& log, string_view message) {
  VIGIL_CHECK(!e.ip.empty());
  if (e.ip_is_hostname) {
    VIGIL_CHECK(LooksLikeHostname(e.ip));
  } else {
    VIGIL_CHECK(IsCanonicalAddress(e.ip));
  }
  VIGIL_CHECK(e.host == log.hosts[0] || e.host == log.hosts[1]);
  VIGIL_CHECK(std::find(std::begin(kPids), std::end(kPids), e.pid) != std::end(kPids));
  const auto lines = log.times.find({std::string(e.host), e.pid});
  VIGIL_CHECK(lines != log.times.end() && lines->second.count(e.time_ns) == 1);
  VIGIL_CHECK(e.port >= -1 && e.port <= 65535);
  VIGIL_CHECK_LE(e.user.size(), kMaxUserBytes);
  VIGIL_CHECK(e.repeat >= 1 && e.repeat <= kMaxRepeat);
  VIGIL_CHECK(Within(e.method, message) || IsStaticMethodName(e.method));
  if (e.kind == EventKind::kScan) {
    VIGIL_CHECK(e.outcome == Outcome::kNone && e.user.empty() && !e.invalid_user &&
                e.method.empty() && e.repeat == 1);
  } else {
    VIGIL_CHECK(e.kind == EventKind::kAttempt && e.outcome != Outcome::kNone);
  }
}

/// A held username probe given without a line of its own: a failure with method `none`.
void CheckHeldProbe(const AuthEvent& e) {
  VIGIL_CHECK(e.kind == EventKind::kAttempt && e.outcome == Outcome::kFailure &&
              e.method == "none" && e.repeat == 1);
}

/// `twin` got the same call, appending to `twin_events` from `twin_from` on.
void CheckSameEvents(const std::vector<AuthEvent>& events, const std::vector<AuthEvent>& twin_events,
                     size_t twin_from) {
  VIGIL_CHECK_EQ(twin_events.size() - twin_from, events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    VIGIL_CHECK(Own(twin_events[twin_from + i]) == Own(events[i]));
  }
}

}  // namespace
}  // namespace vigil::sshd

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::sshd;
  if (size < 1) return 0;
  AttemptTrackerOptions options;
  options.max_sessions = kMaxSessions[data[0] & 3];
  options.session_idle_timeout_ns = kIdleTimeouts[(data[0] >> 2) & 3];
  uint64_t time = static_cast<uint64_t>(kBaseTimes[(data[0] >> 4) & 7]);
  Log log;
  log.hosts[0] = data[0] & 0x80 ? "" : "web1";
  log.hosts[1] = data[0] & 0x80 ? std::string(256, 'h') : "web2";
  const string_view content(reinterpret_cast<const char*>(data + 1), size - 1);

  FuzzMessage(content);
  FuzzAddresses(content);

  AttemptTracker tracker(options);
  AttemptTracker twin(options);  // Given no error pointer; its events are never cleared.
  std::vector<AuthEvent> events;
  std::vector<AuthEvent> twin_events;
  SshdMessageError error;
  for (size_t begin = 0; begin < content.size();) {
    const size_t newline = std::min(content.find('\n', begin), content.size());
    const string_view line = content.substr(begin, newline - begin);
    begin = newline + 1;
    const auto now = static_cast<int64_t>(time);
    events.clear();
    size_t twin_from = twin_events.size();
    if (line.empty()) {
      tracker.AdvanceTo(now, events);
      twin.AdvanceTo(now, twin_events);
      for (const AuthEvent& e : events) {
        CheckEvent(e, log, {});
        CheckHeldProbe(e);
      }
      CheckSameEvents(events, twin_events, twin_from);
      continue;
    }
    const uint8_t who = static_cast<uint8_t>(line[0]);
    const int64_t pid = kPids[who & 3];
    const std::string& host_text = log.hosts[(who >> 2) & 1];
    const string_view program = kPrograms[who >> 6];
    time += static_cast<uint64_t>(kTimeSteps[(who >> 3) & 7]);  // wraps around int64
    const auto line_time = static_cast<int64_t>(time);
    log.times[{host_text, pid}].insert(line_time);

    // The line in buffers of its own, freed after the call: the tracker must copy what it
    // keeps of a line.
    const string_view message_text = line.substr(1);
    FuzzMessage(message_text);
    FuzzAddresses(message_text);
    const std::unique_ptr<char[]> host_buffer(new char[host_text.size()]);
    std::memcpy(host_buffer.get(), host_text.data(), host_text.size());
    const string_view host(host_buffer.get(), host_text.size());
    const std::unique_ptr<char[]> message_buffer(new char[message_text.size()]);
    std::memcpy(message_buffer.get(), message_text.data(), message_text.size());
    const string_view message(message_buffer.get(), message_text.size());

    const size_t sessions_before = tracker.session_count();
    error = SshdMessageError();
    const MessageResult result =
        tracker.Process(line_time, host, program, pid, message, events, &error);
    VIGIL_CHECK(twin.Process(line_time, host, program, pid, message, twin_events, nullptr) ==
                result);
    CheckSameEvents(events, twin_events, twin_from);
    VIGIL_CHECK_LE(tracker.session_count(), options.max_sessions);
    VIGIL_CHECK((result == MessageResult::kEvents) == !events.empty());

    SshdMessage parsed;
    const MessageType type = ParseSshdMessage(message, parsed, nullptr);
    const bool sshd = AttemptTracker::IsSshdProgram(program);
    VIGIL_CHECK_EQ(sshd, program != "cron");
    const bool host_too_long = host.size() > 255;
    if (!sshd) {
      VIGIL_CHECK(result == MessageResult::kNotSshd);
    } else if (type == MessageType::kUnknown) {
      VIGIL_CHECK(result == MessageResult::kUnknown);
    } else if (type == MessageType::kMalformed || host_too_long) {
      VIGIL_CHECK(result == MessageResult::kMalformed);
      VIGIL_CHECK(!error.column.empty() && !error.message.empty());
      if (type != MessageType::kMalformed) VIGIL_CHECK(error.column == "host");
    } else {
      VIGIL_CHECK(result == MessageResult::kEvents || result == MessageResult::kNoEvent);
    }
    if (result != MessageResult::kEvents && result != MessageResult::kNoEvent) {
      VIGIL_CHECK(events.empty());
      VIGIL_CHECK_EQ(tracker.session_count(), sessions_before);
      continue;
    }
    for (size_t i = 0; i < events.size(); ++i) {
      const AuthEvent& e = events[i];
      CheckEvent(e, log, message);
      const bool last = i + 1 == events.size();
      if (e.outcome == Outcome::kSuccess) VIGIL_CHECK(type == MessageType::kAuthSuccess && last);
      if (e.repeat != 1) VIGIL_CHECK(last && e.repeat == parsed.repeat);
    }
    if (type == MessageType::kAuthFailure || type == MessageType::kAuthSuccess) {
      // One attempt is one event: the line's own, after any it completed of earlier
      // connections.
      VIGIL_CHECK(!events.empty());
      const AuthEvent& own = events.back();
      VIGIL_CHECK_EQ(own.time_ns, line_time);
      VIGIL_CHECK(own.host.data() == host.data() && own.host.size() == host.size());
      VIGIL_CHECK_EQ(own.pid, pid);
      VIGIL_CHECK(own.ip_is_hostname == parsed.ip_is_hostname);
      VIGIL_CHECK(own.ip_is_hostname ? own.ip == parsed.address : own.ip == Format(parsed.ip));
      VIGIL_CHECK_EQ(own.port, parsed.port);
      VIGIL_CHECK(own.user == parsed.user && own.invalid_user == parsed.invalid_user);
      VIGIL_CHECK(own.method == parsed.method);
      VIGIL_CHECK(own.kind == EventKind::kAttempt);
      VIGIL_CHECK(own.outcome ==
                  (type == MessageType::kAuthSuccess ? Outcome::kSuccess : Outcome::kFailure));
      VIGIL_CHECK_EQ(own.repeat, parsed.repeat);
    }
  }
  events.clear();
  const size_t twin_from = twin_events.size();
  tracker.Finish(events);
  twin.Finish(twin_events);
  CheckSameEvents(events, twin_events, twin_from);
  for (const AuthEvent& e : events) {
    CheckEvent(e, log, {});
    CheckHeldProbe(e);
  }
  VIGIL_CHECK_EQ(tracker.session_count(), size_t{0});
  return 0;
}
