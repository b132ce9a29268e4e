#include "vigil/expr/expression.h"

#include "vigil/common/key.h"

namespace vigil {

const char* ReducerName(ReducerKind kind) {
  switch (kind) {
    case ReducerKind::kCount: return "count";
    case ReducerKind::kSum: return "sum";
    case ReducerKind::kAvg: return "avg";
    case ReducerKind::kMin: return "min";
    case ReducerKind::kMax: return "max";
    case ReducerKind::kArgMin: return "argmin";
    case ReducerKind::kArgMax: return "argmax";
    case ReducerKind::kCountDistinct: return "count_distinct";
    case ReducerKind::kAny: return "any";
    case ReducerKind::kUnique: return "unique";
    case ReducerKind::kTuple: return "tuple";
    case ReducerKind::kSortedTuple: return "sorted_tuple";
    case ReducerKind::kEarliest: return "earliest";
    case ReducerKind::kLatest: return "latest";
    case ReducerKind::kStatefulMany: return "stateful_many";
  }
  return "?";
}

namespace {
Expr Literal(const Value& v) {
  auto node = std::make_shared<ExprNode>();
  node->op = ExprOp::kLiteral;
  node->literal = StoredValue(v);
  return Expr(std::move(node));
}

Expr Reducer(ReducerKind kind, std::vector<Expr> args, bool skip_nones = false,
             bool has_id = false) {
  auto node = std::make_shared<ExprNode>();
  node->op = ExprOp::kReducer;
  node->reducer = kind;
  node->args = std::move(args);
  node->skip_nones = skip_nones;
  node->has_id_argument = has_id;
  return Expr(std::move(node));
}
}  // namespace

Expr::Expr(int64_t v) : Expr(Literal(Value::Int(v))) {}
Expr::Expr(int v) : Expr(Literal(Value::Int(v))) {}
Expr::Expr(double v) : Expr(Literal(Value::Float(v))) {}
Expr::Expr(bool v) : Expr(Literal(Value::Bool(v))) {}
Expr::Expr(const char* v) : Expr(Literal(Value::String(v))) {}
Expr::Expr(std::string v) : Expr(Literal(Value::String(v))) {}

const std::string& Expr::column_name() const {
  static const std::string kEmpty;
  return node_->op == ExprOp::kColumn ? node_->name : kEmpty;
}
bool Expr::is_column() const { return node_->op == ExprOp::kColumn; }

Expr MakeExpr(ExprOp op, std::vector<Expr> args) {
  auto node = std::make_shared<ExprNode>();
  node->op = op;
  node->args = std::move(args);
  return Expr(std::move(node));
}

Expr ThisRef::operator[](const std::string& name) const { return col(name); }
Expr ThisRef::id() const { return MakeExpr(ExprOp::kId, {}); }

Expr SideRef::operator[](const std::string& name) const {
  auto node = std::make_shared<ExprNode>();
  node->op = ExprOp::kColumn;
  node->name = name;
  node->side = side;
  return Expr(std::move(node));
}
Expr SideRef::id() const {
  auto node = std::make_shared<ExprNode>();
  node->op = ExprOp::kId;
  node->side = side;
  return Expr(std::move(node));
}

Expr col(const std::string& name) {
  auto node = std::make_shared<ExprNode>();
  node->op = ExprOp::kColumn;
  node->name = name;
  return Expr(std::move(node));
}
Expr none() { return Literal(Value::None()); }

Expr operator-(const Expr& a) { return MakeExpr(ExprOp::kNeg, {a}); }
Expr operator~(const Expr& a) { return MakeExpr(ExprOp::kNot, {a}); }
Expr operator+(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kAdd, {a, b}); }
Expr operator-(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kSub, {a, b}); }
Expr operator*(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kMul, {a, b}); }
Expr operator/(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kTrueDiv, {a, b}); }
Expr operator%(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kMod, {a, b}); }
Expr floordiv(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kFloorDiv, {a, b}); }
Expr pow(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kPow, {a, b}); }
Expr operator==(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kEq, {a, b}); }
Expr operator!=(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kNe, {a, b}); }
Expr operator<(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kLt, {a, b}); }
Expr operator<=(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kLe, {a, b}); }
Expr operator>(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kGt, {a, b}); }
Expr operator>=(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kGe, {a, b}); }
Expr operator&(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kAnd, {a, b}); }
Expr operator|(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kOr, {a, b}); }
Expr operator^(const Expr& a, const Expr& b) { return MakeExpr(ExprOp::kXor, {a, b}); }

