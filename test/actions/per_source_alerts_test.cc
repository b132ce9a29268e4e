#include "actions/per_source_alerts.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "action_test_files.h"

namespace vigil::actions {
namespace {

using testing::MakeAlert;

std::vector<ActionAlert> Collect(const ActionAlert& alert) {
  std::vector<ActionAlert> submitted;
  ForEachSourceAlert(alert, [&](const ActionAlert& one) { submitted.push_back(one); });
  return submitted;
}

TEST(PerSourceAlertsTest, AddressKeyIsSubmittedOnceUnchanged) {
  ActionAlert alert = MakeAlert("brute_force", "2001:db8:1::/64");
  alert.ips = {"2001:db8:1::4", "2001:db8:1::9"};
  std::vector<ActionAlert> submitted = Collect(alert);
  ASSERT_EQ(submitted.size(), 1u);
  EXPECT_EQ(submitted[0].key, "2001:db8:1::/64");
  EXPECT_EQ(submitted[0].ips, alert.ips);
  EXPECT_EQ(submitted[0].json, alert.json);
}

TEST(PerSourceAlertsTest, CampaignKeyedByTargetIsSubmittedPerSourceAddress) {
  ActionAlert alert = MakeAlert("distributed", "root@web1");
  alert.ips = {"192.0.2.1", "198.51.100.7", "2001:db8::5"};
  alert.count = 14;
  alert.json = "{\"rule\":\"distributed\",\"ip\":\"root@web1\"}";
  std::vector<ActionAlert> submitted = Collect(alert);
  ASSERT_EQ(submitted.size(), 3u);
  for (std::size_t i = 0; i < submitted.size(); ++i) {
    EXPECT_EQ(submitted[i].key, alert.ips[i]);
    EXPECT_EQ(submitted[i].ips, std::vector<std::string>{alert.ips[i]});
    EXPECT_EQ(submitted[i].rule, "distributed");
    EXPECT_EQ(submitted[i].count, 14);
    EXPECT_EQ(submitted[i].json, alert.json);
    EXPECT_EQ(submitted[i].window_end, alert.window_end);
  }
}

TEST(PerSourceAlertsTest, NonAddressKeyWithoutSourcesIsSubmittedUnchanged) {
  ActionAlert alert = MakeAlert("brute_force", "attacker.example.net");
  alert.ips.clear();
  std::vector<ActionAlert> submitted = Collect(alert);
  ASSERT_EQ(submitted.size(), 1u);
  EXPECT_EQ(submitted[0].key, "attacker.example.net");
}

TEST(PerSourceAlertsTest, InvalidSourcesAreStillSubmittedForTheRunnerToReject) {
  ActionAlert alert = MakeAlert("distributed", "admin@db");
  alert.ips = {"192.0.2.1", "evil.example.com"};
  std::vector<ActionAlert> submitted = Collect(alert);
  ASSERT_EQ(submitted.size(), 2u);
  EXPECT_EQ(submitted[1].key, "evil.example.com");
}

}  // namespace
}  // namespace vigil::actions
