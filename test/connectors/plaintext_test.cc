// Plaintext reader (connectors/lines/) and Pathway's line text rules (UTF-8 check with Rust's
// error wording, Unicode trim).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "connectors/io.h"
#include "connectors/lines/line_text.h"
#include "connectors/lines/plaintext_row_parser.h"
#include "golden.h"
#include "line_source_test_util.h"
#include "vigil/common/key.h"

namespace vigil {
namespace {

using line_test::ReadResult;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PlaintextTest : public line_test::LineReaderTest {
 protected:
  static line_test::SourceMaker Maker() {
    return [](const std::string& path, LineSourceOptions options) {
      return LineSource::MakePlaintext(path, std::move(options));
    };
  }
  ReadResult Read(const std::string& content, LineSourceOptions options = {}) {
    return ReadStatic(Maker(), Write("in.txt", content), std::move(options));
  }
};

TEST_F(PlaintextTest, EveryLineIsARowTrimmedAsPathwayDoes) {
  const ReadResult r =
      Read("first line\r\n\n  padded\t\n\xC2\xA0nbsp\xE2\x80\x83\nlast without newline  ");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  // Blank lines stay (as empty strings); surrounding Unicode whitespace goes.
  EXPECT_THAT(r.Cells(), ElementsAre("first line", "", "padded", "nbsp", "last without newline"));
  EXPECT_TRUE(r.errors.empty());
}

TEST_F(PlaintextTest, CommitMarkerGivesNoRow) {
  const ReadResult r = Read("a\n*COMMIT*\n *COMMIT* \nb\n**COMMIT*\n");
  EXPECT_THAT(r.Cells(), ElementsAre("a", "b", "**COMMIT*"));
}

TEST_F(PlaintextTest, InvalidUtf8IsABadDataField) {
  const std::string content = "ok\nbad \xC3(\nend\n";
  const std::string message =
      "received plaintext message is not in utf-8 format: invalid utf-8 sequence of 1 bytes "
      "from index 4";
  {
    const ReadResult r = Read(content);
    EXPECT_THAT(r.Cells(), ElementsAre("ok", "end"));
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].message, message);
    EXPECT_EQ(r.errors[0].line, 2u);
    EXPECT_EQ(r.errors[0].field, "data");
    EXPECT_EQ(r.errors[0].expected, "valid UTF-8");
    EXPECT_TRUE(r.errors[0].row_skipped);
    EXPECT_EQ(FormatDataError(r.errors[0]),
              r.errors[0].file + ":2: column 'data': invalid UTF-8 in \"bad \\xc3(\"");
  }
  {
    LineSourceOptions options;
    options.on_bad_row = OnBadRow::kKeepError;
    const ReadResult r = Read(content, options);
    EXPECT_THAT(r.Cells(), ElementsAre("ok", "Error", "end"));
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_FALSE(r.errors[0].row_skipped);
  }
  {
    LineSourceOptions options;
    options.on_bad_row = OnBadRow::kFail;
    const ReadResult r = Read(content, options);
    EXPECT_EQ(r.status.code(), StatusCode::kParseError);
    EXPECT_THAT(r.status.message(), HasSubstr(":2: column 'data': invalid UTF-8"));
  }
}

TEST_F(PlaintextTest, IdsHashPathAndLineEndOffset) {
  const std::string content = "x\r\ny\n\nz";
  const std::string path = Write("ids.txt", content);
  const ReadResult r = ReadStatic(Maker(), path);
  ASSERT_EQ(r.rows.size(), 4u);
  const std::vector<uint64_t> ends = {3, 5, 6, 7};
  for (size_t i = 0; i < ends.size(); ++i) {
    KeyHasher hasher;
    hasher.AddRawBytes(path);
    hasher.AddRaw64(ends[i]);
    EXPECT_EQ(r.rows[i].id, hasher.Finish()) << i;
  }
}

