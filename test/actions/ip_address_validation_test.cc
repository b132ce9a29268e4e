#include "actions/ip_address_validation.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace vigil::actions {
namespace {

void ExpectAccepted(const std::string& text, IpFamily family, std::optional<int> prefix) {
  auto shape = ValidateAddressOrPrefix(text);
  ASSERT_TRUE(shape.ok()) << text << ": " << shape.status().ToString();
  EXPECT_EQ(shape->family, family) << text;
  EXPECT_EQ(shape->prefix_length, prefix) << text;
}

void ExpectRejected(const std::string& text) {
  EXPECT_FALSE(ValidateAddressOrPrefix(text).ok()) << "accepted: " << text;
}

TEST(IpAddressValidationTest, AcceptsIpv4Addresses) {
  for (const char* text : {"1.2.3.4", "0.0.0.0", "255.255.255.255", "192.0.2.10", "10.0.0.1"}) {
    ExpectAccepted(text, IpFamily::kIpv4, std::nullopt);
  }
}

TEST(IpAddressValidationTest, AcceptsEveryIpv6TextForm) {
  for (const char* text :
       {"::", "::1", "2001:db8::1", "fe80::", "2001:0db8:0000:0000:0000:0000:0000:0001",
        "1:2:3:4:5:6:7:8", "1::8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "ABCD::ef",
        "::ffff:192.0.2.1", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4"}) {
    ExpectAccepted(text, IpFamily::kIpv6, std::nullopt);
  }
}

TEST(IpAddressValidationTest, AcceptsCidrPrefixesWithoutHostBits) {
  ExpectAccepted("10.0.0.0/8", IpFamily::kIpv4, 8);
  ExpectAccepted("0.0.0.0/0", IpFamily::kIpv4, 0);
  ExpectAccepted("1.2.3.4/32", IpFamily::kIpv4, 32);
  ExpectAccepted("192.168.1.128/25", IpFamily::kIpv4, 25);
  ExpectAccepted("2001:db8::/64", IpFamily::kIpv6, 64);
  ExpectAccepted("2001:db8:0:1::/64", IpFamily::kIpv6, 64);
  ExpectAccepted("::/0", IpFamily::kIpv6, 0);
  ExpectAccepted("2001:db8::1/128", IpFamily::kIpv6, 128);
}

TEST(IpAddressValidationTest, RejectsPrefixesWithHostBitsSet) {
  ExpectRejected("10.0.0.1/8");
  ExpectRejected("192.168.1.129/25");
  ExpectRejected("2001:db8::1/64");
  ExpectRejected("2001:db8:0:1::/48");
}

TEST(IpAddressValidationTest, RejectsMalformedIpv4) {
  for (const char* text :
       {"1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.1000", "01.2.3.4", "1.2.3.00", "1..2.3", ".1.2.3",
        "1.2.3.4.", "1.2.3.a", "1.2.3.-4", "1e1.2.3.4", "0x1.2.3.4", "1234"}) {
    ExpectRejected(text);
  }
}

TEST(IpAddressValidationTest, RejectsMalformedIpv6) {
  for (const char* text :
       {":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", ":1::2",
        "1::2:", ":", "1:2:3:4:5:6:7::8", "::1.2.3.4.5", "1.2.3.4::", "::ffff:1.2.3.4:1", "::1.2.3",
        "1:2:3:4:5:6:7:1.2.3.4", "g::1", "::01.2.3.4"}) {
    ExpectRejected(text);
  }
}

TEST(IpAddressValidationTest, RejectsBadPrefixLengths) {
  for (const char* text : {"1.2.3.0/33", "::/129", "1.2.3.0/", "1.2.3.0/024", "/24", "1.2.3.0/2/4",
                           "1.2.3.0/-1", "1.2.3.0/1000", "::/a"}) {
    ExpectRejected(text);
  }
}

TEST(IpAddressValidationTest, RejectsInjectionAttemptsAndOverlongText) {
  std::vector<std::string> attacks = {"1.2.3.4; rm -rf /",
                                      "$(id)",
                                      "`id`",
                                      "\x1b[31m1.2.3.4",
                                      "1.2.3.4\x1b[0m",
                                      "1.2.3.4\n",
                                      " 1.2.3.4",
                                      "1.2.3.4 ",
                                      "fe80::1%eth0",
                                      "[::1]",
                                      "example.com",
                                      "localhost",
                                      "",
                                      "1.2.3.4|nc",
                                      "<script>",
                                      std::string("1.2.3.4\0", 8),
                                      std::string(100, '1'),
                                      "1.2.3.4" + std::string(100, ' '),
                                      "::" + std::string(5000, '0'),
                                      std::string(50, ':')};
  for (const std::string& attack : attacks) ExpectRejected(attack);
  auto overlong = ValidateAddressOrPrefix(std::string(1 << 20, 'a'));
  ASSERT_FALSE(overlong.ok());
  EXPECT_NE(overlong.status().message().find("longer than"), std::string::npos);
}

TEST(IpAddressValidationTest, ErrorsNeverQuoteTheInput) {
  // The caller quotes the text safely; the reason alone must not echo attacker bytes.
  auto result = ValidateAddressOrPrefix("\x1b[31mevil");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message().find('\x1b'), std::string::npos);
}

/// Random texts built from address pieces: for single addresses (no '/'), the validator
/// must agree with glibc's inet_pton, which is strict in the same way (four dotted parts
/// without leading zeros; `::` standing for at least one group).
TEST(IpAddressValidationTest, AgreesWithInetPtonOnRandomTexts) {
  const std::vector<std::string> pieces = {
      "0",     "1",       "9", "255", "256", "01", "ffff", "ab",
      "12345", "1.2.3.4", ":", "::",  ".",   "f",  "0000", "192"};
  std::mt19937 random(20261207);
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    int count = 1 + static_cast<int>(random() % 12);
    for (int p = 0; p < count; ++p) text += pieces[random() % pieces.size()];
    unsigned char buffer[16];
    bool pton = ::inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
                ::inet_pton(AF_INET6, text.c_str(), buffer) == 1;
    bool ours = ValidateAddressOrPrefix(text).ok();
    ASSERT_EQ(ours, pton) << "disagreement on " << text;
    accepted += ours ? 1 : 0;
  }
  // The generator must actually reach valid addresses for the comparison to mean much.
  EXPECT_GT(accepted, 1000);
}

}  // namespace
}  // namespace vigil::actions
