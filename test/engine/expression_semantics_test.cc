// Expression semantics over whole tables: select/with_columns/filter on markdown inputs,
// every pipeline run under the golden matrix (batch sizes, shuffles, commit splits). Expected
// values follow Python's (and Pathway's engine's) rules, computed by hand in the comments.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "golden.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using ::vigil::engine_test::RowsKeepingErrors;
using ::vigil::engine_test::RunStatus;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;

Table Md(const std::string& text) {
  Table t = debug::table_from_markdown(text);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t;
}

DType ColumnType(const Table& t, const std::string& name) {
  auto index = t.schema().Find(name);
  EXPECT_TRUE(index.has_value()) << name;
  return index ? t.schema()[*index].type : DType();
}

// Python: -7 // 2 == -4, -7 % 2 == 1, 7 // -2 == -4, 7 % -2 == -1 (the remainder takes the
// divisor's sign and a == (a // b) * b + a % b).
TEST(ExpressionSemantics, FloorDivAndModOfNegativeIntsFollowPython) {
  auto t = Md(R"(
a  | b
7  | 2
-7 | 2
7  | -2
-7 | -2
6  | 3
-6 | 3
1  | -7
)");
  auto r = t.select({this_["a"],
                     this_["b"],
                     {"q", floordiv(this_["a"], this_["b"])},
                     {"m", this_["a"] % this_["b"]}});
  EXPECT_EQ(ColumnType(r, "q"), dtype::Int);
  EXPECT_EQ(ColumnType(r, "m"), dtype::Int);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
7  | 2  | 3  | 1
-7 | 2  | -4 | 1
7  | -2 | -4 | -1
-7 | -2 | 3  | -1
6  | 3  | 2  | 0
-6 | 3  | -2 | 0
1  | -7 | -1 | -6
)"));
}

// Python: -7.5 // 2.0 == -4.0 and -7.5 % 2.0 == 0.5; 7.5 % -2.0 == -0.5.
TEST(ExpressionSemantics, FloorDivAndModOfNegativeFloatsFollowPython) {
  auto t = Md(R"(
a    | b
7.5  | 2.0
-7.5 | 2.0
7.5  | -2.0
-7.5 | -2.0
)");
  auto r = t.select({this_["a"],
                     this_["b"],
                     {"q", floordiv(this_["a"], this_["b"])},
                     {"m", this_["a"] % this_["b"]}});
  EXPECT_EQ(ColumnType(r, "q"), dtype::Float);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
7.5  | 2.0  | 3.0  | 1.5
-7.5 | 2.0  | -4.0 | 0.5
7.5  | -2.0 | -4.0 | -0.5
-7.5 | -2.0 | 3.0  | -1.5
)"));
}

// An int and a float operand compute in float: -7 // 2.5 == floor(-2.8) == -3.0 and
// -7 % 2.5 == -7 - (-3.0 * 2.5) == 0.5; 7 % -2.5 == 7 - (-3.0 * -2.5) == -0.5.
TEST(ExpressionSemantics, FloorDivAndModOfMixedIntAndFloatAreFloat) {
  auto t = Md(R"(
a  | b
-7 | 2.5
7  | -2.5
)");
  auto r = t.select(
      {this_["a"], {"q", floordiv(this_["a"], this_["b"])}, {"m", this_["a"] % this_["b"]}});
  EXPECT_EQ(ColumnType(r, "q"), dtype::Float);
  EXPECT_EQ(ColumnType(r, "m"), dtype::Float);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
-7 | -3.0 | 0.5
7  | -3.0 | -0.5
)"));
}

// CPython's float_rem (and Pathway's FloatExpression::Mod, which copies it): a zero remainder
// takes the sign of the divisor, so -4.0 % 2.0 == 0.0 and 4.0 % -2.0 == -0.0.
TEST(ExpressionSemantics, FloatModuloZeroRemainderTakesSignOfDivisor) {
  auto t = Md(R"(
a    | b
-4.0 | 2.0
4.0  | -2.0
4.0  | 2.0
)");
  auto r = t.select({this_["a"], this_["b"], {"m", this_["a"] % this_["b"]}});
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
-4.0 | 2.0  | 0.0
4.0  | -2.0 | -0.0
4.0  | 2.0  | 0.0
)"));
}

