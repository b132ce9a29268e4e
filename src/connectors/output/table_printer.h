#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "vigil/batch/update.h"

namespace vigil {

/// Knobs of Pathway's `pw.debug.compute_and_print` / `compute_and_print_update_stream`.
struct PrintOptions {
  /// Show the row ids as the first column (its header is empty, or `id` without columns).
  bool include_id = true;
  /// Print pointers (ids and pointer-valued cells) as `^` + 7 characters + `...`.
  bool short_pointers = true;
  /// Print only the first n rows (after sorting); widths are computed over those rows only.
  std::optional<size_t> n_rows;
};

/// The text `compute_and_print` prints for a table whose update stream is `updates`: the
/// stream is squashed to its final state, rows are sorted by their values (None first) and
/// then by id, and laid out as a header line plus one line per row, every line ending in
/// `\n`. Cells are joined by ` | `, each column but the last is left-justified to its widest
/// cell (counted in code points, as Python's `len`), trailing whitespace is stripped.
/// Cell text is Python's `str()` (FormatValue); None prints empty when ids are shown or there
/// are several columns, else `None`. Without columns and without ids the result is empty.
///
/// A row whose final count is n > 1 prints n times (Pathway would reject such a table as a
/// duplicate key). A negative final count means some operator retracted a row it never
/// inserted, which is a bug: such rows are left out of the table and reported after it, one
/// line each, `ERROR: negative count -N: <id> | <v1> | ...`, so any comparison fails loudly.
std::string FormatTable(const std::vector<std::string>& column_names,
                        const std::vector<Update>& updates, const PrintOptions& options);

/// The text `compute_and_print_update_stream` prints: every update (after Consolidate) as a
/// row with extra columns `__time__` and `__diff__`, sorted by (time, diff, values, id), so
/// that at one time retractions precede insertions. Layout as FormatTable.
std::string FormatUpdateStream(const std::vector<std::string>& column_names,
                               const std::vector<Update>& updates, const PrintOptions& options);

}  // namespace vigil
