#include "py_values.h"

#include <vector>

namespace vigil::python {

namespace {

// Module objects looked up once. Deliberately leaked: destroying Python objects after the
// interpreter has finalized would crash at exit.
struct PyTypes {
  py::object datetime_type, timedelta_type, epoch_naive, epoch_utc, one_microsecond;
};

const PyTypes& Types() {
  static const PyTypes* types = [] {
    py::module_ dt = py::module_::import("datetime");
    auto* t = new PyTypes;
    t->datetime_type = dt.attr("datetime");
    t->timedelta_type = dt.attr("timedelta");
    t->epoch_naive = t->datetime_type(1970, 1, 1);
    t->epoch_utc = t->datetime_type(1970, 1, 1, 0, 0, 0, 0, dt.attr("timezone").attr("utc"));
    t->one_microsecond = t->timedelta_type(py::arg("microseconds") = 1);
    return t;
  }();
  return *types;
}

py::module_ Pandas() {
  static py::module_* pandas = new py::module_(py::module_::import("pandas"));
  return *pandas;
}

// Nanoseconds of a timedelta-like object: pandas.Timedelta carries them in `.value`;
// datetime.timedelta has microseconds.
int64_t DurationNanos(py::handle obj) {
  if (py::hasattr(obj, "value") && py::hasattr(obj, "nanoseconds")) {
    return obj.attr("value").cast<int64_t>();
  }
  return obj.attr("__floordiv__")(Types().one_microsecond).cast<int64_t>() * 1000;
}

bool IsAware(py::handle obj) { return !obj.attr("tzinfo").is_none(); }

int64_t DateTimeNanos(py::handle obj) {
  if (py::hasattr(obj, "value") && py::hasattr(obj, "nanosecond")) {
    // pandas.Timestamp: `.value` is ns since the epoch (UTC for aware ones).
    return obj.attr("value").cast<int64_t>();
  }
  py::object epoch = IsAware(obj) ? Types().epoch_utc : Types().epoch_naive;
  return DurationNanos(obj.attr("__sub__")(epoch));
}

}  // namespace

py::object ToPython(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNone: return py::none();
    case ValueKind::kBool: return py::bool_(v.as_bool());
    case ValueKind::kInt: return py::int_(v.as_int());
    case ValueKind::kFloat: return py::float_(v.as_float());
    case ValueKind::kString: {
      std::string_view s = v.as_string();
      return py::str(s.data(), s.size());
    }
    case ValueKind::kPointer: return py::cast(PyPointer{v.as_pointer()});
    case ValueKind::kTuple: {
      py::tuple t(v.tuple_size());
      for (uint32_t i = 0; i < v.tuple_size(); ++i) t[i] = ToPython(v.tuple_data()[i]);
      return t;
    }
    case ValueKind::kDateTimeNaive: return Pandas().attr("Timestamp")(v.as_timestamp());
    case ValueKind::kDateTimeUtc:
      return Pandas().attr("Timestamp")(v.as_timestamp(), py::arg("tz") = "UTC");
    case ValueKind::kDuration: return Pandas().attr("Timedelta")(v.as_timestamp());
    case ValueKind::kError: return py::cast(PyErrorValue{});
  }
  return py::none();
}

Value FromPython(py::handle obj, ValueArena& arena) {
  if (obj.is_none()) return Value::None();
  if (py::isinstance<py::bool_>(obj)) return Value::Bool(obj.cast<bool>());
  if (py::isinstance<py::int_>(obj)) return Value::Int(obj.cast<int64_t>());
  if (py::isinstance<py::float_>(obj)) return Value::Float(obj.cast<double>());
  if (PyUnicode_Check(obj.ptr())) {
    // The UTF-8 bytes CPython caches in the str object, copied once, into the arena.
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(obj.ptr(), &size);
    if (data == nullptr) throw py::error_already_set();
    return arena.CopyString(std::string_view(data, static_cast<size_t>(size)));
  }
  if (py::isinstance<PyPointer>(obj)) return Value::Pointer(obj.cast<PyPointer>().key);
  if (py::isinstance<PyErrorValue>(obj)) return Value::Error();
  if (py::isinstance<py::tuple>(obj) || py::isinstance<py::list>(obj)) {
    py::sequence seq = py::reinterpret_borrow<py::sequence>(obj);
    std::vector<Value> elements;
    elements.reserve(seq.size());
    for (py::handle item : seq) elements.push_back(FromPython(item, arena));
    return arena.MakeTuple(elements.data(), static_cast<uint32_t>(elements.size()));
  }
  const PyTypes& types = Types();
  if (py::isinstance(obj, types.datetime_type)) {
    int64_t ns = DateTimeNanos(obj);
    return IsAware(obj) ? Value::DateTimeUtc(ns) : Value::DateTimeNaive(ns);
  }
  if (py::isinstance(obj, types.timedelta_type)) return Value::Duration(DurationNanos(obj));
  // numpy scalars and other number-likes: through the Python number protocols.
  py::object o = py::reinterpret_borrow<py::object>(obj);
  if (py::hasattr(o, "__index__")) return Value::Int(py::int_(o).cast<int64_t>());
  if (py::hasattr(o, "__float__")) return Value::Float(py::float_(o).cast<double>());
  throw py::type_error("a value of type '" + py::str(py::type::of(obj).attr("__name__")).cast<std::string>() +
                       "' cannot be stored in a table (expected None, bool, int, float, str, "
                       "tuple, Pointer, datetime or timedelta)");
}

StoredValue StoredFromPython(py::handle obj) {
  ValueArena arena;
  return StoredValue(FromPython(obj, arena));
}

DType TypeOfPython(py::handle obj) {
  ValueArena arena;
  Value v = FromPython(obj, arena);
  switch (v.kind()) {
    case ValueKind::kNone: return dtype::NoneType;
    case ValueKind::kBool: return dtype::Bool;
    case ValueKind::kInt: return dtype::Int;
    case ValueKind::kFloat: return dtype::Float;
    case ValueKind::kString: return dtype::Str;
    case ValueKind::kPointer: return dtype::Pointer;
    case ValueKind::kTuple: return dtype::Tuple;
    case ValueKind::kDateTimeNaive: return dtype::DateTimeNaive;
    case ValueKind::kDateTimeUtc: return dtype::DateTimeUtc;
    case ValueKind::kDuration: return dtype::Duration;
    case ValueKind::kError: return dtype::Any;
  }
  return dtype::Any;
}

}  // namespace vigil::python
