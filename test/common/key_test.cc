#include "vigil/common/key.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(KeyTest, DebugTableIndexKeysMatchPathway) {
  // table_from_markdown rows 0..5 print with these ids in Pathway.
  const char* expected[] = {"^X1MXHYY", "^YYY4HAB", "^Z3QWT29", "^3CZ78B4", "^3HN31E1", "^3S2X6B2"};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(KeyForIndex(i).ToString().substr(0, 8), expected[i]) << "index " << i;
  }
}

TEST(KeyTest, FullDisplayHas26Base32Characters) {
  std::string s = KeyForIndex(0).ToString();
  EXPECT_EQ(s.size(), 27u);
  EXPECT_EQ(s, "^X1MXHYYG4YM0DB900V28XN5T4W");
  EXPECT_EQ(KeyForIndex(0).ToShortString(), "^X1MXHYY...");
}

TEST(KeyTest, TutorialGroupKeyWithInstanceShard) {
  KeyHasher h;
  h.BeginTuple(3);
  h.AddString("50.37.169.241");
  h.AddInt(1545730200);
  h.AddInt(1545730260);
  h.AddInt(1545730200);
  h.AddInt(1545730260);
  h.AddString("50.37.169.241");
  KeyHasher shard;
  shard.AddString("50.37.169.241");
  Key key = h.Finish().WithShardOf(shard.Finish());
  EXPECT_EQ(key.ToString(), "^3HJ3BS8VS7PC7ACMG9JWFA0ZQM");
}

TEST(KeyTest, SlidingWindowGroupKeysWithoutInstance) {
  const char* expected[] = {"^Y8PEAZV", "^YFKEFV6", "^DX546QX", "^B5NPNV8",
                            "^VRT1YTS", "^QE3WQ0X", "^XJDDRJ0", "^R0SM1CF"};
  for (int i = 0; i < 8; ++i) {
    int64_t s = 352 + 4 * i, e = s + 10;
    KeyHasher h;
    h.BeginTuple(3);
    h.AddNone();
    h.AddInt(s);
    h.AddInt(e);
    h.AddInt(s);
    h.AddInt(e);
    h.AddNone();
    EXPECT_EQ(h.Finish().ToString().substr(0, 8), expected[i]) << "window start " << s;
  }
}

TEST(KeyTest, OrdersAsUnsigned128BitInteger) {
  EXPECT_LT((Key{5, 0}), (Key{0, 1}));
  EXPECT_LT((Key{1, 7}), (Key{2, 7}));
  EXPECT_EQ((Key{1, 2}), (Key{1, 2}));
}

}  // namespace
}  // namespace vigil
