// JSON Lines reader (connectors/lines/): Pathway's value rules and messages, error policies,
// ids, directories, and the equality of static reads and piecewise (live-driver) reads.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "connectors/csv/csv_source.h"
#include "connectors/debug.h"
#include "connectors/io.h"
#include "connectors/lines/json_display.h"
#include "connectors/lines/json_number.h"
#include "golden.h"
#include "line_source_test_util.h"
#include "vigil/common/key.h"

namespace vigil {
namespace {

using line_test::ReadResult;
using line_test::Row;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class JsonLinesTest : public line_test::LineReaderTest {
 protected:
  static line_test::SourceMaker Maker(const Schema& schema) {
    return [schema](const std::string& path, LineSourceOptions options) {
      return LineSource::MakeJsonLines(path, schema, std::move(options));
    };
  }
  ReadResult Read(const std::string& content, const Schema& schema,
                  LineSourceOptions options = {}) {
    return ReadStatic(Maker(schema), Write("in.jsonl", content), std::move(options));
  }
  /// The message of the only error of reading `content` with one column `v` of `type`.
  std::string OnlyMessage(const std::string& content, DType type) {
    const ReadResult r = Read(content, Schema{{"v", type}});
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_TRUE(r.rows.empty());
    if (r.errors.size() != 1) {
      ADD_FAILURE() << content << ": " << r.errors.size() << " errors";
      return "";
    }
    return r.errors[0].message;
  }
};

std::string TypeMessage(const std::string& field, const std::string& type,
                        const std::string& payload) {
  return "failed to create a field \"" + field + "\" with type " + type +
         " from json payload: " + payload;
}

Schema ThreeInts(bool c_optional = true) {
  return Schema{{"a", dtype::Int},
                {"b", dtype::Int},
                {"c", c_optional ? dtype::Optional(dtype::Int) : dtype::Int}};
}

// --- Values by type -------------------------------------------------------------------------

TEST_F(JsonLinesTest, IntTakesJsonIntegersInI64RangeOnly) {
  const ReadResult r = Read(
      "{\"v\": 0}\n{\"v\": -12}\n{\"v\": 9223372036854775807}\n{\"v\": -9223372036854775808}\n",
      Schema{{"v", dtype::Int}});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("0", "-12", "9223372036854775807", "-9223372036854775808"));
  EXPECT_TRUE(r.errors.empty());
  // serde_json's numbers: a string, a decimal, -0, and integers outside i64 are not ints.
  EXPECT_EQ(OnlyMessage("{\"v\": \"1\"}\n", dtype::Int), TypeMessage("v", "int", "\"1\""));
  EXPECT_EQ(OnlyMessage("{\"v\": 1.0}\n", dtype::Int), TypeMessage("v", "int", "1.0"));
  EXPECT_EQ(OnlyMessage("{\"v\": -0}\n", dtype::Int), TypeMessage("v", "int", "-0.0"));
  EXPECT_EQ(OnlyMessage("{\"v\": 9223372036854775808}\n", dtype::Int),
            TypeMessage("v", "int", "9223372036854775808"));
  EXPECT_EQ(OnlyMessage("{\"v\": -9223372036854775809}\n", dtype::Int),
            TypeMessage("v", "int", "-9.223372036854776e18"));
  EXPECT_EQ(OnlyMessage("{\"v\": 1e2}\n", dtype::Int), TypeMessage("v", "int", "100.0"));
  EXPECT_EQ(OnlyMessage("{\"v\": true}\n", dtype::Int), TypeMessage("v", "int", "true"));
  EXPECT_EQ(OnlyMessage("{\"v\": null}\n", dtype::Int), TypeMessage("v", "int", "null"));
  EXPECT_EQ(OnlyMessage("{\"v\": [1, 2]}\n", dtype::Int), TypeMessage("v", "int", "[1,2]"));
  EXPECT_EQ(OnlyMessage("{\"v\": {\"k\" : \"w\"}}\n", dtype::Int),
            TypeMessage("v", "int", "{\"k\":\"w\"}"));
}

TEST_F(JsonLinesTest, FloatTakesAnyNumber) {
  const ReadResult r = Read(
      "{\"v\": 1}\n{\"v\": 1.5}\n{\"v\": -2e3}\n{\"v\": 1E-2}\n{\"v\": -0}\n"
      "{\"v\": 18446744073709551615}\n{\"v\": 0e4009223372036854775807}\n",
      Schema{{"v", dtype::Float}});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1.0", "1.5", "-2000.0", "0.01", "-0.0",
                                     "1.8446744073709552e+19", "0.0"));
  EXPECT_EQ(OnlyMessage("{\"v\": \"1.5\"}\n", dtype::Float), TypeMessage("v", "float", "\"1.5\""));
}

