#include "connectors/output/table_printer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "output_test_util.h"
#include "vigil/common/key.h"
#include "vigil/types/value.h"

namespace vigil {
namespace {

using output_test::MakeUpdate;
using output_test::WindowKey;

/// The B-01 update stream of CASES.md (sliding windows, no behavior):
/// window_start | window_end | n_logs | __time__ | __diff__.
constexpr const char* kB01Stream = R"(352|362|1|362|1
356|366|2|362|1
360|370|2|362|1
360|370|2|368|-1
360|370|3|368|1
364|374|1|368|1
364|374|1|370|-1
364|374|2|370|1
368|378|1|370|1
364|374|2|372|-1
368|378|1|372|-1
364|374|3|372|1
368|378|2|372|1
364|374|3|374|-1
368|378|2|374|-1
364|374|4|374|1
368|378|3|374|1
372|382|1|374|1
376|386|1|382|1
380|390|1|382|1
376|386|1|392|-1
380|390|1|392|-1
376|386|2|392|1
380|390|2|392|1
368|378|3|396|-1
372|382|1|396|-1
376|386|2|396|-1
368|378|4|396|1
372|382|2|396|1
376|386|3|396|1
364|374|4|410|-1
368|378|4|410|-1
364|374|5|410|1
368|378|5|410|1
)";

/// Parses kB01Stream into updates keyed as Pathway keys the window groups, in reverse order
/// so that the printers' own sorting is what puts them in order.
std::vector<Update> B01Updates() {
  std::vector<Update> updates;
  std::istringstream lines(kB01Stream);
  std::string line;
  while (std::getline(lines, line)) {
    int64_t field[5];
    std::istringstream cells(line);
    std::string cell;
    for (int64_t& value : field) {
      std::getline(cells, cell, '|');
      value = std::stoll(cell);
    }
    updates.push_back(MakeUpdate(WindowKey(field[0], field[1]),
                                 {Value::Int(field[0]), Value::Int(field[1]), Value::Int(field[2])},
                                 static_cast<Time>(field[3]), field[4]));
  }
  std::reverse(updates.begin(), updates.end());
  return updates;
}

TEST(TablePrinterTest, TutorialLayoutMatchesPathway) {
  KeyHasher hasher;
  hasher.BeginTuple(3);
  hasher.AddString("50.37.169.241");
  hasher.AddInt(1545730200);
  hasher.AddInt(1545730260);
  hasher.AddInt(1545730200);
  hasher.AddInt(1545730260);
  hasher.AddString("50.37.169.241");
  KeyHasher shard;
  shard.AddString("50.37.169.241");
  Key key = hasher.Finish().WithShardOf(shard.Finish());
  // The group first reached 5 failures, then 7; the filter's retraction cancels the 5.
  std::vector<Update> updates = {
      MakeUpdate(key, {Value::String("50.37.169.241"), Value::Int(5)}, 2, 1),
      MakeUpdate(key, {Value::String("50.37.169.241"), Value::Int(5)}, 4, -1),
      MakeUpdate(key, {Value::String("50.37.169.241"), Value::Int(7)}, 4, 1),
  };
  EXPECT_EQ(FormatTable({"ip_address", "count"}, updates, PrintOptions{}),
            "            | ip_address    | count\n"
            "^3HJ3BS8... | 50.37.169.241 | 7\n");
}

TEST(TablePrinterTest, BehaviorNotebookFinalStateMatchesPathway) {
  // P-01: the B-01 final state as the windows_temporal_behavior notebook prints it.
  EXPECT_EQ(FormatTable({"window_start", "window_end", "n_logs"}, B01Updates(), PrintOptions{}),
            "            | window_start | window_end | n_logs\n"
            "^Y8PEAZV... | 352          | 362        | 1\n"
            "^YFKEFV6... | 356          | 366        | 2\n"
            "^DX546QX... | 360          | 370        | 3\n"
            "^B5NPNV8... | 364          | 374        | 5\n"
            "^VRT1YTS... | 368          | 378        | 5\n"
            "^QE3WQ0X... | 372          | 382        | 2\n"
            "^XJDDRJ0... | 376          | 386        | 3\n"
            "^R0SM1CF... | 380          | 390        | 2\n");
}

TEST(TablePrinterTest, B01UpdateStreamWithoutIdsInCaseOrder) {
  PrintOptions options;
  options.include_id = false;
  EXPECT_EQ(FormatUpdateStream({"window_start", "window_end", "n_logs"}, B01Updates(), options),
            "window_start | window_end | n_logs | __time__ | __diff__\n"
            "352          | 362        | 1      | 362      | 1\n"
            "356          | 366        | 2      | 362      | 1\n"
            "360          | 370        | 2      | 362      | 1\n"
            "360          | 370        | 2      | 368      | -1\n"
            "360          | 370        | 3      | 368      | 1\n"
            "364          | 374        | 1      | 368      | 1\n"
            "364          | 374        | 1      | 370      | -1\n"
            "364          | 374        | 2      | 370      | 1\n"
            "368          | 378        | 1      | 370      | 1\n"
            "364          | 374        | 2      | 372      | -1\n"
            "368          | 378        | 1      | 372      | -1\n"
            "364          | 374        | 3      | 372      | 1\n"
            "368          | 378        | 2      | 372      | 1\n"
            "364          | 374        | 3      | 374      | -1\n"
            "368          | 378        | 2      | 374      | -1\n"
            "364          | 374        | 4      | 374      | 1\n"
            "368          | 378        | 3      | 374      | 1\n"
            "372          | 382        | 1      | 374      | 1\n"
            "376          | 386        | 1      | 382      | 1\n"
            "380          | 390        | 1      | 382      | 1\n"
            "376          | 386        | 1      | 392      | -1\n"
            "380          | 390        | 1      | 392      | -1\n"
            "376          | 386        | 2      | 392      | 1\n"
            "380          | 390        | 2      | 392      | 1\n"
            "368          | 378        | 3      | 396      | -1\n"
            "372          | 382        | 1      | 396      | -1\n"
            "376          | 386        | 2      | 396      | -1\n"
            "368          | 378        | 4      | 396      | 1\n"
            "372          | 382        | 2      | 396      | 1\n"
            "376          | 386        | 3      | 396      | 1\n"
            "364          | 374        | 4      | 410      | -1\n"
            "368          | 378        | 4      | 410      | -1\n"
            "364          | 374        | 5      | 410      | 1\n"
            "368          | 378        | 5      | 410      | 1\n");
}

TEST(TablePrinterTest, AlignsColumnsToWidestCell) {
  PrintOptions options;
  options.include_id = false;
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::String("a"), Value::Int(1), Value::Int(2)}, 2, 1),
      MakeUpdate(KeyForIndex(1), {Value::String("bbbbbb"), Value::Int(100), Value::Int(3)}, 2, 1),
  };
  // `x` widens to 6 by its cell, `long_name` keeps its header width 9.
  EXPECT_EQ(FormatTable({"x", "long_name", "y"}, updates, options),
            "x      | long_name | y\n"
            "a      | 1         | 2\n"
            "bbbbbb | 100       | 3\n");
}

