#pragma once

#include <memory>
#include <vector>

#include "vigil/expr/expression.h"
#include "vigil/graph/table_node.h"

namespace vigil {

/// The front objects (ExprNode::front_object, e.g. the Python binding's callables) that
/// belong to the graph reachable from `root` and to nothing else: for a front whose objects
/// live in a garbage-collected heap and may reference the graph's owner back (a Python UDF
/// whose closure holds the table it is used in). The binding reports them from the owner's
/// GC traversal, so the collector sees the cycle; that is only right if each reported
/// reference is one the owner alone holds, or the collector would count a reference twice.
///
/// So an object of the graph (table node, expression node, front object) counts only if
/// every reference to it comes from the owner (`owner_refs` references to `root`) or from
/// objects that themselves count: reference counts (shared_ptr use counts) are compared
/// with the references found inside the graph, to a fixed point. A graph shared with
/// anything else (another table derived from it, a running executor, a registered output)
/// reports less, never more: the collector then keeps it, as it did before.
///
/// Reaches: tables' inputs and every expression a table node holds (map and filter
/// expressions, groupby keys, reducers (stateful_many's object), reducer arguments and outputs, window, session and
/// intervals_over times and instances, temporal thresholds, times and group keys, join
/// outputs), expressions' arguments and the tables they reference (ExprNode::table_node).
std::vector<void*> ExclusiveFrontObjects(const std::shared_ptr<const TableNode>& root,
                                         long owner_refs);
/// The same from an expression (the binding's expression objects).
std::vector<void*> ExclusiveFrontObjects(const std::shared_ptr<const ExprNode>& root,
                                         long owner_refs);

}  // namespace vigil
