#include "connectors/csv/csv_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <string>
#include <vector>

#include "connectors/csv/value_parser.h"
#include "vigil/common/key.h"
#include "vigil/types/value.h"

namespace vigil {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

/// A row as text: cells joined by " | " (Error for error values), plus its id.
struct Row {
  Key id;
  std::string cells;
};

/// What one static run of a source produced.
struct RunResult {
  Status status;
  std::vector<Row> rows;
  std::vector<size_t> batch_sizes;
  std::vector<DataError> errors;

  std::vector<std::string> Cells() const {
    std::vector<std::string> out;
    for (const Row& row : rows) out.push_back(row.cells);
    return out;
  }
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    for (const DataError& e : errors) out.push_back(e.message);
    return out;
  }
};

std::string CellText(const Value& v) { return v.is_error() ? "Error" : FormatValue(v); }

class CsvSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "vigil_csv_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::filesystem::path path = std::filesystem::path(dir_) / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
    return path.string();
  }

  /// Opens and reads `path` as one static commit, checking the commit protocol on the way.
  RunResult Run(const std::string& path, Schema schema, CsvSourceOptions options = {}) {
    RunResult result;
    ErrorLog log;
    options.error_log = &log;
    auto made = CsvSource::Make(path, std::move(schema), options);
    if (!made.ok()) {
      result.status = made.status();
      return result;
    }
    CsvSource& source = **made;
    result.status = source.Open();
    if (!result.status.ok()) return result;
    EXPECT_EQ(source.NextCommitTime(), std::optional<Time>(0));
    result.status = source.ReadCommit([&](const Batch& batch) {
      EXPECT_EQ(batch.num_columns(), source.schema().size());
      result.batch_sizes.push_back(batch.num_rows());
      for (size_t r = 0; r < batch.num_rows(); ++r) {
        std::string cells;
        for (size_t c = 0; c < batch.num_columns(); ++c) {
          if (c > 0) cells += " | ";
          cells += CellText(batch.columns[c][r]);
        }
        EXPECT_EQ(batch.diffs[r], 1);
        result.rows.push_back(Row{batch.ids[r], cells});
      }
    });
    EXPECT_EQ(source.NextCommitTime(), std::nullopt);
    result.errors = log.kept();
    EXPECT_EQ(source.error_count(), log.count());
    return result;
  }

  std::string dir_;
};

Schema IntSchema(std::initializer_list<const char*> names,
                 std::initializer_list<const char*> primary_key = {}) {
  Schema schema;
  for (const char* name : names) {
    bool pk = false;
    for (const char* k : primary_key) pk |= std::string_view(k) == name;
    schema.Add(ColumnSchema{name, dtype::Int, pk, std::nullopt});
  }
  return schema;
}

constexpr const char* kC01File = "a,b,c\n1,2,3\n2,x,3\n1,3,y\n6,z,t\n";

std::string ParseMessage(const char* value, const char* field) {
  return std::string("failed to parse value \"") + value + "\" at field \"" + field +
         "\" according to the type int in schema: invalid digit found in string";
}

TEST_F(CsvSourceTest, C01KeepErrorKeepsRowsWithErrorValues) {
  CsvSourceOptions options;
  options.on_bad_row = OnBadRow::kKeepError;
  const RunResult r = Run(Write("in.csv", kC01File), IntSchema({"a", "b", "c"}), options);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(),
              ElementsAre("1 | 2 | 3", "2 | Error | 3", "1 | 3 | Error", "6 | Error | Error"));
  EXPECT_THAT(r.Messages(), ElementsAre(ParseMessage("x", "b"), ParseMessage("y", "c"),
                                        ParseMessage("z", "b"), ParseMessage("t", "c")));
  ASSERT_EQ(r.errors.size(), 4u);
  const DataError& first = r.errors[0];
  EXPECT_THAT(first.file, HasSubstr("in.csv"));
  EXPECT_EQ(first.line, 3u);
  EXPECT_EQ(first.column, 2u);
  EXPECT_EQ(first.field, "b");
  EXPECT_EQ(first.value, "x");
  EXPECT_EQ(first.expected, "int");
  EXPECT_FALSE(first.row_skipped);
}

