// Benchmarks of the input path and the whole seed pipeline on a generated logins file:
// CSV parsing alone (CsvSource), and io::csv::read → filter → windowby → reduce → filter.
// The file (1M rows, ~37 MB) is written once to /tmp and read from the page cache.

#include <cstdio>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include "connectors/csv/csv_source.h"
#include "vigil/vigil.h"

namespace vigil {
namespace {

constexpr int64_t kFileRows = 1'000'000;

const std::string& LoginsFile() {
  static const std::string path = [] {
    std::string p = "/tmp/vigil_bench_logins_1m.csv";
    std::FILE* f = std::fopen(p.c_str(), "w");
    std::mt19937_64 rng(11);
    std::fputs("username,successful,time,ip_address\n", f);
    int64_t time = 1545730000;
    for (int64_t i = 0; i < kFileRows; ++i) {
      time += static_cast<int64_t>(rng() % 2);
      const bool failed = rng() % 5 == 0;
      std::fprintf(f, "user_%d,%s,%lld,10.%d.%d.%d\n", static_cast<int>(rng() % 500),
                   failed ? "False" : "True", static_cast<long long>(time),
                   static_cast<int>(rng() % 4), static_cast<int>(rng() % 256),
                   static_cast<int>(rng() % 256));
    }
    std::fclose(f);
    return p;
  }();
  return path;
}

Schema LoginSchema() {
  return Schema{{"username", dtype::Str},
                {"successful", dtype::Str},
                {"time", dtype::Int},
                {"ip_address", dtype::Str}};
}

void BM_CsvSourceParse(benchmark::State& state) {
  const std::string& path = LoginsFile();
  size_t rows = 0;
  for (auto _ : state) {
    auto source = CsvSource::Make(path, LoginSchema());
    if (!source.ok() || !(*source)->Open().ok()) {
      state.SkipWithError("cannot open the benchmark file");
      return;
    }
    rows = 0;
    while ((*source)->NextCommitTime()) {
      if (!(*source)->ReadCommit([&](const Batch& b) { rows += b.num_rows(); }).ok()) {
        state.SkipWithError("read failed");
        return;
      }
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_CsvSourceParse)->Unit(benchmark::kMillisecond);

void BM_SeedPipelineEndToEnd(benchmark::State& state) {
  const std::string& path = LoginsFile();
  for (auto _ : state) {
    Table logins = io::csv::read(path, LoginSchema());
    logins = logins.with_columns({{"successful", this_["successful"] == "True"}});
    Table failed = logins.filter(~this_["successful"]);
    Table result = failed.windowby(failed["time"], temporal::tumbling(60), this_["ip_address"])
                       .reduce({{"ip_address", this_["_pw_instance"]},
                                {"count", reducers::count()}});
    auto captured = debug::Capture(result.filter(this_["count"] >= 5));
    if (!captured.ok()) {
      state.SkipWithError(captured.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(captured->updates.size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kFileRows));
}
BENCHMARK(BM_SeedPipelineEndToEnd)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vigil
