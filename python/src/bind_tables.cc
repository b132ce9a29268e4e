// Tables, grouped tables, joins, windows and behaviors. The Python layer (vigil/_table.py)
// turns Pathway's keyword arguments into these calls and raises at once on a table that
// carries an error, as Pathway does when the graph is built.

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "gc_support.h"
#include "py_values.h"
#include "vigil/graph/table.h"
#include "vigil/graph/window.h"

namespace vigil::python {

namespace {

using Columns = std::vector<std::pair<std::string, py::object>>;

std::vector<NamedExpr> ToNamed(const Columns& columns) {
  std::vector<NamedExpr> out;
  out.reserve(columns.size());
  for (const auto& [name, e] : columns) out.emplace_back(name, AsExpr(e));
  return out;
}

std::vector<Expr> ToExprs(const std::vector<py::object>& items) {
  std::vector<Expr> out;
  for (const auto& item : items) out.push_back(AsExpr(item));
  return out;
}

std::optional<Expr> OptionalExpr(const py::object& obj) {
  if (obj.is_none()) return std::nullopt;
  return AsExpr(obj);
}

// A window or behavior parameter: int, float, timedelta or datetime.
TimeParam ToTimeParam(py::handle obj) {
  ValueArena arena;
  Value v = FromPython(obj, arena);
  switch (v.kind()) {
    case ValueKind::kInt:
    case ValueKind::kFloat:
    case ValueKind::kDuration:
    case ValueKind::kDateTimeNaive:
    case ValueKind::kDateTimeUtc: return TimeParam(v);
    default: break;
  }
  throw py::type_error("expected an int, float, timedelta or datetime, got " +
                       py::repr(obj).cast<std::string>());
}

std::optional<TimeParam> OptionalTimeParam(const py::object& obj) {
  if (obj.is_none()) return std::nullopt;
  return ToTimeParam(obj);
}

// The callable of a session predicate, called by the engine with the GIL taken.
std::function<bool(const Value&, const Value&)> PythonPredicate(py::object fn) {
  std::shared_ptr<py::object> callable = HoldPython(std::move(fn));
  return [callable](const Value& a, const Value& b) {
    py::gil_scoped_acquire gil;
    try {
      return py::bool_((*callable)(ToPython(a), ToPython(b))).cast<bool>();
    } catch (py::error_already_set& error) {
      RecordCallbackError(error);
      return false;
    }
  };
}

}  // namespace

Table Checked(Table table) {
  RaiseIfError(table.status());
  return table;
}

void BindTables(py::module_& m) {
  py::class_<Window>(m, "Window")
      .def_property_readonly("kind", [](const Window& w) { return static_cast<int>(w.kind); });
  py::class_<Behavior>(m, "Behavior");

  m.def("tumbling", [](py::object duration, py::object origin) {
    Window w = temporal::tumbling(ToTimeParam(duration), OptionalTimeParam(origin));
    RaiseIfError(w.status);
    return w;
  });
  m.def("sliding", [](py::object hop, py::object duration, std::optional<int64_t> ratio,
                      py::object origin) {
    Window w = temporal::sliding(ToTimeParam(hop), OptionalTimeParam(duration), ratio,
                                 OptionalTimeParam(origin));
    RaiseIfError(w.status);
    return w;
  });
  m.def("session", [](py::object max_gap, py::object predicate) {
    Window w = max_gap.is_none() ? temporal::session_predicate(PythonPredicate(predicate))
                                 : temporal::session(ToTimeParam(max_gap));
    RaiseIfError(w.status);
    return w;
  });
  m.def("intervals_over", [](const Table& at_table, py::object at, py::object lower_bound,
                             py::object upper_bound, bool is_outer) {
    Window w = temporal::intervals_over(at_table, AsExpr(at), ToTimeParam(lower_bound),
                                        ToTimeParam(upper_bound), is_outer);
    RaiseIfError(w.status);
    return w;
  });
  m.def("common_behavior", [](py::object delay, py::object cutoff, bool keep_results) {
    Behavior b = temporal::common_behavior(OptionalTimeParam(delay), OptionalTimeParam(cutoff),
                                           keep_results);
    RaiseIfError(b.status);
    return b;
  });
  m.def("exactly_once_behavior", [](py::object shift) {
    Behavior b = temporal::exactly_once_behavior(OptionalTimeParam(shift));
    RaiseIfError(b.status);
    return b;
  });

  py::class_<GroupedTable>(m, "GroupedTable")
      .def("reduce", [](const GroupedTable& g, const Columns& columns) {
        return Checked(g.reduce(ToNamed(columns)));
      });

  py::class_<JoinResult>(m, "JoinResult")
      .def("select", [](const JoinResult& j, const Columns& columns) {
        return Checked(j.select(ToNamed(columns)));
      });

  py::class_<Table>(m, "Table", py::custom_type_setup(python::SetUpTableType))
      .def("column_names", &Table::column_names)
      .def("column_types", [](const Table& t) {
        std::vector<DType> types;
        for (const auto& c : t.schema().columns()) types.push_back(c.type);
        return types;
      })
      .def("warnings", &Table::warnings)
      .def("identity", [](const Table& t) { return reinterpret_cast<uintptr_t>(t.node().get()); })
      .def("column", [](const Table& t, const std::string& name) { return t[name]; })
      .def("id", &Table::id)
      .def("select", [](const Table& t, const Columns& c) { return Checked(t.select(ToNamed(c))); })
      .def("with_columns", [](const Table& t, const Columns& c) {
        return Checked(t.with_columns(ToNamed(c)));
      })
      .def("without", [](const Table& t, const std::vector<std::string>& names) {
        return Checked(t.without(names));
      })
      .def("rename", [](const Table& t, const std::vector<std::pair<std::string, std::string>>& r) {
        return Checked(t.rename(r));
      })
      .def("filter", [](const Table& t, py::object p) { return Checked(t.filter(AsExpr(p))); })
      .def("concat", [](const Table& t, const Table& other) { return Checked(t.concat(other)); })
      .def("flatten",
           [](const Table& t, const std::string& column, std::optional<std::string> origin_id) {
             return Checked(t.flatten(column, origin_id));
           })
      .def("restrict",
           [](const Table& t, const Table& other) { return Checked(t.restrict(other)); })
      .def("intersect", [](const Table& t, const std::vector<Table>& others) {
        return Checked(t.intersect(others));
      })
      .def("difference",
           [](const Table& t, const Table& other) { return Checked(t.difference(other)); })
      .def("update_rows",
           [](const Table& t, const Table& other) { return Checked(t.update_rows(other)); })
      .def("update_cells",
           [](const Table& t, const Table& other) { return Checked(t.update_cells(other)); })
      .def("groupby", [](const Table& t, const std::vector<py::object>& keys) {
        return t.groupby(ToExprs(keys));
      })
      .def("reduce", [](const Table& t, const Columns& c) { return Checked(t.reduce(ToNamed(c))); })
      .def("windowby", [](const Table& t, py::object time, const Window& window,
                          py::object instance, std::optional<Behavior> behavior) {
        return t.windowby(AsExpr(time), window, OptionalExpr(instance), std::move(behavior));
      })
      .def("ignore_late", [](const Table& t, py::object time, py::object threshold) {
        return Checked(t.ignore_late(AsExpr(time), ToTimeParam(threshold)));
      })
      .def("buffer", [](const Table& t, py::object time, py::object threshold) {
        return Checked(t.buffer(AsExpr(time), ToTimeParam(threshold)));
      })
      .def("forget", [](const Table& t, py::object time, py::object threshold) {
        return Checked(t.forget(AsExpr(time), ToTimeParam(threshold)));
      })
      .def("join", [](const Table& t, const Table& other, const std::vector<py::object>& on,
                      const std::string& how, py::object id, py::object left_instance,
                      py::object right_instance) {
        JoinOptions options;
        if (how == "inner") options.how = JoinMode::kInner;
        else if (how == "left") options.how = JoinMode::kLeft;
        else if (how == "right") options.how = JoinMode::kRight;
        else if (how == "outer") options.how = JoinMode::kOuter;
        else throw py::value_error("how must be inner, left, right or outer, got '" + how + "'");
        options.id = OptionalExpr(id);
        options.left_instance = OptionalExpr(left_instance);
        options.right_instance = OptionalExpr(right_instance);
        return t.join(other, ToExprs(on), std::move(options));
      })
      .def("ix", [](const Table& t, py::object pointer, const Table& context, bool optional) {
        return Checked(t.ix(AsExpr(pointer), context, optional));
      });
}

}  // namespace vigil::python