TEST_F(CsvSourceTest, C01SkipDropsBadRows) {
  const RunResult r = Run(Write("in.csv", kC01File), IntSchema({"a", "b", "c"}));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | 2 | 3"));
  // One report per skipped row: its first bad field.
  EXPECT_THAT(r.Messages(), ElementsAre(ParseMessage("x", "b"), ParseMessage("y", "c"),
                                        ParseMessage("z", "b")));
  for (const DataError& e : r.errors) EXPECT_TRUE(e.row_skipped);
  EXPECT_EQ(r.errors[2].line, 5u);
}

TEST_F(CsvSourceTest, C01FailStopsWithFormattedError) {
  CsvSourceOptions options;
  options.on_bad_row = OnBadRow::kFail;
  const std::string path = Write("in.csv", kC01File);
  const RunResult r = Run(path, IntSchema({"a", "b", "c"}), options);
  EXPECT_EQ(r.status.code(), StatusCode::kParseError);
  // The run stops with the short form (the CLI's format); the full Pathway wording stays in
  // the error log (see C01KeepErrorKeepsRowsWithErrorValues).
  EXPECT_EQ(r.status.message(), path + ":3: column 'b': cannot parse \"x\" as int");
}

TEST_F(CsvSourceTest, C02PrimaryKeyErrorSkipsRow) {
  CsvSourceOptions options;
  options.on_bad_row = OnBadRow::kKeepError;
  const RunResult r =
      Run(Write("in.csv", kC01File), IntSchema({"a", "b", "c"}, {"a", "b"}), options);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | 2 | 3", "1 | 3 | Error"));
  const std::string key_prefix = "error in primary key, skipping the row: ";
  EXPECT_THAT(r.Messages(), ElementsAre(key_prefix + ParseMessage("x", "b"),
                                        ParseMessage("y", "c"),
                                        key_prefix + ParseMessage("z", "b")));
  EXPECT_TRUE(r.errors[0].row_skipped);
  EXPECT_FALSE(r.errors[1].row_skipped);
  // Ids are the hash of the primary-key values.
  KeyHasher hasher;
  Value::Int(1).HashInto(hasher);
  Value::Int(2).HashInto(hasher);
  EXPECT_EQ(r.rows[0].id, hasher.Finish());
}

TEST_F(CsvSourceTest, C04ParsesBools) {
  Schema schema{{"key", dtype::Int}, {"value", dtype::Bool}};
  const RunResult r = Run(Write("in.csv",
                                "key,value\n1,true\n2,TRUE\n3,T\n4,1\n5,t\n"
                                "6,FALSE\n7,false\n8,f\n9,F\n10,0\n"),
                          schema);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | True", "2 | True", "3 | True", "4 | True", "5 | True",
                                     "6 | False", "7 | False", "8 | False", "9 | False",
                                     "10 | False"));
  EXPECT_TRUE(r.errors.empty());
}

TEST_F(CsvSourceTest, C05EmptyFieldTakesDefault) {
  Schema schema{{"k", dtype::Str}, {"v", dtype::Int, false, StoredValue(Value::Int(0))}};
  const RunResult r = Run(Write("in.csv", "k,v\na,42\nb,43\nc,\n"), schema);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("a | 42", "b | 43", "c | 0"));
}

TEST_F(CsvSourceTest, C06SkipsColumnsOutsideTheSchema) {
  Schema schema{{"k", dtype::Str, true}, {"b", dtype::Int}};
  const RunResult r = Run(Write("in.csv", "k,a,b\nx,1,10\ny,2,20\n"), schema);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), UnorderedElementsAre("x | 10", "y | 20"));
  KeyHasher hasher;
  Value::String("x").HashInto(hasher);
  EXPECT_EQ(r.rows[0].id, hasher.Finish());
}

