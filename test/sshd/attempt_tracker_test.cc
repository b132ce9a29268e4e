#include "connectors/sshd/attempt_tracker.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace vigil::sshd {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

/// An event with its strings owned, printed in one line for readable expectations.
std::string Describe(const AuthEvent& e) {
  std::string text = std::string(EventKindName(e.kind)) + " " + std::string(OutcomeName(e.outcome));
  text += " t=" + std::to_string(e.time_ns / kSecond);
  text += " host=" + std::string(e.host) + " pid=" + std::to_string(e.pid);
  text += " ip=" + std::string(e.ip) + (e.ip_is_hostname ? "(name)" : "");
  text += " port=" + std::to_string(e.port);
  text += " user=[" + std::string(e.user) + "]" + (e.invalid_user ? "(invalid)" : "");
  text += " method=" + std::string(e.method);
  if (e.repeat != 1) text += " x" + std::to_string(e.repeat);
  return text;
}

class AttemptTrackerTest : public ::testing::Test {
 protected:
  explicit AttemptTrackerTest(AttemptTrackerOptions options = {}) : tracker_(options) {}

  /// Feeds one sshd line of host "h" at `second`; returns the events it gave.
  std::vector<std::string> Feed(int64_t second, int64_t pid, std::string_view message,
                                MessageResult* result = nullptr,
                                std::string_view program = "sshd") {
    events_.clear();
    const MessageResult r =
        tracker_.Process(second * kSecond, "h", program, pid, message, events_, &error_);
    if (result != nullptr) *result = r;
    EXPECT_EQ(r == MessageResult::kEvents, !events_.empty()) << message;
    std::vector<std::string> out;
    for (const AuthEvent& e : events_) out.push_back(Describe(e));
    return out;
  }
  std::vector<std::string> Finish() {
    events_.clear();
    tracker_.Finish(events_);
    std::vector<std::string> out;
    for (const AuthEvent& e : events_) out.push_back(Describe(e));
    return out;
  }
  using Events = std::vector<std::string>;

  AttemptTracker tracker_;
  std::vector<AuthEvent> events_;
  SshdMessageError error_;
};

TEST_F(AttemptTrackerTest, OneAttemptPerFailedLineAndPamLinesAddNothing) {
  MessageResult r;
  EXPECT_EQ(Feed(1, 24200, "reverse mapping checking getaddrinfo for ns.x.com [173.234.31.186] "
                           "failed - POSSIBLE BREAK-IN ATTEMPT!", &r), Events{});
  EXPECT_EQ(r, MessageResult::kNoEvent);
  EXPECT_EQ(Feed(1, 24200, "Invalid user webmaster from 173.234.31.186"), Events{});
  EXPECT_EQ(Feed(1, 24200, "input_userauth_request: invalid user webmaster [preauth]"), Events{});
  EXPECT_EQ(Feed(1, 24200, "pam_unix(sshd:auth): check pass; user unknown"), Events{});
  EXPECT_EQ(Feed(1, 24200, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 "
                           "tty=ssh ruser= rhost=173.234.31.186 "), Events{});
  EXPECT_EQ(Feed(3, 24200, "Failed password for invalid user webmaster from 173.234.31.186 port "
                           "38926 ssh2", &r),
            Events{"attempt failure t=3 host=h pid=24200 ip=173.234.31.186 port=38926 "
                   "user=[webmaster](invalid) method=password"});
  EXPECT_EQ(r, MessageResult::kEvents);
  // The probe was the same attempt as the Failed line: the end adds nothing.
  EXPECT_EQ(Feed(3, 24200, "Connection closed by 173.234.31.186 [preauth]"), Events{});
  EXPECT_EQ(Finish(), Events{});
}

TEST_F(AttemptTrackerTest, RepeatedMessageIsItsEventRepeated) {
  EXPECT_EQ(Feed(1, 7, "Failed password for root from 5.36.59.76 port 42393 ssh2").size(), 1u);
  EXPECT_EQ(Feed(9, 7, "message repeated 5 times: [ Failed password for root from 5.36.59.76 "
                       "port 42393 ssh2]"),
            Events{"attempt failure t=9 host=h pid=7 ip=5.36.59.76 port=42393 user=[root] "
                   "method=password x5"});
  // The run's end: already counted.
  EXPECT_EQ(Feed(9, 7, "Disconnecting: Too many authentication failures for root [preauth]"),
            Events{});
  EXPECT_EQ(Feed(9, 7, "PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh "
                       "ruser= rhost=5.36.59.76  user=root"),
            Events{});
  EXPECT_EQ(Finish(), Events{});
}

