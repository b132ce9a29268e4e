#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "vigil/expr/bound_expr.h"

namespace vigil {

/// Which rows a join keeps (Pathway's JoinMode): kInner only matched pairs; kLeft also every
/// left row without a match, padded with None on the right; kRight the mirror; kOuter both.
enum class JoinMode : uint8_t { kInner, kLeft, kRight, kOuter };

/// "inner", "left", ... for messages.
const char* JoinModeName(JoinMode mode);

/// Where the id of a result row comes from (Pathway's `id=` argument of join).
enum class JoinIdSource : uint8_t {
  /// hash(Pointer(left id), Pointer(right id)) with the low 16 bits of the join key; a padded
  /// row hashes None for its missing side and takes the join key's bits (its own id's bits
  /// when its join key holds an Error).
  kPair,
  kLeft,   ///< id=left.id: the left row's id (inner and left joins).
  kRight,  ///< id=right.id: the right row's id (inner and right joins).
};

/// One value of a join key taken from an input row: a column, or the row id (as a pointer).
struct JoinKeyPart {
  bool is_id = false;
  size_t column = 0;  ///< Input column when !is_id.
};

/// The input sides of a join, as array indices (and input ports of the operator).
inline constexpr size_t kLeftSide = 0;
inline constexpr size_t kRightSide = 1;

/// What one column of the "joined row" (the row the output expressions read) holds.
struct JoinedColumn {
  enum class Source : uint8_t { kStoredValue, kRowId };
  size_t side = kLeftSide;
  Source source = Source::kStoredValue;
  size_t stored = 0;  ///< kStoredValue: index into that side's JoinSideSpec::stored_columns.
};

/// One input of a join: how its join key is read and which of its columns the outputs need
/// (only those are kept in the join's state).
struct JoinSideSpec {
  /// The key values, one per condition (the instance last when shard_by_instance).
  std::vector<JoinKeyPart> key;
  /// Input columns copied into the join's state, in this order.
  std::vector<size_t> stored_columns;
};

/// What a `join(...).select(...)` computes, fixed when the graph is built (graph/join_planner).
/// Immutable; the operator keeps only mutable state.
struct JoinSpec {
  JoinMode mode = JoinMode::kInner;
  JoinIdSource id_source = JoinIdSource::kPair;
  /// Pathway's left_instance/right_instance: the last key part is the instance, and the join
  /// key's low 16 bits are those of hash(instance value).
  bool shard_by_instance = false;
  /// Table::ix without `optional`: a left row whose pointer names no right row gets Error
  /// (not None) for the right side's values and is reported ("key missing in output table").
  bool missing_right_is_error = false;
  JoinSideSpec sides[2];
  /// Columns of the joined row, in order; the output expressions are bound to them.
  std::vector<JoinedColumn> joined_columns;
  /// Output columns, as expressions over the joined row (`this_.id()` is the result id).
  std::vector<BoundExpr> outputs;

  /// Whether rows of `side` without a match appear in the output (padded with None).
  bool KeepsUnmatched(size_t side) const {
    return mode == JoinMode::kOuter ||
           (side == kLeftSide ? mode == JoinMode::kLeft : mode == JoinMode::kRight);
  }
};

}  // namespace vigil
