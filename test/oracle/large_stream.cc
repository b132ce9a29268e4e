#include "large_stream.h"

#include <algorithm>
#include <unordered_map>

namespace vigil::oracle {

std::vector<LogicalCommit> LargeCommits(Random& rnd, const StreamProfile& profile,
                                        int64_t total_lines, int64_t lines_per_tick) {
  const int64_t k_max = rnd.Int(1, 3);
  const int64_t v_max = rnd.Int(2, 9);
  // 2..5 logical commits; about half of the streams put more than 65,536 lines in one.
  const int64_t num_commits = rnd.Int(2, 5);
  std::vector<int64_t> sizes(static_cast<size_t>(num_commits), total_lines / num_commits);
  if (total_lines > 70000 && rnd.Chance(0.5)) {
    sizes[static_cast<size_t>(rnd.Int(0, num_commits - 1))] += 66000;
  }
  // Present ids in a vector (random picks in O(1)), with each id's position.
  std::vector<int64_t> present_ids;
  std::unordered_map<int64_t, std::pair<size_t, RowValues>> present;
  int64_t next_id = 0, lines = 0;
  auto values = [&] {
    return RandomValues(rnd, profile, lines / lines_per_tick, k_max, v_max);
  };
  auto remove = [&](int64_t id) {
    const size_t at = present.at(id).first;
    present_ids[at] = present_ids.back();
    present.at(present_ids[at]).first = at;
    present_ids.pop_back();
    present.erase(id);
  };
  std::vector<LogicalCommit> out;
  for (int64_t size : sizes) {
    LogicalCommit commit;
    std::unordered_map<int64_t, bool> touched;
    const int64_t end = lines + size;
    while (lines < end) {
      const int64_t kind = present.empty() ? 0 : rnd.Int(0, 99);
      if (kind < 85 || (kind >= 97 && !profile.cancelling_lines)) {  // insert
        const int64_t id = next_id++;
        const RowValues r = values();
        present[id] = {present_ids.size(), r};
        present_ids.push_back(id);
        touched[id] = true;
        commit.operations.push_back({{id, r, 1}});
        lines += 1;
        continue;
      }
      if (kind >= 97) {  // a transient row: inserted and retracted in the commit
        const int64_t id = next_id++;
        const RowValues r = values();
        touched[id] = true;
        commit.operations.push_back({{id, r, 1}, {id, r, -1}});
        lines += 2;
        continue;
      }
      const int64_t id =
          present_ids[static_cast<size_t>(rnd.Int(0, static_cast<int64_t>(present_ids.size()) - 1))];
      if (touched.count(id)) continue;
      touched[id] = true;
      const RowValues old = present.at(id).second;
      if (kind < 90) {  // delete
        remove(id);
        commit.operations.push_back({{id, old, -1}});
        lines += 1;
        continue;
      }
      RowValues now = values();  // update: retract, insert new values
      if (now == old) now.v = now.v == v_max ? -4 : now.v + 1;
      present.at(id).second = now;
      commit.operations.push_back({{id, old, -1}, {id, now, 1}});
      lines += 2;
    }
    out.push_back(std::move(commit));
  }
  return out;
}

StreamVariant LiveCommits(const std::vector<LogicalCommit>& commits, Random& rnd) {
  std::vector<StreamLine> lines;
  for (const LogicalCommit& commit : commits) {
    // A random interleaving of the operations that keeps each one's lines in order.
    const auto& ops = commit.operations;
    std::vector<size_t> turns;
    for (size_t o = 0; o < ops.size(); ++o) turns.insert(turns.end(), ops[o].size(), o);
    rnd.Shuffle(turns);
    std::vector<size_t> next(ops.size(), 0);
    for (size_t o : turns) lines.push_back(ops[o][next[o]++]);
  }
  // Commit sizes a live run produces: a few lines (a follower keeping up), thousands, right
  // around 65,536 (RunOptions::max_commit_rows), tens of thousands. The last commit takes the
  // rest.
  const int64_t n = static_cast<int64_t>(lines.size());
  const int64_t pieces = rnd.Int(3, 12);
  std::vector<std::vector<StreamLine>> commit_lines;
  int64_t begin = 0;
  for (int64_t p = 0; p + 1 < pieces && begin < n; ++p) {
    int64_t size;
    switch (rnd.Int(0, 3)) {
      case 0: size = rnd.Int(1, 50); break;
      case 1: size = rnd.Int(100, 5000); break;
      case 2: size = rnd.Int(65530, 65540); break;
      default: size = rnd.Int(10000, 90000); break;
    }
    size = std::min(size, n - begin);
    commit_lines.emplace_back(lines.begin() + begin, lines.begin() + begin + size);
    begin += size;
  }
  if (begin < n) commit_lines.emplace_back(lines.begin() + begin, lines.end());
  return InOrder("live", commit_lines);
}

}  // namespace vigil::oracle
