#include "behavior_replay.h"

#include <algorithm>
#include <stdexcept>

#include "window_assignment.h"

namespace vigil::oracle {

namespace {

void Advance(std::optional<int64_t>& now, int64_t t) {
  if (!now || t > *now) now = t;
}

}  // namespace

bool BehaviorReplay::Pair::SameAs(const Pair& other) const {
  return row_key == other.row_key && start == other.start && RowEqual(values, other.values);
}

BehaviorReplay::BehaviorReplay(const Pipeline& pipeline, Coverage* coverage)
    : pipeline_(pipeline),
      coverage_(coverage),
      behavior_(pipeline.behavior->Effective(pipeline.window.Duration())) {}

std::vector<BehaviorReplay::Pair> BehaviorReplay::PairsOf(
    const std::vector<RowChange>& changes) const {
  const WindowSpec& w = pipeline_.window;
  std::vector<Pair> out;
  for (const RowChange& c : changes) {
    for (auto [start, index] : AssignWindows(w, c.values.at("t").as_int())) {
      Pair p;
      p.row_key = HashValues({OValue::Pointer(c.id), OValue::Int(index)});
      p.input_id = c.id;
      p.values = c.values;
      p.instance = w.instance ? c.values.at(*w.instance) : OValue::None();
      p.start = start;
      p.end = start + w.Duration();
      p.diff = c.diff;
      out.push_back(std::move(p));
    }
  }
  return out;
}

void BehaviorReplay::AddConsolidated(std::vector<Pair>& set, const std::vector<Pair>& pairs) {
  for (const Pair& p : pairs) {
    auto it = std::find_if(set.begin(), set.end(), [&](const Pair& q) { return q.SameAs(p); });
    if (it == set.end()) {
      set.push_back(p);
      continue;
    }
    it->diff += p.diff;
    if (it->diff == 0) set.erase(it);
  }
}

Groups BehaviorReplay::GroupsOf(const std::vector<Pair>& pairs) const {
  Groups groups;
  for (const Pair& p : pairs) {
    OValue start = OValue::Int(p.start), end = OValue::Int(p.end);
    std::vector<OValue> key = {OValue::Tuple({p.instance, start, end}), start, end, p.instance};
    groups[key].push_back(Member{p.row_key, p.input_id, p.time, p.values});
  }
  return groups;
}

void BehaviorReplay::Commit(const std::vector<RowChange>& changes, uint64_t time,
                            bool end_of_input) {
  const std::vector<Pair> pairs = PairsOf(changes);

  // 1. Cutoff gate, with the now of the earlier commits.
  std::vector<Pair> passed;
  for (const Pair& p : pairs) {
    if (!behavior_.cutoff || !cutoff_now_ || *cutoff_now_ < p.end + *behavior_.cutoff) {
      passed.push_back(p);
    }
  }
  for (const Pair& p : pairs) Advance(cutoff_now_, p.t());
  if (coverage_) {
    coverage_->pairs_cut_off += static_cast<int64_t>(pairs.size() - passed.size());
    for (const Pair& p : pairs) coverage_->retractions_cut_off += p.diff < 0;
    for (const Pair& p : passed) coverage_->retractions_cut_off -= p.diff < 0;
  }

  // 2. Delay buffer, with the now including this commit.
  std::vector<Pair> released;
  if (behavior_.delay) {
    AddConsolidated(held_, passed);
    for (const Pair& p : passed) Advance(delay_now_, p.t());
    std::vector<Pair> still_held;
    for (const Pair& p : held_) {
      const bool due = end_of_input || (delay_now_ && p.start + *behavior_.delay <= *delay_now_);
      (due ? released : still_held).push_back(p);
    }
    held_ = std::move(still_held);
    if (coverage_) {
      coverage_->pairs_delayed += static_cast<int64_t>(held_.size());
      if (end_of_input) coverage_->pairs_flushed += static_cast<int64_t>(released.size());
    }
  } else {
    released = std::move(passed);
  }
  if (released.empty()) return;

  // What reaches the reduce now is inserted at this commit's time.
  for (Pair p : released) {
    p.time = time;
    for (int64_t n = 0; n < p.diff; ++n) {
      Pair one = p;
      one.diff = 1;
      reduced_.push_back(std::move(one));
    }
    for (int64_t n = 0; n < -p.diff; ++n) {
      auto it = std::find_if(reduced_.begin(), reduced_.end(),
                             [&](const Pair& q) { return q.SameAs(p); });
      if (it == reduced_.end()) {
        throw std::logic_error("oracle: a retraction reached the reduce for an absent pair " +
                               p.row_key.ToString() + " at time " + std::to_string(time));
      }
      reduced_.erase(it);
    }
  }

  // 3. Forgetting, with the now of the earlier commits that reached this step.
  if (!behavior_.cutoff) return;
  if (forget_now_) {
    std::vector<Pair> forgotten;
    std::vector<Pair> kept;
    for (const Pair& p : reduced_) {
      (p.end + *behavior_.cutoff <= *forget_now_ ? forgotten : kept).push_back(p);
    }
    std::vector<OutputRow> rows = ReduceGroups(pipeline_, GroupsOf(forgotten));
    if (coverage_) {
      (behavior_.keep_results ? coverage_->windows_forgotten : coverage_->windows_retracted) +=
          static_cast<int64_t>(rows.size());
      if (end_of_input) coverage_->windows_forgotten_at_end += static_cast<int64_t>(rows.size());
    }
    if (behavior_.keep_results) {
      for (auto& row : rows) kept_rows_.push_back(std::move(row));
    }
    reduced_ = std::move(kept);
  }
  for (const Pair& p : released) {
    Advance(forget_now_, behavior_.delay ? std::max(p.t(), p.start + *behavior_.delay) : p.t());
  }
}

std::vector<OutputRow> BehaviorReplay::Output() const {
  std::vector<OutputRow> out = ReduceGroups(pipeline_, GroupsOf(reduced_));
  out.insert(out.end(), kept_rows_.begin(), kept_rows_.end());
  return out;
}

}  // namespace vigil::oracle
