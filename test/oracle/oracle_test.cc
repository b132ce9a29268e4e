// Differential test: random groupby/windowby pipelines over random update streams, the
// engine's result at every commit compared with the naive oracle (oracle.h).
//
// For each seed: a random pipeline and a random stream of commits (times 2, 4, ...) with
// inserts, deletes and updates (retract + insert of one id in one commit), written as a
// table_from_markdown text; the engine's captured stream squashed up to each commit time must
// equal the oracle's table over the input as of that time, as multisets of (id, row). Some
// seeds also run with max_batch_rows = 1 and 3. A failure prints everything needed to
// reproduce; `VIGIL_ORACLE_SEED=<n>` reruns one seed, `VIGIL_ORACLE_PIPELINES=<n>` changes
// how many seeds run (default 3000).

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "connectors/debug.h"
#include "oracle.h"
#include "vigil/types/value.h"

namespace vigil {
namespace {

using oracle::FilterSpec;
using oracle::InputRow;
using oracle::OValue;
using oracle::Pipeline;
using oracle::ReducerCall;
using oracle::ReducerOp;
using oracle::WindowSpec;

constexpr int kShards = 10;

std::optional<uint64_t> EnvNumber(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return std::nullopt;
  return std::strtoull(text, nullptr, 10);
}

class Random {
 public:
  explicit Random(uint64_t seed) : rng_(seed * 0x9E3779B97F4A7C15ull + 12345) {}
  /// Uniform in [lo, hi].
  int64_t Int(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int64_t>(v.size()) - 1))];
  }
  std::mt19937_64& engine() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

// ---- Random pipelines --------------------------------------------------------------------

Pipeline RandomPipeline(Random& rnd) {
  Pipeline p;
  switch (rnd.Int(0, 3)) {
    case 0:
      p.filter.kind = FilterSpec::Kind::kModNotEqual;
      p.filter.column = rnd.Chance(0.7) ? "v" : "t";
      p.filter.modulus = rnd.Int(2, 4);
      p.filter.remainder = rnd.Int(0, p.filter.modulus - 1);
      break;
    case 1:
      p.filter.kind = FilterSpec::Kind::kGreater;
      p.filter.column = rnd.Pick<std::string>({"v", "v", "t", "f"});
      p.filter.threshold = rnd.Int(-4, 3);
      break;
    default: break;
  }
  if (rnd.Chance(0.4)) {
    p.with_columns.enabled = true;
    p.with_columns.mul = rnd.Pick<int64_t>({-1, 1, 2, 3});
    p.with_columns.add = rnd.Int(-2, 2);
  }
  p.windowed = rnd.Chance(0.5);
  if (p.windowed) {
    WindowSpec& w = p.window;
    if (rnd.Chance(0.5)) {
      w.kind = WindowSpec::Kind::kTumbling;
      w.hop = rnd.Int(1, 6);
    } else {
      w.kind = WindowSpec::Kind::kSliding;
      w.hop = rnd.Int(1, 5);
      if (rnd.Chance(0.2)) {
        w.ratio = rnd.Int(1, 3);
      } else {
        w.duration = rnd.Int(1, 9);  // hop > duration leaves gaps.
      }
    }
    if (rnd.Chance(0.35)) w.origin = rnd.Int(-5, 5);
    if (rnd.Chance(0.6)) w.instance = rnd.Pick<std::string>({"k", "k", "s", "s", "f"});
    p.output_window_tuple = rnd.Chance(0.3);
    p.output_instance_alias = w.instance && rnd.Chance(0.4);
  } else {
    p.group_columns =
        rnd.Pick<std::vector<std::string>>({{"k"}, {"s"}, {"k", "s"}, {"v"}, {"f"}, {"s", "f"}});
  }

  std::vector<std::string> numeric = {"k", "v", "t", "f"};
  if (p.with_columns.enabled) numeric.push_back("w");
  std::vector<std::string> any_column = numeric;
  any_column.push_back("s");
  // Columns that are constant within a group (unique() over them never conflicts).
  std::vector<std::string> constant;
  if (p.windowed && p.window.instance) constant.push_back(*p.window.instance);
  if (!p.windowed) constant = p.group_columns;

  const int n = static_cast<int>(rnd.Int(1, 6));
  for (int i = 0; i < n; ++i) {
    ReducerCall r;
    r.op = static_cast<ReducerOp>(rnd.Int(0, static_cast<int64_t>(ReducerOp::kLatest)));
    switch (r.op) {
      case ReducerOp::kCount: break;
      case ReducerOp::kSum:
      case ReducerOp::kAvg:
        r.columns = {rnd.Pick(numeric)};
        r.plus_half = rnd.Chance(0.4);
        break;
      case ReducerOp::kMin:
      case ReducerOp::kMax:
      case ReducerOp::kAny:
      case ReducerOp::kTuple:
      case ReducerOp::kSortedTuple:
      case ReducerOp::kEarliest:
      case ReducerOp::kLatest:
        r.columns = {rnd.Pick(any_column)};
        r.plus_half = r.columns[0] != "s" && rnd.Chance(0.15);
        break;
      case ReducerOp::kArgMin:
      case ReducerOp::kArgMax:
        r.columns = {rnd.Pick(any_column)};
        if (rnd.Chance(0.3)) r.id_column = rnd.Pick(any_column);
        break;
      case ReducerOp::kCountDistinct: {
        int64_t arity = rnd.Int(0, 2);
        for (int64_t a = 0; a < arity; ++a) r.columns.push_back(rnd.Pick(any_column));
        break;
      }
      case ReducerOp::kUnique:
        // Mostly a column constant per group; sometimes one that may conflict (Error).
        r.columns = {!constant.empty() && rnd.Chance(0.6) ? rnd.Pick(constant)
                                                          : rnd.Pick(any_column)};
        break;
    }
    p.reducers.push_back(r);
  }
  p.output_spread = rnd.Chance(0.15);
  return p;
}

