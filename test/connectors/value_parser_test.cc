#include "connectors/csv/value_parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "vigil/types/datetime.h"

namespace vigil {
namespace {

Value ParseOk(std::string_view text, DType type) {
  const FieldParseResult result = ParseTypedText(text, type);
  EXPECT_TRUE(result.ok()) << "text '" << text << "' type " << type.ToString() << ": "
                           << (result.error ? result.error : "");
  return result.value;
}

std::string ParseError(std::string_view text, DType type) {
  const FieldParseResult result = ParseTypedText(text, type);
  EXPECT_FALSE(result.ok()) << "text '" << text << "' type " << type.ToString();
  return result.ok() ? std::string() : std::string(result.error);
}

TEST(ValueParserTest, ParsesIntsStrictly) {
  EXPECT_EQ(ParseOk("42", dtype::Int), Value::Int(42));
  EXPECT_EQ(ParseOk("-7", dtype::Int), Value::Int(-7));
  EXPECT_EQ(ParseOk("+5", dtype::Int), Value::Int(5));
  EXPECT_EQ(ParseOk("007", dtype::Int), Value::Int(7));
  EXPECT_EQ(ParseOk("9223372036854775807", dtype::Int),
            Value::Int(std::numeric_limits<int64_t>::max()));
  EXPECT_EQ(ParseOk("-9223372036854775808", dtype::Int),
            Value::Int(std::numeric_limits<int64_t>::min()));
}

TEST(ValueParserTest, RejectsBadIntsWithRustMessages) {
  EXPECT_EQ(ParseError("", dtype::Int), "cannot parse integer from empty string");
  for (const char* bad : {"x", "1.5", " 1", "1 ", "-", "+", "+-1", "--1", "1e3", "0x10", "1_0"}) {
    EXPECT_EQ(ParseError(bad, dtype::Int), "invalid digit found in string") << bad;
  }
  EXPECT_EQ(ParseError("9223372036854775808", dtype::Int),
            "number too large to fit in target type");
  EXPECT_EQ(ParseError("-9223372036854775809", dtype::Int),
            "number too small to fit in target type");
  EXPECT_EQ(ParseError("99999999999999999999x", dtype::Int),
            "number too large to fit in target type");
}

/// Rust's i64::from_str, digit by digit with i128-free overflow checks (the model the
/// parsers are checked against).
std::string ReferenceParseInt64(std::string_view s, int64_t& out) {
  if (s.empty()) return "cannot parse integer from empty string";
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
    if (s.empty()) return "invalid digit found in string";
  }
  // Magnitude accumulated in an unsigned value; the limit is 2^63 (negative) or 2^63 - 1.
  const uint64_t limit = negative ? (uint64_t{1} << 63) : (uint64_t{1} << 63) - 1;
  uint64_t magnitude = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return "invalid digit found in string";
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > limit / 10 || magnitude * 10 > limit - digit) {
      return negative ? "number too small to fit in target type"
                      : "number too large to fit in target type";
    }
    magnitude = magnitude * 10 + digit;
  }
  out = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return "";
}

