// JSON Lines and plaintext in streaming mode: a line becomes a row once its newline arrives,
// rotation starts over with new ids, and a replay of a finished file gives the static rows.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "connectors/io.h"
#include "connectors/lines/line_source.h"
#include "connectors/live/live_line_source.h"
#include "engine_test_util.h"
#include "golden.h"

namespace vigil {
namespace {

using engine_test::QuietOptions;
using engine_test::TempPath;

void Append(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
}

const Schema kSchema = {{"user", dtype::Str}, {"n", dtype::Int}};


/// Reads what is available now; rows as "user|n", ids collected separately.
LiveRead ReadNow(LiveLineSource& source, std::vector<std::string>& rows,
                 std::vector<Key>* ids = nullptr) {
  Result<LiveRead> state = source.ReadAvailable(
      [&](const Batch& b) {
        for (size_t r = 0; r < b.num_rows(); ++r) {
          std::string row = FormatValue(b.columns[0][r]);
          row.append("|").append(FormatValue(b.columns[1][r]));
          rows.push_back(std::move(row));
          if (ids != nullptr) ids->push_back(b.ids[r]);
        }
      },
      1 << 20);
  EXPECT_TRUE(state.ok()) << state.status().ToString();
  return state.ok() ? *state : LiveRead::kEnded;
}

std::unique_ptr<LiveLineSource> JsonLinesLive(const std::string& path, FollowEnd end,
                                              ErrorLog* errors = nullptr) {
  LineSourceOptions line_options;
  line_options.error_log = errors;
  auto lines = LineSource::MakeJsonLines("", kSchema, line_options);
  EXPECT_TRUE(lines.ok()) << lines.status().ToString();
  LiveLineOptions options;
  options.follow_end = end;
  auto source = std::make_unique<LiveLineSource>(path, std::move(*lines), options);
  EXPECT_TRUE(source->Open().ok());
  return source;
}

TEST(LiveLineSourceTest, JsonLineCountsOnceItsNewlineArrives) {
  const std::string path = TempPath("in.jsonl");
  std::filesystem::remove(path);
  Append(path, "{\"user\": \"alice\", \"n\": 1}\n{\"user\": \"bo");
  auto source = JsonLinesLive(path, FollowEnd::kNever);
  std::vector<std::string> rows;
  EXPECT_EQ(ReadNow(*source, rows), LiveRead::kDrained);
  EXPECT_EQ(rows, (std::vector<std::string>{"alice|1"}));
  Append(path, "b\", \"n\": 2}");
  EXPECT_EQ(ReadNow(*source, rows), LiveRead::kDrained);
  EXPECT_EQ(rows.size(), 1u);  // No newline yet: the line may still grow.
  Append(path, "\n");
  EXPECT_EQ(ReadNow(*source, rows), LiveRead::kDrained);
  EXPECT_EQ(rows, (std::vector<std::string>{"alice|1", "bob|2"}));
}

// Issue 8, defect 7: an unterminated line rotated away used to count as a row (this test
// expected it). The writer never finished it: it is reported, not counted.
TEST(LiveLineSourceTest, RotationGivesNewIdsAndAnUnfinishedLineIsReportedNotCounted) {
  const std::string path = TempPath("in.jsonl");
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".1");
  Append(path, "{\"user\": \"a\", \"n\": 1}\n");
  ErrorLog errors;
  auto source = JsonLinesLive(path, FollowEnd::kNever, &errors);
  std::vector<std::string> rows;
  std::vector<Key> ids;
  ReadNow(*source, rows, &ids);
  Append(path, "{\"user\": \"c\", \"n\": 3}\n{\"user\": \"b\", \"n\": 2}");  // Then rotated.
  std::filesystem::rename(path, path + ".1");
  Append(path, "{\"user\": \"a\", \"n\": 1}\n");
  ReadNow(*source, rows, &ids);
  EXPECT_EQ(rows, (std::vector<std::string>{"a|1", "c|3", "a|1"}));
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_NE(ids[0], ids[2]);  // Same offset, other generation: another row.
  ASSERT_EQ(errors.kept().size(), 1u);
  EXPECT_TRUE(errors.kept()[0].warning);
  EXPECT_EQ(FormatDataError(errors.kept()[0]),
            path + ":3: warning: unfinished line discarded at truncation/rotation (the file was "
                   "replaced): 21 bytes held back: \"{\\\"user\\\": \\\"b\\\", "
                   "\\\"n\\\": 2}\"");
}

TEST(LiveLineSourceTest, UnfinishedLineAtTruncationIsReportedNotCounted) {
  const std::string path = TempPath("in.txt");
  std::filesystem::remove(path);
  Append(path, "one\ntw");
  ErrorLog errors;
  LineSourceOptions line_options;
  line_options.error_log = &errors;
  auto lines = LineSource::MakePlaintext("", line_options);
  ASSERT_TRUE(lines.ok());
  LiveLineSource source(path, std::move(*lines), LiveLineOptions{});
  ASSERT_TRUE(source.Open().ok());
  std::vector<std::string> texts;
  auto read = [&]() {
    ASSERT_TRUE(source
                    .ReadAvailable(
                        [&](const Batch& b) {
                          for (size_t r = 0; r < b.num_rows(); ++r) {
                            texts.push_back(FormatValue(b.columns[0][r]));
                          }
                        },
                        100)
                    .ok());
  };
  read();
  std::filesystem::resize_file(path, 0);
  Append(path, "3\n");  // Shorter than what was read: a truncation can be told.
  read();
  EXPECT_EQ(texts, (std::vector<std::string>{"one", "3"}));
  ASSERT_EQ(errors.kept().size(), 1u);
  EXPECT_EQ(FormatDataError(errors.kept()[0]),
            path + ":2: warning: unfinished line discarded at truncation/rotation (the file was "
                   "truncated): 2 bytes held back: \"tw\"");
  // And at a stop: a new partial line is reported as not counted.
  Append(path, "fo");
  read();
  source.ReportUnfinished(UnfinishedLineEnd::kStopped);
  ASSERT_EQ(errors.kept().size(), 2u);
  EXPECT_EQ(FormatDataError(errors.kept()[1]),
            path + ":2: warning: not counted: the line was unfinished at stop: 2 bytes held "
                   "back: \"fo\"");
  EXPECT_EQ(texts, (std::vector<std::string>{"one", "3"}));
}

// Issue 8, defect 1 checked for the line readers: a stop at the row limit never drops a line
// (LineSource parses every line of a piece before the limit is looked at).
TEST(LiveLineSourceTest, RowLimitStopsNeverDropLines) {
  const std::string path = TempPath("in.jsonl");
  std::filesystem::remove(path);
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    text.append("{\"user\": \"u").append(std::to_string(i % 7)).append("\", \"n\": ");
    text.append(std::to_string(i)).append("}\n");
  }
  Append(path, text);
  std::vector<std::string> expected;
  std::vector<Key> expected_ids;
  auto whole = JsonLinesLive(path, FollowEnd::kAtEof);
  while (ReadNow(*whole, expected, &expected_ids) != LiveRead::kEnded) {
  }
  ASSERT_EQ(expected.size(), 2000u);
  for (const size_t chunk : {size_t{7}, size_t{100}, size_t{1} << 20}) {
    for (const size_t max_rows : {size_t{1}, size_t{3}, size_t{64}}) {
      auto lines = LineSource::MakeJsonLines("", kSchema);
      ASSERT_TRUE(lines.ok());
      LiveLineOptions options;
      options.follow_end = FollowEnd::kAtEof;
      options.chunk_bytes = chunk;
      LiveLineSource source(path, std::move(*lines), options);
      ASSERT_TRUE(source.Open().ok());
      std::vector<std::string> rows;
      std::vector<Key> ids;
      for (;;) {
        Result<LiveRead> state = source.ReadAvailable(
            [&](const Batch& b) {
              for (size_t r = 0; r < b.num_rows(); ++r) {
                rows.push_back(FormatValue(b.columns[0][r]) + "|" + FormatValue(b.columns[1][r]));
                ids.push_back(b.ids[r]);
              }
            },
            max_rows);
        ASSERT_TRUE(state.ok());
        if (*state == LiveRead::kEnded) break;
      }
      EXPECT_EQ(rows, expected) << "chunk " << chunk << ", max_rows " << max_rows;
      EXPECT_EQ(ids, expected_ids);
    }
  }
}