TEST_F(AttemptTrackerTest, InvalidUserProbeIsOneAttemptAtTheEndWithItsOwnTime) {
  EXPECT_EQ(Feed(10, 5, "Invalid user admin from 1.2.3.4 port 4444"), Events{});
  EXPECT_EQ(Feed(10, 5, "input_userauth_request: invalid user admin [preauth]"), Events{});
  EXPECT_EQ(Feed(12, 5, "Received disconnect from 1.2.3.4 port 4444:11: Bye Bye [preauth]"),
            Events{"attempt failure t=10 host=h pid=5 ip=1.2.3.4 port=4444 "
                   "user=[admin](invalid) method=none"});
  // sshd's next end line of the same connection counts nothing.
  EXPECT_EQ(Feed(12, 5, "Disconnected from invalid user admin 1.2.3.4 port 4444 [preauth]"),
            Events{});
  EXPECT_EQ(Finish(), Events{});
}

TEST_F(AttemptTrackerTest, EmptyUserProbeAndFinishGivesHeldProbes) {
  EXPECT_EQ(Feed(1, 5, "Invalid user  from 1.2.3.4"), Events{});
  EXPECT_EQ(Feed(2, 6, "Invalid user a b from 2001:DB8::1 port 9"), Events{});
  EXPECT_EQ(Finish(), (Events{"attempt failure t=1 host=h pid=5 ip=1.2.3.4 port=-1 "
                              "user=[](invalid) method=none",
                              "attempt failure t=2 host=h pid=6 ip=2001:db8::1 port=9 "
                              "user=[a b](invalid) method=none"}));
  EXPECT_EQ(tracker_.session_count(), 0u);
}

TEST_F(AttemptTrackerTest, FirstFailedNoneIsNotATryButLaterOnesAre) {
  EXPECT_EQ(Feed(1, 24363, "Invalid user 0 from 5.188.10.180"), Events{});
  EXPECT_EQ(Feed(1, 24363, "Failed none for invalid user 0 from 5.188.10.180 port 49811 ssh2"),
            Events{});
  EXPECT_EQ(Feed(5, 24363, "Failed password for invalid user 0 from 5.188.10.180 port 49811 "
                           "ssh2").size(),
            1u);
  EXPECT_EQ(Feed(6, 24363, "Failed none for invalid user 0 from 5.188.10.180 port 49811 ssh2"),
            Events{"attempt failure t=6 host=h pid=24363 ip=5.188.10.180 port=49811 "
                   "user=[0](invalid) method=none"});
  EXPECT_EQ(Feed(6, 24363, "Connection closed by 5.188.10.180 [preauth]"), Events{});
  // Only a `none`: a username probe, counted once at the end.
  EXPECT_EQ(Feed(7, 24367, "Invalid user admin from 5.188.10.180"), Events{});
  EXPECT_EQ(Feed(7, 24367, "Failed none for invalid user admin from 5.188.10.180 port 52631 "
                           "ssh2"),
            Events{});
  EXPECT_EQ(Feed(8, 24367, "Connection closed by 5.188.10.180 [preauth]"),
            Events{"attempt failure t=7 host=h pid=24367 ip=5.188.10.180 port=52631 "
                   "user=[admin](invalid) method=none"});
}

