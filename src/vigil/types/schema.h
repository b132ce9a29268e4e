#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vigil/common/status.h"
#include "vigil/types/dtype.h"
#include "vigil/types/value_arena.h"

namespace vigil {

/// One column of a schema: its name, type, whether it is part of the primary key, and the
/// value used when an input field is empty (Pathway's `default_value`).
struct ColumnSchema {
  ColumnSchema(std::string column_name, DType column_type, bool is_primary_key = false,
               std::optional<StoredValue> default_if_empty = std::nullopt)
      : name(std::move(column_name)),
        type(column_type),
        primary_key(is_primary_key),
        default_value(std::move(default_if_empty)) {}

  std::string name;
  DType type;
  bool primary_key = false;
  std::optional<StoredValue> default_value;
};

/// The columns of a table, in order. Ids are not a column.
class Schema {
 public:
  Schema() = default;
  Schema(std::initializer_list<ColumnSchema> columns) : columns_(columns) {}
  explicit Schema(std::vector<ColumnSchema> columns) : columns_(std::move(columns)) {}

  size_t size() const { return columns_.size(); }
  const ColumnSchema& operator[](size_t i) const { return columns_[i]; }
  const std::vector<ColumnSchema>& columns() const { return columns_; }
  /// Index of the column named `name`, or nullopt.
  std::optional<size_t> Find(std::string_view name) const;
  /// Index of `name`, or a NotFound status listing the columns that exist.
  Result<size_t> Lookup(std::string_view name) const;
  std::vector<std::string> Names() const;
  void Add(ColumnSchema column) { columns_.push_back(std::move(column)); }

 private:
  std::vector<ColumnSchema> columns_;
};

}  // namespace vigil
