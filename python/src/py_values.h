#pragma once
// Conversions between engine values and Python objects, at the boundary of the extension
// module: literals of expressions, markdown and pandas inputs, UDF arguments and results,
// captured rows. Never on the engine's per-row path unless a Python UDF or callback is.

#include <pybind11/pybind11.h>

#include "vigil/types/dtype.h"
#include "vigil/types/value.h"
#include "vigil/types/value_arena.h"

namespace vigil::python {

namespace py = pybind11;

/// A row id or pointer value as seen from Python (Pathway's `pw.Pointer`).
struct PyPointer {
  Key key;
};

/// The Error value of a cell (a failed cast, a UDF that raised), as Python sees it.
struct PyErrorValue {};

/// The engine value as a Python object: None, bool, int, float, str, tuple, vigil.Pointer,
/// pandas.Timestamp (naive or UTC) and pandas.Timedelta for the time types, vigil.ERROR.
py::object ToPython(const Value& v);

/// A Python object as an engine value; strings and tuples are copied into `arena`.
/// Throws py::type_error naming the object's type when it has no engine equivalent.
Value FromPython(py::handle obj, ValueArena& arena);

/// An owning copy of FromPython's value.
StoredValue StoredFromPython(py::handle obj);

/// The engine type of a Python value (what a literal of it is typed as).
DType TypeOfPython(py::handle obj);

}  // namespace vigil::python
