#include "vigil/ops/window/session_assign_op.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace vigil {

namespace {
/// Orders times of one column: floats (or int/float mixes) numerically, ints and datetimes by
/// their 64-bit value.
std::strong_ordering CompareTimes(const Value& a, const Value& b) {
  if (a.kind() == ValueKind::kFloat || b.kind() == ValueKind::kFloat) {
    return CompareValues(a, b);
  }
  return a.as_timestamp() <=> b.as_timestamp();
}
}  // namespace

bool SessionAssignOperator::RowKeyLess::operator()(const RowKey& a, const RowKey& b) const {
  auto c = CompareTimes(a.time, b.time);
  if (c != 0) return c < 0;
  return a.id < b.id;
}

bool SessionAssignOperator::ValueLess::operator()(const StoredValue& a,
                                                  const StoredValue& b) const {
  return CompareValues(a.get(), b.get()) < 0;
}

SessionAssignOperator::SessionAssignOperator(std::string name, const SessionAssignSpec& spec,
                                             size_t input_columns)
    : Operator(std::move(name)),
      spec_(spec),
      input_columns_(input_columns),
      time_evaluator_(spec.time) {
  if (spec_.instance) instance_evaluator_.emplace(*spec_.instance);
  out_ = Batch(input_columns_ + 5);
}

bool SessionAssignOperator::Connected(const Value& prev, const Value& next) const {
  if (spec_.predicate) return spec_.predicate(prev, next);
  if (spec_.float_gap) return next.as_number() - prev.as_number() < spec_.max_gap_f;
  // next >= prev (rows are sorted by time), so a difference that overflows int64 is larger
  // than any gap: not connected (and no signed overflow).
  int64_t gap;
  if (__builtin_sub_overflow(next.as_timestamp(), prev.as_timestamp(), &gap)) return false;
  return gap < spec_.max_gap;
}

void SessionAssignOperator::OnBatch(size_t /*port*/, const Batch& batch, Time /*time*/) {
  // Sessions depend on the whole commit: copy the rows now, assign them in OnCommitEnd.
  scratch_arena_.Reset();
  const std::vector<Value>& times = time_evaluator_.Evaluate(batch, scratch_arena_);
  const std::vector<Value>* instances =
      instance_evaluator_ ? &instance_evaluator_->Evaluate(batch, scratch_arena_) : nullptr;
  size_t bad_times = 0;
  for (size_t i = 0; i < batch.num_rows(); ++i) {
    const Value& t = times[i];
    const ValueKind k = t.kind();
    if (k != ValueKind::kInt && k != ValueKind::kFloat && k != ValueKind::kDateTimeNaive &&
        k != ValueKind::kDateTimeUtc) {
      ++bad_times;
      continue;
    }
    Change change{StoredValue(instances ? (*instances)[i] : Value::None()),
                  RowKey{t, batch.ids[i]},
                  {},
                  batch.diffs[i]};
    change.values.reserve(input_columns_);
    for (size_t c = 0; c < input_columns_; ++c) change.values.emplace_back(batch.columns[c][i]);
    pending_.push_back(std::move(change));
  }
  if (bad_times > 0) {
    context().ReportEngineError(
        name(),
        fmt::format("{} row(s) with a None or Error time were left out of windowby", bad_times));
  }
}

void SessionAssignOperator::Append(const RowKey& key, const std::vector<StoredValue>& values,
                                   const Value& instance, const Assignment& a, int64_t diff) {
  for (size_t c = 0; c < input_columns_; ++c) out_.columns[c].push_back(values[c].get());
  out_.columns[input_columns_].push_back(a.start);
  out_.columns[input_columns_ + 1].push_back(a.end);
  out_.columns[input_columns_ + 2].push_back(instance);
  out_.columns[input_columns_ + 3].push_back(Value::Pointer(key.id));
  out_.columns[input_columns_ + 4].push_back(Value::Pointer(a.window));
  // The input row's own id, as Pathway (the session reduce groups the input table with its
  // window columns added): tuple order and any/earliest/latest ties depend on it.
  out_.ids.push_back(key.id);
  out_.diffs.push_back(diff);
}

