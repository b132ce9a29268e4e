#pragma once

// Python's cyclic garbage collector and the engine graph: a UDF is owned by its expression
// node in the C++ graph (ExprNode::front_object), and a UDF's closure may reference the
// table it is used in. These type setups make the Table and Expr types report the UDFs
// their graph alone owns (graph/front_objects.h) from tp_traverse, so such a cycle is
// collected like a pure-Python one.

#include <Python.h>

namespace vigil::python {

/// For py::custom_type_setup on the Table type: GC-tracked, traversing its graph's UDFs.
void SetUpTableType(PyHeapTypeObject* heap_type);
/// For py::custom_type_setup on the Expr type (which has py::dynamic_attr: its __dict__ is
/// traversed too).
void SetUpExprType(PyHeapTypeObject* heap_type);

}  // namespace vigil::python