Expr if_else(const Expr& c, const Expr& t, const Expr& f) {
  return MakeExpr(ExprOp::kIfElse, {c, t, f});
}
Expr is_none(const Expr& e) { return MakeExpr(ExprOp::kIsNone, {e}); }
Expr is_not_none(const Expr& e) { return MakeExpr(ExprOp::kIsNotNone, {e}); }
Expr coalesce(std::vector<Expr> args) { return MakeExpr(ExprOp::kCoalesce, std::move(args)); }
Expr cast(DType type, const Expr& e) {
  auto node = std::make_shared<ExprNode>();
  node->op = ExprOp::kCast;
  node->type = type;
  node->args = {e};
  return Expr(std::move(node));
}
Expr fill_error(const Expr& e, const Expr& r) { return MakeExpr(ExprOp::kFillError, {e, r}); }
Expr make_tuple(std::vector<Expr> args) { return MakeExpr(ExprOp::kMakeTuple, std::move(args)); }
Expr pointer_from(std::vector<Expr> args, bool optional) {
  const DType type = optional ? dtype::Optional(dtype::Pointer) : dtype::Pointer;
  return apply(
      type,
      [optional](std::span<const Value> values, ValueArena&) {
        if (optional) {
          for (const Value& v : values) {
            if (v.is_none()) return Value::None();
          }
        }
        KeyHasher hasher;
        for (const Value& v : values) v.HashInto(hasher);
        return Value::Pointer(hasher.Finish());
      },
      std::move(args), "pointer_from");
}
Expr apply(DType result_type, ApplyFunction fn, std::vector<Expr> args, std::string name,
           std::shared_ptr<void> front_object) {
  auto node = std::make_shared<ExprNode>();
  node->op = ExprOp::kApply;
  node->type = result_type;
  node->function = std::move(fn);
  node->args = std::move(args);
  node->name = std::move(name);
  node->front_object = std::move(front_object);
  return Expr(std::move(node));
}

Expr apply_batched(DType result_type, BatchApplyFunction fn, std::vector<Expr> args,
                   std::string name, std::shared_ptr<void> front_object) {
  auto node = std::make_shared<ExprNode>();
  node->op = ExprOp::kApply;
  node->type = result_type;
  node->batch_function = std::move(fn);
  node->args = std::move(args);
  node->name = std::move(name);
  node->front_object = std::move(front_object);
  return Expr(std::move(node));
}

namespace reducers {
Expr count() { return Reducer(ReducerKind::kCount, {}); }
Expr sum(const Expr& e, bool strict) {
  Expr r = Reducer(ReducerKind::kSum, {e});
  auto node = std::make_shared<ExprNode>(r.node());
  node->strict = strict;
  return Expr(std::move(node));
}
Expr avg(const Expr& e) { return Reducer(ReducerKind::kAvg, {e}); }
Expr min(const Expr& e) { return Reducer(ReducerKind::kMin, {e}); }
Expr max(const Expr& e) { return Reducer(ReducerKind::kMax, {e}); }
Expr argmin(const Expr& e) { return Reducer(ReducerKind::kArgMin, {e, this_.id()}); }
Expr argmin(const Expr& e, const Expr& id) {
  return Reducer(ReducerKind::kArgMin, {e, id}, false, true);
}
Expr argmax(const Expr& e) { return Reducer(ReducerKind::kArgMax, {e, this_.id()}); }
Expr argmax(const Expr& e, const Expr& id) {
  return Reducer(ReducerKind::kArgMax, {e, id}, false, true);
}
Expr count_distinct(std::vector<Expr> args) {
  return Reducer(ReducerKind::kCountDistinct, std::move(args));
}
Expr any(const Expr& e) { return Reducer(ReducerKind::kAny, {e}); }
Expr unique(const Expr& e) { return Reducer(ReducerKind::kUnique, {e}); }
Expr tuple(const Expr& e, bool skip_nones) { return Reducer(ReducerKind::kTuple, {e}, skip_nones); }
Expr sorted_tuple(const Expr& e, bool skip_nones) {
  return Reducer(ReducerKind::kSortedTuple, {e}, skip_nones);
}
Expr earliest(const Expr& e) { return Reducer(ReducerKind::kEarliest, {e}); }
Expr latest(const Expr& e) { return Reducer(ReducerKind::kLatest, {e}); }
Expr stateful_many(DType result_type, StatefulReducerFunction fn, std::vector<Expr> args,
                   std::string name, std::shared_ptr<void> front_object) {
  auto node = std::make_shared<ExprNode>();
  node->op = ExprOp::kReducer;
  node->reducer = ReducerKind::kStatefulMany;
  node->args = std::move(args);
  node->type = result_type;
  node->name = std::move(name);
  node->stateful_function = std::move(fn);
  node->front_object = std::move(front_object);
  return Expr(std::move(node));
}
}  // namespace reducers

}  // namespace vigil
