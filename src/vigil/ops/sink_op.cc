#include "vigil/ops/sink_op.h"

namespace vigil {

void UpdateSink::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  AppendUpdates(batch, time, pending_);
}

void UpdateSink::OnCommitEnd(Time time, bool /*end_of_input*/) {
  if (pending_.empty()) return;
  Consolidate(pending_);
  if (!pending_.empty()) Consume(pending_, time);
  pending_.clear();
  OnTimeEnd(time);
}

void CaptureSink::Consume(std::vector<Update>& updates, Time /*time*/) {
  for (auto& u : updates) updates_.push_back(std::move(u));
}

void SubscribeSink::Consume(std::vector<Update>& updates, Time time) {
  if (!callbacks_.on_change) return;
  // Retractions before insertions, so a replaced row is removed before its new version.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& u : updates) {
      if ((u.diff < 0) != (pass == 0)) continue;
      row_.clear();
      for (const auto& v : u.row) row_.push_back(v.get());
      const Diff count = u.diff < 0 ? -u.diff : u.diff;
      for (Diff k = 0; k < count; ++k) callbacks_.on_change(u.id, row_, time, u.diff > 0);
    }
  }
}

void SubscribeSink::OnTimeEnd(Time time) {
  if (callbacks_.on_time_end) callbacks_.on_time_end(time);
}

void SubscribeSink::OnEnd() {
  if (callbacks_.on_end) callbacks_.on_end();
}

}  // namespace vigil