void SessionAssignOperator::Recompute(Rows& rows, const Value& instance,
                                      const std::vector<RowKey>& changed) {
  if (rows.empty()) return;
  // The sessions to recompute are those (in the new order) holding a changed row or a
  // neighbour of a changed position. Their anchors (rows inside them) are visited in order,
  // skipping anchors inside a session already recomputed, so that walking back to a
  // session's first row never crosses the previous session's end (not connected to its
  // successor): every row is walked over a bounded number of times per commit, however long
  // the session (a predicate joining everything makes one session of the whole instance).
  anchors_.clear();
  for (const RowKey& key : changed) {
    auto it = rows.lower_bound(key);
    if (it != rows.end()) anchors_.push_back(it);
    if (it != rows.begin()) anchors_.push_back(std::prev(it));
    if (it != rows.end() && !RowKeyLess()(key, it->first)) {
      // The changed row itself is present: its successor may be a new neighbour too.
      auto next = std::next(it);
      if (next != rows.end()) anchors_.push_back(next);
    }
  }
  std::sort(anchors_.begin(), anchors_.end(), [](Rows::iterator a, Rows::iterator b) {
    return RowKeyLess()(a->first, b->first);
  });
  RowKey done_until{};
  bool any_done = false;
  for (Rows::iterator anchor : anchors_) {
    if (any_done && !RowKeyLess()(done_until, anchor->first)) continue;  // Already walked.
    auto first = anchor;
    while (first != rows.begin()) {
      auto prev = std::prev(first);
      if (!Connected(prev->first.time, first->first.time)) break;
      first = prev;
    }
    auto last = anchor;
    for (auto next = std::next(last);
         next != rows.end() && Connected(last->first.time, next->first.time); ++next) {
      last = next;
    }
    // Sorted by (time, id): the first row is the earliest, the last holds the max time. The
    // session is named by its last row, as Pathway's (every row points at its successor, to a
    // fixed point: the last row of the chain).
    const Assignment a{last->first.id, first->first.time, last->first.time};
    for (auto it = first;; ++it) {
      Row& row = it->second;
      const bool same = row.assigned && row.assigned->window == a.window &&
                        row.assigned->start == a.start && row.assigned->end == a.end;
      if (!same) {
        if (row.assigned) Append(it->first, row.values, instance, *row.assigned, -1);
        Append(it->first, row.values, instance, a, +1);
        row.assigned = a;
      }
      if (it == last) break;
    }
    done_until = last->first;
    any_done = true;
  }
}

void SessionAssignOperator::OnCommitEnd(Time time, bool /*end_of_input*/) {
  if (pending_.empty()) return;
  out_.Clear();
  for (Change& change : orphans_) pending_.push_back(std::move(change));
  // Consolidate the commit: an insertion and a retraction of the same row (same instance, time,
  // id and values) cancel, whatever their order in the input.
  std::stable_sort(pending_.begin(), pending_.end(), [](const Change& a, const Change& b) {
    auto c = CompareValues(a.instance.get(), b.instance.get());
    if (c != 0) return c < 0;
    return RowKeyLess()(a.key, b.key);
  });
  auto same_row = [](const Change& a, const Change& b) {
    if (CompareValues(a.instance.get(), b.instance.get()) != 0) return false;
    if (RowKeyLess()(a.key, b.key) || RowKeyLess()(b.key, a.key)) return false;
    for (size_t c = 0; c < a.values.size(); ++c) {
      if (!(a.values[c].get() == b.values[c].get())) return false;
    }
    return true;
  };
  for (size_t i = 0; i < pending_.size(); ++i) {
    for (size_t j = i + 1; j < pending_.size() && pending_[i].diff != 0; ++j) {
      if (pending_[j].diff == 0 || (pending_[i].diff > 0) == (pending_[j].diff > 0)) continue;
      if (!same_row(pending_[i], pending_[j])) {
        if (RowKeyLess()(pending_[i].key, pending_[j].key)) break;  // Past this row's group.
        continue;
      }
      pending_[i].diff = pending_[j].diff = 0;
    }
  }
  // Apply what fits the current state: an insertion needs its (time, id) free, a retraction
  // the identical row. What does not fit yet (an update's new values before its retraction,
  // or a retraction before its insertion when a commit was split) is retried until no change
  // applies, then kept in orphans_ for later commits, so transient negative multiplicities
  // resolve as in a Z-set.
  // Keyed by instances_ entries, in instance order so the output order is deterministic.
  auto by_instance = [](const StoredValue* a, const StoredValue* b) {
    return CompareValues(a->get(), b->get()) < 0;
  };
  std::map<const StoredValue*, std::vector<RowKey>, decltype(by_instance)> changed(by_instance);
  for (bool progress = true; progress;) {
    progress = false;
    for (Change& change : pending_) {
      if (change.diff == 0) continue;  // Applied, or cancelled by the consolidation.
      auto inst = instances_.find(change.instance);
      if (change.diff < 0) {
        if (inst == instances_.end()) continue;
        Rows& rows = inst->second;
        auto it = rows.find(change.key);
        if (it == rows.end()) continue;
        bool identical = true;
        for (size_t c = 0; c < input_columns_; ++c) {
          identical = identical && it->second.values[c].get() == change.values[c].get();
        }
        if (!identical) continue;
        if (it->second.assigned) {
          Append(it->first, it->second.values, inst->first.get(), *it->second.assigned, -1);
        }
        retired_.push_back(std::move(it->second));
        rows.erase(it);
      } else {
        if (inst == instances_.end()) {
          inst = instances_.emplace(StoredValue(change.instance.get()), Rows()).first;
        }
        Rows& rows = inst->second;
        if (rows.count(change.key) > 0) continue;
        rows.emplace(change.key, Row{std::move(change.values), std::nullopt});
      }
      changed[&inst->first].push_back(change.key);
      change.diff = 0;
      progress = true;
    }
  }
  for (auto& [instance, keys] : changed) {
    auto inst = instances_.find(*instance);
    Recompute(inst->second, inst->first.get(), keys);
  }
  Emit(out_, time);
  out_.Clear();
  retired_.clear();
  orphans_.clear();
  for (Change& change : pending_) {
    if (change.diff != 0) orphans_.push_back(std::move(change));
  }
  pending_.clear();
  // Instances left without rows are dropped so state follows the live data.
  for (auto it = instances_.begin(); it != instances_.end();) {
    it = it->second.empty() ? instances_.erase(it) : std::next(it);
  }
}

}  // namespace vigil
