#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "vigil/common/key.h"
#include "vigil/expr/evaluator.h"
#include "vigil/ops/operator.h"
#include "vigil/ops/temporal/commit_event_times.h"
#include "vigil/ops/temporal/event_clock.h"
#include "vigil/ops/temporal/temporal_spec.h"
#include "vigil/ops/temporal/threshold_queue.h"
#include "vigil/ops/temporal/time_columns.h"

namespace vigil {

/// Growth gate (a Vigil extension; windowby's `Behavior::growth_steps`): lets a big window's
/// result be updated in geometric steps instead of on every commit that changes it.
///
/// Why: a window whose result is a function of all its rows (a sorted_tuple, an alert that
/// lists every source) costs O(rows) to recompute, and under common_behavior it is recomputed
/// in every commit that touches it. A live run with small commits and one big group (a
/// botnet's campaign against one user: a thousand new sources a second) then spends
/// O(rows) per commit and falls behind, delaying every other window's results too. Behind the
/// gate a window is recomputed O(log rows) times as it grows, plus once when it closes.
///
/// Rules, per window (the rows of one `group_keys` value: start, end, instance):
///  - While the window has fewer than `min_rows` rows (net: insertions minus retractions,
///    held ones included), its changes pass at once, as without the gate.
///  - From then on its changes are held (consolidated, like the delay buffer's) and released
///    together at the end of the first commit in which the window has at least `next` rows;
///    then `next` = max(rows + 1, ceil(rows * factor)). A window that shrinks below
///    `min_rows` releases what it holds and passes its changes again.
///  - When "now" (the largest current time seen, this commit's included, as the delay
///    buffer's) reaches the window's threshold (end + cutoff), everything it holds is
///    released and the window's state freed: the cutoff before the gate lets no later row of
///    it through, and the forget after it drops the window in a later commit. So the window's
///    last result is exact, the same as without the gate.
///  - At the end of input everything held is released.
/// So every window's final result is the one computed without the gate; only intermediate
/// versions are skipped.
///
/// State: per window seen and not yet closed, its row count and next step; held rows (copied)
/// only for windows past `min_rows`.
class GrowthGateOperator final : public Operator {
 public:
  GrowthGateOperator(std::string name, const TemporalSpec& spec, size_t num_columns,
                     bool insert_only_input = false);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

 private:
  struct Window {
    int64_t rows = 0;  ///< Net rows, held ones included.
    int64_t next = 0;  ///< Release when rows reach it (0 until min_rows is reached).
    std::unique_ptr<ThresholdQueue> held;  ///< Null while the window passes its changes.
    bool touched = false;                  ///< In touched_ (changed in this commit).
  };
  /// Emits everything `w` holds.
  void Release(Window& w, Time time);

  TimeColumns time_columns_;
  std::vector<ExprEvaluator> key_evaluators_;  ///< The window's group keys.
  std::vector<const std::vector<Value>*> key_columns_;
  ValueArena key_arena_;
  GrowthSteps steps_;
  size_t num_columns_;
  EventClock now_;
  CommitEventTimes commit_times_;
  absl::flat_hash_map<Key, Window> windows_;
  std::vector<Key> touched_;
  ThresholdQueue closing_;  ///< Window keys by threshold (end + cutoff): when to free them.
  std::vector<Key> closed_;
  KeyHasher hasher_;
  Batch out_;
};

}  // namespace vigil
