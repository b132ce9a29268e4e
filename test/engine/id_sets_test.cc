// Operations on row ids (graph/table_id_sets.cc): restrict, intersect, difference,
// update_rows and update_cells, on random update streams of two tables sharing ids (rows
// inserted, changed and deleted over many commits), against a reference computed here from
// the tables' states after each commit. StreamRows also runs the golden matrix (batch sizes,
// row orders within commits, commit splits).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
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
using ::vigil::testing::StreamRows;

/// A row's values by column, as text.
using Row = std::vector<std::string>;
/// A table's rows by id, after some commit.
using State = std::map<int, Row>;

/// A random update stream: rows of ids 1..ids with `columns` int columns, changed or deleted
/// at random in commits 2, 4, ... Returns the markdown and the state after each commit.
struct Stream {
  std::string markdown;
  std::map<int, State> states;  ///< By commit time.
};

Stream RandomStream(std::mt19937_64& rng, int ids, const std::vector<std::string>& columns,
                    int commits) {
  Stream s;
  s.markdown = "id";
  for (const auto& c : columns) s.markdown += " | " + c;
  s.markdown += " | __time__ | __diff__\n";
  State state;
  for (int commit = 1; commit <= commits; ++commit) {
    const int time = 2 * commit;
    const int changes = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < changes; ++k) {
      const int id = 1 + static_cast<int>(rng() % ids);
      auto it = state.find(id);
      auto line = [&](const Row& row, int diff) {
        s.markdown += std::to_string(id);
        for (const auto& v : row) s.markdown += " | " + v;
        s.markdown += fmt::format(" | {} | {}\n", time, diff);
      };
      if (it != state.end()) {
        line(it->second, -1);  // Deleted, or changed below.
        state.erase(it);
        if (rng() % 3 == 0) continue;
      }
      Row row;
      for (size_t c = 0; c < columns.size(); ++c) row.push_back(std::to_string(rng() % 50));
      line(row, 1);
      state[id] = row;
    }
    s.states[time] = state;
  }
  return s;
}

/// The consolidated stream of a sequence of result states, as StreamRows prints it.
std::vector<std::string> StreamOf(const std::map<int, State>& states) {
  std::vector<std::string> rows;
  State before;
  for (const auto& [time, after] : states) {
    for (const auto& [id, row] : before) {
      auto it = after.find(id);
      if (it == after.end() || it->second != row) {
        rows.push_back(fmt::format("{} | {} | -1", fmt::join(row, " | "), time));
      }
    }
    for (const auto& [id, row] : after) {
      auto it = before.find(id);
      if (it == before.end() || it->second != row) {
        rows.push_back(fmt::format("{} | {} | 1", fmt::join(row, " | "), time));
      }
    }
    before = after;
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// The reference result state at each commit time of either input.
template <typename F>
std::map<int, State> Reference(const Stream& a, const Stream& b, F op) {
  std::map<int, State> out;
  for (const auto& [time, state] : a.states) out[time] = op(state, b.states.at(time));
  return out;
}

// The matrix's random commit splits are left out: a row changed in a commit is its old
// values' retraction and its new values' insertion under one id, and a split between the
// two would make two rows of one id live at once, which an input keyed by id cannot have
// (the join keeping that id reports a duplicate key). The streams here change rows across
// 30 commits instead.
const testing::MatrixOptions kNoSplits{.time_dependent = true};

TEST(IdSets, EveryOperationFollowsItsInputsAcrossCommits) {
  for (uint64_t seed : {1, 2, 3, 4}) {
    SCOPED_TRACE(seed);
    std::mt19937_64 rng(seed);
    const int ids = 12;
    const Stream a = RandomStream(rng, ids, {"v", "w"}, 30);
    const Stream b = RandomStream(rng, ids, {"v"}, 30);
    const Stream c = RandomStream(rng, ids, {"v", "w"}, 30);
    const Table ta = debug::table_from_markdown(a.markdown);
    const Table tb = debug::table_from_markdown(b.markdown);
    const Table tc = debug::table_from_markdown(c.markdown);

    auto keep_if = [](const State& s, const State& other, bool in) {
      State out;
      for (const auto& [id, row] : s) {
        if (other.count(id) == (in ? 1u : 0u)) out[id] = row;
      }
      return out;
    };
    EXPECT_EQ(StreamRows(ta.restrict(tb), kNoSplits),
              StreamOf(Reference(a, b, [&](const State& x, const State& y) {
                return keep_if(x, y, true);
              })))
        << "restrict";
    EXPECT_EQ(StreamRows(ta.difference(tb), kNoSplits),
              StreamOf(Reference(a, b, [&](const State& x, const State& y) {
                return keep_if(x, y, false);
              })))
        << "difference";
    std::map<int, State> both;
    for (const auto& [time, state] : a.states) {
      both[time] = keep_if(keep_if(state, b.states.at(time), true), c.states.at(time), true);
    }
    EXPECT_EQ(StreamRows(ta.intersect({tb, tc}), kNoSplits), StreamOf(both)) << "intersect";
    EXPECT_EQ(StreamRows(ta.update_rows(tc), kNoSplits),
              StreamOf(Reference(a, c, [](const State& x, const State& y) {
                State out = x;
                for (const auto& [id, row] : y) out[id] = row;
                return out;
              })))
        << "update_rows";
    EXPECT_EQ(StreamRows(ta.update_cells(tb), kNoSplits),
              StreamOf(Reference(a, b, [](const State& x, const State& y) {
                State out = x;
                for (auto& [id, row] : out) {
                  auto it = y.find(id);
                  if (it != y.end()) row[0] = it->second[0];  // b's column v.
                }
                return out;
              })))
        << "update_cells";
  }
}

TEST(IdSets, ColumnsAndTypesAreChecked) {
  const Table a = debug::table_from_markdown("id | v | w\n1 | 1 | 2\n");
  const Table b = debug::table_from_markdown("id | v\n1 | 5\n");
  const Table f = debug::table_from_markdown("id | v\n1 | 5.5\n");
  EXPECT_THAT(engine_test::RunStatus(a.update_rows(b)).message(),
              HasSubstr("column 'w' is missing from the other table"));
  EXPECT_THAT(engine_test::RunStatus(b.update_cells(a)).message(),
              HasSubstr("column 'w' of the other table is not a column of this one"));
  EXPECT_THAT(engine_test::RunStatus(a.update_cells(f)).message(),
              HasSubstr("column 'v' is float in the other table and int in this one"));
  const Table optional_v = debug::table_from_markdown("id | v\n1 | None\n2 | 7\n");
  EXPECT_THAT(engine_test::RunStatus(a.update_cells(optional_v)).message(),
              HasSubstr("column 'v' is Optional[int] in the other table and int in this one"));
  // A None value of an optional column replaces the cell; a padded row does not.
  const Table o = debug::table_from_markdown("id | v\n1 | 3\n2 | 4\n");
  const Table n = debug::table_from_markdown("id | v\n1 | None\n");
  EXPECT_THAT(engine_test::RowsKeepingErrors(o.with_columns({{"v", cast(dtype::Optional(dtype::Int), this_["v"])}})
                                                 .update_cells(n)),
              ::testing::UnorderedElementsAre("None", "4"));
  EXPECT_EQ(a.update_cells(b).schema()[0].type, a.schema()[0].type);  // Not made optional.
}

}  // namespace
}  // namespace vigil
