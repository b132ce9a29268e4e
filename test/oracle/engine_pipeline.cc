#include "engine_pipeline.h"

#include <cmath>
#include <optional>
#include <vector>

#include "connectors/debug.h"

namespace vigil::oracle {

namespace {

/// An int parameter when `x` is integral, else a float one (ints and floats mix in Pathway).
TimeParam Param(double x) {
  if (std::floor(x) == x) return TimeParam(static_cast<int64_t>(x));
  return TimeParam(x);
}

std::optional<TimeParam> Param(const std::optional<int64_t>& x) {
  if (!x) return std::nullopt;
  return TimeParam(*x);
}

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

Window EngineWindow(const WindowSpec& w) {
  std::optional<TimeParam> origin;
  if (w.origin) origin = TimeParam(*w.origin);
  switch (w.kind) {
    case WindowSpec::Kind::kTumbling: return temporal::tumbling(w.hop, origin);
    case WindowSpec::Kind::kSliding:
      return w.ratio ? temporal::sliding(w.hop, std::nullopt, *w.ratio, origin)
                     : temporal::sliding(w.hop, TimeParam(w.duration), std::nullopt, origin);
    case WindowSpec::Kind::kSession:
      if (w.session_rule == SessionRule::kMaxGap) return temporal::session(Param(w.gap));
      // The predicate is part of the pipeline (user code): both sides use the spec's rule.
      return temporal::session_predicate(
          [w](const Value& prev, const Value& next) { return w.Joins(prev.as_int(), next.as_int()); });
  }
  return temporal::tumbling(1);
}

Behavior EngineBehavior(const BehaviorSpec& b) {
  if (b.kind == BehaviorSpec::Kind::kExactlyOnce) {
    return temporal::exactly_once_behavior(Param(b.shift));
  }
  return temporal::common_behavior(Param(b.delay), Param(b.cutoff), b.keep_results);
}

}  // namespace

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
  switch (p.temporal_op.kind) {
    case TemporalOpSpec::Kind::kNone: break;
    case TemporalOpSpec::Kind::kIgnoreLate:
      t = t.ignore_late(col("t"), Param(p.temporal_op.threshold));
      break;
    case TemporalOpSpec::Kind::kBuffer:
      t = t.buffer(col("t"), Param(p.temporal_op.threshold));
      break;
    case TemporalOpSpec::Kind::kForget:
      t = t.forget(col("t"), Param(p.temporal_op.threshold));
      break;
  }
  std::vector<NamedExpr> outputs;
  std::optional<GroupedTable> grouped;
  if (p.windowed) {
    const WindowSpec& w = p.window;
    std::optional<Expr> instance;
    if (w.instance) instance = col(*w.instance);
    std::optional<Behavior> behavior;
    if (p.behavior) behavior = EngineBehavior(*p.behavior);
    grouped = t.windowby(col("t"), EngineWindow(w), instance, behavior);
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
    outputs.emplace_back(ReducerColumn(i), ReducerExpr(p.reducers[i]));
  }
  if (p.output_spread) {
    outputs.emplace_back("spread", reducers::max(col("v")) - reducers::min(col("v")));
  }
  return grouped->reduce(outputs);
}

}  // namespace vigil::oracle