// `/` of two ints is a float even when exact: 6 / 3 == 2.0.
TEST(ExpressionSemantics, TrueDivisionOfIntsIsAlwaysFloat) {
  auto t = Md(R"(
a  | b
7  | 2
6  | 3
-7 | 2
1  | 3
)");
  auto r = t.select({this_["a"], this_["b"], {"d", this_["a"] / this_["b"]}});
  EXPECT_EQ(ColumnType(r, "d"), dtype::Float);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
7  | 2 | 3.5
6  | 3 | 2.0
-7 | 2 | -3.5
1  | 3 | 0.3333333333333333
)"));
}

// Division and modulo by zero: the row holds Error and an engine error is reported; with
// terminate_on_error (the default) the run fails with it.
TEST(ExpressionSemantics, DivisionByZeroFailsRunWhenTerminatingOnError) {
  auto t = Md(R"(
a   | b   | x   | y
1   | 0   | 1.5 | 0.0
4   | 2   | 3.0 | 2.0
)");
  const std::vector<std::pair<std::string, Expr>> cases = {
      {"int //", floordiv(this_["a"], this_["b"])},
      {"int %", this_["a"] % this_["b"]},
      {"int /", this_["a"] / this_["b"]},
      {"float /", this_["x"] / this_["y"]},
      {"float //", floordiv(this_["x"], this_["y"])},
      {"float %", this_["x"] % this_["y"]},
  };
  for (const auto& [name, e] : cases) {
    Status status = RunStatus(t.select({{"r", e}}));
    EXPECT_FALSE(status.ok()) << name;
    EXPECT_EQ(status.code(), StatusCode::kEngineError) << name << ": " << status.ToString();
    EXPECT_THAT(status.message(), HasSubstr("division by zero")) << name;
  }
}

TEST(ExpressionSemantics, DivisionByZeroLeavesErrorValueWhenNotTerminating) {
  auto t = Md(R"(
a   | b   | x   | y
1   | 0   | 1.5 | 0.0
4   | 2   | 3.0 | 2.0
)");
  auto r = t.select({this_["a"],
                     {"q", floordiv(this_["a"], this_["b"])},
                     {"m", this_["a"] % this_["b"]},
                     {"d", this_["a"] / this_["b"]},
                     {"fm", this_["x"] % this_["y"]}});
  EXPECT_EQ(RowsKeepingErrors(r), ExpectedRows(R"(
1 | Error | Error | Error | Error
4 | 2     | 0     | 2.0   | 1.0
)"));
}

// 64-bit ints wrap on overflow (two's complement), as Pathway's i64 arithmetic in release.
TEST(ExpressionSemantics, IntOverflowWraps) {
  auto t = Md(R"(
a                    | b
9223372036854775807  | 1
-9223372036854775808 | -1
4611686018427387904  | 2
)");
  auto r = t.select({this_["a"],
                     {"s", this_["a"] + this_["b"]},
                     {"p", this_["a"] * this_["b"]},
                     {"n", -this_["a"]}});
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
9223372036854775807  | -9223372036854775808 | 9223372036854775807  | -9223372036854775807
-9223372036854775808 | 9223372036854775807  | -9223372036854775808 | -9223372036854775808
4611686018427387904  | 4611686018427387906  | -9223372036854775808 | -4611686018427387904
)"));
}

TEST(ExpressionSemantics, NonePropagatesThroughArithmetic) {
  auto t = Md(R"(
a | b
1 | None
2 | 3
)");
  EXPECT_EQ(ColumnType(t, "b"), dtype::Optional(dtype::Int));
  auto r = t.select({this_["a"],
                     {"s", this_["a"] + this_["b"]},
                     {"p", this_["a"] * this_["b"]},
                     {"q", floordiv(this_["a"], this_["b"])},
                     {"d", this_["a"] / this_["b"]},
                     {"n", -this_["b"]}});
  EXPECT_EQ(ColumnType(r, "s"), dtype::Optional(dtype::Int));
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
1 | None | None | None | None | None
2 | 5    | 6    | 0    | 0.6666666666666666 | -3
)"));
}

