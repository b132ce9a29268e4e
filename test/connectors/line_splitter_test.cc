#include "connectors/lines/line_splitter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace vigil {
namespace {

using ::testing::ElementsAre;

/// A line as the tests compare it (owned).
struct LineRecord {
  std::string text;
  uint64_t number;
  uint64_t end_offset;
  bool terminated;
  bool too_long;
  uint64_t length;
  friend bool operator==(const LineRecord&, const LineRecord&) = default;
  friend std::ostream& operator<<(std::ostream& os, const LineRecord& l) {
    return os << "{'" << l.text << "' #" << l.number << " end " << l.end_offset
              << (l.terminated ? "" : " unterminated") << (l.too_long ? " too long" : "") << " len "
              << l.length << "}";
  }
};

LineRecord Record(const Line& line) {
  return LineRecord{std::string(line.text), line.number,   line.end_offset,
                    line.terminated,        line.too_long, line.length};
}

void Drain(LineSplitter& splitter, std::vector<LineRecord>& out) {
  Line line;
  while (splitter.Next(line)) {
    // Every line leaves readable padding after its text (SIMD parsers read past it).
    if (!line.text.empty()) {
      EXPECT_GE(static_cast<size_t>(splitter.buffer_end() - (line.text.data() + line.text.size())),
                LineSplitter::kReadablePadding);
    }
    out.push_back(Record(line));
  }
}

/// Splits `input` fed in pieces of the given sizes (cycled), then Finish().
std::vector<LineRecord> Split(const std::string& input, const std::vector<size_t>& pieces,
                              size_t max_line_bytes = LineSplitter::kDefaultMaxLineBytes) {
  LineSplitter splitter(max_line_bytes);
  std::vector<LineRecord> lines;
  size_t at = 0;
  size_t k = 0;
  while (at < input.size()) {
    const size_t piece = std::min(input.size() - at, pieces[k++ % pieces.size()]);
    splitter.Append(std::string_view(input).substr(at, piece));
    at += piece;
    Drain(splitter, lines);
  }
  splitter.Finish();
  Drain(splitter, lines);
  return lines;
}

std::vector<LineRecord> SplitWhole(const std::string& input,
                                   size_t max_line_bytes = LineSplitter::kDefaultMaxLineBytes) {
  return Split(input, {input.size() + 1}, max_line_bytes);
}

TEST(LineSplitterTest, SplitsOnNewlineAndDropsCrBeforeIt) {
  EXPECT_THAT(SplitWhole("ab\ncd\r\nef\n"), ElementsAre(LineRecord{"ab", 1, 3, true, false, 2},
                                                        LineRecord{"cd", 2, 7, true, false, 3},
                                                        LineRecord{"ef", 3, 10, true, false, 2}));
}

TEST(LineSplitterTest, LoneCrIsAnOrdinaryByte) {
  EXPECT_THAT(SplitWhole("a\rb\n\r\r\n"), ElementsAre(LineRecord{"a\rb", 1, 4, true, false, 3},
                                                      LineRecord{"\r", 2, 7, true, false, 2}));
}

TEST(LineSplitterTest, EmptyLinesAreLinesButNoLineFollowsTheLastNewline) {
  EXPECT_THAT(
      SplitWhole("a\n\n\nb\n"),
      ElementsAre(LineRecord{"a", 1, 2, true, false, 1}, LineRecord{"", 2, 3, true, false, 0},
                  LineRecord{"", 3, 4, true, false, 0}, LineRecord{"b", 4, 6, true, false, 1}));
  EXPECT_THAT(SplitWhole("a\n\n"), ElementsAre(LineRecord{"a", 1, 2, true, false, 1},
                                               LineRecord{"", 2, 3, true, false, 0}));
  EXPECT_TRUE(SplitWhole("").empty());
}

TEST(LineSplitterTest, LastLineWithoutTerminatorComesOnlyAtFinish) {
  LineSplitter splitter;
  splitter.Append("x\nlast");
  std::vector<LineRecord> lines;
  Drain(splitter, lines);
  EXPECT_THAT(lines, ElementsAre(LineRecord{"x", 1, 2, true, false, 1}));
  EXPECT_EQ(splitter.buffered_bytes(), 4u);
  splitter.Finish();
  Drain(splitter, lines);
  // The text keeps a final \r: only a terminator's \r is dropped (parsers trim anyway).
  EXPECT_THAT(lines, ElementsAre(LineRecord{"x", 1, 2, true, false, 1},
                                 LineRecord{"last", 2, 6, false, false, 4}));
  EXPECT_THAT(SplitWhole("a\r"), ElementsAre(LineRecord{"a\r", 1, 2, false, false, 2}));
}

TEST(LineSplitterTest, NulAndInvalidUtf8BytesAreOrdinary) {
  const std::string input("a\0b\n\xff\xfe\n", 7);
  EXPECT_THAT(SplitWhole(input),
              ElementsAre(LineRecord{std::string("a\0b", 3), 1, 4, true, false, 3},
                          LineRecord{"\xff\xfe", 2, 7, true, false, 2}));
}

TEST(LineSplitterTest, OneBytePiecesAndCrlfSplitAcrossPiecesGiveTheSameLines) {
  const std::string input = "first\r\n\r\nsecond line\r\nthird\rstill\nlast\r";
  const auto whole = SplitWhole(input);
  ASSERT_EQ(whole.size(), 5u);
  EXPECT_EQ(Split(input, {1}), whole);
  // The \r of "first\r\n" ends one piece, its \n starts the next.
  EXPECT_EQ(Split(input, {6, 1}), whole);
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<size_t> pieces;
    for (int i = 0; i < 10; ++i) pieces.push_back(1 + rng() % 9);
    EXPECT_EQ(Split(input, pieces), whole) << "trial " << trial;
  }
}