TEST_F(JsonLinesTest, BoolStrAndDurationTakeTheirJsonKindsOnly) {
  const ReadResult r = Read(
      "{\"b\": true, \"s\": \"x\", \"d\": 5}\n"
      "{\"b\": false, \"s\": \"\", \"d\": -7}\n",
      Schema{{"b", dtype::Bool}, {"s", dtype::Str}, {"d", dtype::Duration}});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("True | x | 0 days 00:00:00.000000005",
                                     "False |  | -1 days 23:59:59.999999993"));
  EXPECT_EQ(OnlyMessage("{\"v\": \"true\"}\n", dtype::Bool), TypeMessage("v", "bool", "\"true\""));
  EXPECT_EQ(OnlyMessage("{\"v\": 1}\n", dtype::Bool), TypeMessage("v", "bool", "1"));
  EXPECT_EQ(OnlyMessage("{\"v\": 12}\n", dtype::Str), TypeMessage("v", "str", "12"));
  EXPECT_EQ(OnlyMessage("{\"v\": 1.5}\n", dtype::Duration), TypeMessage("v", "Duration", "1.5"));
}

TEST_F(JsonLinesTest, StringEscapesAreDecoded) {
  const ReadResult r = Read(
      "{\"v\": \"tab\\there\"}\n{\"v\": \"\\u00e9\\ud83d\\ude00\\\"\\\\/\"}\n{\"v\": \"plain "
      "é\"}\n",
      Schema{{"v", dtype::Str}});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("tab\there", "é😀\"\\/", "plain é"));
  // Messages quote strings as serde_json writes them.
  EXPECT_EQ(OnlyMessage("{\"v\": \"a\\u0001\\n\\\"/\"}\n", dtype::Int),
            TypeMessage("v", "int", "\"a\\u0001\\n\\\"/\""));
}

TEST_F(JsonLinesTest, DateTimesAreReadFromStrings) {
  const ReadResult r =
      Read("{\"n\": \"2024-01-02T03:04:05\", \"u\": \"2024-01-02T03:04:05+0100\"}\n",
           Schema{{"n", dtype::DateTimeNaive}, {"u", dtype::DateTimeUtc}});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("2024-01-02 03:04:05 | 2024-01-02 02:04:05+00:00"));
  EXPECT_EQ(OnlyMessage("{\"v\": \"yesterday\"}\n", dtype::DateTimeNaive),
            TypeMessage("v", "DateTimeNaive", "\"yesterday\""));
}

TEST_F(JsonLinesTest, AnyTakesScalarsAsTheyAre) {
  const ReadResult r = Read(
      "{\"v\": 1}\n{\"v\": 1.5}\n{\"v\": 18446744073709551615}\n"
      "{\"v\": \"s\"}\n{\"v\": true}\n{\"v\": null}\n",
      Schema{{"v", dtype::Any}});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1", "1.5", "1.8446744073709552e+19", "s", "True", "None"));
  EXPECT_EQ(OnlyMessage("{\"v\": [true]}\n", dtype::Any), TypeMessage("v", "Any", "[true]"));
}

TEST_F(JsonLinesTest, NullIsNoneOnlyInOptionalColumns) {
  const ReadResult r = Read("{\"a\": 7, \"b\": 1, \"c\": null}\n", ThreeInts());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("7 | 1 | None"));
  EXPECT_EQ(OnlyMessage("{\"v\": null}\n", dtype::Str), TypeMessage("v", "str", "null"));
}