// `==`/`!=` with None give a bool (None == None is True); ordering comparisons with a None
// operand give None.
TEST(ExpressionSemantics, EqualityWithNoneIsBoolAndOrderingWithNoneIsNone) {
  auto t = Md(R"(
a | b    | c
1 | None | None
2 | 3    | 4
3 | None | 5
)");
  auto r = t.select({this_["a"],
                     {"b_is_none", this_["b"] == none()},
                     {"b_not_none", this_["b"] != none()},
                     {"b_eq_c", this_["b"] == this_["c"]},
                     {"a_lt_b", this_["a"] < this_["b"]}});
  EXPECT_EQ(ColumnType(r, "b_is_none"), dtype::Bool);
  EXPECT_EQ(ColumnType(r, "b_eq_c"), dtype::Bool);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
1 | True  | False | True  | None
2 | False | True  | False | True
3 | True  | False | False | None
)"));
}

TEST(ExpressionSemantics, IfElseWithNoneConditionIsNone) {
  auto t = Md(R"(
a | c
1 | True
2 | False
3 | None
)");
  EXPECT_EQ(ColumnType(t, "c"), dtype::Optional(dtype::Bool));
  auto r = t.select({this_["a"], {"r", if_else(this_["c"], this_["a"] * 10, -this_["a"])}});
  EXPECT_EQ(ColumnType(r, "r"), dtype::Optional(dtype::Int));
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
1 | 10
2 | -2
3 | None
)"));
}

// Pathway's IfElse evaluates each branch only on the rows that take it (as Python's
// `a // b if b != 0 else -1`), so the guarded division never divides by zero: no Error, no
// engine error, and the run succeeds with terminate_on_error.
TEST(ExpressionSemantics, IfElseEvaluatesOnlyTheTakenBranch) {
  auto t = Md(R"(
a | b
6 | 3
5 | 0
)");
  auto r = t.select({this_["a"],
                     this_["b"],
                     {"q", if_else(this_["b"] != 0, floordiv(this_["a"], this_["b"]), -1)}});
  ASSERT_TRUE(RunStatus(r).ok()) << RunStatus(r).ToString();
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
6 | 3 | 2
5 | 0 | -1
)"));
}

// Pathway's `&` and `|` on bools evaluate the right operand only where the left one does not
// decide (BoolExpression::And/Or via logical_operator), so a guard on the left protects the
// right operand from division by zero.
TEST(ExpressionSemantics, BoolAndOrShortCircuitTheRightOperand) {
  auto t = Md(R"(
a | b
6 | 3
5 | 0
3 | 3
)");
  auto guarded_and = t.filter((this_["b"] != 0) & (floordiv(this_["a"], this_["b"]) > 1));
  ASSERT_TRUE(RunStatus(guarded_and).ok()) << RunStatus(guarded_and).ToString();
  EXPECT_EQ(FinalRows(guarded_and), ExpectedRows("6 | 3"));
  auto guarded_or = t.filter((this_["b"] == 0) | (floordiv(this_["a"], this_["b"]) > 1));
  ASSERT_TRUE(RunStatus(guarded_or).ok()) << RunStatus(guarded_or).ToString();
  EXPECT_EQ(FinalRows(guarded_or), ExpectedRows(R"(
6 | 3
5 | 0
)"));
}

TEST(ExpressionSemantics, CoalescePicksFirstNonNone) {
  auto t = Md(R"(
a    | b    | c
None | None | 3
1    | None | 4
None | 2    | 5
)");
  auto r = t.select({{"abc", coalesce({this_["a"], this_["b"], this_["c"]})},
                     {"ab", coalesce({this_["a"], this_["b"]})},
                     {"c", this_["c"]}});
  // The result is optional only if every argument is.
  EXPECT_EQ(ColumnType(r, "abc"), dtype::Int);
  EXPECT_EQ(ColumnType(r, "ab"), dtype::Optional(dtype::Int));
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
3 | None | 3
1 | 1    | 4
2 | 2    | 5
)"));
}

