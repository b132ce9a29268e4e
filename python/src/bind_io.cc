// Inputs, outputs, capture and run(): the parts of the module that execute a graph. Every
// call that runs the engine releases the GIL; Python UDFs and callbacks take it back.

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings.h"
#include "connectors/api/primary_key.h"
#include "connectors/api/reshuffled_source.h"
#include "connectors/debug.h"
#include "connectors/error_log_table.h"
#include "connectors/io.h"
#include "connectors/output/table_printer.h"
#include "py_values.h"
#include "vigil/exec/run.h"

namespace vigil::python {

namespace {

// The first exception raised by a UDF or callback during a run. Only touched with the GIL.
std::optional<py::error_already_set>* PendingError() {
  static auto* pending = new std::optional<py::error_already_set>();
  return pending;
}

// vigil.EngineError, set when the module is initialized.
py::handle engine_error_type;

// A schema from the Python layer's description: (name, dtype, primary_key, has_default,
// default) per column.
Schema ToSchema(const std::vector<py::tuple>& columns) {
  Schema schema;
  for (const py::tuple& c : columns) {
    std::optional<StoredValue> default_value;
    if (c[3].cast<bool>()) default_value = StoredFromPython(c[4]);
    schema.Add(ColumnSchema(c[0].cast<std::string>(), c[1].cast<DType>(), c[2].cast<bool>(),
                            std::move(default_value)));
  }
  return schema;
}

io::Mode ToMode(const std::string& mode) {
  if (mode == "static") return io::Mode::kStatic;
  if (mode == "streaming") return io::Mode::kStreaming;
  throw py::value_error("mode must be 'static' or 'streaming', got '" + mode + "'");
}

py::tuple RowToPython(const std::vector<StoredValue>& row) {
  py::tuple t(row.size());
  for (size_t i = 0; i < row.size(); ++i) t[i] = ToPython(row[i].get());
  return t;
}

template <typename... Args>
void CallBack(const std::shared_ptr<py::object>& fn, Args&&... args) {
  try {
    (*fn)(std::forward<Args>(args)...);
  } catch (py::error_already_set& error) {
    RecordCallbackError(error);
  }
}

// Runs `body` with the GIL released, then re-raises a UDF's or callback's exception, as
// Pathway does with terminate_on_error (the default). Without it the rows the UDF failed on
// keep their Error values and the exception is only printed, like other data errors.
template <typename Body>
auto WithoutGil(const RunOptions& options, Body body) {
  decltype(body()) result = [&] {
    py::gil_scoped_release release;
    return body();
  }();
  if (options.terminate_on_error) {
    RaisePendingCallbackError();
  } else if (PendingError()->has_value()) {
    py::error_already_set error = std::move(**PendingError());
    PendingError()->reset();
    error.discard_as_unraisable("a Python function called by the run (terminate_on_error=False)");
  }
  return result;
}

}  // namespace

std::string PythonErrorText(const py::error_already_set& error) {
  return py::str(error.type().attr("__name__")).cast<std::string>() + ": " +
         py::str(error.value()).cast<std::string>();
}

void RecordCallbackError(py::error_already_set& error) {
  if (!PendingError()->has_value()) PendingError()->emplace(std::move(error));
}

void RaisePendingCallbackError() {
  if (!PendingError()->has_value()) return;
  py::error_already_set error = std::move(**PendingError());
  PendingError()->reset();
  throw error;
}

void RaiseIfError(const Status& status) {
  if (status.ok()) return;
  PyObject* type = engine_error_type.ptr();
  switch (status.code()) {
    case StatusCode::kNotFound:
      // A missing column; a missing file is an OSError.
      type = status.message().find("column") != std::string::npos ? PyExc_KeyError
                                                                   : PyExc_FileNotFoundError;
      break;
    case StatusCode::kTypeError: type = PyExc_TypeError; break;
    case StatusCode::kInvalidArgument: type = PyExc_ValueError; break;
    case StatusCode::kIoError: type = PyExc_OSError; break;
    default: break;
  }
  PyErr_SetString(type, status.message().c_str());
  throw py::error_already_set();
}

void BindIo(py::module_& m) {
  static py::exception<std::runtime_error> engine_error(m, "EngineError");
  engine_error_type = engine_error;

  py::enum_<OnBadRow>(m, "OnBadRow")
      .value("SKIP", OnBadRow::kSkip)
      .value("KEEP_ERROR", OnBadRow::kKeepError)
      .value("FAIL", OnBadRow::kFail);

  py::class_<RunOptions>(m, "RunOptions")
      .def(py::init<>())
      .def_readwrite("on_bad_row", &RunOptions::on_bad_row)
      .def_readwrite("echo_warnings", &RunOptions::echo_warnings)
      // The golden matrix's variants (connectors/api/reshuffled_source.h): rows shuffled
      // within commits, and with `split` commits cut at random; seed 0 turns it off.
      .def("set_reshuffle", [](RunOptions& o, uint64_t seed, bool split) {
        if (seed == 0) {
          o.source_wrapper = nullptr;
          return;
        }
        o.source_wrapper = [seed, split](std::unique_ptr<Source> s) -> std::unique_ptr<Source> {
          return std::make_unique<ReshuffledSource>(std::move(s), seed, split);
        };
      })
      // on_data_error(dict) for every bad row and engine error of the run (file, line,
      // column, field, value, expected, message, row_skipped, warning).
      .def("set_on_data_error", [](RunOptions& o, py::object fn) {
        auto callable = HoldPython(std::move(fn));
        if (!callable) {
          o.on_data_error = nullptr;
          return;
        }
        o.on_data_error = [callable](const DataError& e) {
          py::gil_scoped_acquire gil;
          py::dict d;
          d["file"] = e.file;
          d["line"] = e.line;
          d["column"] = e.column;
          d["field"] = e.field;
          d["value"] = py::bytes(e.value).attr("decode")("utf-8", "replace");
          d["expected"] = e.expected;
          d["message"] = py::bytes(e.message).attr("decode")("utf-8", "replace");
          d["row_skipped"] = e.row_skipped;
          d["warning"] = e.warning;
          CallBack(callable, d);
        };
      })
      .def_readwrite("terminate_on_error", &RunOptions::terminate_on_error)
      .def_readwrite("max_batch_rows", &RunOptions::max_batch_rows)
      .def_readwrite("max_commit_rows", &RunOptions::max_commit_rows)
      .def_readwrite("echo_errors", &RunOptions::echo_errors)
      .def_readwrite("flush_on_stop", &RunOptions::flush_on_stop)
      .def_readwrite("stop_on_signals", &RunOptions::stop_on_signals);

  m.def("csv_read", [](const std::string& path, const std::vector<py::tuple>& schema,
                       const std::string& mode) {
    return Checked(io::csv::read(path, ToSchema(schema), ToMode(mode)));
  });
  m.def("jsonlines_read", [](const std::string& path, const std::vector<py::tuple>& schema,
                             const std::string& mode) {
    return Checked(io::jsonlines::read(path, ToSchema(schema), ToMode(mode)));
  });
  m.def("plaintext_read", [](const std::string& path, const std::string& mode) {
    return Checked(io::plaintext::read(path, ToMode(mode)));
  });
  m.def("authlog_read", [](const std::vector<std::string>& paths, const std::string& mode) {
    return Checked(io::authlog::read(paths, ToMode(mode)));
  });
  m.def("csv_write", [](const Table& t, const std::string& path) { io::csv::write(t, path); });
  m.def("jsonlines_write",
        [](const Table& t, const std::string& path) { io::jsonlines::write(t, path); });
  m.def("subscribe", [](const Table& t, py::object on_change, py::object on_time_end,
                        py::object on_end) {
    auto change = HoldPython(std::move(on_change));
    auto time_end = HoldPython(std::move(on_time_end));
    auto end = HoldPython(std::move(on_end));
    std::vector<std::string> names = t.column_names();
    std::function<void(const Key&, std::span<const Value>, Time, bool)> change_fn;
    if (change) {
      change_fn = [change, names](const Key& key, std::span<const Value> row, Time time,
                                  bool is_addition) {
        py::gil_scoped_acquire gil;
        py::dict values;
        for (size_t i = 0; i < row.size(); ++i) values[py::str(names[i])] = ToPython(row[i]);
        CallBack(change, py::cast(PyPointer{key}), values, time, is_addition);
      };
    }
    std::function<void(Time)> time_end_fn;
    if (time_end) {
      time_end_fn = [time_end](Time time) {
        py::gil_scoped_acquire gil;
        CallBack(time_end, time);
      };
    }
    std::function<void()> end_fn;
    if (end) {
      end_fn = [end] {
        py::gil_scoped_acquire gil;
        CallBack(end);
      };
    }
    io::subscribe(t, std::move(change_fn), std::move(time_end_fn), std::move(end_fn));
  });

  m.def("table_from_markdown", [](const std::string& text,
                                  std::optional<std::vector<py::tuple>> schema,
                                  bool split_on_whitespace) {
    std::optional<Schema> s;
    if (schema) s = ToSchema(*schema);
    return Checked(debug::table_from_markdown(text, s, split_on_whitespace));
  }, py::arg("text"), py::arg("schema"), py::arg("split_on_whitespace") = true);
  m.def("global_error_log", [] { return global_error_log(); });
  // A static table from Python rows: (id or None, values, time, diff) each. A row without an
  // id takes the hash of its key columns' values when `key_columns` is given (the readers'
  // primary-key recipe), else the id of its position, as table_from_markdown's rows do; an
  // int id is an index id, as markdown's `id` column.
  m.def("table_from_rows", [](const std::vector<py::tuple>& schema_columns,
                              const std::vector<py::tuple>& rows,
                              std::optional<std::vector<size_t>> key_columns) {
    Schema schema = ToSchema(schema_columns);
    if (key_columns) {
      for (size_t c : *key_columns) {
        if (c >= schema.size()) throw py::index_error("key column out of the schema");
      }
    }
    KeyHasher hasher;
    std::vector<Update> updates;
    updates.reserve(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
      const py::tuple& row = rows[r];
      Update u;
      py::sequence values = row[1].cast<py::sequence>();
      if (values.size() != schema.size()) {
        throw py::value_error("row " + std::to_string(r) + " has " +
                              std::to_string(values.size()) + " values, the schema " +
                              std::to_string(schema.size()) + " columns");
      }
      for (py::handle v : values) u.row.push_back(StoredFromPython(v));
      if (!row[0].is_none()) {
        u.id = py::isinstance<PyPointer>(row[0]) ? row[0].cast<PyPointer>().key
                                                 : KeyForIndex(row[0].cast<int64_t>());
      } else if (key_columns) {
        u.id = PrimaryKeyRowId(hasher, *key_columns,
                               [&](size_t c) -> const Value& { return u.row[c].get(); });
      } else {
        u.id = KeyForIndex(static_cast<int64_t>(r));
      }
      u.time = row[2].cast<Time>();
      u.diff = row[3].cast<Diff>();
      updates.push_back(std::move(u));
    }
    return debug::table_from_updates(std::move(schema), std::move(updates), "table_from_rows");
  }, py::arg("schema"), py::arg("rows"), py::arg("key_columns") = py::none());
  m.def("pointer_from", [](const py::args& args) {
    KeyHasher h;
    ValueArena arena;
    std::vector<Value> values;
    for (py::handle a : args) values.push_back(FromPython(a, arena));
    for (const Value& v : values) v.HashInto(h);
    return PyPointer{h.Finish()};
  });

  // Runs the tables and returns their update streams: per table (columns, [(id, row, time,
  // diff), ...]).
  m.def("capture", [](const std::vector<Table>& tables, const RunOptions& options) {
    auto captured = WithoutGil(options, [&] { return debug::CaptureAll(tables, options); });
    RaiseIfError(captured.status());
    py::list out;
    for (const auto& c : *captured) {
      py::list updates;
      for (const Update& u : c.updates) {
        updates.append(py::make_tuple(PyPointer{u.id}, RowToPython(u.row), u.time, u.diff));
      }
      out.append(py::make_tuple(c.columns, updates));
    }
    return out;
  });
  // The text compute_and_print(_update_stream) prints.
  m.def("format_table", [](const Table& table, bool include_id, bool short_pointers,
                           std::optional<size_t> n_rows, bool update_stream,
                           const RunOptions& options) {
    auto captured = WithoutGil(options, [&] { return debug::Capture(table, options); });
    RaiseIfError(captured.status());
    PrintOptions print;
    print.include_id = include_id;
    print.short_pointers = short_pointers;
    print.n_rows = n_rows;
    return update_stream ? FormatUpdateStream(captured->columns, captured->updates, print)
                         : FormatTable(captured->columns, captured->updates, print);
  });
  m.def("run", [](const RunOptions& options) {
    Status status = WithoutGil(options, [&] { return run(options); });
    RaiseIfError(status);
  });
  m.def("clear_outputs", &ClearOutputs);
}

}  // namespace vigil::python
