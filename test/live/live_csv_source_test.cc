// The CSV reader in live mode: only complete records are emitted, a partial line waits for
// its end, a late header, rotation and truncation, and what a live read of a finished file
// gives compared with the static reader.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "connectors/csv/csv_source.h"
#include "connectors/output/value_text.h"
#include "engine_test_util.h"

namespace vigil {
namespace {

using engine_test::TempPath;

void Append(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
}

const Schema kSchema = {{"user", dtype::Str}, {"n", dtype::Int}};

/// Rows as "id|user|n|diff" strings.
struct Collected {
  std::vector<std::string> rows;
  void Add(const Batch& batch) {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      std::string row = batch.ids[r].ToString();
      for (const auto& column : batch.columns) row.append("|").append(FormatValue(column[r]));
      row.append("|").append(std::to_string(batch.diffs[r]));
      rows.push_back(std::move(row));
    }
  }
  /// The values part of each row ("user|n").
  std::vector<std::string> Values() const {
    std::vector<std::string> out;
    for (const std::string& row : rows) {
      const size_t first = row.find('|');
      const size_t last = row.rfind('|');
      out.push_back(row.substr(first + 1, last - first - 1));
    }
    return out;
  }
};

LiveRead ReadNow(CsvSource& source, Collected& out) {
  Result<LiveRead> state = source.ReadAvailable([&](const Batch& b) { out.Add(b); }, 1 << 20);
  EXPECT_TRUE(state.ok()) << state.status().ToString();
  return state.ok() ? *state : LiveRead::kEnded;
}

std::unique_ptr<CsvSource> LiveSource(const std::string& path, FollowEnd end,
                                      CsvSourceOptions options = {}) {
  options.live = true;
  options.follow_end = end;
  auto source = CsvSource::Make(path, kSchema, options);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_TRUE((*source)->Open().ok());
  return std::move(*source);
}

TEST(LiveCsvSourceTest, EmitsCompleteLinesOnlyAndWaitsForTheRest) {
  const std::string path = TempPath("in.csv");
  std::filesystem::remove(path);
  Append(path, "us");  // Not even the header yet.
  auto source = LiveSource(path, FollowEnd::kNever);
  Collected out;
  EXPECT_EQ(ReadNow(*source, out), LiveRead::kDrained);
  Append(path, "er,n\nalice,1\nbob,");
  EXPECT_EQ(ReadNow(*source, out), LiveRead::kDrained);
  EXPECT_EQ(out.Values(), (std::vector<std::string>{"alice|1"}));
  Append(path, "2\n");
  EXPECT_EQ(ReadNow(*source, out), LiveRead::kDrained);
  EXPECT_EQ(out.Values(), (std::vector<std::string>{"alice|1", "bob|2"}));
}

TEST(LiveCsvSourceTest, SameRowsAndIdsAsTheStaticReader) {
  const std::string path = TempPath("in.csv");
  std::filesystem::remove(path);
  std::string text = "user,n\n";
  for (int i = 0; i < 5000; ++i) {
    text.append("u").append(std::to_string(i % 37)).append(",").append(std::to_string(i));
    text.append("\n");
  }
  Append(path, text);
  auto live = LiveSource(path, FollowEnd::kAtEof);
  Collected live_rows;
  while (ReadNow(*live, live_rows) != LiveRead::kEnded) {
  }
  auto static_source = CsvSource::Make(path, kSchema);
  ASSERT_TRUE(static_source.ok());
  ASSERT_TRUE((*static_source)->Open().ok());
  Collected static_rows;
  ASSERT_TRUE((*static_source)->ReadCommit([&](const Batch& b) { static_rows.Add(b); }).ok());
  EXPECT_EQ(live_rows.rows.size(), 5000u);
  EXPECT_EQ(live_rows.rows, static_rows.rows);  // Pathway's (path, offset) ids included.
}

TEST(LiveCsvSourceTest, AppendsInPiecesGiveTheSameRowsAsOneWrite) {
  const std::string path = TempPath("in.csv");
  const std::string whole = TempPath("whole.csv");
  std::filesystem::remove(path);
  std::filesystem::remove(whole);
  std::string text = "user,n\n";
  for (int i = 0; i < 300; ++i) {
    // Quoted fields with commas and doubled quotes, CRLF: the state machine's path.
    text.append("\"u,\"\"").append(std::to_string(i)).append("\"\"\",");
    text.append(std::to_string(i)).append("\r\n");
  }
  Append(whole, text);
  Append(path, "");  // Exists, empty: the header comes in pieces too.
  auto source = LiveSource(path, FollowEnd::kNever);
  Collected pieces;
  size_t at = 0;
  for (size_t step = 1; at < text.size(); step = step % 13 + 1) {
    Append(path, text.substr(at, step));
    at += step;
    EXPECT_EQ(ReadNow(*source, pieces), LiveRead::kDrained);
  }
  auto replay = LiveSource(whole, FollowEnd::kAtEof);
  Collected one;
  while (ReadNow(*replay, one) != LiveRead::kEnded) {
  }
  EXPECT_EQ(pieces.Values(), one.Values());
  EXPECT_EQ(pieces.rows.size(), 300u);
}

TEST(LiveCsvSourceTest, RotationReadsTheNewFileWithItsHeaderAndNewIds) {
  const std::string path = TempPath("in.csv");
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".1");
  Append(path, "user,n\nalice,1\n");
  std::vector<uint64_t> generations;
  CsvSourceOptions options;
  options.on_new_generation = [&](uint64_t g) { generations.push_back(g); };
  auto source = LiveSource(path, FollowEnd::kNever, options);
  Collected out;
  ReadNow(*source, out);
  std::filesystem::rename(path, path + ".1");
  Append(path, "n,user\n1,alice\n");  // Same row at the same offset, columns swapped.
  EXPECT_EQ(ReadNow(*source, out), LiveRead::kDrained);
  ASSERT_EQ(out.rows.size(), 2u);
  EXPECT_EQ(out.Values()[0], out.Values()[1]);
  EXPECT_NE(out.rows[0].substr(0, out.rows[0].find('|')),
            out.rows[1].substr(0, out.rows[1].find('|')));  // Distinct ids.
  EXPECT_EQ(generations, (std::vector<uint64_t>{1}));
}

