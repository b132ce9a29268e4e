// Expressions as Python objects: `pw.this.a + 1 > pw.this.b` builds the same Expr tree the
// C++ API builds with `this_["a"] + 1 > this_["b"]`.

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "gc_support.h"
#include "vigil/expr/datetime_functions.h"
#include "vigil/expr/string_functions.h"
#include "py_values.h"

namespace vigil::python {

namespace {

Expr LiteralOf(py::handle obj) {
  auto node = std::make_shared<ExprNode>();
  node->op = ExprOp::kLiteral;
  node->literal = StoredFromPython(obj);
  return Expr(std::shared_ptr<const ExprNode>(std::move(node)));
}

std::vector<Expr> AsExprs(const py::iterable& items) {
  std::vector<Expr> out;
  for (py::handle item : items) out.push_back(AsExpr(item));
  return out;
}

std::string ExprRepr(const Expr& e);

std::string OpSymbol(ExprOp op) {
  switch (op) {
    case ExprOp::kAdd: return " + ";
    case ExprOp::kSub: return " - ";
    case ExprOp::kMul: return " * ";
    case ExprOp::kTrueDiv: return " / ";
    case ExprOp::kFloorDiv: return " // ";
    case ExprOp::kMod: return " % ";
    case ExprOp::kPow: return " ** ";
    case ExprOp::kEq: return " == ";
    case ExprOp::kNe: return " != ";
    case ExprOp::kLt: return " < ";
    case ExprOp::kLe: return " <= ";
    case ExprOp::kGt: return " > ";
    case ExprOp::kGe: return " >= ";
    case ExprOp::kAnd: return " & ";
    case ExprOp::kOr: return " | ";
    case ExprOp::kXor: return " ^ ";
    default: return "";
  }
}

// Pathway-like text of an expression (`(pw.this.a + 1)`), for reprs and messages.
std::string ExprRepr(const Expr& e) {
  const ExprNode& n = e.node();
  auto side = [&] {
    switch (n.side) {
      case ColumnSide::kLeft: return std::string("pw.left");
      case ColumnSide::kRight: return std::string("pw.right");
      default: return std::string(n.table != nullptr ? "<table>" : "pw.this");
    }
  };
  switch (n.op) {
    case ExprOp::kColumn: return side() + "." + n.name;
    case ExprOp::kId: return side() + ".id";
    case ExprOp::kLiteral: return ReprValue(n.literal.get());
    case ExprOp::kNeg: return "(-" + ExprRepr(n.args[0]) + ")";
    case ExprOp::kNot: return "(~" + ExprRepr(n.args[0]) + ")";
    case ExprOp::kReducer: {
      std::string s = std::string("pw.reducers.") + ReducerName(n.reducer) + "(";
      for (size_t i = 0; i < n.args.size(); ++i) s += (i ? ", " : "") + ExprRepr(n.args[i]);
      return s + ")";
    }
    default: break;
  }
  std::string symbol = OpSymbol(n.op);
  if (!symbol.empty() && n.args.size() == 2) {
    return "(" + ExprRepr(n.args[0]) + symbol + ExprRepr(n.args[1]) + ")";
  }
  std::string name;
  switch (n.op) {
    case ExprOp::kIfElse: name = "pw.if_else"; break;
    case ExprOp::kIsNone: return ExprRepr(n.args[0]) + ".is_none()";
    case ExprOp::kIsNotNone: return ExprRepr(n.args[0]) + ".is_not_none()";
    case ExprOp::kCoalesce: name = "pw.coalesce"; break;
    case ExprOp::kCast: name = "pw.cast(" + n.type.ToString() + ", "; break;
    case ExprOp::kApply: name = "pw.apply(" + n.name + ", "; break;
    case ExprOp::kFillError: name = "pw.fill_error"; break;
    case ExprOp::kMakeTuple: name = "pw.make_tuple"; break;
    default: name = "expr"; break;
  }
  bool open = name.back() == ' ';
  std::string s = open ? name : name + "(";
  for (size_t i = 0; i < n.args.size(); ++i) s += (i ? ", " : "") + ExprRepr(n.args[i]);
  return s + ")";
}

// A Python UDF. The engine calls it once per batch (apply_batched): the GIL is taken once
// per batch, not per row. Without max_batch_size the callable gets one row's values per
// call; with it, lists of at most max_batch_size values per argument, and returns a list
// (Pathway's @pw.udf(max_batch_size=...)). A raised exception is kept for run() to re-raise
// and the rows it was computing become Error.
Expr ApplyPython(py::object fn, DType result_type, std::vector<Expr> args, std::string name,
                 std::optional<size_t> max_batch_size) {
  // The expression node owns the callable (ExprNode::front_object) and the function only
  // points to it: the node's owners can then report it to Python's garbage collector
  // (graph/front_objects.h, the Table and Expr types' tp_traverse below), so a cycle
  // table -> UDF -> closure -> table is collected.
  std::shared_ptr<py::object> holder = HoldPython(std::move(fn));
  py::object* callable = holder.get();
  BatchApplyFunction function = [callable, max_batch_size](
                                    std::span<const std::span<const Value>> columns,
                                    std::span<Value> out, ValueArena& arena) {
    py::gil_scoped_acquire gil;
    const size_t n = out.size();
    // A call that raises makes Error of the rows it was computing (one row, or one chunk of
    // a batched UDF) and the others go on; run() re-raises the first exception unless
    // terminate_on_error is off.
    // Each failed row is also a row error of the run (`pw.apply(f): ValueError: three`):
    // printed, counted, and a row of global_error_log.
    std::string why;
    auto fail = [&](size_t from, size_t to) {
      for (size_t i = from; i < to; ++i) {
        out[i] = Value::Error();
        SetBatchApplyError(i, why);
      }
    };
    auto record = [&why](const std::exception& error) {
      if (const auto* python = dynamic_cast<const py::error_already_set*>(&error)) {
        py::error_already_set copy = *python;
        why = PythonErrorText(copy);
        RecordCallbackError(copy);
        return;
      }
      why = error.what();
      if (const auto* builtin = dynamic_cast<const py::builtin_exception*>(&error)) {
        builtin->set_error();  // py::value_error and the like keep their Python type
      } else {
        PyErr_SetString(PyExc_TypeError, error.what());
      }
      py::error_already_set wrapped;
      RecordCallbackError(wrapped);
    };
    if (!max_batch_size) {
      for (size_t row = 0; row < n; ++row) {
        try {
          py::tuple call_args(columns.size());
          for (size_t j = 0; j < columns.size(); ++j) call_args[j] = ToPython(columns[j][row]);
          out[row] = FromPython((*callable)(*call_args), arena);
        } catch (const std::exception& error) {
          record(error);
          fail(row, row + 1);
        }
      }
      return;
    }
    for (size_t done = 0; done < n;) {
      const size_t end = std::min(n, done + *max_batch_size);
      try {
        py::tuple call_args(columns.size());
        for (size_t j = 0; j < columns.size(); ++j) {
          py::list values(end - done);
          for (size_t i = done; i < end; ++i) values[i - done] = ToPython(columns[j][i]);
          call_args[j] = std::move(values);
        }
        py::sequence results = (*callable)(*call_args).cast<py::sequence>();
        if (results.size() != end - done) {
          throw py::value_error("a batched UDF returned " + std::to_string(results.size()) +
                                " values for " + std::to_string(end - done) + " rows");
        }
        for (size_t i = done; i < end; ++i) out[i] = FromPython(results[i - done], arena);
      } catch (const std::exception& error) {
        record(error);
        fail(done, end);
      }
      done = end;
    }
  };
  return apply_batched(result_type, std::move(function), std::move(args), std::move(name),
                       std::move(holder));
}

// The unbatched calling convention: the engine calls a C++ function per row, which takes the
// GIL, converts and calls. Not what pw.apply uses; kept as the baseline that
// bench/python/udf_bench.py measures batching against.
Expr ApplyPythonPerRowGil(py::object fn, DType result_type, std::vector<Expr> args,
                          std::string name) {
  std::shared_ptr<py::object> holder = HoldPython(std::move(fn));
  py::object* callable = holder.get();  // Owned by the node, as in ApplyPython.
  ApplyFunction function = [callable](std::span<const Value> values, ValueArena& arena) -> Value {
    py::gil_scoped_acquire gil;
    try {
      py::tuple call_args(values.size());
      for (size_t i = 0; i < values.size(); ++i) call_args[i] = ToPython(values[i]);
      return FromPython((*callable)(*call_args), arena);
    } catch (py::error_already_set& error) {
      RecordCallbackError(error);
      return Value::Error();
    }
  };
  return apply(result_type, std::move(function), std::move(args), std::move(name),
               std::move(holder));
}

}  // namespace

std::shared_ptr<py::object> HoldPython(py::object obj) {
  if (obj.is_none()) return nullptr;
  return std::shared_ptr<py::object>(new py::object(std::move(obj)), [](py::object* o) {
    if (Py_IsInitialized() == 0) return;
    py::gil_scoped_acquire gil;
    delete o;
  });
}

Expr AsExpr(py::handle obj) {
  if (py::isinstance<Expr>(obj)) return obj.cast<Expr>();
  if (py::hasattr(obj, "_to_expr")) return obj.attr("_to_expr")().cast<Expr>();
  return LiteralOf(obj);
}

void BindExpressions(py::module_& m) {
  py::enum_<TypeKind>(m, "TypeKind")
      .value("ANY", TypeKind::kAny)
      .value("NONE", TypeKind::kNone)
      .value("BOOL", TypeKind::kBool)
      .value("INT", TypeKind::kInt)
      .value("FLOAT", TypeKind::kFloat)
      .value("STR", TypeKind::kString)
      .value("POINTER", TypeKind::kPointer)
      .value("TUPLE", TypeKind::kTuple)
      .value("DATE_TIME_NAIVE", TypeKind::kDateTimeNaive)
      .value("DATE_TIME_UTC", TypeKind::kDateTimeUtc)
      .value("DURATION", TypeKind::kDuration);

  py::class_<DType>(m, "DType")
      .def(py::init<TypeKind, bool>(), py::arg("kind"), py::arg("optional") = false)
      .def_readonly("kind", &DType::kind)
      .def_readonly("optional", &DType::optional)
      .def("__eq__", [](const DType& a, const DType& b) { return a == b; })
      .def("__hash__", [](const DType& d) { return static_cast<int>(d.kind) * 2 + d.optional; })
      .def("__repr__", &DType::ToString);

  py::class_<PyPointer>(m, "Pointer")
      .def("__str__", [](const PyPointer& p) { return FormatValue(Value::Pointer(p.key)); })
      .def("__repr__", [](const PyPointer& p) { return FormatValue(Value::Pointer(p.key)); })
      .def("__eq__", [](const PyPointer& a, const PyPointer& b) { return a.key == b.key; })
      .def("__lt__", [](const PyPointer& a, const PyPointer& b) {
        return CompareValues(Value::Pointer(a.key), Value::Pointer(b.key)) < 0;
      })
      .def("__hash__", [](const PyPointer& p) {
        return static_cast<int64_t>(p.key.lo ^ (p.key.hi * 0x9E3779B97F4A7C15ULL));
      });

  py::class_<PyErrorValue>(m, "ErrorValue")
      .def("__repr__", [](const PyErrorValue&) { return "Error"; })
      .def("__eq__", [](const PyErrorValue&, py::handle other) {
        return py::isinstance<PyErrorValue>(other);
      })
      .def("__hash__", [](const PyErrorValue&) { return 0x5e5e; });
  m.attr("ERROR") = py::cast(PyErrorValue{});

  // dynamic_attr: a `table.column` reference keeps its Python table alive (`_table`), so a
  // window built from it (intervals_over(at=t.x)) can find the table again.
  py::class_<Expr> expr(m, "Expr", py::dynamic_attr(),
                        py::custom_type_setup(python::SetUpExprType));
  expr.def_property_readonly("column_name", &Expr::column_name)
      .def_property_readonly("is_column", &Expr::is_column)
      // The table a `table.column` reference was taken from (Table.identity()), 0 for
      // pw.this / pw.left / pw.right and for other expressions.
      .def_property_readonly("table_identity", [](const Expr& e) {
        return reinterpret_cast<uintptr_t>(e.node().table);
      })
      .def("__repr__", &ExprRepr)
      .def("__bool__", [](const Expr& e) -> bool {
        throw py::type_error("the truth value of an expression is not defined: " +
                             ExprRepr(e) + " (use & | ~ instead of and, or, not)");
      })
      .def("__neg__", [](const Expr& a) { return -a; })
      .def("__invert__", [](const Expr& a) { return ~a; })
      .def("is_none", [](const Expr& a) { return is_none(a); })
      .def("is_not_none", [](const Expr& a) { return is_not_none(a); });
  // Binary operators with the Expr on either side (`1 + pw.this.a` goes through __radd__).
  using BinaryFn = Expr (*)(const Expr&, const Expr&);
  struct Binary {
    const char* name;
    const char* rname;
    BinaryFn fn;
  };
  static const Binary kBinary[] = {
      {"__add__", "__radd__", [](const Expr& a, const Expr& b) { return a + b; }},
      {"__sub__", "__rsub__", [](const Expr& a, const Expr& b) { return a - b; }},
      {"__mul__", "__rmul__", [](const Expr& a, const Expr& b) { return a * b; }},
      {"__truediv__", "__rtruediv__", [](const Expr& a, const Expr& b) { return a / b; }},
      {"__floordiv__", "__rfloordiv__", [](const Expr& a, const Expr& b) { return floordiv(a, b); }},
      {"__mod__", "__rmod__", [](const Expr& a, const Expr& b) { return a % b; }},
      {"__pow__", "__rpow__", [](const Expr& a, const Expr& b) { return pow(a, b); }},
      {"__and__", "__rand__", [](const Expr& a, const Expr& b) { return a & b; }},
      {"__or__", "__ror__", [](const Expr& a, const Expr& b) { return a | b; }},
      {"__xor__", "__rxor__", [](const Expr& a, const Expr& b) { return a ^ b; }},
      {"__eq__", nullptr, [](const Expr& a, const Expr& b) { return a == b; }},
      {"__ne__", nullptr, [](const Expr& a, const Expr& b) { return a != b; }},
      {"__lt__", "__gt__", [](const Expr& a, const Expr& b) { return a < b; }},
      {"__le__", "__ge__", [](const Expr& a, const Expr& b) { return a <= b; }},
      {"__gt__", "__lt__", [](const Expr& a, const Expr& b) { return a > b; }},
      {"__ge__", "__le__", [](const Expr& a, const Expr& b) { return a >= b; }},
  };
  for (const Binary& op : kBinary) {
    BinaryFn fn = op.fn;
    expr.def(op.name, [fn](const Expr& a, py::object b) { return fn(a, AsExpr(b)); },
             py::is_operator());
    // Comparisons mirror (5 < x is x > 5); the others swap operands.
    bool comparison = op.name[2] == 'l' || op.name[2] == 'g';
    if (op.rname != nullptr && !comparison) {
      expr.def(op.rname, [fn](const Expr& a, py::object b) { return fn(AsExpr(b), a); },
               py::is_operator());
    }
  }
  expr.attr("__hash__") = py::none();

  m.def("literal", &LiteralOf, "A constant expression from a Python value.");
  m.def("as_expr", [](py::object obj) { return AsExpr(obj); });
  m.def("pointer_from_expr", [](const py::iterable& args, bool optional) {
    return pointer_from(AsExprs(args), optional);
  });
  m.def("this_column", [](const std::string& name) { return this_[name]; });
  m.def("this_id", [] { return this_.id(); });
  m.def("side_column", [](bool left_side, const std::string& name) {
    return left_side ? left[name] : right[name];
  });
  m.def("side_id", [](bool left_side) { return left_side ? left.id() : right.id(); });
  m.def("if_else", [](py::object c, py::object t, py::object f) {
    return if_else(AsExpr(c), AsExpr(t), AsExpr(f));
  });
  m.def("coalesce", [](const py::args& args) { return coalesce(AsExprs(args)); });
  m.def("make_tuple", [](const py::args& args) { return make_tuple(AsExprs(args)); });
  m.def("cast", [](const DType& type, py::object e) { return cast(type, AsExpr(e)); });
  m.def("fill_error", [](py::object e, py::object replacement) {
    return fill_error(AsExpr(e), AsExpr(replacement));
  });
  m.def("apply_per_row_gil", [](py::object fn, const DType& result_type,
                                const py::iterable& args) {
    return ApplyPythonPerRowGil(std::move(fn), result_type, AsExprs(args), "apply");
  });
  m.def("apply", [](py::object fn, const DType& result_type, const py::iterable& args,
                    std::string name, std::optional<size_t> max_batch_size) {
    if (max_batch_size && *max_batch_size == 0) throw py::value_error("max_batch_size must be > 0");
    return ApplyPython(std::move(fn), result_type, AsExprs(args), std::move(name),
                       max_batch_size);
  }, py::arg("fn"), py::arg("result_type"), py::arg("args"), py::arg("name") = "apply",
     py::arg("max_batch_size") = py::none());

  // The .dt and .str namespaces (vigil/_expression.py attaches them to Expr).
  py::module_ d = m.def_submodule("dt", "Datetime functions (vigil/expr/datetime_functions.h).");
  d.def("strptime", [](py::object e, std::string format) {
    return dt::strptime(AsExpr(e), format);
  });
  d.def("strftime", [](py::object e, std::string format) {
    return dt::strftime(AsExpr(e), format);
  });
  for (auto [name, field] : {std::pair{"year", &dt::year}, {"month", &dt::month},
                             {"day", &dt::day}, {"hour", &dt::hour}, {"minute", &dt::minute},
                             {"second", &dt::second}, {"millisecond", &dt::millisecond},
                             {"microsecond", &dt::microsecond}, {"nanosecond", &dt::nanosecond},
                             {"weekday", &dt::weekday}}) {
    d.def(name, [field = field](py::object e) { return field(AsExpr(e)); });
  }
  d.def("floor", [](py::object e, py::object duration) {
    const StoredValue d = StoredFromPython(duration);  // timedelta or pandas.Timedelta
    if (d.get().kind() != ValueKind::kDuration) {
      throw py::type_error("dt.floor: expected a duration (datetime.timedelta), got " +
                           py::repr(duration).cast<std::string>());
    }
    return dt::floor(AsExpr(e), d.get().as_timestamp());
  });
  py::module_ s = m.def_submodule("str", "String functions (vigil/expr/string_functions.h).");
  for (auto [name, fn] : {std::pair{"lower", &str::lower}, {"upper", &str::upper},
                          {"len", &str::len}}) {
    s.def(name, [fn = fn](py::object e) { return fn(AsExpr(e)); });
  }
  s.def("parse_int", [](py::object e, bool optional) {
    return str::parse_int(AsExpr(e), optional);
  });
  s.def("parse_float", [](py::object e, bool optional) {
    return str::parse_float(AsExpr(e), optional);
  });
  s.def("strip", [](py::object e, std::optional<std::string> chars) {
    return str::strip(AsExpr(e), std::move(chars));
  }, py::arg("expr"), py::arg("chars") = py::none());
  s.def("startswith", [](py::object e, std::string p) { return str::startswith(AsExpr(e), p); });
  s.def("endswith", [](py::object e, std::string p) { return str::endswith(AsExpr(e), p); });
  s.def("count", [](py::object e, std::string sub) { return str::count(AsExpr(e), sub); });
  s.def("find", [](py::object e, std::string sub) { return str::find(AsExpr(e), sub); });
  s.def("rfind", [](py::object e, std::string sub) { return str::rfind(AsExpr(e), sub); });
  s.def("slice", [](py::object e, int64_t start, int64_t end) {
    return str::slice(AsExpr(e), start, end);
  });
  s.def("reversed", [](py::object e) { return str::reversed(AsExpr(e)); });
  s.def("removeprefix", [](py::object e, std::string p) {
    return str::removeprefix(AsExpr(e), p);
  });
  s.def("removesuffix", [](py::object e, std::string p) {
    return str::removesuffix(AsExpr(e), p);
  });
  s.def("replace", [](py::object e, std::string old, std::string replacement, int64_t n) {
    return str::replace(AsExpr(e), old, replacement, n);
  }, py::arg("expr"), py::arg("old"), py::arg("new"), py::arg("count") = -1);

  py::module_ r = m.def_submodule("reducers", "Reducers of groupby/windowby reduce().");
  r.def("count", [] { return reducers::count(); });
  r.def("sum", [](py::object e, bool strict) { return reducers::sum(AsExpr(e), strict); },
        py::arg("expr"), py::arg("strict") = false);
  r.def("avg", [](py::object e) { return reducers::avg(AsExpr(e)); });
  r.def("min", [](py::object e) { return reducers::min(AsExpr(e)); });
  r.def("max", [](py::object e) { return reducers::max(AsExpr(e)); });
  r.def("argmin", [](py::object e, py::object id) {
    return id.is_none() ? reducers::argmin(AsExpr(e)) : reducers::argmin(AsExpr(e), AsExpr(id));
  });
  r.def("argmax", [](py::object e, py::object id) {
    return id.is_none() ? reducers::argmax(AsExpr(e)) : reducers::argmax(AsExpr(e), AsExpr(id));
  });
  r.def("count_distinct", [](const py::args& args) { return reducers::count_distinct(AsExprs(args)); });
  r.def("any", [](py::object e) { return reducers::any(AsExpr(e)); });
  r.def("unique", [](py::object e) { return reducers::unique(AsExpr(e)); });
  r.def("tuple", [](py::object e, bool skip_nones) { return reducers::tuple(AsExpr(e), skip_nones); });
  r.def("sorted_tuple", [](py::object e, bool skip_nones) {
    return reducers::sorted_tuple(AsExpr(e), skip_nones);
  });
  r.def("earliest", [](py::object e) { return reducers::earliest(AsExpr(e)); });
  r.def("latest", [](py::object e) { return reducers::latest(AsExpr(e)); });
  // fn(state or None, [(values tuple, diff), ...]) -> new state, called with the GIL taken
  // once per changed group and commit. An exception becomes the group's Error (reported as
  // an engine error) and is re-raised by run() as a UDF's is.
  r.def("stateful_many", [](py::object fn, const DType& result_type, const py::iterable& args,
                            std::string name) {
    // Owned by the expression node and the groupby's reducer spec, which report it to the
    // cycle collector (gc_support.cc); the function only points to it.
    std::shared_ptr<py::object> holder = HoldPython(std::move(fn));
    py::object* callable = holder.get();
    StatefulReducerFunction function = [callable](const Value& state,
                                                  std::span<const StatefulRow> rows,
                                                  ValueArena& arena) -> Value {
      py::gil_scoped_acquire gil;
      try {
        py::list changes(rows.size());
        for (size_t r = 0; r < rows.size(); ++r) {
          py::tuple values(rows[r].values.size());
          for (size_t j = 0; j < rows[r].values.size(); ++j) {
            values[j] = ToPython(rows[r].values[j]);
          }
          changes[r] = py::make_tuple(std::move(values), rows[r].diff);
        }
        return FromPython((*callable)(ToPython(state), std::move(changes)), arena);
      } catch (py::error_already_set& error) {
        const std::string why = PythonErrorText(error);
        RecordCallbackError(error);
        throw std::runtime_error(why);
      }
    };
    return reducers::stateful_many(result_type, std::move(function), AsExprs(args),
                                   std::move(name), std::move(holder));
  });
}

}  // namespace vigil::python
