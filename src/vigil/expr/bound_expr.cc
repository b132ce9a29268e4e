#include "vigil/expr/bound_expr.h"

namespace vigil {

const char* ExprOpName(ExprOp op) {
  switch (op) {
    case ExprOp::kColumn: return "column";
    case ExprOp::kId: return "id";
    case ExprOp::kLiteral: return "literal";
    case ExprOp::kNeg: return "unary -";
    case ExprOp::kNot: return "~";
    case ExprOp::kAdd: return "+";
    case ExprOp::kSub: return "-";
    case ExprOp::kMul: return "*";
    case ExprOp::kTrueDiv: return "/";
    case ExprOp::kFloorDiv: return "//";
    case ExprOp::kMod: return "%";
    case ExprOp::kPow: return "**";
    case ExprOp::kEq: return "==";
    case ExprOp::kNe: return "!=";
    case ExprOp::kLt: return "<";
    case ExprOp::kLe: return "<=";
    case ExprOp::kGt: return ">";
    case ExprOp::kGe: return ">=";
    case ExprOp::kAnd: return "&";
    case ExprOp::kOr: return "|";
    case ExprOp::kXor: return "^";
    case ExprOp::kIfElse: return "if_else";
    case ExprOp::kIsNone: return "is_none";
    case ExprOp::kIsNotNone: return "is_not_none";
    case ExprOp::kCoalesce: return "coalesce";
    case ExprOp::kCast: return "cast";
    case ExprOp::kApply: return "apply";
    case ExprOp::kFillError: return "fill_error";
    case ExprOp::kMakeTuple: return "make_tuple";
    case ExprOp::kReducer: return "reducer";
  }
  return "?";
}

namespace {

bool IsKind(DType t, TypeKind k) { return t.kind == k; }
bool IsAny(DType t) { return t.kind == TypeKind::kAny; }

bool IsOrdering(ExprOp op) {
  return op == ExprOp::kLt || op == ExprOp::kLe || op == ExprOp::kGt || op == ExprOp::kGe;
}

/// The type of a comparison. `==` and `!=` compare None as a value and always give a bool;
/// `<`, `<=`, `>`, `>=` give None when an operand is None, so they are Optional[bool] when an
/// operand may be None. (Pathway refuses to order an Optional; vigil lets None propagate
/// through ordering as it does through arithmetic.)
DType ComparisonType(ExprOp op, bool operand_may_be_none) {
  return DType(TypeKind::kBool, operand_may_be_none && IsOrdering(op));
}

Status Unsupported(ExprOp op, DType l, DType r) {
  return Status::TypeError("unsupported operand types for {}: '{}' and '{}'", ExprOpName(op),
                           l.ToString(), r.ToString());
}

}  // namespace

Result<DType> BinaryResultType(ExprOp op, DType l, DType r) {
  const bool optional = l.optional || r.optional;
  auto result = [&](TypeKind k) { return DType(k, optional); };
  // None literals and Any: the operation is checked per value at run time.
  if (IsAny(l) || IsAny(r) || l.kind == TypeKind::kNone || r.kind == TypeKind::kNone) {
    switch (op) {
      case ExprOp::kEq: case ExprOp::kNe: case ExprOp::kLt: case ExprOp::kLe:
      case ExprOp::kGt: case ExprOp::kGe:
        // A None literal, or an Any value that is None, makes an ordering None.
        return ComparisonType(op, /*operand_may_be_none=*/true);
      default: {
        DType other = (IsAny(l) || l.kind == TypeKind::kNone) ? r : l;
        if (IsAny(other) || other.kind == TypeKind::kNone) return DType(TypeKind::kAny, true);
        return Result<DType>(DType(TypeKind::kAny, true));
      }
    }
  }
  const bool numeric = l.IsNumeric() && r.IsNumeric();
  const bool both_int = IsKind(l, TypeKind::kInt) && IsKind(r, TypeKind::kInt);
  switch (op) {
    case ExprOp::kAdd:
      if (numeric) return result(both_int ? TypeKind::kInt : TypeKind::kFloat);
      if (IsKind(l, TypeKind::kString) && IsKind(r, TypeKind::kString)) {
        return result(TypeKind::kString);
      }
      if (IsKind(l, TypeKind::kDuration) && IsKind(r, TypeKind::kDuration)) {
        return result(TypeKind::kDuration);
      }
      if (l.IsTimestamp() && IsKind(r, TypeKind::kDuration)) return result(l.kind);
      if (IsKind(l, TypeKind::kDuration) && r.IsTimestamp()) return result(r.kind);
      return Unsupported(op, l, r);
    case ExprOp::kSub:
      if (numeric) return result(both_int ? TypeKind::kInt : TypeKind::kFloat);
      if (IsKind(l, TypeKind::kDuration) && IsKind(r, TypeKind::kDuration)) {
        return result(TypeKind::kDuration);
      }
      if (l.IsTimestamp() && IsKind(r, TypeKind::kDuration)) return result(l.kind);
      if (l.IsTimestamp() && l.kind == r.kind) return result(TypeKind::kDuration);
      return Unsupported(op, l, r);
    case ExprOp::kMul:
      if (numeric) return result(both_int ? TypeKind::kInt : TypeKind::kFloat);
      if (IsKind(l, TypeKind::kDuration) && IsKind(r, TypeKind::kInt)) {
        return result(TypeKind::kDuration);
      }
      if (IsKind(l, TypeKind::kInt) && IsKind(r, TypeKind::kDuration)) {
        return result(TypeKind::kDuration);
      }
      return Unsupported(op, l, r);
    case ExprOp::kTrueDiv:
      if (numeric) return result(TypeKind::kFloat);
      if (IsKind(l, TypeKind::kDuration) && IsKind(r, TypeKind::kDuration)) {
        return result(TypeKind::kFloat);
      }
      return Unsupported(op, l, r);
    case ExprOp::kPow:
      // int ** int is an int, as in Pathway ((pow, INT, INT) -> INT); a negative exponent
      // makes the row an Error at run time (ApplyBinary), never a float in an int column.
      if (numeric) return result(both_int ? TypeKind::kInt : TypeKind::kFloat);
      return Unsupported(op, l, r);
    case ExprOp::kFloorDiv:
    case ExprOp::kMod:
      if (numeric) return result(both_int ? TypeKind::kInt : TypeKind::kFloat);
      if (IsKind(l, TypeKind::kDuration) && IsKind(r, TypeKind::kDuration)) {
        return result(op == ExprOp::kFloorDiv ? TypeKind::kInt : TypeKind::kDuration);
      }
      return Unsupported(op, l, r);
    case ExprOp::kEq: case ExprOp::kNe: case ExprOp::kLt: case ExprOp::kLe:
    case ExprOp::kGt: case ExprOp::kGe:
      if (numeric || l.kind == r.kind) return ComparisonType(op, optional);
      return Status::TypeError("cannot compare '{}' with '{}' using {}", l.ToString(),
                               r.ToString(), ExprOpName(op));
    case ExprOp::kAnd: case ExprOp::kOr: case ExprOp::kXor:
      if (IsKind(l, TypeKind::kBool) && IsKind(r, TypeKind::kBool)) return result(TypeKind::kBool);
      if (both_int) return result(TypeKind::kInt);
      return Unsupported(op, l, r);
    default: return Status::Invalid("{} is not a binary operator", ExprOpName(op));
  }
}

namespace {

Result<BoundExpr> BindNode(const std::shared_ptr<const ExprNode>& node, const Schema& schema,
                           const BindOptions& options) {
  BoundExpr out;
  out.op = node->op;
  out.source = node;
  for (const Expr& arg : node->args) {
    if (node->op == ExprOp::kReducer) break;
    ASSIGN_OR_RAISE(BoundExpr bound, BindNode(arg.node_ptr(), schema, options));
    out.args.push_back(std::move(bound));
  }
  auto arg_type = [&](size_t i) { return out.args[i].type; };
  if ((node->op == ExprOp::kColumn || node->op == ExprOp::kId) &&
      node->side != ColumnSide::kThis) {
    // Joins resolve left[...] / right[...] themselves (ops/join/join_planner) before binding.
    return Status::Invalid("{}: {}{} reads a side of a join; use it only in join(...) "
                           "conditions and in the select() of a join",
                           options.context, node->side == ColumnSide::kLeft ? "left" : "right",
                           node->op == ExprOp::kId ? ".id()" : "[\"" + node->name + "\"]");
  }
  if ((node->op == ExprOp::kColumn || node->op == ExprOp::kId) && node->table != nullptr &&
      node->table != options.bound_table && options.check_table_reference) {
    RETURN_NOT_OK(options.check_table_reference(*node));
  }
  switch (node->op) {
    case ExprOp::kColumn: {
      auto index = schema.Find(node->name);
      if (!index) {
        return Status::NotFound("{}: no column '{}'; the table has columns [{}]",
                                options.context, node->name, [&] {
                                  std::string names;
                                  for (const auto& c : schema.columns()) {
                                    if (c.name.rfind("__", 0) == 0) continue;  // Internal.
                                    if (!names.empty()) names += ", ";
                                    names += c.name;
                                  }
                                  return names;
                                }());
      }
      out.column = *index;
      out.type = schema[*index].type;
      return out;
    }
    case ExprOp::kId:
      out.type = dtype::Pointer;
      if (options.id_column) {
        out.id_from_column = true;
        out.column = *options.id_column;
      }
      return out;
    case ExprOp::kLiteral: {
      const Value& v = node->literal.get();
      switch (v.kind()) {
        case ValueKind::kNone: out.type = dtype::NoneType; break;
        case ValueKind::kBool: out.type = dtype::Bool; break;
        case ValueKind::kInt: out.type = dtype::Int; break;
        case ValueKind::kFloat: out.type = dtype::Float; break;
        case ValueKind::kString: out.type = dtype::Str; break;
        case ValueKind::kPointer: out.type = dtype::Pointer; break;
        case ValueKind::kTuple: out.type = dtype::Tuple; break;
        case ValueKind::kDateTimeNaive: out.type = dtype::DateTimeNaive; break;
        case ValueKind::kDateTimeUtc: out.type = dtype::DateTimeUtc; break;
        case ValueKind::kDuration: out.type = dtype::Duration; break;
        case ValueKind::kError: out.type = dtype::Any; break;
      }
      return out;
    }
    case ExprOp::kNeg: {
      DType t = arg_type(0);
      if (!t.IsNumeric() && t.kind != TypeKind::kDuration && !IsAny(t)) {
        return Status::TypeError("{}: bad operand type for unary -: '{}'", options.context,
                                 t.ToString());
      }
      out.type = t;
      return out;
    }
    case ExprOp::kNot: {
      DType t = arg_type(0);
      if (t.kind != TypeKind::kBool && t.kind != TypeKind::kInt && !IsAny(t)) {
        return Status::TypeError("{}: bad operand type for ~: '{}' (expected bool)",
                                 options.context, t.ToString());
      }
      out.type = t;
      return out;
    }
    case ExprOp::kAdd: case ExprOp::kSub: case ExprOp::kMul: case ExprOp::kTrueDiv:
    case ExprOp::kFloorDiv: case ExprOp::kMod: case ExprOp::kEq: case ExprOp::kNe:
    case ExprOp::kLt: case ExprOp::kLe: case ExprOp::kGt: case ExprOp::kGe:
    case ExprOp::kAnd: case ExprOp::kOr: case ExprOp::kXor: case ExprOp::kPow: {
      auto type = BinaryResultType(node->op, arg_type(0), arg_type(1));
      if (!type.ok()) {
        return Status(type.status().code(), options.context + ": " + type.status().message());
      }
      out.type = *type;
      return out;
    }
    case ExprOp::kIfElse:
      if (arg_type(0).kind != TypeKind::kBool && !IsAny(arg_type(0))) {
        return Status::TypeError("{}: if_else condition must be bool, got '{}'", options.context,
                                 arg_type(0).ToString());
      }
      out.type = UnifyTypes(arg_type(1), arg_type(2));
      if (arg_type(0).optional) out.type = out.type.AsOptional();
      return out;
    case ExprOp::kIsNone:
    case ExprOp::kIsNotNone:
      out.type = dtype::Bool;
      return out;
    case ExprOp::kCoalesce: {
      if (out.args.empty()) return Status::Invalid("{}: coalesce needs arguments", options.context);
      DType t = arg_type(0);
      bool all_optional = t.optional;
      for (size_t i = 1; i < out.args.size(); ++i) {
        t = UnifyTypes(t, arg_type(i));
        all_optional = all_optional && arg_type(i).optional;
      }
      t.optional = all_optional;
      out.type = t;
      return out;
    }
    case ExprOp::kCast:
      out.type = DType(node->type.kind, node->type.optional || arg_type(0).optional);
      return out;
    case ExprOp::kApply:
      out.type = node->type_of_first_arg && !out.args.empty() ? arg_type(0) : node->type;
      return out;
    case ExprOp::kFillError:
      out.type = UnifyTypes(arg_type(0), arg_type(1));
      return out;
    case ExprOp::kMakeTuple:
      out.type = dtype::Tuple;
      return out;
    case ExprOp::kReducer:
      return Status::Invalid("{}: reducer {}() can only be used inside reduce()", options.context,
                             ReducerName(node->reducer));
  }
  return Status::Invalid("unknown expression");
}

}  // namespace

bool ReadsRowId(const BoundExpr& expr) {
  if (expr.op == ExprOp::kId) return true;
  for (const auto& arg : expr.args) {
    if (ReadsRowId(arg)) return true;
  }
  return false;
}

std::optional<BoundExpr> SubstituteColumns(const BoundExpr& expr,
                                           const std::vector<BoundExpr>& columns) {
  if (expr.op == ExprOp::kId) return std::nullopt;
  if (expr.op == ExprOp::kColumn) {
    if (expr.column >= columns.size() || ReadsRowId(columns[expr.column])) return std::nullopt;
    return columns[expr.column];
  }
  BoundExpr out = expr;
  for (auto& arg : out.args) {
    auto replaced = SubstituteColumns(arg, columns);
    if (!replaced) return std::nullopt;
    arg = std::move(*replaced);
  }
  return out;
}

Result<BoundExpr> BindExpr(const Expr& expr, const Schema& schema, const BindOptions& options) {
  return BindNode(expr.node_ptr(), schema, options);
}

}  // namespace vigil
