// run() with a live source: the tutorial pipeline over a file that a writer appends to while
// the run serves. Alerts must come out while the run is still going (no end of input), the
// run stops cleanly on a stop request (as on SIGINT), and a replay of the finished file gives
// the same final rows as the static reader.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connectors/debug.h"
#include "connectors/io.h"
#include "engine_test_util.h"
#include "golden.h"
#include "vigil/exec/executor.h"

namespace vigil {
namespace {

using engine_test::QuietOptions;
using engine_test::TempPath;

const Schema kLoginSchema = {
    {"username", dtype::Str},
    {"successful", dtype::Str},
    {"time", dtype::Int},
    {"ip_address", dtype::Str},
};

/// The tutorial pipeline.
Table SuspiciousIps(const Table& logins) {
  Table failed = logins.with_columns({{"successful", this_["successful"] == "True"}})
                     .filter(~this_["successful"]);
  return failed
      .windowby(this_["time"], temporal::tumbling(60), /*instance=*/this_["ip_address"])
      .reduce({{"ip_address", this_["_pw_instance"]},
               {"window_start", this_["_pw_window_start"]},
               {"count", reducers::count()}})
      .filter(this_["count"] >= 5);
}

void Append(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
  out.flush();
}

std::string FailedLogin(int t, const std::string& ip) {
  std::string line = "mallory,False,";
  line.append(std::to_string(t)).append(",").append(ip).append("\n");
  return line;
}

TEST(LiveRunTest, AlertsArriveWhileTheRunServesAndStopIsClean) {
  const std::string path = TempPath("logins.csv");
  std::filesystem::remove(path);
  Append(path, "username,successful,time,ip_address\n");
  ClearOutputs();
  Table alerts = SuspiciousIps(io::csv::read(path, kLoginSchema, io::Mode::kStreaming));
  std::mutex mutex;
  std::vector<std::string> seen;  // "ip|start|count|+/-"
  std::atomic<int> commits{0};
  io::subscribe(
      alerts,
      [&](const Key&, std::span<const Value> row, Time, bool is_addition) {
        std::lock_guard lock(mutex);
        std::string text = FormatValue(row[0]);
        text.append("|").append(FormatValue(row[1])).append("|").append(FormatValue(row[2]));
        text.append(is_addition ? "|+" : "|-");
        seen.push_back(std::move(text));
      },
      [&](Time) { commits++; });
  auto seen_now = [&]() {
    std::lock_guard lock(mutex);
    return seen;
  };
  auto wait_for = [&](size_t n) {
    for (int i = 0; i < 500 && seen_now().size() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return seen_now();
  };

  Status result;
  std::thread runner([&]() { result = run(QuietOptions()); });
  // Four failures: no alert yet.
  for (int i = 0; i < 4; ++i) Append(path, FailedLogin(100 + i, "10.0.0.1"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(seen_now().empty());
  // The fifth, written in two pieces: the alert comes once the line is complete.
  Append(path, "mallory,False,1");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(seen_now().empty());
  Append(path, "10,10.0.0.1\n");
  EXPECT_EQ(wait_for(1), (std::vector<std::string>{"10.0.0.1|60|5|+"}));
  // A sixth updates the count: retraction and insertion.
  Append(path, FailedLogin(111, "10.0.0.1"));
  EXPECT_EQ(wait_for(3), (std::vector<std::string>{"10.0.0.1|60|5|+", "10.0.0.1|60|5|-",
                                                   "10.0.0.1|60|6|+"}));
  Executor::RequestStop();
  runner.join();
  EXPECT_TRUE(result.ok()) << result.ToString();
  EXPECT_GE(commits.load(), 2);
  ClearOutputs();
}

TEST(LiveRunTest, ReplayOfAFinishedFileMatchesTheStaticRead) {
  const std::string path = TempPath("logins.csv");
  std::filesystem::remove(path);
  std::string text = "username,successful,time,ip_address\n";
  for (int i = 0; i < 20000; ++i) {
    const int t = i / 7 + (i % 11 == 0 ? -40 : 0);  // Some rows out of order.
    text.append("u").append(std::to_string(i % 5)).append(",");
    text.append(i % 3 == 0 ? "True" : "False").append(",").append(std::to_string(t));
    text.append(",10.0.").append(std::to_string(i % 4)).append(".");
    text.append(std::to_string(i % 3)).append("\n");
  }
  Append(path, text);
  auto static_rows = debug::Capture(SuspiciousIps(io::csv::read(path, kLoginSchema)),
                                    QuietOptions());
  ASSERT_TRUE(static_rows.ok()) << static_rows.status().ToString();
  io::csv::ReadOptions replay;
  replay.stop_at_end = true;
  auto live_rows = debug::Capture(
      SuspiciousIps(io::csv::read(path, kLoginSchema, io::Mode::kStreaming, replay)),
      QuietOptions());
  ASSERT_TRUE(live_rows.ok()) << live_rows.status().ToString();
  const auto expected = testing::RowsText(static_rows->updates);
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(testing::RowsText(live_rows->updates), expected);
}

TEST(LiveRunTest, DirectoryPicksUpNewFilesAndRetractsDeletedOnes) {
  const std::string dir = TempPath("dir");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const Schema schema = {{"k", dtype::Str}, {"v", dtype::Int}};
  Append(dir + "/a.csv", "k,v\nx,1\n");
  ClearOutputs();
  Table totals = io::csv::read(dir, schema, io::Mode::kStreaming)
                     .groupby({this_["k"]})
                     .reduce({{"k", this_["k"]}, {"total", reducers::sum(this_["v"])}});
  std::mutex mutex;
  std::map<std::string, std::string> state;  // k -> total
  io::subscribe(totals, [&](const Key&, std::span<const Value> row, Time, bool is_addition) {
    std::lock_guard lock(mutex);
    if (is_addition) {
      state[FormatValue(row[0])] = FormatValue(row[1]);
    } else if (state[FormatValue(row[0])] == FormatValue(row[1])) {
      state.erase(FormatValue(row[0]));
    }
  });
  auto wait_for = [&](const std::map<std::string, std::string>& want) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(mutex);
        if (state == want) return state;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard lock(mutex);
    return state;
  };
  Status result;
  std::thread runner([&]() { result = run(QuietOptions()); });
  using Totals = std::map<std::string, std::string>;
  EXPECT_EQ(wait_for(Totals{{"x", "1"}}), (Totals{{"x", "1"}}));
  Append(dir + "/b.csv", "v,k\n10,x\n5,y\n");  // A new file, columns in another order.
  EXPECT_EQ(wait_for(Totals{{"x", "11"}, {"y", "5"}}), (Totals{{"x", "11"}, {"y", "5"}}));
  Append(dir + "/a.csv", "y,100\n");  // An append.
  EXPECT_EQ(wait_for(Totals{{"x", "11"}, {"y", "105"}}), (Totals{{"x", "11"}, {"y", "105"}}));
  std::filesystem::remove(dir + "/b.csv");  // Pathway: its rows go.
  EXPECT_EQ(wait_for(Totals{{"x", "1"}, {"y", "100"}}), (Totals{{"x", "1"}, {"y", "100"}}));
  // Rewritten (truncated, then new content): its old rows go, the new ones come.
  std::filesystem::resize_file(dir + "/a.csv", 0);
  EXPECT_EQ(wait_for(Totals{}), (Totals{}));
  Append(dir + "/a.csv", "k,v\nz,7\n");
  EXPECT_EQ(wait_for(Totals{{"z", "7"}}), (Totals{{"z", "7"}}));
  Executor::RequestStop();
  runner.join();
  EXPECT_TRUE(result.ok()) << result.ToString();
  ClearOutputs();
}

}  // namespace
}  // namespace vigil
