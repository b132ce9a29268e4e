#include "vigil/ops/temporal/commit_event_times.h"

#include <algorithm>
#include <utility>

#include "vigil/types/value_fingerprint.h"

namespace vigil {

void CommitEventTimes::AddRow(const Batch& batch, size_t row,
                              const std::vector<const std::vector<Value>*>& times) {
  const Diff diff = batch.diffs[row];
  if (diff == 0) return;
  Entry entry{0, EventClock(), diff};
  for (const auto* column : times) entry.time.Advance((*column)[row]);
  if (diff < 0) any_retraction_ = true;
  entry.version = Fingerprint(batch, row);
  entries_.push_back(entry);
}

void CommitEventTimes::Add(const Batch& batch,
                           const std::vector<const std::vector<Value>*>& times) {
  if (!insert_only_) {
    for (size_t row = 0; row < batch.num_rows(); ++row) AddRow(batch, row, times);
    return;
  }
  // Insert-only: only the largest time matters, a column at a time.
  for (const auto* column : times) {
    for (const Value& t : *column) insert_only_max_.Advance(t);
  }
  any_row_ = any_row_ || !batch.empty();
}

uint64_t CommitEventTimes::Fingerprint(const Batch& batch, size_t row) {
  uint64_t h = MixFingerprint(0, batch.ids[row]);
  for (const auto& column : batch.columns) h = FingerprintValue(h, column[row]);
  return h;
}

bool CommitEventTimes::Finish(EventClock& now) {
  if (insert_only_) {
    now.Advance(insert_only_max_);
    insert_only_max_ = EventClock();
    return std::exchange(any_row_, false);
  }
  bool any = false;
  if (!any_retraction_) {
    // Insertions only (the usual case): nothing can cancel.
    for (const Entry& e : entries_) now.Advance(e.time);
    any = !entries_.empty();
  } else {
    std::sort(entries_.begin(), entries_.end(),
              [](const Entry& a, const Entry& b) { return a.version < b.version; });
    for (size_t i = 0; i < entries_.size();) {
      size_t j = i;
      Diff sum = 0;
      for (; j < entries_.size() && entries_[j].version == entries_[i].version; ++j) {
        sum += entries_[j].diff;
      }
      if (sum != 0) {
        now.Advance(entries_[i].time);  // Equal rows have equal times.
        any = true;
      }
      i = j;
    }
  }
  entries_.clear();
  any_retraction_ = false;
  return any;
}

}  // namespace vigil
