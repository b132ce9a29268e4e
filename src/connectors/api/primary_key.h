#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "vigil/common/key.h"
#include "vigil/types/schema.h"
#include "vigil/types/value.h"

namespace vigil {

/// The columns of `schema` marked primary_key, in schema order: the order their values are
/// hashed into row ids.
inline std::vector<size_t> PrimaryKeyColumns(const Schema& schema) {
  std::vector<size_t> columns;
  for (size_t c = 0; c < schema.size(); ++c) {
    if (schema[c].primary_key) columns.push_back(c);
  }
  return columns;
}

/// The id of a row read with a primary key, as every Pathway reader gives it:
/// `ref_scalar(*key values)` (pw.pointer_from of the key columns' values, in schema order).
/// `value_of(c)` returns the row's value of key column `c`. Readers keep one `hasher` and
/// call this per row: no allocation once the hasher's buffer has grown.
template <typename ValueOf>
Key PrimaryKeyRowId(KeyHasher& hasher, std::span<const size_t> key_columns,
                    ValueOf&& value_of) {
  hasher.Reset();
  for (size_t c : key_columns) value_of(c).HashInto(hasher);
  return hasher.Finish();
}

}  // namespace vigil
