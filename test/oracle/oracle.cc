#include "oracle.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <set>
#include <stdexcept>

#include "vigil/types/value.h"

namespace vigil::oracle {

namespace {

int Rank(const OValue& a) {
  switch (a.v.index()) {
    case 0: return 0;          // None
    case 1: case 2: return 1;  // numbers
    case 4: return 2;          // pointer
    case 3: return 3;          // string
    case 5: return 4;          // tuple
    default: return 5;         // Error
  }
}

int Sign(auto a, auto b) { return a < b ? -1 : (b < a ? 1 : 0); }

/// Python's floor division and modulo (the divisor is positive here).
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
int64_t PythonMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

Value ToValue(const OValue& o, std::deque<std::vector<Value>>& storage) {
  switch (o.v.index()) {
    case 0: return Value::None();
    case 1: return Value::Int(std::get<int64_t>(o.v));
    case 2: return Value::Float(std::get<double>(o.v));
    case 3: return Value::String(std::get<std::string>(o.v));
    case 4: return Value::Pointer(std::get<Key>(o.v));
    case 5: {
      const OTuple& t = std::get<OTuple>(o.v);
      auto& elements = storage.emplace_back();
      for (const OValue& e : t) elements.push_back(ToValue(e, storage));
      return Value::Tuple(elements.data(), static_cast<uint32_t>(elements.size()));
    }
    default: return Value::Error();
  }
}

void HashInto(const OValue& o, KeyHasher& h) {
  switch (o.v.index()) {
    case 0: h.AddNone(); return;
    case 1: h.AddInt(std::get<int64_t>(o.v)); return;
    case 2: h.AddFloat(std::get<double>(o.v)); return;
    case 3: h.AddString(std::get<std::string>(o.v)); return;
    case 4: h.AddPointer(std::get<Key>(o.v)); return;
    case 5: {
      const OTuple& t = std::get<OTuple>(o.v);
      h.BeginTuple(t.size());
      for (const OValue& e : t) HashInto(e, h);
      return;
    }
    default: throw std::logic_error("oracle: an Error value cannot be hashed");
  }
}

/// Key order: the 128-bit unsigned integer hi:lo.
bool KeyLess(const Key& a, const Key& b) {
  if (a.hi != b.hi) return a.hi < b.hi;
  return a.lo < b.lo;
}

/// Pathway's sharding: the low 16 bits of `key` replaced by those of `shard`.
Key Sharded(Key key, const Key& shard) {
  key.lo = (key.lo & ~uint64_t{0xFFFF}) | (shard.lo & 0xFFFF);
  return key;
}

struct ValuesLess {
  bool operator()(const std::vector<OValue>& a, const std::vector<OValue>& b) const {
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
      int c = Compare(a[i], b[i]);
      if (c != 0) return c < 0;
    }
    return a.size() < b.size();
  }
};

/// A row as the reduce sees it: after filter/with_columns and (windowby) window assignment.
struct Member {
  Key row_key;   ///< Its id in the reduce input (windowby: hash(Pointer(id), Int(index))).
  Key input_id;  ///< The input row's id (argmin/argmax default `id`).
  uint64_t time;
  const std::map<std::string, OValue>* values;
};

OValue Argument(const ReducerCall& r, const Member& m) {
  const OValue& x = m.values->at(r.columns.at(0));
  if (r.plus_half) return OValue::Float(x.as_number() + 0.5);
  return x;
}

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
        return r.id_column.empty() ? OValue::Pointer(m.input_id) : m.values->at(r.id_column);
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
        for (const auto& c : r.columns) key.push_back(m.values->at(c));
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

const char* OpName(ReducerOp op) {
  switch (op) {
    case ReducerOp::kCount: return "count";
    case ReducerOp::kSum: return "sum";
    case ReducerOp::kAvg: return "avg";
    case ReducerOp::kMin: return "min";
    case ReducerOp::kMax: return "max";
    case ReducerOp::kArgMin: return "argmin";
    case ReducerOp::kArgMax: return "argmax";
    case ReducerOp::kCountDistinct: return "count_distinct";
    case ReducerOp::kAny: return "any";
    case ReducerOp::kUnique: return "unique";
    case ReducerOp::kTuple: return "tuple";
    case ReducerOp::kSortedTuple: return "sorted_tuple";
    case ReducerOp::kEarliest: return "earliest";
    case ReducerOp::kLatest: return "latest";
  }
  return "?";
}

}  // namespace

