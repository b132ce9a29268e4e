#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vigil/expr/expression.h"
#include "vigil/graph/table_node.h"
#include "vigil/graph/window.h"
#include "vigil/ops/join/join_planner.h"

namespace vigil {

/// An output column of select/with_columns/reduce: a name and an expression. A plain column
/// reference names itself: `select({this_["a"], {"b", this_["x"] + 1}})`.
struct NamedExpr {
  NamedExpr(const Expr& e) : name(e.column_name()), expr(e) {}  // NOLINT
  /// A column by name: `select({"a", "b"})` selects columns a and b. (Without these, that
  /// call compiled through std::vector's iterator-pair constructor: undefined behaviour.)
  NamedExpr(const char* column) : NamedExpr(std::string(column)) {}  // NOLINT
  NamedExpr(const std::string& column) : name(column), expr(this_[column]) {}  // NOLINT
  NamedExpr(std::string n, Expr e) : name(std::move(n)), expr(std::move(e)) {}
  NamedExpr(const char* n, Expr e) : name(n), expr(std::move(e)) {}
  std::string name;
  Expr expr;
};

class GroupedTable;
class JoinResult;

/// A table of the dataflow graph: a lazily computed multiset of rows with ids. Operations
/// read like Pathway's and return new tables; nothing runs until run() or a debug print.
///
/// Every operation validates at once (column names, types) and binds expressions. A failed
/// operation returns a table carrying the error (status()); tables derived from it carry it
/// too, and running any of them reports it, so a pipeline reads straight through without
/// error plumbing at every step.
class Table {
 public:
  explicit Table(NodePtr node) : node_(std::move(node)) {}

  const Schema& schema() const { return node_->schema; }
  const Status& status() const { return node_->status; }
  bool ok() const { return node_->status.ok(); }
  const NodePtr& node() const { return node_; }
  /// Warnings found while building this table (e.g. earliest/latest inside windowby).
  const std::vector<std::string>& warnings() const { return node_->warnings; }
  std::vector<std::string> column_names() const { return node_->schema.Names(); }
  /// A reference to one of this table's columns, as Pathway's `table.name`. Elsewhere the
  /// same as `this_[name]`; in a join it names this table's side.
  Expr operator[](const std::string& name) const;
  /// This table's row id, as Pathway's `table.id` (in a join: this table's side).
  Expr id() const;

  /// Exactly these columns.
  Table select(std::vector<NamedExpr> columns) const;
  /// All columns, with these added or replaced.
  Table with_columns(std::vector<NamedExpr> columns) const;
  /// All columns but these.
  Table without(const std::vector<std::string>& names) const;
  /// Renames columns: `rename({{"old", "new"}})`.
  Table rename(const std::vector<std::pair<std::string, std::string>>& renames) const;
  /// Rows whose predicate is True.
  Table filter(const Expr& predicate) const;
  /// Rows of both tables (ids must be disjoint, as in Pathway); columns matched by name.
  Table concat(const Table& other) const;
  /// Groups by the values of `keys`; follow with reduce().
  GroupedTable groupby(std::vector<Expr> keys) const;
  /// One row reducing the whole table (groupby with no keys).
  Table reduce(std::vector<NamedExpr> columns) const;
  /// Groups rows into windows of `time` (and `instance`); follow with reduce(), which can use
  /// `_pw_window`, `_pw_window_start`, `_pw_window_end`, `_pw_instance`. A `behavior`
  /// (temporal::common_behavior, temporal::exactly_once_behavior) delays results, ignores
  /// late rows and forgets finished windows, so state stays bounded over an endless stream.
  /// Session windows (temporal::session, temporal::session_predicate) ignore `behavior`, as
  /// in Pathway, and their `_pw_window` is the id of the session's earliest row.
  /// temporal::intervals_over windows are given by another table's rows; their reduce can
  /// use `_pw_window_location`, `_pw_window_start`, `_pw_window_end`, `_pw_instance`.
  GroupedTable windowby(const Expr& time, const Window& window,
                        std::optional<Expr> instance = std::nullopt,
                        std::optional<Behavior> behavior = std::nullopt) const;

  /// Drops the rows with `time + threshold <= now`, where "now" is the largest `time` of the
  /// earlier commits (Pathway's ignore_late).
  Table ignore_late(const Expr& time, TimeParam threshold) const;
  /// Holds every row until now >= `time + threshold`, "now" including the current commit;
  /// what is still held at end of input comes out at time 18446744073709551614 (Pathway's
  /// buffer).
  Table buffer(const Expr& time, TimeParam threshold) const;
  /// Passes rows through and retracts each one in the first commit after "now" reached
  /// `time + threshold`, "now" being the largest `time` of the earlier commits (Pathway's
  /// forget).
  Table forget(const Expr& time, TimeParam threshold) const;