TEST(ExpressionSemantics, IsNoneAndIsNotNone) {
  auto t = Md(R"(
a | b
1 | None
2 | 7
)");
  auto r = t.select({this_["a"],
                     {"n", is_none(this_["b"])},
                     {"nn", is_not_none(this_["b"])},
                     {"na", is_none(this_["a"])}});
  EXPECT_EQ(ColumnType(r, "n"), dtype::Bool);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
1 | True  | False | False
2 | False | True  | False
)"));
}

// int -> float is exact; float -> int truncates toward zero (Python's int()); bool -> 0/1.
TEST(ExpressionSemantics, CastBetweenIntFloatAndBool) {
  auto t = Md(R"(
i  | f    | b
3  | 3.7  | True
-3 | -3.7 | False
)");
  auto r = t.select({this_["i"],
                     {"fi", cast(dtype::Float, this_["i"])},
                     {"if", cast(dtype::Int, this_["f"])},
                     {"bi", cast(dtype::Int, this_["b"])},
                     {"bf", cast(dtype::Float, this_["b"])},
                     {"ib", cast(dtype::Bool, this_["i"])}});
  EXPECT_EQ(ColumnType(r, "fi"), dtype::Float);
  EXPECT_EQ(ColumnType(r, "if"), dtype::Int);
  EXPECT_EQ(ColumnType(r, "bi"), dtype::Int);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
3  | 3.0  | 3  | 1 | 1.0 | True
-3 | -3.0 | -3 | 0 | 0.0 | True
)"));
}

TEST(ExpressionSemantics, CastNoneStaysNone) {
  auto t = Md(R"(
a | f
1 | None
2 | 2.5
)");
  auto r = t.select({this_["a"], {"i", cast(dtype::Int, this_["f"])}});
  EXPECT_EQ(ColumnType(r, "i"), dtype::Optional(dtype::Int));
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
1 | None
2 | 2
)"));
}

// A string that is not an int casts to Error: the run fails by default, and keeps the Error
// value with terminate_on_error=false.
TEST(ExpressionSemantics, CastStrToIntFailureIsError) {
  auto t = debug::table_from_markdown(R"(
k | s
1 | 12
2 | abc
3 | -5
)",
                                      Schema{{"k", dtype::Int}, {"s", dtype::Str}});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto r = t.select({this_["k"], {"i", cast(dtype::Int, this_["s"])}});
  EXPECT_EQ(ColumnType(r, "i"), dtype::Int);
  Status status = RunStatus(r);
  EXPECT_EQ(status.code(), StatusCode::kEngineError) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr("abc"));
  EXPECT_EQ(RowsKeepingErrors(r), ExpectedRows(R"(
1 | 12
2 | Error
3 | -5
)"));
}

