#include "random_stream.h"

#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "vigil/common/strong_types.h"

namespace vigil::oracle {

namespace {

Row ToRow(const RowValues& r) {
  return {{"k", OValue::Int(r.k)},
          {"s", OValue::Str(r.s)},
          {"v", OValue::Int(r.v)},
          {"f", OValue::Float(static_cast<double>(r.f2) / 2)},
          {"t", OValue::Int(r.t)}};
}

std::string MarkdownLine(const StreamLine& line, uint64_t time) {
  char f[32];
  std::snprintf(f, sizeof(f), "%.1f", static_cast<double>(line.values.f2) / 2);
  std::ostringstream l;
  l << line.id << " | " << line.values.k << " | " << line.values.s << " | " << line.values.v
    << " | " << f << " | " << line.values.t << " | " << time << " | " << line.diff << "\n";
  return l.str();
}

constexpr const char* kHeader = "id | k | s | v | f | t | __time__ | __diff__\n";

/// Appends a commit of `lines` at `time` to both forms of the variant.
void AddCommit(StreamVariant& out, const std::vector<StreamLine>& lines, uint64_t time) {
  Commit commit;
  commit.time = time;
  for (const StreamLine& line : lines) {
    out.markdown += MarkdownLine(line, time);
    commit.changes.push_back(RowChange{IdKey(line.id), ToRow(line.values), line.diff});
  }
  out.commits.push_back(std::move(commit));
}

void AddEndOfInput(StreamVariant& out) {
  Commit end;
  end.time = kEndOfInputTime;
  end.end_of_input = true;
  out.commits.push_back(std::move(end));
}

}  // namespace

RowValues RandomValues(Random& rnd, const StreamProfile& profile, int64_t tick, int64_t k_max,
                       int64_t v_max) {
  RowValues r;
  r.k = rnd.Int(0, k_max);
  r.s = rnd.Pick<std::string>({"a", "b", "c"});
  r.v = rnd.Int(-4, v_max);
  r.f2 = rnd.Int(-4, 8);
  r.t = profile.drift == 0 ? rnd.Int(-6, 12)
                           : profile.drift * tick + rnd.Int(-profile.lateness, 2);
  return r;
}

Key IdKey(int64_t id) {
  KeyHasher h;
  h.AddInt(id);
  return h.Finish();
}

std::vector<LogicalCommit> RandomCommits(Random& rnd, const StreamProfile& profile) {
  const int64_t commits = rnd.Int(6, 10);
  const int64_t k_max = rnd.Int(1, 3);
  const int64_t v_max = rnd.Int(2, 9);
  std::map<int64_t, RowValues> present;
  std::vector<int64_t> deleted;
  int64_t next_id = rnd.Int(0, 3);
  std::vector<LogicalCommit> out;
  for (int64_t c = 0; c < commits; ++c) {
    auto values = [&] { return RandomValues(rnd, profile, c, k_max, v_max); };
    LogicalCommit commit;
    std::set<int64_t> touched;
    const int64_t ops = c == 0 ? rnd.Int(1, 10) : rnd.Int(1, 6);
    for (int64_t o = 0; o < ops; ++o) {
      int64_t kind = present.empty() ? 0 : rnd.Int(0, 10);
      if (kind == 10 && !profile.cancelling_lines) kind = 0;
      if (kind == 10) {  // a row that appears and vanishes within the commit: no change
        const int64_t id = next_id++;
        RowValues r = values();
        touched.insert(id);
        commit.operations.push_back({{id, r, 1}, {id, r, -1}});
        continue;
      }
      if (kind <= 3) {  // insert a new id or a previously deleted one
        int64_t id;
        if (!deleted.empty() && rnd.Chance(0.3)) {
          size_t i = static_cast<size_t>(rnd.Int(0, static_cast<int64_t>(deleted.size()) - 1));
          id = deleted[i];
          if (touched.count(id)) continue;
          deleted.erase(deleted.begin() + static_cast<ptrdiff_t>(i));
        } else {
          id = next_id;
          next_id += rnd.Int(1, 3);
        }
        RowValues r = values();
        present[id] = r;
        touched.insert(id);
        commit.operations.push_back({{id, r, 1}});
        continue;
      }
      // Pick a present id not touched in this commit.
      auto it = present.begin();
      std::advance(it, rnd.Int(0, static_cast<int64_t>(present.size()) - 1));
      const int64_t id = it->first;
      if (touched.count(id)) continue;
      touched.insert(id);
      const RowValues old = it->second;
      if (kind <= 5) {  // delete
        present.erase(it);
        deleted.push_back(id);
        commit.operations.push_back({{id, old, -1}});
        continue;
      }
      RowValues now = old;
      if (kind == 9 && rnd.Chance(0.3) && profile.cancelling_lines) {
        // A no-op update (retract and re-insert the same values): the row stays as it was,
        // inserted at its original time.
      } else if (rnd.Chance(0.5)) {
        RowValues fresh = values();
        switch (rnd.Int(0, 4)) {  // change one column only
          case 0: now.k = fresh.k; break;
          case 1: now.s = fresh.s; break;
          case 2: now.v = fresh.v; break;
          case 3: now.f2 = fresh.f2; break;
          default: now.t = fresh.t; break;
        }
      } else {
        now = values();
      }
      if (now == old && !profile.cancelling_lines) now.v = now.v == v_max ? -4 : now.v + 1;
      it->second = now;
      commit.operations.push_back({{id, old, -1}, {id, now, 1}});
    }
    if (commit.operations.empty()) {  // every commit holds at least one row
      const int64_t id = next_id++;
      RowValues r = values();
      present[id] = r;
      commit.operations.push_back({{id, r, 1}});
    }
    out.push_back(std::move(commit));
  }
  return out;
}

StreamVariant Unsplit(const std::vector<LogicalCommit>& commits, Random& rnd) {
  StreamVariant out;
  out.name = "unsplit";
  out.markdown = kHeader;
  for (size_t c = 0; c < commits.size(); ++c) {
    std::vector<StreamLine> lines;
    for (const auto& op : commits[c].operations) lines.insert(lines.end(), op.begin(), op.end());
    rnd.Shuffle(lines);  // order within a commit is free
    AddCommit(out, lines, 8 * (c + 1));
  }
  AddEndOfInput(out);
  return out;
}

StreamVariant Split(const std::vector<LogicalCommit>& commits, Random& rnd) {
  StreamVariant out;
  out.name = "split";
  out.markdown = kHeader;
  for (size_t c = 0; c < commits.size(); ++c) {
    // A random interleaving of the operations that keeps each one's lines in order.
    const auto& ops = commits[c].operations;
    std::vector<size_t> turns;
    for (size_t o = 0; o < ops.size(); ++o) turns.insert(turns.end(), ops[o].size(), o);
    rnd.Shuffle(turns);
    std::vector<size_t> next(ops.size(), 0);
    std::vector<StreamLine> lines;
    for (size_t o : turns) lines.push_back(ops[o][next[o]++]);
    // Cut into consecutive non-empty pieces.
    const int64_t n = static_cast<int64_t>(lines.size());
    const int64_t pieces = 1 + rnd.Int(0, std::min<int64_t>(2, n - 1));
    std::set<int64_t> cut_set;
    while (static_cast<int64_t>(cut_set.size()) < pieces - 1) cut_set.insert(rnd.Int(1, n - 1));
    std::vector<int64_t> cuts = {0};
    cuts.insert(cuts.end(), cut_set.begin(), cut_set.end());
    cuts.push_back(n);
    for (size_t p = 0; p + 1 < cuts.size(); ++p) {
      std::vector<StreamLine> piece(lines.begin() + cuts[p], lines.begin() + cuts[p + 1]);
      rnd.Shuffle(piece);
      const uint64_t last = cuts.size() - 2;
      AddCommit(out, piece, 8 * (c + 1) - 2 * (last - p));
    }
  }
  AddEndOfInput(out);
  return out;
}

}  // namespace vigil::oracle

namespace vigil::oracle {

StreamVariant InOrder(const std::string& name,
                      const std::vector<std::vector<StreamLine>>& commit_lines) {
  StreamVariant out;
  out.name = name;
  out.markdown = kHeader;
  for (size_t c = 0; c < commit_lines.size(); ++c) AddCommit(out, commit_lines[c], 2 * (c + 1));
  AddEndOfInput(out);
  return out;
}

}  // namespace vigil::oracle
