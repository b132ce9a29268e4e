// Calls a new user writes that used to compile and silently do something else (issue 10,
// item 6): a string where a column is meant, a braced list of names in select(), and
// sliding() with hop and duration swapped.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "golden.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

Table Logins() {
  return debug::table_from_markdown(R"(
ip | user | t
a  | u1   | 1
a  | u2   | 2
b  | u1   | 3
b  | u1   | 12
)");
}

std::vector<Update> FinalOf(const Table& t) {
  auto captured = debug::Capture(t);
  EXPECT_TRUE(captured.ok()) << captured.status().ToString();
  return captured.ok() ? captured->Final() : std::vector<Update>{};
}

TEST(ApiSharpEdges, StringGroupbyKeyIsRejectedNamingTheColumn) {
  Table t = Logins().groupby({"ip"}).reduce({{"n", reducers::count()}});
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("groupby key"));
  EXPECT_THAT(t.status().message(), HasSubstr("this_[\"ip\"]"));
}

TEST(ApiSharpEdges, StringThatIsNoColumnListsTheColumns) {
  Table t = Logins().groupby({"address"}).reduce({{"n", reducers::count()}});
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("\"address\""));
  EXPECT_THAT(t.status().message(), HasSubstr("ip, user, t"));
}

TEST(ApiSharpEdges, StringWindowbyInstanceIsRejected) {
  Table logins = Logins();
  Table t = logins.windowby(logins["t"], temporal::tumbling(10), "ip")
                .reduce({{"n", reducers::count()}});
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("windowby instance"));
  EXPECT_THAT(t.status().message(), HasSubstr("this_[\"ip\"]"));
}

TEST(ApiSharpEdges, StringReducerArgumentIsRejected) {
  Table t = Logins().groupby({this_["ip"]}).reduce({this_["ip"],
                                                    {"users", reducers::count_distinct({"user"})}});
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("count_distinct"));
  EXPECT_THAT(t.status().message(), HasSubstr("this_[\"user\"]"));
  // Nested inside an expression too.
  Table u = Logins().reduce({{"m", reducers::max("user") + "x"}});
  ASSERT_FALSE(u.ok());
  EXPECT_THAT(u.status().message(), HasSubstr("reducer max"));
}

TEST(ApiSharpEdges, StringConstantsElsewhereStayConstants) {
  Table t = Logins().with_columns({{"tag", "x"}}).groupby({this_["tag"]}).reduce(
      {this_["tag"], {"n", reducers::count()}});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  std::vector<Update> final_rows = FinalOf(t);
  ASSERT_EQ(final_rows.size(), 1u);
  EXPECT_EQ(final_rows[0].row[1].get().as_int(), 4);
}

TEST(ApiSharpEdges, BracedNamesSelectThoseColumns) {
  Table by_names = Logins().select({"user", "ip"});
  ASSERT_TRUE(by_names.ok()) << by_names.status().ToString();
  EXPECT_EQ(by_names.column_names(), (std::vector<std::string>{"user", "ip"}));
  Table by_refs = Logins().select({this_["user"], this_["ip"]});
  std::vector<Update> a = FinalOf(by_names);
  std::vector<Update> b = FinalOf(by_refs);
  ASSERT_EQ(a.size(), 4u);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(FormatValue(a[i].row[0].get()), FormatValue(b[i].row[0].get()));
    EXPECT_EQ(FormatValue(a[i].row[1].get()), FormatValue(b[i].row[1].get()));
  }
}

TEST(ApiSharpEdges, NamedSlidingParametersEqualPositionalOnes) {
  Table logins = Logins();
  auto count_in = [&](const Window& w) {
    return logins.windowby(logins["t"], w, this_["ip"])
        .reduce({{"start", this_["_pw_window_start"]}, {"n", reducers::count()}});
  };
  Table named = count_in(temporal::sliding({.hop = 2, .duration = 5}));
  Table positional = count_in(temporal::sliding(2, 5));
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  std::vector<Update> a = FinalOf(named);
  std::vector<Update> b = FinalOf(positional);
  ASSERT_FALSE(a.empty());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].id, b[i].id);
  EXPECT_THAT(named.warnings(), IsEmpty());
  Table tumbling = count_in(temporal::tumbling({.duration = 5, .origin = 1}));
  ASSERT_TRUE(tumbling.ok()) << tumbling.status().ToString();
  EXPECT_FALSE(temporal::sliding(SlidingParams{.duration = 5}).status.ok());
}

TEST(ApiSharpEdges, HopLongerThanDurationWarns) {
  Table logins = Logins();
  Table swapped = logins.windowby(logins["t"], temporal::sliding(10, 2))
                      .reduce({{"n", reducers::count()}});
  ASSERT_TRUE(swapped.ok()) << swapped.status().ToString();  // legal: windows with gaps
  ASSERT_EQ(swapped.warnings().size(), 1u);
  EXPECT_THAT(swapped.warnings()[0], HasSubstr("hop is longer than the duration"));
  Table fine = logins.windowby(logins["t"], temporal::sliding(2, 10))
                   .reduce({{"n", reducers::count()}});
  EXPECT_THAT(fine.warnings(), IsEmpty());
  Table with_ratio = logins.windowby(logins["t"], temporal::sliding(2, std::nullopt, 3))
                         .reduce({{"n", reducers::count()}});
  EXPECT_THAT(with_ratio.warnings(), Not(::testing::Contains(HasSubstr("hop"))));
}