TEST_F(AttemptTrackerTest, MaxTriesCountsOnlyWhenNoFailedLineWasLogged) {
  EXPECT_EQ(Feed(1, 2938, "error: maximum authentication attempts exceeded for root from "
                          "122.176.37.221 port 37107 ssh2 [preauth]"),
            Events{"attempt failure t=1 host=h pid=2938 ip=122.176.37.221 port=37107 "
                   "user=[root] method="});
  EXPECT_EQ(Feed(1, 2938, "Disconnecting: Too many authentication failures [preauth]"),
            Events{});
  EXPECT_EQ(Feed(2, 16330, "Failed password for root from 181.25.201.155 port 49532 ssh2").size(),
            1u);
  EXPECT_EQ(Feed(3, 16330, "message repeated 5 times: [ Failed password for root from "
                           "181.25.201.155 port 49532 ssh2]").size(),
            1u);
  EXPECT_EQ(Feed(3, 16330, "error: maximum authentication attempts exceeded for root from "
                           "181.25.201.155 port 49532 ssh2 [preauth]"),
            Events{});
  EXPECT_EQ(Feed(3, 16330, "Disconnecting: Too many authentication failures [preauth]"),
            Events{});
  // Too many without any earlier line naming the peer: nothing to attribute.
  MessageResult r;
  EXPECT_EQ(Feed(4, 99, "Disconnecting: Too many authentication failures [preauth]", &r),
            Events{});
  EXPECT_EQ(r, MessageResult::kNoEvent);
  // After an invalid-user probe: the probe's user, one attempt.
  EXPECT_EQ(Feed(5, 100, "Invalid user oracle from 9.8.7.6 port 1"), Events{});
  EXPECT_EQ(Feed(6, 100, "Disconnecting: Too many authentication failures [preauth]"),
            Events{"attempt failure t=6 host=h pid=100 ip=9.8.7.6 port=1 user=[oracle](invalid) "
                   "method="});
  EXPECT_EQ(Feed(6, 100, "Connection closed by 9.8.7.6 port 1 [preauth]"), Events{});
  // OpenSSH 8+: the line names user and peer.
  EXPECT_EQ(Feed(7, 101, "Disconnecting authenticating user root 9.8.7.5 port 2: Too many "
                         "authentication failures [preauth]"),
            Events{"attempt failure t=7 host=h pid=101 ip=9.8.7.5 port=2 user=[root] method="});
  EXPECT_EQ(Finish(), Events{});
}

TEST_F(AttemptTrackerTest, ScanIsOneEventPerConnection) {
  EXPECT_EQ(Feed(1, 3453, "Received disconnect from 218.65.30.53 port 22445:11:  [preauth]"),
            Events{"scan none t=1 host=h pid=3453 ip=218.65.30.53 port=22445 user=[] method="});
  EXPECT_EQ(Feed(1, 3453, "Disconnected from 218.65.30.53 port 22445 [preauth]"), Events{});
  EXPECT_EQ(Feed(2, 24301, "Did not receive identification string from 123.235.32.19"),
            Events{"scan none t=2 host=h pid=24301 ip=123.235.32.19 port=-1 user=[] method="});
  EXPECT_EQ(Feed(3, 50, "Bad protocol version identification 'GET / HTTP/1.1' from 1.2.3.4 port "
                        "5"),
            Events{"scan none t=3 host=h pid=50 ip=1.2.3.4 port=5 user=[] method="});
  EXPECT_EQ(Feed(4, 51, "fatal: Unable to negotiate with 1.2.3.5 port 6: no matching cipher "
                        "found. Their offer: aes128-cbc [preauth]").size(),
            1u);
  // kex error without the peer: the connection's end names it.
  EXPECT_EQ(Feed(5, 52, "error: kex_exchange_identification: Connection closed by remote host"),
            Events{});
  EXPECT_EQ(Feed(5, 52, "Connection closed by 1.2.3.6 port 7"),
            Events{"scan none t=5 host=h pid=52 ip=1.2.3.6 port=7 user=[] method="});
  // With the peer known from `Connection from` (VERBOSE), the kex line gives it.
  EXPECT_EQ(Feed(6, 53, "Connection from 1.2.3.7 port 8 on 10.0.0.1 port 22"), Events{});
  EXPECT_EQ(Feed(6, 53, "kex_exchange_identification: banner line contains invalid characters"),
            Events{"scan none t=6 host=h pid=53 ip=1.2.3.7 port=8 user=[] method="});
  EXPECT_EQ(Feed(6, 53, "banner exchange: Connection from 1.2.3.7 port 8: invalid format"),
            Events{});
  // A connection that tried to log in is not a scan.
  EXPECT_EQ(Feed(7, 54, "Failed password for root from 1.2.3.8 port 9 ssh2").size(), 1u);
  EXPECT_EQ(Feed(7, 54, "Connection closed by 1.2.3.8 port 9 [preauth]"), Events{});
  // An end without [preauth] of a connection we never saw: maybe after a login, nothing.
  EXPECT_EQ(Feed(8, 55, "Connection closed by 1.2.3.9 port 10"), Events{});
  EXPECT_EQ(Feed(8, 56, "Received disconnect from 1.2.3.9 port 10:11: disconnected by user"),
            Events{});
}

