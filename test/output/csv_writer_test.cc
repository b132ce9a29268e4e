#include "connectors/output/csv_writer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "output_test_util.h"
#include "vigil/batch/batch.h"
#include "vigil/common/key.h"
#include "vigil/types/value.h"

namespace vigil {
namespace {

using output_test::MakeUpdate;
using output_test::ReadAll;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using TempFile = std::unique_ptr<std::FILE, FileCloser>;

TempFile MakeTempFile() {
  TempFile file(std::tmpfile());
  EXPECT_NE(file, nullptr);
  return file;
}

/// Writes `updates` through a fresh writer and returns the file's text.
std::string WriteCsv(const std::vector<std::string>& names, const std::vector<Update>& updates) {
  TempFile file = MakeTempFile();
  {
    CsvUpdateWriter writer(file.get(), names);
    for (const Update& update : updates) writer.WriteUpdate(update);
  }
  return ReadAll(file.get());
}

std::string CsvCell(const Value& value) {
  std::string text = WriteCsv({"v"}, {MakeUpdate(KeyForIndex(0), {value}, 2, 1)});
  std::string prefix = "\"v\",\"time\",\"diff\"\n";
  std::string suffix = ",\"2\",\"1\"\n";
  EXPECT_EQ(text.substr(0, prefix.size()), prefix);
  EXPECT_GE(text.size(), prefix.size() + suffix.size());
  return text.substr(prefix.size(), text.size() - prefix.size() - suffix.size());
}

TEST(CsvWriterTest, QuotesEveryCsvField) {
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::String("50.37.169.241"), Value::Int(7)}, 1700000000000, 1),
  };
  EXPECT_EQ(WriteCsv({"ip_address", "count"}, updates),
            "\"ip_address\",\"count\",\"time\",\"diff\"\n"
            "\"50.37.169.241\",\"7\",\"1700000000000\",\"1\"\n");
}

TEST(CsvWriterTest, DoublesEmbeddedQuotes) {
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::String("say \"hi\""), Value::String("\"")}, 2, 1),
  };
  EXPECT_EQ(WriteCsv({"a\"b", "c"}, updates),
            "\"a\"\"b\",\"c\",\"time\",\"diff\"\n"
            "\"say \"\"hi\"\"\",\"\"\"\",\"2\",\"1\"\n");
}

TEST(CsvWriterTest, StringsWrittenRawInsideQuotes) {
  EXPECT_EQ(CsvCell(Value::String("a,b\nc")), "\"a,b\nc\"");
  EXPECT_EQ(CsvCell(Value::String("")), "\"\"");
}

TEST(CsvWriterTest, RetractionsCarryMinusOne) {
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::Int(1)}, 2, 1),
      MakeUpdate(KeyForIndex(0), {Value::Int(1)}, 4, -1),
  };
  EXPECT_EQ(WriteCsv({"v"}, updates),
            "\"v\",\"time\",\"diff\"\n"
            "\"1\",\"2\",\"1\"\n"
            "\"1\",\"4\",\"-1\"\n");
}

TEST(CsvWriterTest, RustDebugFloatFormat) {
  EXPECT_EQ(CsvCell(Value::Float(1.0)), "\"1.0\"");
  EXPECT_EQ(CsvCell(Value::Float(0.1)), "\"0.1\"");
  EXPECT_EQ(CsvCell(Value::Float(1e-7)), "\"1e-7\"");
  EXPECT_EQ(CsvCell(Value::Float(1e16)), "\"1e16\"");
  EXPECT_EQ(CsvCell(Value::Float(std::nan(""))), "\"NaN\"");
}

