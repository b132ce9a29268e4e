#include "input_stream.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace vigil::oracle {

namespace {
/// Row ids are uniformly distributed digests: one word hashes them.
struct KeyWordHash {
  size_t operator()(const Key& k) const { return static_cast<size_t>(k.lo); }
};
}  // namespace

// Both functions below find rows by id through a hash index, so that large streams (hundreds
// of thousands of lines) stay linear; the results, and their order, are those of the plain
// scans they replace (first match in order).

std::vector<RowChange> Consolidated(const std::vector<RowChange>& changes) {
  std::vector<RowChange> out;
  std::unordered_map<Key, std::vector<size_t>, KeyWordHash> by_id;  // id -> indexes in out
  for (const RowChange& c : changes) {
    bool merged = false;
    std::vector<size_t>& same_id = by_id[c.id];
    for (size_t i : same_id) {
      if (RowEqual(out[i].values, c.values)) {
        out[i].diff += c.diff;
        merged = true;
        break;
      }
    }
    if (!merged) {
      same_id.push_back(out.size());
      out.push_back(c);
    }
  }
  std::erase_if(out, [](const RowChange& c) { return c.diff == 0; });
  return out;
}

void ApplyChanges(std::vector<TimedRow>& table, const std::vector<RowChange>& changes,
                  uint64_t time) {
  // Removed rows are marked, then dropped at the end keeping the others' order, as erasing
  // them one by one would.
  std::unordered_map<Key, std::vector<size_t>, KeyWordHash> by_id;  // id -> positions, in order
  for (size_t i = 0; i < table.size(); ++i) by_id[table[i].id].push_back(i);
  std::vector<uint8_t> removed(table.size(), 0);
  for (const RowChange& c : changes) {
    for (int64_t n = 0; n < c.diff; ++n) {
      by_id[c.id].push_back(table.size());
      table.push_back(TimedRow{c.id, c.values, time});
      removed.push_back(0);
    }
    for (int64_t n = 0; n < -c.diff; ++n) {
      bool found = false;
      for (size_t i : by_id[c.id]) {
        if (removed[i] || !RowEqual(table[i].values, c.values)) continue;
        removed[i] = 1;
        found = true;
        break;
      }
      if (!found) {
        throw std::logic_error("oracle: retraction of absent row " + c.id.ToString() +
                               " at time " + std::to_string(time));
      }
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < table.size(); ++i) {
    if (removed[i]) continue;
    if (kept != i) table[kept] = std::move(table[i]);
    ++kept;
  }
  table.resize(kept);
}

}  // namespace vigil::oracle