TEST(ValueParserTest, IntParsersMatchRustOnGeneratedText) {
  std::mt19937 random(7);
  const char alphabet[] = "0123456789000999+-: /a\xff";
  std::vector<std::string> inputs = {"9223372036854775807", "9223372036854775808",
                                     "-9223372036854775808", "-9223372036854775809",
                                     "+9223372036854775807", "00000000000000000000000042",
                                     "99999999", "999999999999999999", "1999999999999999999",
                                     "12345678", "123456789", "1234567890123456",
                                     "12345678901234567", "123456789012345678"};
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const size_t length = random() % 23;
    // Mostly digits, so that the long-number paths are reached.
    for (size_t k = 0; k < length; ++k) {
      text += random() % 4 == 0 ? alphabet[random() % (sizeof(alphabet) - 1)]
                                : static_cast<char>('0' + random() % 10);
    }
    inputs.push_back(text);
  }
  for (const std::string& text : inputs) {
    int64_t expected = 0;
    const std::string expected_error = ReferenceParseInt64(text, expected);
    // ParseInt64Padded reads the 16 bytes before the text's end: surround it with junk
    // (digits included, which must not count).
    std::string padded;
    for (int k = 0; k < 16; ++k) padded += "7-x\xff"[random() % 4];
    padded += text;
    for (int k = 0; k < 16; ++k) padded += "5a,\0"[random() % 4];
    const std::string_view in_padding(padded.data() + 16, text.size());
    for (int variant = 0; variant < 3; ++variant) {
      int64_t value = -1;
      const char* error = variant == 0   ? ParseInt64(text, value)
                          : variant == 1 ? ParseInt64Slow(text, value)
                                         : ParseInt64Padded(in_padding, value);
      EXPECT_EQ(error == nullptr ? std::string() : std::string(error), expected_error)
          << "'" << text << "' variant " << variant;
      if (error == nullptr && expected_error.empty()) {
        EXPECT_EQ(value, expected) << text;
      }
    }
  }
}

TEST(ValueParserTest, ParsesFloatsLikeRust) {
  EXPECT_EQ(ParseOk("1.5", dtype::Float), Value::Float(1.5));
  EXPECT_EQ(ParseOk("1.", dtype::Float), Value::Float(1.0));
  EXPECT_EQ(ParseOk(".5", dtype::Float), Value::Float(0.5));
  EXPECT_EQ(ParseOk("+2.5", dtype::Float), Value::Float(2.5));
  EXPECT_EQ(ParseOk("-1E3", dtype::Float), Value::Float(-1000.0));
  EXPECT_EQ(ParseOk("1e-2", dtype::Float), Value::Float(0.01));
  EXPECT_EQ(ParseOk("7", dtype::Float), Value::Float(7.0));
  EXPECT_EQ(ParseOk("inf", dtype::Float).as_float(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(ParseOk("-Infinity", dtype::Float).as_float(),
            -std::numeric_limits<double>::infinity());
  EXPECT_EQ(ParseOk("1e400", dtype::Float).as_float(), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(ParseOk("NaN", dtype::Float).as_float()));
  EXPECT_TRUE(std::isnan(ParseOk("nan", dtype::Float).as_float()));
}

TEST(ValueParserTest, RejectsBadFloatsWithRustMessages) {
  EXPECT_EQ(ParseError("", dtype::Float), "cannot parse float from empty string");
  for (const char* bad : {"abc", ".", "1e", " 1", "1 ", "nan(1)", "+-1", "++1", "0x1p3", "infx",
                          "1,5", "+"}) {
    EXPECT_EQ(ParseError(bad, dtype::Float), "invalid float literal") << bad;
  }
}

TEST(ValueParserTest, ParsesBoolsCaseInsensitivelyAfterTrimming) {
  for (const char* yes : {"true", "TRUE", "True", "T", "t", "1", "yes", "YES", "on", "On", "y",
                          "Y", " true ", "\ttrue"}) {
    EXPECT_EQ(ParseOk(yes, dtype::Bool), Value::Bool(true)) << yes;
  }
  for (const char* no : {"false", "FALSE", "F", "f", "0", "no", "NO", "off", "n", "N", " 0 "}) {
    EXPECT_EQ(ParseOk(no, dtype::Bool), Value::Bool(false)) << no;
  }
  for (const char* bad : {"", "2", "tru", "yess", "oui"}) {
    EXPECT_EQ(ParseError(bad, dtype::Bool), "provided string was not parsable as a boolean value")
        << bad;
  }
}

TEST(ValueParserTest, OptionalTypesReadNullSpellingsAsNone) {
  for (const char* null : {"", "null", "NULL", "None", "none", " null "}) {
    EXPECT_EQ(ParseOk(null, dtype::Optional(dtype::Int)), Value::None()) << null;
    EXPECT_EQ(ParseOk(null, dtype::Optional(dtype::Float)), Value::None()) << null;
    EXPECT_EQ(ParseOk(null, dtype::Optional(dtype::Bool)), Value::None()) << null;
    EXPECT_EQ(ParseOk(null, dtype::Optional(dtype::DateTimeUtc)), Value::None()) << null;
  }
  EXPECT_EQ(ParseOk("5", dtype::Optional(dtype::Int)), Value::Int(5));
  EXPECT_EQ(ParseError("x", dtype::Optional(dtype::Int)), "invalid digit found in string");
}

TEST(ValueParserTest, OptionalStrKeepsNullSpellingsAsText) {
  // Pathway leaves str (and Any) out of the null rule: "" and "null" are valid strings.
  EXPECT_EQ(ParseOk("", dtype::Optional(dtype::Str)).as_string(), "");
  EXPECT_EQ(ParseOk("null", dtype::Optional(dtype::Str)).as_string(), "null");
  EXPECT_EQ(ParseOk("None", dtype::Any).as_string(), "None");
}

TEST(ValueParserTest, StrIsAViewOfTheText) {
  const std::string text = "hello, world";
  const Value v = ParseOk(text, dtype::Str);
  EXPECT_EQ(v.kind(), ValueKind::kString);
  EXPECT_EQ(v.as_string().data(), text.data());
  EXPECT_EQ(v.as_string(), text);
  EXPECT_EQ(ParseOk(std::string("a\0b", 3), dtype::Str).as_string(), std::string("a\0b", 3));
}

TEST(ValueParserTest, RejectsInvalidUtf8InStr) {
  EXPECT_EQ(ParseError("ab\xff", dtype::Str), kInvalidUtf8Reason);
  EXPECT_EQ(ParseError("\xc3", dtype::Str), kInvalidUtf8Reason);
  EXPECT_EQ(ParseOk("caf\xc3\xa9", dtype::Str).as_string(), "caf\xc3\xa9");
}

TEST(ValueParserTest, ValidatesUtf8Strictly) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii text longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("\xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // Overlong '/'.
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // Overlong.
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // Surrogate.
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // Above U+10FFFF.
  EXPECT_FALSE(IsValidUtf8("abcdefgh\x80"));      // Lone continuation after the fast path.
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // Truncated.
}

/// A byte-at-a-time UTF-8 validator written from the definition (RFC 3629 table).
bool ReferenceIsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (c < 0x80) {
      length = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      const unsigned char lo = k == 1 ? low : 0x80;
      const unsigned char hi = k == 1 ? high : 0xBF;
      if (b < lo || b > hi) return false;
    }
    i += length;
  }
  return true;
}