TEST(LiveLineSourceTest, ReplayMatchesStaticReadForJsonLinesAndPlaintext) {
  const std::string jsonl = TempPath("in.jsonl");
  const std::string text = TempPath("in.txt");
  std::filesystem::remove(jsonl);
  std::filesystem::remove(text);
  std::string j, t;
  for (int i = 0; i < 3000; ++i) {
    j.append("{\"user\": \"u").append(std::to_string(i % 13)).append("\", \"n\": ");
    j.append(std::to_string(i)).append(i % 500 == 7 ? ", \"n\": \"bad\"}\n" : "}\n");
    t.append("line ").append(std::to_string(i)).append(i % 2 ? "\r\n" : "\n");
  }
  Append(jsonl, j);
  Append(text, t);
  io::jsonlines::ReadOptions replay;
  replay.stop_at_end = true;
  auto stat = debug::Capture(io::jsonlines::read(jsonl, kSchema), QuietOptions());
  auto live = debug::Capture(io::jsonlines::read(jsonl, kSchema, io::Mode::kStreaming, replay),
                             QuietOptions());
  ASSERT_TRUE(stat.ok()) << stat.status().ToString();
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  EXPECT_GT(testing::RowsText(stat->updates).size(), 2900u);
  EXPECT_EQ(testing::RowsText(live->updates), testing::RowsText(stat->updates));

  io::plaintext::ReadOptions text_replay;
  text_replay.stop_at_end = true;
  auto text_stat = debug::Capture(io::plaintext::read(text), QuietOptions());
  auto text_live = debug::Capture(io::plaintext::read(text, io::Mode::kStreaming, text_replay),
                                  QuietOptions());
  ASSERT_TRUE(text_stat.ok() && text_live.ok());
  EXPECT_EQ(testing::RowsText(text_stat->updates).size(), 3000u);
  EXPECT_EQ(testing::RowsText(text_live->updates), testing::RowsText(text_stat->updates));
}

}  // namespace
}  // namespace vigil
