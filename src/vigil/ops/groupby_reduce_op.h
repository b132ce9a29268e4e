#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include "vigil/expr/evaluator.h"
#include "vigil/ops/operator.h"
#include "vigil/ops/reduce/reducer.h"
#include "vigil/types/packed_values.h"

namespace vigil {

/// What a groupby(...).reduce(...) computes, fixed at graph-compile time.
struct GroupBySpec {
  /// Grouping expressions over the input; a group's id is the hash of their values.
  std::vector<BoundExpr> keys;
  /// Index into `keys` whose value supplies the id's low 16 bits (windowby's instance).
  std::optional<size_t> shard_key;
  /// Reducers with their argument expressions over the input.
  std::vector<ReducerSpec> reducers;
  std::vector<std::vector<BoundExpr>> reducer_args;
  /// Output columns, as expressions over the "group row": keys then reducer results.
  std::vector<BoundExpr> outputs;
};

/// groupby + reduce, incrementally.
///
/// State per group: its id, the key values the outputs read (packed), the row count, the
/// reducer states. Memory per group is what bounds a run over many keys (10M distinct IPs in
/// one window), so it is kept small (bench/memory_per_key.sh measures it):
///  - groups live in fixed-size chunks (32 bytes each plus a flag byte), never moved or
///    over-allocated by a doubling vector;
///  - the id-to-slot index is a hash set of 4-byte slot numbers, hashed and compared through
///    the group's own key, so the 16-byte id is stored once;
///  - count() without arguments is the group's row count itself, with no reducer state. Input batches update state and mark groups dirty; at the end of a commit
/// each dirty group emits `-old` and/or `+new` (nothing if its output did not change). A
/// group whose rows all vanish emits only `-old` and its slot is recycled, so memory follows
/// the number of live groups.
///
/// The last emitted row of a group is not stored: it is a function of the group's state, so
/// when a group that has emitted is first touched in a commit, its output is computed from
/// the state as it still is and kept until the commit ends (memory per changed group, not
/// per group). It is kept as views, not copied: into an arena reset at the commit's end, and
/// into reducer state, which reducers do not free before then (ReducerState::ReleaseRetired).
///
/// A windowby's forget step (ops/temporal/forget_op.h) names groups to be dropped whole, as
/// if all their rows were retracted, by their keys; that takes effect at the end of the
/// commit, after every row of the commit has arrived:
///  - DropGroupsAtCommitEnd (keep_results=False): before the commit's output, so the group's
///    result is retracted in this commit;
///  - ForgetGroupsAtCommitEnd (keep_results=True): after the commit's output, silently: the
///    group's memory is freed and its result stays. Pathway applies these retractions at the
///    time just after the commit and filters that time's results out of the windowby.
///
/// Holding results (HoldResults, an exactly_once windowby: ops/temporal/delay_op.h): a new
/// group is *held*: its rows are aggregated as they come but nothing is emitted until the
/// delay step names it in ReleaseGroupsAtCommitEnd; from then on it is an ordinary group
/// (its result is emitted in that commit; forget frees it later).
class GroupByReduceOperator final : public Operator {
 public:
  /// `insert_only_input`: every row reaching this operator is an insertion (the executor
  /// knows it from the sources and the operators in between), so reducers may keep less
  /// state (MakeReducerState).
  GroupByReduceOperator(std::string name, const GroupBySpec& spec,
                        bool insert_only_input = false);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

  /// The group keys of the rows of the last batch received (valid until the next batch),
  /// and whether each row could be grouped (no Error in its key).
  const std::vector<Key>& last_batch_keys() const { return row_keys_; }
  const std::vector<uint8_t>& last_batch_key_ok() const { return row_key_ok_; }
  /// See the class comment.
  void DropGroupsAtCommitEnd(const std::vector<Key>& keys) {
    groups_to_drop_.insert(groups_to_drop_.end(), keys.begin(), keys.end());
  }
  void ForgetGroupsAtCommitEnd(const std::vector<Key>& keys) {
    groups_to_forget_.insert(groups_to_forget_.end(), keys.begin(), keys.end());
  }
  /// See the class comment: from now on new groups are held until released.
  void HoldResults() { hold_results_ = true; }
  bool holds_results() const { return hold_results_; }
  /// The executor relies on this groupby never retracting a result (a held-results windowby
  /// over an insert-only input that keeps its results: each group is emitted once, when
  /// released, and no row enters it after): a retraction would then be an engine bug, and
  /// fails the run instead of reaching operators that rely on the promise.
  void PromiseInsertOnlyOutput() { insert_only_output_ = true; }
  void ReleaseGroupsAtCommitEnd(const std::vector<Key>& keys) {
    groups_to_release_.insert(groups_to_release_.end(), keys.begin(), keys.end());
  }

  /// Live groups (each holds its key values and reducer state).
  size_t num_groups() const { return slots_.size(); }