int Compare(const OValue& a, const OValue& b) {
  int ra = Rank(a), rb = Rank(b);
  if (ra != rb) return Sign(ra, rb);
  switch (ra) {
    case 1:
      if (a.is_int() && b.is_int()) return Sign(a.as_int(), b.as_int());
      return Sign(a.as_number(), b.as_number());
    case 2: {
      const Key& x = std::get<Key>(a.v);
      const Key& y = std::get<Key>(b.v);
      return KeyLess(x, y) ? -1 : (KeyLess(y, x) ? 1 : 0);
    }
    case 3: return Sign(std::get<std::string>(a.v), std::get<std::string>(b.v));
    case 4: {
      const OTuple& x = std::get<OTuple>(a.v);
      const OTuple& y = std::get<OTuple>(b.v);
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        int c = Compare(x[i], y[i]);
        if (c != 0) return c;
      }
      return Sign(x.size(), y.size());
    }
    default: return 0;
  }
}

bool Equal(const OValue& a, const OValue& b) { return Compare(a, b) == 0; }

std::string Format(const OValue& v) {
  std::deque<std::vector<Value>> storage;
  return FormatValue(ToValue(v, storage));
}

Key HashValues(const std::vector<OValue>& values) {
  KeyHasher h;
  for (const OValue& v : values) HashInto(v, h);
  return h.Finish();
}

std::vector<std::pair<int64_t, int64_t>> AssignWindows(const WindowSpec& w, int64_t t) {
  const int64_t origin = w.origin.value_or(0);
  const int64_t hop = w.hop;
  const int64_t duration = w.kind == WindowSpec::Kind::kTumbling ? w.hop
                           : w.ratio                              ? *w.ratio * w.hop
                                                                  : w.duration;
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

std::vector<std::string> Pipeline::OutputColumns() const {
  std::vector<std::string> out;
  if (windowed) {
    out = {"_pw_window_start", "_pw_window_end", "_pw_instance"};
    if (output_window_tuple) out.push_back("_pw_window");
    if (output_instance_alias && window.instance) out.push_back(*window.instance);
  } else {
    out = group_columns;
  }
  for (size_t i = 0; i < reducers.size(); ++i) out.push_back(ReducerColumn(i));
  if (output_spread) out.push_back("spread");
  return out;
}

std::string ReducerColumn(size_t i) {
  std::string name = "r";
  name += std::to_string(i);
  return name;
}

std::string ReducerText(const ReducerCall& r) {
  std::string args;
  for (size_t i = 0; i < r.columns.size(); ++i) {
    if (i > 0) args += ", ";
    args += r.columns[i];
  }
  if (r.plus_half) args += " + 0.5";
  if (!r.id_column.empty()) args += ", id=" + r.id_column;
  return std::string(OpName(r.op)) + "(" + args + ")";
}

std::string Pipeline::Describe() const {
  std::string out = "t";
  switch (filter.kind) {
    case FilterSpec::Kind::kNone: break;
    case FilterSpec::Kind::kModNotEqual:
      out += ".filter(" + filter.column + " % " + std::to_string(filter.modulus) +
             " != " + std::to_string(filter.remainder) + ")";
      break;
    case FilterSpec::Kind::kGreater:
      out += ".filter(" + filter.column + " > " + std::to_string(filter.threshold) + ")";
      break;
  }
  if (with_columns.enabled) {
    out += ".with_columns(w = v * " + std::to_string(with_columns.mul) + " + " +
           std::to_string(with_columns.add) + ")";
  }
  if (windowed) {
    out += ".windowby(t, ";
    if (window.kind == WindowSpec::Kind::kTumbling) {
      out += "tumbling(" + std::to_string(window.hop);
    } else {
      out += "sliding(hop=" + std::to_string(window.hop);
      out += window.ratio ? ", ratio=" + std::to_string(*window.ratio)
                          : ", duration=" + std::to_string(window.duration);
    }
    if (window.origin) out += ", origin=" + std::to_string(*window.origin);
    out += ")";
    if (window.instance) out += ", instance=" + *window.instance;
    out += ")";
  } else {
    out += ".groupby(";
    for (size_t i = 0; i < group_columns.size(); ++i) {
      out += (i > 0 ? ", " : "") + group_columns[i];
    }
    out += ")";
  }
  out += ".reduce(";
  auto columns = OutputColumns();
  size_t reducer_index = 0;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ", ";
    if (columns[i] == "spread") {
      out += "spread = max(v) - min(v)";
    } else if (columns[i].size() > 1 && columns[i][0] == 'r' && std::isdigit(static_cast<unsigned char>(columns[i][1]))) {
      out += columns[i] + " = " + ReducerText(reducers[reducer_index++]);
    } else {
      out += columns[i];
    }
  }
  return out + ")";
}

