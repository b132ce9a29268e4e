#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vigil/common/status.h"
#include "vigil/expr/expression.h"
#include "vigil/graph/table_node.h"
#include "vigil/ops/join/join_spec.h"

namespace vigil {

/// The keyword arguments of Pathway's `join`: `how`, `id`, `left_instance`, `right_instance`.
/// Written with designated initializers: `{.how = JoinMode::kLeft, .id = left.id()}`.
struct JoinOptions {
  /// Ignored by join_inner / join_left / join_right / join_outer, which say it themselves.
  JoinMode how = JoinMode::kInner;
  /// `left.id()` (inner and left joins) or `right.id()` (inner and right joins): result rows
  /// take that row's id instead of a hash of both ids.
  std::optional<Expr> id = std::nullopt;
  /// Both or neither: a further condition `left_instance == right_instance` whose value
  /// also supplies the low 16 bits of the join key (and so of the result ids).
  std::optional<Expr> left_instance = std::nullopt;
  std::optional<Expr> right_instance = std::nullopt;
};

/// A join waiting for its select(): both inputs and the resolved conditions. Built and
/// validated by PlanJoin when `t.join(...)` is called; immutable afterwards.
struct JoinPlan {
  NodePtr inputs[2];
  JoinMode mode = JoinMode::kInner;
  JoinIdSource id_source = JoinIdSource::kPair;
  bool shard_by_instance = false;
  /// See JoinSpec::missing_right_is_error (Table::ix).
  bool missing_right_is_error = false;
  /// The node's operation name, for messages ("join", "ix").
  std::string operation = "join";
  std::vector<JoinKeyPart> keys[2];
  /// Names compared with themselves in a condition (`left["v"] == right["v"]`): `this_["v"]`
  /// is then the left value (inner joins) or coalesce(left, right) (the others), as Pathway.
  std::vector<std::string> common_names;
};

/// Resolves and checks the conditions and options of `left.join(right, on, options)` the way
/// Pathway does: every condition is `<left reference> == <right reference>` (a column or id
/// of each side, through `left[...]`/`right[...]` or the tables' own `t["x"]`/`t.id()`),
/// their types must be comparable, `id` must fit the join mode. Errors name the columns.
Result<JoinPlan> PlanJoin(const NodePtr& left_input, const NodePtr& right_input,
                          const std::vector<Expr>& on, const JoinOptions& options);

/// The node of `join(...).select(columns)`: resolves every reference of the output
/// expressions to a side (`left[...]`, `right[...]`, `t["x"]`, and `this_["x"]` by Pathway's
/// rules: a column of one side only, or a name joined with itself), types the padded side's
/// columns optional, and keeps in the join's state only the columns the outputs read.
Result<NodePtr> PlanJoinSelect(const JoinPlan& plan,
                               const std::vector<std::pair<std::string, Expr>>& columns);

}  // namespace vigil