/// Whether unique() may meet a conflict (the run then must not stop on engine errors).
bool MayConflict(const Pipeline& p) {
  for (const auto& r : p.reducers) {
    if (r.op != ReducerOp::kUnique) continue;
    const std::string& c = r.columns[0];
    bool constant = p.windowed ? (p.window.instance && *p.window.instance == c)
                               : std::find(p.group_columns.begin(), p.group_columns.end(), c) !=
                                     p.group_columns.end();
    if (!constant) return true;
  }
  return false;
}

// ---- Random update streams ---------------------------------------------------------------

struct RowValues {
  int64_t k = 0;
  std::string s;
  int64_t v = 0;
  int64_t f2 = 0;  ///< Twice the float column `f`.
  int64_t t = 0;
  friend bool operator==(const RowValues&, const RowValues&) = default;
};

struct Present {
  RowValues values;
  uint64_t time;  ///< Processing time of the commit that inserted these values.
};

struct Stream {
  std::string markdown;
  std::vector<uint64_t> times;                   ///< Commit times.
  std::vector<std::vector<InputRow>> snapshots;  ///< Input table after each commit.
};

Key IdKey(int64_t id) {
  KeyHasher h;
  h.AddInt(id);
  return h.Finish();
}

RowValues RandomValues(Random& rnd, int64_t k_max, int64_t v_max) {
  RowValues r;
  r.k = rnd.Int(0, k_max);
  r.s = rnd.Pick<std::string>({"a", "b", "c"});
  r.v = rnd.Int(-4, v_max);
  r.f2 = rnd.Int(-4, 8);
  r.t = rnd.Int(-6, 12);
  return r;
}