// `other["x"]` is read by name on the table it is used on. That is right when the table
// carries other's column x unchanged, and must be an error otherwise (it used to read this
// table's own column x silently).
TEST(ApiSharpEdges, ColumnOfAnotherTableIsReadWhenItHasTheSameRows) {
  Table people = debug::table_from_markdown(R"(
name | age
a    | 10
b    | 20
)");
  // Same rows (Pathway's same universe): the other table's values, row by row, through an id
  // join that keeps this table's ids.
  Table scaled = people.select({this_["name"], {"age", this_["age"] * 100}});
  Table read = people.select({this_["name"], {"a4", scaled["age"]}, {"i", scaled.id()}});
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  std::vector<Update> rows = FinalOf(read);
  ASSERT_EQ(rows.size(), 2u);
  std::vector<Update> own = FinalOf(people);
  for (const Update& u : rows) {
    const bool is_a = u.row[0].get().as_string() == "a";
    EXPECT_EQ(u.row[1].get().as_int(), is_a ? 1000 : 2000);
    EXPECT_EQ(u.row[2].get().as_pointer(), u.id);  // The same row of both tables.
    EXPECT_TRUE(
        std::any_of(own.begin(), own.end(), [&u](const Update& p) { return p.id == u.id; }));
  }
  // A filter is not a select: it reads only its own table's columns.
  EXPECT_FALSE(people.filter(scaled["age"] > 1).ok());

  // Fewer rows than this table: an error naming the column, not rows silently dropped.
  Table adults_only = people.filter(this_["age"] > 15);
  Table wrong = people.select({{"x", adults_only["age"]}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.status().message(), HasSubstr("column 'age' of another table"));

  // Derived by filters and pass-through selects: the reference reads the same values
  // without a join.
  Table adults = people.with_columns({{"flag", true}}).filter(this_["age"] > 15);
  Table read_back = adults.select({{"from_people", people["age"]}, {"own", this_["age"]}});
  ASSERT_TRUE(read_back.ok()) << read_back.status().ToString();
  EXPECT_EQ(read_back.node()->kind, NodeKind::kMap);
  rows = FinalOf(read_back);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].row[0].get().as_int(), 20);
  EXPECT_EQ(rows[0].row[1].get().as_int(), 20);
  // A recomputed column of a descendant reads the ancestor's original value.
  Table renamed = people.rename({{"age", "years"}}).with_columns({{"age", this_["years"] + 1}});
  rows = FinalOf(renamed.select({{"x", people["age"]}, {"y", this_["age"]}}));
  ASSERT_EQ(rows.size(), 2u);
  for (const Update& u : rows) EXPECT_EQ(u.row[1].get().as_int(), u.row[0].get().as_int() + 1);
  // The ids of an ancestor are this table's ids.
  EXPECT_TRUE(adults.select({{"i", people.id()}}).ok());
}

TEST(ApiSharpEdges, ColumnOfAnotherTableWithTheSameRowsFollowsItsUpdates) {
  // A random update stream (insertions and retractions): reading t2's column from t through
  // the id join gives, under the golden matrix, the stream of computing it on t itself.
  // Every insertion has a fresh id: the matrix shuffles each commit's rows and splits it, so
  // an id retracted and re-inserted in one commit could be live twice between the split
  // parts, a table with a duplicate id, which the join rightly reports.
  std::mt19937_64 rng(7);
  std::string text = "id | k | v | __time__ | __diff__\n";
  std::vector<std::pair<int, int>> live;  // (id, v)
  for (int i = 0, time = 2; i < 300; ++i) {
    if (rng() % 7 == 0) time += 2;
    if (!live.empty() && rng() % 3 == 0) {
      const size_t j = rng() % live.size();
      text += fmt::format("{} | {} | {} | {} | -1\n", live[j].first, live[j].first % 5,
                          live[j].second, time);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(j));
      continue;
    }
    const int v = static_cast<int>(rng() % 100);
    text += fmt::format("{} | {} | {} | {} | 1\n", i, i % 5, v, time);
    live.emplace_back(i, v);
  }
  const Table t = debug::table_from_markdown(text);
  const Table t2 = t.with_columns({{"w", this_["v"] * 3 + this_["k"]}});
  const Table through_join = t.filter(this_["k"] != 2).select({this_["k"], {"w", t2["w"]}});
  const Table direct =
      t.filter(this_["k"] != 2).select({this_["k"], {"w", this_["v"] * 3 + this_["k"]}});
  EXPECT_EQ(through_join.node()->kind, NodeKind::kJoin);
  EXPECT_EQ(testing::StreamRows(through_join), testing::StreamRows(direct));
}

}  // namespace
}  // namespace vigil
