#include "window_assignment.h"

#include <algorithm>

namespace vigil::oracle {

std::vector<std::pair<int64_t, int64_t>> AssignWindows(const WindowSpec& w, int64_t t) {
  const int64_t origin = w.origin.value_or(0);
  const int64_t hop = w.hop;
  const int64_t duration = w.Duration();
  // Every k whose window could contain t, and a margin on both sides.
  const int64_t k_low = FloorDiv(t - origin - duration, hop) - 2;
  const int64_t k_high = FloorDiv(t - origin, hop) + 2;
  std::vector<std::pair<int64_t, int64_t>> out;
  int64_t index = 0;
  for (int64_t k = k_low; k <= k_high; ++k) {
    int64_t start = origin + k * hop;
    int64_t end = start + duration;
    if (!(start <= t && t < end)) continue;
    if (!w.origin || start >= *w.origin) out.emplace_back(start, index);
    ++index;
  }
  return out;
}

std::vector<SessionOf> AssignSessions(const WindowSpec& w, const std::vector<TimedRow>& rows,
                                      SessionRepresentative representative) {
  auto instance_of = [&](const TimedRow& r) {
    return w.instance ? r.values.at(*w.instance) : OValue::None();
  };
  // Row indexes sorted by (instance, t, id).
  std::vector<size_t> order(rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    int c = Compare(instance_of(rows[a]), instance_of(rows[b]));
    if (c != 0) return c < 0;
    int64_t ta = rows[a].values.at("t").as_int(), tb = rows[b].values.at("t").as_int();
    if (ta != tb) return ta < tb;
    return KeyLess(rows[a].id, rows[b].id);
  });
  std::vector<SessionOf> out(rows.size());
  size_t first = 0;
  while (first < order.size()) {
    // The session starting at order[first] runs while adjacent rows of one instance join.
    size_t last = first;
    while (last + 1 < order.size() &&
           Equal(instance_of(rows[order[last]]), instance_of(rows[order[last + 1]])) &&
           w.Joins(rows[order[last]].values.at("t").as_int(),
                   rows[order[last + 1]].values.at("t").as_int())) {
      ++last;
    }
    SessionOf session;
    session.representative = representative == SessionRepresentative::kLastRow
                                 ? rows[order[last]].id
                                 : rows[order[first]].id;
    session.start = rows[order[first]].values.at("t").as_int();
    session.end = rows[order[last]].values.at("t").as_int();
    for (size_t i = first; i <= last; ++i) out[order[i]] = session;
    first = last + 1;
  }
  return out;
}

}  // namespace vigil::oracle
