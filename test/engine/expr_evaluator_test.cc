// ExprEvaluator and BindExpr used directly: whole-batch evaluation, scratch reuse across
// batches of different sizes, runtime error messages, result types, and casts from strings.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vigil/batch/batch.h"
#include "vigil/expr/bound_expr.h"
#include "vigil/expr/evaluator.h"
#include "vigil/expr/expression.h"
#include "vigil/types/schema.h"

namespace vigil {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

/// A batch with one column per entry of `columns` (all the same length); ids 0..n-1.
Batch MakeBatch(std::vector<std::vector<Value>> columns) {
  Batch batch(columns.size());
  const size_t n = columns.empty() ? 0 : columns[0].size();
  for (size_t c = 0; c < columns.size(); ++c) batch.columns[c] = std::move(columns[c]);
  for (size_t i = 0; i < n; ++i) {
    batch.ids.push_back(KeyForIndex(static_cast<int64_t>(i)));
    batch.diffs.push_back(1);
  }
  return batch;
}

BoundExpr MustBind(const Expr& e, const Schema& schema) {
  auto bound = BindExpr(e, schema, BindOptions{});
  EXPECT_TRUE(bound.ok()) << bound.status().ToString();
  return bound.ok() ? std::move(*bound) : BoundExpr{};
}

std::vector<std::string> Texts(const std::vector<Value>& values) {
  std::vector<std::string> out;
  for (const Value& v : values) out.push_back(FormatValue(v));
  return out;
}

TEST(ExprEvaluator, EvaluatesWholeBatchesOfShrinkingAndGrowingSize) {
  const Schema schema{{"a", dtype::Int}, {"b", dtype::Int}};
  BoundExpr bound = MustBind(this_["a"] * 2 + floordiv(this_["b"], 3), schema);
  ExprEvaluator evaluator(bound);
  ValueArena arena;
  Batch five =
      MakeBatch({{Value::Int(1), Value::Int(2), Value::Int(3), Value::Int(4), Value::Int(5)},
                 {Value::Int(-1), Value::Int(3), Value::Int(7), Value::Int(-7), Value::Int(0)}});
  // 1*2 + (-1 // 3 = -1), 4 + 1, 6 + 2, 8 + (-7 // 3 = -3), 10 + 0.
  EXPECT_THAT(Texts(evaluator.Evaluate(five, arena)), ElementsAre("1", "5", "8", "5", "10"));
  Batch two = MakeBatch({{Value::Int(-3), Value::Int(0)}, {Value::Int(9), Value::Int(-1)}});
  EXPECT_THAT(Texts(evaluator.Evaluate(two, arena)), ElementsAre("-3", "-1"));
  Batch empty = MakeBatch({{}, {}});
  EXPECT_THAT(evaluator.Evaluate(empty, arena), SizeIs(0));
  EXPECT_THAT(Texts(evaluator.Evaluate(five, arena)), ElementsAre("1", "5", "8", "5", "10"));
  EXPECT_TRUE(evaluator.errors().empty());
}

TEST(ExprEvaluator, ReportsDivisionByZeroOnlyForTheBatchThatHadIt) {
  const Schema schema{{"a", dtype::Int}, {"b", dtype::Int}};
  BoundExpr bound = MustBind(this_["a"] % this_["b"], schema);
  ExprEvaluator evaluator(bound);
  ValueArena arena;
  Batch with_zero = MakeBatch({{Value::Int(5), Value::Int(5)}, {Value::Int(0), Value::Int(-3)}});
  EXPECT_THAT(Texts(evaluator.Evaluate(with_zero, arena)), ElementsAre("Error", "-1"));
  ASSERT_THAT(evaluator.errors(), SizeIs(1));
  EXPECT_THAT(evaluator.errors()[0], HasSubstr("division by zero"));
  evaluator.errors().clear();
  Batch fine = MakeBatch({{Value::Int(-5)}, {Value::Int(3)}});
  EXPECT_THAT(Texts(evaluator.Evaluate(fine, arena)), ElementsAre("1"));
  EXPECT_TRUE(evaluator.errors().empty());
}

TEST(ExprEvaluator, BindGivesPythonResultTypes) {
  const Schema schema{{"i", dtype::Int},
                      {"f", dtype::Float},
                      {"oi", dtype::Optional(dtype::Int)},
                      {"s", dtype::Str},
                      {"ob", dtype::Optional(dtype::Bool)}};
  auto type_of = [&](const Expr& e) { return MustBind(e, schema).type; };
  EXPECT_EQ(type_of(this_["i"] / this_["i"]), dtype::Float);
  EXPECT_EQ(type_of(floordiv(this_["i"], this_["i"])), dtype::Int);
  EXPECT_EQ(type_of(floordiv(this_["i"], this_["f"])), dtype::Float);
  EXPECT_EQ(type_of(this_["i"] % this_["f"]), dtype::Float);
  EXPECT_EQ(type_of(this_["i"] + this_["oi"]), dtype::Optional(dtype::Int));
  EXPECT_EQ(type_of(this_["oi"] == none()), dtype::Bool);
  EXPECT_EQ(type_of(this_["i"] < this_["f"]), dtype::Bool);
  EXPECT_EQ(type_of(this_["s"] + this_["s"]), dtype::Str);
  EXPECT_EQ(type_of(if_else(this_["ob"], this_["i"], this_["f"])), dtype::Optional(dtype::Float));
  EXPECT_EQ(type_of(coalesce({this_["oi"], this_["i"]})), dtype::Int);
  EXPECT_EQ(type_of(cast(dtype::Int, this_["f"])), dtype::Int);
  EXPECT_EQ(type_of(is_none(this_["oi"])), dtype::Bool);
  EXPECT_EQ(type_of(~this_["ob"]), dtype::Optional(dtype::Bool));
  EXPECT_EQ(type_of(this_.id()), dtype::Pointer);
}

TEST(ExprEvaluator, BindRejectsOperandTypesThatDoNotFit) {
  const Schema schema{{"i", dtype::Int}, {"s", dtype::Str}};
  BindOptions options;
  options.context = "select";
  auto added = BindExpr(this_["s"] + this_["i"], schema, options);
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().code(), StatusCode::kTypeError);
  EXPECT_THAT(added.status().message(), HasSubstr("select"));
  EXPECT_THAT(added.status().message(), HasSubstr("str"));
  EXPECT_THAT(added.status().message(), HasSubstr("int"));
  auto negated = BindExpr(~this_["s"], schema, options);
  ASSERT_FALSE(negated.ok());
  EXPECT_EQ(negated.status().code(), StatusCode::kTypeError);
}

