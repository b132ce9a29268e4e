// ExclusiveFrontObjects (graph/front_objects.h): a front object is reported only when every
// reference to it, and to what holds it, comes from the graph's owner. Reporting one that
// something else holds would let Python's collector free a callable the engine still uses.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "connectors/debug.h"
#include "vigil/graph/front_objects.h"

namespace vigil {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Expr WithFrontObject(const std::shared_ptr<int>& object, Expr arg) {
  return apply(
      dtype::Int, [](std::span<const Value> args, ValueArena&) { return args[0]; },
      {std::move(arg)}, "f", object);
}

TEST(FrontObjects, ReportedOnlyWhileTheOwnerAloneHoldsThem) {
  const Table t = debug::table_from_markdown("a\n1\n");
  auto object = std::make_shared<int>(7);
  void* raw = object.get();
  std::optional<Table> r = t.select({{"y", WithFrontObject(object, this_["a"]) + 1}});
  object.reset();  // The graph holds it alone now.
  EXPECT_THAT(ExclusiveFrontObjects(r->node(), 1), ElementsAre(raw));
  // A second owner of the node (another table derived from it): no longer this owner's.
  {
    const Table derived = r->filter(this_["y"] > 0);
    EXPECT_THAT(ExclusiveFrontObjects(r->node(), 1), IsEmpty());
    // The derived table does not hold `r`'s node alone either (r does too).
    EXPECT_THAT(ExclusiveFrontObjects(derived.node(), 1), IsEmpty());
    r.reset();
    // Now it does: the object is reported once, from the table that holds the graph.
    EXPECT_THAT(ExclusiveFrontObjects(derived.node(), 1), ElementsAre(raw));
  }
}

TEST(FrontObjects, AnExpressionHeldElsewhereOrAnObjectHeldElsewhereIsNotReported) {
  const Table t = debug::table_from_markdown("a\n1\n");
  auto object = std::make_shared<int>(7);
  const Expr e = WithFrontObject(object, this_["a"]);
  const Table r = t.select({{"y", e}});
  EXPECT_THAT(ExclusiveFrontObjects(r.node(), 1), IsEmpty());  // `object` is held here too.
  object.reset();
  EXPECT_THAT(ExclusiveFrontObjects(r.node(), 1), IsEmpty());  // `e` holds the expression.
  EXPECT_THAT(ExclusiveFrontObjects(e.node_ptr(), 1), IsEmpty());  // So does the table.
  EXPECT_THAT(ExclusiveFrontObjects(r.node(), 2), IsEmpty());  // Miscounted owners: none.
}

}  // namespace
}  // namespace vigil