TEST_F(CsvSourceTest, ExtraColumnsIgnoredAndHeaderOrderFree) {
  Schema schema{{"c", dtype::Str}, {"a", dtype::Float}};
  const RunResult r = Run(Write("in.csv", "a,b,c,d\n1.5,x,hello,y\n2,z,\"w,v\",q\n"), schema);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("hello | 1.5", "w,v | 2.0"));
}

TEST_F(CsvSourceTest, MissingColumnIsError) {
  const std::string path = Write("in.csv", "a,b\n1,2\n");
  const RunResult r = Run(path, IntSchema({"a", "c", "d"}));
  EXPECT_EQ(r.status.code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status.message(), HasSubstr(path));
  EXPECT_THAT(r.status.message(), HasSubstr("\"c\", \"d\""));
  EXPECT_THAT(r.status.message(), HasSubstr("header columns: \"a\", \"b\""));
}

TEST_F(CsvSourceTest, EmptyFile) {
  const RunResult r = Run(Write("in.csv", ""), IntSchema({"a"}));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.rows.empty());
  EXPECT_TRUE(r.batch_sizes.empty());
}

TEST_F(CsvSourceTest, HeaderOnlyFile) {
  const RunResult r = Run(Write("in.csv", "a,b\n"), IntSchema({"a", "b"}));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.rows.empty());
}

TEST_F(CsvSourceTest, HeaderWithBomAndCrlf) {
  const RunResult r = Run(Write("in.csv", "\xEF\xBB\xBF" "a,b\r\n1,2\r\n3,4"),
                          IntSchema({"a", "b"}));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | 2", "3 | 4"));
}

TEST_F(CsvSourceTest, RaggedRowReported) {
  const std::string path = Write("in.csv", "a,b,c\n1,2\n3,4,5\n6,7,8,9\n");
  for (OnBadRow policy : {OnBadRow::kSkip, OnBadRow::kKeepError}) {
    CsvSourceOptions options;
    options.on_bad_row = policy;
    const RunResult r = Run(path, IntSchema({"a", "c"}), options);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_THAT(r.Cells(), ElementsAre("3 | 5", "6 | 8"));
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 2u);
    EXPECT_EQ(r.errors[0].expected, "3 fields");
    EXPECT_THAT(r.errors[0].message, HasSubstr("too small number of csv tokens in the line: 2"));
    EXPECT_TRUE(r.errors[0].row_skipped);
  }
  CsvSourceOptions fail;
  fail.on_bad_row = OnBadRow::kFail;
  const RunResult r = Run(path, IntSchema({"a", "c"}), fail);
  EXPECT_EQ(r.status.code(), StatusCode::kParseError);
  EXPECT_THAT(r.status.message(), HasSubstr(path + ":2: row: too small number"));
}

TEST_F(CsvSourceTest, UnterminatedQuoteReported) {
  Schema schema{{"a", dtype::Str}};
  const RunResult r = Run(Write("in.csv", "a\nok\n\"never closed\nmore\n"), schema);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("ok"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 3u);
  EXPECT_THAT(r.errors[0].message, HasSubstr("unterminated quoted field"));
}

TEST_F(CsvSourceTest, OverlongRecordReportedAndSkipped) {
  Schema schema{{"a", dtype::Str}, {"b", dtype::Int}};
  CsvSourceOptions options;
  options.chunk_bytes = 16;
  options.max_record_bytes = 100;
  const RunResult r =
      Run(Write("in.csv", "a,b\nx,1\n" + std::string(5000, 'y') + ",2\nz,3\n"), schema, options);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("x | 1", "z | 3"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 3u);
  EXPECT_THAT(r.errors[0].message, HasSubstr("longer than 100 bytes"));
}

