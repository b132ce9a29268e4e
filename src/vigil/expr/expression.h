#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vigil/common/strong_types.h"
#include "vigil/types/dtype.h"
#include "vigil/types/value_arena.h"

namespace vigil {

/// Every node kind of the expression tree. The function catalogue (function_catalogue.h)
/// describes each one once: its name, arity and result-type rule.
enum class ExprOp : uint8_t {
  kColumn,    ///< A column of the input, by name.
  kId,        ///< The row id (`this_.id`), as a pointer.
  kLiteral,   ///< A constant.
  kNeg,       ///< Unary minus.
  kNot,       ///< Boolean not (`~`).
  kAdd, kSub, kMul, kTrueDiv, kFloorDiv, kMod, kPow,
  kEq, kNe, kLt, kLe, kGt, kGe,
  kAnd, kOr, kXor,
  kIfElse,     ///< if_else(cond, then, else).
  kIsNone, kIsNotNone,
  kCoalesce,   ///< First non-None argument.
  kCast,       ///< cast(type, expr): int<->float, bool->int, ...
  kApply,      ///< A user C++ function with a declared result type.
  kFillError,  ///< fill_error(expr, replacement): replace Error values.
  kMakeTuple,  ///< make_tuple(a, b, ...).
  kReducer,    ///< A reducer call; valid only inside reduce().
};

/// Reducers, grouped by how they retract (see ops/reduce/README.md).
enum class ReducerKind : uint8_t {
  kCount, kSum, kAvg,                          // accumulable: O(1) per diff
  kMin, kMax, kArgMin, kArgMax,                // ordered: multiset per group
  kCountDistinct, kAny, kUnique, kTuple, kSortedTuple, kEarliest, kLatest,  // general
  kStatefulMany,  // a user function folding each commit's changes into a state
};

const char* ReducerName(ReducerKind kind);

/// A user function for apply(): gets one row's argument values, returns the result value.
/// Strings or tuples it returns must live in `arena`, be static, or be (parts of) its
/// arguments, which stay valid while the batch is processed; never in the function's own
/// scratch memory.
using ApplyFunction = std::function<Value(std::span<const Value> args, ValueArena& arena)>;

/// A user function for apply_batched(): called once per batch with the argument columns
/// (`args[j][i]` is argument j of row i, every column `out.size()` long) and writes every
/// `out[i]`. For functions with a fixed cost per call (a Python UDF takes the interpreter
/// lock and converts values) this pays that cost once per batch instead of once per row.
/// Rows with an Error argument are never passed: their result is Error.
using BatchApplyFunction = std::function<void(std::span<const std::span<const Value>> args,
                                              std::span<Value> out, ValueArena& arena)>;

/// One change given to a stateful reducer (reducers::stateful_many): a row's argument values
/// and its diff (+1 inserted, -1 retracted; consolidated within the commit).
struct StatefulRow {
  std::span<const Value> values;
  Diff diff;
};
/// A stateful reducer's function: the group's state (None before the first call) and the
/// group's changes of one commit, to the new state, which is the reducer's result. Strings
/// or tuples it returns must live in `arena`. It may throw std::exception: the group's
/// result is then Error and the message an engine error.
using StatefulReducerFunction = std::function<Value(
    const Value& state, std::span<const StatefulRow> rows, ValueArena& arena)>;

struct ExprNode;
struct TableNode;

/// Which input of a join a column or id reference reads: Pathway's `pw.left` / `pw.right`.
/// Every other reference is kThis (the table the expression is used on).
enum class ColumnSide : uint8_t { kThis, kLeft, kRight };

/// An expression over the columns of a table, built with operators and functions that read
/// like Pathway's Python: `this_["a"] + 1 > this_["b"]`, `if_else(c, x, y)`, `~flag`.
/// Immutable and cheap to copy (a shared pointer to an immutable tree). Names are resolved
/// only when the expression is used on a table (graph/binder), so errors carry user names.
class Expr {
 public:
  Expr(int64_t v);       // NOLINT: literals convert implicitly, as in Python.
  Expr(int v);           // NOLINT
  Expr(double v);        // NOLINT
  Expr(bool v);          // NOLINT
  Expr(const char* v);   // NOLINT
  Expr(std::string v);   // NOLINT
  explicit Expr(std::shared_ptr<const ExprNode> node) : node_(std::move(node)) {}