/// Every way sshd logs a connection's end gives a held probe once, with the probe's own time;
/// sshd's further end lines for that connection add nothing.
TEST(AttemptTrackerEndsTest, EveryEndLineGivesTheHeldProbeOnce) {
  const char* kEnds[] = {
      "Connection closed by 1.2.3.4 port 5 [preauth]",
      "Connection closed by 1.2.3.4 [preauth]",
      "Connection closed by invalid user x 1.2.3.4 port 5 [preauth]",
      "Disconnected from invalid user x 1.2.3.4 port 5 [preauth]",
      "Received disconnect from 1.2.3.4 port 5:11: Bye Bye [preauth]",
      "Received disconnect from 1.2.3.4: 11: Bye Bye [preauth]",
      "error: Received disconnect from 1.2.3.4: 14: No more user authentication methods "
      "available. [preauth]",
      "Connection reset by invalid user x 1.2.3.4 port 5 [preauth]",
      "fatal: Timeout before authentication for 1.2.3.4 port 5",
      "Read error from remote host 1.2.3.4 port 5: Connection timed out [preauth]",
      "ssh_dispatch_run_fatal: Connection from invalid user x 1.2.3.4 port 5: Connection "
      "corrupted [preauth]",
      "fatal: Write failed: Connection reset by peer [preauth]",
      "Disconnecting: Change of username or service not allowed: (x,ssh-connection) -> "
      "(y,ssh-connection) [preauth]",
  };
  for (const char* end : kEnds) {
    AttemptTracker tracker;
    std::vector<AuthEvent> events;
    EXPECT_EQ(tracker.Process(10 * kSecond, "h", "sshd", 42, "Invalid user x from 1.2.3.4",
                              events, nullptr),
              MessageResult::kNoEvent);
    EXPECT_EQ(tracker.Process(20 * kSecond, "h", "sshd", 42, end, events, nullptr),
              MessageResult::kEvents)
        << end;
    ASSERT_EQ(events.size(), 1u) << end;
    EXPECT_EQ(Describe(events[0]),
              std::string("attempt failure t=10 host=h pid=42 ip=1.2.3.4 port=") +
                  (std::string_view(end).find("port 5") != std::string_view::npos ? "5" : "-1") +
                  " user=[x](invalid) method=none")
        << end;
    events.clear();
    for (const char* again : kEnds) {
      EXPECT_NE(tracker.Process(21 * kSecond, "h", "sshd", 42, again, events, nullptr),
                MessageResult::kEvents)
          << end << " then " << again;
    }
    tracker.Finish(events);
    EXPECT_TRUE(events.empty()) << end;
  }
}

/// A connection that never named a user ends in one scan, whatever its end lines.
TEST(AttemptTrackerEndsTest, EveryPreauthEndOfAnUnknownConnectionIsOneScan) {
  const char* kEnds[] = {
      "Connection closed by 1.2.3.4 port 5 [preauth]",
      "Disconnected from 1.2.3.4 port 5 [preauth]",
      "Received disconnect from 1.2.3.4 port 5:11:  [preauth]",
      "Connection reset by 1.2.3.4 port 5 [preauth]",
      "Timeout before authentication for 1.2.3.4 port 5",
      "ssh_dispatch_run_fatal: Connection from 1.2.3.4 port 5: message authentication code "
      "incorrect [preauth]",
      "Did not receive identification string from 1.2.3.4 port 5",
      "Bad protocol version identification '\\003' from 1.2.3.4 port 5",
      "banner exchange: Connection from 1.2.3.4 port 5: invalid format",
      "Unable to negotiate with 1.2.3.4 port 5: no matching host key type found. Their offer: "
      "ssh-rsa,ssh-dss [preauth]",
  };
  for (const char* end : kEnds) {
    AttemptTracker tracker;
    std::vector<AuthEvent> events;
    EXPECT_EQ(tracker.Process(10 * kSecond, "h", "sshd", 42, end, events, nullptr),
              MessageResult::kEvents)
        << end;
    ASSERT_EQ(events.size(), 1u) << end;
    EXPECT_EQ(Describe(events[0]), "scan none t=10 host=h pid=42 ip=1.2.3.4 port=5 user=[] method=")
        << end;
    events.clear();
    for (const char* again : {"Connection closed by 1.2.3.4 port 5 [preauth]",
                              "Disconnected from 1.2.3.4 port 5 [preauth]"}) {
      EXPECT_EQ(tracker.Process(11 * kSecond, "h", "sshd", 42, again, events, nullptr),
                MessageResult::kNoEvent)
          << end << " then " << again;
    }
  }
}

