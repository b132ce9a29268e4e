#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vigil/common/status.h"
#include "vigil/expr/expression.h"
#include "vigil/types/schema.h"

namespace vigil {

/// An expression resolved against one input schema: column names became indices and every
/// node has its result type. Produced by BindExpr at graph-build time; evaluated by
/// ExprEvaluator over whole batches.
struct BoundExpr {
  ExprOp op = ExprOp::kLiteral;
  DType type;
  size_t column = 0;  ///< kColumn (and kId when the id is read from a column).
  bool id_from_column = false;
  std::vector<BoundExpr> args;
  /// The user's node: literal value, function, cast type, reducer options. Kept alive here.
  std::shared_ptr<const ExprNode> source;
};

struct BindOptions {
  /// Names the operation in error messages ("select", "filter", "reduce").
  std::string context = "expression";
  /// When set, `this_.id` reads this column (windowby rewrites ids to the original row ids).
  std::optional<size_t> id_column;
  /// The table node bound against (compared with ExprNode::table), and the check a column
  /// or id reference taken from another table (`t["x"]`, `t.id()`) must pass: such a
  /// reference is read by name here, which is right only when this table carries that
  /// table's column unchanged (see graph/table.cc, InheritsColumn).
  const void* bound_table = nullptr;
  std::function<Status(const ExprNode& reference)> check_table_reference;
};

/// Resolves `expr` against `schema`. Reducer calls are rejected here: reduce() extracts them
/// first (graph/reduce_planner). Errors name the user's columns and the operation.
Result<BoundExpr> BindExpr(const Expr& expr, const Schema& schema, const BindOptions& options);

/// `expr` with every column reference `c` replaced by `columns[c]` (the expressions a map
/// computes its columns with): rewrites an expression over a map's output into one over the
/// map's input, for pushing filters below maps. nullopt when `expr` reads the row id.
std::optional<BoundExpr> SubstituteColumns(const BoundExpr& expr,
                                           const std::vector<BoundExpr>& columns);
/// Whether `expr` reads the row id (this_.id) anywhere.
bool ReadsRowId(const BoundExpr& expr);

/// The result type of a binary operator on these operand types, or a TypeError.
Result<DType> BinaryResultType(ExprOp op, DType left, DType right);

/// `+`, `==`, `if_else`, ... for messages.
const char* ExprOpName(ExprOp op);

}  // namespace vigil
