#include "naive_reduce.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace vigil::oracle {

namespace {

OValue Argument(const ReducerCall& r, const Member& m) {
  const OValue& x = m.values.at(r.columns.at(0));
  if (r.plus_half) return OValue::Float(x.as_number() + 0.5);
  return x;
}

}  // namespace

OValue Reduce(const ReducerCall& r, const std::vector<Member>& members) {
  const size_t n = members.size();
  switch (r.op) {
    case ReducerOp::kCount: return OValue::Int(static_cast<int64_t>(n));
    case ReducerOp::kSum:
    case ReducerOp::kAvg: {
      if (!Argument(r, members[0]).is_int()) {  // a float column or `column + 0.5`
        double sum = 0;
        for (const Member& m : members) sum += Argument(r, m).as_number();
        return OValue::Float(r.op == ReducerOp::kSum ? sum : sum / static_cast<double>(n));
      }
      int64_t sum = 0;
      for (const Member& m : members) sum += Argument(r, m).as_int();
      if (r.op == ReducerOp::kSum) return OValue::Int(sum);
      return OValue::Float(static_cast<double>(sum) / static_cast<double>(n));
    }
    case ReducerOp::kMin:
    case ReducerOp::kMax: {
      OValue best = Argument(r, members[0]);
      for (const Member& m : members) {
        OValue x = Argument(r, m);
        int c = Compare(x, best);
        if (r.op == ReducerOp::kMin ? c < 0 : c > 0) best = x;
      }
      return best;
    }
    case ReducerOp::kArgMin:
    case ReducerOp::kArgMax: {
      auto id_of = [&](const Member& m) {
        return r.id_column.empty() ? OValue::Pointer(m.input_id) : m.values.at(r.id_column);
      };
      OValue best_value = Argument(r, members[0]);
      OValue best_id = id_of(members[0]);
      for (const Member& m : members) {
        OValue x = Argument(r, m);
        OValue id = id_of(m);
        int c = Compare(x, best_value);
        bool better = r.op == ReducerOp::kArgMin ? c < 0 : c > 0;
        // Ties: the smallest id, for argmin and argmax alike.
        if (better || (c == 0 && Compare(id, best_id) < 0)) {
          best_value = x;
          best_id = id;
        }
      }
      return best_id;
    }
    case ReducerOp::kCountDistinct: {
      std::set<std::vector<OValue>, ValuesLess> distinct;
      for (const Member& m : members) {
        std::vector<OValue> key;
        for (const auto& c : r.columns) key.push_back(m.values.at(c));
        distinct.insert(key);
      }
      return OValue::Int(static_cast<int64_t>(distinct.size()));
    }
    case ReducerOp::kAny: {
      const Key salt{0xDEADBEEFDEADBEEFull, 0xDEADBEEFDEADBEEFull};
      const Member* best = &members[0];
      for (const Member& m : members) {
        if (KeyLess(m.row_key ^ salt, best->row_key ^ salt)) best = &m;
      }
      return Argument(r, *best);
    }
    case ReducerOp::kUnique: {
      OValue first = Argument(r, members[0]);
      for (const Member& m : members) {
        if (!Equal(Argument(r, m), first)) return OValue::Error();
      }
      return first;
    }
    case ReducerOp::kTuple: {
      std::vector<const Member*> sorted;
      for (const Member& m : members) sorted.push_back(&m);
      std::sort(sorted.begin(), sorted.end(),
                [](const Member* a, const Member* b) { return KeyLess(a->row_key, b->row_key); });
      OTuple out;
      for (const Member* m : sorted) out.push_back(Argument(r, *m));
      return OValue::Tuple(std::move(out));
    }
    case ReducerOp::kSortedTuple: {
      OTuple out;
      for (const Member& m : members) out.push_back(Argument(r, m));
      std::sort(out.begin(), out.end(),
                [](const OValue& a, const OValue& b) { return Compare(a, b) < 0; });
      return OValue::Tuple(std::move(out));
    }
    case ReducerOp::kEarliest:
    case ReducerOp::kLatest: {
      // Processing time first; ties: smallest row key (earliest) / largest (latest).
      const Member* best = &members[0];
      for (const Member& m : members) {
        bool before = m.time < best->time ||
                      (m.time == best->time && KeyLess(m.row_key, best->row_key));
        bool after = m.time > best->time ||
                     (m.time == best->time && KeyLess(best->row_key, m.row_key));
        if (r.op == ReducerOp::kEarliest ? before : after) best = &m;
      }
      return Argument(r, *best);
    }
  }
  throw std::logic_error("oracle: unknown reducer");
}

std::vector<OutputRow> ReduceGroups(const Pipeline& p, const Groups& groups) {
  std::vector<OutputRow> out;
  for (const auto& [key, members] : groups) {
    if (members.empty()) continue;
    OutputRow row;
    if (!p.windowed) {
      row.id = HashValues(key);
      row.values = key;
    } else {
      // key = {_pw_window, start, end, instance}. Group id: hash of the four, sharded by the
      // instance when one is given (SEMANTICS.md §1.7).
      const OValue& instance = key[3];
      row.id = HashValues(key);
      if (p.window.instance) row.id = Sharded(row.id, HashValues({instance}));
      row.values = {key[1], key[2], instance};
      if (p.output_window_tuple) row.values.push_back(key[0]);
      if (p.output_instance_alias && p.window.instance) row.values.push_back(instance);
    }
    for (const ReducerCall& r : p.reducers) row.values.push_back(Reduce(r, members));
    if (p.output_spread) {
      ReducerCall min{ReducerOp::kMin, {"v"}, false, ""};
      ReducerCall max{ReducerOp::kMax, {"v"}, false, ""};
      row.values.push_back(
          OValue::Int(Reduce(max, members).as_int() - Reduce(min, members).as_int()));
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace vigil::oracle