TEST_F(AttemptTrackerTest, EndWithAUserButNoLoggedAttemptIsOneAttempt) {
  EXPECT_EQ(Feed(1, 60, "Connection closed by authenticating user root 1.2.3.4 port 5 [preauth]"),
            Events{"attempt failure t=1 host=h pid=60 ip=1.2.3.4 port=5 user=[root] method="});
  EXPECT_EQ(Feed(1, 60, "Disconnected from authenticating user root 1.2.3.4 port 5 [preauth]"),
            Events{});
}

TEST_F(AttemptTrackerTest, SuccessEndsTheConnectionsAttempts) {
  EXPECT_EQ(Feed(1, 70, "Failed password for u from 1.2.3.4 port 5 ssh2").size(), 1u);
  EXPECT_EQ(Feed(2, 70, "Accepted password for u from 1.2.3.4 port 5 ssh2"),
            Events{"attempt success t=2 host=h pid=70 ip=1.2.3.4 port=5 user=[u] "
                   "method=password"});
  EXPECT_EQ(Feed(2, 70, "pam_unix(sshd:session): session opened for user u by (uid=0)"),
            Events{});
  EXPECT_EQ(Feed(9, 70, "Received disconnect from 1.2.3.4 port 5:11: disconnected by user"),
            Events{});
  EXPECT_EQ(Feed(9, 70, "Disconnected from user u 1.2.3.4 port 5"), Events{});
  EXPECT_EQ(Feed(9, 70, "pam_unix(sshd:session): session closed for user u"), Events{});
  EXPECT_EQ(Finish(), Events{});
}

TEST_F(AttemptTrackerTest, CanonicalAddressesAndHostNames) {
  EXPECT_EQ(Feed(1, 80, "Failed password for root from ::FFFF:10.0.0.1 port 5 ssh2"),
            Events{"attempt failure t=1 host=h pid=80 ip=10.0.0.1 port=5 user=[root] "
                   "method=password"});
  EXPECT_EQ(Feed(1, 81, "Failed password for root from 2001:0db8:0:0::0001 port 5 ssh2"),
            Events{"attempt failure t=1 host=h pid=81 ip=2001:db8::1 port=5 user=[root] "
                   "method=password"});
  EXPECT_EQ(Feed(1, 82, "Failed password for root from ns.example.com port 5 ssh2"),
            Events{"attempt failure t=1 host=h pid=82 ip=ns.example.com(name) port=5 "
                   "user=[root] method=password"});
}

TEST_F(AttemptTrackerTest, HostNameAndAddressOfOneConnectionAreOnePeer) {
  // UseDNS names the peer in `from`; the end line gives its address: one connection, and the
  // probe is reported with the address.
  EXPECT_EQ(Feed(1, 83, "Invalid user x from ns.example.com"), Events{});
  EXPECT_EQ(Feed(2, 83, "Connection closed by 1.2.3.4 port 5 [preauth]"),
            Events{"attempt failure t=1 host=h pid=83 ip=1.2.3.4 port=5 user=[x](invalid) "
                   "method=none"});
  EXPECT_EQ(Feed(3, 84, "Failed password for root from ns.example.com port 5 ssh2").size(), 1u);
  EXPECT_EQ(Feed(3, 84, "Connection closed by 1.2.3.4 port 5 [preauth]"), Events{});
  EXPECT_EQ(Finish(), Events{});
}

