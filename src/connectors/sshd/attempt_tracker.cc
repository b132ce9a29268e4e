#include "connectors/sshd/attempt_tracker.h"

#include <xxhash.h>

#include <algorithm>

namespace vigil::sshd {
namespace {

/// RFC 5424's HOSTNAME is at most 255 bytes; a longer host cannot be a syslog host and would
/// make every remembered connection large.
constexpr size_t kMaxHostBytes = 255;

uint64_t HostHash(std::string_view host) { return XXH3_64bits(host.data(), host.size()); }

}  // namespace

AttemptTracker::AttemptTracker(AttemptTrackerOptions options)
    : options_(options), sessions_(options.max_sessions) {}

bool AttemptTracker::IsSshdProgram(std::string_view program) {
  switch (program.size()) {
    case 4:
      return program == "sshd";
    case 9:
      return program == "sshd-auth";
    case 12:
      return program == "sshd-session";
    default:
      return false;
  }
}

std::string_view AttemptTracker::LineIp(const SshdMessage& message) {
  if (message.address_is_canonical || message.address.empty() || message.ip_is_hostname) {
    return message.address;
  }
  const size_t length = FormatIp(message.ip, line_ip_);
  const std::string_view canonical(line_ip_, length);
  // Most lines already hold the canonical text: point at it rather than the buffer.
  return canonical == message.address ? message.address : canonical;
}

void AttemptTracker::ReleaseHeldText() {
  held_text_used_ = 0;
  // A burst (every connection expiring at once after a jump in log time) may have grown it;
  // keep what ordinary lines need.
  if (held_text_.size() > kHeldTextKept) held_text_.resize(kHeldTextKept);
}

AttemptTracker::HeldText& AttemptTracker::NextHeldText() {
  if (held_text_used_ == held_text_.size()) held_text_.emplace_back();
  return held_text_[held_text_used_++];
}

AuthEvent AttemptTracker::LineEvent(int64_t time_ns, std::string_view host, int64_t pid,
                                    const SshdMessage& message, std::string_view ip) const {
  AuthEvent event;
  event.time_ns = time_ns;
  event.host = host;
  event.pid = pid;
  event.ip = ip;
  event.ip_is_hostname = message.ip_is_hostname;
  event.port = message.port;
  return event;
}

AuthEvent AttemptTracker::SessionEvent(int64_t time_ns, SshdSession& session) {
  HeldText& text = NextHeldText();
  text.host.assign(session.host);
  text.ip.assign(session.ip);
  AuthEvent event;
  event.time_ns = time_ns;
  event.host = text.host;
  event.pid = session.pid;
  event.ip = text.ip;
  event.ip_is_hostname = session.ip_is_hostname;
  event.port = session.port;
  return event;
}

void AttemptTracker::FlushProbe(SshdSession& session, std::vector<AuthEvent>& events) {
  if (!session.probe_pending) return;
  session.probe_pending = false;
  if (session.ip.empty()) return;  // cannot happen: probes come from lines naming the peer
  AuthEvent event = SessionEvent(session.probe_time_ns, session);
  HeldText& text = held_text_[held_text_used_ - 1];
  text.user.assign(session.user);
  event.user = text.user;
  event.invalid_user = session.invalid_user;
  event.outcome = Outcome::kFailure;
  event.method = "none";
  events.push_back(event);
}

void AttemptTracker::ExpireIdle(int64_t time_ns, std::vector<AuthEvent>& events) {
  const uint64_t timeout = static_cast<uint64_t>(std::max<int64_t>(
      options_.session_idle_timeout_ns, 0));
  while (true) {
    const uint32_t slot = sessions_.Oldest();
    if (slot == SessionTable::kNoSlot) return;
    SshdSession& session = sessions_.at(slot);
    if (time_ns <= session.last_time_ns) return;
    // Unsigned difference: correct for any two int64 times with time_ns > last.
    if (static_cast<uint64_t>(time_ns) - static_cast<uint64_t>(session.last_time_ns) <=
        timeout) {
      return;
    }
    FlushProbe(session, events);
    sessions_.Remove(slot);
  }
}

namespace {

/// Whether a line about peer `ip` can belong to `session`. A host name (UseDNS) and an
/// address cannot be compared without DNS, so they are taken to be the same peer.
bool SamePeer(const SshdSession& session, std::string_view ip, bool ip_is_hostname) {
  if (ip.empty() || session.ip.empty() || session.ip_is_hostname != ip_is_hostname) return true;
  return session.ip == ip;
}

}  // namespace

void AttemptTracker::AdoptPeer(SshdSession& session, const SshdMessage& message,
                               std::string_view ip) {
  // The first peer named, or the address where only a host name was known (rules want
  // addresses).
  if (!ip.empty() &&
      (session.ip.empty() || (session.ip_is_hostname && !message.ip_is_hostname))) {
    session.ip.assign(ip);
    session.ip_is_hostname = message.ip_is_hostname;
  }
  if (message.port >= 0) session.port = message.port;
}

uint32_t AttemptTracker::Open(std::string_view host, uint64_t host_hash, int64_t pid,
                              int64_t time_ns, const SshdMessage& message, std::string_view ip,
                              Continuity continuity, std::vector<AuthEvent>& events) {
  uint32_t slot = sessions_.Find(host_hash, pid);
  if (slot != SessionTable::kNoSlot) {
    SshdSession& session = sessions_.at(slot);
    const bool earlier_connection =
        session.host != host || session.closed ||
        continuity == Continuity::kNewConnection ||
        (continuity == Continuity::kNewIfUserKnown && session.has_user) ||
        !SamePeer(session, ip, message.ip_is_hostname);
    if (earlier_connection) {
      // The pid was reused (the end of the earlier connection was not logged or not seen).
      FlushProbe(session, events);
      session.Reset(host, host_hash, pid);
    }
    sessions_.Touch(slot);
  } else {
    if (sessions_.full()) {
      const uint32_t oldest = sessions_.Oldest();
      FlushProbe(sessions_.at(oldest), events);
      sessions_.Remove(oldest);
    }
    slot = sessions_.Insert(host_hash, pid);
    sessions_.at(slot).Reset(host, host_hash, pid);
  }
  SshdSession& session = sessions_.at(slot);
  session.last_time_ns = time_ns;
  AdoptPeer(session, message, ip);
  return slot;
}

void AttemptTracker::OnClose(std::string_view host, uint64_t host_hash, int64_t pid,
                             int64_t time_ns, const SshdMessage& message, std::string_view ip,
                             std::vector<AuthEvent>& events) {
  uint32_t slot = sessions_.Find(host_hash, pid);
  if (slot != SessionTable::kNoSlot) {
    SshdSession& session = sessions_.at(slot);
    const bool same_connection =
        session.host == host && SamePeer(session, ip, message.ip_is_hostname);
    if (!same_connection) {
      FlushProbe(session, events);
      sessions_.Remove(slot);
      slot = SessionTable::kNoSlot;
    } else {
      sessions_.Touch(slot);
      session.last_time_ns = time_ns;
      if (session.closed) return;  // a further end line of an ended connection
      AdoptPeer(session, message, ip);
      if (session.probe_pending) {
        FlushProbe(session, events);
      } else if (!session.attempt_seen && !session.ip.empty()) {
        if (message.has_user) {
          // `Connection closed by authenticating user root ...`: the user was tried, but no
          // attempt was logged (publickey failures are logged at VERBOSE): one attempt.
          AuthEvent event = SessionEvent(time_ns, session);
          event.user = message.user;
          event.invalid_user = message.invalid_user;
          event.outcome = Outcome::kFailure;
          events.push_back(event);
        } else if (!session.has_user && !session.scan_emitted) {
          AuthEvent event = SessionEvent(time_ns, session);
          event.kind = EventKind::kScan;
          events.push_back(event);
          session.scan_emitted = true;
        }
      }
      session.closed = true;
      return;
    }
  }
  // A connection we know nothing of: only sshd's [preauth] tag says it never logged in.
  if (!message.preauth || ip.empty()) return;
  AuthEvent event = LineEvent(time_ns, host, pid, message, ip);
  if (message.has_user) {
    event.user = message.user;
    event.invalid_user = message.invalid_user;
    event.outcome = Outcome::kFailure;
  } else {
    event.kind = EventKind::kScan;
  }
  // A tombstone, so the connection's other end lines count nothing.
  slot = Open(host, host_hash, pid, time_ns, message, ip, Continuity::kSameConnection, events);
  SshdSession& session = sessions_.at(slot);
  session.closed = true;
  session.attempt_seen = message.has_user;
  session.scan_emitted = !message.has_user;
  events.push_back(event);
}

void AttemptTracker::OnTooManyFailures(std::string_view host, uint64_t host_hash, int64_t pid,
                                       int64_t time_ns, const SshdMessage& message,
                                       std::string_view ip, std::vector<AuthEvent>& events) {
  uint32_t slot;
  if (!ip.empty()) {
    slot = Open(host, host_hash, pid, time_ns, message, ip, Continuity::kSameConnection, events);
  } else {
    slot = sessions_.Find(host_hash, pid);
    if (slot == SessionTable::kNoSlot) return;  // no peer known: nothing to attribute
    SshdSession& found = sessions_.at(slot);
    if (found.closed || found.host != host) return;
    sessions_.Touch(slot);
    found.last_time_ns = time_ns;
  }
  SshdSession& session = sessions_.at(slot);
  if (!session.attempt_seen && !session.ip.empty()) {
    // The run of failures was not logged (publickey failures are VERBOSE): one attempt.
    AuthEvent event = SessionEvent(time_ns, session);
    if (message.has_user) {
      event.user = message.user;
      event.invalid_user = message.invalid_user;
    } else if (session.probe_pending) {
      HeldText& text = held_text_[held_text_used_ - 1];
      text.user.assign(session.user);
      event.user = text.user;
      event.invalid_user = session.invalid_user;
    }
    event.outcome = Outcome::kFailure;
    events.push_back(event);
    session.attempt_seen = true;
  }
  session.probe_pending = false;
  session.closed = true;
}

MessageResult AttemptTracker::Process(int64_t time_ns, std::string_view host,
                                      std::string_view program, int64_t pid,
                                      std::string_view message, std::vector<AuthEvent>& events,
                                      SshdMessageError* error) {
  if (!IsSshdProgram(program)) return MessageResult::kNotSshd;
  SshdMessage parsed;
  const MessageType type = ParseSshdMessage(message, parsed, error);
  if (type == MessageType::kUnknown) return MessageResult::kUnknown;
  if (type == MessageType::kMalformed) return MessageResult::kMalformed;
  if (host.size() > kMaxHostBytes) {
    if (error != nullptr) {
      error->column = "host";
      error->value.assign(host.substr(0, 256));
      error->value += "...";
      error->expected = "a host name of at most 255 bytes";
      error->message = "host is longer than 255 bytes";
    }
    return MessageResult::kMalformed;
  }
  ReleaseHeldText();
  const size_t first_event = events.size();
  ExpireIdle(time_ns, events);
  if (type == MessageType::kIgnored) {
    return events.size() > first_event ? MessageResult::kEvents : MessageResult::kNoEvent;
  }

  const uint64_t host_hash = HostHash(host);
  const std::string_view ip = LineIp(parsed);
  switch (type) {
    case MessageType::kAuthFailure:
    case MessageType::kAuthSuccess:
    case MessageType::kMaxTries:
    case MessageType::kNoneFailure: {
      const uint32_t slot =
          Open(host, host_hash, pid, time_ns, parsed, ip, Continuity::kSameConnection, events);
      SshdSession& session = sessions_.at(slot);
      bool counts = true;
      if (type == MessageType::kMaxTries) {
        // The end of a run of attempts already logged as Failed lines, unless none was.
        counts = !session.attempt_seen;
      } else if (type == MessageType::kNoneFailure && !session.attempt_seen &&
                 !session.none_seen) {
        // sshd's first `none` request costs no try (auth2.c counts a failure only for
        // attempt > 1 or another method): it asks which methods exist. Held as a probe.
        counts = false;
        session.none_seen = true;
        if (!session.probe_pending) {
          session.probe_pending = true;
          session.probe_time_ns = time_ns;
          session.user.assign(parsed.user);
          session.invalid_user = parsed.invalid_user;
        }
      }
      session.has_user = true;
      if (counts) {
        session.attempt_seen = true;
        session.probe_pending = false;
        AuthEvent event = LineEvent(time_ns, host, pid, parsed, ip);
        event.user = parsed.user;
        event.invalid_user = parsed.invalid_user;
        event.outcome =
            type == MessageType::kAuthSuccess ? Outcome::kSuccess : Outcome::kFailure;
        event.method = parsed.method;
        event.repeat = parsed.repeat;
        events.push_back(event);
      }
      // After a login the connection's lines are the session's, not attempts: forget it.
      if (type == MessageType::kAuthSuccess) sessions_.Remove(slot);
      break;
    }
    case MessageType::kInvalidUser: {
      const uint32_t slot =
          Open(host, host_hash, pid, time_ns, parsed, ip, Continuity::kNewIfUserKnown, events);
      SshdSession& session = sessions_.at(slot);
      session.has_user = true;
      session.probe_pending = true;
      session.probe_time_ns = time_ns;
      session.user.assign(parsed.user);
      session.invalid_user = true;
      break;
    }
    case MessageType::kTooManyFailures:
      OnTooManyFailures(host, host_hash, pid, time_ns, parsed, ip, events);
      break;
    case MessageType::kClose:
      OnClose(host, host_hash, pid, time_ns, parsed, ip, events);
      break;
    case MessageType::kScan: {
      const uint32_t slot =
          Open(host, host_hash, pid, time_ns, parsed, ip, Continuity::kSameConnection, events);
      SshdSession& session = sessions_.at(slot);
      FlushProbe(session, events);
      if (!session.has_user && !session.attempt_seen && !session.scan_emitted) {
        AuthEvent event = LineEvent(time_ns, host, pid, parsed, ip);
        event.kind = EventKind::kScan;
        events.push_back(event);
      }
      session.scan_emitted = true;
      session.closed = true;  // these messages end the connection
      break;
    }
    case MessageType::kScanNoAddress: {
      const uint32_t slot =
          Open(host, host_hash, pid, time_ns, parsed, ip, Continuity::kSameConnection, events);
      SshdSession& session = sessions_.at(slot);
      if (!session.has_user && !session.attempt_seen && !session.scan_emitted &&
          !session.ip.empty()) {
        AuthEvent event = SessionEvent(time_ns, session);
        event.kind = EventKind::kScan;
        events.push_back(event);
        session.scan_emitted = true;
      }
      // Otherwise the line that names the peer (the connection's end) gives the scan.
      break;
    }
    case MessageType::kConnectionFrom:
      Open(host, host_hash, pid, time_ns, parsed, ip, Continuity::kNewConnection, events);
      break;
    case MessageType::kUnknown:
    case MessageType::kMalformed:
    case MessageType::kIgnored:
      break;
  }
  return events.size() > first_event ? MessageResult::kEvents : MessageResult::kNoEvent;
}

void AttemptTracker::AdvanceTo(int64_t time_ns, std::vector<AuthEvent>& events) {
  ReleaseHeldText();
  ExpireIdle(time_ns, events);
}

void AttemptTracker::Finish(std::vector<AuthEvent>& events) {
  ReleaseHeldText();
  while (true) {
    const uint32_t slot = sessions_.Oldest();
    if (slot == SessionTable::kNoSlot) return;
    FlushProbe(sessions_.at(slot), events);
    sessions_.Remove(slot);
  }
}

}  // namespace vigil::sshd
