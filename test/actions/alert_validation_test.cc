#include "actions/alert_validation.h"

#include <gtest/gtest.h>

#include <string>

#include "action_test_files.h"

namespace vigil::actions {
namespace {

using testing::MakeAlert;

/// The message of a rejection, "" when the alert is accepted.
std::string Rejection(const ActionAlert& alert, std::size_t max_bytes = 1 << 20) {
  Status status = ValidateActionAlert(alert, max_bytes);
  return status.ok() ? "" : status.message();
}

TEST(AlertValidationTest, AcceptsAWellFormedAlert) {
  ActionAlert alert = MakeAlert("brute_force", "203.0.113.7");
  EXPECT_EQ(Rejection(alert), "");
  alert.key = "2001:db8:1::/64";
  alert.ips = {"2001:db8:1::5", "2001:db8:1::9"};
  alert.window_start = "1711754280";
  alert.first_seen = "";
  alert.json += "\n";  // A trailing newline is still one line.
  EXPECT_EQ(Rejection(alert), "");
}

TEST(AlertValidationTest, RejectsKeysThatAreNotAddresses) {
  for (const std::string& key :
       {std::string("1.2.3.4; rm -rf /"), std::string("$(id)"), std::string("\x1b[2J1.2.3.4"),
        std::string(300, '9'), std::string("1.2.3.4\nforged log line"), std::string("")}) {
    ActionAlert alert = MakeAlert("brute_force", "1.2.3.4");
    alert.key = key;
    std::string why = Rejection(alert);
    EXPECT_NE(why.find("key"), std::string::npos) << why;
    // The reason quotes the key made printable: no escape byte, no newline.
    EXPECT_EQ(why.find('\x1b'), std::string::npos) << why;
    EXPECT_EQ(why.find('\n'), std::string::npos) << why;
  }
}

TEST(AlertValidationTest, RejectsAnInvalidEntryAmongTheIps) {
  ActionAlert alert = MakeAlert("distributed", "1.2.3.4");
  alert.ips = {"1.2.3.4", "5.6.7.8", "`reboot`"};
  std::string why = Rejection(alert);
  EXPECT_NE(why.find("ips entry"), std::string::npos) << why;
  EXPECT_NE(why.find("`reboot`"), std::string::npos) << why;
}

TEST(AlertValidationTest, RejectsRuleAndSeverityThatAreNotNames) {
  ActionAlert alert = MakeAlert("brute force", "1.2.3.4");
  EXPECT_NE(Rejection(alert).find("rule"), std::string::npos);
  alert = MakeAlert("brute_force;id", "1.2.3.4");
  EXPECT_NE(Rejection(alert).find("rule"), std::string::npos);
  alert = MakeAlert(std::string(65, 'a'), "1.2.3.4");
  EXPECT_NE(Rejection(alert).find("rule"), std::string::npos);
  alert = MakeAlert("brute_force", "1.2.3.4");
  alert.severity = "";
  EXPECT_NE(Rejection(alert).find("severity"), std::string::npos);
  alert.severity = "high\x07";
  EXPECT_NE(Rejection(alert).find("\\x07"), std::string::npos);
}

TEST(AlertValidationTest, RejectsBadCountsAndTimes) {
  ActionAlert alert = MakeAlert("brute_force", "1.2.3.4");
  alert.count = -1;
  EXPECT_NE(Rejection(alert).find("count"), std::string::npos);
  alert = MakeAlert("brute_force", "1.2.3.4");
  alert.window_end = "2024-03-29$(id)";
  EXPECT_NE(Rejection(alert).find("window_end"), std::string::npos);
  alert = MakeAlert("brute_force", "1.2.3.4");
  alert.last_seen = std::string(65, '1');
  EXPECT_NE(Rejection(alert).find("last_seen"), std::string::npos);
}

TEST(AlertValidationTest, RejectsJsonThatIsNotOneLine) {
  ActionAlert alert = MakeAlert("brute_force", "1.2.3.4");
  alert.json = "{\"a\":1}\n{\"b\":2}";
  EXPECT_NE(Rejection(alert).find("one line"), std::string::npos);
  alert.json = "";
  EXPECT_NE(Rejection(alert).find("empty"), std::string::npos);
}

TEST(AlertValidationTest, RejectsOversizedAlerts) {
  ActionAlert alert = MakeAlert("brute_force", "1.2.3.4");
  alert.json = "{\"users\":\"" + std::string(5000, 'x') + "\"}";
  EXPECT_NE(Rejection(alert, 4096).find("larger than"), std::string::npos);
  EXPECT_EQ(Rejection(alert, 8192), "");
  alert = MakeAlert("distributed", "1.2.3.4");
  alert.ips.assign(1000, "203.0.113.200");
  EXPECT_NE(Rejection(alert, 4096).find("larger than"), std::string::npos);
}

}  // namespace
}  // namespace vigil::actions