TEST(CsvWriterTest, ValueTextFollowsPathwayDisplay) {
  EXPECT_EQ(CsvCell(Value::None()), "\"None\"");
  EXPECT_EQ(CsvCell(Value::Error()), "\"Error\"");
  EXPECT_EQ(CsvCell(Value::Bool(true)), "\"True\"");
  EXPECT_EQ(CsvCell(Value::Bool(false)), "\"False\"");
  EXPECT_EQ(CsvCell(Value::Int(-12)), "\"-12\"");
  EXPECT_EQ(CsvCell(Value::Pointer(KeyForIndex(0))), "\"^X1MXHYYG4YM0DB900V28XN5T4W\"");
  EXPECT_EQ(CsvCell(Value::Duration(600'000'000'000)), "\"600000000000\"");
  EXPECT_EQ(CsvCell(Value::DateTimeNaive(1687424790LL * 1'000'000'000)),
            "\"2023-06-22T09:06:30.000000000\"");
  EXPECT_EQ(CsvCell(Value::DateTimeUtc(1687424790LL * 1'000'000'000)),
            "\"2023-06-22T09:06:30.000000000+0000\"");
}

TEST(CsvWriterTest, TupleAsJsonArray) {
  Value elements[] = {Value::Int(1), Value::String("a"), Value::None(), Value::Float(2.0)};
  EXPECT_EQ(CsvCell(Value::Tuple(elements, 4)), "\"[1,\"\"a\"\",null,2.0]\"");
}

TEST(CsvWriterTest, HeaderWrittenWithFirstUpdateOnly) {
  EXPECT_EQ(WriteCsv({"a"}, {}), "");
  TempFile file = MakeTempFile();
  {
    CsvUpdateWriter writer(file.get(), {"a"});
    Batch empty(1);
    writer.WriteBatch(empty, 2);
    writer.Flush();
    EXPECT_EQ(ReadAll(file.get()), "");
    writer.WriteUpdate(MakeUpdate(KeyForIndex(0), {Value::Int(1)}, 2, 1));
    writer.WriteUpdate(MakeUpdate(KeyForIndex(1), {Value::Int(2)}, 4, 1));
  }
  EXPECT_EQ(ReadAll(file.get()), "\"a\",\"time\",\"diff\"\n\"1\",\"2\",\"1\"\n\"2\",\"4\",\"1\"\n");
}

TEST(CsvWriterTest, NoColumnsWritesTimeAndDiffOnly) {
  EXPECT_EQ(WriteCsv({}, {MakeUpdate(KeyForIndex(0), {}, 2, 1)}),
            "\"time\",\"diff\"\n\"2\",\"1\"\n");
}

TEST(CsvWriterTest, WriteBatchMatchesWriteUpdate) {
  Batch batch(3);
  std::vector<Update> updates;
  for (int64_t i = 0; i < 5; ++i) {
    Value row[] = {Value::Int(i), batch.arena.CopyString(fmt::format("s\"{}", i)),
                   i % 2 == 0 ? Value::None() : Value::Float(0.5 * static_cast<double>(i))};
    for (size_t c = 0; c < 3; ++c) batch.columns[c].push_back(row[c]);
    batch.ids.push_back(KeyForIndex(i));
    batch.diffs.push_back(i == 3 ? -1 : 1);
    updates.push_back(MakeUpdate(KeyForIndex(i), {row[0], row[1], row[2]}, 6, i == 3 ? -1 : 1));
  }
  TempFile file = MakeTempFile();
  {
    CsvUpdateWriter writer(file.get(), {"i", "s", "f"});
    writer.WriteBatch(batch, 6);
    EXPECT_EQ(writer.updates_written(), 5u);
  }
  std::string from_batch = ReadAll(file.get());
  EXPECT_EQ(from_batch, WriteCsv({"i", "s", "f"}, updates));
  EXPECT_NE(from_batch.find("\"3\",\"s\"\"3\",\"1.5\",\"6\",\"-1\"\n"), std::string::npos);
}

TEST(CsvWriterTest, LargeOutputPassesThroughBufferIntact) {
  TempFile file = MakeTempFile();
  constexpr int64_t kRows = 20000;  // About 400 KiB: several 64 KiB flushes.
  std::string expected = "\"n\",\"text\",\"time\",\"diff\"\n";
  {
    CsvUpdateWriter writer(file.get(), {"n", "text"});
    Batch batch(2);
    for (int64_t i = 0; i < kRows; ++i) {
      batch.columns[0].push_back(Value::Int(i));
      batch.columns[1].push_back(Value::String("row text"));
      batch.ids.push_back(Key{static_cast<uint64_t>(i), 0});
      batch.diffs.push_back(1);
      expected += fmt::format("\"{}\",\"row text\",\"8\",\"1\"\n", i);
    }
    writer.WriteBatch(batch, 8);
    writer.Flush();
    EXPECT_TRUE(writer.ok());
  }
  EXPECT_EQ(ReadAll(file.get()), expected);
}

}  // namespace
}  // namespace vigil