TEST(ValueParserTest, Utf8ValidationMatchesDefinitionAtEveryLength) {
  std::mt19937 random(11);
  const std::string pieces[] = {"a", "z", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                "\x80", "\xC3", "\xED\xA0\x80", "\xF4\x90", "\xFF", "\x7F"};
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const size_t target = random() % 25;
    while (text.size() < target) {
      // Mostly ASCII, so that a lone bad byte sits at every offset of the word checks.
      text += random() % 5 == 0 ? pieces[random() % std::size(pieces)] : std::string(1, 'a');
    }
    EXPECT_EQ(IsValidUtf8(text), ReferenceIsValidUtf8(text)) << testing::PrintToString(text);
  }
}

TEST(ValueParserTest, ParsesDateTimesAndDurations) {
  EXPECT_EQ(ParseOk("2023-06-22T09:06:30", dtype::DateTimeNaive),
            Value::DateTimeNaive(*ParseDateTime("2023-06-22T09:06:30", false)));
  EXPECT_EQ(ParseOk("2023-06-22T09:06:30.5+02:00", dtype::DateTimeUtc),
            Value::DateTimeUtc(*ParseDateTime("2023-06-22T07:06:30.5Z", true)));
  EXPECT_NE(ParseError("2023-06-22", dtype::DateTimeNaive).find("%Y-%m-%dT%H:%M:%S%.f"),
            std::string::npos);
  EXPECT_NE(ParseError("2023-06-22T09:06:30", dtype::DateTimeUtc).find("%z"), std::string::npos);
  EXPECT_EQ(ParseOk("1500", dtype::Duration), Value::Duration(1500));
  EXPECT_EQ(ParseOk("-3", dtype::Duration), Value::Duration(-3));
  EXPECT_EQ(ParseError("1.5", dtype::Duration), "invalid digit found in string");
}

