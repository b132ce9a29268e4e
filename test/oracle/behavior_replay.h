#pragma once

// A tumbling/sliding windowby with a temporal behavior (SEMANTICS.md §2), replayed commit by
// commit from the rules of §2.3, in their order, on (row, window) pairs:
//
//  1. cutoff gate (when cutoff is set): a pair passes iff no "now" exists yet or
//     now < window_end + cutoff, "now" being the largest event time of all pairs (passed or
//     not, insertions and retractions) of the earlier commits. A pair dropped here is gone
//     for good: the window does not see it even if its retraction comes later.
//  2. delay buffer (when delay is set): "now" first advances with this commit's passed pairs;
//     then every held pair with window_start + delay <= now comes out at this commit's time;
//     at end of input everything still held comes out. A retraction cancels its held
//     insertion.
//  3. forgetting (when cutoff is set): a commit in which pairs reach this step first forgets
//     every window with window_end + cutoff <= the "now" of the earlier such commits, "now"
//     following max(t, window_start + delay) of the pairs that reached it. keep_results=False
//     retracts the forgotten window's row; keep_results=True keeps the row it had (Pathway
//     filters the forgetting retractions out of the result).
//  4. reduce per window, as without behavior; a pair's processing time (earliest/latest) is
//     the commit at which it came out of step 2.

#include <cstdint>
#include <optional>
#include <vector>

#include "coverage.h"
#include "input_stream.h"
#include "naive_reduce.h"
#include "pipeline.h"

namespace vigil::oracle {

class BehaviorReplay {
 public:
  /// `pipeline` must have a behavior on a tumbling/sliding window. Counts into `coverage`
  /// when given.
  BehaviorReplay(const Pipeline& pipeline, Coverage* coverage);

  /// Processes one commit's consolidated changes (after filter/with_columns).
  void Commit(const std::vector<RowChange>& changes, uint64_t time, bool end_of_input);

  /// The windowby's output after the last commit.
  std::vector<OutputRow> Output() const;

 private:
  /// A (row, window) pair with its diff, or, in `reduced_`, with its processing time.
  struct Pair {
    Key row_key;  ///< hash(Pointer(input id), Int(window index)).
    Key input_id;
    Row values;
    OValue instance;
    int64_t start = 0;
    int64_t end = 0;
    int64_t diff = 1;
    uint64_t time = 0;

    int64_t t() const { return values.at("t").as_int(); }
    bool SameAs(const Pair& other) const;
  };

  std::vector<Pair> PairsOf(const std::vector<RowChange>& changes) const;
  /// Adds `pairs` to a multiset of pairs, cancelling opposite diffs.
  static void AddConsolidated(std::vector<Pair>& set, const std::vector<Pair>& pairs);
  Groups GroupsOf(const std::vector<Pair>& pairs) const;

  const Pipeline& pipeline_;
  Coverage* coverage_;
  BehaviorSpec behavior_;  ///< The effective common behavior.
  std::optional<int64_t> cutoff_now_;
  std::optional<int64_t> delay_now_;
  std::optional<int64_t> forget_now_;
  std::vector<Pair> held_;     ///< In the delay buffer.
  std::vector<Pair> reduced_;  ///< Reached the reduce and not forgotten (diff 1 each).
  std::vector<OutputRow> kept_rows_;  ///< keep_results=True: rows of forgotten windows.
};

}  // namespace vigil::oracle
