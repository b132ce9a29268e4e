// Calls a new user writes that used to compile and silently do something else (issue 10,
// item 6): a string where a column is meant, a braced list of names in select(), and
// sliding() with hop and duration swapped.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "connectors/debug.h"
#include "engine_test_util.h"

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
TEST(ApiSharpEdges, ColumnOfAnotherTableIsReadOnlyWhenInheritedUnchanged) {
  Table people = debug::table_from_markdown(R"(
name | age
a    | 10
b    | 20
)");
  Table scaled = people.select({this_["name"], {"age", this_["age"] * 100}});
  Table wrong = people.select({{"a4", scaled["age"]}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.status().message(), HasSubstr("column 'age' of another table"));
  EXPECT_FALSE(people.filter(scaled["age"] > 1).ok());
  EXPECT_FALSE(people.select({{"i", scaled.id()}}).ok());

  // Derived by filters and pass-through selects: the reference reads the same values.
  Table adults = people.with_columns({{"flag", true}}).filter(this_["age"] > 15);
  Table read_back = adults.select({{"from_people", people["age"]}, {"own", this_["age"]}});
  ASSERT_TRUE(read_back.ok()) << read_back.status().ToString();
  std::vector<Update> rows = FinalOf(read_back);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].row[0].get().as_int(), 20);
  EXPECT_EQ(rows[0].row[1].get().as_int(), 20);
  // A renamed or recomputed column is not inherited.
  Table renamed = people.rename({{"age", "years"}}).with_columns({{"age", this_["years"] + 1}});
  EXPECT_FALSE(renamed.select({{"x", people["age"]}}).ok());
  // The ids of an ancestor are this table's ids.
  EXPECT_TRUE(adults.select({{"i", people.id()}}).ok());
}

}  // namespace
}  // namespace vigil