TEST_F(JsonLinesTest, FloatsInMessagesAreWrittenAsSerdeJsonDoes) {
  // serde_json writes f64 with ryu: shortest digits, positional from 1e-5 to below 1e16.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1.0", "1.0"},
      {"0.1", "0.1"},
      {"123456.0", "123456.0"},
      {"1e15", "1000000000000000.0"},
      {"1e16", "1e16"},
      {"1.5e-7", "1.5e-7"},
      {"0.001234", "0.001234"},
      {"1e-5", "0.00001"},
      {"1e-6", "1e-6"},
      {"1.25e20", "1.25e20"},
      {"-2.5", "-2.5"},
      {"-0.0", "-0.0"},
      {"0.0", "0.0"},
      {"5e-324", "5e-324"},
      {"1.7976931348623157e308", "1.7976931348623157e308"},
      {"42", "42"},
      {"-42", "-42"},
      {"18446744073709551615", "18446744073709551615"},
  };
  for (const auto& [token, text] : cases) {
    std::string out;
    AppendJsonNumber(out, ReadJsonNumber(token));
    EXPECT_EQ(out, text) << token;
  }
}

TEST(JsonNumberTest, ReadsTokensAsSerdeJsonDoes) {
  EXPECT_EQ(ReadJsonNumber("12").kind, JsonNumber::Kind::kSigned);
  EXPECT_EQ(ReadJsonNumber("12 \r\n").signed_value, 12);
  EXPECT_EQ(ReadJsonNumber("18446744073709551615").kind, JsonNumber::Kind::kUnsigned);
  EXPECT_EQ(ReadJsonNumber("18446744073709551616").kind, JsonNumber::Kind::kFloat);
  EXPECT_EQ(ReadJsonNumber("-0").kind, JsonNumber::Kind::kFloat);
  for (const char* bad : {"", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x1", "1 2", "NaN",
                          "Infinity", "1e400", "-1e400"}) {
    EXPECT_EQ(ReadJsonNumber(bad).kind, JsonNumber::Kind::kInvalid) << bad;
  }
  EXPECT_EQ(ReadJsonNumber("1e-400").float_value, 0.0);
  // serde_json reads a zero with any exponent as 0 (found by the fuzzer: simdjson rejects it).
  EXPECT_EQ(ReadJsonNumber("0e4009223372036854775807").kind, JsonNumber::Kind::kFloat);
  EXPECT_EQ(ReadJsonNumber("-0.0e99999999999999999999").float_value, 0.0);
  EXPECT_EQ(ReadJsonNumber("1e-4009223372036854775807").float_value, 0.0);
  EXPECT_EQ(ReadJsonNumber("1e4009223372036854775807").kind, JsonNumber::Kind::kInvalid);
}

TEST(JsonDisplayTest, LimitLengthCutsLongTextsAsPathway) {
  EXPECT_EQ(LimitLength("abcdef", 6), "abcdef");
  EXPECT_EQ(LimitLength("abcdefg", 6), "abc...");
  // Characters, not bytes, are kept: three 2-byte characters.
  EXPECT_EQ(LimitLength("ééééé", 6), "ééé...");
}

// --- Keys, defaults, shape of lines ---------------------------------------------------------

TEST_F(JsonLinesTest, ColumnsFoundByKeyExtraKeysIgnoredLastDuplicateWins) {
  const ReadResult r = Read(
      "{\"z\": [1, {\"deep\": [null]}], \"b\": 2, \"a\": 1, \"c\": 3}\n"
      "{\"a\": 1, \"b\": \"x\", \"b\": 5, \"c\": 1, \"c\": 2}\n",
      ThreeInts());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | 2 | 3", "1 | 5 | 2"));
  EXPECT_TRUE(r.errors.empty());
}

TEST_F(JsonLinesTest, EscapedKeysMatchColumns) {
  const ReadResult r =
      Read("{\"\\u0061\": 1, \"q\\\"t\": 2}\n", Schema{{"a", dtype::Int}, {"q\"t", dtype::Int}});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | 2"));
}