TEST_F(PlaintextTest, PiecewiseReadsGiveExactlyTheStaticRows) {
  std::string content;
  for (int i = 0; i < 200; ++i) {
    content += "line " + std::to_string(i) + (i % 3 == 0 ? "\r\n" : "\n");
    if (i % 9 == 0) content += "\n";
    if (i % 23 == 0) content += std::string(50, 'w') + "\n";
    if (i % 29 == 0) content += "\xE2\x82\n";
  }
  content += "tail\r";
  Write("dir/a.txt", content);
  Write("dir/b/c.txt", "other\n");
  LineSourceOptions options;
  options.max_line_bytes = 40;
  options.batch_rows = 16;
  const ReadResult whole = ReadStatic(Maker(), dir_ + "/dir", options);
  ASSERT_TRUE(whole.status.ok()) << whole.status.ToString();
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    options.chunk_bytes = seed * 5;
    const ReadResult pieces =
        ReadInPieces(Maker(), dir_ + "/dir", seed, seed % 2 ? 1 : 64, options);
    ASSERT_TRUE(pieces.status.ok()) << pieces.status.ToString();
    EXPECT_EQ(pieces.rows, whole.rows) << "seed " << seed;
    EXPECT_EQ(pieces.Messages(), whole.Messages()) << "seed " << seed;
  }
  // 200 lines, 23 blank lines, the tail and the other file; long and non-UTF-8 lines dropped.
  EXPECT_EQ(whole.rows.size(), 200u + 23u + 1u + 1u);
  EXPECT_EQ(whole.errors.size(), 9u + 7u);
}

TEST_F(PlaintextTest, StaticReadsInCommitsGiveTheRowsOfOneCommitInCommitsOfAboutNRows) {
  // Three files (a connection of lines straddles nothing here, but rows, ids and errors
  // must carry across files and commits as in one commit).
  std::vector<std::string> files;
  for (int f = 0; f < 3; ++f) {
    std::string content;
    for (int i = 0; i < 300 + 50 * f; ++i) {
      content += "file " + std::to_string(f) + " line " + std::to_string(i) + "\n";
      if (i % 31 == 0) content += "\xE2\x82\n";  // A bad row, reported.
    }
    files.push_back(Write("part" + std::to_string(f) + ".txt", content));
  }
  auto read = [&](LineSourceOptions options, std::vector<size_t>& commit_rows) {
    ReadResult result;
    ErrorLog log;
    options.error_log = &log;
    auto made = LineSource::MakePlaintext("", options);
    EXPECT_TRUE(made.ok());
    LineSource& source = **made;
    source.SetFiles(files);
    EXPECT_TRUE(source.Open().ok());
    Time expected_time = 0;
    while (auto time = source.NextCommitTime()) {
      EXPECT_EQ(*time, expected_time);  // 0, 2, 4, ...: even, as every commit time.
      expected_time = expected_time + 2;
      const size_t before = result.rows.size();
      result.status = source.ReadCommit(
          [&](const Batch& batch) { AppendRows(batch, source.schema().size(), result); });
      EXPECT_TRUE(result.status.ok()) << result.status.ToString();
      commit_rows.push_back(result.rows.size() - before);
    }
    result.errors = log.kept();
    return result;
  };
  LineSourceOptions options;
  options.batch_rows = 16;
  std::vector<size_t> one;
  const ReadResult whole = read(options, one);
  ASSERT_EQ(one.size(), 1u);
  ASSERT_EQ(whole.rows.size(), 300u + 350u + 400u);
  for (size_t n : {1, 7, 100, 5000}) {
    for (size_t chunk : {size_t{13}, size_t{1000}}) {
      options.rows_per_commit = n;
      options.chunk_bytes = chunk;
      std::vector<size_t> commits;
      const ReadResult r = read(options, commits);
      EXPECT_EQ(r.rows, whole.rows) << "rows_per_commit " << n << ", chunk " << chunk;
      EXPECT_EQ(r.Messages(), whole.Messages());
      // Every commit but the last has its N rows; it ends at the end of the chunk that
      // completed them (a chunk of `chunk` bytes holds at most `chunk` lines).
      for (size_t i = 0; i + 1 < commits.size(); ++i) {
        EXPECT_GE(commits[i], std::min(n, whole.rows.size()));
        EXPECT_LT(commits[i], n + chunk);
      }
      if (n < 100 && chunk == 13) EXPECT_GT(commits.size(), whole.rows.size() / (n + 13));
    }
  }
}

TEST_F(PlaintextTest, MemoryStaysBoundedWhateverTheLineLengths) {
  LineSourceOptions options;
  options.max_line_bytes = size_t{1} << 20;
  options.chunk_bytes = size_t{64} << 10;
  ErrorLog log;
  options.error_log = &log;
  auto made = LineSource::MakePlaintext("", options);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  LineSource& source = **made;
  std::vector<std::string> rows;
  const BatchConsumer emit = [&](const Batch& batch) {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      rows.emplace_back(batch.columns[0][r].as_string());
    }
  };
  source.StartFile("huge.txt");
  // 16 MiB without a newline, given in one Consume call, then a normal line.
  const std::string huge(size_t{16} << 20, 'h');
  ASSERT_TRUE(source.Consume("before\n" + huge, emit).ok());
  EXPECT_LE(source.buffer_capacity(), size_t{4} << 20);
  ASSERT_TRUE(source.Consume("\nafter\n", emit).ok());
  ASSERT_TRUE(source.FinishFile(emit).ok());
  source.Flush(emit);
  EXPECT_THAT(rows, ElementsAre("before", "after"));
  ASSERT_EQ(log.count(), 1u);
  EXPECT_EQ(log.kept()[0].line, 2u);
  EXPECT_THAT(log.kept()[0].message, HasSubstr("line of 16777216 bytes is longer"));
}