// Issue 8, defect 15a: with `\r` line ends every error was reported at line 1.
TEST_F(CsvSourceTest, ErrorsNameTheirLineForCrLfAndCrlfFiles) {
  for (const std::string end : {"\n", "\r", "\r\n"}) {
    const std::string path =
        Write("in.csv", "a,b" + end + "1,2" + end + "x,3" + end + end + "4,y" + end);
    const RunResult r = Run(path, IntSchema({"a", "b"}));
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    ASSERT_EQ(r.errors.size(), 2u);
    EXPECT_EQ(r.errors[0].line, 3u);
    EXPECT_EQ(r.errors[1].line, 5u);
    EXPECT_EQ(FormatDataError(r.errors[1]), path + ":5: column 'b': cannot parse \"y\" as int");
  }
}

// Issue 8, defect 15b: the dead-letter record of a row with an unterminated quote was empty.
TEST_F(CsvSourceTest, UnterminatedQuoteGivesItsRecordForDeadLetters) {
  Schema schema{{"a", dtype::Str}, {"b", dtype::Str}};
  const RunResult r = Run(Write("in.csv", "a,b\nok,1\nbad,\"never closed\nmore\n"), schema);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 3u);
  EXPECT_EQ(r.errors[0].record, "bad,\"never closed\nmore\n");
}

// Issue 8, defect 15c: an over-long header was said to be "skipped", though the read fails.
TEST_F(CsvSourceTest, OverlongHeaderSaysTheFileCannotBeRead) {
  CsvSourceOptions options;
  options.chunk_bytes = 16;
  options.max_record_bytes = 100;
  const std::string path = Write("in.csv", std::string(500, 'h') + ",b\n1,2\n");
  const RunResult r = Run(path, IntSchema({"b"}), options);
  EXPECT_EQ(r.status.code(), StatusCode::kParseError);
  EXPECT_EQ(r.status.message(),
            path + ":1: cannot read the CSV header: record longer than 100 bytes "
                   "(max_record_bytes); no row of this file can be read without its header");
}

TEST_F(CsvSourceTest, InvalidUtf8InStrFieldReported) {
  Schema schema{{"s", dtype::Str}, {"n", dtype::Int}};
  const RunResult r = Run(Write("in.csv", "s,n\nok,1\nbad\xff,2\n"), schema);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("ok | 1"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].expected, "valid UTF-8");
  EXPECT_EQ(r.errors[0].column, 1u);
}

TEST_F(CsvSourceTest, NulBytesDoNotCrash) {
  Schema schema{{"s", dtype::Str}, {"n", dtype::Optional(dtype::Int)}};
  const RunResult r =
      Run(Write("in.csv", std::string("s,n\na\0b,1\n\0,\0\n", 14)), schema);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].cells, std::string("a\0b | 1", 7));
  EXPECT_EQ(r.errors.size(), 1u);  // "\0" is not an int.
}

TEST_F(CsvSourceTest, RowIdsWithoutPrimaryKeyHashPathAndEndOffset) {
  const std::string path = Write("in.csv", "a\n1\n22\r\n333");
  const RunResult r = Run(path, IntSchema({"a"}));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.rows.size(), 3u);
  const uint64_t end_offsets[] = {4, 7, 11};
  for (size_t i = 0; i < 3; ++i) {
    KeyHasher hasher;
    hasher.AddRawBytes(path);
    hasher.AddRaw64(end_offsets[i]);
    EXPECT_EQ(r.rows[i].id, hasher.Finish()) << i;
  }
}