TEST_F(JsonLinesTest, ManyColumnsAreFoundThroughTheIndex) {
  Schema schema;
  std::string line = "{";
  for (int i = 11; i >= 0; --i) {
    schema.Add(ColumnSchema{"col" + std::to_string(11 - i), dtype::Int});
    line += (i == 11 ? "" : ", ") + std::string("\"col") + std::to_string(i) +
            "\": " + std::to_string(i * 10);
  }
  line += "}\n";
  const ReadResult r = Read(line, schema);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("0 | 10 | 20 | 30 | 40 | 50 | 60 | 70 | 80 | 90 | 100 | 110"));
}

TEST_F(JsonLinesTest, MissingKeyTakesDefaultElseIsAnErrorEvenWhenOptional) {
  Schema schema{{"a", dtype::Int},
                {"s", dtype::Str, false, StoredValue(Value::String("dflt"))},
                {"o", dtype::Optional(dtype::Int)}};
  const ReadResult r = Read("{\"a\": 1, \"o\": 2}\n{\"a\": 3, \"x\": [1, 2.5]}\n", schema);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | dflt | 2"));
  // Pathway's file readers set field_absence_is_error: no default means an error, even for
  // an optional column; the message shows the whole line as serde_json writes it.
  EXPECT_THAT(r.Messages(), ElementsAre("field o with no JsonPointer path specified is absent "
                                        "in {\"a\":3,\"x\":[1,2.5]}"));
  EXPECT_EQ(r.errors[0].field, "o");
  EXPECT_EQ(r.errors[0].line, 2u);
}

TEST_F(JsonLinesTest, BlankLinesCommitMarkersAndSurroundingWhitespaceGiveNoErrors) {
  const ReadResult r = Read(
      "\n   \n{\"a\":1,\"b\":2,\"c\":3}\r\n\t*COMMIT*  \n\xC2\xA0{\"a\":4,"
      "\"b\":5,\"c\":6}\xE3\x80\x80\n\r\n",
      ThreeInts());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | 2 | 3", "4 | 5 | 6"));
  EXPECT_TRUE(r.errors.empty());
}

