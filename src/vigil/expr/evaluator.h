#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "vigil/batch/batch.h"
#include "vigil/expr/bound_expr.h"

namespace vigil {

/// Evaluates one bound expression over whole batches (vectorized: each node runs one tight
/// loop over all rows, dispatching on the operator once per batch, not per row).
///
/// Owned by one operator instance (one thread). Keeps a scratch vector per node, so steady
/// state evaluation does not allocate. Values it returns are valid until the next Evaluate
/// call and as long as the input batch and `arena` live.
class ExprEvaluator {
 public:
  explicit ExprEvaluator(const BoundExpr& expr);

  /// The value of the expression for every row of `batch`. New strings/tuples go to `arena`.
  /// A plain column reference returns the batch's own column (no copy).
  const std::vector<Value>& Evaluate(const Batch& batch, ValueArena& arena);

  /// Runtime errors (division by zero, failed casts) since the last call, as messages; the
  /// values themselves became Error. The owning operator reports them.
  std::vector<std::string>& errors() { return errors_; }
  const DType& type() const { return root_.expr->type; }

 private:
  struct Node {
    const BoundExpr* expr;
    std::vector<Node> children;
    std::vector<Value> scratch;
    std::vector<Value> row_args;  // For apply/make_tuple: one row's arguments.
    // Batched apply: the argument columns handed to the function, and, when some rows hold
    // an Error argument, the other rows gathered (their indices in `passed_rows`).
    std::vector<std::span<const Value>> arg_columns;
    std::vector<std::vector<Value>> gathered;
    std::vector<uint32_t> passed_rows;
    std::vector<Value> passed_out;
  };
  void EvalBatchedApply(Node& node, const std::vector<const std::vector<Value>*>& args,
                        size_t n, std::vector<Value>& out, ValueArena& arena);
  static Node Build(const BoundExpr& expr);
  const std::vector<Value>& Eval(Node& node, const Batch& batch, ValueArena& arena);
  /// Records a runtime error of row `row`. Evaluate() reports it (moves it to errors_) only
  /// if that row's final value is Error, so failures that if_else, &, | or fill_error
  /// discard are never reported (Pathway evaluates those lazily).
  void AddError(size_t row, std::string message);
  static bool IsBinary(ExprOp op);
  void EvalBinaryWithConstant(ExprOp op, const std::vector<Value>& a, const Value& constant,
                              std::vector<Value>& out, ValueArena& arena);

  Node root_;
  std::vector<std::string> errors_;
  std::vector<std::pair<size_t, std::string>> row_errors_;
};

/// Applies a binary operator to two values, with Python semantics (floor division, modulo
/// sign of the divisor, true division to float, None and Error propagation).
/// `error` receives a message when the result is an Error produced here.
Value ApplyBinary(ExprOp op, const Value& a, const Value& b, ValueArena& arena,
                  std::string* error);

/// Casts `v` to `type` (int<->float, bool->number, number->bool, anything->str, str->number).
Value CastValue(const Value& v, DType type, ValueArena& arena, std::string* error);

}  // namespace vigil
