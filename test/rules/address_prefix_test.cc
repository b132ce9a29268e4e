// Aggregation keys (address, or prefix in CIDR text) and the allowlist.

#include <gtest/gtest.h>

#include <string>

#include "rules/address_prefix.h"

namespace vigil::rules {
namespace {

std::string Key(const std::string& ip, int v4 = 32, int v6 = 64) {
  std::string out = "stale";
  AppendAggregationKey(ip, v4, v6, out);
  return out;
}

TEST(AggregationKey, Ipv4IsTheAddressOrItsPrefix) {
  EXPECT_EQ(Key("192.0.2.77"), "192.0.2.77");
  EXPECT_EQ(Key("192.0.2.77", 24), "192.0.2.0/24");
  EXPECT_EQ(Key("192.0.2.77", 0), "0.0.0.0/0");
  EXPECT_EQ(Key("192.0.2.77", 29), "192.0.2.72/29");
}

TEST(AggregationKey, Ipv6IsItsPrefix) {
  EXPECT_EQ(Key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(Key("2001:DB8:1:2::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(Key("2001:db8:1:2::1", 32, 128), "2001:db8:1:2::1");
  EXPECT_EQ(Key("2001:db8:1:2ff::1", 32, 56), "2001:db8:1:200::/56");
  EXPECT_EQ(Key("2001:db8:1:2::1", 32, 61), "2001:db8:1::/61");
}

TEST(AggregationKey, MappedIpv4IsIpv4) {
  EXPECT_EQ(Key("::ffff:198.51.100.4"), "198.51.100.4");
  EXPECT_EQ(Key("::ffff:198.51.100.4", 16), "198.51.0.0/16");
}

TEST(AggregationKey, NonAddressesAreTheirOwnKey) {
  EXPECT_EQ(Key("host.example.org"), "host.example.org");
  EXPECT_EQ(Key(""), "");
  EXPECT_EQ(Key("1.2.3.4.5"), "1.2.3.4.5");
  EXPECT_EQ(Key(std::string(300, '1')), std::string(300, '1'));
}

TEST(Allowlist, MatchesAddressesAndPrefixes) {
  auto list = Allowlist::Make({"10.0.0.0/8", "192.0.2.7", "2001:db8:5::/48", "::ffff:172.16.0.0/108"});
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_TRUE(list->Contains("10.255.0.1"));
  EXPECT_FALSE(list->Contains("11.0.0.1"));
  EXPECT_TRUE(list->Contains("192.0.2.7"));
  EXPECT_FALSE(list->Contains("192.0.2.8"));
  EXPECT_TRUE(list->Contains("2001:db8:5:ffff::1"));
  EXPECT_FALSE(list->Contains("2001:db8:6::1"));
  EXPECT_TRUE(list->Contains("172.16.3.4"));
  EXPECT_TRUE(list->Contains("::ffff:10.1.1.1"));
  EXPECT_FALSE(list->Contains("172.32.0.1"));
  EXPECT_FALSE(list->Contains("not-an-address"));
}

TEST(Allowlist, RejectsBadEntries) {
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/8x", "2001:db8::/129",
                          "example.com", "", "::ffff:10.0.0.0/95"}) {
    auto list = Allowlist::Make({bad});
    EXPECT_FALSE(list.ok()) << bad;
    if (!list.ok()) {
      EXPECT_NE(list.status().message().find(bad), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace vigil::rules
