#include "connectors/output/jsonl_writer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
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

std::string WriteJsonLines(const std::vector<std::string>& names,
                           const std::vector<Update>& updates) {
  TempFile file(std::tmpfile());
  EXPECT_NE(file, nullptr);
  {
    JsonLinesUpdateWriter writer(file.get(), names);
    for (const Update& update : updates) writer.WriteUpdate(update);
  }
  return ReadAll(file.get());
}

std::string JsonLine(const Value& value) {
  return WriteJsonLines({"v"}, {MakeUpdate(KeyForIndex(0), {value}, 2, 1)});
}

TEST(JsonLinesWriterTest, ColumnsInSchemaOrderThenDiffThenTime) {
  std::vector<Update> updates = {
      MakeUpdate(KeyForIndex(0), {Value::String("50.37.169.241"), Value::Int(7)}, 1700000000000, 1),
      MakeUpdate(KeyForIndex(0), {Value::String("50.37.169.241"), Value::Int(7)}, 1700000000002,
                 -1),
  };
  EXPECT_EQ(WriteJsonLines({"ip_address", "count"}, updates),
            "{\"ip_address\":\"50.37.169.241\",\"count\":7,\"diff\":1,\"time\":1700000000000}\n"
            "{\"ip_address\":\"50.37.169.241\",\"count\":7,\"diff\":-1,\"time\":1700000000002}\n");
}

TEST(JsonLinesWriterTest, NoColumnsWritesDiffAndTimeOnly) {
  EXPECT_EQ(WriteJsonLines({}, {MakeUpdate(KeyForIndex(0), {}, 2, 1)}),
            "{\"diff\":1,\"time\":2}\n");
}

TEST(JsonLinesWriterTest, NoneAndErrorAsNull) {
  EXPECT_EQ(JsonLine(Value::None()), "{\"v\":null,\"diff\":1,\"time\":2}\n");
  EXPECT_EQ(JsonLine(Value::Error()), "{\"v\":null,\"diff\":1,\"time\":2}\n");
}

TEST(JsonLinesWriterTest, ScalarKinds) {
  EXPECT_EQ(JsonLine(Value::Bool(false)), "{\"v\":false,\"diff\":1,\"time\":2}\n");
  EXPECT_EQ(JsonLine(Value::Float(3.0)), "{\"v\":3.0,\"diff\":1,\"time\":2}\n");
  EXPECT_EQ(JsonLine(Value::Float(std::nan(""))), "{\"v\":null,\"diff\":1,\"time\":2}\n");
  EXPECT_EQ(JsonLine(Value::Pointer(KeyForIndex(0))),
            "{\"v\":\"^X1MXHYYG4YM0DB900V28XN5T4W\",\"diff\":1,\"time\":2}\n");
  EXPECT_EQ(JsonLine(Value::DateTimeUtc(0)),
            "{\"v\":\"1970-01-01T00:00:00.000000000+0000\",\"diff\":1,\"time\":2}\n");
  EXPECT_EQ(JsonLine(Value::Duration(-5)), "{\"v\":-5,\"diff\":1,\"time\":2}\n");
}

TEST(JsonLinesWriterTest, JsonEscapesControlCharacters) {
  EXPECT_EQ(JsonLine(Value::String("a\"\\\n\x01")),
            "{\"v\":\"a\\\"\\\\\\n\\u0001\",\"diff\":1,\"time\":2}\n");
}

TEST(JsonLinesWriterTest, EscapesColumnNames) {
  EXPECT_EQ(WriteJsonLines({"a\"b"}, {MakeUpdate(KeyForIndex(0), {Value::Int(1)}, 2, 1)}),
            "{\"a\\\"b\":1,\"diff\":1,\"time\":2}\n");
}

TEST(JsonLinesWriterTest, TupleAsJsonArray) {
  Value elements[] = {Value::Int(1), Value::String("x"), Value::None()};
  EXPECT_EQ(JsonLine(Value::Tuple(elements, 3)), "{\"v\":[1,\"x\",null],\"diff\":1,\"time\":2}\n");
}

TEST(JsonLinesWriterTest, WriteBatchMatchesWriteUpdate) {
  Batch batch(2);
  std::vector<Update> updates;
  for (int64_t i = 0; i < 4; ++i) {
    Value row[] = {Value::Int(i), batch.arena.CopyString(fmt::format("s{}", i))};
    batch.columns[0].push_back(row[0]);
    batch.columns[1].push_back(row[1]);
    batch.ids.push_back(KeyForIndex(i));
    batch.diffs.push_back(1);
    updates.push_back(MakeUpdate(KeyForIndex(i), {row[0], row[1]}, 10, 1));
  }
  TempFile file(std::tmpfile());
  ASSERT_NE(file, nullptr);
  {
    JsonLinesUpdateWriter writer(file.get(), {"i", "s"});
    writer.WriteBatch(batch, 10);
    EXPECT_EQ(writer.updates_written(), 4u);
  }
  EXPECT_EQ(ReadAll(file.get()), WriteJsonLines({"i", "s"}, updates));
}

TEST(JsonLinesWriterTest, LargeOutputPassesThroughBufferIntact) {
  TempFile file(std::tmpfile());
  ASSERT_NE(file, nullptr);
  std::string expected;
  {
    JsonLinesUpdateWriter writer(file.get(), {"n"});
    Batch batch(1);
    for (int64_t i = 0; i < 20000; ++i) {
      batch.columns[0].push_back(Value::Int(i));
      batch.ids.push_back(Key{static_cast<uint64_t>(i), 0});
      batch.diffs.push_back(1);
      expected += fmt::format("{{\"n\":{},\"diff\":1,\"time\":4}}\n", i);
    }
    writer.WriteBatch(batch, 4);
    writer.Flush();
    EXPECT_TRUE(writer.ok());
  }
  EXPECT_EQ(ReadAll(file.get()), expected);
}

}  // namespace
}  // namespace vigil