TEST_F(AttemptTrackerTest, MalformedAndForeignLines) {
  MessageResult r;
  EXPECT_EQ(Feed(1, 90, "Failed password for root from 999.1.1.1 port 5 ssh2", &r), Events{});
  EXPECT_EQ(r, MessageResult::kMalformed);
  EXPECT_EQ(error_.column, "ip");
  EXPECT_EQ(error_.value, "999.1.1.1");
  EXPECT_EQ(Feed(1, 90, "Failed password for root from 1.2.3.4 port 99999 ssh2", &r), Events{});
  EXPECT_EQ(r, MessageResult::kMalformed);
  EXPECT_EQ(error_.column, "port");
  EXPECT_EQ(Feed(1, 90, "something sshd says that we do not know", &r), Events{});
  EXPECT_EQ(r, MessageResult::kUnknown);
  EXPECT_EQ(Feed(1, 90, "Failed password for root from 1.2.3.4 port 5 ssh2", &r, "sudo"),
            Events{});
  EXPECT_EQ(r, MessageResult::kNotSshd);
  EXPECT_EQ(Feed(1, 90, "Failed password for root from 1.2.3.4 port 5 ssh2", &r,
                 "sshd-session").size(),
            1u);
  EXPECT_TRUE(AttemptTracker::IsSshdProgram("sshd-auth"));
  EXPECT_FALSE(AttemptTracker::IsSshdProgram("sshd2"));
  EXPECT_FALSE(AttemptTracker::IsSshdProgram("Sshd"));
  EXPECT_FALSE(AttemptTracker::IsSshdProgram(""));
}

TEST_F(AttemptTrackerTest, PidReusedByAnotherPeerGivesTheEarlierProbe) {
  EXPECT_EQ(Feed(1, 5, "Invalid user a from 1.1.1.1"), Events{});
  EXPECT_EQ(Feed(2, 5, "Invalid user b from 2.2.2.2"),
            Events{"attempt failure t=1 host=h pid=5 ip=1.1.1.1 port=-1 user=[a](invalid) "
                   "method=none"});
  // Same peer, new `Invalid user`: a new connection too (sshd logs it once per connection).
  EXPECT_EQ(Feed(3, 5, "Invalid user c from 2.2.2.2"),
            Events{"attempt failure t=2 host=h pid=5 ip=2.2.2.2 port=-1 user=[b](invalid) "
                   "method=none"});
  // The same pid on another host is another connection.
  events_.clear();
  EXPECT_EQ(tracker_.Process(4 * kSecond, "other", "sshd", 5,
                             "Connection closed by 2.2.2.2 port 1 [preauth]", events_, &error_),
            MessageResult::kEvents);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, EventKind::kScan);
  EXPECT_EQ(events_[0].host, "other");
  EXPECT_EQ(Finish(), Events{"attempt failure t=3 host=h pid=5 ip=2.2.2.2 port=-1 "
                             "user=[c](invalid) method=none"});
}

TEST_F(AttemptTrackerTest, IdleConnectionsExpireInLogTime) {
  EXPECT_EQ(Feed(100, 5, "Invalid user a from 1.1.1.1"), Events{});
  EXPECT_EQ(Feed(650, 6, "pam_unix(sshd:auth): check pass; user unknown"), Events{});
  MessageResult r;
  EXPECT_EQ(Feed(701, 7, "pam_unix(sshd:auth): check pass; user unknown", &r),
            Events{"attempt failure t=100 host=h pid=5 ip=1.1.1.1 port=-1 user=[a](invalid) "
                   "method=none"});
  EXPECT_EQ(r, MessageResult::kEvents);
  EXPECT_EQ(tracker_.session_count(), 0u);
  // A quiet log: the reader may advance log time without a line.
  EXPECT_EQ(Feed(710, 10, "Invalid user c from 1.1.1.3"), Events{});
  events_.clear();
  tracker_.AdvanceTo(1309 * kSecond, events_);
  EXPECT_TRUE(events_.empty());
  tracker_.AdvanceTo(1311 * kSecond, events_);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].user, "c");
  EXPECT_EQ(events_[0].time_ns, 710 * kSecond);
  // Time going backwards expires nothing.
  EXPECT_EQ(Feed(800, 8, "Invalid user b from 1.1.1.2"), Events{});
  EXPECT_EQ(Feed(-5, 9, "pam_unix(sshd:auth): check pass; user unknown"), Events{});
  EXPECT_EQ(tracker_.session_count(), 1u);
}

