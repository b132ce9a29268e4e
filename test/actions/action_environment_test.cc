#include "actions/action_environment.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <string>

#include "action_test_files.h"

namespace vigil::actions {
namespace {

using testing::MakeAlert;

/// The VIGIL_* variables of an environment, by name.
std::map<std::string, std::string> VigilVariables(const std::vector<std::string>& environment) {
  std::map<std::string, std::string> variables;
  for (const std::string& entry : environment) {
    if (!entry.starts_with("VIGIL_")) continue;
    std::size_t equals = entry.find('=');
    EXPECT_EQ(variables.count(entry.substr(0, equals)), 0u) << "set twice: " << entry;
    variables[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
  return variables;
}

TEST(ActionEnvironmentTest, SetsEveryFieldAfterTheInheritedOnes) {
  ActionAlert alert = MakeAlert("brute_force", "203.0.113.7");
  alert.ips = {"203.0.113.7", "203.0.113.8"};
  alert.count = 12;
  std::vector<std::string> environment = BuildActionEnvironment(alert, {"PATH=/usr/bin", "LANG=C"});
  ASSERT_GE(environment.size(), 2u);
  EXPECT_EQ(environment[0], "PATH=/usr/bin");
  EXPECT_EQ(environment[1], "LANG=C");
  std::map<std::string, std::string> expected = {
      {"VIGIL_RULE", "brute_force"},
      {"VIGIL_SEVERITY", "high"},
      {"VIGIL_IP", "203.0.113.7"},
      {"VIGIL_IP_FAMILY", "ipv4"},
      {"VIGIL_IPS", "203.0.113.7 203.0.113.8"},
      {"VIGIL_IPS_COUNT", "2"},
      {"VIGIL_IPS_TRUNCATED", "0"},
      {"VIGIL_COUNT", "12"},
      {"VIGIL_WINDOW_START", "2024-03-29T23:18:00Z"},
      {"VIGIL_WINDOW_END", "2024-03-29T23:19:00Z"},
      {"VIGIL_FIRST_SEEN", "2024-03-29T23:18:03Z"},
      {"VIGIL_LAST_SEEN", "2024-03-29T23:18:41Z"},
  };
  EXPECT_EQ(VigilVariables(environment), expected);
}

TEST(ActionEnvironmentTest, IpFamilyFollowsTheKey) {
  ActionAlert alert = MakeAlert("brute_force", "2001:db8:7::/64");
  EXPECT_EQ(VigilVariables(BuildActionEnvironment(alert, {}))["VIGIL_IP_FAMILY"], "ipv6");
  alert = MakeAlert("brute_force", "::ffff:192.0.2.1");
  EXPECT_EQ(VigilVariables(BuildActionEnvironment(alert, {}))["VIGIL_IP_FAMILY"], "ipv6");
}

TEST(ActionEnvironmentTest, LongIpListIsCutAtAnAddressBoundary) {
  ActionAlert alert = MakeAlert("distributed", "2001:db8::/32");
  alert.ips.clear();
  for (int i = 0; i < 10000; ++i) alert.ips.push_back("2001:db8::" + std::to_string(1000 + i));
  auto variables = VigilVariables(BuildActionEnvironment(alert, {}));
  const std::string& ips = variables["VIGIL_IPS"];
  EXPECT_LE(ips.size(), kMaxIpsVariableBytes);
  EXPECT_GT(ips.size(), kMaxIpsVariableBytes - 20);
  EXPECT_EQ(variables["VIGIL_IPS_TRUNCATED"], "1");
  EXPECT_EQ(variables["VIGIL_IPS_COUNT"], "10000");
  // Every address in it is whole, in order from the first.
  std::size_t listed = 0;
  std::size_t start = 0;
  while (start < ips.size()) {
    std::size_t space = ips.find(' ', start);
    std::string ip = ips.substr(start, space == std::string::npos ? space : space - start);
    ASSERT_EQ(ip, alert.ips[listed]);
    ++listed;
    if (space == std::string::npos) break;
    start = space + 1;
  }
  EXPECT_LT(listed, alert.ips.size());
}

TEST(ActionEnvironmentTest, InheritedEnvironmentLeavesOutVigilVariables) {
  ASSERT_EQ(::setenv("VIGIL_IP", "stale", 1), 0);
  ASSERT_EQ(::setenv("VIGIL_ACTIONS_TEST_MARKER", "x", 1), 0);
  ASSERT_EQ(::setenv("ACTIONS_TEST_KEPT", "kept value", 1), 0);
  std::vector<std::string> inherited = InheritedEnvironment();
  ::unsetenv("VIGIL_IP");
  ::unsetenv("VIGIL_ACTIONS_TEST_MARKER");
  ::unsetenv("ACTIONS_TEST_KEPT");
  EXPECT_TRUE(VigilVariables(inherited).empty());
  EXPECT_NE(std::find(inherited.begin(), inherited.end(), "ACTIONS_TEST_KEPT=kept value"),
            inherited.end());
}

}  // namespace
}  // namespace vigil::actions
