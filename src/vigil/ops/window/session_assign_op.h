#pragma once

#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "vigil/expr/evaluator.h"
#include "vigil/ops/operator.h"
#include "vigil/types/value_arena.h"

namespace vigil {

/// A session window, resolved at graph-compile time: either a max_gap (numbers or a duration,
/// strict `next - prev < max_gap`) or a user predicate over (prev_time, next_time).
struct SessionAssignSpec {
  BoundExpr time;
  std::optional<BoundExpr> instance;
  std::function<bool(const Value&, const Value&)> predicate;  ///< Set when no max_gap.
  bool float_gap = false;  ///< True when the time or max_gap is a float: compare in double.
  int64_t max_gap = 0;     ///< Integer or nanosecond gap.
  double max_gap_f = 0;
};

/// Session assignment (SEMANTICS.md §1.3): rows sorted by (instance, time, id); adjacent rows
/// whose times satisfy the predicate (or are closer than max_gap) share a session. Emits each
/// input row with its input columns plus `_pw_window_start` (min time), `_pw_window_end` (max
/// time, inclusive), `_pw_instance`, `_pw_original_id` and `_pw_window` (a Pointer: the id of
/// the session's earliest row by (time, id)). Emitted row ids are hash(Pointer(original id),
/// Int(0)), the same recipe as WindowAssignOperator with one window per row.
///
/// Sessions depend on the whole commit, so the operator buffers the commit's input and works in
/// OnCommitEnd: it applies the changes to a per-instance ordered set, recomputes only the
/// sessions around changed positions, and for every row whose session changed retracts the
/// emitted (row, session) pair and inserts the new one. Rows farther away keep their session
/// (their adjacent pairs and session boundaries are unchanged), so nothing else is touched.
///
/// Rows are a set per (instance, time, id): an insertion and a retraction of the same row in
/// one commit cancel; a change that does not fit the state yet (a retraction before its
/// insertion after a commit split) waits in orphans_ until it does. Diffs other than +-1 are
/// taken by sign. `_pw_window` being a row id, a session's group changes when its earliest
/// row does (Pathway: session output ids depend on input row ids).
class SessionAssignOperator final : public Operator {
 public:
  SessionAssignOperator(std::string name, const SessionAssignSpec& spec, size_t input_columns);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

 private:
  /// Sort key of a row inside its instance.
  struct RowKey {
    Value time;  ///< Int, float or datetime: no pointed-to storage, safe to copy.
    Key id;
  };
  struct RowKeyLess {
    bool operator()(const RowKey& a, const RowKey& b) const;
  };
  /// The session a row was last emitted with.
  struct Assignment {
    Key window;
    Value start, end;
  };
  struct Row {
    std::vector<StoredValue> values;
    std::optional<Assignment> assigned;  ///< Empty until the row is first emitted.
  };
  using Rows = std::map<RowKey, Row, RowKeyLess>;
  struct ValueLess {
    bool operator()(const StoredValue& a, const StoredValue& b) const;
  };
  /// One buffered input update of the current commit.
  struct Change {
    StoredValue instance;
    RowKey key;
    std::vector<StoredValue> values;
    int64_t diff;
  };

  bool Connected(const Value& prev, const Value& next) const;
  /// Appends one output row (values of `row`, session `a`) with `diff`.
  void Append(const RowKey& key, const std::vector<StoredValue>& values, const Value& instance,
              const Assignment& a, int64_t diff);
  /// Recomputes the sessions around `changed` keys of one instance and emits the differences.
  void Recompute(Rows& rows, const Value& instance, const std::vector<RowKey>& changed);

  const SessionAssignSpec& spec_;
  size_t input_columns_;
  ExprEvaluator time_evaluator_;
  std::optional<ExprEvaluator> instance_evaluator_;
  ValueArena scratch_arena_;
  std::vector<Change> pending_;
  /// Changes of earlier commits that did not fit the state yet (see OnCommitEnd).
  std::vector<Change> orphans_;
  std::map<StoredValue, Rows, ValueLess> instances_;
  /// Rows removed this commit, kept alive until their retractions have been emitted.
  std::vector<Row> retired_;
  std::vector<Rows::iterator> anchors_;  ///< Recompute's scratch.
  Batch out_;
};

}  // namespace vigil