 private:
  struct Group {
    Key key;
    PackedValues stored_keys;  // The key columns listed in stored_key_columns_.
    int64_t count = 0;
  };
  static_assert(sizeof(Group) == 32, "a group's fixed state is 32 bytes");
  /// Per-group flags, beside the groups (a byte each rather than 8 bytes of padding).
  static constexpr uint8_t kDirty = 1, kEmitted = 2, kHeld = 4;
  /// Groups in chunks of kChunkGroups: slot s is chunks_[s / kChunkGroups][s % kChunkGroups].
  static constexpr uint32_t kChunkGroups = 4096;
  struct Chunk {
    Group groups[kChunkGroups];
    uint8_t flags[kChunkGroups] = {};
  };
  Group& group(uint32_t slot) { return chunks_[slot / kChunkGroups]->groups[slot % kChunkGroups]; }
  const Group& group(uint32_t slot) const {
    return chunks_[slot / kChunkGroups]->groups[slot % kChunkGroups];
  }
  uint8_t& flags(uint32_t slot) { return chunks_[slot / kChunkGroups]->flags[slot % kChunkGroups]; }

  /// Hash and equality of the slot index: a slot stands for its group's key, and lookups
  /// take the key itself (heterogeneous lookup), so the key is stored only in the group.
  struct SlotHash {
    using is_transparent = void;
    const GroupByReduceOperator* op;
    size_t operator()(const Key& key) const { return absl::Hash<Key>{}(key); }
    size_t operator()(uint32_t slot) const { return (*this)(op->group(slot).key); }
  };
  struct SlotEq {
    using is_transparent = void;
    const GroupByReduceOperator* op;
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(uint32_t slot, const Key& key) const { return op->group(slot).key == key; }
    bool operator()(const Key& key, uint32_t slot) const { return op->group(slot).key == key; }
  };

  uint32_t SlotFor(const Key& key, size_t row);
  /// Evaluates the grouping expressions over `batch` into key_columns_ and the key of every
  /// row into row_keys_ (row_key_ok_[i] is 0 when a key value is Error); returns how many
  /// rows have no usable key.
  size_t ComputeRowKeys(const Batch& batch);
  /// Before the reducers of the groups in to_snapshot_ change: keeps the outputs they emitted
  /// before (see the class comment).
  void SnapshotOldOutputs();
  /// Empties the groups named by `keys`, for this commit's output.
  void DropGroups(const std::vector<Key>& keys);
  /// Frees the groups named by `keys`, emitting nothing.
  void ForgetGroups(const std::vector<Key>& keys);
  /// Ends the hold of the groups named by `keys`: they are emitted in this commit.
  void ReleaseGroups(const std::vector<Key>& keys);
  /// Marks `slot` changed in this commit (unless held), to be snapshotted if it had emitted.
  void MarkDirty(uint32_t slot);
  /// Whether `out` holds insertions only; if not, fails the run (PromiseInsertOnlyOutput).
  bool KeepsInsertOnlyPromise(const Batch& out);
  void RecycleSlot(uint32_t slot);
  /// Fills `rows` with the group rows (keys + reducer results) of `slots`, then evaluates the
  /// output expressions over them; returns the output columns. Without `reset_arena`, values
  /// computed before into `rows.arena` stay valid.
  std::vector<const std::vector<Value>*>& ComputeOutputs(const std::vector<uint32_t>& slots,
                                                        Batch& rows, bool reset_arena = true);

  const GroupBySpec& spec_;
  std::vector<std::unique_ptr<ExprEvaluator>> key_evaluators_;
  std::vector<std::vector<std::unique_ptr<ExprEvaluator>>> arg_evaluators_;
  /// One per reducer; null for count() without arguments, read from the group's count.
  std::vector<std::unique_ptr<ReducerState>> reducers_;
  std::vector<std::unique_ptr<ExprEvaluator>> output_evaluators_;
  /// Key columns the outputs read; only these are stored per group.
  std::vector<size_t> stored_key_columns_;
  bool needs_row_versions_ = false;

  std::vector<std::unique_ptr<Chunk>> chunks_;
  uint32_t num_slots_ = 0;  ///< Slots ever handed out (live or free).
  absl::flat_hash_set<uint32_t, SlotHash, SlotEq> slots_;  ///< Live slots, found by key.
  std::vector<uint32_t> free_slots_;
  std::vector<uint32_t> dirty_slots_;

  // Outputs emitted before, of groups changed in this commit (see the class comment).
  Batch old_outputs_;
  absl::flat_hash_map<uint32_t, uint32_t> old_output_row_;
  std::vector<uint32_t> to_snapshot_;

  // Scratch, reused across batches and commits.
  ValueArena scratch_arena_;
  std::vector<const std::vector<Value>*> key_columns_;
  std::vector<const std::vector<Value>*> output_columns_;
  std::vector<uint32_t> row_slots_;
  std::vector<Key> row_keys_;
  std::vector<uint8_t> row_key_ok_;
  /// Groups to drop / forget at the end of this commit.
  std::vector<Key> groups_to_drop_;
  std::vector<Key> groups_to_forget_;
  std::vector<Key> groups_to_release_;
  bool hold_results_ = false;
  bool insert_only_output_ = false;  ///< See PromiseInsertOnlyOutput.
  std::vector<const std::vector<Value>*> arg_columns_;
  std::vector<Value> key_scratch_;
  std::vector<Key> row_versions_;
  std::vector<uint32_t> live_;
  KeyHasher hasher_;
  KeyHasher shard_hasher_;
  Batch group_rows_;
  Batch snapshot_rows_;
  Batch out_;
};

}  // namespace vigil
