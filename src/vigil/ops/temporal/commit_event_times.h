#pragma once

#include <cstdint>
#include <vector>

#include "vigil/batch/batch.h"
#include "vigil/common/key.h"
#include "vigil/ops/temporal/event_clock.h"

namespace vigil {

/// The event times a temporal operator sees in one commit, consolidated: Pathway's temporal
/// operators read each processing time's data after consolidation, so a row inserted and
/// retracted in the same commit (or retracted and re-inserted unchanged) is no data at all:
/// it must neither move "now" nor make the commit one "that brings rows". Rows are identified
/// as Consolidate does, by id and all values.
class CommitEventTimes {
 public:
  /// `insert_only`: every row is an insertion (the operator's input is insert-only,
  /// Executor::OutputIsInsertOnly), so nothing can cancel and no row needs identifying: only
  /// the largest time is kept. Saves a fingerprint of every row's values, about 10% of a
  /// replayed auth.log's CPU (docs/PERFORMANCE.md, "Insert-only temporal operators").
  explicit CommitEventTimes(bool insert_only = false) : insert_only_(insert_only) {}

  /// The rows of `batch`, whose current times (one per time expression) are
  /// `(*times[k])[row]`.
  void Add(const Batch& batch, const std::vector<const std::vector<Value>*>& times);
  /// At the commit's end: advances `now` with the largest time of the rows that did not
  /// cancel, and returns whether any row did not cancel. Forgets the commit.
  bool Finish(EventClock& now);

 private:
  struct Entry {
    uint64_t version;  ///< Fingerprint of the id and every value.
    EventClock time;   ///< The row's largest current time.
    Diff diff;
  };
  /// Add() of one row, when rows may cancel (not insert_only_).
  void AddRow(const Batch& batch, size_t row, const std::vector<const std::vector<Value>*>& times);
  /// A 64-bit fingerprint of (id, values) for matching a retraction with its insertion
  /// within one commit (vigil/types/value_fingerprint.h); a collision (about 2^-64 per pair
  /// of rows) could only make two rows of one commit count as cancelling.
  static uint64_t Fingerprint(const Batch& batch, size_t row);
  bool insert_only_;
  EventClock insert_only_max_;  ///< insert_only_: this commit's largest time so far.
  bool any_row_ = false;        ///< insert_only_: a row came in this commit.
  std::vector<Entry> entries_;
  bool any_retraction_ = false;
};

}  // namespace vigil