TEST(ExprEvaluator, LiteralsAndIdsFillTheWholeBatch) {
  const Schema schema{{"a", dtype::Int}};
  BoundExpr literal = MustBind(Expr(7), schema);
  BoundExpr id = MustBind(this_.id(), schema);
  ExprEvaluator literal_evaluator(literal);
  ExprEvaluator id_evaluator(id);
  ValueArena arena;
  Batch batch = MakeBatch({{Value::Int(1), Value::Int(2), Value::Int(3)}});
  EXPECT_THAT(Texts(literal_evaluator.Evaluate(batch, arena)), ElementsAre("7", "7", "7"));
  const std::vector<Value>& ids = id_evaluator.Evaluate(batch, arena);
  ASSERT_THAT(ids, SizeIs(3));
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(ids[i].kind(), ValueKind::kPointer);
    EXPECT_EQ(ids[i].as_pointer(), KeyForIndex(static_cast<int64_t>(i)));
  }
}

// Pathway casts str to int/float with `v.trim().parse()` (Rust), which accepts a leading
// sign and surrounding whitespace, as Python's int() and float() do.
TEST(ExprEvaluator, CastStrToNumberTrimsWhitespaceAndAcceptsPlusSign) {
  const Schema schema{{"s", dtype::Str}};
  ValueArena arena;
  Batch batch = MakeBatch({{Value::String("+7"), Value::String(" 7 "), Value::String("-12"),
                            Value::String("7.5"), Value::String("x")}});
  BoundExpr to_int = MustBind(cast(dtype::Int, this_["s"]), schema);
  ExprEvaluator int_evaluator(to_int);
  EXPECT_THAT(Texts(int_evaluator.Evaluate(batch, arena)),
              ElementsAre("7", "7", "-12", "Error", "Error"));
  EXPECT_THAT(int_evaluator.errors(), SizeIs(2));
  BoundExpr to_float = MustBind(cast(dtype::Float, this_["s"]), schema);
  ExprEvaluator float_evaluator(to_float);
  EXPECT_THAT(Texts(float_evaluator.Evaluate(batch, arena)),
              ElementsAre("7.0", "7.0", "-12.0", "7.5", "Error"));
}

