#include "input_stream.h"

#include <algorithm>
#include <stdexcept>

namespace vigil::oracle {

std::vector<RowChange> Consolidated(const std::vector<RowChange>& changes) {
  std::vector<RowChange> out;
  for (const RowChange& c : changes) {
    bool merged = false;
    for (RowChange& o : out) {
      if (o.id == c.id && RowEqual(o.values, c.values)) {
        o.diff += c.diff;
        merged = true;
        break;
      }
    }
    if (!merged) out.push_back(c);
  }
  std::erase_if(out, [](const RowChange& c) { return c.diff == 0; });
  return out;
}

void ApplyChanges(std::vector<TimedRow>& table, const std::vector<RowChange>& changes,
                  uint64_t time) {
  for (const RowChange& c : changes) {
    for (int64_t n = 0; n < c.diff; ++n) table.push_back(TimedRow{c.id, c.values, time});
    for (int64_t n = 0; n < -c.diff; ++n) {
      auto it = std::find_if(table.begin(), table.end(), [&](const TimedRow& r) {
        return r.id == c.id && RowEqual(r.values, c.values);
      });
      if (it == table.end()) {
        throw std::logic_error("oracle: retraction of absent row " + c.id.ToString() +
                               " at time " + std::to_string(time));
      }
      table.erase(it);
    }
  }
}

}  // namespace vigil::oracle