TEST(LineSplitterTest, LineAtTheLimitIsKeptLongerOneIsReportedWithoutItsText) {
  // The limit counts the bytes before \n, a \r included.
  EXPECT_THAT(
      SplitWhole("1234\n12345\n1234\r\n123\r\nok\n", 4),
      ElementsAre(LineRecord{"1234", 1, 5, true, false, 4}, LineRecord{"", 2, 11, true, true, 5},
                  LineRecord{"", 3, 17, true, true, 5}, LineRecord{"123", 4, 22, true, false, 4},
                  LineRecord{"ok", 5, 25, true, false, 2}));
}

TEST(LineSplitterTest, OverLongLineInPiecesIsDroppedAsItComesAndReportedOnce) {
  const std::string input = "a\n" + std::string(100, 'x') + "\nb\n" + std::string(30, 'y');
  const std::vector<LineRecord> expected = {
      {"a", 1, 2, true, false, 1},
      {"", 2, 103, true, true, 100},
      {"b", 3, 105, true, false, 1},
      {"", 4, 135, false, true, 30},
  };
  EXPECT_EQ(SplitWhole(input, 16), expected);
  EXPECT_EQ(Split(input, {1}, 16), expected);
  EXPECT_EQ(Split(input, {3, 7, 2}, 16), expected);
}

TEST(LineSplitterTest, MemoryStaysBoundedWithoutNewlines) {
  LineSplitter splitter(size_t{1} << 20);
  const std::string piece(64 << 10, 'z');
  std::vector<LineRecord> lines;
  for (int i = 0; i < 160; ++i) {  // 10 MiB in one line
    splitter.Append(piece);
    Drain(splitter, lines);
  }
  EXPECT_TRUE(lines.empty());
  EXPECT_LE(splitter.capacity(), size_t{4} << 20);
  splitter.Append("\nafter\n");
  Drain(splitter, lines);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].too_long);
  EXPECT_EQ(lines[0].length, 160u * piece.size());
  EXPECT_EQ(lines[1], (LineRecord{"after", 2, 160 * piece.size() + 7, true, false, 5}));
}

TEST(LineSplitterTest, TextsStayInPlaceWhileAppendKeepsLines) {
  LineSplitter splitter;
  splitter.Append("one\ntwo\n");
  Line first;
  ASSERT_TRUE(splitter.Next(first));
  const char* before = first.text.data();
  ASSERT_TRUE(splitter.AppendKeepsLines(10));
  splitter.Append("three\n");
  EXPECT_EQ(first.text.data(), before);
  EXPECT_EQ(first.text, "one");
}

TEST(LineSplitterTest, AppendSpaceReadsStraightIntoTheBuffer) {
  LineSplitter splitter;
  const std::string input = "p\nq";
  const std::span<char> space = splitter.AppendSpace(input.size());
  ASSERT_GE(space.size(), input.size());
  std::copy(input.begin(), input.end(), space.begin());
  splitter.CommitAppend(input.size());
  splitter.Finish();
  std::vector<LineRecord> lines;
  Drain(splitter, lines);
  EXPECT_THAT(lines, ElementsAre(LineRecord{"p", 1, 2, true, false, 1},
                                 LineRecord{"q", 2, 3, false, false, 1}));
  EXPECT_EQ(splitter.bytes_appended(), 3u);
}

TEST(LineSplitterTest, ResetRestartsNumbersAndOffsets) {
  LineSplitter splitter;
  splitter.Append("a\nb\npartial");
  std::vector<LineRecord> lines;
  Drain(splitter, lines);
  splitter.Reset();
  splitter.Append("c\n");
  Drain(splitter, lines);
  EXPECT_THAT(lines, ElementsAre(LineRecord{"a", 1, 2, true, false, 1},
                                 LineRecord{"b", 2, 4, true, false, 1},
                                 LineRecord{"c", 1, 2, true, false, 1}));
}

}  // namespace
}  // namespace vigil
