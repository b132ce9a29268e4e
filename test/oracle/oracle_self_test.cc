// The oracle's own rules, pinned to outputs Pathway printed (CASES.md) and to SEMANTICS.md
// examples, without the engine: if the oracle drifted from Pathway, the differential test
// would compare the engine with the wrong thing.

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "oracle.h"
#include "plain_temporal_replay.h"
#include "random_stream.h"
#include "vigil/common/strong_types.h"

namespace vigil::oracle {
namespace {

using Windows = std::vector<std::pair<int64_t, int64_t>>;

/// An input line of a test: row id (markdown index), columns, processing time, diff.
struct Line {
  int64_t id;
  Row values;
  uint64_t time;
  int64_t diff = 1;
};

/// Commits in order of time, then the end-of-input commit.
InputStream StreamOf(const std::vector<Line>& lines) {
  std::map<uint64_t, Commit> by_time;
  for (const Line& l : lines) {
    Commit& c = by_time[l.time];
    c.time = l.time;
    c.changes.push_back(RowChange{IdKey(l.id), l.values, l.diff});
  }
  InputStream out;
  for (auto& [time, commit] : by_time) out.push_back(std::move(commit));
  Commit end;
  end.time = kEndOfInputTime;
  end.end_of_input = true;
  out.push_back(std::move(end));
  return out;
}

std::string Cells(const std::vector<OValue>& values, const std::vector<size_t>& columns) {
  std::string out;
  for (size_t c : columns) out += (out.empty() ? "" : " | ") + Format(values[c]);
  return out;
}

/// The consolidated update stream of the oracle's successive tables, as sorted
/// `cells | time | diff` rows (the chosen columns only).
std::vector<std::string> StreamText(const std::vector<std::vector<OutputRow>>& tables,
                                    const InputStream& stream, const std::vector<size_t>& columns) {
  std::vector<std::string> out;
  std::map<std::string, int64_t> before;
  for (size_t i = 0; i < tables.size(); ++i) {
    std::map<std::string, int64_t> now;
    for (const OutputRow& r : tables[i]) now[Cells(r.values, columns)] += 1;
    std::map<std::string, int64_t> delta = now;
    for (const auto& [row, n] : before) delta[row] -= n;
    for (const auto& [row, n] : delta) {
      if (n != 0) {
        out.push_back(row + " | " + std::to_string(stream[i].time) + " | " + std::to_string(n));
      }
    }
    before = std::move(now);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Sorted(std::vector<std::string> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

// ---- Window assignment and ids -----------------------------------------------------------

TEST(OracleSelfTest, WindowAssignmentFollowsFloorArithmetic) {
  WindowSpec tumbling2;
  tumbling2.hop = 2;
  // t = -2 and -1 fall in [-2, 0) (SEMANTICS.md §1.2).
  EXPECT_EQ(AssignWindows(tumbling2, -2), (Windows{{-2, 0}}));
  EXPECT_EQ(AssignWindows(tumbling2, -1), (Windows{{-2, 0}}));
  WindowSpec sliding;
  sliding.kind = WindowSpec::Kind::kSliding;
  sliding.hop = 4;
  sliding.duration = 10;
  // 366 is in [360, 370) and [364, 374) (the B-01 stream).
  EXPECT_EQ(AssignWindows(sliding, 366), (Windows{{360, 0}, {364, 1}}));
  EXPECT_EQ(AssignWindows(sliding, 362), (Windows{{356, 0}, {360, 1}}));
  // An explicit origin drops earlier windows but keeps the indexes of the others.
  sliding.origin = 360;
  EXPECT_EQ(AssignWindows(sliding, 362), (Windows{{360, 1}}));
  // hop > duration leaves gaps.
  WindowSpec gaps;
  gaps.kind = WindowSpec::Kind::kSliding;
  gaps.hop = 5;
  gaps.duration = 2;
  EXPECT_TRUE(AssignWindows(gaps, 3).empty());
  EXPECT_EQ(AssignWindows(gaps, 6), (Windows{{5, 0}}));
}

TEST(OracleSelfTest, IdsMatchAppendixA) {
  // table_from_markdown rows 0..2 and sliding-window group ids (Appendix A).
  EXPECT_EQ(IdKey(0).ToShortString(), "^X1MXHYY...");
  EXPECT_EQ(IdKey(1).ToShortString(), "^YYY4HAB...");
  EXPECT_EQ(IdKey(2).ToShortString(), "^Z3QWT29...");
  std::vector<std::string> expected = {"^Y8PEAZV...", "^YFKEFV6...", "^DX546QX..."};
  for (int i = 0; i < 3; ++i) {
    OValue s = OValue::Int(352 + 4 * i), e = OValue::Int(362 + 4 * i);
    Key k = HashValues({OValue::Tuple({OValue::None(), s, e}), s, e, OValue::None()});
    EXPECT_EQ(k.ToShortString(), expected[static_cast<size_t>(i)]);
  }
  // The tutorial's window group, sharded by its instance (SEMANTICS.md Appendix A).
  Pipeline p;
  p.windowed = true;
  p.window.hop = 60;
  p.window.instance = "s";
  auto out = Evaluate(p, StreamOf({{0, {{"s", OValue::Str("50.37.169.241")},
                                        {"t", OValue::Int(1545730200)}}, 2}}));
  ASSERT_EQ(out[0].size(), 1u);
  EXPECT_EQ(out[0][0].id.ToString(), "^3HJ3BS8VS7PC7ACMG9JWFA0ZQM");
}

// ---- Behaviors: the notebook stream (B-01, B-02, B-05) -----------------------------------

InputStream NotebookStream() {
  const std::vector<std::pair<int64_t, uint64_t>> rows = {
      {360, 362}, {362, 362}, {366, 368}, {370, 410}, {370, 370},
      {370, 372}, {372, 374}, {376, 396}, {382, 382}, {382, 392}};
  std::vector<Line> lines;
  for (size_t i = 0; i < rows.size(); ++i) {
    lines.push_back({static_cast<int64_t>(i), {{"t", OValue::Int(rows[i].first)}},
                     rows[i].second});
  }
  return StreamOf(lines);
}

/// windowby(t, sliding(hop=4, duration=10[, origin]), behavior).reduce(count()): the stream
/// of `start | end | count | time | diff`.
std::vector<std::string> NotebookCounts(std::optional<BehaviorSpec> behavior,
                                        std::optional<int64_t> origin = std::nullopt) {
  Pipeline p;
  p.windowed = true;
  p.window.kind = WindowSpec::Kind::kSliding;
  p.window.hop = 4;
  p.window.duration = 10;
  p.window.origin = origin;
  p.behavior = behavior;
  p.reducers = {ReducerCall{}};
  const InputStream stream = NotebookStream();
  return StreamText(Evaluate(p, stream), stream, {0, 1, 3});
}

TEST(OracleSelfTest, B01NoBehavior) {
  EXPECT_EQ(NotebookCounts(std::nullopt), Sorted({
      "352 | 362 | 1 | 362 | 1", "356 | 366 | 2 | 362 | 1", "360 | 370 | 2 | 362 | 1",
      "360 | 370 | 2 | 368 | -1", "360 | 370 | 3 | 368 | 1", "364 | 374 | 1 | 368 | 1",
      "364 | 374 | 1 | 370 | -1", "364 | 374 | 2 | 370 | 1", "368 | 378 | 1 | 370 | 1",
      "364 | 374 | 2 | 372 | -1", "368 | 378 | 1 | 372 | -1", "364 | 374 | 3 | 372 | 1",
      "368 | 378 | 2 | 372 | 1", "364 | 374 | 3 | 374 | -1", "368 | 378 | 2 | 374 | -1",
      "364 | 374 | 4 | 374 | 1", "368 | 378 | 3 | 374 | 1", "372 | 382 | 1 | 374 | 1",
      "376 | 386 | 1 | 382 | 1", "380 | 390 | 1 | 382 | 1", "376 | 386 | 1 | 392 | -1",
      "380 | 390 | 1 | 392 | -1", "376 | 386 | 2 | 392 | 1", "380 | 390 | 2 | 392 | 1",
      "368 | 378 | 3 | 396 | -1", "372 | 382 | 1 | 396 | -1", "376 | 386 | 2 | 396 | -1",
      "368 | 378 | 4 | 396 | 1", "372 | 382 | 2 | 396 | 1", "376 | 386 | 3 | 396 | 1",
      "364 | 374 | 4 | 410 | -1", "368 | 378 | 4 | 410 | -1", "364 | 374 | 5 | 410 | 1",
      "368 | 378 | 5 | 410 | 1"}));
}

TEST(OracleSelfTest, B02Delay) {
  BehaviorSpec b;
  b.delay = 4;
  EXPECT_EQ(NotebookCounts(b), Sorted({
      "352 | 362 | 1 | 362 | 1", "356 | 366 | 2 | 362 | 1", "360 | 370 | 3 | 368 | 1",
      "364 | 374 | 2 | 370 | 1", "364 | 374 | 2 | 372 | -1", "364 | 374 | 3 | 372 | 1",
      "364 | 374 | 3 | 374 | -1", "364 | 374 | 4 | 374 | 1", "368 | 378 | 3 | 374 | 1",
      "372 | 382 | 1 | 382 | 1", "376 | 386 | 1 | 382 | 1", "376 | 386 | 1 | 392 | -1",
      "376 | 386 | 2 | 392 | 1", "368 | 378 | 3 | 396 | -1", "372 | 382 | 1 | 396 | -1",
      "376 | 386 | 2 | 396 | -1", "368 | 378 | 4 | 396 | 1", "372 | 382 | 2 | 396 | 1",
      "376 | 386 | 3 | 396 | 1", "364 | 374 | 4 | 410 | -1", "368 | 378 | 4 | 410 | -1",
      "364 | 374 | 5 | 410 | 1", "368 | 378 | 5 | 410 | 1",
      "380 | 390 | 2 | 18446744073709551614 | 1"}));
}

TEST(OracleSelfTest, B05ExactlyOnceWithOrigin) {
  BehaviorSpec b;
  b.kind = BehaviorSpec::Kind::kExactlyOnce;
  b.shift = 2;
  EXPECT_EQ(NotebookCounts(b, /*origin=*/360), Sorted({
      "360 | 370 | 3 | 374 | 1", "364 | 374 | 4 | 382 | 1", "368 | 378 | 3 | 382 | 1",
      "372 | 382 | 2 | 18446744073709551614 | 1", "376 | 386 | 3 | 18446744073709551614 | 1",
      "380 | 390 | 2 | 18446744073709551614 | 1"}));
}

// ---- Behaviors: the TWS stream (S-01..S-11) -----------------------------------------------

InputStream TwsStream() {
  std::vector<Line> lines;
  for (int64_t i = 0; i < 68; ++i) {
    lines.push_back({i, {{"t", OValue::Int((i / 2) % 17)}, {"v", OValue::Int(i)}},
                     static_cast<uint64_t>(2 * (i + 1))});
  }
  return StreamOf(lines);
}

/// windowby(t, sliding(hop=3, duration=5), behavior).reduce(max(t), max(v)).
Pipeline TwsPipeline(const BehaviorSpec& behavior) {
  Pipeline p;
  p.windowed = true;
  p.window.kind = WindowSpec::Kind::kSliding;
  p.window.hop = 3;
  p.window.duration = 5;
  p.behavior = behavior;
  p.reducers = {ReducerCall{ReducerOp::kMax, {"t"}, false, ""},
                ReducerCall{ReducerOp::kMax, {"v"}, false, ""}};
  return p;
}

BehaviorSpec Common(int64_t delay, int64_t cutoff, bool keep) {
  BehaviorSpec b;
  b.delay = delay;
  b.cutoff = cutoff;
  b.keep_results = keep;
  return b;
}

/// Final `start | end | max_time | max_value` rows.
std::vector<std::string> TwsFinal(const BehaviorSpec& b) {
  auto tables = Evaluate(TwsPipeline(b), TwsStream());
  std::vector<std::string> rows;
  for (const OutputRow& r : tables.back()) rows.push_back(Cells(r.values, {0, 1, 3, 4}));
  return Sorted(rows);
}

const std::vector<std::string> kAllSevenWindows = Sorted(
    {"-3 | 2 | 1 | 3", "0 | 5 | 4 | 9", "3 | 8 | 7 | 15", "6 | 11 | 10 | 21", "9 | 14 | 13 | 27",
     "12 | 17 | 16 | 67", "15 | 20 | 16 | 67"});

TEST(OracleSelfTest, S01S03S05S07KeepResults) {
  EXPECT_EQ(TwsFinal(Common(0, 0, true)), kAllSevenWindows);
  EXPECT_EQ(TwsFinal(Common(1, 0, true)), kAllSevenWindows);
  EXPECT_EQ(TwsFinal(Common(0, 1, true)), kAllSevenWindows);
  EXPECT_EQ(TwsFinal(Common(1, 1, true)), kAllSevenWindows);
}

TEST(OracleSelfTest, S08HighDelayHighCutoff) {
  EXPECT_EQ(TwsFinal(Common(5, 6, true)),
            Sorted({"-3 | 2 | 1 | 3", "0 | 5 | 4 | 9", "3 | 8 | 7 | 15", "6 | 11 | 10 | 55",
                    "9 | 14 | 13 | 61", "12 | 17 | 16 | 67", "15 | 20 | 16 | 67"}));
}

/// For each window start, the time at which its row left the output for good.
std::map<int64_t, uint64_t> TwsRetractionTimes(const BehaviorSpec& b) {
  const InputStream stream = TwsStream();
  auto tables = Evaluate(TwsPipeline(b), stream);
  std::map<int64_t, uint64_t> gone;
  std::map<int64_t, bool> present;
  for (size_t i = 0; i < tables.size(); ++i) {
    std::map<int64_t, bool> now;
    for (const OutputRow& r : tables[i]) now[r.values[0].as_int()] = true;
    for (const auto& [start, was] : present) {
      if (was && !now.count(start)) gone[start] = stream[i].time;
    }
    for (const auto& [start, is] : now) gone.erase(start);
    present = std::move(now);
  }
  return gone;
}

TEST(OracleSelfTest, S02S04S06S09RemoveResults) {
  const std::vector<std::string> last_two = Sorted({"12 | 17 | 16 | 67", "15 | 20 | 16 | 67"});
  EXPECT_EQ(TwsFinal(Common(0, 0, false)), last_two);
  EXPECT_EQ(TwsFinal(Common(1, 0, false)), last_two);
  EXPECT_EQ(TwsFinal(Common(0, 1, false)), last_two);
  EXPECT_EQ(TwsFinal(Common(1, 1, false)), last_two);
  // [derived] retraction times of CASES.md S-02.
  EXPECT_EQ(TwsRetractionTimes(Common(0, 0, false)),
            (std::map<int64_t, uint64_t>{{-3, 12}, {0, 24}, {3, 36}, {6, 48}, {9, 60}}));
  EXPECT_EQ(TwsRetractionTimes(Common(1, 1, false)),
            (std::map<int64_t, uint64_t>{{-3, 16}, {0, 28}, {3, 40}, {6, 52}, {9, 64}}));
}

TEST(OracleSelfTest, S10S11ExactlyOnceStreams) {
  const InputStream stream = TwsStream();
  const std::string end = "18446744073709551614";
  auto s10 = StreamText(Evaluate(TwsPipeline(Common(6, 1, true)), stream), stream, {1, 3, 4});
  EXPECT_EQ(s10, Sorted({"2 | 1 | 3 | 14 | 1", "5 | 4 | 9 | 26 | 1", "8 | 7 | 15 | 38 | 1",
                         "11 | 10 | 21 | 50 | 1", "14 | 13 | 27 | 62 | 1",
                         "17 | 16 | 67 | " + end + " | 1", "20 | 16 | 67 | " + end + " | 1"}));
  BehaviorSpec once;
  once.kind = BehaviorSpec::Kind::kExactlyOnce;
  auto s11 = StreamText(Evaluate(TwsPipeline(once), stream), stream, {1, 3, 4});
  EXPECT_EQ(s11, Sorted({"2 | 1 | 3 | 10 | 1", "5 | 4 | 9 | 22 | 1", "8 | 7 | 15 | 34 | 1",
                         "11 | 10 | 21 | 46 | 1", "14 | 13 | 27 | 58 | 1",
                         "17 | 16 | 67 | " + end + " | 1", "20 | 16 | 67 | " + end + " | 1"}));
}

// ---- Temporal operators on plain tables (O-01..O-03) -------------------------------------

/// `t | v | time | diff` stream of the operator's output on the docstring input.
std::vector<std::string> PlainStream(TemporalOpSpec::Kind kind, const std::vector<Line>& lines) {
  TemporalOpSpec spec;
  spec.kind = kind;
  spec.threshold = 3;
  PlainTemporalReplay replay(spec);
  const InputStream stream = StreamOf(lines);
  std::vector<std::vector<OutputRow>> tables;
  for (const Commit& c : stream) {
    replay.Commit(Consolidated(c.changes), c.time, c.end_of_input);
    std::vector<OutputRow> rows;
    for (const TimedRow& r : replay.Output()) {
      rows.push_back(OutputRow{r.id, {r.values.at("t"), r.values.at("v")}});
    }
    tables.push_back(std::move(rows));
  }
  return StreamText(tables, stream, {0, 1});
}

std::vector<Line> DocstringInput() {
  const std::vector<std::array<int64_t, 3>> rows = {
      {1, 1, 2}, {2, 2, 4}, {5, 3, 6}, {2, 4, 8}, {7, 5, 10}};
  std::vector<Line> lines;
  for (size_t i = 0; i < rows.size(); ++i) {
    lines.push_back({static_cast<int64_t>(i),
                     {{"t", OValue::Int(rows[i][0])}, {"v", OValue::Int(rows[i][1])}},
                     static_cast<uint64_t>(rows[i][2])});
  }
  return lines;
}

TEST(OracleSelfTest, O01IgnoreLate) {
  EXPECT_EQ(PlainStream(TemporalOpSpec::Kind::kIgnoreLate, DocstringInput()),
            Sorted({"1 | 1 | 2 | 1", "2 | 2 | 4 | 1", "5 | 3 | 6 | 1", "7 | 5 | 10 | 1"}));
}

TEST(OracleSelfTest, O02Buffer) {
  const std::string end = "18446744073709551614";
  EXPECT_EQ(PlainStream(TemporalOpSpec::Kind::kBuffer, DocstringInput()),
            Sorted({"1 | 1 | 6 | 1", "2 | 2 | 6 | 1", "2 | 4 | 8 | 1", "5 | 3 | " + end + " | 1",
                    "7 | 5 | " + end + " | 1"}));
}

TEST(OracleSelfTest, O03ForgetBeforeTheJoin) {
  // O-03's left table: t=1 is forgotten at 6, the first commit after now reached 4 = 1 + 3.
  std::vector<Line> lines = {{0, {{"t", OValue::Int(1)}, {"v", OValue::Int(1)}}, 2},
                             {1, {{"t", OValue::Int(2)}, {"v", OValue::Int(1)}}, 2},
                             {2, {{"t", OValue::Int(4)}, {"v", OValue::Int(2)}}, 4},
                             {3, {{"t", OValue::Int(3)}, {"v", OValue::Int(3)}}, 6}};
  EXPECT_EQ(PlainStream(TemporalOpSpec::Kind::kForget, lines),
            Sorted({"1 | 1 | 2 | 1", "2 | 1 | 2 | 1", "4 | 2 | 4 | 1", "3 | 3 | 6 | 1",
                    "1 | 1 | 6 | -1"}));
}

// ---- Sessions (W-01, W-16) ---------------------------------------------------------------

TEST(OracleSelfTest, W01SessionSimple) {
  const std::vector<std::array<int64_t, 4>> rows = {  // id, instance, t, v
      {1, 0, 1, 10}, {2, 0, 2, 1}, {3, 0, 4, 3}, {4, 0, 8, 2},
      {5, 0, 9, 4},  {6, 0, 10, 8}, {7, 1, 1, 9}, {8, 1, 2, 16}};
  std::vector<Line> lines;
  std::map<std::string, int64_t> t_of_id;
  for (const auto& r : rows) {
    lines.push_back({r[0], {{"k", OValue::Int(r[1])}, {"t", OValue::Int(r[2])},
                            {"v", OValue::Int(r[3])}}, 2});
    t_of_id[IdKey(r[0]).ToString()] = r[2];
  }
  Pipeline p;
  p.windowed = true;
  p.window.kind = WindowSpec::Kind::kSession;
  p.window.session_rule = SessionRule::kAbsDiffAtMost;
  p.window.gap = 1;
  p.window.instance = "k";
  p.reducers = {ReducerCall{ReducerOp::kMin, {"t"}, false, ""},
                ReducerCall{ReducerOp::kMax, {"v"}, false, ""},
                ReducerCall{ReducerOp::kCount, {}, false, ""},
                ReducerCall{ReducerOp::kArgMin, {"v"}, false, ""},
                ReducerCall{ReducerOp::kArgMax, {"v"}, false, ""}};
  std::vector<std::string> got;
  const auto tables = Evaluate(p, StreamOf(lines));
  for (const OutputRow& r : tables.back()) {
    got.push_back(Cells(r.values, {2, 0, 1, 3, 4, 5}) + " | " +
                  std::to_string(t_of_id.at(Format(r.values[6]))) + " | " +
                  std::to_string(t_of_id.at(Format(r.values[7]))));
  }
  EXPECT_EQ(Sorted(got), Sorted({"0 | 1 | 2 | 1 | 10 | 2 | 2 | 1", "0 | 4 | 4 | 4 | 3 | 1 | 4 | 4",
                                 "0 | 8 | 10 | 8 | 8 | 3 | 8 | 10",
                                 "1 | 1 | 2 | 1 | 16 | 2 | 1 | 2"}));
}

TEST(OracleSelfTest, W16SessionSmartCols) {
  const std::vector<std::pair<int64_t, int64_t>> rows = {
      {1, 1}, {1, 3}, {1, 4}, {1, 6}, {1, 7}, {2, -2}, {2, -1},
      {2, 5}, {2, 6}, {3, 0}, {3, 1}, {3, 2}, {3, 3}, {3, 7}};
  std::vector<Line> lines;
  for (size_t i = 0; i < rows.size(); ++i) {
    lines.push_back({static_cast<int64_t>(i),
                     {{"k", OValue::Int(rows[i].first)}, {"t", OValue::Int(rows[i].second)}},
                     2});
  }
  Pipeline p;
  p.windowed = true;
  p.window.kind = WindowSpec::Kind::kSession;
  p.window.session_rule = SessionRule::kAbsDiffAtMost;
  p.window.gap = 2;
  p.window.instance = "k";
  p.reducers = {ReducerCall{ReducerOp::kMin, {"t"}, false, ""},
                ReducerCall{ReducerOp::kMax, {"t"}, false, ""},
                ReducerCall{ReducerOp::kCount, {}, false, ""}};
  std::vector<std::string> got;
  const auto tables = Evaluate(p, StreamOf(lines));
  for (const OutputRow& r : tables.back()) {
    got.push_back(Cells(r.values, {2, 3, 4, 5}));
  }
  EXPECT_EQ(Sorted(got), Sorted({"2 | -2 | -1 | 2", "3 | 0 | 3 | 4", "1 | 1 | 7 | 5",
                                 "2 | 5 | 6 | 2", "3 | 7 | 7 | 1"}));
}

}  // namespace
}  // namespace vigil::oracle