// The documented example of Pathway's fill_error (pw.fill_error docstring): a // b with an
// Error in the second row, then fill_error(c, -1).
TEST(ExpressionSemantics, FillErrorReplacesOnlyErrors) {
  auto t = Md(R"(
a | b | n
3 | 3 | None
4 | 0 | 1
5 | 5 | 2
6 | 2 | None
)");
  auto with_errors = t.with_columns({{"c", floordiv(this_["a"], this_["b"])}});
  auto filled = with_errors.with_columns(
      {{"c", fill_error(this_["c"], -1)}, {"n", fill_error(this_["n"], 0)}});
  EXPECT_EQ(RowsKeepingErrors(with_errors), ExpectedRows(R"(
3 | 3 | None | 1
4 | 0 | 1    | Error
5 | 5 | 2    | 1
6 | 2 | None | 3
)"));
  // None is not an Error: fill_error leaves it.
  EXPECT_EQ(RowsKeepingErrors(filled), ExpectedRows(R"(
3 | 3 | None | 1
4 | 0 | 1    | -1
5 | 5 | 2    | 1
6 | 2 | None | 3
)"));
}

// Within one expression, fill_error catches the failure before it is reported (Pathway's
// FillError turns the Err of its argument into the replacement; only an Err that reaches the
// column is reported), so the run succeeds even with terminate_on_error.
TEST(ExpressionSemantics, FillErrorInOneExpressionDoesNotFailTheRun) {
  auto t = Md(R"(
a | b
3 | 3
4 | 0
5 | 5
6 | 2
)");
  auto r = t.select({this_["a"], {"c", fill_error(floordiv(this_["a"], this_["b"]), -1)}});
  ASSERT_TRUE(RunStatus(r).ok()) << RunStatus(r).ToString();
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
3 | 1
4 | -1
5 | 1
6 | 3
)"));
}

TEST(ExpressionSemantics, MakeTupleKeepsValuesAndNone) {
  auto t = Md(R"(
a | s
1 | x
2 | y
)");
  auto r = t.select(
      {{"t", make_tuple({this_["a"], this_["s"], none()})}, {"one", make_tuple({this_["a"]})}});
  EXPECT_EQ(ColumnType(r, "t"), dtype::Tuple);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
(1, 'x', None) | (1,)
(2, 'y', None) | (2,)
)"));
}

// An Error is not None: Pathway's IsNone evaluates its argument first, so an Error argument
// makes is_none/is_not_none Error too (a failed value never turns into a valid bool).
TEST(ExpressionSemantics, IsNoneOfErrorIsError) {
  auto t = Md(R"(
a | b
6 | 2
1 | 0
)");
  auto r = t.select({this_["a"],
                     {"n", is_none(floordiv(this_["a"], this_["b"]))},
                     {"nn", is_not_none(floordiv(this_["a"], this_["b"]))}});
  EXPECT_EQ(RowsKeepingErrors(r), ExpectedRows(R"(
6 | False | True
1 | Error | Error
)"));
}

// Pathway's MakeTuple fails when any element fails: the tuple is Error, not a tuple holding
// an Error (which reducers would then not skip).
TEST(ExpressionSemantics, MakeTupleWithErrorElementIsError) {
  auto t = Md(R"(
a | b
6 | 2
1 | 0
)");
  auto r =
      t.select({this_["a"], {"t", make_tuple({this_["a"], floordiv(this_["a"], this_["b"])})}});
  EXPECT_EQ(RowsKeepingErrors(r), ExpectedRows(R"(
6 | (6, 3)
1 | Error
)"));
}

TEST(ExpressionSemantics, ApplyCallsUserFunctionPerRow) {
  auto t = Md(R"(
a | b | s
1 | 2 | ab
3 | 4 | c
)");
  auto combine = [](std::span<const Value> args, ValueArena&) {
    return Value::Int(args[0].as_int() * 10 + args[1].as_int());
  };
  auto bracket = [](std::span<const Value> args, ValueArena& arena) {
    std::string text = "<";
    text.append(args[0].as_string());
    text.push_back('>');
    return arena.CopyString(text);
  };
  auto r = t.select({{"c", apply(dtype::Int, combine, {this_["a"], this_["b"]})},
                     {"w", apply(dtype::Str, bracket, {this_["s"]}, "bracket")}});
  EXPECT_EQ(ColumnType(r, "c"), dtype::Int);
  EXPECT_EQ(ColumnType(r, "w"), dtype::Str);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
12 | <ab>
34 | <c>
)"));
}

// An Error argument makes the result Error without calling the function (Pathway's Apply
// only calls the function on rows whose arguments evaluated).
TEST(ExpressionSemantics, ApplyIsNotCalledWithErrorArguments) {
  auto t = Md(R"(
a | b
6 | 2
1 | 0
)");
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto fn = [calls](std::span<const Value> args, ValueArena&) {
    ++*calls;
    EXPECT_FALSE(args[0].is_error());
    return Value::Int(args[0].as_int() + 100);
  };
  auto r = t.select({this_["a"], {"c", apply(dtype::Int, fn, {floordiv(this_["a"], this_["b"])})}});
  EXPECT_EQ(RowsKeepingErrors(r), ExpectedRows(R"(
6 | 103
1 | Error
)"));
  EXPECT_EQ(calls->load(), 1);
}

TEST(ExpressionSemantics, StringConcatenation) {
  auto t = Md(R"(
s  | u
ab | cd
x  | yz
)");
  auto r = t.select({{"c", this_["s"] + "-" + this_["u"]}, {"d", this_["u"] + this_["s"]}});
  EXPECT_EQ(ColumnType(r, "c"), dtype::Str);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
ab-cd | cdab
x-yz  | yzx
)"));
}

// int ** non-negative int is an int; with a float operand the result is a float.
TEST(ExpressionSemantics, PowOfIntsAndFloats) {
  auto t = Md(R"(
a  | b  | f
2  | 10 | 0.5
-2 | 3  | 2.0
3  | 0  | 0.5
)");
  auto r = t.select({this_["a"],
                     {"p", pow(this_["a"], this_["b"])},
                     {"q", pow(this_["a"] * this_["a"], this_["f"])}});
  EXPECT_EQ(ColumnType(r, "p"), dtype::Int);
  EXPECT_EQ(ColumnType(r, "q"), dtype::Float);
  // q: 4 ** 0.5 == 2.0, 4 ** 2.0 == 16.0, 9 ** 0.5 == 3.0.
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
2  | 1024 | 2.0
-2 | -8   | 16.0
3  | 1    | 3.0
)"));
}

