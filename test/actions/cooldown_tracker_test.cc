#include "actions/cooldown_tracker.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil::actions {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using Clock = CooldownTracker::Clock;

TEST(CooldownTrackerTest, SuppressesTheSamePairUntilTheCooldownEnds) {
  CooldownTracker tracker(minutes(10), 1000);
  Clock::time_point t0{};
  EXPECT_FALSE(tracker.IsCoolingDown("brute_force", "1.2.3.4", t0));
  tracker.Record("brute_force", "1.2.3.4", t0);
  EXPECT_TRUE(tracker.IsCoolingDown("brute_force", "1.2.3.4", t0));
  EXPECT_TRUE(tracker.IsCoolingDown("brute_force", "1.2.3.4", t0 + minutes(9)));
  EXPECT_FALSE(tracker.IsCoolingDown("brute_force", "1.2.3.4", t0 + minutes(10)));
}

TEST(CooldownTrackerTest, PairsAreIndependentPerRuleAndKey) {
  CooldownTracker tracker(minutes(10), 1000);
  Clock::time_point t0{};
  tracker.Record("brute_force", "1.2.3.4", t0);
  EXPECT_FALSE(tracker.IsCoolingDown("spraying", "1.2.3.4", t0));
  EXPECT_FALSE(tracker.IsCoolingDown("brute_force", "1.2.3.5", t0));
  EXPECT_TRUE(tracker.IsCoolingDown("brute_force", "1.2.3.4", t0));
}

TEST(CooldownTrackerTest, RuleAndKeyBoundariesCannotCollide) {
  CooldownTracker tracker(minutes(10), 1000);
  Clock::time_point t0{};
  tracker.Record("ab", "c", t0);
  EXPECT_FALSE(tracker.IsCoolingDown("a", "bc", t0));
  EXPECT_FALSE(tracker.IsCoolingDown("abc", "", t0));
}

TEST(CooldownTrackerTest, ZeroCooldownNeverSuppressesAndRemembersNothing) {
  CooldownTracker tracker(milliseconds(0), 1000);
  Clock::time_point t0{};
  tracker.Record("brute_force", "1.2.3.4", t0);
  EXPECT_FALSE(tracker.IsCoolingDown("brute_force", "1.2.3.4", t0));
  EXPECT_EQ(tracker.size(), 0u);
}

TEST(CooldownTrackerTest, ExpiredEntriesAreForgotten) {
  CooldownTracker tracker(minutes(1), 100000);
  Clock::time_point t0{};
  for (int i = 0; i < 5000; ++i) {
    tracker.Record("brute_force", "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256),
                   t0 + milliseconds(i));
  }
  EXPECT_EQ(tracker.size(), 5000u);
  EXPECT_FALSE(tracker.IsCoolingDown("brute_force", "10.0.0.0", t0 + minutes(1)));
  // The first 1 ms worth expired, the rest not yet.
  EXPECT_EQ(tracker.size(), 4999u);
  EXPECT_FALSE(tracker.IsCoolingDown("brute_force", "10.0.0.0", t0 + minutes(2)));
  EXPECT_EQ(tracker.size(), 0u);
}

TEST(CooldownTrackerTest, SizeStaysBoundedByForgettingTheOldest) {
  CooldownTracker tracker(minutes(10), 100);
  Clock::time_point t0{};
  for (int i = 0; i < 1000; ++i) {
    tracker.Record("brute_force", std::to_string(i), t0 + milliseconds(i));
    ASSERT_LE(tracker.size(), 100u);
  }
  Clock::time_point now = t0 + milliseconds(1000);
  EXPECT_TRUE(tracker.IsCoolingDown("brute_force", "999", now));
  EXPECT_TRUE(tracker.IsCoolingDown("brute_force", "900", now));
  EXPECT_FALSE(tracker.IsCoolingDown("brute_force", "899", now));
  EXPECT_FALSE(tracker.IsCoolingDown("brute_force", "0", now));
}

TEST(CooldownTrackerTest, ARecordAfterExpiryStartsANewCooldown) {
  CooldownTracker tracker(minutes(10), 1000);
  Clock::time_point t0{};
  tracker.Record("brute_force", "1.2.3.4", t0);
  Clock::time_point t1 = t0 + minutes(10);
  EXPECT_FALSE(tracker.IsCoolingDown("brute_force", "1.2.3.4", t1));
  tracker.Record("brute_force", "1.2.3.4", t1);
  EXPECT_TRUE(tracker.IsCoolingDown("brute_force", "1.2.3.4", t1 + minutes(9)));
  EXPECT_FALSE(tracker.IsCoolingDown("brute_force", "1.2.3.4", t1 + minutes(10)));
}

TEST(CooldownTrackerTest, RefreshingAKeyKeepsItsLaterTime) {
  // Recorded again while still cooling down (the runner never does this, but the tracker
  // must stay right): the stale first entry must not forget the refreshed one.
  CooldownTracker tracker(minutes(10), 1000);
  Clock::time_point t0{};
  tracker.Record("brute_force", "1.2.3.4", t0);
  tracker.Record("brute_force", "1.2.3.4", t0 + minutes(5));
  EXPECT_TRUE(tracker.IsCoolingDown("brute_force", "1.2.3.4", t0 + minutes(12)));
  EXPECT_FALSE(tracker.IsCoolingDown("brute_force", "1.2.3.4", t0 + minutes(15)));
  EXPECT_EQ(tracker.size(), 0u);
}

}  // namespace
}  // namespace vigil::actions