TEST(ValueParserTest, EmptyFieldUsesDefaultForNonStringColumns) {
  ColumnSchema v{"v", dtype::Int, false, StoredValue(Value::Int(0))};
  EXPECT_EQ(ParseCsvField("", v).value, Value::Int(0));
  EXPECT_EQ(ParseCsvField("42", v).value, Value::Int(42));
  // Only an exactly empty field takes the default.
  EXPECT_FALSE(ParseCsvField(" ", v).ok());
  ColumnSchema optional{"o", dtype::Optional(dtype::Int), false, StoredValue(Value::Int(9))};
  EXPECT_EQ(ParseCsvField("", optional).value, Value::Int(9));
  EXPECT_EQ(ParseCsvField("null", optional).value, Value::None());
  ColumnSchema text{"s", dtype::Str, false, StoredValue(Value::String("dflt"))};
  EXPECT_EQ(ParseCsvField("", text).value.as_string(), "");
  ColumnSchema no_default{"n", dtype::Int};
  EXPECT_EQ(std::string(ParseCsvField("", no_default).error),
            "cannot parse integer from empty string");
}

TEST(ValueParserTest, NamesTypesAsPathwayDoes) {
  EXPECT_EQ(PathwayTypeName(dtype::Int), "int");
  EXPECT_EQ(PathwayTypeName(dtype::Str), "str");
  EXPECT_EQ(PathwayTypeName(dtype::Bool), "bool");
  EXPECT_EQ(PathwayTypeName(dtype::Float), "float");
  EXPECT_EQ(PathwayTypeName(dtype::Optional(dtype::Int)), "int | None");
  EXPECT_EQ(PathwayTypeName(dtype::DateTimeUtc), "DateTimeUtc");
}

TEST(ValueParserTest, FormatsParseErrorsWithPathwayWording) {
  EXPECT_EQ(FormatFieldParseError("x", "b", dtype::Int, "invalid digit found in string"),
            "failed to parse value \"x\" at field \"b\" according to the type int in schema: "
            "invalid digit found in string");
  EXPECT_EQ(FormatFieldParseError("t", "c", dtype::Optional(dtype::Int),
                                  "invalid digit found in string"),
            "failed to parse value \"t\" at field \"c\" according to the type int | None in "
            "schema: invalid digit found in string");
}

TEST(ValueParserTest, QuotesValuesLikeRustDebug) {
  EXPECT_EQ(RustDebugString("plain"), "\"plain\"");
  EXPECT_EQ(RustDebugString("a\"b\\c\nd\re\tf"), "\"a\\\"b\\\\c\\nd\\re\\tf\"");
  EXPECT_EQ(RustDebugString(std::string("\0\x01", 2)), "\"\\0\\u{1}\"");
  EXPECT_EQ(RustDebugString("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(RustDebugString("\xff"), "\"\\xff\"");
  EXPECT_EQ(RustDebugString(std::string(10, 'a'), 4), "\"aaaa...\"");
}

TEST(ValueParserTest, KnowsWhichTypesCsvCanHold) {
  EXPECT_TRUE(IsCsvParsableType(dtype::Int));
  EXPECT_TRUE(IsCsvParsableType(dtype::Optional(dtype::Str)));
  EXPECT_TRUE(IsCsvParsableType(dtype::Duration));
  EXPECT_FALSE(IsCsvParsableType(dtype::Pointer));
  EXPECT_FALSE(IsCsvParsableType(dtype::Tuple));
  EXPECT_EQ(ParseTypedText("1", dtype::Pointer).ok(), false);
}

}  // namespace
}  // namespace vigil