TEST(ExpressionSemantics, BoolNotAndOrXor) {
  auto t = Md(R"(
x     | y
True  | True
True  | False
False | True
False | False
)");
  auto r = t.select({this_["x"],
                     this_["y"],
                     {"not_x", ~this_["x"]},
                     {"and", this_["x"] & this_["y"]},
                     {"or", this_["x"] | this_["y"]},
                     {"xor", this_["x"] ^ this_["y"]}});
  EXPECT_EQ(ColumnType(r, "not_x"), dtype::Bool);
  EXPECT_EQ(ColumnType(r, "and"), dtype::Bool);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
True  | True  | False | True  | True  | False
True  | False | False | False | True  | True
False | True  | True  | False | True  | True
False | False | True  | False | False | False
)"));
}

// Ints and floats compare by value: 1 == 1.0, 2 < 2.5, 3 >= 3.0.
TEST(ExpressionSemantics, IntAndFloatCompareByValue) {
  auto t = Md(R"(
i | f
1 | 1.0
2 | 2.5
3 | 3.0
4 | -4.5
)");
  auto r = t.select({this_["i"],
                     {"eq", this_["i"] == this_["f"]},
                     {"ne", this_["i"] != this_["f"]},
                     {"lt", this_["i"] < this_["f"]},
                     {"ge", this_["i"] >= this_["f"]},
                     {"gt", this_["f"] > this_["i"]}});
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
1 | True  | False | False | True  | False
2 | False | True  | True  | False | True
3 | True  | False | False | True  | False
4 | False | True  | False | True  | False
)"));
}

// Python compares ints exactly, also inside tuples: (2**53 + 1,) != (2**53,). A double
// conversion would make them equal.
TEST(ExpressionSemantics, TupleEqualityComparesLargeIntsExactly) {
  auto t = Md(R"(
a                | b
9007199254740993 | 9007199254740992
5                | 5
)");
  auto r = t.select({this_["a"],
                     {"plain", this_["a"] == this_["b"]},
                     {"tuples", make_tuple({this_["a"]}) == make_tuple({this_["b"]})},
                     {"tuples_ne", make_tuple({this_["a"]}) != make_tuple({this_["b"]})}});
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
9007199254740993 | False | False | True
5                | True  | True  | False
)"));
}

