#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connectors/api/error_log.h"
#include "connectors/api/source.h"
#include "vigil/common/status.h"
#include "vigil/expr/bound_expr.h"
#include "vigil/ops/groupby_reduce_op.h"
#include "vigil/ops/join/join_spec.h"
#include "vigil/ops/temporal/temporal_spec.h"
#include "vigil/ops/window/intervals_over_op.h"
#include "vigil/ops/window/session_assign_op.h"
#include "vigil/ops/window/window_assign_op.h"
#include "vigil/types/schema.h"

namespace vigil {

/// kCutoff, kDelay and kForget are the temporal operators (ops/temporal/): windowby's
/// behaviors and Table::ignore_late / buffer / forget. kJoin is join(...).select(...)
/// (ops/join/): inputs[0] is the left table, inputs[1] the right.
enum class NodeKind {
  kSource,
  kMap,
  kFilter,
  kConcat,
  kWindowAssign,
  kSessionAssign,
  kIntervalsOverAssign,  ///< Two inputs: the windowed table, then the probe table.
  kGroupBy,
  kCutoff,
  kDelay,
  kForget,
  kGrowthGate,  ///< windowby's Behavior::growth_steps (ops/temporal/growth_gate_op.h)
  kJoin,
  kFlatten  ///< One row per element of a column's tuple or string (ops/flatten_op.h).
};

/// Options a source gets when the executor instantiates it.
struct SourceContext {
  ErrorLog* errors = nullptr;
  OnBadRow on_bad_row = OnBadRow::kSkip;
};

using SourceFactory = std::function<Result<std::unique_ptr<Source>>(const SourceContext&)>;

/// One node of the lazy dataflow graph. Built (and validated, with expressions bound to the
/// input schema) by the fronts (Table API, later CLI/SQL); immutable afterwards and shared
/// between tables. The executor compiles reachable nodes into operators, one per node.
struct TableNode {
  NodeKind kind = NodeKind::kSource;
  std::string operation;  ///< User-facing name for messages: "select", "windowby", ...
  Schema schema;          ///< Output columns.
  std::vector<std::shared_ptr<const TableNode>> inputs;
  /// Non-OK when building this table failed; carried to every table derived from it and
  /// reported by run()/compute_and_print().
  Status status;
  /// Non-fatal remarks about how this table was built, e.g. Pathway's warning that
  /// earliest/latest inside windowby use processing time.
  std::vector<std::string> warnings;

  SourceFactory source_factory;                    ///< kSource
  std::vector<BoundExpr> exprs;                    ///< kMap outputs; kFilter predicate
  std::vector<std::vector<size_t>> concat_maps;    ///< kConcat
  size_t flatten_column = 0;      ///< kFlatten: the input column flattened.
  bool flatten_origin_id = false;  ///< kFlatten: a last column with the input row's id.
  WindowAssignSpec window;                         ///< kWindowAssign
  SessionAssignSpec session;                       ///< kSessionAssign
  IntervalsOverSpec intervals;                     ///< kIntervalsOverAssign
  GroupBySpec groupby;                             ///< kGroupBy
  TemporalSpec temporal;                           ///< kCutoff, kDelay, kForget, kGrowthGate
  JoinSpec join;                                   ///< kJoin
};

using NodePtr = std::shared_ptr<const TableNode>;

/// A node that only carries an error (what a failed Table operation returns).
NodePtr ErrorNode(Status status);

}  // namespace vigil
