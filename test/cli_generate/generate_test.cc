// `vigil generate`'s generator: exact shape, determinism, and that each simulated behaviour
// leaves the signature `vigil detect` looks for (and only that one).

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/logins_generator.h"

namespace vigil::cli {
namespace {

constexpr std::string_view kHeader = "username,successful,time,ip_address\n";

struct Generated {
  std::string text;
  GenerateSummary summary;
};

Generated Generate(const GenerateOptions& options) {
  std::FILE* file = std::tmpfile();
  EXPECT_NE(file, nullptr);
  Result<GenerateSummary> summary = GenerateLogins(options, file);
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  Generated out;
  std::rewind(file);
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) out.text.append(buffer, n);
  std::fclose(file);
  if (summary.ok()) out.summary = std::move(summary).value();
  return out;
}

GenerateOptions Options(int64_t rows, uint64_t seed, int64_t attackers = -1) {
  GenerateOptions options;
  options.rows = rows;
  options.seed = seed;
  options.attackers = attackers;
  return options;
}

struct Login {
  std::string username;
  bool successful;
  int64_t time;
  std::string ip;
};

bool IsUsernameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_';
}

/// An address in canonical text: inet_pton accepts it and inet_ntop gives it back unchanged
/// (for IPv6 that is RFC 5952's form, which is what string-keyed grouping needs).
bool IsCanonicalIp(const std::string& ip, bool* ipv6) {
  unsigned char binary[16];
  char text[INET6_ADDRSTRLEN];
  *ipv6 = ip.find(':') != std::string::npos;
  const int family = *ipv6 ? AF_INET6 : AF_INET;
  if (inet_pton(family, ip.c_str(), binary) != 1) return false;
  return inet_ntop(family, binary, text, sizeof(text)) != nullptr && ip == text;
}

/// Parses every data row, failing the test (with the line) on any malformed one.
std::vector<Login> Parse(const std::string& text) {
  std::vector<Login> logins;
  EXPECT_EQ(text.substr(0, kHeader.size()), kHeader);
  size_t at = kHeader.size();
  int64_t line = 1;
  while (at < text.size()) {
    ++line;
    const size_t end = text.find('\n', at);
    if (end == std::string::npos) {
      ADD_FAILURE() << "line " << line << " has no newline";
      break;
    }
    const std::string row = text.substr(at, end - at);
    at = end + 1;
    std::vector<std::string> fields;
    size_t start = 0;
    for (size_t comma; (comma = row.find(',', start)) != std::string::npos; start = comma + 1) {
      fields.push_back(row.substr(start, comma - start));
    }
    fields.push_back(row.substr(start));
    if (fields.size() != 4) {
      ADD_FAILURE() << "line " << line << ": " << row;
      continue;
    }
    Login login;
    login.username = fields[0];
    bool ok = !login.username.empty();
    for (char c : login.username) ok = ok && IsUsernameChar(c);
    ok = ok && (fields[1] == "True" || fields[1] == "False");
    login.successful = fields[1] == "True";
    ok = ok && !fields[2].empty() && fields[2].size() <= 11 &&
         fields[2].find_first_not_of("0123456789") == std::string::npos;
    login.time = ok ? std::stoll(fields[2]) : 0;
    bool ipv6 = false;
    ok = ok && IsCanonicalIp(fields[3], &ipv6);
    login.ip = fields[3];
    if (!ok) {
      ADD_FAILURE() << "line " << line << ": " << row;
      continue;
    }
    logins.push_back(std::move(login));
  }
  return logins;
}

/// Failures per (key, 60-second window aligned to multiples of 60): the tutorial's query.
std::map<std::pair<std::string, int64_t>, int> FailuresPerMinute(const std::vector<Login>& logins,
                                                                 bool by_ip = true) {
  std::map<std::pair<std::string, int64_t>, int> counts;
  for (const Login& login : logins) {
    if (!login.successful) ++counts[{by_ip ? login.ip : login.username, login.time / 60}];
  }
  return counts;
}

int MaxFailuresPerMinute(const std::vector<Login>& logins, const std::string& ip) {
  int most = 0;
  for (const auto& [key, count] : FailuresPerMinute(logins)) {
    if (key.first == ip) most = std::max(most, count);
  }
  return most;
}

