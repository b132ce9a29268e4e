#include "oracle_value.h"

#include <deque>
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

bool KeyLess(const Key& a, const Key& b) {
  if (a.hi != b.hi) return a.hi < b.hi;
  return a.lo < b.lo;
}

Key Sharded(Key key, const Key& shard) {
  key.lo = (key.lo & ~uint64_t{0xFFFF}) | (shard.lo & 0xFFFF);
  return key;
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t PythonMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

bool ValuesLess::operator()(const std::vector<OValue>& a, const std::vector<OValue>& b) const {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    int c = Compare(a[i], b[i]);
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}

bool RowLess::operator()(const Row& a, const Row& b) const {
  if (a.size() != b.size()) return a.size() < b.size();
  for (auto x = a.begin(), y = b.begin(); x != a.end(); ++x, ++y) {
    if (x->first != y->first) return x->first < y->first;
    int c = Compare(x->second, y->second);
    if (c != 0) return c < 0;
  }
  return false;
}

bool RowEqual(const Row& a, const Row& b) { return !RowLess()(a, b) && !RowLess()(b, a); }

}  // namespace vigil::oracle
