#include "plain_temporal_replay.h"

#include <algorithm>

namespace vigil::oracle {

namespace {

std::optional<int64_t> Advanced(std::optional<int64_t> now, const std::vector<RowChange>& rows) {
  for (const RowChange& r : rows) {
    const int64_t t = r.values.at("t").as_int();
    if (!now || t > *now) now = t;
  }
  return now;
}

}  // namespace

bool PlainTemporalReplay::Reached(const std::optional<int64_t>& now, const Row& row) const {
  return now && static_cast<double>(*now) >=
                    static_cast<double>(row.at("t").as_int()) + spec_.threshold;
}

int64_t PlainTemporalReplay::CountReached(const std::optional<int64_t>& now) const {
  return std::count_if(table_.begin(), table_.end(),
                       [&](const TimedRow& r) { return Reached(now, r.values); });
}

void PlainTemporalReplay::Commit(const std::vector<RowChange>& changes, uint64_t time,
                                 bool end_of_input) {
  switch (spec_.kind) {
    case TemporalOpSpec::Kind::kNone:
      ApplyChanges(table_, changes, time);
      return;
    case TemporalOpSpec::Kind::kIgnoreLate: {
      // Judged with the now of the earlier commits; a dropped row (or retraction) is gone
      // for good.
      std::vector<RowChange> passed;
      for (const RowChange& c : changes) {
        if (!Reached(now_, c.values)) passed.push_back(c);
      }
      now_ = Advanced(now_, changes);
      ApplyChanges(table_, passed, time);
      if (coverage_) {
        coverage_->rows_dropped_late += static_cast<int64_t>(changes.size() - passed.size());
      }
      return;
    }
    case TemporalOpSpec::Kind::kBuffer: {
      // Now advances with this commit first; then everything due comes out (all of it at
      // end of input). A retraction meets its held insertion and both vanish.
      std::vector<RowChange> all = held_;
      all.insert(all.end(), changes.begin(), changes.end());
      held_ = Consolidated(all);
      now_ = Advanced(now_, changes);
      std::vector<RowChange> released;
      std::vector<RowChange> still_held;
      for (const RowChange& h : held_) {
        (end_of_input || Reached(now_, h.values) ? released : still_held).push_back(h);
      }
      held_ = std::move(still_held);
      ApplyChanges(table_, released, time);
      if (coverage_) {
        coverage_->rows_buffered += static_cast<int64_t>(held_.size());
        if (end_of_input) coverage_->rows_flushed += static_cast<int64_t>(released.size());
      }
      return;
    }
    case TemporalOpSpec::Kind::kForget:
      // Rows pass through; a commit that brings rows forgets every row whose threshold the
      // now of the earlier commits reached (including rows it brings itself).
      if (changes.empty()) return;
      const int64_t forgotten_before = CountReached(forget_bar_);
      ApplyChanges(table_, changes, time);
      forget_bar_ = now_;
      now_ = Advanced(now_, changes);
      if (coverage_) {
        coverage_->rows_forgotten += std::max<int64_t>(0, CountReached(forget_bar_) - forgotten_before);
      }
      return;
  }
}

std::vector<TimedRow> PlainTemporalReplay::Output() const {
  if (spec_.kind != TemporalOpSpec::Kind::kForget) return table_;
  std::vector<TimedRow> out;
  for (const TimedRow& r : table_) {
    if (!Reached(forget_bar_, r.values)) out.push_back(r);
  }
  return out;
}

}  // namespace vigil::oracle