TEST_F(JsonLinesTest, LineThatIsNotAJsonObjectIsOneErrorNamingTheLine) {
  const std::string content =
      "{\"a\":1,\"b\":2,\"c\":3}\n"
      "{\"a\":1,\"b\":2\n"                          // 2: unterminated object
      "[1, 2]\n"                                    // 3: valid JSON, not an object
      "{\"a\":1,\"b\":2,\"c\":3} x\n"               // 4: trailing text
      "{\"a\":1,\"b\":2,\"c\":3,\"z\":tru}\n"       // 5: bad literal in an ignored key
      "{\"a\":1,\"b\":2,\"c\":3,\"z\":\"t\tb\"}\n"  // 6: raw control character in a string
      "\xEF\xBB\xBF{\"a\":1,\"b\":2,\"c\":3}\n"     // 7: byte order mark
      "{\"a\":1,\"b\":2,\"c\":3,\"z\":01}\n"        // 8: leading zero
      "{\"a\":1,\"b\":2,\"c\":3,\"z\":\"\\q\"}\n"   // 9: bad escape
      "{\"a\":1,\"b\":2,\"c\":3,}\n"                // 10: trailing comma
      "\"text\"\n"                                  // 11: a string
      "{\"a\":4,\"b\":5,\"c\":6}";                  // 12: last line, no terminator
  const ReadResult r = Read(content, ThreeInts());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | 2 | 3", "4 | 5 | 6"));
  ASSERT_EQ(r.errors.size(), 10u);
  std::vector<uint64_t> lines;
  for (const DataError& e : r.errors) {
    lines.push_back(e.line);
    EXPECT_TRUE(e.field.empty());
    EXPECT_TRUE(e.row_skipped);
    EXPECT_EQ(e.expected, "a JSON object");
  }
  EXPECT_THAT(lines, ElementsAre(2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
  EXPECT_EQ(r.errors[0].message, "received message is not json: \"{\\\"a\\\":1,\\\"b\\\":2\"");
  EXPECT_EQ(r.errors[1].message, "received message is not a json object: \"[1, 2]\"");
  EXPECT_EQ(r.errors[9].message, "received message is not a json object: \"\\\"text\\\"\"");
  EXPECT_EQ(
      FormatDataError(r.errors[0]),
      r.errors[0].file + ":2: row: received message is not json: \"{\\\"a\\\":1,\\\"b\\\":2\"");
}

TEST_F(JsonLinesTest, MalformedJsonAfterAValueIsCaughtWhateverTheValue) {
  // Found by the fuzzer: simdjson's On-Demand API lets an object iteration end cleanly on
  // such lines when the value before the bad token is not consumed.
  const Schema schema{{"s", dtype::Str}, {"n", dtype::Float}};
  for (const char* line : {"{\"s\":\"f\":-0 x, ]}", "{\"n\":1:-0 x, ]}", "{\"z\":\"f\":-0 x, ]}",
                           "{\"z\":1:-0 x, ]}", "{\"s\":\"f\" 1}", "{\"s\":\"f\"]", "{\"z\":[1:2]}",
                           "{\"\\u0061\": 2, \"s\":\"f\":-0 \xE3\x80\x80"
                           "0.1, ]}"}) {
    const ReadResult r = Read(std::string(line) + "\n", schema);
    EXPECT_TRUE(r.rows.empty()) << line;
    ASSERT_EQ(r.errors.size(), 1u) << line;
    EXPECT_THAT(r.errors[0].message, HasSubstr("received message is not json")) << line;
  }
}

TEST_F(JsonLinesTest, NestingDeeperThanSerdeJsonsLimitIsNotJson) {
  // serde_json stops at 128 nested containers; the line's object is the first.
  auto nested = [](int levels) {
    return "{\"a\":1,\"b\":2,\"c\":3,\"z\":" + std::string(levels - 1, '[') +
           std::string(levels - 1, ']') + "}\n";
  };
  const ReadResult ok = Read(nested(127), ThreeInts());
  EXPECT_THAT(ok.Cells(), ElementsAre("1 | 2 | 3"));
  const ReadResult too_deep = Read(nested(128), ThreeInts());
  EXPECT_TRUE(too_deep.rows.empty());
  ASSERT_EQ(too_deep.errors.size(), 1u);
  EXPECT_THAT(too_deep.errors[0].message, HasSubstr("received message is not json"));
}

TEST_F(JsonLinesTest, InvalidUtf8IsReportedWithRustsWording) {
  const ReadResult r = Read(
      "{\"a\":1,\"b\":2,\"c\":\"\xff\"}\n{\"a\":1,\"b\":2,\"c\":3}\xE2\x82\n"
      "{\"a\":1}\xE2\x82",
      ThreeInts());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.rows.empty());
  const std::string prefix = "received plaintext message is not in utf-8 format: ";
  // A sequence cut by the line's \n is invalid (2 bytes seen); cut by the end of the file,
  // incomplete.
  EXPECT_THAT(r.Messages(), ElementsAre(prefix + "invalid utf-8 sequence of 1 bytes from index 18",
                                        prefix + "invalid utf-8 sequence of 2 bytes from index 19",
                                        prefix + "incomplete utf-8 byte sequence from index 7"));
  EXPECT_EQ(r.errors[0].expected, "valid UTF-8");
}

TEST_F(JsonLinesTest, OverLongLineIsReportedAndSkipped) {
  LineSourceOptions options;
  options.max_line_bytes = 32;
  options.chunk_bytes = 8;
  const std::string long_line =
      "{\"a\":1,\"b\":2,\"c\":3,\"pad\":\"" + std::string(100, 'p') + "\"}";
  const ReadResult r =
      Read("{\"a\":1,\"b\":2,\"c\":3}\n" + long_line + "\n{\"a\":4,\"b\":5,\"c\":6}\n", ThreeInts(),
           options);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | 2 | 3", "4 | 5 | 6"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 2u);
  EXPECT_EQ(r.errors[0].message, "line of " + std::to_string(long_line.size()) +
                                     " bytes is longer than max_line_bytes (32); skipped");
}

// --- Policies, ids --------------------------------------------------------------------------

constexpr const char* kC03Lines =
    "{\"a\": 1, \"b\": 2, \"c\": 3}\n"
    "{\"a\": 2, \"b\": \"x\", \"c\": 3}\n"
    "{\"a\": 1, \"b\": 3, \"c\": \"y\"}\n"
    "{\"a\": 6, \"b\": \"1\", \"c\": \"t\"}\n"
    "{\"a\": 7, \"b\": 1, \"c\": null}\n";

TEST_F(JsonLinesTest, KeepErrorKeepsRowsWithErrorValuesAndReportsEachField) {
  LineSourceOptions options;
  options.on_bad_row = OnBadRow::kKeepError;
  const ReadResult r = Read(kC03Lines, ThreeInts(), options);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | 2 | 3", "2 | Error | 3", "1 | 3 | Error",
                                     "6 | Error | Error", "7 | 1 | None"));
  EXPECT_THAT(
      r.Messages(),
      ElementsAre(TypeMessage("b", "int", "\"x\""), TypeMessage("c", "int | None", "\"y\""),
                  TypeMessage("b", "int", "\"1\""), TypeMessage("c", "int | None", "\"t\"")));
  const DataError& first = r.errors[0];
  EXPECT_THAT(first.file, HasSubstr("in.jsonl"));
  EXPECT_EQ(first.line, 2u);
  EXPECT_EQ(first.field, "b");
  EXPECT_EQ(first.value, "\"x\"");
  EXPECT_EQ(first.expected, "int");
  EXPECT_FALSE(first.row_skipped);
  EXPECT_EQ(first.record, "{\"a\": 2, \"b\": \"x\", \"c\": 3}");
  EXPECT_EQ(FormatDataError(first),
            first.file + ":2: column 'b': cannot parse \"\\\"x\\\"\" as int");
}

