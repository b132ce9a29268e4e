#include "vigil/graph/front_objects.h"

#include <absl/container/flat_hash_map.h>

#include <utility>

namespace vigil {

namespace {

/// The graph as reference counts: every object reached, its use count, and who references
/// it (an object referencing another twice counts twice).
class ReferenceGraph {
 public:
  void AddRoot(const void* object, long use_count, long owner_refs) {
    Entry& e = Reach(object, use_count);
    e.owner_refs += owner_refs;
  }

  void WalkTable(const std::shared_ptr<const TableNode>& node, const void* from) {
    if (node == nullptr) return;
    if (!Edge(node.get(), node.use_count(), from)) return;
    const TableNode& n = *node;
    const void* self = node.get();
    for (const auto& input : n.inputs) WalkTable(input, self);
    for (const BoundExpr& e : n.exprs) WalkBound(e, self);
    WalkBound(n.window.time, self);
    if (n.window.instance) WalkBound(*n.window.instance, self);
    WalkBound(n.session.time, self);
    if (n.session.instance) WalkBound(*n.session.instance, self);
    WalkBound(n.intervals.time, self);
    if (n.intervals.instance) WalkBound(*n.intervals.instance, self);
    WalkBound(n.intervals.at, self);
    for (const BoundExpr& e : n.groupby.keys) WalkBound(e, self);
    for (const ReducerSpec& r : n.groupby.reducers) WalkFrontObject(r.front_object, self);
    for (const auto& args : n.groupby.reducer_args) {
      for (const BoundExpr& e : args) WalkBound(e, self);
    }
    for (const BoundExpr& e : n.groupby.outputs) WalkBound(e, self);
    WalkBound(n.temporal.threshold.expr, self);
    for (const TimeExpr& t : n.temporal.current_times) WalkBound(t.expr, self);
    for (const BoundExpr& e : n.temporal.group_keys) WalkBound(e, self);
    if (n.temporal.row_identity) WalkBound(*n.temporal.row_identity, self);
    for (const BoundExpr& e : n.join.outputs) WalkBound(e, self);
  }

  void WalkExpr(const std::shared_ptr<const ExprNode>& node, const void* from) {
    if (node == nullptr) return;
    if (!Edge(node.get(), node.use_count(), from)) return;
    const ExprNode& n = *node;
    for (const Expr& arg : n.args) WalkExpr(arg.node_ptr(), node.get());
    WalkTable(n.table_node, node.get());
    WalkFrontObject(n.front_object, node.get());
  }

  void WalkFrontObject(const std::shared_ptr<void>& object, const void* from) {
    if (object == nullptr) return;
    if (Edge(object.get(), object.use_count(), from)) front_objects_.push_back(object.get());
  }

  /// The front objects whose every reference comes from the owner or from objects that
  /// count, to a fixed point.
  std::vector<void*> Exclusive() {
    bool changed = true;
    while (changed) {
      changed = false;
      for (auto& [object, e] : entries_) {
        if (!e.exclusive) continue;
        long internal = e.owner_refs;
        for (const auto& [referrer, times] : e.referrers) {
          if (entries_.at(referrer).exclusive) internal += times;
        }
        if (internal != e.use_count) {
          e.exclusive = false;
          changed = true;
        }
      }
    }
    std::vector<void*> out;
    for (void* object : front_objects_) {
      if (entries_.at(object).exclusive) out.push_back(object);
    }
    return out;
  }

 private:
  struct Entry {
    long use_count = 0;
    long owner_refs = 0;
    absl::flat_hash_map<const void*, long> referrers;
    bool exclusive = true;
  };

  Entry& Reach(const void* object, long use_count) {
    auto [it, inserted] = entries_.try_emplace(object);
    if (inserted) it->second.use_count = use_count;
    return it->second;
  }

  /// Records a reference from `from` (null: the root); returns whether `object` is new.
  bool Edge(const void* object, long use_count, const void* from) {
    const bool is_new = !entries_.contains(object);
    Entry& e = Reach(object, use_count);
    if (from != nullptr) ++e.referrers[from];
    return is_new;
  }

  void WalkBound(const BoundExpr& e, const void* from) {
    WalkExpr(e.source, from);
    for (const BoundExpr& arg : e.args) WalkBound(arg, from);
  }

  absl::flat_hash_map<const void*, Entry> entries_;
  std::vector<void*> front_objects_;
};

/// The exclusive front objects of the graph `walk` records, `root` held `owner_refs` times.
template <typename Node, typename Walk>
std::vector<void*> ExclusiveOf(const std::shared_ptr<const Node>& root, long owner_refs,
                               Walk walk) {
  if (root == nullptr) return {};
  ReferenceGraph graph;
  walk(graph);
  graph.AddRoot(root.get(), root.use_count(), owner_refs);
  return graph.Exclusive();
}

}  // namespace

std::vector<void*> ExclusiveFrontObjects(const std::shared_ptr<const TableNode>& root,
                                         long owner_refs) {
  return ExclusiveOf(root, owner_refs, [&](ReferenceGraph& g) { g.WalkTable(root, nullptr); });
}

std::vector<void*> ExclusiveFrontObjects(const std::shared_ptr<const ExprNode>& root,
                                         long owner_refs) {
  return ExclusiveOf(root, owner_refs, [&](ReferenceGraph& g) { g.WalkExpr(root, nullptr); });
}

}  // namespace vigil