  const ExprNode& node() const { return *node_; }
  const std::shared_ptr<const ExprNode>& node_ptr() const { return node_; }

  /// The column name when this is a plain column reference, else empty.
  const std::string& column_name() const;
  bool is_column() const;

 private:
  std::shared_ptr<const ExprNode> node_;
};

struct ExprNode {
  ExprOp op;
  std::string name;          ///< Column name (kColumn) or function name (kApply).
  StoredValue literal;       ///< kLiteral.
  std::vector<Expr> args;
  DType type;                ///< kCast target, kApply result type.
  ApplyFunction function;    ///< kApply (per row), unless batch_function is set.
  BatchApplyFunction batch_function;  ///< kApply (per batch).
  StatefulReducerFunction stateful_function;  ///< kReducer stateful_many (`type`: its result).
  ReducerKind reducer = ReducerKind::kCount;  ///< kReducer.
  bool skip_nones = false;   ///< tuple/sorted_tuple option.
  bool strict = false;       ///< sum(strict=True).
  bool has_id_argument = false;  ///< argmin/argmax with an explicit `id` expression.
  /// kApply: the result has the type of the first argument (`type` is ignored), for a
  /// function such as dt::floor that keeps a naive or UTC datetime as it is.
  bool type_of_first_arg = false;
  /// kColumn, kId: `left[...]` / `right[...]` inside a join (kThis elsewhere).
  ColumnSide side = ColumnSide::kThis;
  /// kColumn, kId: the table a reference was taken from (`table["x"]`, `table.id()`), as an
  /// identity that joins compare to their inputs to tell sides apart; never dereferenced.
  /// Null for `this_` and `col()`. Outside joins such a reference reads the current table.
  const void* table = nullptr;
  /// The same table, owned: a select may read a column of another table with the same rows
  /// through an id join (Table::select), for which it needs the table itself.
  std::shared_ptr<const TableNode> table_node;
  /// kApply, stateful_many: an object of a front that the function uses (the Python
  /// binding's callable),
  /// owned here and nowhere else, so that the front can find the objects a graph holds
  /// (graph/front_objects.h: Python's garbage collector must see them to collect cycles).
  std::shared_ptr<void> front_object;
};

Expr MakeExpr(ExprOp op, std::vector<Expr> args);

/// A reference to the current table's columns: `this_["name"]`, `this_.id`.
struct ThisRef {
  Expr operator[](const std::string& name) const;
  Expr id() const;
};
inline constexpr ThisRef this_{};

/// The left or right input inside `t.join(s, ...)` conditions and its `.select(...)`, as
/// Pathway's `pw.left` / `pw.right`: `left["a"] == right["b"]`, `right.id()`.
struct SideRef {
  ColumnSide side;
  Expr operator[](const std::string& name) const;
  Expr id() const;
};
namespace join_sides {
inline constexpr SideRef left{ColumnSide::kLeft};
inline constexpr SideRef right{ColumnSide::kRight};
}  // namespace join_sides
// `vigil::left` and `vigil::right` through a using-directive rather than as variables of
// `vigil` itself: code in namespace vigil can still name its locals `left` and `right`
// without -Wshadow warnings.
using namespace join_sides;  // NOLINT(google-build-using-namespace)

/// `col("name")`, the same as `this_["name"]`.
Expr col(const std::string& name);
/// A None literal.
Expr none();

Expr operator-(const Expr& a);
Expr operator~(const Expr& a);
Expr operator+(const Expr& a, const Expr& b);
Expr operator-(const Expr& a, const Expr& b);
Expr operator*(const Expr& a, const Expr& b);
/// True division: the result is always a float, as Python's `/`.
Expr operator/(const Expr& a, const Expr& b);
Expr operator%(const Expr& a, const Expr& b);
/// Floor division (Python's `//`), which C++ has no operator for.
Expr floordiv(const Expr& a, const Expr& b);
/// Power (Python's `**`): int ** int is an int (Pathway's type rule), a negative exponent
/// giving an Error value (no int result); with a float operand, a float. 0 to a negative
/// power is a division by zero (Error).
Expr pow(const Expr& a, const Expr& b);
Expr operator==(const Expr& a, const Expr& b);
Expr operator!=(const Expr& a, const Expr& b);
Expr operator<(const Expr& a, const Expr& b);
Expr operator<=(const Expr& a, const Expr& b);
Expr operator>(const Expr& a, const Expr& b);
Expr operator>=(const Expr& a, const Expr& b);
Expr operator&(const Expr& a, const Expr& b);
Expr operator|(const Expr& a, const Expr& b);
Expr operator^(const Expr& a, const Expr& b);

Expr if_else(const Expr& condition, const Expr& if_true, const Expr& if_false);
Expr is_none(const Expr& e);
Expr is_not_none(const Expr& e);
Expr coalesce(std::vector<Expr> args);
Expr cast(DType type, const Expr& e);
Expr fill_error(const Expr& e, const Expr& replacement);
Expr make_tuple(std::vector<Expr> args);
/// Pathway's `t.pointer_from(*args)`: the pointer Pathway's recipe gives these values (the id
/// a groupby on them gives its group, the id of a row whose primary key they are). With
/// `optional`, None when any value is None. An Error value gives Error.
Expr pointer_from(std::vector<Expr> args, bool optional = false);
/// Calls `fn` per row; `result_type` is what the function returns (Pathway's return_type).
Expr apply(DType result_type, ApplyFunction fn, std::vector<Expr> args,
           std::string name = "apply", std::shared_ptr<void> front_object = nullptr);
/// Called by an apply() function just before it returns Value::Error(): says why. The
/// evaluator reports `<function name>: <message>` as that row's runtime error (as for a
/// division by zero); an Error returned without a message is reported by nobody.
void SetApplyError(std::string message);
/// Called by a BatchApplyFunction for row `row` of its `out` that it sets to Error: says
/// why, as SetApplyError does for one row (the evaluator reports `<name>: <message>`).
void SetBatchApplyError(size_t row, std::string message);
/// apply() with a function called once per batch of rows (see BatchApplyFunction).
Expr apply_batched(DType result_type, BatchApplyFunction fn, std::vector<Expr> args,
                   std::string name = "apply", std::shared_ptr<void> front_object = nullptr);

/// Reducers for groupby(...).reduce(...) and windowby(...).reduce(...).
namespace reducers {
Expr count();
/// Sum; with `strict` a float sum is recomputed exactly from all values of the group whenever
/// it changes (Pathway's strict=True) instead of being updated incrementally.
Expr sum(const Expr& e, bool strict = false);
Expr avg(const Expr& e);
Expr min(const Expr& e);
Expr max(const Expr& e);
/// The id of the row with the smallest `e` (ties: smallest id). In windowby, input row ids.
Expr argmin(const Expr& e);
/// The `id_expr` value of the row with the smallest `e` (ties: smallest id_expr value).
Expr argmin(const Expr& e, const Expr& id_expr);
Expr argmax(const Expr& e);
Expr argmax(const Expr& e, const Expr& id_expr);
Expr count_distinct(std::vector<Expr> args = {});
/// A deterministic value from the group (the row with the smallest id XOR a fixed salt).
Expr any(const Expr& e);
/// The value if all rows agree; otherwise an Error value and an engine error is reported.
Expr unique(const Expr& e);
/// All values ordered by row id.
Expr tuple(const Expr& e, bool skip_nones = false);
Expr sorted_tuple(const Expr& e, bool skip_nones = false);
/// Value of the row inserted first (smallest processing time, ties: smallest row id).
Expr earliest(const Expr& e);
/// Value of the row inserted last (largest processing time, ties: largest row id).
Expr latest(const Expr& e);
/// Pathway's stateful_many: `fn` is called once per group and commit that changed it, with
/// the group's state and the commit's rows (the values of `args`, and their diffs); what it
/// returns is the new state and the result, of type `result_type`. Rows with an Error
/// argument are skipped, as by every reducer. The group's state starts over when its last
/// row goes.
Expr stateful_many(DType result_type, StatefulReducerFunction fn, std::vector<Expr> args,
                   std::string name = "stateful_many",
                   std::shared_ptr<void> front_object = nullptr);
}  // namespace reducers

}  // namespace vigil
