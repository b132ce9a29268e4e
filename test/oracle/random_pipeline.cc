#include "random_pipeline.h"

#include <algorithm>

#include "known_engine_bugs.h"

namespace vigil::oracle {

namespace {

std::optional<int64_t> MaybeInt(Random& rnd, double none, double zero, int64_t hi) {
  if (rnd.Chance(none)) return std::nullopt;
  if (rnd.Chance(zero)) return 0;
  return rnd.Int(1, hi);
}

void RandomTumblingOrSliding(Random& rnd, WindowSpec& w) {
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
}

void RandomSession(Random& rnd, WindowSpec& w) {
  w.kind = WindowSpec::Kind::kSession;
  switch (rnd.Int(0, 3)) {
    case 0:
      w.session_rule = SessionRule::kMaxGap;
      w.gap = static_cast<double>(rnd.Int(1, 4)) + (rnd.Chance(0.3) ? 0.5 : 0.0);
      break;
    case 1:
      w.session_rule = SessionRule::kAbsDiffBelow;
      w.gap = static_cast<double>(rnd.Int(1, 4));
      break;
    case 2:
      w.session_rule = SessionRule::kAbsDiffAtMost;
      w.gap = static_cast<double>(rnd.Int(0, 3));
      break;
    default:
      w.session_rule = SessionRule::kGapOrMultiple;
      w.gap = static_cast<double>(rnd.Int(0, 3));
      break;
  }
}

BehaviorSpec RandomBehavior(Random& rnd) {
  BehaviorSpec b;
  if (rnd.Chance(0.3)) {
    b.kind = BehaviorSpec::Kind::kExactlyOnce;
    b.shift = MaybeInt(rnd, 0.3, 0.3, 4);
    return b;
  }
  b.delay = MaybeInt(rnd, 0.35, 0.2, 12);
  b.cutoff = MaybeInt(rnd, 0.3, 0.25, 8);
  b.keep_results = !b.cutoff || rnd.Chance(0.6);  // keep_results=False needs a cutoff
  return b;
}

}  // namespace

Pipeline RandomPipeline(Random& rnd) {
  Pipeline p;
  switch (rnd.Int(0, 3)) {
    case 0:
      p.filter.kind = FilterSpec::Kind::kModNotEqual;
      p.filter.column = std::string(rnd.Chance(0.7) ? "v" : "t");  // (move: GCC 12 -Wrestrict)
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

  // The kind: groupby 25%, plain temporal operator + groupby 10%, tumbling/sliding 20%,
  // with a behavior 25%, sessions 20%.
  const int64_t kind = rnd.Int(0, 99);
  p.windowed = kind >= 35;
  if (p.windowed) {
    WindowSpec& w = p.window;
    if (kind < 80) {
      RandomTumblingOrSliding(rnd, w);
      if (kind >= 55) p.behavior = RandomBehavior(rnd);
    } else {
      RandomSession(rnd, w);
      if (rnd.Chance(0.25)) p.behavior = RandomBehavior(rnd);  // ignored by sessions
    }
    if (rnd.Chance(0.6)) w.instance = rnd.Pick<std::string>({"k", "k", "s", "s", "f"});
    p.output_window_tuple = rnd.Chance(0.3);
    p.output_instance_alias = w.instance && rnd.Chance(0.4);
  } else {
    p.group_columns =
        rnd.Pick<std::vector<std::string>>({{"k"}, {"s"}, {"k", "s"}, {"v"}, {"f"}, {"s", "f"}});
    if (kind >= 25) {
      p.temporal_op.kind = rnd.Pick<TemporalOpSpec::Kind>({TemporalOpSpec::Kind::kIgnoreLate,
                                                           TemporalOpSpec::Kind::kBuffer,
                                                           TemporalOpSpec::Kind::kForget});
      p.temporal_op.threshold =
          static_cast<double>(rnd.Int(0, 6)) + (rnd.Chance(0.2) ? 0.5 : 0.0);
    }
  }

  std::vector<std::string> numeric = {"k", "v", "t", "f"};
  if (p.with_columns.enabled) numeric.push_back("w");
  std::vector<std::string> any_column = numeric;
  any_column.push_back("s");
  // Columns that are constant within a group (unique() over them never conflicts).
  std::vector<std::string> constant;
  if (p.windowed && p.window.instance) constant.push_back(*p.window.instance);
  if (!p.windowed) constant = p.group_columns;
  // ignore_late keeps a row whose retraction came late next to its updated version, so one
  // group may hold two rows with the same key; the order of equal keys (any, tuple) is not
  // pinned by SEMANTICS.md, so those reducers are left out there.
  const bool duplicate_keys = p.temporal_op.kind == TemporalOpSpec::Kind::kIgnoreLate;
  // Known engine bug T2 (known_engine_bugs.h): rows flushed at end of input rank first in
  // earliest/latest; left out where a delay buffer may flush rows.
  const bool flushes = p.temporal_op.kind == TemporalOpSpec::Kind::kBuffer ||
                       (p.has_active_behavior() &&
                        p.behavior->Effective(p.window.Duration()).delay.has_value());
  const bool no_processing_time = kBugEndOfInputTimeSortsFirstInEarliestLatest && flushes;

  const int n = static_cast<int>(rnd.Int(1, 6));
  for (int i = 0; i < n; ++i) {
    ReducerCall r;
    r.op = static_cast<ReducerOp>(rnd.Int(0, static_cast<int64_t>(ReducerOp::kLatest)));
    if (duplicate_keys && (r.op == ReducerOp::kAny || r.op == ReducerOp::kTuple)) {
      r.op = ReducerOp::kSortedTuple;
    }
    if (no_processing_time && (r.op == ReducerOp::kEarliest || r.op == ReducerOp::kLatest)) {
      r.op = r.op == ReducerOp::kEarliest ? ReducerOp::kMin : ReducerOp::kMax;
    }
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

StreamProfile RandomProfile(Random& rnd, const Pipeline& p) {
  StreamProfile profile;
  const bool temporal = p.has_active_behavior() || p.temporal_op.kind != TemporalOpSpec::Kind::kNone;
  if (temporal ? rnd.Chance(0.85) : rnd.Chance(0.4)) {
    profile.drift = rnd.Int(1, 4);
    profile.lateness = rnd.Int(0, 10);
  }
  // Known engine bug T1 (known_engine_bugs.h): cancelling lines move the temporal operators'
  // "now".
  profile.cancelling_lines = !(kBugTemporalOpsSeeUnconsolidatedCommits && temporal);
  return profile;
}

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

}  // namespace vigil::oracle
