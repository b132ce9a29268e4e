#pragma once
// The parts of the extension module `vigil._vigil`, one function per concept, called by
// module.cc in dependency order.

#include <pybind11/pybind11.h>

#include <memory>

#include "vigil/common/status.h"
#include "vigil/expr/expression.h"
#include "vigil/graph/table.h"

namespace vigil::python {

namespace py = pybind11;

/// Values, pointers, dtypes and expressions (operators, functions, reducers, UDFs).
void BindExpressions(py::module_& m);
/// Tables, grouped tables, joins, windows and behaviors.
void BindTables(py::module_& m);
/// Inputs, outputs, debug capture and printing, run().
void BindIo(py::module_& m);

/// A Python object kept by the C++ graph (a UDF, a callback, a session predicate). Its last
/// reference may be dropped without the GIL (when a run's operators are destroyed), so the
/// deleter takes the GIL, or leaks once the interpreter has finalized. Null for None.
std::shared_ptr<py::object> HoldPython(py::object obj);

/// `table`, or the Python exception of its failed status (see RaiseIfError).
Table Checked(Table table);

/// An expression from a Python object: an Expr as is, any other value as a literal.
Expr AsExpr(py::handle obj);

/// Raises the Python exception that matches a failed status (KeyError for a missing name,
/// TypeError for types, ValueError for invalid arguments, OSError for files, vigil's
/// EngineError otherwise); nothing for OK.
void RaiseIfError(const Status& status);

/// The first exception a Python UDF or callback raised during the current run, kept so that
/// run() re-raises it (with its traceback) once the engine has stopped. Called with the GIL.
void RecordCallbackError(py::error_already_set& error);
/// `ValueError: three`: an exception's type name and message, as a row error says it.
std::string PythonErrorText(const py::error_already_set& error);
/// Re-raises the recorded exception, if any, and forgets it. Called with the GIL.
void RaisePendingCallbackError();

}  // namespace vigil::python
