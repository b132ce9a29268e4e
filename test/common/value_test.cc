#include "vigil/types/value.h"

#include <gtest/gtest.h>

#include "vigil/types/datetime.h"
#include "vigil/types/value_arena.h"

namespace vigil {
namespace {

TEST(ValueTest, FormatsFloatsLikePython) {
  EXPECT_EQ(FormatPythonFloat(5.0), "5.0");
  EXPECT_EQ(FormatPythonFloat(2.0 / 3.0), "0.6666666666666666");
  EXPECT_EQ(FormatPythonFloat(0.0001), "0.0001");
  EXPECT_EQ(FormatPythonFloat(0.00001), "1e-05");
  EXPECT_EQ(FormatPythonFloat(1e16), "1e+16");
  EXPECT_EQ(FormatPythonFloat(123456789012345.0), "123456789012345.0");
  EXPECT_EQ(FormatPythonFloat(-2.5), "-2.5");
  EXPECT_EQ(FormatPythonFloat(1.5e300), "1.5e+300");
}

TEST(ValueTest, FormatsTuplesLikePython) {
  Value one[] = {Value::Int(16)};
  EXPECT_EQ(FormatValue(Value::Tuple(one, 1)), "(16,)");
  Value mixed[] = {Value::Int(1), Value::String("a"), Value::None(), Value::Float(2.0)};
  EXPECT_EQ(FormatValue(Value::Tuple(mixed, 4)), "(1, 'a', None, 2.0)");
  EXPECT_EQ(FormatValue(Value::Tuple(nullptr, 0)), "()");
}

TEST(ValueTest, NoneSortsFirstAndNumbersCompareAcrossKinds) {
  EXPECT_TRUE(CompareValues(Value::None(), Value::Int(-100)) < 0);
  EXPECT_TRUE(CompareValues(Value::Int(1), Value::Float(1.5)) < 0);
  EXPECT_TRUE(CompareValues(Value::Int(2), Value::Float(2.0)) == 0);
  EXPECT_TRUE(ValuesEqual(Value::Int(2), Value::Float(2.0)));
  EXPECT_FALSE(ValuesIdentical(Value::Int(2), Value::Float(2.0)));
  EXPECT_TRUE(CompareValues(Value::String("ab"), Value::String("b")) < 0);
}

TEST(ValueTest, StoredValueOwnsDeepCopyOfTuple) {
  StoredValue stored;
  {
    std::string a = "hello";
    Value inner[] = {Value::String(a), Value::Int(3)};
    Value outer[] = {Value::Tuple(inner, 2), Value::String(a)};
    stored = StoredValue(Value::Tuple(outer, 2));
    a = "XXXXX";  // The copy must not see this.
  }
  EXPECT_EQ(FormatValue(stored.get()), "(('hello', 3), 'hello')");
  StoredValue copy = stored;
  EXPECT_TRUE(ValuesIdentical(copy.get(), stored.get()));
}

TEST(ValueTest, ArenaCopiesSurviveSourceChanges) {
  ValueArena arena;
  std::string s(100000, 'x');  // Larger than one block.
  Value v = arena.CopyString(s);
  s.assign(100000, 'y');
  EXPECT_EQ(v.as_string().size(), 100000u);
  EXPECT_EQ(v.as_string()[0], 'x');
}

TEST(DateTimeTest, ParsesAndFormatsNaiveAndUtc) {
  auto naive = ParseDateTime("2023-06-22T09:06:30", false);
  ASSERT_TRUE(naive.has_value());
  EXPECT_EQ(FormatDateTime(*naive, false), "2023-06-22 09:06:30");
  auto utc = ParseDateTime("2023-05-15T10:13:00+02:00", true);
  ASSERT_TRUE(utc.has_value());
  EXPECT_EQ(FormatDateTime(*utc, true), "2023-05-15 08:13:00+00:00");
  EXPECT_FALSE(ParseDateTime("2023-05-15T10:13:00", true).has_value());
  EXPECT_FALSE(ParseDateTime("2023-13-15T10:13:00", false).has_value());
  EXPECT_EQ(DaysFromCivil(1973, 1, 1), 1096);
}

TEST(DateTimeTest, RejectsInstantsOutsideTheNanosecondRange) {
  // Found by fuzzing: years outside 1677..2262 overflowed int64 nanoseconds.
  EXPECT_TRUE(ParseDateTime("2262-04-11T23:47:16.854775807", false).has_value());
  EXPECT_FALSE(ParseDateTime("2262-04-11T23:47:16.854775808", false).has_value());
  EXPECT_TRUE(ParseDateTime("1677-09-21T00:12:43.145224192", false).has_value());
  EXPECT_FALSE(ParseDateTime("1677-09-21T00:12:43.145224191", false).has_value());
  EXPECT_FALSE(ParseDateTime("2500-01-01T00:00:00", false).has_value());
  EXPECT_FALSE(ParseDateTime("1600-01-01T00:00:00", false).has_value());
}

TEST(DateTimeTest, FormatsNegativeTimesBeforeEpoch) {
  EXPECT_EQ(FormatDateTime(-1'000'000'000, false), "1969-12-31 23:59:59");
  EXPECT_EQ(FormatDuration(600 * kNanosPerSecond), "0 days 00:10:00");
}

}  // namespace
}  // namespace vigil