TEST(TablePrinterTest, LastColumnNotPadded) {
  PrintOptions options;
  options.include_id = false;
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::Int(1), Value::String("short")}, 2, 1),
      MakeUpdate(KeyForIndex(1), {Value::Int(2), Value::String("much longer text")}, 2, 1),
  };
  EXPECT_EQ(FormatTable({"k", "v"}, updates, options),
            "k | v\n"
            "1 | short\n"
            "2 | much longer text\n");
}

TEST(TablePrinterTest, TrailingSpacesStrippedAfterEmptyLastCell) {
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::String("a"), Value::None()}, 2, 1),
  };
  // Python prints "^X1MXHYY... | a | " and rstrip() leaves the bar.
  EXPECT_EQ(FormatTable({"name", "value"}, updates, PrintOptions{}),
            "            | name | value\n"
            "^X1MXHYY... | a    |\n");
}

TEST(TablePrinterTest, NoneShownEmptyWithIds) {
  std::vector<Update> updates = {MakeUpdate(KeyForIndex(0), {Value::None()}, 2, 1)};
  EXPECT_EQ(FormatTable({"v"}, updates, PrintOptions{}),
            "            | v\n"
            "^X1MXHYY... |\n");
}

TEST(TablePrinterTest, NoneShownEmptyWithoutIdsSeveralColumns) {
  PrintOptions options;
  options.include_id = false;
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::None(), Value::Int(1)}, 2, 1),
  };
  EXPECT_EQ(FormatTable({"a", "b"}, updates, options),
            "a | b\n"
            "  | 1\n");
}

