// The extension module `vigil._vigil`: the engine's graph API for the pure-Python layer in
// python/vigil/, which gives it Pathway's names and keyword arguments.

#include <pybind11/pybind11.h>

#include "bindings.h"

PYBIND11_MODULE(_vigil, m) {
  m.doc() = "Vigil's engine: tables, expressions, windows, connectors and run().";
  vigil::python::BindExpressions(m);
  vigil::python::BindTables(m);
  vigil::python::BindIo(m);
}