  /// Joins with `other` on `on`, conditions ANDed, each `<left column> == <right column>`
  /// (`left["a"] == right["b"]`, or `t["a"] == s["b"]` with the tables' own references; ids
  /// too: `left.id() == right["ptr"]`); no condition joins every pair. Follow with
  /// select(...), whose expressions read `left[...]`, `right[...]`, the tables' own
  /// references, or `this_[...]` for a name of one side only (or joined with itself).
  /// Pathway's `join(other, *on, id=, how=, left_instance=, right_instance=)`; see
  /// JoinOptions. Rows whose key holds an Error never match (reported); None matches None.
  JoinResult join(const Table& other, std::vector<Expr> on = {}, JoinOptions options = {}) const;
  JoinResult join(const Table& other, const Expr& on, JoinOptions options = {}) const;
  JoinResult join_inner(const Table& other, std::vector<Expr> on = {},
                        JoinOptions options = {}) const;
  JoinResult join_inner(const Table& other, const Expr& on, JoinOptions options = {}) const;
  /// Also every left row without a match, with None for the right side's values.
  JoinResult join_left(const Table& other, std::vector<Expr> on = {},
                       JoinOptions options = {}) const;
  JoinResult join_left(const Table& other, const Expr& on, JoinOptions options = {}) const;
  /// Also every right row without a match, with None for the left side's values.
  JoinResult join_right(const Table& other, std::vector<Expr> on = {},
                        JoinOptions options = {}) const;
  JoinResult join_right(const Table& other, const Expr& on, JoinOptions options = {}) const;
  /// Also the rows of either side without a match, padded with None.
  JoinResult join_outer(const Table& other, std::vector<Expr> on = {},
                        JoinOptions options = {}) const;
  JoinResult join_outer(const Table& other, const Expr& on, JoinOptions options = {}) const;
  /// Pathway's `table.ix(pointer)`: for every row of `context`, the row of this table whose
  /// id is `pointer` (an expression over `context`, usually a pointer column): a table with
  /// `context`'s ids and this table's columns. A pointer naming no row gives None values with
  /// `optional`; otherwise Error values, reported as "key missing in output table: <id>".
  /// Incremental (a left join on the pointer keeping the context's ids).
  Table ix(const Expr& pointer, const Table& context, bool optional = false) const;

  /// One row per element of `column`'s value, a tuple (each element) or a string (each
  /// character), the other columns copied (Pathway's flatten); `origin_id`, if given, names
  /// a last column holding the original row's id. The flattened column's type becomes
  /// `any` (a string column stays `str`). Row ids hash (original id, position): stable,
  /// but not Pathway's. A row whose value is neither gives no row and is reported.
  Table flatten(const std::string& column,
                const std::optional<std::string>& origin_id = std::nullopt) const;

  // Operations on ids (Pathway's universes). Pathway checks at graph build that the ids of
  // the tables involved are related as each operation needs (a subset, ...); Vigil does not
  // track universes, so these work on whatever ids the tables have at run time. All are
  // incremental (joins on the row id: graph/table_id_sets.cc).

  /// The rows of this table whose id is also in `other` (Pathway's restrict; its requirement
  /// that `other`'s ids be a subset of this table's is not checked).
  Table restrict(const Table& other) const;
  /// The rows of this table whose id is in every one of `others`.
  Table intersect(const std::vector<Table>& others) const;
  /// The rows of this table whose id is not in `other`.
  Table difference(const Table& other) const;
  /// The rows of both tables, `other`'s row where both have an id (Pathway's update_rows):
  /// the tables have the same column names; types unify as in concat.
  Table update_rows(const Table& other) const;
  /// This table's rows, the columns `other` has (a subset of this table's, whose values fit
  /// them: the same type, or None in an optional column) taken from `other`'s row of the same id where there is one (Pathway's
  /// update_cells, `<<`). Rows of `other` with an id this table lacks are ignored (Pathway
  /// requires a subset).
  Table update_cells(const Table& other) const;

 private:
  static GroupedTable SessionWindowby(const NodePtr& input, BoundExpr bound_time,
                                      const Window& window, const std::optional<Expr>& instance);
  static GroupedTable IntervalsOverWindowby(const NodePtr& input, BoundExpr bound_time,
                                            const Window& window,
                                            const std::optional<Expr>& instance,
                                            const std::optional<Behavior>& behavior);
  GroupedTable WindowbyImpl(const Expr& time, const Window& window,
                            std::optional<Expr> instance, std::optional<Behavior> behavior) const;
  Table MapTo(std::string operation, std::vector<NamedExpr> columns) const;
  JoinResult JoinWith(const Table& other, std::vector<Expr> on, JoinOptions options) const;
  NodePtr node_;
};

/// The result of join(...), waiting for its select(). Result ids are Pathway's: hash of the
/// two row ids with the join key's shard bits (or the id chosen with JoinOptions::id).
class JoinResult {
 public:
  /// Output columns, as expressions over both sides; see Table::join. Columns of a side
  /// that can be padded (the right one of a left join, ...) are optional.
  Table select(std::vector<NamedExpr> columns) const;

 private:
  friend class Table;
  std::shared_ptr<const JoinPlan> plan_;
  Status status_;
};

/// The result of groupby/windowby, waiting for its reduce().
class GroupedTable {
 public:
  /// Output columns: grouping columns by name, reducers, and expressions over both.
  Table reduce(std::vector<NamedExpr> columns) const;

 private:
  friend class Table;
  NodePtr input_;  ///< The table whose rows are grouped (after window assignment).
  Status status_;
  std::vector<Expr> keys;
  std::vector<std::string> key_names;
  std::optional<size_t> shard_key;
  /// Extra names that refer to a key (windowby: the instance column's own name).
  std::vector<std::pair<std::string, size_t>> key_aliases;
  std::optional<size_t> id_column;  ///< windowby: argmin/argmax ids are original row ids.
  /// tuple() reducers order their values by this expression, ties by row id (Pathway's
  /// groupby sort_by; intervals_over sorts by time).
  std::optional<Expr> sort_by;
  std::string operation;
  /// Passed on to the reduced table's warnings() (e.g. the window's).
  std::vector<std::string> warnings;
};

}  // namespace vigil
