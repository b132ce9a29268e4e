#include "vigil/ops/join/join_planner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

namespace vigil {

const char* JoinModeName(JoinMode mode) {
  switch (mode) {
    case JoinMode::kInner:
      return "inner";
    case JoinMode::kLeft:
      return "left";
    case JoinMode::kRight:
      return "right";
    case JoinMode::kOuter:
      return "outer";
  }
  return "?";
}

namespace {

/// Which input a reference (a kColumn or kId node) reads.
enum class RefTarget { kLeft, kRight, kThis, kOtherTable };

RefTarget TargetOf(const ExprNode& node, const NodePtr inputs[2]) {
  if (node.side == ColumnSide::kLeft) return RefTarget::kLeft;
  if (node.side == ColumnSide::kRight) return RefTarget::kRight;
  if (node.table == nullptr) return RefTarget::kThis;
  if (node.table == inputs[kLeftSide].get()) return RefTarget::kLeft;
  if (node.table == inputs[kRightSide].get()) return RefTarget::kRight;
  return RefTarget::kOtherTable;
}

bool IsReference(const ExprNode& node) {
  return node.op == ExprOp::kColumn || node.op == ExprOp::kId;
}

const char* SideName(size_t side) { return side == kLeftSide ? "left" : "right"; }

std::string VisibleNames(const Schema& schema) {
  std::vector<std::string> names;
  for (const auto& c : schema.columns()) {
    if (c.name.rfind("__", 0) != 0) names.push_back(c.name);
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

/// How a reference of `side` reads its input: the key part and its type.
Result<std::pair<JoinKeyPart, DType>> ResolveKeyReference(const ExprNode& node, size_t side,
                                                          const Schema& schema) {
  if (node.op == ExprOp::kId) return std::make_pair(JoinKeyPart{true, 0}, dtype::Pointer);
  auto index = schema.Find(node.name);
  if (!index) {
    return Status::NotFound("no column '{}' in the {} table; it has columns [{}]", node.name,
                            SideName(side), VisibleNames(schema));
  }
  return std::make_pair(JoinKeyPart{false, *index}, schema[*index].type);
}

/// One `<left reference> == <right reference>` condition (also left_instance ==
/// right_instance): appends its key parts to `plan.keys`.
Status AddCondition(const Expr& left_operand, const Expr& right_operand, JoinPlan& plan) {
  const ExprNode& a = left_operand.node();
  const ExprNode& b = right_operand.node();
  if (!IsReference(a) || !IsReference(b)) {
    return Status::Invalid(
        "join condition should be of form <left_table>.<column> == <right_table>.<column>");
  }
  const RefTarget ta = TargetOf(a, plan.inputs), tb = TargetOf(b, plan.inputs);
  if (ta == RefTarget::kRight && tb == RefTarget::kLeft) {
    return Status::Invalid(
        "The boolean condition is not properly ordered. The left part should refer to left "
        "joinable and the right one should refer to the right joinable, e.g. "
        "t1.join(t2, t1[\"bar\"] == t2[\"foo\"]).");
  }
  if (ta != RefTarget::kLeft) {
    return Status::Invalid(
        "Left part of a join condition has to be a reference to a table on the left side of a "
        "join (left[\"{}\"] or the left table's own reference)",
        a.op == ExprOp::kId ? "id" : a.name);
  }
  if (tb != RefTarget::kRight) {
    return Status::Invalid(
        "Right part of a join condition has to be a reference to a table on the right side of "
        "a join (right[\"{}\"] or the right table's own reference)",
        b.op == ExprOp::kId ? "id" : b.name);
  }
  ASSIGN_OR_RAISE(auto l, ResolveKeyReference(a, kLeftSide, plan.inputs[kLeftSide]->schema));
  ASSIGN_OR_RAISE(auto r, ResolveKeyReference(b, kRightSide, plan.inputs[kRightSide]->schema));
  if (!BinaryResultType(ExprOp::kEq, l.second, r.second).ok()) {
    return Status::TypeError(
        "Incompatible types in a join condition. The types are: {} and {}. You might try "
        "casting the respective columns to Any type to circumvent this, but this is most "
        "probably an error.",
        l.second.ToString(), r.second.ToString());
  }
  plan.keys[kLeftSide].push_back(l.first);
  plan.keys[kRightSide].push_back(r.first);
  if (a.op == ExprOp::kColumn && b.op == ExprOp::kColumn && a.name == b.name &&
      std::find(plan.common_names.begin(), plan.common_names.end(), a.name) ==
          plan.common_names.end()) {
    plan.common_names.push_back(a.name);
  }
  return Status::OK();
}

/// Rewrites output expressions of a join's select() into expressions over the joined row,
/// collecting the joined row's columns (and so what each side must store) on the way.
class JoinedRowBuilder {
 public:
  JoinedRowBuilder(const JoinPlan& plan, JoinSpec& spec) : plan_(plan), spec_(spec) {}

  Result<Expr> Rewrite(const Expr& e) {
    const ExprNode& node = e.node();
    if (IsReference(node)) return RewriteReference(node);
    if (node.args.empty()) return e;
    auto copy = std::make_shared<ExprNode>(node);
    for (Expr& arg : copy->args) {
      ASSIGN_OR_RAISE(arg, Rewrite(arg));
    }
    return Expr(std::move(copy));
  }

  const Schema& joined_schema() const { return joined_schema_; }

 private:
  const Schema& InputSchema(size_t side) const { return plan_.inputs[side]->schema; }

  /// A side's values are None in the rows where that side is padded (Error, not None, for a
  /// non-optional ix).
  bool MayBePadded(size_t side) const {
    if (side == kRightSide && spec_.missing_right_is_error) return false;
    return spec_.KeepsUnmatched(1 - side);
  }

  Result<Expr> RewriteReference(const ExprNode& node) {
    const RefTarget target = TargetOf(node, plan_.inputs);
    if (target == RefTarget::kOtherTable) {
      return Status::Invalid(
          "{} refers to a table that is neither side of this join",
          node.op == ExprOp::kId ? std::string("id()") : "column '" + node.name + "'");
    }
    if (target == RefTarget::kThis) {
      if (node.op == ExprOp::kId) return MakeExpr(ExprOp::kId, {});  // The result row's id.
      return ResolveThisColumn(node.name);
    }
    const size_t side = target == RefTarget::kLeft ? kLeftSide : kRightSide;
    if (node.op == ExprOp::kId) return IdColumn(side);
    auto index = InputSchema(side).Find(node.name);
    if (!index) {
      return Status::NotFound("no column '{}' in the {} table; it has columns [{}]", node.name,
                              SideName(side), VisibleNames(InputSchema(side)));
    }
    return ValueColumn(side, *index);
  }

  /// `this_["name"]` in a join (Pathway's JoinResult._get_colref_by_name).
  Result<Expr> ResolveThisColumn(const std::string& name) {
    const auto in_left = InputSchema(kLeftSide).Find(name);
    const auto in_right = InputSchema(kRightSide).Find(name);
    const bool common = std::find(plan_.common_names.begin(), plan_.common_names.end(), name) !=
                        plan_.common_names.end();
    if (common) {
      if (plan_.mode == JoinMode::kInner) return ValueColumn(kLeftSide, *in_left);
      return coalesce({ValueColumn(kLeftSide, *in_left), ValueColumn(kRightSide, *in_right)});
    }
    if (in_left && in_right) {
      return Status::Invalid(
          "Column {} appears on both left and right inputs of join; use left[\"{}\"] or "
          "right[\"{}\"]",
          name, name, name);
    }
    if (in_left) return ValueColumn(kLeftSide, *in_left);
    if (in_right) return ValueColumn(kRightSide, *in_right);
    return Status::NotFound(
        "No column with name {}; the left table has columns [{}], the "
        "right table [{}]",
        name, VisibleNames(InputSchema(kLeftSide)), VisibleNames(InputSchema(kRightSide)));
  }

  Expr ValueColumn(size_t side, size_t input_column) {
    auto [it, inserted] = value_columns_.try_emplace({side, input_column}, 0);
    if (inserted) {
      auto& stored = spec_.sides[side].stored_columns;
      stored.push_back(input_column);
      it->second =
          AddJoinedColumn(JoinedColumn{side, JoinedColumn::Source::kStoredValue, stored.size() - 1},
                          MayBePadded(side) ? InputSchema(side)[input_column].type.AsOptional()
                                            : InputSchema(side)[input_column].type);
    }
    return col(joined_schema_[it->second].name);
  }

  Expr IdColumn(size_t side) {
    auto [it, inserted] = id_columns_.try_emplace(side, 0);
    if (inserted) {
      it->second =
          AddJoinedColumn(JoinedColumn{side, JoinedColumn::Source::kRowId, 0},
                          MayBePadded(side) ? dtype::Pointer.AsOptional() : dtype::Pointer);
    }
    return col(joined_schema_[it->second].name);
  }

  size_t AddJoinedColumn(const JoinedColumn& column, DType type) {
    const size_t index = spec_.joined_columns.size();
    spec_.joined_columns.push_back(column);
    joined_schema_.Add({fmt::format("__joined_{}", index), type, false, std::nullopt});
    return index;
  }

  const JoinPlan& plan_;
  JoinSpec& spec_;
  Schema joined_schema_;
  std::map<std::pair<size_t, size_t>, size_t> value_columns_;
  std::map<size_t, size_t> id_columns_;
};

}  // namespace

Result<JoinPlan> PlanJoin(const NodePtr& left_input, const NodePtr& right_input,
                          const std::vector<Expr>& on, const JoinOptions& options) {
  JoinPlan plan;
  plan.inputs[kLeftSide] = left_input;
  plan.inputs[kRightSide] = right_input;
  plan.mode = options.how;
  if (left_input.get() == right_input.get()) {
    // Pathway refuses too: `t["x"]` could not tell the sides apart.
    return Status::Invalid(
        "Cannot join table with itself. Join it with a copy of itself instead: "
        "t.join(t.with_columns({{}}), ...) in C++, t.join(t.copy(), ...) in Python");
  }
  for (const Expr& condition : on) {
    const ExprNode& node = condition.node();
    if (node.op != ExprOp::kEq || node.args.size() != 2) {
      return Status::Invalid(
          "join condition should be of form <left_table>.<column> == <right_table>.<column>");
    }
    RETURN_NOT_OK(AddCondition(node.args[0], node.args[1], plan));
  }
  if (options.left_instance.has_value() != options.right_instance.has_value()) {
    return Status::Invalid("left_instance and right_instance must be given together");
  }
  if (options.left_instance) {
    RETURN_NOT_OK(AddCondition(*options.left_instance, *options.right_instance, plan));
    plan.shard_by_instance = true;
  }
  if (options.id) {
    const ExprNode& id = options.id->node();
    const RefTarget target =
        id.op == ExprOp::kId ? TargetOf(id, plan.inputs) : RefTarget::kOtherTable;
    if (target != RefTarget::kLeft && target != RefTarget::kRight) {
      return Status::Invalid(
          "id must be the id of one of the joined tables: left.id() or right.id()");
    }
    const bool from_left = target == RefTarget::kLeft;
    const bool allowed = plan.mode == JoinMode::kInner ||
                         plan.mode == (from_left ? JoinMode::kLeft : JoinMode::kRight);
    if (!allowed) {
      // Pathway raises KeyError: the padded rows of the other side would have no id.
      return Status::Invalid("Cannot assign id's for this join type ({} join with id={}.id())",
                             JoinModeName(plan.mode), from_left ? "left" : "right");
    }
    plan.id_source = from_left ? JoinIdSource::kLeft : JoinIdSource::kRight;
  }
  return plan;
}

Result<NodePtr> PlanJoinSelect(const JoinPlan& plan,
                               const std::vector<std::pair<std::string, Expr>>& columns) {
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kJoin;
  node->operation = plan.operation;
  node->inputs = {plan.inputs[kLeftSide], plan.inputs[kRightSide]};
  JoinSpec& spec = node->join;
  spec.mode = plan.mode;
  spec.id_source = plan.id_source;
  spec.shard_by_instance = plan.shard_by_instance;
  spec.missing_right_is_error = plan.missing_right_is_error;
  for (size_t side : {kLeftSide, kRightSide}) spec.sides[side].key = plan.keys[side];
  JoinedRowBuilder builder(plan, spec);
  std::vector<Expr> rewritten;
  std::set<std::string> seen;
  for (const auto& [name, expr] : columns) {
    if (name.empty()) {
      return Status::Invalid(
          "an expression that is not a plain column needs a name: {{\"name\", expr}}");
    }
    if (!seen.insert(name).second) return Status::Invalid("column '{}' given twice", name);
    auto e = builder.Rewrite(expr);
    if (!e.ok()) {
      return Status(e.status().code(), fmt::format("column '{}': {}", name, e.status().message()));
    }
    rewritten.push_back(std::move(*e));
  }
  BindOptions options;
  options.context = "join";
  for (size_t i = 0; i < rewritten.size(); ++i) {
    ASSIGN_OR_RAISE(BoundExpr bound, BindExpr(rewritten[i], builder.joined_schema(), options));
    node->schema.Add({columns[i].first, bound.type, false, std::nullopt});
    spec.outputs.push_back(std::move(bound));
  }
  return NodePtr(std::move(node));
}

}  // namespace vigil