TEST(ExprEvaluator, CastFailureMessageNamesValueAndType) {
  std::string error;
  ValueArena arena;
  Value v = CastValue(Value::String("abc"), dtype::Int, arena, &error);
  EXPECT_TRUE(v.is_error());
  EXPECT_THAT(error, HasSubstr("abc"));
  EXPECT_THAT(error, HasSubstr("int"));
}

// Python compares ints exactly: 2**53 + 1 != 2**53 (a conversion to double would make them
// equal). ApplyBinary is the evaluator's generic path.
TEST(ExprEvaluator, ApplyBinaryComparesLargeIntsExactly) {
  ValueArena arena;
  std::string error;
  const Value a = Value::Int(9007199254740993);
  const Value b = Value::Int(9007199254740992);
  EXPECT_EQ(FormatValue(ApplyBinary(ExprOp::kEq, a, b, arena, &error)), "False");
  EXPECT_EQ(FormatValue(ApplyBinary(ExprOp::kNe, a, b, arena, &error)), "True");
  EXPECT_EQ(FormatValue(ApplyBinary(ExprOp::kGt, a, b, arena, &error)), "True");
  EXPECT_TRUE(error.empty());
}

TEST(ExprEvaluator, ApplyBinaryPropagatesNoneAndError) {
  ValueArena arena;
  std::string error;
  EXPECT_TRUE(ApplyBinary(ExprOp::kAdd, Value::None(), Value::Int(1), arena, &error).is_none());
  EXPECT_TRUE(ApplyBinary(ExprOp::kMul, Value::Float(2), Value::None(), arena, &error).is_none());
  EXPECT_TRUE(ApplyBinary(ExprOp::kAdd, Value::Error(), Value::Int(1), arena, &error).is_error());
  EXPECT_TRUE(ApplyBinary(ExprOp::kEq, Value::Error(), Value::None(), arena, &error).is_error());
  EXPECT_EQ(FormatValue(ApplyBinary(ExprOp::kEq, Value::None(), Value::None(), arena, &error)),
            "True");
  EXPECT_EQ(FormatValue(ApplyBinary(ExprOp::kEq, Value::Int(1), Value::None(), arena, &error)),
            "False");
  EXPECT_TRUE(error.empty()) << error;
}


/// The kinds of `values`, for checking that a float column holds floats.
std::vector<ValueKind> Kinds(const std::vector<Value>& values) {
  std::vector<ValueKind> out;
  for (const Value& v : values) out.push_back(v.kind());
  return out;
}