TEST(CsvRowIdHasherTest, MatchesKeyHasherForEveryPathLength) {
  // The precomputed form covers some lengths, the full hash the others.
  for (size_t length = 0; length <= 300; ++length) {
    std::string path;
    for (size_t i = 0; i < length; ++i) path += static_cast<char>('a' + (i * 7 + length) % 26);
    CsvRowIdHasher ids(path);
    std::vector<CsvRecord> records;
    std::vector<Key> expected;
    for (uint64_t offset : {uint64_t{0}, uint64_t{1}, uint64_t{34}, uint64_t{1} << 32,
                            uint64_t{0x0123456789ABCDEF}, ~uint64_t{0}}) {
      KeyHasher hasher;
      hasher.AddRawBytes(path);
      hasher.AddRaw64(offset);
      expected.push_back(hasher.Finish());
      EXPECT_EQ(ids.Id(offset), expected.back()) << length << " " << offset;
      records.emplace_back().end_offset = offset;
    }
    std::vector<Key> batch(records.size());
    ids.Ids(records.data(), records.size(), batch.data());
    EXPECT_EQ(batch, expected) << length;
  }
}

/// The rows and errors a reader must produce for `fields` (one record each, all in one file
/// with header "s,n"), computed by the generic parser: the expectation the fast paths must meet.
TEST_F(CsvSourceTest, FastPathsAgreeWithTheGeneralParserRowByRow) {
  // Records that take every path: plain (fast), quoted (state machine), bad ints, bad UTF-8,
  // valid non-ASCII, ragged rows, blank and CRLF lines.
  std::string content = "s,n,f,d\n";
  struct Expected {
    std::string cells;  ///< Empty: the row is skipped under kSkip.
    std::vector<std::string> messages;
    uint64_t line;
  };
  std::vector<Expected> expected;
  uint64_t line = 2;
  Schema schema{{"s", dtype::Str}, {"n", dtype::Int}, {"f", dtype::Optional(dtype::Float)},
                {"d", dtype::Duration}};
  for (int i = 0; i < 3000; ++i) {
    std::string s = "name" + std::to_string(i);
    std::string n = std::to_string(i * 7919LL - 5000000);
    std::string f = std::to_string(i) + ".5";
    std::string d = std::to_string(i * 1000);
    if (i % 97 == 5) n = "x" + n;
    if (i % 89 == 3) n = "99999999999999999999";
    if (i % 113 == 7) s += "\xff";
    if (i % 7 == 3) s += "\xC3\xA9";
    if (i % 61 == 9) f = (i % 2 == 0) ? "" : "null";
    if (i % 67 == 2) f = "1e400";
    if (i % 71 == 4) d = "-" + d;
    if (i % 131 == 8) d = " 1";
    const bool quoted = i % 41 == 0;
    const bool ragged = i % 151 == 10;
    std::string record = (quoted ? "\"" + s + "\"" : s) + "," + n + "," + f;
    if (!ragged) record += "," + d;
    content += record + (i % 5 == 0 ? "\r\n" : "\n");
    Expected e;
    e.line = line;
    line += 1;
    if (i % 53 == 0) {
      content += "\n";
      line += 1;
    }
    if (ragged) {
      e.messages.push_back("too small number of csv tokens in the line: 3 (the schema needs at "
                           "least 4 fields)");
      expected.push_back(e);
      continue;
    }
    const std::string texts[] = {s, n, f, d};
    std::string cells;
    for (size_t c = 0; c < 4; ++c) {
      const FieldParseResult parsed = ParseCsvField(texts[c], schema[c]);
      if (!parsed.ok()) {
        e.messages.push_back(
            FormatFieldParseError(texts[c], schema[c].name, schema[c].type, parsed.error));
        break;
      }
      if (c > 0) cells += " | ";
      cells += FormatValue(parsed.value);
    }
    if (e.messages.empty()) e.cells = cells;
    expected.push_back(e);
  }
  const std::string path = Write("in.csv", content);
  for (size_t chunk : {7, 4096, 1 << 20}) {
    for (size_t batch_rows : {1, 64, 100, 5000}) {
      CsvSourceOptions options;
      options.chunk_bytes = chunk;
      options.batch_rows = batch_rows;
      const RunResult r = Run(path, schema, options);
      ASSERT_TRUE(r.status.ok()) << r.status.ToString();
      std::vector<std::string> want_cells;
      std::vector<std::string> want_messages;
      std::vector<uint64_t> want_lines;
      for (const Expected& e : expected) {
        if (!e.cells.empty()) want_cells.push_back(e.cells);
        for (const std::string& m : e.messages) {
          want_messages.push_back(m);
          want_lines.push_back(e.line);
        }
      }
      EXPECT_EQ(r.Cells(), want_cells) << chunk << " " << batch_rows;
      EXPECT_EQ(r.Messages(), want_messages) << chunk << " " << batch_rows;
      std::vector<uint64_t> lines;
      for (const DataError& error : r.errors) lines.push_back(error.line);
      EXPECT_EQ(lines, want_lines);
      for (size_t size : r.batch_sizes) EXPECT_LE(size, batch_rows);
      // Row ids: the path and each record's end offset.
      ASSERT_FALSE(r.rows.empty());
      KeyHasher hasher;
      hasher.AddRawBytes(path);
      hasher.AddRaw64(content.find('\r') + 1);  // The first row ends with "\r\n".
      EXPECT_EQ(r.rows[0].id, hasher.Finish());
    }
  }
  // kKeepError keeps the rows with bad fields (not the ragged ones) in order.
  CsvSourceOptions keep;
  keep.on_bad_row = OnBadRow::kKeepError;
  const RunResult r = Run(path, schema, keep);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  size_t ragged = 0;
  for (int i = 0; i < 3000; ++i) ragged += i % 151 == 10 ? 1 : 0;
  EXPECT_EQ(r.rows.size(), 3000 - ragged);
  // kFail stops at the first bad row with its line.
  CsvSourceOptions fail;
  fail.on_bad_row = OnBadRow::kFail;
  const RunResult failed = Run(path, schema, fail);
  EXPECT_EQ(failed.status.code(), StatusCode::kParseError);
  uint64_t first_bad_line = 0;
  for (const Expected& e : expected) {
    if (!e.messages.empty()) {
      first_bad_line = e.line;
      break;
    }
  }
  EXPECT_THAT(failed.status.message(), HasSubstr(":" + std::to_string(first_bad_line) + ":"));
}