TEST(TablePrinterTest, NoneShownAsNoneSingleColumnWithoutIds) {
  PrintOptions options;
  options.include_id = false;
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::None()}, 2, 1),
      MakeUpdate(KeyForIndex(1), {Value::Int(3)}, 2, 1),
  };
  EXPECT_EQ(FormatTable({"v"}, updates, options), "v\nNone\n3\n");
}

TEST(TablePrinterTest, SortsRowsByValuesThenKey) {
  PrintOptions options;
  options.short_pointers = false;
  Key a = KeyForIndex(0), b = KeyForIndex(1);
  Key low = std::min(a, b), high = std::max(a, b);
  std::vector<Update> updates = {
      MakeUpdate(high, {Value::Int(1)}, 2, 1),
      MakeUpdate(KeyForIndex(2), {Value::Int(0)}, 2, 1),
      MakeUpdate(low, {Value::Int(1)}, 2, 1),
  };
  EXPECT_EQ(FormatTable({"v"}, updates, options),
            std::string(27, ' ') + " | v\n" + KeyForIndex(2).ToString() + " | 0\n" +
                low.ToString() + " | 1\n" + high.ToString() + " | 1\n");
}

TEST(TablePrinterTest, SortsNoneFirstAndNumbersNumerically) {
  PrintOptions options;
  options.include_id = false;
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::Float(2.5), Value::Int(0)}, 2, 1),
      MakeUpdate(KeyForIndex(1), {Value::Int(10), Value::Int(1)}, 2, 1),
      MakeUpdate(KeyForIndex(2), {Value::None(), Value::Int(2)}, 2, 1),
      MakeUpdate(KeyForIndex(3), {Value::Int(2), Value::Int(3)}, 2, 1),
  };
  EXPECT_EQ(FormatTable({"v", "i"}, updates, options),
            "v   | i\n"
            "    | 2\n"
            "2   | 3\n"
            "2.5 | 0\n"
            "10  | 1\n");
}

TEST(TablePrinterTest, RetractionsBeforeInsertionsAtSameTime) {
  PrintOptions options;
  options.include_id = false;
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::String("b")}, 4, 1),
      MakeUpdate(KeyForIndex(0), {Value::String("a")}, 2, 1),
      MakeUpdate(KeyForIndex(0), {Value::String("z")}, 4, 1),
      MakeUpdate(KeyForIndex(0), {Value::String("a")}, 4, -1),
  };
  // Consolidate cancels nothing here; b and z are distinct rows.
  EXPECT_EQ(FormatUpdateStream({"v"}, updates, options),
            "v | __time__ | __diff__\n"
            "a | 2        | 1\n"
            "a | 4        | -1\n"
            "b | 4        | 1\n"
            "z | 4        | 1\n");
}

TEST(TablePrinterTest, UpdateStreamConsolidatesFirst) {
  PrintOptions options;
  options.include_id = false;
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::Int(1)}, 2, 1),
      MakeUpdate(KeyForIndex(0), {Value::Int(1)}, 2, -1),
      MakeUpdate(KeyForIndex(0), {Value::Int(2)}, 2, 1),
  };
  EXPECT_EQ(FormatUpdateStream({"v"}, updates, options),
            "v | __time__ | __diff__\n"
            "2 | 2        | 1\n");
}

TEST(TablePrinterTest, UpdateStreamShowsIdsAndEmptyNone) {
  std::vector<Update> updates = {MakeUpdate(KeyForIndex(0), {Value::None()}, 2, 1)};
  EXPECT_EQ(FormatUpdateStream({"v"}, updates, PrintOptions{}),
            "            | v | __time__ | __diff__\n"
            "^X1MXHYY... |   | 2        | 1\n");
}

TEST(TablePrinterTest, FullIdsWithoutShortPointers) {
  PrintOptions options;
  options.short_pointers = false;
  std::vector<Update> updates = {MakeUpdate(KeyForIndex(0), {Value::Int(1)}, 2, 1)};
  EXPECT_EQ(FormatTable({"v"}, updates, options),
            std::string(27, ' ') + " | v\n" + "^X1MXHYYG4YM0DB900V28XN5T4W | 1\n");
}

