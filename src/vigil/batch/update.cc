#include "vigil/batch/update.h"

#include <algorithm>

#include <fmt/format.h>

namespace vigil {

void AppendUpdates(const Batch& batch, Time time, std::vector<Update>& out) {
  // Grow geometrically: reserving exactly size + rows on every batch would reallocate (and
  // move every update held so far) once per batch, making a long output quadratic.
  const size_t needed = out.size() + batch.num_rows();
  if (needed > out.capacity()) out.reserve(std::max(needed, 2 * out.capacity()));
  for (size_t r = 0; r < batch.num_rows(); ++r) {
    Update u;
    u.id = batch.ids[r];
    u.row.reserve(batch.num_columns());
    for (const auto& column : batch.columns) u.row.emplace_back(column[r]);
    u.time = time;
    u.diff = batch.diffs[r];
    out.push_back(std::move(u));
  }
}

namespace {
int CompareRows(const std::vector<StoredValue>& a, const std::vector<StoredValue>& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    auto c = CompareValues(a[i].get(), b[i].get());
    if (c != std::strong_ordering::equal) return c < 0 ? -1 : 1;
    // Equal under the numeric order but not identical (1 vs 1.0): order by kind.
    if (!ValuesIdentical(a[i].get(), b[i].get())) {
      return a[i].get().kind() < b[i].get().kind() ? -1 : 1;
    }
  }
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return 0;
}
}  // namespace

bool UpdateLess(const Update& a, const Update& b) {
  if (a.time != b.time) return a.time < b.time;
  if (a.id != b.id) return a.id < b.id;
  return CompareRows(a.row, b.row) < 0;
}

void Consolidate(std::vector<Update>& updates) {
  std::sort(updates.begin(), updates.end(), UpdateLess);
  size_t out = 0;
  for (size_t i = 0; i < updates.size();) {
    size_t j = i + 1;
    Diff total = updates[i].diff;
    while (j < updates.size() && updates[j].time == updates[i].time &&
           updates[j].id == updates[i].id && CompareRows(updates[j].row, updates[i].row) == 0) {
      total += updates[j].diff;
      ++j;
    }
    if (total != 0) {
      if (out != i) updates[out] = std::move(updates[i]);
      updates[out].diff = total;
      ++out;
    }
    i = j;
  }
  updates.resize(out);
}

std::vector<Update> FinalState(std::vector<Update> updates) {
  for (auto& u : updates) u.time = 0;
  Consolidate(updates);
  return updates;
}

std::string DebugString(const Update& u) {
  std::string out = u.id.ToShortString();
  for (const auto& v : u.row) out += " | " + FormatValue(v.get());
  out += fmt::format(" | {} | {}", u.time, u.diff);
  return out;
}

}  // namespace vigil