TEST_F(JsonLinesTest, SkipDropsBadRowsAndReportsTheirFirstError) {
  const ReadResult r = Read(kC03Lines, ThreeInts());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | 2 | 3", "7 | 1 | None"));
  EXPECT_THAT(r.Messages(),
              ElementsAre(TypeMessage("b", "int", "\"x\""), TypeMessage("c", "int | None", "\"y\""),
                          TypeMessage("b", "int", "\"1\"")));
  for (const DataError& e : r.errors) EXPECT_TRUE(e.row_skipped);
}

TEST_F(JsonLinesTest, FailStopsAtTheFirstErrorWithItsLocation) {
  LineSourceOptions options;
  options.on_bad_row = OnBadRow::kFail;
  const std::string path = Write("in.jsonl", kC03Lines);
  const ReadResult r = ReadStatic(Maker(ThreeInts()), path, options);
  EXPECT_EQ(r.status.code(), StatusCode::kParseError);
  EXPECT_EQ(r.status.message(), path + ":2: column 'b': cannot parse \"\\\"x\\\"\" as int");
}

TEST_F(JsonLinesTest, PrimaryKeyErrorsSkipTheRowAndIdsHashTheKey) {
  // Pathway's test_jsonlines_reading_pk.
  Schema schema{
      {"a", dtype::Int, true}, {"b", dtype::Int, true}, {"c", dtype::Optional(dtype::Int)}};
  LineSourceOptions options;
  options.on_bad_row = OnBadRow::kKeepError;
  const ReadResult r = Read(kC03Lines, schema, options);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1 | 2 | 3", "1 | 3 | Error", "7 | 1 | None"));
  const std::string key_prefix = "error in primary key, skipping the row: ";
  EXPECT_THAT(r.Messages(), ElementsAre(key_prefix + TypeMessage("b", "int", "\"x\""),
                                        TypeMessage("c", "int | None", "\"y\""),
                                        key_prefix + TypeMessage("b", "int", "\"1\"")));
  KeyHasher hasher;
  Value::Int(7).HashInto(hasher);
  Value::Int(1).HashInto(hasher);
  EXPECT_EQ(r.rows[2].id, hasher.Finish());
}