Stream RandomStream(Random& rnd) {
  Stream out;
  const int commits = static_cast<int>(rnd.Int(6, 10));
  const int64_t k_max = rnd.Int(1, 3);
  const int64_t v_max = rnd.Int(2, 9);
  std::map<int64_t, Present> present;
  std::vector<int64_t> deleted;
  int64_t next_id = rnd.Int(0, 3);
  std::ostringstream md;
  md << "id | k | s | v | f | t | __time__ | __diff__\n";
  auto line = [](int64_t id, const RowValues& r, uint64_t time, int diff) {
    std::ostringstream l;
    char f[32];
    std::snprintf(f, sizeof(f), "%.1f", static_cast<double>(r.f2) / 2);
    l << id << " | " << r.k << " | " << r.s << " | " << r.v << " | " << f << " | " << r.t
      << " | " << time << " | " << diff << "\n";
    return l.str();
  };
  for (int c = 0; c < commits; ++c) {
    const uint64_t time = 2 * static_cast<uint64_t>(c + 1);
    std::vector<std::string> lines;
    std::set<int64_t> touched;
    const int64_t ops = c == 0 ? rnd.Int(1, 10) : rnd.Int(1, 6);
    for (int64_t o = 0; o < ops; ++o) {
      const int64_t kind = present.empty() ? 0 : rnd.Int(0, 10);
      if (kind == 10) {  // a row that appears and vanishes within the commit: no change
        const int64_t id = next_id++;
        RowValues r = RandomValues(rnd, k_max, v_max);
        touched.insert(id);
        lines.push_back(line(id, r, time, 1));
        lines.push_back(line(id, r, time, -1));
        continue;
      }
      if (kind <= 3) {  // insert a new id or a previously deleted one
        int64_t id;
        if (!deleted.empty() && rnd.Chance(0.3)) {
          size_t i = static_cast<size_t>(rnd.Int(0, static_cast<int64_t>(deleted.size()) - 1));
          id = deleted[i];
          if (touched.count(id)) continue;
          deleted.erase(deleted.begin() + static_cast<ptrdiff_t>(i));
        } else {
          id = next_id;
          next_id += rnd.Int(1, 3);
        }
        RowValues r = RandomValues(rnd, k_max, v_max);
        present[id] = Present{r, time};
        touched.insert(id);
        lines.push_back(line(id, r, time, 1));
        continue;
      }
      // Pick a present id not touched in this commit.
      auto it = present.begin();
      std::advance(it, rnd.Int(0, static_cast<int64_t>(present.size()) - 1));
      const int64_t id = it->first;
      if (touched.count(id)) continue;
      touched.insert(id);
      const RowValues old = it->second.values;
      lines.push_back(line(id, old, time, -1));
      if (kind <= 5) {  // delete
        present.erase(it);
        deleted.push_back(id);
        continue;
      }
      RowValues now = old;
      if (kind == 9 && rnd.Chance(0.3)) {
        // A no-op update (retract and re-insert the same values): the row stays as it was,
        // inserted at its original time.
      } else if (rnd.Chance(0.5)) {
        switch (rnd.Int(0, 4)) {  // change one column only
          case 0: now.k = rnd.Int(0, k_max); break;
          case 1: now.s = rnd.Pick<std::string>({"a", "b", "c"}); break;
          case 2: now.v = rnd.Int(-4, v_max); break;
          case 3: now.f2 = rnd.Int(-4, 8); break;
          default: now.t = rnd.Int(-6, 12); break;
        }
      } else {
        now = RandomValues(rnd, k_max, v_max);
      }
      if (!(now == old)) it->second = Present{now, time};
      lines.push_back(line(id, now, time, 1));
    }
    if (lines.empty()) {  // every commit holds at least one row
      int64_t id = next_id++;
      RowValues r = RandomValues(rnd, k_max, v_max);
      present[id] = Present{r, time};
      lines.push_back(line(id, r, time, 1));
    }
    std::shuffle(lines.begin(), lines.end(), rnd.engine());  // order within a commit is free
    for (const auto& l : lines) md << l;
    out.times.push_back(time);
    std::vector<InputRow> snapshot;
    for (const auto& [id, p] : present) {
      InputRow row;
      row.id = IdKey(id);
      row.values["k"] = OValue::Int(p.values.k);
      row.values["s"] = OValue::Str(p.values.s);
      row.values["v"] = OValue::Int(p.values.v);
      row.values["f"] = OValue::Float(static_cast<double>(p.values.f2) / 2);
      row.values["t"] = OValue::Int(p.values.t);
      row.time = p.time;
      snapshot.push_back(std::move(row));
    }
    out.snapshots.push_back(std::move(snapshot));
  }
  out.markdown = md.str();
  return out;
}

// ---- The same pipeline with the engine's API ----------------------------------------------