std::vector<OutputRow> Evaluate(const Pipeline& p, const std::vector<InputRow>& rows) {
  // 1. filter and with_columns, row by row.
  std::vector<InputRow> kept;
  for (const InputRow& row : rows) {
    bool keep = true;
    if (p.filter.kind != FilterSpec::Kind::kNone) {
      const OValue& x = row.values.at(p.filter.column);
      keep = p.filter.kind == FilterSpec::Kind::kModNotEqual
                 ? PythonMod(x.as_int(), p.filter.modulus) != p.filter.remainder
                 : x.as_number() > static_cast<double>(p.filter.threshold);
    }
    if (!keep) continue;
    InputRow r = row;
    if (p.with_columns.enabled) {
      r.values["w"] = OValue::Int(r.values.at("v").as_int() * p.with_columns.mul +
                                  p.with_columns.add);
    }
    kept.push_back(std::move(r));
  }

  // 2. grouping: the group's key values -> its members.
  std::map<std::vector<OValue>, std::vector<Member>, ValuesLess> groups;
  for (const InputRow& r : kept) {
    if (!p.windowed) {
      std::vector<OValue> key;
      for (const auto& c : p.group_columns) key.push_back(r.values.at(c));
      groups[key].push_back(Member{r.id, r.id, r.time, &r.values});
      continue;
    }
    OValue instance = p.window.instance ? r.values.at(*p.window.instance) : OValue::None();
    for (auto [start, index] : AssignWindows(p.window, r.values.at("t").as_int())) {
      int64_t duration = p.window.kind == WindowSpec::Kind::kTumbling ? p.window.hop
                         : p.window.ratio ? *p.window.ratio * p.window.hop
                                          : p.window.duration;
      std::vector<OValue> key = {instance, OValue::Int(start), OValue::Int(start + duration)};
      Key row_key = HashValues({OValue::Pointer(r.id), OValue::Int(index)});
      groups[key].push_back(Member{row_key, r.id, r.time, &r.values});
    }
  }

  // 3. one output row per group.
  std::vector<OutputRow> out;
  for (const auto& [key, members] : groups) {
    OutputRow row;
    if (!p.windowed) {
      row.id = HashValues(key);
      row.values = key;
    } else {
      const OValue& instance = key[0];
      OValue window = OValue::Tuple({instance, key[1], key[2]});
      // Group key: hash(_pw_window, _pw_window_start, _pw_window_end, _pw_instance), sharded
      // by the instance when one is given.
      row.id = HashValues({window, key[1], key[2], instance});
      if (p.window.instance) row.id = Sharded(row.id, HashValues({instance}));
      row.values = {key[1], key[2], instance};
      if (p.output_window_tuple) row.values.push_back(window);
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
