#include "connectors/sshd/ip_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace vigil::sshd {
namespace {

std::string Format(const IpAddress& address) {
  char text[kMaxIpTextLength];
  return std::string(text, FormatIp(address, text));
}

std::string Canonical(std::string_view text) {
  const std::optional<IpAddress> address = ParseIp(text);
  return address ? Format(*address) : "<invalid>";
}

std::string Cidr(std::string_view text, int bits) {
  const std::optional<IpAddress> address = ParseIp(text);
  if (!address) return "<invalid>";
  char out[kMaxCidrTextLength];
  return std::string(out, FormatCidr(*address, bits, out));
}

/// What glibc's inet_pton makes of `text` (IPv4 as IPv4-mapped), or nullopt.
std::optional<std::array<uint8_t, 16>> SystemParse(const std::string& text) {
  std::array<uint8_t, 16> bytes{};
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    bytes[10] = bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, &v4, 4);
    return bytes;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::memcpy(bytes.data(), &v6, 16);
    return bytes;
  }
  return std::nullopt;
}

TEST(IpAddressTest, ParsesDottedQuads) {
  EXPECT_EQ(Canonical("1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(Canonical("0.0.0.0"), "0.0.0.0");
  EXPECT_EQ(Canonical("255.255.255.255"), "255.255.255.255");
  const IpAddress address = *ParseIp("10.20.30.40");
  EXPECT_TRUE(address.is_v4);
  EXPECT_EQ(address.bytes[10], 0xff);
  EXPECT_EQ(address.bytes[12], 10);
  EXPECT_EQ(address.bytes[15], 40);
}

TEST(IpAddressTest, RejectsBadDottedQuads) {
  for (const char* text : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "999.1.1.1", "1.2.3.", ".1.2.3",
                           "01.2.3.4", "1.2.3.04", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "1.2.3.a",
                           "1.2.3.4/24", "-1.2.3.4", "1.2.3.1000", "0x1.2.3.4"}) {
    EXPECT_FALSE(ParseIp(text).has_value()) << text;
  }
}

TEST(IpAddressTest, FormatsIpv6AsRfc5952) {
  EXPECT_EQ(Canonical("2001:0DB8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  EXPECT_EQ(Canonical("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");  // first of equal runs
  EXPECT_EQ(Canonical("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");  // no :: for one group
  EXPECT_EQ(Canonical("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");  // the longest run
  EXPECT_EQ(Canonical("::"), "::");
  EXPECT_EQ(Canonical("::1"), "::1");
  EXPECT_EQ(Canonical("1::"), "1::");
  EXPECT_EQ(Canonical("fe80::1%eth0"), "fe80::1");  // zone dropped
  EXPECT_EQ(Canonical("1:2:3:4:5:6:7::"), "1:2:3:4:5:6:7:0");
  EXPECT_EQ(Canonical("::2:3:4:5:6:7:8"), "0:2:3:4:5:6:7:8");
  EXPECT_EQ(Canonical("64:ff9b::192.0.2.33"), "64:ff9b::c000:221");
}

TEST(IpAddressTest, MapsIpv4MappedToIpv4) {
  EXPECT_EQ(Canonical("::ffff:1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(Canonical("::FFFF:102:304"), "1.2.3.4");
  EXPECT_EQ(Canonical("0:0:0:0:0:ffff:0102:0304"), "1.2.3.4");
  EXPECT_TRUE(ParseIp("::ffff:1.2.3.4")->is_v4);
  EXPECT_EQ(*ParseIp("::ffff:1.2.3.4"), *ParseIp("1.2.3.4"));
  EXPECT_FALSE(ParseIp("::fffe:1.2.3.4")->is_v4);
}

TEST(IpAddressTest, RejectsBadIpv6) {
  for (const char* text :
       {":", ":::", "1:::2", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", ":1::", "1::2:", "g::1", "::1.2.3", "::1.2.3.4:5",
        "1:2:3:4:5:6:7:1.2.3.4", "::ffff:01.2.3.4", "fe80::1%", "fe80::1%a b", "[::1]", "::1 "}) {
    EXPECT_FALSE(ParseIp(text).has_value()) << text;
  }
}

/// Random addresses that favour zero groups (where RFC 5952's rules bite).
std::array<uint8_t, 16> RandomV6(std::mt19937_64& rng) {
  std::array<uint8_t, 16> bytes{};
  const int style = static_cast<int>(rng() % 4);
  for (int group = 0; group < 8; ++group) {
    uint16_t value = static_cast<uint16_t>(rng());
    if (style > 0 && rng() % 2 == 0) value = 0;
    if (style == 3 && rng() % 3 == 0) value = static_cast<uint16_t>(value & 0xf);
    bytes[2 * group] = static_cast<uint8_t>(value >> 8);
    bytes[2 * group + 1] = static_cast<uint8_t>(value);
  }
  if (rng() % 16 == 0) {  // IPv4-mapped
    std::fill(bytes.begin(), bytes.begin() + 10, 0);
    bytes[10] = bytes[11] = 0xff;
  }
  return bytes;
}

/// Another RFC 4291 text of the same address: full or compressed at any zero run, upper or
/// lower case, leading zeros or not, an IPv4 tail or not.
std::string RandomVariant(const std::array<uint8_t, 16>& bytes, std::mt19937_64& rng) {
  unsigned groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = unsigned{bytes[2 * i]} << 8 | bytes[2 * i + 1];
  const bool v4_tail = rng() % 4 == 0;
  const int group_count = v4_tail ? 6 : 8;
  // Pick a zero run to compress (or none).
  int gap_start = -1, gap_length = 0;
  if (rng() % 3 != 0) {
    std::vector<std::pair<int, int>> runs;
    for (int i = 0; i < group_count;) {
      if (groups[i] != 0) {
        ++i;
        continue;
      }
      int j = i;
      while (j < group_count && groups[j] == 0) ++j;
      runs.push_back({i, j - i});
      i = j;
    }
    if (!runs.empty()) {
      const auto [start, length] = runs[rng() % runs.size()];
      gap_start = start;
      gap_length = 1 + static_cast<int>(rng() % static_cast<uint64_t>(length));
      gap_start = start + static_cast<int>(rng() % static_cast<uint64_t>(length - gap_length + 1));
    }
  }
  const bool upper = rng() % 2 == 0;
  std::string text;
  for (int i = 0; i < group_count; ++i) {
    if (i == gap_start) {
      text += i == 0 ? "::" : ":";
      i += gap_length - 1;
      continue;
    }
    char group[8];
    if (rng() % 3 == 0) {
      std::snprintf(group, sizeof group, upper ? "%04X" : "%04x", groups[i]);
    } else {
      std::snprintf(group, sizeof group, upper ? "%X" : "%x", groups[i]);
    }
    text += group;
    if (i + 1 < group_count || v4_tail) text += ':';
  }
  if (v4_tail) {
    text += std::to_string(bytes[12]) + "." + std::to_string(bytes[13]) + "." +
            std::to_string(bytes[14]) + "." + std::to_string(bytes[15]);
  }
  return text;
}

TEST(IpAddressTest, RoundTripsRandomAddressesLikeInetPtonAndInetNtop) {
  std::mt19937_64 rng(20261207);
  for (int trial = 0; trial < 50000; ++trial) {
    const std::array<uint8_t, 16> bytes = RandomV6(rng);
    char system_text[INET6_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(AF_INET6, bytes.data(), system_text, sizeof system_text), nullptr);
    const std::optional<IpAddress> parsed = ParseIp(system_text);
    ASSERT_TRUE(parsed.has_value()) << system_text;
    EXPECT_EQ(parsed->bytes, bytes) << system_text;
    const bool mapped = bytes[10] == 0xff && bytes[11] == 0xff &&
                        std::all_of(bytes.begin(), bytes.begin() + 10, [](uint8_t b) {
                          return b == 0;
                        });
    EXPECT_EQ(parsed->is_v4, mapped);
    const std::string ours = Format(*parsed);
    ASSERT_LE(ours.size(), kMaxIpTextLength);
    if (mapped) {
      char v4_text[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, bytes.data() + 12, v4_text, sizeof v4_text);
      EXPECT_EQ(ours, v4_text);
    } else if (std::string_view(system_text).find('.') == std::string_view::npos) {
      // glibc writes ::a.b.c.d (deprecated IPv4-compatible) where RFC 5952 keeps hex.
      EXPECT_EQ(ours, system_text);
    }
    // Our text means the same address to glibc.
    EXPECT_EQ(SystemParse(ours), std::optional(bytes)) << ours;
    // Every other text form parses to the same address, as it does for glibc.
    const std::string variant = RandomVariant(bytes, rng);
    EXPECT_EQ(SystemParse(variant), std::optional(bytes)) << variant;
    const std::optional<IpAddress> reparsed = ParseIp(variant);
    ASSERT_TRUE(reparsed.has_value()) << variant;
    EXPECT_EQ(reparsed->bytes, bytes) << variant;
  }
  for (int trial = 0; trial < 20000; ++trial) {
    const uint32_t value = static_cast<uint32_t>(rng());
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &value, text, sizeof text);
    const std::optional<IpAddress> parsed = ParseIp(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(Format(*parsed), text);
    EXPECT_EQ(std::optional(parsed->bytes), SystemParse(text));
  }
}

TEST(IpAddressTest, AcceptsExactlyWhatInetPtonAcceptsOnRandomText) {
  // Random short strings over the characters addresses are made of: whatever glibc accepts
  // (either family) we accept as the same address, and we accept nothing more.
  std::mt19937_64 rng(7);
  static constexpr char kAlphabet[] = "0123456789abcdefABCDEF:.:.::00ffg ";
  int accepted = 0;
  for (int trial = 0; trial < 300000; ++trial) {
    std::string text;
    const size_t length = rng() % 20;
    for (size_t i = 0; i < length; ++i) text += kAlphabet[rng() % (sizeof kAlphabet - 1)];
    if (rng() % 4 == 0) text = "::ffff:" + text;
    const std::optional<IpAddress> ours = ParseIp(text);
    const std::optional<std::array<uint8_t, 16>> system = SystemParse(text);
    ASSERT_EQ(ours.has_value(), system.has_value()) << '"' << text << '"';
    if (ours) {
      ++accepted;
      EXPECT_EQ(ours->bytes, *system) << text;
    }
  }
  EXPECT_GT(accepted, 100);  // the comparison covered accepted texts too
}

TEST(IpAddressTest, PrefixesAndCidrText) {
  EXPECT_EQ(Cidr("10.1.2.3", 24), "10.1.2.0/24");
  EXPECT_EQ(Cidr("10.1.2.3", 0), "0.0.0.0/0");
  EXPECT_EQ(Cidr("10.1.2.3", 32), "10.1.2.3/32");
  EXPECT_EQ(Cidr("10.1.2.3", 99), "10.1.2.3/32");  // clamped to the family
  EXPECT_EQ(Cidr("10.255.255.255", 9), "10.128.0.0/9");
  EXPECT_EQ(Cidr("2001:db8:1:2:3:4:5:6", 64), "2001:db8:1:2::/64");
  EXPECT_EQ(Cidr("2001:db8:1:2:3:4:5:6", 48), "2001:db8:1::/48");
  EXPECT_EQ(Cidr("2001:db8:1:2:3:4:5:6", 63), "2001:db8:1:2::/63");
  EXPECT_EQ(Cidr("2001:db8:1:3:3:4:5:6", 63), "2001:db8:1:2::/63");
  EXPECT_EQ(Cidr("::ffff:10.1.2.3", 16), "10.1.0.0/16");
  EXPECT_EQ(Prefix(*ParseIp("2001:db8:1:2:aaaa::1"), 64), Prefix(*ParseIp("2001:db8:1:2::9"), 64));
  EXPECT_NE(Prefix(*ParseIp("2001:db8:1:3::1"), 64), Prefix(*ParseIp("2001:db8:1:2::9"), 64));
}

TEST(IpAddressTest, ParsesCidrAndTestsMembership) {
  const IpPrefix net = *ParseCidr("10.1.2.3/24");
  EXPECT_EQ(net.bits, 24);
  EXPECT_EQ(net.network, *ParseIp("10.1.2.0"));
  EXPECT_TRUE(Contains(net, *ParseIp("10.1.2.255")));
  EXPECT_TRUE(Contains(net, *ParseIp("::ffff:10.1.2.7")));
  EXPECT_FALSE(Contains(net, *ParseIp("10.1.3.0")));
  EXPECT_FALSE(Contains(net, *ParseIp("::a01:203")));  // an IPv6 address, not IPv4
  const IpPrefix v6 = *ParseCidr("2001:db8::/32");
  EXPECT_TRUE(Contains(v6, *ParseIp("2001:db8:ffff::1")));
  EXPECT_FALSE(Contains(v6, *ParseIp("2001:db9::1")));
  EXPECT_FALSE(Contains(v6, *ParseIp("1.2.3.4")));
  const IpPrefix single = *ParseCidr("192.0.2.1");
  EXPECT_EQ(single.bits, 32);
  EXPECT_TRUE(Contains(single, *ParseIp("192.0.2.1")));
  EXPECT_FALSE(Contains(single, *ParseIp("192.0.2.2")));
  EXPECT_TRUE(Contains(*ParseCidr("0.0.0.0/0"), *ParseIp("8.8.8.8")));
  EXPECT_TRUE(Contains(*ParseCidr("::/0"), *ParseIp("2001::1")));
  for (const char* text : {"10.1.2.0/33", "10.1.2.0/", "10.1.2.0/-1", "10.1.2.0/024", "/24",
                           "::/129", "10.1.2.0/2x", "10.1.2.0/24/1", "garbage/8", "10.1.2.0/1000"}) {
    EXPECT_FALSE(ParseCidr(text).has_value()) << text;
  }
}

TEST(IpAddressTest, ContainsAgreesWithPrefixOnRandomAddresses) {
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 20000; ++trial) {
    IpAddress a, b;
    a.bytes = RandomV6(rng);
    b.bytes = a.bytes;
    a.is_v4 = b.is_v4 = false;
    const int bits = static_cast<int>(rng() % 129);
    // Flip one random bit of b: inside the prefix it leaves, outside it stays.
    const int flip = static_cast<int>(rng() % 128);
    b.bytes[flip / 8] = static_cast<uint8_t>(b.bytes[flip / 8] ^ (0x80 >> (flip % 8)));
    a.is_v4 = b.is_v4 = false;
    const IpPrefix net{Prefix(a, bits), bits};
    EXPECT_TRUE(Contains(net, a));
    EXPECT_EQ(Contains(net, b), flip >= bits) << bits << " " << flip;
  }
}

TEST(IpAddressTest, RecognisesHostNames) {
  for (const char* name : {"ec2-52-80-34-196.cn-north-1.compute.amazonaws.com.cn", "localhost",
                           "a", "a-b.example", "x1.example.org.", "5.36.59.76.dynamic.net.om"}) {
    EXPECT_TRUE(LooksLikeHostname(name)) << name;
  }
  for (const char* name : {"", ".", "999.1.1.1", "1.2.3.4", "-a.example", "a-.example",
                           "a..b", "a_b.example", "a b", "exa mple", "host!", "::1",
                           "a.123"}) {
    EXPECT_FALSE(LooksLikeHostname(name)) << name;
  }
  EXPECT_TRUE(LooksLikeHostname(std::string(63, 'a') + ".example"));
  EXPECT_FALSE(LooksLikeHostname(std::string(64, 'a') + ".example"));
  std::string long_name;
  while (long_name.size() < 250) long_name += "abcdefghi.";
  long_name += "com";
  ASSERT_EQ(long_name.size(), 253u);
  EXPECT_TRUE(LooksLikeHostname(long_name));
  EXPECT_TRUE(LooksLikeHostname(long_name + "."));  // the root's dot is not counted
  EXPECT_FALSE(LooksLikeHostname(long_name + "m"));  // 254
}

}  // namespace
}  // namespace vigil::sshd