TEST(LiveCsvSourceTest, TruncationStartsOverWithAHeader) {
  const std::string path = TempPath("in.csv");
  std::filesystem::remove(path);
  Append(path, "user,n\nalice,1\nbob,2\n");
  auto source = LiveSource(path, FollowEnd::kNever);
  Collected out;
  ReadNow(*source, out);
  std::filesystem::resize_file(path, 0);
  Append(path, "user,n\ncarol,3\n");
  ReadNow(*source, out);
  EXPECT_EQ(out.Values(),
            (std::vector<std::string>{"alice|1", "bob|2", "carol|3"}));
}

TEST(LiveCsvSourceTest, BadRowsAreReportedWithTheirLines) {
  const std::string path = TempPath("in.csv");
  std::filesystem::remove(path);
  Append(path, "user,n\nalice,1\n");
  ErrorLog errors;
  CsvSourceOptions options;
  options.error_log = &errors;
  auto source = LiveSource(path, FollowEnd::kNever, options);
  Collected out;
  ReadNow(*source, out);
  Append(path, "bob,x\ncarol,3\n");
  ReadNow(*source, out);
  EXPECT_EQ(out.Values(), (std::vector<std::string>{"alice|1", "carol|3"}));
  ASSERT_EQ(errors.count(), 1u);
  EXPECT_EQ(FormatDataError(errors.kept()[0]),
            path + ":3: column 'n': cannot parse \"x\" as int");
}

}  // namespace
}  // namespace vigil
