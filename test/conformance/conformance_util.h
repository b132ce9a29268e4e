#pragma once

// Helpers of the conformance tests: look-ups of row ids returned by argmin/argmax (Pathway's
// `t.ix(...)`, done here in test code) and printing of pointers in Pathway's short form.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "connectors/debug.h"
#include "golden.h"

namespace vigil::conformance {

/// Every row ever inserted into a captured table, by id (its values at insertion).
inline std::map<Key, std::vector<StoredValue>> RowsById(const debug::Captured& table) {
  std::map<Key, std::vector<StoredValue>> rows;
  for (const Update& u : table.updates) {
    if (u.diff > 0) rows.emplace(u.id, u.row);
  }
  return rows;
}

/// Pathway's `input.ix(pointer_column).input_column`: replaces, in every update, the value of
/// each `{pointer_column, input_column}` pair by the value of `input_column` in the input row
/// that the pointer names. A pointer naming no input row is a test failure (and shows up as
/// `<not an input id ^...>` in the rows).
inline std::vector<Update> LookUp(const std::vector<Update>& updates,
                                  const std::map<Key, std::vector<StoredValue>>& input,
                                  const std::vector<std::pair<size_t, size_t>>& columns) {
  std::vector<Update> out;
  for (const Update& u : updates) {
    Update copy = u;
    for (const auto& [pointer_column, input_column] : columns) {
      const Value& v = u.row[pointer_column].get();
      auto it = v.kind() == ValueKind::kPointer ? input.find(v.as_pointer()) : input.end();
      if (it == input.end()) {
        ADD_FAILURE() << "column " << pointer_column << " holds " << FormatValue(v)
                      << ", which is not an id of the input table";
        std::string text = "<not an input id " + FormatValue(v) + ">";
        copy.row[pointer_column] = StoredValue(Value::String(text));
        continue;
      }
      copy.row[pointer_column] = it->second[input_column];
    }
    out.push_back(std::move(copy));
  }
  return out;
}

/// Final rows as `v1 | v2 | ...`, sorted, with pointers printed as Pathway prints them with
/// short_pointers=True (`^X1MXHYY...`).
inline std::vector<std::string> ShortPointerRows(const std::vector<Update>& updates) {
  std::vector<std::string> rows;
  for (const Update& u : FinalState(updates)) {
    std::string text;
    for (size_t i = 0; i < u.row.size(); ++i) {
      if (i > 0) text += " | ";
      const Value& v = u.row[i].get();
      text += v.kind() == ValueKind::kPointer ? v.as_pointer().ToShortString() : FormatValue(v);
    }
    if (u.diff < 0) text = "NEGATIVE " + text;
    for (Diff k = 0; k < std::max<Diff>(u.diff, 1); ++k) rows.push_back(text);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace vigil::conformance
