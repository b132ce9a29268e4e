// The tracker on two real sshd logs (../shared/data, see its README), checked against counts
// derived here independently, line by line, without the tracker's session machinery.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "connectors/sshd/attempt_tracker.h"

namespace vigil::sshd {
namespace {

/// A traditional syslog line: `Mar 27 13:06:56 host program[pid]: message`.
struct SyslogLine {
  int64_t time_ns = 0;
  std::string_view host, program, message;
  int64_t pid = -1;
};

/// A few lines of splitting (the syslog folder has the real parser): enough for these files.
bool SplitTraditional(std::string_view line, SyslogLine& out) {
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (line.size() < 16 || line[3] != ' ' || line[9] != ':' || line[12] != ':') return false;
  const size_t month = kMonths.find(line.substr(0, 3));
  if (month == std::string_view::npos) return false;
  const int day = std::atoi(std::string(line.substr(4, 2)).c_str());
  const int hour = std::atoi(std::string(line.substr(7, 2)).c_str());
  const int minute = std::atoi(std::string(line.substr(10, 2)).c_str());
  const int second = std::atoi(std::string(line.substr(13, 2)).c_str());
  out.time_ns =
      ((((static_cast<int64_t>(month / 3) * 31 + day) * 24 + hour) * 60 + minute) * 60 + second) *
      1'000'000'000;
  std::string_view rest = line.substr(16);
  const size_t host_end = rest.find(' ');
  if (host_end == std::string_view::npos) return false;
  out.host = rest.substr(0, host_end);
  rest = rest.substr(host_end + 1);
  const size_t colon = rest.find(": ");
  if (colon == std::string_view::npos) return false;
  std::string_view tag = rest.substr(0, colon);
  out.message = rest.substr(colon + 2);
  out.pid = -1;
  if (tag.ends_with(']')) {
    const size_t open = tag.find('[');
    if (open == std::string_view::npos) return false;
    out.pid = std::atoll(std::string(tag.substr(open + 1, tag.size() - open - 2)).c_str());
    tag = tag.substr(0, open);
  }
  out.program = tag;
  return true;
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(file, line)) {
    if (line.ends_with('\r')) line.pop_back();  // as the engine's line splitter does
    lines.push_back(line);
  }
  return lines;
}

/// The address after the last " from " (or "rhost=" is ignored): dotted quads only, which is
/// all these files hold.
std::string AddressAfterFrom(std::string_view message) {
  const size_t from = message.rfind(" from ");
  if (from == std::string_view::npos) return "";
  std::string_view rest = message.substr(from + 6);
  return std::string(rest.substr(0, rest.find(' ')));
}

struct Counts {
  std::map<std::string, uint64_t> failures_by_ip;
  uint64_t successes = 0;
  uint64_t failures = 0;
};

/// The independent count: every `Failed` line that is not sshd's free `none` try is one
/// failure, `message repeated N times: [ Failed ...]` is N, `Accepted` one success; and per
/// connection (pid, split when the peer changes) one failure for an `Invalid user` or a
/// `maximum authentication attempts exceeded` that no Failed line accounts for.
Counts IndependentCount(const std::vector<std::string>& lines) {
  Counts counts;
  struct Connection {
    std::string ip;
    bool probe = false;
    std::string probe_ip;
    bool failed = false;
  };
  std::map<int64_t, Connection> connections;
  auto end_connection = [&](Connection& c) {
    if (c.probe && !c.failed) {
      ++counts.failures_by_ip[c.probe_ip];
      ++counts.failures;
    }
    c = Connection();
  };
  for (const std::string& text : lines) {
    SyslogLine line;
    if (!SplitTraditional(text, line) || line.program != "sshd") continue;
    std::string_view m = line.message;
    uint64_t repeat = 1;
    if (m.starts_with("message repeated ")) {
      repeat = std::strtoull(std::string(m.substr(17)).c_str(), nullptr, 10);
      m = m.substr(m.find("[ ") + 2);
    }
    const std::string ip = AddressAfterFrom(m);
    Connection& c = connections[line.pid];
    if (!ip.empty() && !c.ip.empty() && ip != c.ip) end_connection(c);
    if (!ip.empty()) c.ip = ip;
    if (m.starts_with("Failed ") && !m.starts_with("Failed none ")) {
      counts.failures_by_ip[ip] += repeat;
      counts.failures += repeat;
      c.failed = true;
    } else if (m.starts_with("Accepted ")) {
      ++counts.successes;
      c.failed = true;
    } else if (m.starts_with("Invalid user ")) {
      if (c.probe) end_connection(c);
      c.ip = ip;
      c.probe = true;
      c.probe_ip = ip;
    } else if (m.starts_with("error: maximum authentication attempts exceeded") && !c.failed) {
      ++counts.failures_by_ip[ip];
      ++counts.failures;
      c.failed = true;
    }
  }
  for (auto& [pid, c] : connections) end_connection(c);
  return counts;
}

struct TrackerRun {
  Counts counts;
  uint64_t scans = 0;
  uint64_t not_sshd = 0, unknown = 0, malformed = 0, no_event = 0, lines_with_events = 0;
  std::vector<std::string> unknown_lines;
};

TrackerRun RunTracker(const std::vector<std::string>& lines) {
  TrackerRun run;
  AttemptTracker tracker;
  std::vector<AuthEvent> events;
  SshdMessageError error;
  auto take = [&](const std::vector<AuthEvent>& given) {
    for (const AuthEvent& e : given) {
      if (e.kind == EventKind::kScan) {
        ++run.scans;
      } else if (e.outcome == Outcome::kSuccess) {
        run.counts.successes += e.repeat;
      } else {
        run.counts.failures_by_ip[std::string(e.ip)] += e.repeat;
        run.counts.failures += e.repeat;
      }
    }
  };
  for (const std::string& text : lines) {
    SyslogLine line;
    if (!SplitTraditional(text, line)) continue;
    events.clear();
    switch (tracker.Process(line.time_ns, line.host, line.program, line.pid, line.message, events,
                            &error)) {
      case MessageResult::kEvents:
        ++run.lines_with_events;
        break;
      case MessageResult::kNoEvent:
        ++run.no_event;
        break;
      case MessageResult::kNotSshd:
        ++run.not_sshd;
        break;
      case MessageResult::kUnknown:
        ++run.unknown;
        run.unknown_lines.push_back(text);
        break;
      case MessageResult::kMalformed:
        ++run.malformed;
        ADD_FAILURE() << text << ": " << error.message;
        break;
    }
    take(events);
  }
  events.clear();
  tracker.Finish(events);
  take(events);
  return run;
}

uint64_t CountLinesStartingWith(const std::vector<std::string>& lines, std::string_view what) {
  uint64_t count = 0;
  for (const std::string& text : lines) {
    SyslogLine line;
    if (SplitTraditional(text, line) && line.program == "sshd" &&
        line.message.starts_with(what)) {
      ++count;
    }
  }
  return count;
}

class RealLogsTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RealLogsTest, AttemptsEqualTheIndependentCount) {
  const std::vector<std::string> lines =
      ReadLines(std::string(VIGIL_SHARED_DIR) + "/data/" + GetParam());
  ASSERT_GT(lines.size(), 1000u) << "missing ../shared/data/" << GetParam();
  const Counts expected = IndependentCount(lines);
  const TrackerRun run = RunTracker(lines);
  EXPECT_EQ(run.malformed, 0u);
  EXPECT_EQ(run.counts.successes, expected.successes);
  EXPECT_EQ(run.counts.successes, CountLinesStartingWith(lines, "Accepted "));
  EXPECT_EQ(run.counts.failures, expected.failures);
  EXPECT_EQ(run.counts.failures_by_ip, expected.failures_by_ip);
  // More attempts than Failed lines (the repeats), fewer than sshd's lines about them.
  EXPECT_GT(run.counts.failures, CountLinesStartingWith(lines, "Failed password"));
  // Every sshd line is understood.
  EXPECT_EQ(run.unknown, 0u) << (run.unknown_lines.empty() ? "" : run.unknown_lines[0]);
  // One scan per connection that never tried: at most the scanners' lines.
  EXPECT_GT(run.scans, 0u);
  EXPECT_LE(run.scans, CountLinesStartingWith(lines, "Did not receive") +
                           CountLinesStartingWith(lines, "Bad protocol") +
                           CountLinesStartingWith(lines, "fatal: Unable to negotiate") +
                           CountLinesStartingWith(lines, "Connection closed by") +
                           CountLinesStartingWith(lines, "Received disconnect"));
  std::printf("%s: %zu lines, %llu failed attempts, %llu successes, %llu scans, %llu not sshd\n",
              GetParam(), lines.size(), static_cast<unsigned long long>(run.counts.failures),
              static_cast<unsigned long long>(run.counts.successes),
              static_cast<unsigned long long>(run.scans),
              static_cast<unsigned long long>(run.not_sshd));
}

INSTANTIATE_TEST_SUITE_P(SharedData, RealLogsTest,
                         ::testing::Values("elastic_auth.log", "OpenSSH_2k.log"));

}  // namespace
}  // namespace vigil::sshd