// Expressions are evaluated on retractions too: a row updated to a value whose expression
// differs retracts the old result and inserts the new one.
TEST(ExpressionSemantics, SelectRecomputesOnUpdates) {
  auto t = Md(R"(
id | a  | b | __time__ | __diff__
1  | 7  | 2 | 2        | 1
2  | -7 | 2 | 2        | 1
1  | 7  | 2 | 4        | -1
1  | 9  | 2 | 4        | 1
)");
  auto r = t.select({{"q", floordiv(this_["a"], this_["b"])}, {"m", this_["a"] % this_["b"]}});
  EXPECT_EQ(testing::StreamRows(r), ExpectedRows(R"(
3  | 1 | 2 | 1
-4 | 1 | 2 | 1
3  | 1 | 4 | -1
4  | 1 | 4 | 1
)"));
}


// if_else and coalesce of an int and a float are typed float (the common type), and Pathway
// casts the int operand to float: the rows taking the int hold 1.0, not 1.
TEST(ExpressionSemantics, IfElseAndCoalesceOfIntAndFloatGiveFloats) {
  auto t = Md(R"(
a  | o
1  | 4
-1 | None
)");
  auto r = t.select({this_["a"],
                     {"v", if_else(this_["a"] > 0, 1, 2.5)},
                     {"w", coalesce({none(), this_["a"], 0.5})},
                     {"x", coalesce({this_["o"], 0.5})}});
  EXPECT_EQ(ColumnType(r, "v"), dtype::Float);
  EXPECT_EQ(ColumnType(r, "w"), dtype::Float);
  EXPECT_EQ(ColumnType(r, "x"), dtype::Float);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
1  | 1.0 | 1.0  | 4.0
-1 | 2.5 | -1.0 | 0.5
)"));
}

// `int ** int` is an int (as in Pathway); a negative exponent has no int result, so the row
// holds Error and the run reports it, as for a division by zero.
TEST(ExpressionSemantics, IntPowWithNegativeExponentIsAnError) {
  auto t = Md(R"(
a | b
2 | -2
2 | 3
0 | -1
)");
  auto r = t.select({this_["a"], this_["b"], {"p", pow(this_["a"], this_["b"])}});
  EXPECT_EQ(ColumnType(r, "p"), dtype::Int);
  EXPECT_EQ(RowsKeepingErrors(r), ExpectedRows(R"(
2 | -2 | Error
2 | 3  | 8
0 | -1 | Error
)"));
  Status status = RunStatus(r);
  EXPECT_EQ(status.code(), StatusCode::kEngineError) << status.ToString();
  auto zero = t.filter(this_["a"] == 0).select({{"p", pow(this_["a"], this_["b"])}});
  EXPECT_THAT(RunStatus(zero).message(), HasSubstr("division by zero"));
  auto zero_float = t.filter(this_["a"] == 0).select({{"p", pow(0.0, this_["b"] * 3)}});
  EXPECT_THAT(RunStatus(zero_float).message(), HasSubstr("division by zero"));
}

// Ordering comparisons with a None operand give None (EqualityWithNoneIsBoolAndOrdering...),
// so their column is Optional[bool]; a filter on it keeps only the True rows.
TEST(ExpressionSemantics, OrderingAnOptionalColumnIsOptionalBool) {
  auto t = Md(R"(
a | b
1 | None
2 | 3
3 | 1
)");
  auto r = t.select({this_["a"], {"lt", this_["a"] < this_["b"]}, {"ge", this_["b"] >= 2}});
  EXPECT_EQ(ColumnType(r, "lt"), dtype::Optional(dtype::Bool));
  EXPECT_EQ(ColumnType(r, "ge"), dtype::Optional(dtype::Bool));
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
1 | None  | None
2 | True  | True
3 | False | False
)"));
  EXPECT_EQ(FinalRows(t.filter(this_["a"] < this_["b"])), ExpectedRows("2 | 3"));
}

}  // namespace
}  // namespace vigil
