// Table::flatten (ops/flatten_op.h): one row per element of a tuple or character of a
// string, on random rows inserted and retracted over several commits, against the rows
// computed here from the live input rows; ids distinct and stable; origin_id; errors.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "golden.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using ::vigil::testing::FinalRows;

/// `n` as a tuple (10n, 10n + 1, ..., 10n + n - 1).
Expr TupleOfN() {
  return apply(
      dtype::Tuple,
      [](std::span<const Value> args, ValueArena& arena) {
        std::vector<Value> elements;
        for (int64_t k = 0; k < args[0].as_int(); ++k) {
          elements.push_back(Value::Int(10 * args[0].as_int() + k));
        }
        return arena.MakeTuple(elements.data(), static_cast<uint32_t>(elements.size()));
      },
      {this_["n"]});
}

TEST(Flatten, OneRowPerElementOfTheLiveRowsAcrossCommits) {
  // (Markdown has no empty string: `""` is two quotes. The empty string is tested below.)
  const std::vector<std::string> words = {"a", "ab", "h\u00e9", "\u65e5\u672c", "xyz"};
  for (uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE(seed);
    std::mt19937_64 rng(seed);
    // Rows of distinct ids, some retracted in a later commit.
    std::string markdown = "id | n | s | __time__ | __diff__\n";
    std::map<int, std::pair<int, std::string>> live;
    for (int id = 1; id <= 60; ++id) {
      const int n = static_cast<int>(rng() % 5);
      const std::string& s = words[rng() % words.size()];
      const int time = 2 * (1 + static_cast<int>(rng() % 4));
      markdown += fmt::format("{} | {} | {} | {} | 1\n", id, n, s, time);
      live[id] = {n, s};
      if (rng() % 3 == 0) {
        markdown += fmt::format("{} | {} | {} | {} | -1\n", id, n, s,
                                time + 2 * (1 + static_cast<int>(rng() % 3)));
        live.erase(id);
      }
    }
    const Table t = debug::table_from_markdown(markdown).with_columns({{"xs", TupleOfN()}});
    std::vector<std::string> want_elements, want_chars;
    for (const auto& [id, row] : live) {
      const auto& [n, s] = row;
      for (int k = 0; k < n; ++k) {
        want_elements.push_back(fmt::format("{} | {} | {}", n, s, 10 * n + k));
      }
      // Characters: the test words are ASCII or 2- and 3-byte UTF-8 sequences.
      for (size_t at = 0; at < s.size();) {
        const size_t length = static_cast<unsigned char>(s[at]) < 0x80   ? 1
                              : static_cast<unsigned char>(s[at]) < 0xE0 ? 2
                                                                         : 3;
        want_chars.push_back(fmt::format("{} | {}", n, s.substr(at, length)));
        at += length;
      }
    }
    std::sort(want_elements.begin(), want_elements.end());
    std::sort(want_chars.begin(), want_chars.end());
    EXPECT_EQ(FinalRows(t.flatten("xs")), want_elements);
    EXPECT_EQ(FinalRows(t.select({this_["n"], this_["s"]}).flatten("s")), want_chars);
  }
}

TEST(Flatten, IdsAreDistinctAndOriginIdNamesTheRowFlattened) {
  const Table t = debug::table_from_markdown("n\n3\n2\n0\n4\n")
                      .with_columns({{"xs", TupleOfN()}, {"me", this_.id()}});
  const Table f = t.flatten("xs", "origin");
  EXPECT_EQ(f.column_names(), (std::vector<std::string>{"n", "xs", "me", "origin"}));
  auto captured = debug::Capture(f, engine_test::QuietOptions());
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  std::vector<Key> ids;
  for (const Update& u : captured->updates) {
    ids.push_back(u.id);
    EXPECT_EQ(u.row[2].get(), u.row[3].get());  // origin = the original row's id.
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids.size(), 3u + 2u + 4u);
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

TEST(Flatten, WrongColumnsAndValuesAreReported) {
  const Table t = debug::table_from_markdown("n | s\n1 | a\n2 | None\n");
  EXPECT_THAT(engine_test::RunStatus(t.flatten("n")).message(),
              HasSubstr("column 'n' is int; a tuple or a string column can be flattened"));
  EXPECT_THAT(engine_test::RunStatus(t.flatten("m")).message(), HasSubstr("no column 'm'"));
  EXPECT_THAT(engine_test::RunStatus(t.flatten("s", "n")).message(),
              HasSubstr("origin_id 'n' is already a column"));
  // A None is no string: reported, and with terminate_on_error=false the other rows stay.
  EXPECT_THAT(engine_test::RunStatus(t.flatten("s")).message(), HasSubstr("cannot flatten None"));
  EXPECT_THAT(engine_test::RowsKeepingErrors(t.flatten("s")), ::testing::ElementsAre("1 | a"));
  // The empty string and the empty tuple give no row.
  const Table empty = t.select({{"s", Expr(std::string())}, {"xs", make_tuple({})}});
  EXPECT_THAT(engine_test::RowsKeepingErrors(empty.flatten("s")), ::testing::IsEmpty());
  EXPECT_THAT(engine_test::RowsKeepingErrors(empty.flatten("xs")), ::testing::IsEmpty());
}

}  // namespace
}  // namespace vigil
