// pointer_from (vigil/expr/expression.h): the pointer of a row's values must be the id a
// groupby on those values gives their group, on random keys of several types; optional
// gives None for a None value.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>

#include <fmt/format.h>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "golden.h"

namespace vigil {
namespace {

using ::vigil::engine_test::QuietOptions;

TEST(PointerFrom, IsTheIdAGroupbyGivesTheGroupOfTheseValues) {
  std::mt19937_64 rng(11);
  std::string text = "a | s | f\n";
  for (int i = 0; i < 400; ++i) {
    text += fmt::format("{} | w{} | {}.5\n", rng() % 7, rng() % 5, rng() % 3);
  }
  const Table t = debug::table_from_markdown(text);
  const Table groups = t.groupby({this_["a"], this_["s"], this_["f"]})
                           .reduce({this_["a"], this_["s"], this_["f"]});
  const Table pointers = t.select({{"a", this_["a"]},
                                   {"s", this_["s"]},
                                   {"f", this_["f"]},
                                   {"p", pointer_from({this_["a"], this_["s"], this_["f"]})}});
  auto captured = debug::CaptureAll({groups, pointers}, QuietOptions());
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  std::map<std::string, Key> group_ids;
  for (const Update& u : (*captured)[0].updates) {
    group_ids[fmt::format("{}|{}|{}", FormatValue(u.row[0].get()), FormatValue(u.row[1].get()),
                          FormatValue(u.row[2].get()))] = u.id;
  }
  ASSERT_GT(group_ids.size(), 20u);
  size_t rows = 0;
  for (const Update& u : (*captured)[1].updates) {
    const std::string key = fmt::format("{}|{}|{}", FormatValue(u.row[0].get()),
                                        FormatValue(u.row[1].get()), FormatValue(u.row[2].get()));
    ASSERT_EQ(u.row[3].get().kind(), ValueKind::kPointer);
    EXPECT_EQ(u.row[3].get().as_pointer(), group_ids.at(key)) << key;
    ++rows;
  }
  EXPECT_EQ(rows, 400u);
}

TEST(PointerFrom, OptionalGivesNoneForANoneValue) {
  const Table t = debug::table_from_markdown("a | b\n1 | 2\n3 | None\n");
  const Table p = t.select({{"a", this_["a"]},
                            {"p", pointer_from({this_["a"], this_["b"]}, /*optional=*/true)}});
  EXPECT_THAT(engine_test::RowsKeepingErrors(p.filter(is_none(this_["p"]))),
              ::testing::ElementsAre("3 | None"));
}

}  // namespace
}  // namespace vigil
