#include "vigil/ops/temporal/commit_event_times.h"

#include <algorithm>
#include <bit>
#include <utility>

#include <xxhash.h>

namespace vigil {

void CommitEventTimes::Add(const Batch& batch, size_t row,
                           const std::vector<const std::vector<Value>*>& times) {
  const Diff diff = batch.diffs[row];
  if (diff == 0) return;
  if (insert_only_) {
    for (const auto* column : times) insert_only_max_.Advance((*column)[row]);
    any_row_ = true;
    return;
  }
  Entry entry{0, EventClock(), diff};
  for (const auto* column : times) entry.time.Advance((*column)[row]);
  if (diff < 0) any_retraction_ = true;
  entry.version = Fingerprint(batch, row);
  entries_.push_back(entry);
}

namespace {
// A multiply-xorshift step (splitmix64's finalizer) folding one 64-bit word into the state:
// a few instructions per value; strings go through XXH3-64.
inline uint64_t Mix(uint64_t state, uint64_t word) {
  uint64_t x = (state ^ word) * 0x9E3779B97F4A7C15ULL;
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ULL;
  return x ^ (x >> 29);
}

uint64_t FingerprintValue(uint64_t h, const Value& v) {
  h = Mix(h, static_cast<uint64_t>(v.kind()));
  switch (v.kind()) {
    case ValueKind::kString: {
      const std::string_view s = v.as_string();
      return Mix(h, XXH3_64bits(s.data(), s.size()));
    }
    case ValueKind::kPointer:
      return Mix(Mix(h, v.as_pointer().lo), v.as_pointer().hi);
    case ValueKind::kTuple:
      h = Mix(h, v.tuple_size());
      for (uint32_t i = 0; i < v.tuple_size(); ++i) h = FingerprintValue(h, v.tuple_at(i));
      return h;
    case ValueKind::kFloat:
      return Mix(h, std::bit_cast<uint64_t>(v.as_float()));
    case ValueKind::kNone:
    case ValueKind::kError:
      return h;
    default:  // Bool, int, datetimes, duration: the 64-bit payload.
      return Mix(h, static_cast<uint64_t>(v.as_int()));
  }
}
}  // namespace

uint64_t CommitEventTimes::Fingerprint(const Batch& batch, size_t row) {
  uint64_t h = Mix(Mix(0, batch.ids[row].lo), batch.ids[row].hi);
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
