#pragma once

#include <memory>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

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
/// input column feeding output column i). Ids are kept, so the inputs' ids must be disjoint,
/// as Pathway requires: an id live in two inputs at once is reported as Pathway reports it,
/// `duplicate key: <id>`, an engine error (the run fails, unless terminate_on_error=False:
/// then both rows are kept, as the join does with its duplicates). The check is made at the
/// end of each commit, over the ids the commit changed, so an id that moves from one input to
/// the other within one commit is no collision. State: the live (id, input) pairs.
class ConcatOperator final : public Operator {
 public:
  ConcatOperator(std::string name, std::vector<std::vector<size_t>> column_maps);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

 private:
  struct IdInInput {
    Key id;
    uint32_t port;
    bool operator==(const IdInInput&) const = default;
    template <typename H>
    friend H AbslHashValue(H h, const IdInInput& k) {
      return H::combine(std::move(h), k.id, k.port);
    }
  };
  std::vector<std::vector<size_t>> column_maps_;
  Batch out_;
  absl::flat_hash_map<IdInInput, Diff> live_;  ///< Rows per (id, input), zero ones erased.
  std::vector<Key> changed_;                    ///< Ids changed in this commit.
  absl::flat_hash_set<Key> reported_;           ///< Collisions reported and still live.
};

}  // namespace vigil
