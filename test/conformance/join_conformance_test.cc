// Conformance cases of /work/shared/conformance/CASES.md for joins: O-03 (§6.6, forget then
// join, from the docstrings of python/pathway/internals/table.py), and W-29 (§6.1,
// intervals_over with a reducer over ix) when both operations exist. Expectations are copied
// from CASES.md unedited, ids included.

#include <gtest/gtest.h>

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "golden.h"

namespace vigil {
namespace {

using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;
using ::vigil::testing::MatrixOptions;
using ::vigil::testing::StreamRows;

/// forget judges each processing time as a whole: splitting commits changes its results.
constexpr MatrixOptions kPerCommit{.time_dependent = true};

/// The stream as `short id | values... | time | diff` rows, sorted.
std::vector<std::string> StreamWithIds(const std::vector<Update>& updates) {
  std::vector<Update> consolidated = updates;
  Consolidate(consolidated);
  std::vector<std::string> rows;
  for (const Update& u : consolidated) {
    std::string row = u.id.ToShortString();
    for (const auto& v : u.row) row += " | " + FormatValue(v.get());
    row += " | " + std::to_string(u.time) + " | " + std::to_string(u.diff);
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// O-03's inputs: `t` goes through forget(t, 3), `s` is joined to it on v.
struct O03Inputs {
  Table t = debug::table_from_markdown(R"(
t | v | __time__
1 | 1 | 2
2 | 1 | 2
4 | 2 | 4
3 | 3 | 6
)");
  Table s = debug::table_from_markdown(R"(
v | a | __time__
1 | 1 | 2
2 | 2 | 4
1 | 3 | 8
)");
};

// O-03: `forget(t, 3)` then `join(v == v).select(t, v, a)`: the row t=1 is forgotten at
// time 6 (the first commit after now reached 1 + 3), which retracts its joined row; the
// right row arriving at 8 joins only t=2. Ids are Pathway's join ids (SEMANTICS.md App. A).
TEST(JoinConformance, O03_ForgetThenJoinStreamAndIds) {
  O03Inputs in;
  Table forgotten = in.t.forget(in.t["t"], 3);
  Table result = forgotten.join(in.s, left["v"] == right["v"])
                     .select({{"t", left["t"]}, {"v", left["v"]}, {"a", right["a"]}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
1|1|1|2|1
2|1|1|2|1
4|2|2|4|1
1|1|1|6|-1
2|1|3|8|1
)"));
  auto captured = debug::Capture(result);
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  // The ids CASES.md lists, in the order of the stream above.
  EXPECT_EQ(StreamWithIds(captured->updates), ExpectedRows(R"(
^YYYD8ZW... | 1 | 1 | 1 | 2 | 1
^YYY47FZ... | 2 | 1 | 1 | 2 | 1
^Z3QTSKY... | 4 | 2 | 2 | 4 | 1
^YYYD8ZW... | 1 | 1 | 1 | 6 | -1
^YYY822X... | 2 | 1 | 3 | 8 | 1
)"));
}

// O-03 written with the tables' own references and Pathway's `pw.this` for the joined name
// (`this_["v"]` is the left value in an inner join): the same stream.
TEST(JoinConformance, O03_WithTableReferencesAndThis) {
  O03Inputs in;
  Table forgotten = in.t.forget(in.t["t"], 3);
  Table result = forgotten.join(in.s, forgotten["v"] == in.s["v"])
                     .select({forgotten["t"], this_["v"], in.s["a"]});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
1|1|1|2|1
2|1|1|2|1
4|2|2|4|1
1|1|1|6|-1
2|1|3|8|1
)"));
}

/// Pathway's `pointer_from(x)` for int x: the id of the markdown row with index x.
Expr PointerFrom(const Expr& e) {
  return apply(
      dtype::Pointer,
      [](std::span<const Value> args, ValueArena&) {
        return Value::Pointer(KeyForIndex(args[0].as_int()));
      },
      {e}, "pointer_from");
}

// W-29: python/pathway/tests/temporal/test_windows.py::test_intervals_over_with_reducer_over_ix.
// Pathway reduces `tuple(values.ix(grouped_table.ptr).v)`; Vigil's reduce cannot reach into
// another table, so the look-up `values.ix(t.ptr)` is made before windowing and brought onto
// t's rows by id (same ids, so the windows and the time order of tuple() are unchanged).
TEST(JoinConformance, W29_IntervalsOverWithReducerOverIx) {
  auto values = debug::table_from_markdown(R"(
    | v
1   | 1
2   | 2
3   | 6
4   | 3
5   | 9
6   | 3
7   | 2
8   | -5
9   | 1
10  | 7
)");
  auto t = debug::table_from_markdown(R"(
    | t |  ptr
1   | 1 |  10
2   | 2 |  1
3   | 4 |  3
4   | 8 |  2
5   | 9 |  4
6   | 10|  8
7   | 5 |  9
8   | 3 |  7
)")
               .select({this_["t"], {"ptr", PointerFrom(this_["ptr"])}});
  auto probes = debug::table_from_markdown(R"(
t
2
4
6
8
10
)");
  Table looked_up = values.ix(t["ptr"], t);
  Table with_v = t.join(looked_up, t.id() == looked_up.id(), {.id = left.id()})
                     .select({t["t"], looked_up["v"]});
  auto result =
      with_v
          .windowby(with_v["t"], temporal::intervals_over(probes, probes["t"], /*lower=*/-1,
                                                          /*upper=*/1, /*is_outer=*/false))
          .reduce({this_["_pw_window_location"], {"v", reducers::tuple(this_["v"])}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
2  | (7, 1, 2)
4  | (2, 6, 1)
6  | (1,)
8  | (2, 3)
10 | (3, -5)
)"));
}

}  // namespace
}  // namespace vigil