Expr ReducerExpr(const ReducerCall& r) {
  auto arg = [&]() -> Expr {
    Expr e = col(r.columns.at(0));
    return r.plus_half ? e + 0.5 : e;
  };
  switch (r.op) {
    case ReducerOp::kCount: return reducers::count();
    case ReducerOp::kSum: return reducers::sum(arg());
    case ReducerOp::kAvg: return reducers::avg(arg());
    case ReducerOp::kMin: return reducers::min(arg());
    case ReducerOp::kMax: return reducers::max(arg());
    case ReducerOp::kArgMin:
      return r.id_column.empty() ? reducers::argmin(arg())
                                 : reducers::argmin(arg(), col(r.id_column));
    case ReducerOp::kArgMax:
      return r.id_column.empty() ? reducers::argmax(arg())
                                 : reducers::argmax(arg(), col(r.id_column));
    case ReducerOp::kCountDistinct: {
      std::vector<Expr> args;
      for (const auto& c : r.columns) args.push_back(col(c));
      return reducers::count_distinct(args);
    }
    case ReducerOp::kAny: return reducers::any(arg());
    case ReducerOp::kUnique: return reducers::unique(arg());
    case ReducerOp::kTuple: return reducers::tuple(arg());
    case ReducerOp::kSortedTuple: return reducers::sorted_tuple(arg());
    case ReducerOp::kEarliest: return reducers::earliest(arg());
    case ReducerOp::kLatest: return reducers::latest(arg());
  }
  return reducers::count();
}

Table BuildEngine(const Pipeline& p, const std::string& markdown) {
  Table t = debug::table_from_markdown(markdown);
  if (p.filter.kind == FilterSpec::Kind::kModNotEqual) {
    t = t.filter(col(p.filter.column) % p.filter.modulus != p.filter.remainder);
  } else if (p.filter.kind == FilterSpec::Kind::kGreater) {
    t = t.filter(col(p.filter.column) > p.filter.threshold);
  }
  if (p.with_columns.enabled) {
    t = t.with_columns({{"w", col("v") * p.with_columns.mul + p.with_columns.add}});
  }
  std::vector<NamedExpr> outputs;
  std::optional<GroupedTable> grouped;
  if (p.windowed) {
    const WindowSpec& w = p.window;
    std::optional<TimeParam> origin;
    if (w.origin) origin = TimeParam(*w.origin);
    Window window = w.kind == WindowSpec::Kind::kTumbling
                        ? temporal::tumbling(w.hop, origin)
                        : (w.ratio ? temporal::sliding(w.hop, std::nullopt, *w.ratio, origin)
                                   : temporal::sliding(w.hop, TimeParam(w.duration),
                                                       std::nullopt, origin));
    std::optional<Expr> instance;
    if (w.instance) instance = col(*w.instance);
    grouped = t.windowby(col("t"), window, instance);
    outputs = {col("_pw_window_start"), col("_pw_window_end"), col("_pw_instance")};
    if (p.output_window_tuple) outputs.emplace_back(col("_pw_window"));
    if (p.output_instance_alias && w.instance) outputs.emplace_back(col(*w.instance));
  } else {
    std::vector<Expr> keys;
    for (const auto& c : p.group_columns) {
      keys.push_back(col(c));
      outputs.emplace_back(col(c));
    }
    grouped = t.groupby(keys);
  }
  for (size_t i = 0; i < p.reducers.size(); ++i) {
    outputs.emplace_back(oracle::ReducerColumn(i), ReducerExpr(p.reducers[i]));
  }
  if (p.output_spread) {
    outputs.emplace_back("spread", reducers::max(col("v")) - reducers::min(col("v")));
  }
  return grouped->reduce(outputs);
}

// ---- Comparison ----------------------------------------------------------------------------

using Multiset = std::map<std::string, int64_t>;  // "id | cell | cell" -> multiplicity

Multiset EngineState(const std::vector<Update>& updates, uint64_t up_to) {
  std::vector<Update> prefix;
  for (const Update& u : updates) {
    if (u.time <= up_to) prefix.push_back(u);
  }
  Multiset out;
  for (const Update& u : FinalState(std::move(prefix))) {
    std::string text = u.id.ToString();
    for (const auto& v : u.row) text += " | " + FormatValue(v.get());
    out[text] += u.diff;
  }
  return out;
}

