#include "vigil/batch/update.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

Update Make(int64_t id, int64_t v, Time t, Diff d) {
  Update u;
  u.id = KeyForIndex(id);
  u.row.emplace_back(Value::Int(v));
  u.time = t;
  u.diff = d;
  return u;
}

TEST(ConsolidateTest, CancelsInsertAndRetractOfSameRowAtSameTime) {
  std::vector<Update> u = {Make(1, 10, 2, 1), Make(1, 10, 2, -1), Make(2, 5, 2, 1)};
  Consolidate(u);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].id, KeyForIndex(2));
}

TEST(ConsolidateTest, KeepsDifferentTimesApart) {
  std::vector<Update> u = {Make(1, 10, 4, -1), Make(1, 10, 2, 1)};
  Consolidate(u);
  ASSERT_EQ(u.size(), 2u);
  EXPECT_EQ(u[0].time, 2u);
  EXPECT_EQ(u[1].time, 4u);
  EXPECT_TRUE(FinalState(u).empty());
}

TEST(ConsolidateTest, SumsMultiplicities) {
  std::vector<Update> u = {Make(1, 10, 2, 1), Make(1, 10, 2, 1), Make(1, 11, 2, 1)};
  Consolidate(u);
  ASSERT_EQ(u.size(), 2u);
  EXPECT_EQ(u[0].diff + u[1].diff, 3);
}

}  // namespace
}  // namespace vigil
