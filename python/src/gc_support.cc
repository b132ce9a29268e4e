#include "gc_support.h"

#include <pybind11/pybind11.h>

#include "vigil/graph/front_objects.h"
#include "vigil/graph/table.h"

namespace py = pybind11;

namespace vigil::python {

namespace {

/// The C++ object of a pybind11 instance, or null while it is not (or no longer) there.
template <typename T>
const T* Loaded(PyObject* self) {
  auto* instance = reinterpret_cast<py::detail::instance*>(self);
  const py::detail::value_and_holder v_h =
      instance->get_value_and_holder(nullptr, /*throw_if_missing=*/false);
  if (!v_h || !v_h.holder_constructed()) return nullptr;
  return v_h.value_ptr<T>();
}

/// Visits the Python callables (HoldPython objects) in `objects`.
int VisitFrontObjects(const std::vector<void*>& objects, visitproc visit, void* arg) {
  for (void* object : objects) Py_VISIT(static_cast<py::object*>(object)->ptr());
  return 0;
}

int TraverseTable(PyObject* self, visitproc visit, void* arg) {
  Py_VISIT(Py_TYPE(self));  // A heap type's instances reference their type.
  const Table* table = Loaded<Table>(self);
  if (table == nullptr) return 0;
  // The instance holds the node once (Table::node_).
  return VisitFrontObjects(ExclusiveFrontObjects(table->node(), 1), visit, arg);
}

int TraverseExpr(PyObject* self, visitproc visit, void* arg) {
  // py::dynamic_attr's traversal: the instance __dict__ and the type.
  if (const int r = py::detail::pybind11_traverse(self, visit, arg)) return r;
  const Expr* expr = Loaded<Expr>(self);
  if (expr == nullptr) return 0;
  return VisitFrontObjects(ExclusiveFrontObjects(expr->node_ptr(), 1), visit, arg);
}

// Nothing of the C++ side can be dropped safely while Python may still use the object: a
// cycle is broken by clearing its Python members (a function's closure, an instance's
// __dict__), after which the reference counts free the rest.
int ClearTable(PyObject* /*self*/) { return 0; }

}  // namespace

void SetUpTableType(PyHeapTypeObject* heap_type) {
  PyTypeObject* type = &heap_type->ht_type;
  type->tp_flags |= Py_TPFLAGS_HAVE_GC;
  type->tp_traverse = TraverseTable;
  type->tp_clear = ClearTable;
}

void SetUpExprType(PyHeapTypeObject* heap_type) {
  PyTypeObject* type = &heap_type->ht_type;
  // dynamic_attr already made the type GC-tracked, with pybind11_clear for its __dict__.
  type->tp_traverse = TraverseExpr;
}

}  // namespace vigil::python