Multiset OracleState(const Pipeline& p, const std::vector<InputRow>& rows) {
  Multiset out;
  for (const auto& row : oracle::Evaluate(p, rows)) {
    std::string text = row.id.ToString();
    for (const auto& v : row.values) text += " | " + oracle::Format(v);
    out[text] += 1;
  }
  return out;
}

std::string Show(const Multiset& m) {
  std::string out;
  for (const auto& [row, n] : m) {
    out += "    " + row + (n == 1 ? "" : "   (x" + std::to_string(n) + ")") + "\n";
  }
  return out.empty() ? "    (empty)\n" : out;
}

std::string Difference(const Multiset& a, const Multiset& b) {
  Multiset d;
  for (const auto& [row, n] : a) {
    auto it = b.find(row);
    int64_t m = it == b.end() ? 0 : it->second;
    if (n != m) d[row] = n - m;
  }
  for (const auto& [row, n] : b) {
    if (!a.count(row)) d[row] = -n;
  }
  return Show(d);
}

struct SeedResult {
  bool ok = true;
  std::string report;
};

/// Runs seed `seed` under every variant; on the first mismatch returns a full report.
SeedResult RunSeed(uint64_t seed) {
  Random rnd(seed);
  const Pipeline p = RandomPipeline(rnd);
  const Stream stream = RandomStream(rnd);
  // Every seed runs with source batches as produced and split into batches of 1 and 3 rows.
  const std::vector<size_t> batch_sizes = {0, 1, 3};

  auto header = [&](size_t batch) {
    std::ostringstream h;
    h << "oracle mismatch: seed " << seed << " (rerun: VIGIL_ORACLE_SEED=" << seed
      << " ./build/bin/oracle_test)\n"
      << "  max_batch_rows: " << batch << "\n"
      << "  pipeline: " << p.Describe() << "\n"
      << "  input (debug::table_from_markdown):\n" << stream.markdown;
    return h.str();
  };

  for (size_t batch : batch_sizes) {
    Table table = BuildEngine(p, stream.markdown);
    RunOptions options;
    options.max_batch_rows = batch;
    options.terminate_on_error = !MayConflict(p);
    options.echo_errors = false;
    auto captured = debug::Capture(table, options);
    if (!captured.ok()) {
      return {false, header(batch) + "  the engine failed: " + captured.status().ToString()};
    }
    if (captured->columns != p.OutputColumns()) {
      std::string got, want;
      for (const auto& c : captured->columns) got += c + " ";
      for (const auto& c : p.OutputColumns()) want += c + " ";
      return {false, header(batch) + "  columns differ: engine [" + got + "] oracle [" + want +
                         "]\n"};
    }
    for (const Update& u : captured->updates) {
      if (std::find(stream.times.begin(), stream.times.end(), u.time) == stream.times.end()) {
        return {false, header(batch) + "  the engine emitted an update at time " +
                           std::to_string(u.time) + ", not a commit time: " + DebugString(u) +
                           "\n"};
      }
    }
    for (size_t c = 0; c < stream.times.size(); ++c) {
      const uint64_t time = stream.times[c];
      Multiset engine = EngineState(captured->updates, time);
      Multiset expected = OracleState(p, stream.snapshots[c]);
      if (engine != expected) {
        std::ostringstream r;
        r << header(batch) << "  at time " << time << " (state after the commit):\n"
          << "  engine:\n" << Show(engine) << "  oracle:\n" << Show(expected)
          << "  engine minus oracle (+: only in engine, -: only in oracle):\n"
          << Difference(engine, expected);
        return {false, r.str()};
      }
    }
  }
  return {};
}

class OracleTest : public ::testing::TestWithParam<int> {};

TEST_P(OracleTest, RandomPipelinesMatchNaiveOracleAtEveryCommit) {
  const int shard = GetParam();
  std::vector<uint64_t> seeds;
  if (auto only = EnvNumber("VIGIL_ORACLE_SEED")) {
    if (shard != 0) GTEST_SKIP() << "VIGIL_ORACLE_SEED runs in shard 0";
    seeds.push_back(*only);
  } else {
    const uint64_t total = EnvNumber("VIGIL_ORACLE_PIPELINES").value_or(3000);
    for (uint64_t s = 1; s <= total; ++s) {
      if (static_cast<int>(s % kShards) == shard) seeds.push_back(s);
    }
  }
  std::vector<uint64_t> failed;
  for (uint64_t seed : seeds) {
    SeedResult r = RunSeed(seed);
    if (r.ok) continue;
    failed.push_back(seed);
    if (failed.size() <= 2) ADD_FAILURE() << r.report;
  }
  if (!failed.empty()) {
    std::string list;
    for (uint64_t s : failed) list += std::to_string(s) + " ";
    ADD_FAILURE() << failed.size() << " of " << seeds.size()
                  << " seeds disagree with the oracle: " << list;
  }
}

