// Table operations on row ids (Pathway's universes): restrict, intersect, difference,
// update_rows, update_cells. Each is a join on the row id keeping this table's ids, so it is
// incremental like any join: a row of `other` that appears or goes later changes the result.

#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "vigil/graph/table.h"
#include "vigil/graph/table_errors.h"

namespace vigil {

namespace {

/// A column `other` contributes to say "this id is there" (a left join pads it with None).
constexpr char kPresentColumn[] = "__pw_id_present";

using table_errors::CheckNoInternalNameClash;
using table_errors::Failed;
using table_errors::WithOperation;

/// A join of `self` with `other` on the row id, keeping `self`'s ids, with `columns` as
/// the output (expressions over `left`/`right`).
Table JoinOnId(const std::string& operation, const Table& self, const Table& other,
               JoinMode how, const std::vector<std::pair<std::string, Expr>>& columns) {
  auto plan = PlanJoin(self.node(), other.node(), {left.id() == right.id()},
                       JoinOptions{.how = how, .id = left.id()});
  if (!plan.ok()) return Failed(WithOperation(operation, plan.status()));
  plan->operation = operation;
  auto node = PlanJoinSelect(*plan, columns);
  if (!node.ok()) return Failed(WithOperation(operation, node.status()));
  return Table(std::move(*node));
}

std::vector<std::pair<std::string, Expr>> LeftColumns(const Table& self) {
  std::vector<std::pair<std::string, Expr>> columns;
  for (const auto& c : self.schema().columns()) columns.emplace_back(c.name, left[c.name]);
  return columns;
}

}  // namespace

Table Table::restrict(const Table& other) const {
  if (!ok()) return *this;
  if (!other.ok()) return other;
  // Only the ids of `other` matter: a join against its ids alone keeps no copy of its values.
  return JoinOnId("restrict", *this, other.select({}), JoinMode::kInner, LeftColumns(*this));
}

Table Table::intersect(const std::vector<Table>& others) const {
  Table result = *this;
  for (const Table& other : others) result = result.restrict(other);
  return result;
}

Table Table::difference(const Table& other) const {
  if (!ok()) return *this;
  if (!other.ok()) return other;
  if (Status clash = CheckNoInternalNameClash(schema(), {kPresentColumn}, "difference");
      !clash.ok()) {
    return Failed(WithOperation("difference", clash));
  }
  auto columns = LeftColumns(*this);
  columns.emplace_back(kPresentColumn, right[kPresentColumn]);
  const Table joined = JoinOnId("difference", *this, other.select({{kPresentColumn, Expr(true)}}),
                                JoinMode::kLeft, columns);
  if (!joined.ok()) return joined;
  return joined.filter(is_none(this_[kPresentColumn])).without({kPresentColumn});
}

Table Table::update_rows(const Table& other) const {
  if (!ok()) return *this;
  if (!other.ok()) return other;
  for (const auto& c : other.schema().columns()) {
    if (!schema().Find(c.name)) {
      return Failed(Status::Invalid(
          "update_rows: column '{}' of the other table is not a column of this one (the "
          "tables must have the same columns; this one has {})",
          c.name, fmt::join(column_names(), ", ")));
    }
  }
  for (const auto& c : schema().columns()) {
    if (!other.schema().Find(c.name)) {
      return Failed(Status::Invalid(
          "update_rows: column '{}' is missing from the other table (the tables must have "
          "the same columns)",
          c.name));
    }
  }
  std::vector<NamedExpr> in_order;
  for (const auto& c : schema().columns()) in_order.emplace_back(c.name, this_[c.name]);
  return difference(other).concat(other.select(std::move(in_order)));
}

Table Table::update_cells(const Table& other) const {
  if (!ok()) return *this;
  if (!other.ok()) return other;
  if (Status clash = CheckNoInternalNameClash(schema(), {kPresentColumn}, "update_cells");
      !clash.ok()) {
    return Failed(WithOperation("update_cells", clash));
  }
  std::vector<NamedExpr> updates{{kPresentColumn, Expr(true)}};
  for (const auto& c : other.schema().columns()) {
    const auto mine = schema().Find(c.name);
    if (!mine) {
      return Failed(Status::Invalid(
          "update_cells: column '{}' of the other table is not a column of this one (its "
          "columns must be a subset; this one has {})",
          c.name, fmt::join(column_names(), ", ")));
    }
    const DType& type = schema()[*mine].type;
    // The other table's values must fit this column as they are: the same type, or None
    // (or a non-optional value) in an optional column.
    if (!(UnifyTypes(type, c.type) == type)) {
      return Failed(Status::TypeError(
          "update_cells: column '{}' is {} in the other table and {} in this one (its values "
          "must fit this table's column)",
          c.name, c.type.ToString(), type.ToString()));
    }
    updates.emplace_back(c.name, this_[c.name]);
  }
  // Every column of this table; where `other` has the column and the id, its value (the
  // marker tells a padded row from a None value).
  std::vector<std::pair<std::string, Expr>> columns;
  const Expr absent = is_none(right[kPresentColumn]);
  for (const auto& c : schema().columns()) {
    if (other.schema().Find(c.name)) {
      // A column that cannot hold None is None on the right only where the row is padded:
      // coalesce then keeps the column's type (not optional).
      columns.emplace_back(c.name, c.type.optional
                                       ? if_else(absent, left[c.name], right[c.name])
                                       : coalesce({right[c.name], left[c.name]}));
    } else {
      columns.emplace_back(c.name, left[c.name]);
    }
  }
  return JoinOnId("update_cells", *this, other.select(std::move(updates)), JoinMode::kLeft,
                  columns);
}

}  // namespace vigil
