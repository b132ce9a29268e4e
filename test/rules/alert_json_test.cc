// Alert JSON: one valid JSON line per alert whatever the attacker put in a user name, holding
// the original text (parsed back with simdjson).

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <simdjson.h>

#include "connectors/authlog/auth_events_schema.h"
#include "connectors/io.h"
#include "rules/alert_json.h"
#include "rules/detection.h"
#include "rules_test_events.h"

namespace vigil::rules {
namespace {

Alert SampleAlert(std::vector<std::string> users) {
  Alert a;
  a.rule = "brute_force";
  a.severity = "medium";
  a.ip = "203.0.113.9";
  a.ips = {"203.0.113.9"};
  a.users = std::move(users);
  a.user_count = static_cast<int64_t>(a.users.size());
  a.count = 7;
  a.window_start_ns = int64_t{1'699'920'000} * 1'000'000'000;
  a.window_end_ns = a.window_start_ns + int64_t{60} * 1'000'000'000;
  a.first_seen_ns = a.window_start_ns + 1'500'000'000;
  a.last_seen_ns = a.window_start_ns + 59'000'000'000;
  return a;
}

/// Parses one alert line and returns its users; checks the line's shape on the way.
std::vector<std::string> ParsedUsers(const std::string& line) {
  EXPECT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "more than one line";
  for (unsigned char c : line) {
    EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7F)) << "raw byte " << int{c} << " in output";
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const auto error = parser.parse(line).get(doc);
  EXPECT_EQ(error, simdjson::SUCCESS) << simdjson::error_message(error) << ": " << line;
  std::vector<std::string> users;
  if (error) return users;
  simdjson::dom::array array;
  EXPECT_EQ(doc["users"].get_array().get(array), simdjson::SUCCESS);
  for (simdjson::dom::element e : array) {
    std::string_view s;
    EXPECT_EQ(e.get_string().get(s), simdjson::SUCCESS);
    users.emplace_back(s);
  }
  return users;
}

TEST(AlertJson, HasEveryField) {
  const std::string line = AlertJsonLine(SampleAlert({"root", "admin"}));
  EXPECT_EQ(line,
            "{\"rule\":\"brute_force\",\"severity\":\"medium\",\"ip\":\"203.0.113.9\","
            "\"ips\":[\"203.0.113.9\"],\"users\":[\"root\",\"admin\"],\"user_count\":2,"
            "\"count\":7,\"window_start\":\"2023-11-14T00:00:00Z\","
            "\"window_end\":\"2023-11-14T00:01:00Z\",\"first_seen\":\"2023-11-14T00:00:01.5Z\","
            "\"last_seen\":\"2023-11-14T00:00:59Z\"}\n");
}

TEST(AlertJson, HostileNamesRoundTrip) {
  static constexpr char kControls[] = "nul\0byte\n\r\t\b\f\x7f";
  const std::vector<std::string> hostile = {
      "$(rm -rf /);`id`|&>x<y'z\"",
      "<script>alert(1)</script>&amp;",
      "\x1b[31mred\x1b[0m\x1b]0;title\x07",
      std::string(kControls, sizeof(kControls) - 1),
      "line\xe2\x80\xa8sep\xe2\x80\xa9para",
      "caf\xc3\xa9 \xf0\x9f\x98\x80 \xc2\x9b" "31m",  // é, an emoji, the 8-bit CSI (U+009B)
      "back\\slash\\\"",
  };
  const std::vector<std::string> users = ParsedUsers(AlertJsonLine(SampleAlert(hostile)));
  EXPECT_EQ(users, hostile);
}

TEST(AlertJson, InvalidUtf8IsReplaced) {
  const std::string bad = "a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x82";
  const std::vector<std::string> users = ParsedUsers(AlertJsonLine(SampleAlert({bad})));
  ASSERT_EQ(users.size(), 1u);
  // Every byte of an invalid sequence becomes U+FFFD; the valid text stays.
  const std::string r = "\xef\xbf\xbd";
  EXPECT_EQ(users[0], "a" + r + "b" + r + r + "c" + r + r + r + "d" + r + r);
}

TEST(AlertJson, OverlongFieldsAreTruncatedWithAMarker) {
  std::string huge(1 << 20, 'A');
  huge[kMaxJsonStringBytes - 1] = '\xc3';  // a two-byte character straddling the limit
  huge[kMaxJsonStringBytes] = '\xa9';
  const std::string line = AlertJsonLine(SampleAlert({huge}));
  EXPECT_LT(line.size(), 2000u);
  const std::vector<std::string> users = ParsedUsers(line);
  ASSERT_EQ(users.size(), 1u);
  const std::string& u = users[0];
  EXPECT_EQ(u.substr(0, 100), huge.substr(0, 100));
  const std::string marker = "...[truncated ";
  const size_t at = u.find(marker);
  ASSERT_NE(at, std::string::npos) << u;
  EXPECT_EQ(u.substr(0, at), huge.substr(0, at));
  EXPECT_LE(at, kMaxJsonStringBytes);
  EXPECT_EQ(u.substr(at), marker + std::to_string(huge.size() - at) + " bytes]");
}

TEST(AlertJson, TruncationNeverSplitsACharacter) {
  // A name of 3-byte characters cut at the limit keeps whole characters only.
  std::string name;
  while (name.size() < 2 * kMaxJsonStringBytes) name += "\xe2\x82\xac";  // €
  const std::vector<std::string> users = ParsedUsers(AlertJsonLine(SampleAlert({name})));
  ASSERT_EQ(users.size(), 1u);
  const size_t at = users[0].find("...[truncated ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(at % 3, 0u);
  EXPECT_EQ(users[0].substr(0, at), name.substr(0, at));
}

TEST(AlertJson, TimesAreRfc3339Utc) {
  std::string out;
  AppendRfc3339Utc(out, 0);
  EXPECT_EQ(out, "1970-01-01T00:00:00Z");
  out.clear();
  AppendRfc3339Utc(out, -1);
  EXPECT_EQ(out, "1969-12-31T23:59:59.999999999Z");
  out.clear();
  AppendRfc3339Utc(out, int64_t{1'711'754'313} * 1'000'000'000 + 120'000);
  EXPECT_EQ(out, "2024-03-29T23:18:33.00012Z");
}

TEST(AlertJson, HostileNamesFromEventsReachTheJsonIntact) {
  // Events read from JSON Lines with hostile user names (escaped in the input as JSON must
  // be), detected as spraying, printed as alert JSON, parsed back: the names are the same.
  const std::vector<std::pair<std::string, std::string>> names = {
      {R"($(reboot);`id`)", "$(reboot);`id`"},
      {R"(<b onmouseover=x>&</b>)", "<b onmouseover=x>&</b>"},
      {R"(\u001b[2J\u001b]0;pwned\u0007)", "\x1b[2J\x1b]0;pwned\x07"},
      {R"(a\"b\\c\nd)", "a\"b\\c\nd"},
      {R"(x\u2028y\u2029z)", "x\xe2\x80\xa8y\xe2\x80\xa9z"},
  };
  const std::string path = ::testing::TempDir() + "/vigil_rules_hostile_events.jsonl";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (size_t i = 0; i < names.size(); ++i) {
      out << "{\"time\":\"2023-11-14T00:00:0" << i << "+00:00\",\"host\":\"web1\",\"pid\":1,"
          << "\"ip\":\"192.0.2.66\",\"ip_is_hostname\":false,\"port\":22,\"user\":\""
          << names[i].first << "\",\"invalid_user\":true,\"outcome\":\"failure\","
          << "\"method\":\"password\",\"kind\":\"attempt\"}\n";
    }
    ASSERT_TRUE(out.good());
  }
  const RulesConfig config = DefaultRulesConfig();
  const Table events = io::jsonlines::read(path, AuthEventsSchema());
  const auto alerts = test::OfRule(test::CollectAlerts(BuildDetection(events, config), config, {}),
                                   "spraying");
  ASSERT_EQ(alerts.size(), 1u);
  std::vector<std::string> expected;
  for (const auto& [escaped, raw] : names) expected.push_back(raw);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(alerts[0].users, expected);
  EXPECT_EQ(ParsedUsers(AlertJsonLine(alerts[0])), expected);
}

}  // namespace
}  // namespace vigil::rules