TEST_F(JsonLinesTest, IdsWithoutPrimaryKeyHashPathAndLineEndOffset) {
  const std::string content =
      "{\"a\":1,\"b\":1,\"c\":1}\r\n\n{\"a\":2,\"b\":2,\"c\":2}\n{\"a\":3,\"b\":3,\"c\":3}";
  const std::string path = Write("ids.jsonl", content);
  const ReadResult r = ReadStatic(Maker(ThreeInts()), path);
  ASSERT_EQ(r.rows.size(), 3u);
  // End offsets: just past each row's \n, and the file size for the last line.
  const size_t end1 = content.find('\n') + 1;
  const size_t end2 = content.find('\n', end1 + 1) + 1;
  const std::vector<uint64_t> ends = {end1, end2, content.size()};
  for (size_t i = 0; i < 3; ++i) {
    KeyHasher hasher;
    hasher.AddRawBytes(path);
    hasher.AddRaw64(ends[i]);
    EXPECT_EQ(r.rows[i].id, hasher.Finish()) << i;
  }
}

TEST_F(JsonLinesTest, StartFileCanHashAnotherPathIntoIds) {
  // A live driver salts the ids of a rotated file's new content; errors keep the real path.
  ErrorLog log;
  LineSourceOptions options;
  options.error_log = &log;
  auto made = LineSource::MakeJsonLines("", Schema{{"v", dtype::Int}}, options);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  LineSource& source = **made;
  std::vector<Key> ids;
  const BatchConsumer emit = [&](const Batch& batch) {
    ids.insert(ids.end(), batch.ids.begin(), batch.ids.end());
  };
  source.StartFile("app.log", "app.log#1");
  ASSERT_TRUE(source.Consume("{\"v\": 1}\n{\"v\": \"x\"}\n", emit).ok());
  ASSERT_TRUE(source.FinishFile(emit).ok());
  source.Flush(emit);
  ASSERT_EQ(ids.size(), 1u);
  KeyHasher hasher;
  hasher.AddRawBytes("app.log#1");
  hasher.AddRaw64(9);
  EXPECT_EQ(ids[0], hasher.Finish());
  ASSERT_EQ(log.count(), 1u);
  EXPECT_EQ(log.kept()[0].file, "app.log");
}

TEST_F(JsonLinesTest, BatchesAreBoundedAndStringsSurviveBufferMoves) {
  std::string content;
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    const std::string s(static_cast<size_t>(5 + i % 17), static_cast<char>('a' + i % 26));
    content += "{\"s\": \"" + s + "\", \"e\": \"" + s + "\\n\"}\n";
    expected.push_back(s + " | " + s + "\n");
  }
  LineSourceOptions options;
  options.batch_rows = 3;
  options.chunk_bytes = 7;
  const ReadResult r = Read(content, Schema{{"s", dtype::Str}, {"e", dtype::Str}}, options);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.Cells(), expected);
  for (size_t size : r.batch_sizes) EXPECT_LE(size, 3u);
}

TEST_F(JsonLinesTest, DirectoryIsReadRecursivelyInPathOrderWithEachFilesIds) {
  Write("d/b.jsonl", "{\"v\": 2}\n");
  Write("d/a/x.jsonl", "{\"v\": 1}\n");
  Write("d/a-c.jsonl", "{\"v\": 3}\n{\"v\": 4}\n");
  Write("d/empty.jsonl", "");
  const std::string directory = dir_ + "/d";
  const ReadResult r = ReadStatic(Maker(Schema{{"v", dtype::Int}}), directory);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_THAT(r.Cells(), ElementsAre("1", "3", "4", "2"));
  KeyHasher hasher;
  hasher.AddRawBytes(directory + "/a-c.jsonl");
  hasher.AddRaw64(18);
  EXPECT_EQ(r.rows[2].id, hasher.Finish());
}

TEST_F(JsonLinesTest, MakeAndOpenReportBadArguments) {
  EXPECT_EQ(ReadStatic(Maker(ThreeInts()), dir_ + "/missing.jsonl").status.code(),
            StatusCode::kNotFound);
  EXPECT_EQ(ReadStatic(Maker(Schema{{"t", dtype::Tuple}}), Write("t.jsonl", "")).status.code(),
            StatusCode::kTypeError);
  EXPECT_EQ(ReadStatic(Maker(Schema{{"a", dtype::Int}, {"a", dtype::Str}}), Write("t.jsonl", ""))
                .status.code(),
            StatusCode::kInvalidArgument);
  LineSourceOptions options;
  options.batch_rows = 0;
  EXPECT_EQ(ReadStatic(Maker(ThreeInts()), Write("t.jsonl", ""), options).status.code(),
            StatusCode::kInvalidArgument);
}

