#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vigil/expr/evaluator.h"
#include "vigil/ops/join/join_arrangement.h"
#include "vigil/ops/join/join_spec.h"
#include "vigil/ops/operator.h"

namespace vigil {

/// `left.join(right, conditions, how).select(...)`, incrementally (a delta join).
///
/// Input port 0 is the left table, port 1 the right. Each input keeps an arrangement: its
/// rows indexed by join key (the hash of the condition values, as Pathway computes it), each
/// row holding only the columns the outputs read. Rows arriving during a commit are buffered
/// (copied); at the end of the commit each side's buffered rows are consolidated into dL and
/// dR and the commit's output is exactly
///
///     dL x R_old  +  L_new x dR                      (matched pairs)
///
/// plus, for sides whose unmatched rows are kept (left/right/outer joins), the change of the
/// padded rows of every join key the commit touched: a row is padded while no row of the
/// other side has its key, so a key whose other side goes from empty to non-empty retracts
/// its padded rows, the reverse inserts them, and while the other side stays empty the
/// side's delta passes through padded. Rows whose key holds an Error never match; they are
/// reported and, when their side keeps unmatched rows, passed through padded.
///
/// The output of a commit is consolidated (opposite updates of one row cancel) whenever the
/// commit retracts anything; a commit that only inserts (a static load) is emitted in
/// chunks as it is produced, so its output never has to fit in memory at once.
///
/// Memory: a row's entry is freed when its multiplicity reaches zero (retractions, and
/// forget upstream, which retracts), and a join key's group when it has no rows left, after
/// the commit's output has been emitted (emitted batches point into the state).
class JoinOperator final : public Operator {
 public:
  JoinOperator(std::string name, const JoinSpec& spec);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

  /// Rows and join keys currently held for `side` (kLeftSide or kRightSide).
  size_t num_rows(size_t side) const { return arrangements_[side].num_rows(); }
  size_t num_groups(size_t side) const { return arrangements_[side].num_groups(); }

 private:
  /// The rows of one input received during the current commit (values copied).
  struct PendingRows {
    std::vector<Key> ids;
    std::vector<Key> join_keys;
    std::vector<uint8_t> key_ok;  ///< 0 when a key value is Error: the row cannot match.
    std::vector<Diff> diffs;
    std::vector<Value> values;  ///< Row-major: the side's stored columns of each row.
    std::vector<Key> fingerprints;
    /// After Consolidate(): the rows to apply, each once, with their summed diff.
    std::vector<uint32_t> consolidated;
    ValueArena arena;

    size_t size() const { return ids.size(); }
    void Clear();
  };

  /// Join-key bookkeeping of one key touched by the commit: the multiplicity of each side
  /// before and after the commit.
  struct TouchedKey {
    int64_t old_count[2] = {0, 0};
    int64_t new_count[2] = {0, 0};
  };

  /// A row of one side to put into the joined row: its stored values and id, or none (the
  /// padded side).
  struct RowView {
    const Value* values = nullptr;
    const Key* id = nullptr;
    /// Every value of this side is Error (the other side of a row matched several times
    /// under id=left.id / right.id: CorrectDuplicateIds).
    bool error = false;
  };

  void BufferRows(size_t side, const Batch& batch);
  /// Computes fingerprints and fills `pending.consolidated`; returns true if a net diff is
  /// negative.
  bool Consolidate(size_t side);
  /// Records in touched_ every join key of the commit with its before/after counts.
  void CollectTouchedKeys();
  /// Whether this commit can emit a retraction (so its output must be consolidated whole).
  bool CommitMayRetract(bool input_retracts) const;

  /// dX x (other side's state): the matched pairs of `side`'s pending rows, plus their
  /// padded form where the other side stays empty (or their key is an Error).
  void JoinPendingWithState(size_t side, Time time);
  /// Padded rows of `side` for keys whose other side became non-empty (retract the side's
  /// state before the commit) or empty (insert its state after the commit).
  void EmitPaddingChanges(size_t side, bool other_became_non_empty, Time time);
  void ApplyPending(size_t side);
  void ReportDuplicateIds();
  /// id=left.id (right.id): Pathway keeps one result row per id. A row of the id's side
  /// matched by two or more rows of the other side gives one row whose other side is Error,
  /// not a row per match. The delta join emits the pairs; this replaces them, for every key
  /// the commit touched with two or more rows on the other side: called on the old state
  /// (before any ApplyPending) it takes back that state's correction (the pairs in, the
  /// Error rows out), on the new state it adds the new one.
  void CorrectDuplicateIds(bool old_state, Time time);
  /// Whether CorrectDuplicateIds has anything to do in this commit.
  bool HasDuplicateIds() const;

  /// Appends one joined row with `diff` (skipped when zero); flushes a full chunk when the
  /// commit's output need not be consolidated.
  void AppendJoined(const RowView& left_row, const RowView& right_row, const Key& join_key,
                    bool key_ok, Diff diff, Time time);
  Key ResultId(const RowView& left_row, const RowView& right_row, const Key& join_key,
               bool key_ok);
  /// Evaluates the outputs over the joined rows gathered so far and emits them
  /// (consolidated when `consolidate`).
  void Flush(Time time, bool consolidate);
  /// Points `view` at the stored values of `row` of `side`, decoded into scratch space.
  RowView StateRow(size_t side, uint32_t row);

  const JoinSpec& spec_;
  JoinArrangement arrangements_[2];
  PendingRows pending_[2];
  absl::flat_hash_map<Key, TouchedKey> touched_;
  bool consolidate_commit_ = false;

  std::vector<std::unique_ptr<ExprEvaluator>> output_evaluators_;
  Batch joined_;  ///< Joined rows awaiting evaluation; ids are result ids.
  Batch out_;
  KeyHasher hasher_;
  KeyHasher shard_hasher_;
  std::vector<Value> key_scratch_;
  std::vector<Value> state_scratch_[2];
  std::vector<const std::vector<Value>*> output_columns_;
  std::vector<std::pair<Key, uint32_t>> output_order_;
  std::vector<Diff> output_diffs_;
};

}  // namespace vigil