/// Generated once and shared: 300k rows hold every behaviour many times over.
const Generated& Large() {
  static const Generated* const generated = new Generated(Generate(Options(300'000, 42)));
  return *generated;
}
const std::vector<Login>& LargeLogins() {
  static const std::vector<Login>* const logins = new std::vector<Login>(Parse(Large().text));
  return *logins;
}

TEST(GenerateLoginsTest, WritesHeaderAndExactRowCount) {
  for (int64_t rows : {0, 1, 7, 25, 1000, 12345}) {
    const Generated generated = Generate(Options(rows, 1));
    EXPECT_EQ(generated.text.substr(0, kHeader.size()), kHeader);
    int64_t newlines = 0;
    for (char c : generated.text) newlines += c == '\n';
    EXPECT_EQ(newlines, rows + 1) << "rows " << rows;
    EXPECT_EQ(generated.summary.rows, rows);
    EXPECT_EQ(static_cast<int64_t>(Parse(generated.text).size()), rows);
  }
}

TEST(GenerateLoginsTest, SameOptionsGiveIdenticalBytes) {
  EXPECT_EQ(Generate(Options(50'000, 9)).text, Generate(Options(50'000, 9)).text);
  EXPECT_EQ(Generate(Options(3'000, 0, 40)).text, Generate(Options(3'000, 0, 40)).text);
}

TEST(GenerateLoginsTest, DifferentSeedOrStartGivesDifferentFile) {
  const std::string base = Generate(Options(20'000, 1)).text;
  EXPECT_NE(base, Generate(Options(20'000, 2)).text);
  GenerateOptions later = Options(20'000, 1);
  later.start += 3600;
  EXPECT_NE(base, Generate(later).text);
}

TEST(GenerateLoginsTest, EveryRowParsesAndTimesStayInTheSpan) {
  const std::vector<Login>& logins = LargeLogins();
  ASSERT_EQ(logins.size(), 300'000u);
  for (const Login& login : logins) {
    ASSERT_GE(login.time, kDefaultGenerateStart);
    ASSERT_LE(login.time, kDefaultGenerateStart + 2 * 86400);
  }
  EXPECT_EQ(Large().summary.first_time, kDefaultGenerateStart);
}

TEST(GenerateLoginsTest, FewRowsAreOutOfOrderAndOnlyBySeconds) {
  const std::vector<Login>& logins = LargeLogins();
  int64_t out_of_order = 0, latest = 0;
  for (const Login& login : logins) {
    if (login.time < latest) {
      ++out_of_order;
      EXPECT_LE(latest - login.time, 16) << login.username << " at " << login.time;
    }
    latest = std::max(latest, login.time);
  }
  EXPECT_GT(out_of_order, 0);
  EXPECT_LT(out_of_order, static_cast<int64_t>(logins.size()) * 2 / 100);
  EXPECT_GE(Large().summary.late_rows, out_of_order);
}

TEST(GenerateLoginsTest, ContainsTheTutorialCase) {
  const std::vector<Login>& logins = LargeLogins();
  std::vector<int64_t> times;
  for (const Login& login : logins) {
    if (login.ip == kTutorialIp) {
      EXPECT_EQ(login.username, kTutorialUser);
      EXPECT_FALSE(login.successful);
      times.push_back(login.time);
    }
  }
  // The same seconds as the tutorial's dataset: 3 failures in the minute before
  // 1545730200 and 7 in [1545730200, 1545730260).
  std::vector<int64_t> expected;
  for (int64_t t = 1545730186; t <= 1545730231; t += 5) expected.push_back(t);
  EXPECT_EQ(times, expected);
  EXPECT_EQ(MaxFailuresPerMinute(logins, kTutorialIp), 7);
  EXPECT_EQ((FailuresPerMinute(logins)[{kTutorialIp, 1545730200 / 60}]), 7);
}

TEST(GenerateLoginsTest, TutorialCaseSurvivesSmallFilesAndOtherStarts) {
  for (int64_t start : {int64_t{0}, int64_t{1'700'000'123}}) {
    GenerateOptions options = Options(100, 5);
    options.start = start;
    const std::vector<Login> logins = Parse(Generate(options).text);
    const int64_t window = (start + 180 + 59) / 60;
    EXPECT_EQ((FailuresPerMinute(logins)[{kTutorialIp, window}]), 7) << "start " << start;
  }
}

TEST(GenerateLoginsTest, MixesIpv4AndIpv6AndSharesOfficeAddresses) {
  std::map<std::string, std::set<std::string>> users_per_ip;
  int64_t ipv6 = 0;
  for (const Login& login : LargeLogins()) {
    ipv6 += login.ip.find(':') != std::string::npos;
    users_per_ip[login.ip].insert(login.username);
  }
  const auto rows = static_cast<int64_t>(LargeLogins().size());
  EXPECT_GT(ipv6, rows / 20);
  EXPECT_LT(ipv6, rows / 2);
  size_t largest_office = 0;
  for (const auto& [ip, users] : users_per_ip)
    largest_office = std::max(largest_office, users.size());
  EXPECT_GE(largest_office, 100u) << "office NAT: many users behind one address";
  EXPECT_GT(Large().summary.offices, 10);
}

TEST(GenerateLoginsTest, DefaultAttackerCountAndMix) {
  const GenerateSummary& summary = Large().summary;
  ASSERT_EQ(static_cast<int64_t>(summary.attackers.size()), DefaultGenerateAttackers(300'000));
  EXPECT_EQ(DefaultGenerateAttackers(300'000), 18);
  std::map<AttackKind, int> kinds;
  std::set<std::string> ips;
  for (const GeneratedAttacker& attacker : summary.attackers) {
    ++kinds[attacker.kind];
    ips.insert(attacker.ip_address);
    EXPECT_NE(attacker.ip_address, kTutorialIp);
  }
  EXPECT_EQ(ips.size(), summary.attackers.size()) << "every attacker has its own address";
  EXPECT_GT(kinds[AttackKind::kFastBruteForce], 0);
  EXPECT_GT(kinds[AttackKind::kSlowBruteForce], 0);
  EXPECT_GT(kinds[AttackKind::kPasswordSpray], 0);
  EXPECT_EQ(Generate(Options(10, 3, 0)).summary.attackers.size(), 0u);
}

TEST(GenerateLoginsTest, FastBruteForceCrossesTheThreshold) {
  const std::vector<Login>& logins = LargeLogins();
  const int64_t last_time = Large().summary.last_time;
  int checked = 0;
  for (const GeneratedAttacker& attacker : Large().summary.attackers) {
    // A campaign that started at least 10 minutes before the end has finished its first burst.
    if (attacker.kind != AttackKind::kFastBruteForce || attacker.first_time > last_time - 600) {
      continue;
    }
    ++checked;
    EXPECT_GE(MaxFailuresPerMinute(logins, attacker.ip_address), 5) << attacker.ip_address;
  }
  EXPECT_GE(checked, 5);
}

TEST(GenerateLoginsTest, SlowBruteForceStaysUnderThresholdForHours) {
  const std::vector<Login>& logins = LargeLogins();
  int checked = 0;
  for (const GeneratedAttacker& attacker : Large().summary.attackers) {
    if (attacker.kind != AttackKind::kSlowBruteForce) continue;
    int64_t failures = 0, first = INT64_MAX, last = 0;
    for (const Login& login : logins) {
      if (login.ip != attacker.ip_address || login.successful) continue;
      ++failures;
      first = std::min(first, login.time);
      last = std::max(last, login.time);
    }
    EXPECT_LE(MaxFailuresPerMinute(logins, attacker.ip_address), 3) << attacker.ip_address;
    if (failures == attacker.planned_rows) {  // Finished inside the file (no success row).
      EXPECT_GE(last - first, 20 * (failures - 1)) << attacker.ip_address;
    }
    if (failures >= 100) {
      EXPECT_GE(last - first, 3600) << "over an hour: " << attacker.ip_address;
    }
    checked += failures >= 10;
  }
  EXPECT_GE(checked, 3);
}

TEST(GenerateLoginsTest, SprayersTryManyUsernamesFewTimesEach) {
  const std::vector<Login>& logins = LargeLogins();
  int checked = 0;
  for (const GeneratedAttacker& attacker : Large().summary.attackers) {
    if (attacker.kind != AttackKind::kPasswordSpray) continue;
    std::map<std::string, int> attempts;
    for (const Login& login : logins) {
      if (login.ip == attacker.ip_address) ++attempts[login.username];
    }
    if (attempts.empty()) continue;
    ++checked;
    EXPECT_GE(attempts.size(), 10u) << attacker.ip_address;
    for (const auto& [username, count] : attempts) {
      EXPECT_LE(count, 3) << attacker.ip_address << " tried " << username;
    }
  }
  EXPECT_GE(checked, 3);
}

TEST(GenerateLoginsTest, BackgroundUsersAloneRarelyReachTheThreshold) {
  const std::vector<Login> logins = Parse(Generate(Options(300'000, 42, 0)).text);
  int64_t windows_with_failures = 0, flagged = 0, typo_bursts = 0;
  for (const auto& [key, count] : FailuresPerMinute(logins)) {
    if (key.first == kTutorialIp) continue;
    ++windows_with_failures;
    flagged += count >= 5;
    typo_bursts += count >= 2 && count < 5;
  }
  // Honest users fail now and then (typos, 2-4 failures in a row) ...
  EXPECT_GT(windows_with_failures, 5000);
  EXPECT_GT(typo_bursts, 100);
  // ... but only an unlucky office NAT address, where several users mistype in the same
  // minute, ever reaches 5: well under 1 in 1000 windows.
  EXPECT_LT(flagged * 1000, windows_with_failures);
  // By username, nobody but the tutorial's user_B does.
  int64_t users_flagged = 0;
  for (const auto& [key, count] : FailuresPerMinute(logins, /*by_ip=*/false)) {
    users_flagged += key.first != kTutorialUser && count >= 5;
  }
  EXPECT_LE(users_flagged, 1);
}

TEST(GenerateLoginsTest, RejectsOutOfRangeOptions) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(GenerateLogins(Options(-1, 1), file).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(GenerateLogins(Options(10, 1, kMaxGenerateAttackers + 1), file).status().code(),
            StatusCode::kInvalidArgument);
  GenerateOptions options = Options(10, 1);
  options.start = -5;
  EXPECT_EQ(GenerateLogins(options, file).status().code(), StatusCode::kInvalidArgument);
  std::fclose(file);
}

TEST(GenerateLoginsTest, ReportsWriteErrors) {
  std::FILE* full = std::fopen("/dev/full", "wb");
  if (full == nullptr) GTEST_SKIP() << "no /dev/full";
  Result<GenerateSummary> summary = GenerateLogins(Options(100'000, 1), full);
  std::fclose(full);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kIoError);
  EXPECT_NE(summary.status().message().find("No space left"), std::string::npos)
      << summary.status().message();
}

}  // namespace
}  // namespace vigil::cli
