// The rules file: the shipped example equals the defaults, overrides parse, and every kind of
// mistake is an error naming the file, line:column, key, value and what was expected.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "rules/rules_config.h"

namespace vigil::rules {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

const std::string kDefaultRulesFile = VIGIL_DEFAULT_RULES_FILE;

std::string ErrorOf(const std::string& text) {
  auto config = ParseRulesConfig(text, "rules.toml");
  EXPECT_FALSE(config.ok()) << "accepted: " << text;
  return config.ok() ? "" : config.status().message();
}

TEST(RulesConfig, ShippedFileEqualsDefaults) {
  auto config = LoadRulesConfig(kDefaultRulesFile);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_TRUE(*config == DefaultRulesConfig());
}

TEST(RulesConfig, EmptyFileIsTheDefaults) {
  auto config = ParseRulesConfig("", "empty.toml");
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(*config == DefaultRulesConfig());
}

TEST(RulesConfig, DefaultsAreTheDocumentedOnes) {
  const RulesConfig d = DefaultRulesConfig();
  EXPECT_EQ(d.brute_force.windows, (std::vector<WindowThreshold>{{60, 5}}));
  EXPECT_EQ(d.addresses.ipv6_prefix, 64);
  EXPECT_EQ(d.addresses.ipv4_prefix, 32);
  EXPECT_EQ(d.success_after_failures.lookback_seconds, 3600);
}

TEST(RulesConfig, OverridesParse) {
  auto config = ParseRulesConfig(R"(
[addresses]
ipv6_prefix = 56
[allowlist]
addresses = ["10.0.0.0/8", "2001:db8::/32", "192.0.2.1"]
[brute_force]
windows = [{ window = 120, min_failures = 8 }]
[slow_brute_force]
enabled = false
[spraying]
windows = [{ window = "15m", min_users = 4 }, { window = "2d", min_users = 30 }]
[success_after_failures]
lookback = "1d"
min_failures = 3
)",
                                 "mine.toml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->addresses.ipv6_prefix, 56);
  EXPECT_EQ(config->addresses.ipv4_prefix, 32);
  EXPECT_EQ(config->allowlist.size(), 3u);
  EXPECT_EQ(config->brute_force.windows, (std::vector<WindowThreshold>{{120, 8}}));
  EXPECT_FALSE(config->slow_brute_force.enabled);
  EXPECT_EQ(config->slow_brute_force.windows, DefaultRulesConfig().slow_brute_force.windows);
  EXPECT_EQ(config->spraying.windows,
            (std::vector<WindowThreshold>{{900, 4}, {2 * 86400, 30}}));
  EXPECT_EQ(config->success_after_failures.lookback_seconds, 86400);
  EXPECT_EQ(config->success_after_failures.min_failures, 3);
}

TEST(RulesConfig, UnknownKeyNamesItsPlaceAndTheKnownKeys) {
  EXPECT_THAT(ErrorOf("[brute_force]\nenabled = true\nwindw = 3\n"),
              AllOf(HasSubstr("rules.toml:3:1"), HasSubstr("unknown key 'brute_force.windw'"),
                    HasSubstr("enabled, windows")));
  EXPECT_THAT(ErrorOf("[brute]\n"), AllOf(HasSubstr("rules.toml:1:"),
                                          HasSubstr("unknown key 'brute'")));
  EXPECT_THAT(ErrorOf("[spraying]\nwindows = [{ window = 60, min_failures = 3 }]\n"),
              AllOf(HasSubstr("rules.toml:2:"),
                    HasSubstr("unknown key 'spraying.windows[0].min_failures'"),
                    HasSubstr("min_users")));
}

TEST(RulesConfig, WrongTypeNamesKeyValueAndExpectation) {
  EXPECT_THAT(ErrorOf("[addresses]\nipv6_prefix = \"64\"\n"),
              AllOf(HasSubstr("rules.toml:2:15"), HasSubstr("key 'addresses.ipv6_prefix'"),
                    HasSubstr("expected an integer from 0 to 128"),
                    HasSubstr("got string \"64\"")));
  EXPECT_THAT(ErrorOf("[scan]\nenabled = 1\n"),
              AllOf(HasSubstr("rules.toml:2:11"), HasSubstr("key 'scan.enabled'"),
                    HasSubstr("true or false"), HasSubstr("got integer 1")));
  EXPECT_THAT(ErrorOf("brute_force = 3\n"),
              AllOf(HasSubstr("key 'brute_force'"), HasSubstr("a table")));
}

TEST(RulesConfig, OutOfRangeValuesAreErrors) {
  EXPECT_THAT(ErrorOf("[addresses]\nipv6_prefix = 129\n"),
              AllOf(HasSubstr("rules.toml:2:15"), HasSubstr("got integer 129")));
  EXPECT_THAT(ErrorOf("[addresses]\nipv4_prefix = -1\n"), HasSubstr("got integer -1"));
  EXPECT_THAT(ErrorOf("[brute_force]\nwindows = [{ window = 0, min_failures = 5 }]\n"),
              AllOf(HasSubstr("key 'brute_force.windows[0].window'"),
                    HasSubstr("a duration from 1 s to 30 days"), HasSubstr("got integer 0")));
  EXPECT_THAT(ErrorOf("[brute_force]\nwindows = [{ window = \"31d\", min_failures = 5 }]\n"),
              HasSubstr("got string \"31d\""));
  EXPECT_THAT(ErrorOf("[brute_force]\nwindows = [{ window = \"5x\", min_failures = 5 }]\n"),
              HasSubstr("got string \"5x\""));
  EXPECT_THAT(ErrorOf("[brute_force]\nwindows = [{ window = 60, min_failures = 0 }]\n"),
              AllOf(HasSubstr("brute_force.windows[0].min_failures"), HasSubstr("got integer 0")));
  EXPECT_THAT(ErrorOf("[brute_force]\nwindows = []\n"),
              AllOf(HasSubstr("brute_force.windows"), HasSubstr("an array of 1 to 8")));
  EXPECT_THAT(ErrorOf("[brute_force]\nwindows = [{ window = 60 }]\n"),
              HasSubstr("expected both 'window' and 'min_failures'"));
  EXPECT_THAT(ErrorOf("[success_after_failures]\nlookback = 99999999999\n"),
              HasSubstr("got integer 99999999999"));
}

TEST(RulesConfig, BadAllowlistEntriesAreErrors) {
  EXPECT_THAT(ErrorOf("[allowlist]\naddresses = [\"10.0.0.0/8\", \"10.0.0.0/33\"]\n"),
              AllOf(HasSubstr("rules.toml:2:28"), HasSubstr("allowlist.addresses[1]"),
                    HasSubstr("\"10.0.0.0/33\""), HasSubstr("from 0 to 32")));
  EXPECT_THAT(ErrorOf("[allowlist]\naddresses = [\"example.com\"]\n"),
              HasSubstr("not an IPv4 or IPv6 address"));
  EXPECT_THAT(ErrorOf("[allowlist]\naddresses = [3]\n"), HasSubstr("got integer 3"));
  EXPECT_THAT(ErrorOf("[allowlist]\naddresses = \"10.0.0.1\"\n"),
              HasSubstr("expected an array of addresses"));
}

TEST(RulesConfig, SyntaxErrorsNameTheirPlace) {
  EXPECT_THAT(ErrorOf("[brute_force\n"), HasSubstr("rules.toml:1:"));
  EXPECT_THAT(ErrorOf("[scan]\nenabled = tru\n"), HasSubstr("rules.toml:2:"));
}

TEST(RulesConfig, MissingFileIsAnError) {
  auto config = LoadRulesConfig("/nonexistent/rules.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), HasSubstr("/nonexistent/rules.toml"));
}

}  // namespace
}  // namespace vigil::rules