TEST(AttemptTrackerBoundsTest, EvictsTheOldestConnectionAndGivesItsProbe) {
  AttemptTracker tracker({.max_sessions = 4});
  std::vector<AuthEvent> events;
  std::vector<std::string> users;
  for (int pid = 0; pid < 1000; ++pid) {
    const std::string message =
        "Invalid user user" + std::to_string(pid) + " from 10.0." + std::to_string(pid / 256) +
        "." + std::to_string(pid % 256);
    events.clear();
    tracker.Process(pid, "h", "sshd", pid, message, events, nullptr);
    // Views stay right even though the evicted slot was reused in the same call.
    for (const AuthEvent& e : events) users.emplace_back(e.user);
    EXPECT_LE(tracker.session_count(), 4u);
  }
  events.clear();
  tracker.Finish(events);
  for (const AuthEvent& e : events) users.emplace_back(e.user);
  ASSERT_EQ(users.size(), 1000u);
  for (int pid = 0; pid < 1000; ++pid) EXPECT_EQ(users[pid], "user" + std::to_string(pid));
}

TEST(AttemptTrackerBoundsTest, ExpiringEveryConnectionAtOnceKeepsEveryEventsText) {
  AttemptTracker tracker;
  std::vector<AuthEvent> events;
  for (int pid = 0; pid < 1000; ++pid) {
    tracker.Process(pid, "host" + std::to_string(pid % 3), "sshd", pid,
                    "Invalid user u" + std::to_string(pid) + " from 2001:db8::" +
                        std::to_string(pid + 1),
                    events, nullptr);
  }
  ASSERT_TRUE(events.empty());
  // Long after: one line expires all 1000, their texts held by the tracker during the call.
  EXPECT_EQ(tracker.Process(int64_t{10'000} * kSecond, "h", "sshd", 1, "Server listening on :: "
                            "port 22.", events, nullptr),
            MessageResult::kEvents);
  ASSERT_EQ(events.size(), 1000u);
  for (int pid = 0; pid < 1000; ++pid) {
    EXPECT_EQ(events[pid].user, std::string("u").append(std::to_string(pid)));
    EXPECT_EQ(events[pid].host, std::string("host").append(std::to_string(pid % 3)));
    EXPECT_EQ(events[pid].ip, std::string("2001:db8::").append(std::to_string(pid + 1)));
    EXPECT_EQ(events[pid].time_ns, pid);
  }
  EXPECT_EQ(tracker.session_count(), 0u);
}

TEST(AttemptTrackerBoundsTest, MemoryStaysBoundedOnAnEndlessStreamOfProbes) {
  AttemptTracker tracker({.max_sessions = 100});
  std::vector<AuthEvent> events;
  size_t given = 0;
  for (int64_t i = 0; i < 200000; ++i) {
    events.clear();
    const std::string message = "Invalid user " + std::string(1 + i % 500, 'x') + " from 10.1.1.1";
    tracker.Process(i, "h", "sshd", i % 5000, message, events, nullptr);
    given += events.size();
    ASSERT_LE(tracker.session_count(), 100u);
  }
  events.clear();
  tracker.Finish(events);
  EXPECT_EQ(given + events.size(), 200000u);
}

/// Random lines built from sshd's shapes with random fields, random bytes and cut lines:
/// nothing crashes, results and events stay consistent, memory stays bounded.
TEST(AttemptTrackerRobustnessTest, RandomInputNeverBreaksIt) {
  static const char* kShapes[] = {
      "Failed password for ", "Failed none for invalid user ", "Accepted publickey for ",
      "Invalid user ", "Connection closed by ", "Disconnected from invalid user ",
      "Received disconnect from ", "message repeated ", "error: maximum authentication attempts "
      "exceeded for ", "Disconnecting: Too many authentication failures", "Disconnecting ",
      "Did not receive identification string from ", "Bad protocol version identification '",
      "kex_exchange_identification: ", "banner exchange: Connection from ",
      "ssh_dispatch_run_fatal: Connection from ", "Connection from ", "Unable to negotiate with ",
      "Protocol major versions differ for ", "Timeout before authentication for ", ""};
  static const char* kPieces[] = {" from ", " port ", "1.2.3.4", "::1", "::ffff:", " ssh2",
                                  " [preauth]", "invalid user ", "authenticating user ", " ",
                                  ":", "]", "[ ", " times: [ ", "65535", "70000", "999.1.1.1",
                                  "x", "host.example", "5", "0", "%", "#033", "\xff", "\n"};
  std::mt19937_64 rng(12345);
  AttemptTracker tracker({.max_sessions = 64, .session_idle_timeout_ns = 50});
  std::vector<AuthEvent> events;
  SshdMessageError error;
  for (int trial = 0; trial < 300000; ++trial) {
    std::string message = kShapes[rng() % std::size(kShapes)];
    const int pieces = static_cast<int>(rng() % 8);
    for (int i = 0; i < pieces; ++i) {
      if (rng() % 5 == 0) {
        message += static_cast<char>(rng());
      } else {
        message += kPieces[rng() % std::size(kPieces)];
      }
    }
    if (rng() % 4 == 0 && !message.empty()) message.resize(rng() % message.size());
    events.clear();
    const int64_t time = static_cast<int64_t>(rng() % 1000) - 10;
    const MessageResult r =
        tracker.Process(time, rng() % 2 ? "a" : "b", rng() % 50 ? "sshd" : "cron",
                        static_cast<int64_t>(rng() % 80) - 1, message, events, &error);
    ASSERT_EQ(r == MessageResult::kEvents, !events.empty()) << message;
    if (r == MessageResult::kMalformed) {
      ASSERT_FALSE(error.column.empty()) << message;
    }
    for (const AuthEvent& e : events) {
      ASSERT_FALSE(e.ip.empty()) << message;
      ASSERT_GE(e.repeat, 1u);
      ASSERT_LE(e.repeat, kMaxRepeat);
      ASSERT_EQ(e.kind == EventKind::kScan, e.outcome == Outcome::kNone) << message;
      ASSERT_LE(e.user.size(), kMaxUserBytes);
    }
    ASSERT_LE(tracker.session_count(), 64u);
  }
  events.clear();
  tracker.Finish(events);
  EXPECT_EQ(tracker.session_count(), 0u);
}

TEST(AttemptTrackerRobustnessTest, RandomBytesNeverBreakIt) {
  std::mt19937_64 rng(777);
  AttemptTracker tracker({.max_sessions = 16});
  std::vector<AuthEvent> events;
  SshdMessageError error;
  for (int trial = 0; trial < 200000; ++trial) {
    std::string message(rng() % 120, '\0');
    for (char& c : message) c = static_cast<char>(rng());
    events.clear();
    const MessageResult r =
        tracker.Process(trial, "h", "sshd", trial % 7, message, events, &error);
    ASSERT_NE(r, MessageResult::kNotSshd);
    ASSERT_LE(tracker.session_count(), 16u);
  }
}

/// The same records give the same events, whatever happened before in another tracker, and
/// whether the caller's vector is reused or fresh.
TEST(AttemptTrackerDeterminismTest, SameRecordsSameEvents) {
  std::vector<std::string> lines;
  std::mt19937_64 rng(5);
  static const char* kTemplates[] = {
      "Invalid user u%d from 10.0.0.%d", "Failed password for root from 10.0.0.%d port %d ssh2",
      "Connection closed by 10.0.0.%d port %d [preauth]",
      "message repeated %d times: [ Failed password for x from 10.0.0.%d port 1 ssh2]",
      "Disconnecting: Too many authentication failures [preauth]",
      "Failed none for invalid user u%d from 10.0.0.%d port 1 ssh2"};
  for (int i = 0; i < 5000; ++i) {
    char line[200];
    std::snprintf(line, sizeof line, kTemplates[rng() % std::size(kTemplates)],
                  static_cast<int>(rng() % 9 + 1), static_cast<int>(rng() % 9 + 1));
    lines.push_back(line);
  }
  auto run = [&](bool reuse) {
    AttemptTracker tracker({.max_sessions = 8, .session_idle_timeout_ns = 30});
    std::vector<std::string> out;
    std::vector<AuthEvent> events;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (reuse) {
        events.clear();
      } else {
        events = std::vector<AuthEvent>();
      }
      tracker.Process(static_cast<int64_t>(i), "h", "sshd", static_cast<int64_t>(i % 11),
                      lines[i], events, nullptr);
      for (const AuthEvent& e : events) out.push_back(Describe(e));
    }
    events.clear();
    tracker.Finish(events);
    for (const AuthEvent& e : events) out.push_back(Describe(e));
    return out;
  };
  const std::vector<std::string> first = run(true);
  EXPECT_GT(first.size(), 1000u);
  EXPECT_EQ(first, run(false));
}

}  // namespace
}  // namespace vigil::sshd
