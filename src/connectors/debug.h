#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connectors/output/table_printer.h"
#include "vigil/batch/update.h"
#include "vigil/exec/executor.h"
#include "vigil/graph/table.h"

namespace vigil::debug {

/// A table from Pathway's markdown format (see connectors/markdown/markdown_table.h), with
/// `__time__`/`__diff__` columns for multi-commit update streams. `split_on_whitespace`
/// false: cells are separated by `|` only and may hold blanks.
Table table_from_markdown(const std::string& text, const std::optional<Schema>& schema = {},
                          bool split_on_whitespace = true);

/// The computed update stream of a table: its column names and consolidated updates.
struct Captured {
  std::vector<std::string> columns;
  std::vector<Update> updates;
  /// The final state (all times squashed).
  std::vector<Update> Final() const { return FinalState(updates); }
};

/// A static table of the given updates (ids, rows, processing times, diffs), replayed one
/// commit per distinct time (the updates are ordered by time here, stably). What
/// table_from_markdown builds once the text is parsed; fronts use it for rows they hold in
/// memory (the Python module's table_from_rows and table_from_pandas).
Table table_from_updates(Schema schema, std::vector<Update> updates,
                         std::string operation = "table_from_updates");

/// Computes `tables` in one run (shared inputs are read once) and returns their streams.
Result<std::vector<Captured>> CaptureAll(const std::vector<Table>& tables,
                                         const RunOptions& options = {});
Result<Captured> Capture(const Table& table, const RunOptions& options = {});

/// Computes the table and prints its final state to stdout in Pathway's layout:
///
///                 | ip_address    | count
///     ^3HJ3BS8... | 50.37.169.241 | 7
///
/// On failure prints the error to stderr and returns it.
Status compute_and_print(const Table& table, const PrintOptions& print = {},
                         const RunOptions& options = {});
/// Prints every update with `__time__` and `__diff__` columns instead of the final state.
Status compute_and_print_update_stream(const Table& table, const PrintOptions& print = {},
                                       const RunOptions& options = {});

}  // namespace vigil::debug
