#pragma once

// Counters of the oracle rules that only some random streams reach (late rows cut off,
// windows forgotten, end-of-input flushes, sessions merging and splitting): the coverage test
// checks that the generators keep reaching them.

#include <cstdint>

namespace vigil::oracle {

/// How often each rule was applied, summed over the evaluations that were given this.
struct Coverage {
  int64_t pairs_cut_off = 0;      ///< (row, window) pairs a cutoff dropped.
  int64_t retractions_cut_off = 0;  ///< Of those, retractions: the window keeps the row.
  int64_t pairs_delayed = 0;      ///< Pairs a delay still held after a commit (per commit).
  int64_t pairs_flushed = 0;      ///< Pairs that came out only at end of input.
  int64_t windows_forgotten = 0;  ///< With keep_results=True.
  int64_t windows_retracted = 0;  ///< Forgotten with keep_results=False.
  int64_t windows_forgotten_at_end = 0;  ///< By pairs the end-of-input flush released.
  int64_t rows_dropped_late = 0;  ///< By ignore_late.
  int64_t rows_buffered = 0;      ///< Rows buffer still held after a commit (per commit).
  int64_t rows_flushed = 0;       ///< By buffer at end of input.
  int64_t rows_forgotten = 0;     ///< By forget.
  int64_t session_moves = 0;      ///< Rows whose session changed while they did not.
};

}  // namespace vigil::oracle