// --- Static read == piecewise read (what a live driver does) --------------------------------

TEST_F(JsonLinesTest, PiecewiseReadsGiveExactlyTheStaticRows) {
  std::string content;
  for (int i = 0; i < 60; ++i) {
    content += "{\"a\": " + std::to_string(i) + ", \"s\": \"v" + std::to_string(i) +
               (i % 5 == 0 ? "\\u00e9" : "") + "\", \"o\": " + (i % 3 == 0 ? "null" : "1.5") + "}" +
               (i % 4 == 0 ? "\r\n" : "\n");
    if (i % 7 == 0) content += "\n";
    if (i % 11 == 0) content += "{\"a\": \"bad\", \"s\": \"x\", \"o\": 1}\n";
    if (i % 13 == 0) content += "not json\n";
    if (i % 17 == 0) content += "{\"a\": 1, \"s\": \"" + std::string(90, 'L') + "\", \"o\": 1}\n";
    if (i % 19 == 0) content += "{\"a\": 1, \"s\": \"\xff\", \"o\": 1}\n";
  }
  content += "{\"a\": 99, \"s\": \"last\", \"o\": 2}";  // No terminator.
  Write("dir/one.jsonl", content);
  Write("dir/two.jsonl", "{\"a\": -1, \"s\": \"other file\", \"o\": null}\n");
  const Schema schema{{"a", dtype::Int}, {"s", dtype::Str}, {"o", dtype::Optional(dtype::Float)}};
  for (OnBadRow policy : {OnBadRow::kSkip, OnBadRow::kKeepError}) {
    LineSourceOptions options;
    options.on_bad_row = policy;
    options.max_line_bytes = 80;
    options.batch_rows = 5;
    const ReadResult whole = ReadStatic(Maker(schema), dir_ + "/dir", options);
    ASSERT_TRUE(whole.status.ok()) << whole.status.ToString();
    ASSERT_EQ(whole.rows.size(), policy == OnBadRow::kSkip ? 62u : 68u);
    for (uint64_t seed = 1; seed <= 12; ++seed) {
      options.chunk_bytes = 1 + seed * 3;
      const ReadResult pieces =
          ReadInPieces(Maker(schema), dir_ + "/dir", seed, seed % 3 == 0 ? 1 : 40, options);
      ASSERT_TRUE(pieces.status.ok()) << pieces.status.ToString();
      EXPECT_EQ(pieces.rows, whole.rows) << "seed " << seed;
      EXPECT_EQ(pieces.Messages(), whole.Messages()) << "seed " << seed;
      ASSERT_EQ(pieces.errors.size(), whole.errors.size());
      for (size_t i = 0; i < whole.errors.size(); ++i) {
        EXPECT_EQ(pieces.errors[i].line, whole.errors[i].line);
        EXPECT_EQ(pieces.errors[i].file, whole.errors[i].file);
      }
      for (size_t size : pieces.batch_sizes) EXPECT_LE(size, 5u);
    }
  }
}

// --- Through the engine ---------------------------------------------------------------------

TEST_F(JsonLinesTest, ReadThroughTheEngineUnderTheTestMatrix) {
  const std::string path = Write("in.jsonl", kC03Lines);
  const Table table = io::jsonlines::read(path, ThreeInts());
  EXPECT_THAT(testing::FinalRows(table), ElementsAre("1 | 2 | 3", "7 | 1 | None"));
}

TEST_F(JsonLinesTest, UnreadableTypesCarryErrors) {
  // (Streaming mode is tested with the live sources, test/live/live_line_source_test.cc.)
  const std::string path = Write("in.jsonl", kC03Lines);
  const Table pointers = io::jsonlines::read(path, Schema{{"p", dtype::Pointer}});
  EXPECT_EQ(pointers.status().code(), StatusCode::kTypeError);
}

}  // namespace
}  // namespace vigil
