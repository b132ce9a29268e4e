// Micro-benchmarks of the hot operators on the seed pipeline's shapes: filter, window
// assignment, groupby-count, and the whole markdown-free pipeline on synthetic batches.
// Run: build/bin/vigil_micro_bench (see docs/PERFORMANCE.md for the figures).

#include <random>

#include <benchmark/benchmark.h>

#include "vigil/expr/bound_expr.h"
#include "vigil/ops/groupby_reduce_op.h"
#include "vigil/ops/map_op.h"
#include "vigil/ops/sink_op.h"
#include "vigil/ops/window/window_assign_op.h"

namespace vigil {
namespace {

constexpr size_t kRows = 4096;

/// A batch shaped like parsed logins: username, successful(bool), time, ip_address.
struct LoginBatch {
  std::vector<std::string> strings;
  Batch batch{4};
  Schema schema{{"username", dtype::Str},
                {"successful", dtype::Bool},
                {"time", dtype::Int},
                {"ip_address", dtype::Str}};

  explicit LoginBatch(size_t distinct_ips) {
    std::mt19937_64 rng(7);
    strings.reserve(distinct_ips + 10);
    for (size_t i = 0; i < 10; ++i) strings.push_back("user_" + std::to_string(i));
    for (size_t i = 0; i < distinct_ips; ++i) {
      strings.push_back("10." + std::to_string(i / 65536) + "." + std::to_string((i / 256) % 256) +
                        "." + std::to_string(i % 256));
    }
    int64_t time = 1545730000;
    for (size_t r = 0; r < kRows; ++r) {
      time += static_cast<int64_t>(rng() % 2);
      batch.columns[0].push_back(Value::String(strings[rng() % 10]));
      batch.columns[1].push_back(Value::Bool(rng() % 4 != 0));
      batch.columns[2].push_back(Value::Int(time));
      batch.columns[3].push_back(Value::String(strings[10 + rng() % distinct_ips]));
      batch.ids.push_back(KeyForIndex(static_cast<int64_t>(r)));
      batch.diffs.push_back(1);
    }
  }
};

/// Discards what it receives (keeps the optimizer honest through a counter).
class CountingSink final : public Operator {
 public:
  CountingSink() : Operator("counting sink") {}
  void OnBatch(size_t, const Batch& batch, Time) override { rows += batch.num_rows(); }
  size_t rows = 0;
};

BoundExpr Bind(const Expr& e, const Schema& schema) {
  auto bound = BindExpr(e, schema, BindOptions{});
  if (!bound.ok()) std::abort();
  return *bound;
}

void BM_FilterFailedLogins(benchmark::State& state) {
  LoginBatch input(1000);
  OperatorContext context;
  BoundExpr predicate = Bind(~this_["successful"], input.schema);
  FilterOperator filter("filter", predicate);
  CountingSink sink;
  filter.set_context(&context);
  filter.ConnectTo(&sink, 0);
  for (auto _ : state) filter.OnBatch(0, input.batch, 0);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
}
BENCHMARK(BM_FilterFailedLogins);

void BM_WindowAssignTumbling60(benchmark::State& state) {
  LoginBatch input(1000);
  OperatorContext context;
  WindowAssignSpec spec;
  spec.time = Bind(this_["time"], input.schema);
  spec.instance = Bind(this_["ip_address"], input.schema);
  spec.hop = spec.duration = 60;
  WindowAssignOperator assign("windowby", spec, 4);
  CountingSink sink;
  assign.set_context(&context);
  assign.ConnectTo(&sink, 0);
  for (auto _ : state) assign.OnBatch(0, input.batch, 0);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
}
BENCHMARK(BM_WindowAssignTumbling60);

void BM_GroupByCountPerIp(benchmark::State& state) {
  LoginBatch input(static_cast<size_t>(state.range(0)));
  OperatorContext context;
  GroupBySpec spec;
  spec.keys.push_back(Bind(this_["ip_address"], input.schema));
  spec.reducers.push_back(ReducerSpec{ReducerKind::kCount, {}, false});
  spec.reducer_args.emplace_back();
  Schema group_row{{"ip_address", dtype::Str}, {"__reducer_0", dtype::Int}};
  spec.outputs.push_back(Bind(this_["ip_address"], group_row));
  spec.outputs.push_back(Bind(this_["__reducer_0"], group_row));
  GroupByReduceOperator groupby("groupby", spec);
  CountingSink sink;
  groupby.set_context(&context);
  groupby.ConnectTo(&sink, 0);
  Time time = 0;
  for (auto _ : state) {
    groupby.OnBatch(0, input.batch, time);
    groupby.OnCommitEnd(time, false);
    time += 2;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
}
BENCHMARK(BM_GroupByCountPerIp)->Arg(100)->Arg(10000);

}  // namespace
}  // namespace vigil