INSTANTIATE_TEST_SUITE_P(Shards, OracleTest, ::testing::Range(0, kShards));

// ---- The oracle's own arithmetic, pinned to SEMANTICS.md examples ----------------------

TEST(OracleSelfTest, WindowAssignmentFollowsFloorArithmetic) {
  WindowSpec tumbling2;
  tumbling2.hop = 2;
  // t = -2 and -1 fall in [-2, 0) (SEMANTICS.md §1.2).
  EXPECT_EQ(oracle::AssignWindows(tumbling2, -2), (std::vector<std::pair<int64_t, int64_t>>{
                                                      {-2, 0}}));
  EXPECT_EQ(oracle::AssignWindows(tumbling2, -1), (std::vector<std::pair<int64_t, int64_t>>{
                                                      {-2, 0}}));
  WindowSpec sliding;
  sliding.kind = WindowSpec::Kind::kSliding;
  sliding.hop = 4;
  sliding.duration = 10;
  // 366 is in [356, 366)? no; in [360, 370) and [364, 374) (the B-01 stream).
  EXPECT_EQ(oracle::AssignWindows(sliding, 366),
            (std::vector<std::pair<int64_t, int64_t>>{{360, 0}, {364, 1}}));
  EXPECT_EQ(oracle::AssignWindows(sliding, 362),
            (std::vector<std::pair<int64_t, int64_t>>{{356, 0}, {360, 1}}));
  // An explicit origin drops earlier windows but keeps the indexes of the others.
  sliding.origin = 360;
  EXPECT_EQ(oracle::AssignWindows(sliding, 362),
            (std::vector<std::pair<int64_t, int64_t>>{{360, 1}}));
  // hop > duration leaves gaps.
  WindowSpec gaps;
  gaps.kind = WindowSpec::Kind::kSliding;
  gaps.hop = 5;
  gaps.duration = 2;
  EXPECT_TRUE(oracle::AssignWindows(gaps, 3).empty());
  EXPECT_EQ(oracle::AssignWindows(gaps, 6),
            (std::vector<std::pair<int64_t, int64_t>>{{5, 0}}));
}

TEST(OracleSelfTest, IdsMatchAppendixA) {
  // table_from_markdown rows 0..2 and sliding-window group ids (Appendix A).
  EXPECT_EQ(IdKey(0).ToShortString(), "^X1MXHYY...");
  EXPECT_EQ(IdKey(1).ToShortString(), "^YYY4HAB...");
  EXPECT_EQ(IdKey(2).ToShortString(), "^Z3QWT29...");
  std::vector<std::string> expected = {"^Y8PEAZV...", "^YFKEFV6...", "^DX546QX..."};
  for (int i = 0; i < 3; ++i) {
    OValue s = OValue::Int(352 + 4 * i), e = OValue::Int(362 + 4 * i);
    Key k = oracle::HashValues({OValue::Tuple({OValue::None(), s, e}), s, e, OValue::None()});
    EXPECT_EQ(k.ToShortString(), expected[static_cast<size_t>(i)]);
  }
  // The tutorial's window group, sharded by its instance (SEMANTICS.md Appendix A).
  Pipeline p;
  p.windowed = true;
  p.window.hop = 60;
  p.window.instance = "s";
  InputRow row;
  row.id = IdKey(0);
  row.values = {{"k", OValue::Int(0)}, {"s", OValue::Str("50.37.169.241")},
                {"v", OValue::Int(0)}, {"t", OValue::Int(1545730200)}};
  auto out = oracle::Evaluate(p, {row});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id.ToString(), "^3HJ3BS8VS7PC7ACMG9JWFA0ZQM");
}

}  // namespace
}  // namespace vigil