TEST_F(CsvSourceTest, BatchesAreBoundedAndStringsSurviveBufferReuse) {
  std::string content = "id,name,note\n";
  std::vector<std::string> expected;
  for (int i = 0; i < 5000; ++i) {
    const std::string name = "name" + std::to_string(i);
    content += std::to_string(i) + "," + name + ",\"quoted \"\"" + std::to_string(i) + "\"\"\"\n";
    expected.push_back(std::to_string(i) + " | " + name + " | quoted \"" + std::to_string(i) +
                       "\"");
  }
  Schema schema{{"id", dtype::Int}, {"name", dtype::Str}, {"note", dtype::Str}};
  const std::string path = Write("in.csv", content);
  for (size_t chunk : {7, 64, 4096, 1 << 20}) {
    CsvSourceOptions options;
    options.chunk_bytes = chunk;
    options.batch_rows = 100;
    const RunResult r = Run(path, schema, options);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_EQ(r.Cells(), expected) << chunk;
    for (size_t size : r.batch_sizes) EXPECT_LE(size, 100u);
    EXPECT_EQ(r.batch_sizes.size(), 50u) << chunk;
  }
}

TEST_F(CsvSourceTest, DirectoryReadRecursivelyInSortedOrder) {
  Write("dir/b.csv", "v,k\n2,b\n");
  Write("dir/a.csv", "k,v\na,1\n");
  Write("dir/a/c.csv", "k,v,extra\nc,3,x\n");
  Write("dir/empty.csv", "");
  Schema schema{{"k", dtype::Str}, {"v", dtype::Int}};
  const RunResult r = Run(dir_ + "/dir", schema);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  // Path order compares components: dir/a/c.csv < dir/a.csv < dir/b.csv.
  EXPECT_THAT(r.Cells(), ElementsAre("c | 3", "a | 1", "b | 2"));
  // Small files share batches.
  EXPECT_THAT(r.batch_sizes, ElementsAre(3));
}

