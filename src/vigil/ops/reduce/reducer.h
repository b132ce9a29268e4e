#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vigil/common/key.h"
#include "vigil/common/strong_types.h"
#include "vigil/expr/expression.h"
#include "vigil/types/dtype.h"
#include "vigil/types/value_arena.h"

namespace vigil {

/// The rows of one batch as a reducer sees them: for row i, its group slot, argument values
/// (`args[a][i]`), row id and diff. All arrays have `size` entries.
struct ReducerInput {
  const uint32_t* slots;
  std::span<const std::vector<Value>* const> args;
  const Key* ids;
  const Diff* diffs;
  size_t size;
  Time time;
  /// Per row: hash of (id, all input values), which tells versions of one row apart. Set
  /// only when some reducer's NeedsRowVersions().
  const Key* row_versions = nullptr;
};

/// The state of one reducer for all groups of a groupby, indexed by group slot.
///
/// Reducers come in three kinds by how they retract (Materialize's classification):
/// accumulable (count, sum, avg: O(1) per diff), ordered (min, max, argmin, argmax: a
/// multiset per group, since a retraction may remove the current extreme) and general
/// (tuple, sorted_tuple, count_distinct, any, unique, earliest, latest: a multiset per group
/// from which the result is recomputed when the group changes).
///
/// One virtual call per batch (Update) and per changed group at commit end (Result): never
/// per row. Rows whose arguments hold Error are skipped, as in Pathway.
class ReducerState {
 public:
  virtual ~ReducerState() = default;
  /// Whether Update needs ReducerInput::row_versions (earliest/latest: a row keeps the
  /// processing time at which its current version was inserted).
  virtual bool NeedsRowVersions() const { return false; }
  /// Grows per-slot storage so that every slot < `num_slots` is valid.
  virtual void EnsureSlots(size_t num_slots) = 0;
  virtual void Update(const ReducerInput& input) = 0;
  /// The current result for a group with rows. Strings/tuples go to `arena`. On an engine
  /// error (unique() with two values) returns Error and sets `*error`.
  virtual Value Result(uint32_t slot, ValueArena& arena, std::string* error) = 0;
  /// Forgets the group in `slot` (its last row left); the slot will be reused.
  virtual void Clear(uint32_t slot) = 0;
  /// Results are views into the state (a string min, a sorted_tuple's elements), and the
  /// groupby keeps the results it emitted before a commit's changes as such views until the
  /// commit ends (its -old rows). So state that Update or Clear removes is kept until this
  /// call, at the end of the commit, which frees it.
  virtual void ReleaseRetired() {}
};

/// A reducer call as planned by reduce(): which reducer, the types of its arguments.
struct ReducerSpec {
  ReducerKind kind;
  std::vector<DType> arg_types;
  bool skip_nones = false;
  bool strict = false;  ///< sum(strict=True): exact float sum over the stored values.
  StatefulReducerFunction stateful;  ///< stateful_many's function,
  DType result_type;                 ///< and its result type.
  /// stateful_many: what `stateful` uses, owned here (ExprNode::front_object).
  std::shared_ptr<void> front_object;
};

/// The result type of a reducer over arguments of these types.
DType ReducerResultType(const ReducerSpec& spec);

/// `insert_only_input`: the groupby's input never retracts (Source::insert_only), so min,
/// max, argmin, argmax and any keep one entry per group instead of a multiset.
std::unique_ptr<ReducerState> MakeReducerState(const ReducerSpec& spec,
                                               bool insert_only_input = false);

}  // namespace vigil