TEST_F(PlaintextTest, ReadThroughTheEngine) {
  const std::string path = Write("in.txt", "b\na\n\n");
  const Table table = io::plaintext::read(path);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table.column_names(), std::vector<std::string>{"data"});
  EXPECT_THAT(testing::FinalRows(table), ElementsAre("", "a", "b"));
  // Streaming over a missing path fails when the run starts, naming it.
  const Table missing = io::plaintext::read(path + ".missing", io::Mode::kStreaming);
  ASSERT_TRUE(missing.ok());
  auto run = debug::Capture(missing);
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.status().message().find(path + ".missing"), std::string::npos);
}

// --- Line text rules ------------------------------------------------------------------------

std::string Describe(std::string_view bytes, bool terminated) {
  Utf8Problem problem;
  if (CheckUtf8(bytes, terminated, problem)) return "ok";
  return DescribeUtf8Problem(problem);
}

TEST(LineTextTest, Utf8ProblemsAreDescribedAsRustDoes) {
  EXPECT_EQ(Describe("plain ascii, long enough for the word loop", true), "ok");
  EXPECT_EQ(Describe("h\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", true), "ok");
  // Lead bytes that never start a sequence.
  EXPECT_EQ(Describe("ab\x80", true), "invalid utf-8 sequence of 1 bytes from index 2");
  EXPECT_EQ(Describe("\xC0\xAF", true), "invalid utf-8 sequence of 1 bytes from index 0");
  EXPECT_EQ(Describe("\xF5\x80\x80\x80", true), "invalid utf-8 sequence of 1 bytes from index 0");
  // A bad second byte: overlong, surrogate, above U+10FFFF, not a continuation.
  EXPECT_EQ(Describe("\xE0\x80\x80", true), "invalid utf-8 sequence of 1 bytes from index 0");
  EXPECT_EQ(Describe("x\xED\xA0\x80", true), "invalid utf-8 sequence of 1 bytes from index 1");
  EXPECT_EQ(Describe("\xF4\x90\x80\x80", true), "invalid utf-8 sequence of 1 bytes from index 0");
  EXPECT_EQ(Describe("\xC3(", true), "invalid utf-8 sequence of 1 bytes from index 0");
  // A bad third or fourth byte.
  EXPECT_EQ(Describe("\xE2\x82(", true), "invalid utf-8 sequence of 2 bytes from index 0");
  EXPECT_EQ(Describe("\xF0\x9F\x98(", true), "invalid utf-8 sequence of 3 bytes from index 0");
  // Cut by the end: invalid when the line's terminator follows, else incomplete.
  EXPECT_EQ(Describe("ok\xF0\x9F\x98", true), "invalid utf-8 sequence of 3 bytes from index 2");
  EXPECT_EQ(Describe("ok\xF0\x9F\x98", false), "incomplete utf-8 byte sequence from index 2");
  EXPECT_EQ(Describe("\xC3", true), "invalid utf-8 sequence of 1 bytes from index 0");
  EXPECT_EQ(Describe("\xC3", false), "incomplete utf-8 byte sequence from index 0");
}

TEST(LineTextTest, TrimRemovesUnicodeWhiteSpaceOnly) {
  EXPECT_EQ(TrimUnicodeWhitespace(" \t\r\n\v\fx y\r"), "x y");
  EXPECT_EQ(TrimUnicodeWhitespace("\xC2\x85\xC2\xA0\xE1\x9A\x80x\xE2\x80\x8A\xE2\x80\xA8"
                                  "\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\x9F\xE3\x80\x80"),
            "x");
  // Not White_Space: zero-width space U+200B, BOM U+FEFF, U+001F.
  EXPECT_EQ(TrimUnicodeWhitespace("\xE2\x80\x8Bx\xEF\xBB\xBF"), "\xE2\x80\x8Bx\xEF\xBB\xBF");
  EXPECT_EQ(TrimUnicodeWhitespace("\x1Fx"), "\x1Fx");
  EXPECT_EQ(TrimUnicodeWhitespace("   "), "");
}

}  // namespace
}  // namespace vigil