// Pathway types if_else(c, 1, 2.5), coalesce(optional int, 2.5) and fill_error(int, 2.5) as
// float (the common type of int and float) and casts the int operand to float, so every
// value of the column is a float: 1 becomes 1.0.
TEST(ExprEvaluator, IntBranchesOfAFloatResultBecomeFloats) {
  const Schema schema{{"c", dtype::Bool}, {"oi", dtype::Optional(dtype::Int)}, {"i", dtype::Int}};
  Batch batch = MakeBatch({{Value::Bool(true), Value::Bool(false), Value::Bool(true)},
                           {Value::Int(7), Value::None(), Value::Error()},
                           {Value::Int(3), Value::Int(-2), Value::Error()}});
  ValueArena arena;
  BoundExpr chosen = MustBind(if_else(this_["c"], Expr(1), Expr(2.5)), schema);
  EXPECT_EQ(chosen.type, dtype::Float);
  ExprEvaluator chosen_evaluator(chosen);
  const auto& chosen_values = chosen_evaluator.Evaluate(batch, arena);
  EXPECT_THAT(Texts(chosen_values), ElementsAre("1.0", "2.5", "1.0"));
  EXPECT_THAT(Kinds(chosen_values),
              ElementsAre(ValueKind::kFloat, ValueKind::kFloat, ValueKind::kFloat));
  // The int branch is a column: its values are cast too (Error stays Error).
  BoundExpr column_branch = MustBind(if_else(this_["c"], this_["i"], Expr(0.5)), schema);
  EXPECT_EQ(column_branch.type, dtype::Float);
  ExprEvaluator column_evaluator(column_branch);
  EXPECT_THAT(Texts(column_evaluator.Evaluate(batch, arena)), ElementsAre("3.0", "0.5", "Error"));
  BoundExpr first = MustBind(coalesce({this_["oi"], Expr(2.5)}), schema);
  EXPECT_EQ(first.type, dtype::Float);
  ExprEvaluator first_evaluator(first);
  EXPECT_THAT(Texts(first_evaluator.Evaluate(batch, arena)), ElementsAre("7.0", "2.5", "Error"));
  BoundExpr filled = MustBind(fill_error(this_["i"], Expr(2.5)), schema);
  EXPECT_EQ(filled.type, dtype::Float);
  ExprEvaluator filled_evaluator(filled);
  EXPECT_THAT(Texts(filled_evaluator.Evaluate(batch, arena)), ElementsAre("3.0", "-2.0", "2.5"));
  // Branches of one type are left as they are.
  BoundExpr ints = MustBind(if_else(this_["c"], Expr(1), Expr(2)), schema);
  EXPECT_EQ(ints.type, dtype::Int);
  ExprEvaluator ints_evaluator(ints);
  EXPECT_THAT(Texts(ints_evaluator.Evaluate(batch, arena)), ElementsAre("1", "2", "1"));
}

// Pathway types `int ** int` as int (operator_mapping.py: (pow, INT, INT) -> INT) and has no
// int for a negative exponent, so the row holds Error and the error is reported; 0 to a
// negative power is a division by zero (Python's ZeroDivisionError), for floats too. Every
// evaluation path (column ** column, column ** constant, constant ** column) agrees.
TEST(ExprEvaluator, IntPowWithNegativeExponentIsAnError) {
  const Schema schema{{"a", dtype::Int}, {"b", dtype::Int}};
  ValueArena arena;
  Batch batch = MakeBatch({{Value::Int(2), Value::Int(2), Value::Int(0), Value::Int(-3)},
                           {Value::Int(3), Value::Int(-2), Value::Int(-1), Value::Int(0)}});
  BoundExpr columns = MustBind(pow(this_["a"], this_["b"]), schema);
  EXPECT_EQ(columns.type, dtype::Int);
  ExprEvaluator columns_evaluator(columns);
  EXPECT_THAT(Texts(columns_evaluator.Evaluate(batch, arena)),
              ElementsAre("8", "Error", "Error", "1"));
  ASSERT_THAT(columns_evaluator.errors(), SizeIs(2));
  EXPECT_THAT(columns_evaluator.errors()[0], HasSubstr("negative exponent"));
  EXPECT_THAT(columns_evaluator.errors()[1], HasSubstr("division by zero"));

  BoundExpr constant_exponent = MustBind(pow(this_["a"], Expr(-1)), schema);
  EXPECT_EQ(constant_exponent.type, dtype::Int);
  ExprEvaluator constant_evaluator(constant_exponent);
  EXPECT_THAT(Texts(constant_evaluator.Evaluate(batch, arena)),
              ElementsAre("Error", "Error", "Error", "Error"));
  EXPECT_THAT(constant_evaluator.errors(), SizeIs(4));

  BoundExpr constant_base = MustBind(pow(Expr(2), this_["b"]), schema);
  EXPECT_EQ(constant_base.type, dtype::Int);
  ExprEvaluator base_evaluator(constant_base);
  EXPECT_THAT(Texts(base_evaluator.Evaluate(batch, arena)),
              ElementsAre("8", "Error", "Error", "1"));
}