TEST(TablePrinterTest, PointerCellsShortenedLikeIds) {
  PrintOptions options;
  options.include_id = false;
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(1), {Value::Pointer(KeyForIndex(0))}, 2, 1),
  };
  EXPECT_EQ(FormatTable({"ptr"}, updates, options), "ptr\n^X1MXHYY...\n");
  options.short_pointers = false;
  EXPECT_EQ(FormatTable({"ptr"}, updates, options), "ptr\n^X1MXHYYG4YM0DB900V28XN5T4W\n");
}

TEST(TablePrinterTest, HeaderIsIdWithoutColumns) {
  std::vector<Update> updates = {MakeUpdate(KeyForIndex(0), {}, 2, 1)};
  EXPECT_EQ(FormatTable({}, updates, PrintOptions{}), "id\n^X1MXHYY...\n");
}

TEST(TablePrinterTest, PrintsNothingWithoutColumnsAndIds) {
  PrintOptions options;
  options.include_id = false;
  std::vector<Update> updates = {MakeUpdate(KeyForIndex(0), {}, 2, 1)};
  EXPECT_EQ(FormatTable({}, updates, options), "");
}

TEST(TablePrinterTest, EmptyTablePrintsHeaderOnly) {
  // The id column is as wide as its widest cell, the empty header: Pathway prints " | a | b".
  EXPECT_EQ(FormatTable({"a", "b"}, {}, PrintOptions{}), " | a | b\n");
}

TEST(TablePrinterTest, NRowsTruncatesAfterSortingAndNarrowsWidths) {
  PrintOptions options;
  options.include_id = false;
  options.n_rows = 2;
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::String("cccccccccc"), Value::Int(3)}, 2, 1),
      MakeUpdate(KeyForIndex(1), {Value::String("a"), Value::Int(1)}, 2, 1),
      MakeUpdate(KeyForIndex(2), {Value::String("b"), Value::Int(2)}, 2, 1),
  };
  EXPECT_EQ(FormatTable({"s", "n"}, updates, options),
            "s | n\n"
            "a | 1\n"
            "b | 2\n");
  options.n_rows = 0;
  EXPECT_EQ(FormatUpdateStream({"s", "n"}, updates, options), "s | n | __time__ | __diff__\n");
}

TEST(TablePrinterTest, CountAboveOnePrintsRowRepeatedly) {
  PrintOptions options;
  options.include_id = false;
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::Int(7)}, 2, 1),
      MakeUpdate(KeyForIndex(0), {Value::Int(7)}, 4, 1),
  };
  EXPECT_EQ(FormatTable({"v"}, updates, options), "v\n7\n7\n");
}

TEST(TablePrinterTest, NegativeCountReportedAfterTable) {
  PrintOptions options;
  options.include_id = false;
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::Int(1), Value::None()}, 2, 1),
      MakeUpdate(KeyForIndex(1), {Value::Int(2), Value::None()}, 2, -1),
  };
  EXPECT_EQ(FormatTable({"a", "b"}, updates, options),
            "a | b\n"
            "1 |\n"
            "ERROR: negative count -1: ^YYY4HAB... | 2 | None\n");
}

TEST(TablePrinterTest, WidthCountsCodePointsNotBytes) {
  PrintOptions options;
  options.include_id = false;
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::String("zażółć"), Value::Int(1)}, 2, 1),
      MakeUpdate(KeyForIndex(1), {Value::String("abc"), Value::Int(2)}, 2, 1),
  };
  EXPECT_EQ(FormatTable({"s", "n"}, updates, options),
            "s      | n\n"
            "abc    | 2\n"
            "zażółć | 1\n");
}

TEST(TablePrinterTest, CellsArePythonStr) {
  PrintOptions options;
  options.include_id = false;
  Value elements[] = {Value::Int(1), Value::String("a"), Value::None()};
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0),
                 {Value::Float(5.0), Value::Bool(true), Value::Tuple(elements, 3),
                  Value::DateTimeNaive(1687424790LL * 1'000'000'000)},
                 2, 1),
  };
  EXPECT_EQ(FormatTable({"f", "b", "t", "d"}, updates, options),
            "f   | b    | t              | d\n"
            "5.0 | True | (1, 'a', None) | 2023-06-22 09:06:30\n");
}

}  // namespace
}  // namespace vigil