// Issue 8, defect 9: an unreadable subdirectory failed the read with the name of the top
// directory. It is reported by its own name (a warning) and everything else is read. (Its
// path is too long to open, which stops root too; chmod 000 does not.)
TEST_F(CsvSourceTest, UnreadableSubdirectoryIsReportedByNameAndTheRestRead) {
  Write("dir/a.csv", "k,v\na,1\n");
  Write("dir/z.csv", "k,v\nb,2\n");
  const std::string top = dir_ + "/dir";
  const std::string name(200, 'd');
  std::string deep = top + "/deep";
  std::filesystem::create_directory(deep);
  int fd = ::open(deep.c_str(), O_RDONLY | O_DIRECTORY);
  std::string unreadable;
  while (deep.size() < 4300) {
    ASSERT_EQ(::mkdirat(fd, name.c_str(), 0755), 0);
    const int next = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY);
    ::close(fd);
    fd = next;
    deep += "/" + name;
    if (unreadable.empty() && deep.size() >= 4096) unreadable = deep;
  }
  ::close(fd);
  Schema schema{{"k", dtype::Str}, {"v", dtype::Int}};
  const RunResult r = Run(top, schema);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("a | 1", "b | 2"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.errors[0].warning);
  EXPECT_EQ(FormatDataError(r.errors[0]),
            unreadable + ": warning: cannot read this directory (File name too long); its files "
                         "are skipped");
  // Removed by descriptors: the paths are too long.
  std::function<void(int, const std::string&)> remove = [&](int parent, const std::string& n) {
    const int dir_fd = ::openat(parent, n.c_str(), O_RDONLY | O_DIRECTORY);
    if (dir_fd >= 0) {
      if (::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) != 0) remove(dir_fd, name);
      ::close(dir_fd);
    }
    ::unlinkat(parent, n.c_str(), AT_REMOVEDIR);
  };
  const int top_fd = ::open(top.c_str(), O_RDONLY | O_DIRECTORY);
  remove(top_fd, "deep");
  ::close(top_fd);
}

TEST_F(CsvSourceTest, LaterFileWithMissingColumnFailsTheRead) {
  Write("dir/1.csv", "k,v\na,1\n");
  Write("dir/2.csv", "k\nb\n");
  Schema schema{{"k", dtype::Str}, {"v", dtype::Int}};
  const RunResult r = Run(dir_ + "/dir", schema);
  EXPECT_EQ(r.status.code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status.message(), HasSubstr("2.csv"));
}

TEST_F(CsvSourceTest, MakeValidatesArguments) {
  EXPECT_EQ(CsvSource::Make(dir_ + "/nope.csv", IntSchema({"a"})).status().code(),
            StatusCode::kNotFound);
  Schema pointer{{"p", dtype::Pointer}};
  EXPECT_EQ(CsvSource::Make(Write("in.csv", "p\n"), pointer).status().code(),
            StatusCode::kTypeError);
  CsvSourceOptions zero_batch;
  zero_batch.batch_rows = 0;
  EXPECT_EQ(CsvSource::Make(Write("in.csv", "a\n"), IntSchema({"a"}), zero_batch).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(CsvSourceTest, WorksWithoutErrorLog) {
  auto made = CsvSource::Make(Write("in.csv", kC01File), IntSchema({"a", "b", "c"}));
  ASSERT_TRUE(made.ok());
  CsvSource& source = **made;
  ASSERT_TRUE(source.Open().ok());
  size_t rows = 0;
  ASSERT_TRUE(source.ReadCommit([&](const Batch& batch) { rows += batch.num_rows(); }).ok());
  EXPECT_EQ(rows, 1u);
  EXPECT_EQ(source.error_count(), 3u);
}

}  // namespace
}  // namespace vigil