TEST(ExprEvaluator, ZeroToANegativePowerIsDivisionByZero) {
  const Schema schema{{"x", dtype::Float}, {"b", dtype::Int}};
  ValueArena arena;
  Batch batch = MakeBatch({{Value::Float(0.0), Value::Float(-0.0), Value::Float(2.0)},
                           {Value::Int(-3), Value::Int(-1), Value::Int(-1)}});
  BoundExpr mixed = MustBind(pow(this_["x"], this_["b"]), schema);
  EXPECT_EQ(mixed.type, dtype::Float);
  ExprEvaluator mixed_evaluator(mixed);
  EXPECT_THAT(Texts(mixed_evaluator.Evaluate(batch, arena)), ElementsAre("Error", "Error", "0.5"));
  ASSERT_THAT(mixed_evaluator.errors(), SizeIs(2));
  EXPECT_THAT(mixed_evaluator.errors()[0], HasSubstr("division by zero"));
  BoundExpr constant = MustBind(pow(this_["x"], Expr(-1.5)), schema);
  ExprEvaluator constant_evaluator(constant);
  const auto& values = constant_evaluator.Evaluate(batch, arena);
  EXPECT_TRUE(values[0].is_error());
  EXPECT_TRUE(values[1].is_error());
  EXPECT_THAT(constant_evaluator.errors(), SizeIs(2));
  // 0.0 ** 0 is 1.0 and 0.0 ** 2.5 is 0.0: no error.
  std::string error;
  EXPECT_EQ(FormatValue(ApplyBinary(ExprOp::kPow, Value::Float(0), Value::Int(0), arena, &error)),
            "1.0");
  EXPECT_EQ(
      FormatValue(ApplyBinary(ExprOp::kPow, Value::Float(0), Value::Float(2.5), arena, &error)),
      "0.0");
  EXPECT_TRUE(error.empty()) << error;
  EXPECT_TRUE(ApplyBinary(ExprOp::kPow, Value::Int(0), Value::Float(-3), arena, &error).is_error());
  EXPECT_THAT(error, HasSubstr("division by zero"));
}

// `<`, `<=`, `>`, `>=` with a None operand give None, so their type is Optional[bool] when an
// operand is optional (or None, or Any); `==` and `!=` compare None as a value and stay bool.
TEST(ExprEvaluator, OrderingAnOptionalOperandIsOptionalBool) {
  const Schema schema{{"oi", dtype::Optional(dtype::Int)}, {"i", dtype::Int}};
  auto type_of = [&](const Expr& e) { return MustBind(e, schema).type; };
  EXPECT_EQ(type_of(this_["oi"] < this_["i"]), dtype::Optional(dtype::Bool));
  EXPECT_EQ(type_of(this_["i"] >= this_["oi"]), dtype::Optional(dtype::Bool));
  EXPECT_EQ(type_of(this_["oi"] <= 2), dtype::Optional(dtype::Bool));
  EXPECT_EQ(type_of(this_["i"] > none()), dtype::Optional(dtype::Bool));
  EXPECT_EQ(type_of(this_["i"] < this_["i"]), dtype::Bool);
  EXPECT_EQ(type_of(this_["oi"] == this_["i"]), dtype::Bool);
  EXPECT_EQ(type_of(this_["oi"] != none()), dtype::Bool);
  ValueArena arena;
  Batch batch = MakeBatch({{Value::Int(1), Value::None()}, {Value::Int(2), Value::Int(2)}});
  for (const Expr& e : {this_["oi"] < this_["i"], this_["oi"] < 2}) {
    BoundExpr bound = MustBind(e, schema);
    ExprEvaluator evaluator(bound);
    EXPECT_THAT(Texts(evaluator.Evaluate(batch, arena)), ElementsAre("True", "None"));
  }
}

}  // namespace
}  // namespace vigil
