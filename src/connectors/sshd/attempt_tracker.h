#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/sshd/auth_event.h"
#include "connectors/sshd/session_table.h"
#include "connectors/sshd/sshd_message.h"

namespace vigil::sshd {

/// What AttemptTracker::Process made of one log record.
enum class MessageResult : uint8_t {
  kEvents,     ///< Events were appended (the line's own, or a held probe it completed).
  kNoEvent,    ///< sshd's, understood, no event (e.g. a PAM line merged into an attempt).
  kNotSshd,    ///< The program is not sshd: skipped (counted by the caller).
  kUnknown,    ///< sshd text we do not classify (counted by the caller).
  kMalformed,  ///< A known sshd message whose fields are bad; `error` is filled.
};

struct AttemptTrackerOptions {
  /// Connections remembered at once (ended ones too, until they expire). When full, the least
  /// recently active one is dropped (its held probe given first). About 200 bytes each, at
  /// most about 1.2 KiB (a 255-byte host, a 253-byte host name, a 512-byte user).
  size_t max_sessions = 65536;
  /// A connection silent for this long (log time) is dropped, its held probe given. sshd's
  /// LoginGraceTime (120 s by default) ends every pre-auth connection well before.
  int64_t session_idle_timeout_ns = int64_t{600} * 1'000'000'000;
};

/// Turns sshd's log lines into authentication events: one attempt is one event, however many
/// lines sshd wrote for it (the rules, message by message, are in this folder's README.md).
/// Lines of one connection are tied together by (host, pid).
///
/// Deterministic: the events depend only on the records and their order (never on wall-clock
/// time, nor on how the caller batches them); a held event keeps the time of the line it
/// comes from. Memory is bounded by max_sessions whatever the input; no allocation per line
/// once the session slots and the caller's `events` vector have grown.
///
/// Not thread-safe: one tracker per input stream, used by one thread.
class AttemptTracker {
 public:
  explicit AttemptTracker(AttemptTrackerOptions options = {});

  /// One log record. Appends the events it completes to `events` (returns kEvents then, and
  /// only then). The events' views point into this call's arguments (valid as long as the
  /// caller keeps them) or into the tracker (valid until its next call). `error` (may be null)
  /// is filled when kMalformed is returned. kUnknown and kMalformed lines change nothing (not
  /// even the idle expiry).
  MessageResult Process(int64_t time_ns, std::string_view host, std::string_view program,
                        int64_t pid, std::string_view message, std::vector<AuthEvent>& events,
                        SshdMessageError* error);

  /// Expires the connections idle at log time `time_ns` (as any understood sshd line does),
  /// appending their held probes. For a live reader whose log went quiet; driving it from
  /// the wall clock makes the events depend on timing, so a reader that must match a static
  /// read should not call it.
  void AdvanceTo(int64_t time_ns, std::vector<AuthEvent>& events);

  /// End of input: appends the events still held (username probes whose connection never
  /// logged its end) in the order their connections were last active, and forgets every
  /// connection.
  void Finish(std::vector<AuthEvent>& events);

  /// Whether `program` is sshd (`sshd`, or OpenSSH 9.8+'s `sshd-session` / `sshd-auth`).
  static bool IsSshdProgram(std::string_view program);

  /// Connections remembered now (tombstones of ended ones included), at most max_sessions.
  size_t session_count() const { return sessions_.size(); }

 private:
  /// How a line relates to the connection its (host, pid) names.
  enum class Continuity : uint8_t {
    kSameConnection,  ///< Part of the open connection, if any.
    kNewIfUserKnown,  ///< `Invalid user`: logged once per connection.
    kNewConnection,   ///< `Connection from`: always a new connection.
  };

  struct HeldText {
    std::string host, ip, user;
  };

  /// The line's peer as the events table writes it.
  std::string_view LineIp(const SshdMessage& message);
  /// The session for a line of (host, pid) about `ip` ("" when the line names none). Starts
  /// one when there is none, or when the one found belongs to an earlier connection.
  uint32_t Open(std::string_view host, uint64_t host_hash, int64_t pid, int64_t time_ns,
                const SshdMessage& message, std::string_view ip, Continuity continuity,
                std::vector<AuthEvent>& events);
  void AdoptPeer(SshdSession& session, const SshdMessage& message, std::string_view ip);
  /// Gives the session's held probe, if any, with its own time.
  void FlushProbe(SshdSession& session, std::vector<AuthEvent>& events);
  void ExpireIdle(int64_t time_ns, std::vector<AuthEvent>& events);
  HeldText& NextHeldText();
  /// Starts a call: the texts of the previous call's events are free again.
  void ReleaseHeldText();
  static constexpr size_t kHeldTextKept = 256;

  AuthEvent LineEvent(int64_t time_ns, std::string_view host, int64_t pid,
                      const SshdMessage& message, std::string_view ip) const;
  /// An event of the line that takes the peer from the session (copied: the slot may be
  /// reused before the caller reads the event).
  AuthEvent SessionEvent(int64_t time_ns, SshdSession& session);

  void OnClose(std::string_view host, uint64_t host_hash, int64_t pid, int64_t time_ns,
               const SshdMessage& message, std::string_view ip, std::vector<AuthEvent>& events);
  void OnTooManyFailures(std::string_view host, uint64_t host_hash, int64_t pid, int64_t time_ns,
                         const SshdMessage& message, std::string_view ip,
                         std::vector<AuthEvent>& events);

  AttemptTrackerOptions options_;
  SessionTable sessions_;
  /// Texts of events given from sessions during one call. A deque, so growing it never moves
  /// the strings earlier events of the same call point into; reused from call to call.
  std::deque<HeldText> held_text_;
  size_t held_text_used_ = 0;
  char line_ip_[kMaxIpTextLength];
};

}  // namespace vigil::sshd
