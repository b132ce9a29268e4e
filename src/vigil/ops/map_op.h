#pragma once

#include <memory>
#include <vector>

#include "vigil/expr/evaluator.h"
#include "vigil/ops/operator.h"

namespace vigil {

/// select / with_columns / without / rename: each output column is an expression over the
/// input row; ids and diffs pass through unchanged. Stateless: one output batch per input
/// batch, emitted immediately.
class MapOperator final : public Operator {
 public:
  MapOperator(std::string name, const std::vector<BoundExpr>& outputs);
  void OnBatch(size_t port, const Batch& batch, Time time) override;

 private:
  std::vector<std::unique_ptr<ExprEvaluator>> evaluators_;
  Batch out_;
};

/// filter: keeps the rows whose predicate is True (None, False and Error drop the row; an
/// Error is reported). Ids, values and diffs pass through.
class FilterOperator final : public Operator {
 public:
  FilterOperator(std::string name, const BoundExpr& predicate);
  void OnBatch(size_t port, const Batch& batch, Time time) override;

 private:
  ExprEvaluator predicate_;
  std::vector<uint32_t> selected_;  // Indices of the rows that pass, reused.
  Batch out_;
  ValueArena scratch_arena_;
};

/// concat: the union of several inputs with the same columns (`column_maps[port][i]` is the
/// input column feeding output column i). Ids are kept, so inputs must have disjoint ids.
class ConcatOperator final : public Operator {
 public:
  ConcatOperator(std::string name, std::vector<std::vector<size_t>> column_maps);
  void OnBatch(size_t port, const Batch& batch, Time time) override;

 private:
  std::vector<std::vector<size_t>> column_maps_;
  Batch out_;
};

}  // namespace vigil
