#include "vigil/graph/table.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "vigil/common/saturating.h"
#include "vigil/graph/table_errors.h"
#include "vigil/types/datetime.h"

namespace vigil {

NodePtr ErrorNode(Status status) {
  auto node = std::make_shared<TableNode>();
  node->status = std::move(status);
  return node;
}

namespace {

using table_errors::CheckNoInternalNameClash;
using table_errors::Failed;
using table_errors::WithOperation;


}  // namespace

namespace {

/// Whether column `name` (the row id when `name` is null) of `current` holds, row for row,
/// what the same column of the table node `referenced` holds: `current` is `referenced`, or
/// derives from it through operations that keep each row's values (filter, the temporal
/// operators, window assignment) and pass the column through unchanged (a select or
/// with_columns of the plain column under its own name). A reference `t["x"]` is bound by
/// name on the table it is used on, so only then does it read t's values; otherwise it
/// would silently read another column that happens to share the name.
bool InheritsColumn(const TableNode* current, const void* referenced, const std::string* name) {
  while (current != nullptr) {
    if (current == referenced) return true;
    switch (current->kind) {
      case NodeKind::kFilter:
      case NodeKind::kCutoff:
      case NodeKind::kDelay:
      case NodeKind::kForget:
      case NodeKind::kGrowthGate:
      case NodeKind::kWindowAssign:
      case NodeKind::kSessionAssign:
      case NodeKind::kIntervalsOverAssign:
        current = current->inputs[0].get();
        break;
      case NodeKind::kMap: {
        if (name != nullptr) {
          auto index = current->schema.Find(*name);
          if (!index) return false;
          const BoundExpr& e = current->exprs[*index];
          if (e.op != ExprOp::kColumn || current->inputs[0]->schema[e.column].name != *name) {
            return false;
          }
        }
        current = current->inputs[0].get();
        break;
      }
      default: return false;
    }
  }
  return false;
}

/// BindOptions for expressions used on `table`: references taken from other tables must be
/// columns `table` inherits unchanged (InheritsColumn); anything else is an error instead of
/// a silently wrong column.
BindOptions BindingOn(const NodePtr& table, std::string context) {
  BindOptions options;
  options.context = context;
  options.bound_table = table.get();
  const TableNode* current = table.get();
  options.check_table_reference = [current, context](const ExprNode& reference) -> Status {
    const std::string* name = reference.op == ExprOp::kColumn ? &reference.name : nullptr;
    if (InheritsColumn(current, reference.table, name)) return Status::OK();
    std::string what = name != nullptr ? fmt::format("column '{}'", *name) : "id";
    return Status::Invalid(
        "{}: the {} of another table is read here, but this table does not carry it "
        "unchanged (it is not derived from that table by filters and selects that keep the "
        "column); Vigil reads other tables' columns only through a join: "
        "this.join(other, this.id() == other.id()).select(...)",
        context, what);
  };
  return options;
}

}  // namespace

namespace {

/// Adds to `out` the tables whose columns or ids `e` reads although `current` does not carry
/// them unchanged (InheritsColumn).
void CollectForeignTables(const Expr& e, const TableNode* current,
                          std::vector<std::shared_ptr<const TableNode>>& out) {
  const ExprNode& n = e.node();
  if ((n.op == ExprOp::kColumn || n.op == ExprOp::kId) && n.table != nullptr &&
      n.side == ColumnSide::kThis && n.table_node != nullptr &&
      !InheritsColumn(current, n.table, n.op == ExprOp::kColumn ? &n.name : nullptr)) {
    if (std::find(out.begin(), out.end(), n.table_node) == out.end()) out.push_back(n.table_node);
  }
  for (const Expr& a : n.args) CollectForeignTables(a, current, out);
}

/// Whether every row id of `current` is a row id of `other` at all times: `other` has the
/// rows of some table A (selects and with_columns of it, or Pathway's `ix` with A as
/// context: a left join keeping A's ids), and `current` has A's rows or some of them
/// (selects and filters of it).
bool HasRowsOf(const TableNode* other, const TableNode* current) {
  std::vector<const TableNode*> same_rows;
  for (const TableNode* n = other; n != nullptr;) {
    same_rows.push_back(n);
    const bool keeps_rows =
        n->kind == NodeKind::kMap ||
        (n->kind == NodeKind::kJoin && n->join.mode == JoinMode::kLeft &&
         n->join.id_source == JoinIdSource::kLeft);
    n = keeps_rows ? n->inputs[0].get() : nullptr;
  }
  for (const TableNode* n = current; n != nullptr;) {
    if (std::find(same_rows.begin(), same_rows.end(), n) != same_rows.end()) return true;
    n = n->kind == NodeKind::kMap || n->kind == NodeKind::kFilter ? n->inputs[0].get() : nullptr;
  }
  return false;
}

/// `e` with every reference that reads the current table (`this_`, or a table it inherits
/// the column from) made an explicit reference to `current`, for the join's select, where
/// references are told apart by table.
Expr OnLeftSide(const Expr& e, const NodePtr& current, const TableNode* foreign) {
  const ExprNode& n = e.node();
  auto copy = std::make_shared<ExprNode>(n);
  if ((n.op == ExprOp::kColumn || n.op == ExprOp::kId) && n.side == ColumnSide::kThis &&
      n.table != foreign) {
    copy->table = current.get();
    copy->table_node = current;
  }
  for (Expr& a : copy->args) a = OnLeftSide(a, current, foreign);
  return Expr(std::move(copy));
}

}  // namespace

Table Table::MapTo(std::string operation, std::vector<NamedExpr> columns) const {
  if (!ok()) return *this;
  // Pathway reads a column of another table with the same rows (same universe, or a superset
  // of this table's rows) row by row: `t.select(x=t2.x)` with t2 = t.with_columns(...). The
  // operator sees only its input's columns, so such a select is a join on the row id keeping
  // this table's ids (one match per row), and its expressions read both sides.
  std::vector<std::shared_ptr<const TableNode>> foreign;
  for (const auto& c : columns) CollectForeignTables(c.expr, node_.get(), foreign);
  if (foreign.size() == 1 && HasRowsOf(foreign[0].get(), node_.get())) {
    const Table other(foreign[0]);
    JoinOptions options;
    options.id = id();
    std::vector<NamedExpr> on_both;
    for (const auto& c : columns) {
      on_both.emplace_back(c.name, OnLeftSide(c.expr, node_, foreign[0].get()));
    }
    return join(other, id() == other.id(), options).select(std::move(on_both));
  }
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kMap;
  node->operation = operation;
  node->inputs = {node_};
  BindOptions options = BindingOn(node_, operation);
  std::set<std::string> seen;
  for (auto& c : columns) {
    if (c.name.empty()) {
      return Failed(Status::Invalid(
          "{}: an expression that is not a plain column needs a name: {{\"name\", expr}}",
          operation));
    }
    if (!seen.insert(c.name).second) {
      return Failed(Status::Invalid("{}: column '{}' given twice", operation, c.name));
    }
    auto bound = BindExpr(c.expr, schema(), options);
    if (!bound.ok()) return Failed(WithOperation(operation, bound.status()));
    node->schema.Add(ColumnSchema{c.name, bound->type, false, std::nullopt});
    node->exprs.push_back(std::move(*bound));
  }
  return Table(std::move(node));
}

Table Table::select(std::vector<NamedExpr> columns) const {
  return MapTo("select", std::move(columns));
}

Table Table::with_columns(std::vector<NamedExpr> columns) const {
  if (!ok()) return *this;
  std::vector<NamedExpr> all;
  for (const auto& c : schema().columns()) all.emplace_back(col(c.name));
  for (auto& c : columns) {
    bool replaced = false;
    for (auto& existing : all) {
      if (existing.name == c.name) {
        existing.expr = c.expr;
        replaced = true;
      }
    }
    if (!replaced) all.push_back(std::move(c));
  }
  return MapTo("with_columns", std::move(all));
}

Table Table::without(const std::vector<std::string>& names) const {
  if (!ok()) return *this;
  for (const auto& n : names) {
    if (!schema().Find(n)) {
      return Failed(Status::NotFound("without: no column '{}'; the table has columns [{}]", n,
                                     fmt::join(schema().Names(), ", ")));
    }
  }
  std::vector<NamedExpr> kept;
  for (const auto& c : schema().columns()) {
    if (std::find(names.begin(), names.end(), c.name) == names.end()) kept.emplace_back(col(c.name));
  }
  return MapTo("without", std::move(kept));
}

Table Table::rename(const std::vector<std::pair<std::string, std::string>>& renames) const {
  if (!ok()) return *this;
  std::vector<NamedExpr> columns;
  for (const auto& c : schema().columns()) columns.emplace_back(col(c.name));
  for (const auto& [from, to] : renames) {
    auto index = schema().Find(from);
    if (!index) {
      return Failed(Status::NotFound("rename: no column '{}'; the table has columns [{}]", from,
                                     fmt::join(schema().Names(), ", ")));
    }
    columns[*index].name = to;
  }
  return MapTo("rename", std::move(columns));
}

Table Table::filter(const Expr& predicate) const {
  if (!ok()) return *this;
  BindOptions options = BindingOn(node_, "filter");
  auto bound = BindExpr(predicate, schema(), options);
  if (!bound.ok()) return Failed(WithOperation("filter", bound.status()));
  if (bound->type.kind != TypeKind::kBool && bound->type.kind != TypeKind::kAny) {
    return Failed(Status::TypeError("filter: the predicate must be bool, got {}",
                                    bound->type.ToString()));
  }
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kFilter;
  node->operation = "filter";
  node->inputs = {node_};
  node->schema = schema();
  node->exprs.push_back(std::move(*bound));
  return Table(std::move(node));
}

Table Table::flatten(const std::string& column,
                     const std::optional<std::string>& origin_id) const {
  if (!ok()) return *this;
  const auto index = schema().Find(column);
  if (!index) {
    return Failed(Status::NotFound("flatten: no column '{}'; the table has columns [{}]",
                                   column, fmt::join(column_names(), ", ")));
  }
  const DType type = schema()[*index].type;
  if (type.kind != TypeKind::kTuple && type.kind != TypeKind::kString &&
      type.kind != TypeKind::kAny) {
    return Failed(Status::TypeError(
        "flatten: column '{}' is {}; a tuple or a string column can be flattened", column,
        type.ToString()));
  }
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kFlatten;
  node->operation = "flatten";
  node->inputs = {node_};
  node->flatten_column = *index;
  std::vector<ColumnSchema> columns = schema().columns();
  // A tuple's elements are of any type (tuple element types are not tracked); a string's
  // characters are strings. An optional column's None gives no row (reported).
  columns[*index].type = type.kind == TypeKind::kString ? DType(TypeKind::kString) : dtype::Any;
  if (origin_id) {
    if (schema().Find(*origin_id)) {
      return Failed(Status::Invalid("flatten: origin_id '{}' is already a column", *origin_id));
    }
    columns.push_back(ColumnSchema{*origin_id, DType(TypeKind::kPointer)});
    node->flatten_origin_id = true;
  }
  node->schema = Schema(std::move(columns));
  return Table(std::move(node));
}

Table Table::concat(const Table& other) const {
  if (!ok()) return *this;
  if (!other.ok()) return other;
  // An int column concatenated with a float one is a float column (UnifyTypes); its int
  // values are cast first, so the values agree with the type (Pathway casts every input to
  // the common schema).
  std::vector<NamedExpr> left_casts, right_casts;
  for (const auto& column : schema().columns()) {
    auto j = other.schema().Find(column.name);
    if (!j) continue;  // reported below
    const DType theirs = other.schema()[*j].type;
    const DType merged = UnifyTypes(column.type, theirs);
    if (merged.kind != TypeKind::kFloat) continue;
    if (column.type.kind == TypeKind::kInt) {
      left_casts.emplace_back(column.name, cast(DType(TypeKind::kFloat, column.type.optional),
                                                this_[column.name]));
    }
    if (theirs.kind == TypeKind::kInt) {
      right_casts.emplace_back(column.name,
                               cast(DType(TypeKind::kFloat, theirs.optional), this_[column.name]));
    }
  }
  if (!left_casts.empty() || !right_casts.empty()) {
    Table left_side = left_casts.empty() ? *this : with_columns(std::move(left_casts));
    Table right_side = right_casts.empty() ? other : other.with_columns(std::move(right_casts));
    return left_side.concat(right_side);
  }
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kConcat;
  node->operation = "concat";
  node->inputs = {node_, other.node_};
  node->schema = schema();
  if (other.schema().size() != schema().size()) {
    return Failed(Status::Invalid("concat: tables have different columns: [{}] and [{}]",
                                  fmt::join(schema().Names(), ", "),
                                  fmt::join(other.schema().Names(), ", ")));
  }
  std::vector<size_t> identity, mapped;
  for (size_t i = 0; i < schema().size(); ++i) {
    identity.push_back(i);
    auto j = other.schema().Find(schema()[i].name);
    if (!j) {
      return Failed(Status::Invalid("concat: tables have different columns: [{}] and [{}]",
                                    fmt::join(schema().Names(), ", "),
                                    fmt::join(other.schema().Names(), ", ")));
    }
    mapped.push_back(*j);
    ColumnSchema merged = schema()[i];
    merged.type = UnifyTypes(schema()[i].type, other.schema()[*j].type);
    node->schema = [&] {
      Schema s;
      for (size_t k = 0; k < node->schema.size(); ++k) {
        s.Add(k == i ? merged : node->schema[k]);
      }
      return s;
    }();
  }
  node->concat_maps = {identity, mapped};
  return Table(std::move(node));
}

Table Table::reduce(std::vector<NamedExpr> columns) const {
  return groupby({}).reduce(std::move(columns));
}

namespace {

/// A string constant where a column is meant. `groupby({"ip"})`, `windowby(t, w, "ip")` and
/// `count_distinct({"user"})` compile (a C++ string converts to a constant expression, as a
/// Python str does in `pw.if_else(c, "a", "b")`), but group by, or count, the constant "ip":
/// every row in one group. Pathway cannot be written that way, so nobody means it; say
/// which column was meant instead of running it.
Status RejectStringConstant(const Expr& e, std::string_view where, const Schema& schema) {
  const ExprNode& n = e.node();
  if (n.op != ExprOp::kLiteral || n.literal.get().kind() != ValueKind::kString) {
    return Status::OK();
  }
  std::string_view text = n.literal.get().as_string();
  std::string hint = schema.Find(text)
                         ? fmt::format("the column is this_[\"{}\"]", text)
                         : fmt::format("a column is written this_[\"name\"]; columns: {}",
                                       fmt::join(schema.Names(), ", "));
  return Status::Invalid(
      "{}: \"{}\" is a string constant, not a column, and would put every row in one group "
      "(or count one value); {}",
      where, text, hint);
}

/// RejectStringConstant for the arguments of every reducer in `e`.
Status RejectStringConstantReducerArgs(const Expr& e, const Schema& schema) {
  const ExprNode& n = e.node();
  for (const Expr& arg : n.args) {
    if (n.op == ExprOp::kReducer) {
      RETURN_NOT_OK(RejectStringConstant(arg, fmt::format("reducer {}", ReducerName(n.reducer)),
                                         schema));
    }
    RETURN_NOT_OK(RejectStringConstantReducerArgs(arg, schema));
  }
  return Status::OK();
}

}  // namespace

GroupedTable Table::groupby(std::vector<Expr> keys) const {
  GroupedTable g;
  g.input_ = node_;
  g.status_ = status();
  g.operation = "groupby";
  for (const Expr& key : keys) {
    if (!g.status_.ok()) break;
    g.status_ = RejectStringConstant(key, "groupby key", schema());
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    g.key_names.push_back(keys[i].is_column() ? keys[i].column_name() : fmt::format("__key_{}", i));
  }
  g.keys = std::move(keys);
  return g;
}

namespace {

/// Checks the window parameters against the time column's type and fills the arithmetic.
Status ResolveWindow(const Window& window, DType time_type, WindowAssignSpec& spec) {
  RETURN_NOT_OK(window.status);
  std::vector<std::pair<std::string, Value>> params;
  params.emplace_back("window.hop", window.hop->value());
  if (window.kind == Window::Kind::kSliding && window.duration) {
    params.emplace_back("window.duration", window.duration->value());
  }
  if (window.origin) params.emplace_back("window.origin", window.origin->value());
  const TypeKind t = time_type.kind;
  bool numeric_time = t == TypeKind::kInt || t == TypeKind::kFloat;
  bool datetime_time = t == TypeKind::kDateTimeNaive || t == TypeKind::kDateTimeUtc;
  bool fits = numeric_time || datetime_time;
  for (const auto& [name, v] : params) {
    if (numeric_time) {
      fits = fits && v.is_numeric();
    } else if (datetime_time) {
      bool is_origin = name == "window.origin";
      ValueKind want = is_origin ? (t == TypeKind::kDateTimeNaive ? ValueKind::kDateTimeNaive
                                                                  : ValueKind::kDateTimeUtc)
                                 : ValueKind::kDuration;
      fits = fits && v.kind() == want;
    }
  }
  if (!fits) {
    std::string names = "time_expr", types = time_type.AsRequired().ToString();
    for (const auto& [name, v] : params) {
      names += ", " + name;
      types += std::string(", ") + TimeValueTypeName(v);
    }
    return Status::TypeError(
        "Arguments ({}) have to be of types (int | float, ...) or (DateTimeNaive, Duration, ..., "
        "DateTimeNaive) or (DateTimeUtc, Duration, ..., DateTimeUtc) but are of types ({})",
        names, types);
  }
  spec.origin_explicit = window.origin.has_value();
  spec.ratio = window.kind == Window::Kind::kTumbling ? std::optional<int64_t>(1) : window.ratio;
  if (datetime_time) {
    spec.bound_kind =
        t == TypeKind::kDateTimeNaive ? ValueKind::kDateTimeNaive : ValueKind::kDateTimeUtc;
    spec.hop = window.hop->value().as_timestamp();
    spec.duration = window.duration ? window.duration->value().as_timestamp() : 0;
    // Pathway's default origin for datetimes: 1973-01-01 00:00:00 (a Monday).
    spec.origin = window.origin ? window.origin->value().as_timestamp()
                                : DaysFromCivil(1973, 1, 1) * 86400 * kNanosPerSecond;
  } else {
    bool any_float = t == TypeKind::kFloat;
    for (const auto& [name, v] : params) any_float = any_float || v.kind() == ValueKind::kFloat;
    spec.float_arithmetic = any_float;
    spec.bound_kind = any_float ? ValueKind::kFloat : ValueKind::kInt;
    if (any_float) {
      spec.hop_f = window.hop->value().as_number();
      spec.duration_f = window.duration ? window.duration->value().as_number() : 0;
      spec.origin_f = window.origin ? window.origin->value().as_number() : 0.0;
    } else {
      spec.hop = window.hop->value().as_int();
      spec.duration = window.duration ? window.duration->value().as_int() : 0;
      spec.origin = window.origin ? window.origin->value().as_int() : 0;
    }
  }
  if (spec.ratio && window.kind == Window::Kind::kSliding) {
    // duration = ratio * hop. Only the float arithmetic reads it: integer windows given by a
    // ratio compute their end as origin + (k + ratio) * hop (in 128 bits), and the product
    // could overflow int64 here.
    spec.duration_f = spec.hop_f * static_cast<double>(*spec.ratio);
  }
  if (spec.float_arithmetic) {
    if (!std::isfinite(spec.hop_f) || !std::isfinite(spec.origin_f) ||
        !std::isfinite(spec.duration_f)) {
      return Status::Invalid("window hop, duration and origin must be finite");
    }
  }
  const bool positive =
      spec.float_arithmetic ? (spec.hop_f > 0 && spec.duration_f > 0)
                            : (spec.hop > 0 && (spec.ratio ? *spec.ratio > 0 : spec.duration > 0));
  if (!positive) return Status::Invalid("window hop and duration must be positive");
  if (window.kind == Window::Kind::kSliding) {
    RETURN_NOT_OK(CheckWindowsPerRow(
        window.hop->value(),
        window.duration ? std::optional<Value>(window.duration->value()) : std::nullopt,
        window.ratio));
  }
  // floor(duration / hop): at most kMaxWindowsPerRow now.
  if (spec.ratio) {
    spec.candidate_ratio = *spec.ratio;
  } else if (spec.float_arithmetic) {
    spec.candidate_ratio = static_cast<int64_t>(std::floor(spec.duration_f / spec.hop_f));
  } else {
    spec.candidate_ratio = spec.duration / spec.hop;  // Both positive: floor.
  }
  return Status::OK();
}

/// Checks interval parameters (behavior delay/cutoff/shift, a temporal threshold) against the
/// time column, as Pathway's check_joint_types does for windows: numbers for int and float
/// times (mixing allowed), durations for datetimes.
Status CheckIntervalTypes(DType time_type,
                          const std::vector<std::pair<std::string, Value>>& params) {
  const TypeKind t = time_type.kind;
  const bool numeric_time = t == TypeKind::kInt || t == TypeKind::kFloat;
  const bool datetime_time = t == TypeKind::kDateTimeNaive || t == TypeKind::kDateTimeUtc;
  bool fits = numeric_time || datetime_time;
  for (const auto& [name, v] : params) {
    fits = fits && (numeric_time ? v.is_numeric() : v.kind() == ValueKind::kDuration);
  }
  if (fits) return Status::OK();
  std::string names = "time_expr", types = time_type.AsRequired().ToString();
  for (const auto& [name, v] : params) {
    names += ", " + name;
    types += std::string(", ") + TimeValueTypeName(v);
  }
  return Status::TypeError(
      "Arguments ({}) have to be of types (int | float, ...) or (DateTimeNaive, Duration, ...) "
      "or (DateTimeUtc, Duration, ...) but are of types ({})",
      names, types);
}

/// a + b for two interval parameters of one time type (numbers or durations), saturating
/// (see common/saturating.h).
Value AddIntervals(const Value& a, const Value& b) {
  if (a.kind() == ValueKind::kFloat || b.kind() == ValueKind::kFloat) {
    return Value::Float(a.as_number() + b.as_number());
  }
  if (a.kind() == ValueKind::kDuration) {
    return Value::Duration(SaturatingAdd(a.as_timestamp(), b.as_timestamp()));
  }
  return Value::Int(SaturatingAdd(a.as_int(), b.as_int()));
}

/// An event-time column of a temporal operator, optionally shifted by an interval parameter.
struct TimeExprSpec {
  Expr expr;
  std::optional<Value> shift;
};

/// A temporal operator node (cutoff, delay, forget) over `input`, which it leaves unchanged.
/// `group_keys` (forget in windowby): forget whole windows, see TemporalSpec.
Result<std::shared_ptr<TableNode>> TemporalNode(NodeKind kind, const std::string& operation, const NodePtr& input,
                             const TimeExprSpec& threshold,
                             const std::vector<TimeExprSpec>& current_times,
                             const std::vector<Expr>& group_keys = {}, bool keep_results = true) {
  BindOptions options = BindingOn(input, operation);
  auto node = std::make_shared<TableNode>();
  node->kind = kind;
  node->operation = operation;
  node->inputs = {input};
  node->schema = input->schema;
  ASSIGN_OR_RAISE(node->temporal.threshold.expr, BindExpr(threshold.expr, input->schema, options));
  node->temporal.threshold.shift = threshold.shift;
  for (const TimeExprSpec& e : current_times) {
    ASSIGN_OR_RAISE(BoundExpr bound, BindExpr(e.expr, input->schema, options));
    node->temporal.current_times.push_back(TimeExpr{std::move(bound), e.shift});
  }
  for (const Expr& e : group_keys) {
    ASSIGN_OR_RAISE(BoundExpr bound, BindExpr(e, input->schema, options));
    node->temporal.group_keys.push_back(std::move(bound));
  }
  node->temporal.keep_results = keep_results;
  return node;
}

/// The delay and cutoff a behavior means for a tumbling/sliding window; exactly_once(shift)
/// is common_behavior(duration + shift, shift) (Pathway's _SlidingWindow._apply).
struct ResolvedBehavior {
  std::optional<Value> delay, cutoff;
  bool keep_results = true;
  Behavior::CutoffClock cutoff_clock = Behavior::CutoffClock::kPerCommit;
  std::optional<GrowthSteps> growth_steps;
  bool exactly_once = false;  ///< From exactly_once_behavior (TemporalSpec::exactly_once_window).
};

Result<ResolvedBehavior> ResolveBehavior(const Behavior& behavior, const Window& window,
                                         DType time_type) {
  RETURN_NOT_OK(behavior.status);
  ResolvedBehavior r;
  r.cutoff_clock = behavior.cutoff_clock;
  if (behavior.kind == Behavior::Kind::kCommon) {
    std::vector<std::pair<std::string, Value>> params;
    if (behavior.delay) params.emplace_back("behavior.delay", behavior.delay->value());
    if (behavior.cutoff) params.emplace_back("behavior.cutoff", behavior.cutoff->value());
    RETURN_NOT_OK(CheckIntervalTypes(time_type, params));
    if (behavior.delay) r.delay = behavior.delay->value();
    if (behavior.cutoff) r.cutoff = behavior.cutoff->value();
    r.keep_results = behavior.keep_results;
    if (behavior.growth_steps) {
      const GrowthSteps& g = *behavior.growth_steps;
      // Held changes are released when their window closes: without a cutoff a window
      // never closes, and its last changes would wait for the end of input.
      if (!behavior.cutoff) {
        return Status::Invalid(
            "behavior.growth_steps needs a cutoff (a window's held changes are released "
            "when it closes at end + cutoff)");
      }
      if (!(g.factor > 1.0) || !std::isfinite(g.factor) || g.min_rows < 1) {
        return Status::Invalid(
            "behavior.growth_steps: factor must be a finite number > 1 and min_rows >= 1, "
            "got factor {} and min_rows {}",
            g.factor, g.min_rows);
      }
      r.growth_steps = g;
    }
    return r;
  }
  if (behavior.growth_steps) {
    return Status::Invalid(
        "behavior.growth_steps is for common_behavior (exactly_once_behavior emits each "
        "window once)");
  }
  if (behavior.shift) {
    RETURN_NOT_OK(CheckIntervalTypes(time_type, {{"behavior.shift", behavior.shift->value()}}));
  }
  Value duration;
  if (window.duration) {
    duration = window.duration->value();
  } else {  // sliding(hop, ratio=r): duration = r * hop, saturating like the window's end.
    const Value& hop = window.hop->value();
    const int64_t ratio = window.ratio.value_or(1);
    duration = hop.kind() == ValueKind::kFloat
                   ? Value::Float(hop.as_float() * static_cast<double>(ratio))
               : hop.kind() == ValueKind::kDuration
                   ? Value::Duration(SaturatingMul(hop.as_timestamp(), ratio))
                   : Value::Int(SaturatingMul(hop.as_int(), ratio));
  }
  // No shift is a zero interval of the duration's type.
  const Value zero = duration.kind() == ValueKind::kFloat      ? Value::Float(0)
                     : duration.kind() == ValueKind::kDuration ? Value::Duration(0)
                                                               : Value::Int(0);
  const Value shift = behavior.shift ? behavior.shift->value() : zero;
  r.delay = AddIntervals(duration, shift);
  r.cutoff = shift;
  r.keep_results = true;
  r.exactly_once = true;
  return r;
}

/// Appends windowby's behavior operators after the window assignment `assigned`, in
/// Pathway's order (SEMANTICS.md §2.3): cutoff (ignore late pairs), delay (hold pairs until
/// now >= start + delay), forget (retract pairs once now >= end + cutoff). Returns the node the
/// groupby reads. Thresholds are the window bounds shifted (saturating) by the parameters.
Result<NodePtr> AddBehaviorNodes(const NodePtr& assigned, const Expr& time,
                                 const ResolvedBehavior& b) {
  NodePtr last = assigned;
  const Expr start = col("_pw_window_start"), end = col("_pw_window_end");
  if (b.cutoff) {
    ASSIGN_OR_RAISE(std::shared_ptr<TableNode> cutoff,
                    TemporalNode(NodeKind::kCutoff, "windowby", last, {end, *b.cutoff},
                                 {{time, std::nullopt}}));
    if (b.cutoff_clock == Behavior::CutoffClock::kReadingOrder) {
      // The (row, window) pairs of one input row share _pw_original_id.
      BindOptions options;
      options.context = "windowby";
      cutoff->temporal.reading_order = true;
      ASSIGN_OR_RAISE(cutoff->temporal.row_identity,
                      BindExpr(col("_pw_original_id"), cutoff->schema, options));
    }
    last = std::move(cutoff);
  }
  if (b.delay) {
    ASSIGN_OR_RAISE(std::shared_ptr<TableNode> delay,
                    TemporalNode(NodeKind::kDelay, "windowby", last, {start, *b.delay},
                                 {{time, std::nullopt}}));
    delay->temporal.exactly_once_window = b.exactly_once;
    last = std::move(delay);
  }
  if (b.growth_steps) {
    // Between delay and forget: it holds pairs cutoff let through and releases them no
    // later than the commit in which now reaches end + cutoff, before forget drops the window.
    std::vector<TimeExprSpec> current = {{time, std::nullopt}};
    if (b.delay) current.push_back({start, *b.delay});
    ASSIGN_OR_RAISE(std::shared_ptr<TableNode> gate,
                    TemporalNode(NodeKind::kGrowthGate, "windowby", last, {end, *b.cutoff},
                                 current, {start, end, col("_pw_instance")}));
    gate->temporal.growth = *b.growth_steps;
    last = std::move(gate);
  }
  if (b.cutoff) {
    // Pathway rewrites a released pair's time to max(t, start + delay) before forgetting,
    // and forget's "now" follows that time.
    std::vector<TimeExprSpec> current = {{time, std::nullopt}};
    if (b.delay) current.push_back({start, *b.delay});
    // A window is the group of (start, end, instance); all its pairs share end + cutoff, so
    // forget drops windows whole.
    ASSIGN_OR_RAISE(last, TemporalNode(NodeKind::kForget, "windowby", last, {end, *b.cutoff},
                                       current, {start, end, col("_pw_instance")},
                                       b.keep_results));
  }
  return last;
}

}  // namespace

/// Stores a failed status (prefixed with the operation) in the GroupedTable `g` and returns it.
#define RETURN_GROUPED_IF_ERROR(expr)                  \
  do {                                                 \
    Status _st = (expr);                               \
    if (!_st.ok()) {                                   \
      g.status_ = WithOperation("windowby", _st);      \
      return g;                                        \
    }                                                  \
  } while (false)

/// windowby with a session window: a kSessionAssign node (see SessionAssignOperator) grouped
/// by (_pw_window, start, end, instance), where _pw_window is the session's representative id.
GroupedTable Table::SessionWindowby(const NodePtr& input, BoundExpr bound_time,
                                    const Window& window, const std::optional<Expr>& instance) {
  GroupedTable g;
  g.operation = "windowby";
  RETURN_GROUPED_IF_ERROR(window.status);
  const TypeKind t = bound_time.type.kind;
  const bool numeric_time = t == TypeKind::kInt || t == TypeKind::kFloat;
  const bool datetime_time = t == TypeKind::kDateTimeNaive || t == TypeKind::kDateTimeUtc;
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kSessionAssign;
  node->operation = "windowby";
  node->inputs = {input};
  SessionAssignSpec& spec = node->session;
  if (window.max_gap) {
    const Value gap = window.max_gap->value();
    const bool fits = (numeric_time && gap.is_numeric()) ||
                      (datetime_time && gap.kind() == ValueKind::kDuration);
    if (!fits) {
      RETURN_GROUPED_IF_ERROR(Status::TypeError(
          "Arguments (time_expr, window.max_gap) have to be of types (int | float, int | float) "
          "or (DateTimeNaive, Duration) or (DateTimeUtc, Duration) but are of types ({}, {})",
          bound_time.type.AsRequired().ToString(), TimeValueTypeName(gap)));
    }
    spec.float_gap = t == TypeKind::kFloat || gap.kind() == ValueKind::kFloat;
    if (spec.float_gap) {
      spec.max_gap_f = gap.as_number();
    } else {
      spec.max_gap = gap.as_timestamp();  // Same bits as as_int() for ints.
    }
  } else if (!numeric_time && !datetime_time) {
    RETURN_GROUPED_IF_ERROR(Status::TypeError(
        "session windows need an int, float or datetime time column, got {}",
        bound_time.type.ToString()));
  } else {
    spec.predicate = window.predicate;
  }
  DType bound_type = bound_time.type.AsRequired();
  spec.time = std::move(bound_time);
  DType instance_type = dtype::NoneType;
  const Schema& in = input->schema;
  if (instance) {
    BindOptions options = BindingOn(input, "windowby");
    auto bound_instance = BindExpr(*instance, in, options);
    RETURN_GROUPED_IF_ERROR(bound_instance.status());
    instance_type = bound_instance->type;
    spec.instance = std::move(*bound_instance);
  }
  node->schema = in;
  node->schema.Add({"_pw_window_start", bound_type, false, std::nullopt});
  node->schema.Add({"_pw_window_end", bound_type, false, std::nullopt});
  node->schema.Add({"_pw_instance", instance_type, false, std::nullopt});
  node->schema.Add({"_pw_original_id", dtype::Pointer, false, std::nullopt});
  node->schema.Add({"_pw_window", dtype::Pointer, false, std::nullopt});
  g.input_ = node;
  g.keys = {col("_pw_window"), col("_pw_window_start"), col("_pw_window_end"),
            col("_pw_instance")};
  g.key_names = {"_pw_window", "_pw_window_start", "_pw_window_end", "_pw_instance"};
  if (instance) {
    g.shard_key = 3;
    if (instance->is_column()) g.key_aliases.emplace_back(instance->column_name(), 3);
  }
  g.id_column = in.size() + 3;
  return g;
}

/// windowby with intervals_over: a kIntervalsOverAssign node pairing the rows with the probes
/// (see IntervalsOverOperator), grouped by (_pw_window_location, start, end, instance) with
/// tuple() sorted by time, as Pathway's _IntervalsOverWindow._apply does.
GroupedTable Table::IntervalsOverWindowby(const NodePtr& input, BoundExpr bound_time,
                                          const Window& window,
                                          const std::optional<Expr>& instance,
                                          const std::optional<Behavior>& behavior) {
  GroupedTable g;
  g.operation = "windowby";
  RETURN_GROUPED_IF_ERROR(window.status);
  if (behavior) {
    RETURN_GROUPED_IF_ERROR(behavior->status);
    if (behavior->kind == Behavior::Kind::kExactlyOnce) {
      // Pathway's _IntervalsOverWindow._apply takes only a CommonBehavior, which it ignores.
      RETURN_GROUPED_IF_ERROR(Status::TypeError(
          "intervals_over windows do not take exactly_once_behavior (only common_behavior, "
          "which they ignore, as in Pathway)"));
    }
  }
  if (!window.at_table || !window.at || !window.lower_bound || !window.upper_bound) {
    RETURN_GROUPED_IF_ERROR(Status::Invalid(
        "intervals_over needs a probe table, `at`, lower_bound and upper_bound"));
  }
  BindOptions options = BindingOn(window.at_table, "windowby (intervals_over at)");
  auto bound_at = BindExpr(*window.at, window.at_table->schema, options);
  RETURN_GROUPED_IF_ERROR(bound_at.status());
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kIntervalsOverAssign;
  node->operation = "windowby";
  node->inputs = {input, window.at_table};
  IntervalsOverSpec& spec = node->intervals;
  auto bound_types =
      ResolveIntervalsOver(bound_time.type, bound_at->type, window.lower_bound->value(),
                           window.upper_bound->value(), spec);
  RETURN_GROUPED_IF_ERROR(bound_types.status());
  const Schema& in = input->schema;
  DType instance_type = dtype::NoneType;
  if (instance) {
    options = BindingOn(input, "windowby");
    auto bound_instance = BindExpr(*instance, in, options);
    RETURN_GROUPED_IF_ERROR(bound_instance.status());
    instance_type = bound_instance->type;
    spec.instance = std::move(*bound_instance);
  }
  const DType time_type = bound_time.type.AsRequired();
  const DType at_type = bound_at->type.AsRequired();
  spec.time = std::move(bound_time);
  spec.at = std::move(*bound_at);
  spec.is_outer = window.is_outer;
  // An outer window's row of Nones makes every column from the rows optional.
  auto from_rows = [&](DType t) { return window.is_outer ? t.AsOptional() : t; };
  for (const ColumnSchema& c : in.columns()) {
    ColumnSchema column = c;
    column.type = from_rows(c.type);
    node->schema.Add(column);
  }
  node->schema.Add({"_pw_window_location", at_type, false, std::nullopt});
  node->schema.Add({"_pw_window_start", bound_types->start, false, std::nullopt});
  node->schema.Add({"_pw_window_end", bound_types->end, false, std::nullopt});
  node->schema.Add({"_pw_instance", from_rows(instance_type), false, std::nullopt});
  node->schema.Add({"_pw_key", from_rows(time_type), false, std::nullopt});
  node->schema.Add({"_pw_original_id", from_rows(dtype::Pointer), false, std::nullopt});
  g.input_ = node;
  g.keys = {col("_pw_window_location"), col("_pw_window_start"), col("_pw_window_end"),
            col("_pw_instance")};
  g.key_names = {"_pw_window_location", "_pw_window_start", "_pw_window_end", "_pw_instance"};
  if (instance) {
    g.shard_key = 3;
    if (instance->is_column()) g.key_aliases.emplace_back(instance->column_name(), 3);
  }
  g.id_column = in.size() + 5;
  g.sort_by = col("_pw_key");
  return g;
}

#undef RETURN_GROUPED_IF_ERROR

GroupedTable Table::windowby(const Expr& time, const Window& window, std::optional<Expr> instance,
                             std::optional<Behavior> behavior) const {
  Status instance_status =
      instance ? RejectStringConstant(*instance, "windowby instance", schema()) : Status::OK();
  GroupedTable g = WindowbyImpl(time, window, std::move(instance), std::move(behavior));
  if (g.status_.ok() && !instance_status.ok()) g.status_ = std::move(instance_status);
  g.warnings.insert(g.warnings.end(), window.warnings.begin(), window.warnings.end());
  return g;
}

GroupedTable Table::WindowbyImpl(const Expr& time, const Window& window,
                                 std::optional<Expr> instance,
                                 std::optional<Behavior> behavior) const {
  GroupedTable g;
  g.operation = "windowby";
  g.status_ = status();
  if (!g.status_.ok()) return g;
  BindOptions options = BindingOn(node_, "windowby");
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kWindowAssign;
  node->operation = "windowby";
  node->inputs = {node_};
  auto bound_time = BindExpr(time, schema(), options);
  if (!bound_time.ok()) {
    g.status_ = WithOperation("windowby", bound_time.status());
    return g;
  }
  if (Status clash = CheckNoInternalNameClash(
          schema(),
          {"_pw_window", "_pw_window_start", "_pw_window_end", "_pw_instance", "_pw_original_id",
           "_pw_window_location", "_pw_key"},
          "windowby");
      !clash.ok()) {
    g.status_ = WithOperation("windowby", clash);
    return g;
  }
  if (window.kind == Window::Kind::kSession) {
    // Sessions ignore behaviors entirely, as Pathway's _SessionWindow._apply does.
    return SessionWindowby(node_, std::move(*bound_time), window, instance);
  }
  if (window.kind == Window::Kind::kIntervalsOver) {
    return IntervalsOverWindowby(node_, std::move(*bound_time), window, instance, behavior);
  }
  Status resolved = ResolveWindow(window, bound_time->type, node->window);
  if (!resolved.ok()) {
    g.status_ = WithOperation("windowby", resolved);
    return g;
  }
  std::optional<ResolvedBehavior> resolved_behavior;
  if (behavior) {
    auto r = ResolveBehavior(*behavior, window, bound_time->type);
    if (!r.ok()) {
      g.status_ = WithOperation("windowby", r.status());
      return g;
    }
    resolved_behavior = std::move(*r);
  }
  node->window.time = std::move(*bound_time);
  DType instance_type = dtype::NoneType;
  if (instance) {
    auto bound_instance = BindExpr(*instance, schema(), options);
    if (!bound_instance.ok()) {
      g.status_ = WithOperation("windowby", bound_instance.status());
      return g;
    }
    instance_type = bound_instance->type;
    node->window.instance = std::move(*bound_instance);
  }
  node->schema = schema();
  DType bound_type;
  switch (node->window.bound_kind) {
    case ValueKind::kFloat: bound_type = dtype::Float; break;
    case ValueKind::kDateTimeNaive: bound_type = dtype::DateTimeNaive; break;
    case ValueKind::kDateTimeUtc: bound_type = dtype::DateTimeUtc; break;
    default: bound_type = dtype::Int;
  }
  node->schema.Add({"_pw_window_start", bound_type, false, std::nullopt});
  node->schema.Add({"_pw_window_end", bound_type, false, std::nullopt});
  node->schema.Add({"_pw_instance", instance_type, false, std::nullopt});
  node->schema.Add({"_pw_original_id", dtype::Pointer, false, std::nullopt});
  const size_t n = schema().size();
  g.input_ = node;
  if (resolved_behavior) {
    auto last = AddBehaviorNodes(node, time, *resolved_behavior);
    if (!last.ok()) {
      g.status_ = WithOperation("windowby", last.status());
      return g;
    }
    g.input_ = std::move(*last);
  }
  // Group by (_pw_window, _pw_window_start, _pw_window_end, _pw_instance), as Pathway does;
  // _pw_window is the tuple (instance, start, end).
  g.keys = {make_tuple({col("_pw_instance"), col("_pw_window_start"), col("_pw_window_end")}),
            col("_pw_window_start"), col("_pw_window_end"), col("_pw_instance")};
  g.key_names = {"_pw_window", "_pw_window_start", "_pw_window_end", "_pw_instance"};
  if (instance) {
    g.shard_key = 3;
    if (instance->is_column()) g.key_aliases.emplace_back(instance->column_name(), 3);
  }
  g.id_column = n + 3;
  return g;
}

namespace {

/// ignore_late / buffer / forget on a plain table: threshold = time + `threshold`, "now"
/// follows `time`.
Table PlainTemporal(const Table& table, NodeKind kind, const std::string& operation,
                    const Expr& time, const TimeParam& threshold) {
  if (!table.ok()) return table;
  BindOptions options = BindingOn(table.node(), operation);
  auto bound_time = BindExpr(time, table.schema(), options);
  if (!bound_time.ok()) return Failed(WithOperation(operation, bound_time.status()));
  const TypeKind t = bound_time->type.kind;
  if (t != TypeKind::kInt && t != TypeKind::kFloat && t != TypeKind::kDateTimeNaive &&
      t != TypeKind::kDateTimeUtc) {
    return Failed(Status::TypeError("{}: the time column must be int, float or a datetime, got {}",
                                    operation, bound_time->type.ToString()));
  }
  Status types = CheckIntervalTypes(bound_time->type, {{"threshold", threshold.value()}});
  if (!types.ok()) return Failed(WithOperation(operation, types));
  auto node = TemporalNode(kind, operation, table.node(), {time, threshold.value()},
                           {{time, std::nullopt}});
  if (!node.ok()) return Failed(WithOperation(operation, node.status()));
  return Table(std::move(*node));
}

}  // namespace

Table Table::ignore_late(const Expr& time, TimeParam threshold) const {
  return PlainTemporal(*this, NodeKind::kCutoff, "ignore_late", time, threshold);
}

Table Table::buffer(const Expr& time, TimeParam threshold) const {
  return PlainTemporal(*this, NodeKind::kDelay, "buffer", time, threshold);
}

Table Table::forget(const Expr& time, TimeParam threshold) const {
  return PlainTemporal(*this, NodeKind::kForget, "forget", time, threshold);
}

namespace {

/// The prefix of the group row's reducer columns: `__reducer_`, with more leading
/// underscores while a grouping column's name starts with it, so a reducer's column can
/// never be confused with a key column a user happened to name `__reducer_0`.
std::string ReducerColumnPrefix(const std::vector<std::string>& key_names) {
  std::string prefix = "__reducer_";
  auto clashes = [&] {
    return std::any_of(key_names.begin(), key_names.end(),
                       [&](const std::string& k) { return k.rfind(prefix, 0) == 0; });
  };
  while (clashes()) prefix = "_" + prefix;
  return prefix;
}

/// Rewrites a reduce() output expression: reducer calls become references to the columns
/// `<reducer_prefix><i>` of the group row (their specs collected in `reducers`), and key
/// aliases become key names.
Result<Expr> PlanReduceExpr(const Expr& e, const Schema& input_schema,
                            const BindOptions& input_options,
                            const std::vector<std::pair<std::string, size_t>>& aliases,
                            const std::vector<std::string>& key_names,
                            const std::string& reducer_prefix,
                            std::vector<ReducerSpec>& reducers,
                            std::vector<std::vector<BoundExpr>>& reducer_args) {
  const ExprNode& node = e.node();
  if (node.op == ExprOp::kReducer) {
    ReducerSpec spec;
    spec.kind = node.reducer;
    spec.skip_nones = node.skip_nones;
    spec.strict = node.strict;
    spec.stateful = node.stateful_function;
    spec.front_object = node.front_object;
    spec.result_type = node.type;
    std::vector<BoundExpr> args;
    for (const Expr& arg : node.args) {
      auto bound = BindExpr(arg, input_schema, input_options);
      if (!bound.ok()) return bound.status();
      spec.arg_types.push_back(bound->type);
      args.push_back(std::move(*bound));
    }
    if (spec.kind == ReducerKind::kSum || spec.kind == ReducerKind::kAvg) {
      DType t = spec.arg_types[0];
      if (!t.IsNumeric() && t.kind != TypeKind::kAny) {
        return Status::TypeError("reduce: {}() needs a numeric argument, got {}",
                                 ReducerName(spec.kind), t.ToString());
      }
    }
    reducers.push_back(spec);
    reducer_args.push_back(std::move(args));
    return col(fmt::format("{}{}", reducer_prefix, reducers.size() - 1));
  }
  if (node.op == ExprOp::kColumn) {
    for (const auto& [alias, index] : aliases) {
      if (alias == node.name) return col(key_names[index]);
    }
    if (std::find(key_names.begin(), key_names.end(), node.name) == key_names.end()) {
      return Status::Invalid(
          "reduce: column '{}' is neither a grouping column nor inside a reducer; wrap it in a "
          "reducer such as reducers::any(...)",
          node.name);
    }
    return e;
  }
  if (node.args.empty()) return e;
  auto copy = std::make_shared<ExprNode>(node);
  for (Expr& arg : copy->args) {
    auto planned = PlanReduceExpr(arg, input_schema, input_options, aliases, key_names,
                                  reducer_prefix, reducers, reducer_args);
    if (!planned.ok()) return planned.status();
    arg = std::move(*planned);
  }
  return Expr(std::move(copy));
}

}  // namespace

namespace {

/// earliest/latest choose by the processing time a row reached the groupby.
bool ReadsProcessingTime(const ReducerSpec& reducer) {
  return reducer.kind == ReducerKind::kEarliest || reducer.kind == ReducerKind::kLatest;
}

/// An exactly_once windowby's `delay → forget` (AddBehaviorNodes) rebuilt so that the groupby
/// holds its results instead of the delay holding its rows (TemporalSpec::hold_results);
/// any other input is returned as it is. Only for reducers that do not read processing
/// time: held rows reach the groupby when released, held results were computed from rows
/// that came earlier.
NodePtr HoldResultsOfExactlyOnceWindows(const NodePtr& input) {
  if (input->kind != NodeKind::kForget || input->temporal.group_keys.empty()) return input;
  const NodePtr& delay = input->inputs[0];
  if (delay->kind != NodeKind::kDelay || !delay->temporal.exactly_once_window) return input;
  auto holding = std::make_shared<TableNode>(*delay);
  holding->temporal.hold_results = true;
  auto forget = std::make_shared<TableNode>(*input);
  forget->inputs = {std::move(holding)};
  // Forget's "now" follows `t` alone: rows now reach it as they come, and a row's
  // max(t, start + delay) is its own window's closing time, which would make forget drop the
  // window before it is released. A released window's rows all came before, so `t` moves
  // "now" past the window exactly when the delay released it, as max(t, start + delay) of
  // the released rows did.
  forget->temporal.current_times.resize(1);
  return forget;
}

}  // namespace

Table GroupedTable::reduce(std::vector<NamedExpr> columns) const {
  if (!status_.ok()) return Failed(status_);
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kGroupBy;
  node->operation = operation + ".reduce";
  node->inputs = {input_};
  BindOptions input_options = BindingOn(input_, "reduce");
  input_options.id_column = id_column;
  GroupBySpec& spec = node->groupby;
  Schema group_row;
  for (size_t i = 0; i < keys.size(); ++i) {
    auto bound = BindExpr(keys[i], input_->schema, input_options);
    if (!bound.ok()) return Failed(WithOperation(operation, bound.status()));
    group_row.Add({key_names[i], bound->type, false, std::nullopt});
    spec.keys.push_back(std::move(*bound));
  }
  spec.shard_key = shard_key;
  const std::string reducer_prefix = ReducerColumnPrefix(key_names);
  std::vector<Expr> planned;
  std::set<std::string> seen;
  node->warnings = warnings;
  for (const auto& c : columns) {
    if (c.name.empty()) {
      return Failed(Status::Invalid(
          "reduce: an expression that is not a plain column needs a name: {{\"name\", expr}}"));
    }
    if (Status s = RejectStringConstantReducerArgs(c.expr, input_->schema); !s.ok()) {
      return Failed(WithOperation(operation + ".reduce", s));
    }
    if (!seen.insert(c.name).second) {
      return Failed(Status::Invalid("reduce: column '{}' given twice", c.name));
    }
    auto p = PlanReduceExpr(c.expr, input_->schema, input_options, key_aliases, key_names,
                            reducer_prefix, spec.reducers, spec.reducer_args);
    if (!p.ok()) return Failed(WithOperation("reduce", p.status()));
    planned.push_back(std::move(*p));
  }
  if (sort_by) {
    // As Pathway's groupby(sort_by=...): tuple() gets the sort key as one more argument.
    auto bound_sort = BindExpr(*sort_by, input_->schema, input_options);
    if (!bound_sort.ok()) return Failed(WithOperation(operation, bound_sort.status()));
    for (size_t r = 0; r < spec.reducers.size(); ++r) {
      if (spec.reducers[r].kind != ReducerKind::kTuple) continue;
      spec.reducers[r].arg_types.push_back(bound_sort->type);
      spec.reducer_args[r].push_back(*bound_sort);
    }
  }
  for (const auto& reducer : spec.reducers) {
    if (ReadsProcessingTime(reducer) && operation == "windowby") {
      node->warnings.push_back(fmt::format(
          "{} reducer uses processing time to choose elements while windowby uses data time "
          "to assign entries to windows. Maybe it is not the behavior you want. To choose "
          "elements according to their data time, you may use {} reducer.",
          ReducerName(reducer.kind), reducer.kind == ReducerKind::kEarliest ? "min" : "max"));
    }
  }
  if (std::none_of(spec.reducers.begin(), spec.reducers.end(), ReadsProcessingTime)) {
    node->inputs = {HoldResultsOfExactlyOnceWindows(input_)};
  }
  for (size_t r = 0; r < spec.reducers.size(); ++r) {
    group_row.Add({fmt::format("{}{}", reducer_prefix, r), ReducerResultType(spec.reducers[r]), false,
                   std::nullopt});
  }
  // The output row's columns are the grouping keys and reducers; references to the grouped
  // table's columns (its keys) are checked against that table.
  BindOptions output_options = BindingOn(input_, "reduce");
  for (size_t i = 0; i < planned.size(); ++i) {
    auto bound = BindExpr(planned[i], group_row, output_options);
    if (!bound.ok()) return Failed(WithOperation("reduce", bound.status()));
    node->schema.Add({columns[i].name, bound->type, false, std::nullopt});
    spec.outputs.push_back(std::move(*bound));
  }
  return Table(std::move(node));
}

// ---------------------------------------------------------------------------------------
// Joins (the planning lives in ops/join/join_planner).

Expr Table::operator[](const std::string& name) const {
  auto node = std::make_shared<ExprNode>();
  node->op = ExprOp::kColumn;
  node->name = name;
  node->table = node_.get();
  node->table_node = node_;
  return Expr(std::move(node));
}

Expr Table::id() const {
  auto node = std::make_shared<ExprNode>();
  node->op = ExprOp::kId;
  node->table = node_.get();
  node->table_node = node_;
  return Expr(std::move(node));
}

JoinResult Table::JoinWith(const Table& other, std::vector<Expr> on, JoinOptions options) const {
  JoinResult result;
  if (!ok()) {
    result.status_ = status();
  } else if (!other.ok()) {
    result.status_ = other.status();
  } else if (auto plan = PlanJoin(node_, other.node_, on, options); !plan.ok()) {
    result.status_ = WithOperation("join", plan.status());
  } else {
    result.plan_ = std::make_shared<const JoinPlan>(std::move(*plan));
  }
  return result;
}

JoinResult Table::join(const Table& other, std::vector<Expr> on, JoinOptions options) const {
  return JoinWith(other, std::move(on), std::move(options));
}
JoinResult Table::join(const Table& other, const Expr& on, JoinOptions options) const {
  return JoinWith(other, {on}, std::move(options));
}
JoinResult Table::join_inner(const Table& other, std::vector<Expr> on,
                             JoinOptions options) const {
  options.how = JoinMode::kInner;
  return JoinWith(other, std::move(on), std::move(options));
}
JoinResult Table::join_inner(const Table& other, const Expr& on, JoinOptions options) const {
  return join_inner(other, std::vector<Expr>{on}, std::move(options));
}
JoinResult Table::join_left(const Table& other, std::vector<Expr> on, JoinOptions options) const {
  options.how = JoinMode::kLeft;
  return JoinWith(other, std::move(on), std::move(options));
}
JoinResult Table::join_left(const Table& other, const Expr& on, JoinOptions options) const {
  return join_left(other, std::vector<Expr>{on}, std::move(options));
}
JoinResult Table::join_right(const Table& other, std::vector<Expr> on,
                             JoinOptions options) const {
  options.how = JoinMode::kRight;
  return JoinWith(other, std::move(on), std::move(options));
}
JoinResult Table::join_right(const Table& other, const Expr& on, JoinOptions options) const {
  return join_right(other, std::vector<Expr>{on}, std::move(options));
}
JoinResult Table::join_outer(const Table& other, std::vector<Expr> on,
                             JoinOptions options) const {
  options.how = JoinMode::kOuter;
  return JoinWith(other, std::move(on), std::move(options));
}
JoinResult Table::join_outer(const Table& other, const Expr& on, JoinOptions options) const {
  return join_outer(other, std::vector<Expr>{on}, std::move(options));
}

Table Table::ix(const Expr& pointer, const Table& context, bool optional) const {
  if (!ok()) return *this;
  if (!context.ok()) return context;
  // The pointer as a column of the context's rows (a new node, so ix of a table on itself
  // is not a self-join), then a left join on it keeping the context's ids.
  const std::string pointer_column = "__pw_ix_pointer";
  Table with_pointer = context.with_columns({{pointer_column, pointer}});
  if (!with_pointer.ok()) return Failed(WithOperation("ix", with_pointer.status()));
  const Schema& columns_with_pointer = with_pointer.schema();
  const DType pointer_type = columns_with_pointer[*columns_with_pointer.Find(pointer_column)].type;
  if (pointer_type.kind != TypeKind::kPointer && pointer_type.kind != TypeKind::kAny &&
      pointer_type.kind != TypeKind::kNone) {
    return Failed(Status::TypeError("ix: the pointer must be a pointer, got {}",
                                    pointer_type.ToString()));
  }
  auto plan = PlanJoin(with_pointer.node_, node_, {with_pointer[pointer_column] == id()},
                       JoinOptions{.how = JoinMode::kLeft, .id = left.id()});
  if (!plan.ok()) return Failed(WithOperation("ix", plan.status()));
  plan->missing_right_is_error = !optional;
  plan->operation = "ix";
  std::vector<std::pair<std::string, Expr>> columns;
  for (const auto& c : schema().columns()) columns.emplace_back(c.name, right[c.name]);
  auto node = PlanJoinSelect(*plan, columns);
  if (!node.ok()) return Failed(WithOperation("ix", node.status()));
  return Table(std::move(*node));
}

Table JoinResult::select(std::vector<NamedExpr> columns) const {
  if (!status_.ok()) return Failed(status_);
  std::vector<std::pair<std::string, Expr>> named;
  named.reserve(columns.size());
  for (auto& c : columns) named.emplace_back(std::move(c.name), std::move(c.expr));
  auto node = PlanJoinSelect(*plan_, named);
  if (!node.ok()) return Failed(WithOperation("join", node.status()));
  return Table(std::move(*node));
}

}  // namespace vigil
