#include "connectors/output/value_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "vigil/common/key.h"
#include "vigil/types/value.h"

namespace vigil {
namespace {

std::string JsonFloat(double f) {
  std::string out;
  AppendJsonFloat(out, f);
  return out;
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

std::string JsonValue(const Value& v) {
  std::string out;
  AppendJsonValue(out, v);
  return out;
}

TEST(ValueTextTest, RustDebugFloatFormat) {
  EXPECT_EQ(FormatRustFloat(1.0), "1.0");
  EXPECT_EQ(FormatRustFloat(0.1), "0.1");
  EXPECT_EQ(FormatRustFloat(-2.5), "-2.5");
  EXPECT_EQ(FormatRustFloat(0.0), "0.0");
  EXPECT_EQ(FormatRustFloat(-0.0), "-0.0");
  EXPECT_EQ(FormatRustFloat(0.30000000000000004), "0.30000000000000004");
  EXPECT_EQ(FormatRustFloat(123456789.125), "123456789.125");
  EXPECT_EQ(FormatRustFloat(1e-7), "1e-7");
  EXPECT_EQ(FormatRustFloat(1.5e-7), "1.5e-7");
  EXPECT_EQ(FormatRustFloat(-1.5e300), "-1.5e300");
  EXPECT_EQ(FormatRustFloat(std::numeric_limits<double>::denorm_min()), "5e-324");
  EXPECT_EQ(FormatRustFloat(std::numeric_limits<double>::max()), "1.7976931348623157e308");
  EXPECT_EQ(FormatRustFloat(std::nan("")), "NaN");
  EXPECT_EQ(FormatRustFloat(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(FormatRustFloat(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(ValueTextTest, RustDebugFloatSwitchesToExponentBelow1eMinus4AndFrom1e16) {
  // core::fmt::float: exponent form iff x != 0 && |x| < 1e-4, or |x| >= 1e16.
  EXPECT_EQ(FormatRustFloat(1e-4), "0.0001");
  EXPECT_EQ(FormatRustFloat(0.00012), "0.00012");
  EXPECT_EQ(FormatRustFloat(9.9e-5), "9.9e-5");
  EXPECT_EQ(FormatRustFloat(1e-5), "1e-5");
  EXPECT_EQ(FormatRustFloat(1e15), "1000000000000000.0");
  EXPECT_EQ(FormatRustFloat(9999999999999998.0), "9999999999999998.0");
  EXPECT_EQ(FormatRustFloat(1e16), "1e16");
  EXPECT_EQ(FormatRustFloat(1.5e16), "1.5e16");
  EXPECT_EQ(FormatRustFloat(-1e16), "-1e16");
}

TEST(ValueTextTest, JsonFloatFollowsRyuLayout) {
  EXPECT_EQ(JsonFloat(1.0), "1.0");
  EXPECT_EQ(JsonFloat(0.1), "0.1");
  EXPECT_EQ(JsonFloat(0.0), "0.0");
  EXPECT_EQ(JsonFloat(-0.0), "-0.0");
  EXPECT_EQ(JsonFloat(1e-5), "0.00001");  // Rust's Debug would print 1e-5 here.
  EXPECT_EQ(JsonFloat(1.25e-5), "0.0000125");
  EXPECT_EQ(JsonFloat(1e-6), "1e-6");
  EXPECT_EQ(JsonFloat(1e-7), "1e-7");
  EXPECT_EQ(JsonFloat(1e15), "1000000000000000.0");
  EXPECT_EQ(JsonFloat(1e16), "1e16");
  EXPECT_EQ(JsonFloat(1.234e33), "1.234e33");
}

TEST(ValueTextTest, JsonFloatNonFiniteIsNull) {
  EXPECT_EQ(JsonFloat(std::nan("")), "null");
  EXPECT_EQ(JsonFloat(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(JsonFloat(-std::numeric_limits<double>::infinity()), "null");
}

TEST(ValueTextTest, JsonEscapesControlCharacters) {
  EXPECT_EQ(JsonString("plain"), "\"plain\"");
  EXPECT_EQ(JsonString(""), "\"\"");
  EXPECT_EQ(JsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonString("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
  EXPECT_EQ(JsonString(std::string_view("\x00\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
  // DEL and '/' are not escaped by serde_json.
  EXPECT_EQ(JsonString("\x7f/"), "\"\x7f/\"");
}

TEST(ValueTextTest, JsonPassesValidUtf8Through) {
  EXPECT_EQ(JsonString("zażółć €𝄞"), "\"zażółć €𝄞\"");
}

TEST(ValueTextTest, JsonReplacesInvalidUtf8) {
  EXPECT_EQ(JsonString("a\xff"
                       "b"),
            "\"a\\ufffdb\"");
  EXPECT_EQ(JsonString("\xc3"), "\"\\ufffd\"");                        // Truncated sequence.
  EXPECT_EQ(JsonString("\xc0\xaf"), "\"\\ufffd\\ufffd\"");             // Overlong '/'.
  EXPECT_EQ(JsonString("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // Surrogate.
  EXPECT_EQ(JsonString("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // > U+10FFFF.
}

TEST(ValueTextTest, KeyTextMatchesKeyToString) {
  for (int64_t i = 0; i < 50; ++i) {
    std::string text;
    AppendKeyText(text, KeyForIndex(i));
    EXPECT_EQ(text, KeyForIndex(i).ToString());
  }
  std::string text;
  AppendKeyText(text, Key{~uint64_t{0}, ~uint64_t{0}});
  EXPECT_EQ(text, (Key{~uint64_t{0}, ~uint64_t{0}}).ToString());
}

TEST(ValueTextTest, RustDateTimeDisplay) {
  EXPECT_EQ(FormatRustDateTime(0, false), "1970-01-01T00:00:00.000000000");
  EXPECT_EQ(FormatRustDateTime(1687424790LL * 1'000'000'000 + 123456789, false),
            "2023-06-22T09:06:30.123456789");
  EXPECT_EQ(FormatRustDateTime(1687424790LL * 1'000'000'000, true),
            "2023-06-22T09:06:30.000000000+0000");
  EXPECT_EQ(FormatRustDateTime(-1, false), "1969-12-31T23:59:59.999999999");
  EXPECT_EQ(FormatRustDateTime(951782400LL * 1'000'000'000, false),
            "2000-02-29T00:00:00.000000000");
}

TEST(ValueTextTest, TupleAsJsonArray) {
  Value inner[] = {Value::Float(1.5), Value::Bool(false)};
  Value elements[] = {Value::Int(1), Value::String("a\"b"), Value::None(), Value::Tuple(inner, 2)};
  EXPECT_EQ(JsonValue(Value::Tuple(elements, 4)), "[1,\"a\\\"b\",null,[1.5,false]]");
  EXPECT_EQ(JsonValue(Value::Tuple(nullptr, 0)), "[]");
}

TEST(ValueTextTest, JsonValueKinds) {
  EXPECT_EQ(JsonValue(Value::None()), "null");
  EXPECT_EQ(JsonValue(Value::Error()), "null");
  EXPECT_EQ(JsonValue(Value::Bool(true)), "true");
  EXPECT_EQ(JsonValue(Value::Int(-42)), "-42");
  EXPECT_EQ(JsonValue(Value::Float(2.0)), "2.0");
  EXPECT_EQ(JsonValue(Value::Pointer(KeyForIndex(0))), "\"^X1MXHYYG4YM0DB900V28XN5T4W\"");
  EXPECT_EQ(JsonValue(Value::DateTimeNaive(0)), "\"1970-01-01T00:00:00.000000000\"");
  EXPECT_EQ(JsonValue(Value::DateTimeUtc(0)), "\"1970-01-01T00:00:00.000000000+0000\"");
  EXPECT_EQ(JsonValue(Value::Duration(600'000'000'000)), "600000000000");
}

}  // namespace
}  // namespace vigil
