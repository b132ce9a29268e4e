#pragma once

// Golden-test support: run a table, compare its consolidated stream or final state with
// expected rows written as text, and rerun it under the test matrix (batch sizes 1, 2, 7;
// rows shuffled within commits; commits split at random), which must not change the result.

#include <cstdint>
#include <string>
#include <vector>

#include "connectors/debug.h"

namespace vigil::testing {

/// Rows as `v1 | v2 | ...` (Python str of each value), ids left out, sorted: the form in
/// which expected results are written (Pathway's assert_table_equality_wo_index).
std::vector<std::string> RowsText(const std::vector<Update>& updates);
/// Stream rows as `v1 | ... | time | diff`, in stream order (time, then -1 before +1, then
/// values).
std::vector<std::string> StreamText(const std::vector<Update>& updates);
/// Splits an expected block (one row per line, cells separated by `|`) into normalized rows
/// (`a | b | c`, sorted when `sort`).
std::vector<std::string> ExpectedRows(const std::string& block, bool sort = true);

/// How a golden test may be rerun.
struct MatrixOptions {
  /// Results depend on processing time (earliest/latest): do not split commits.
  bool time_dependent = false;
  uint64_t seed = 1;
  int random_splits = 3;  ///< How many random commit splittings to try.
};

/// Computes `table` under every matrix variant and checks that (1) batch size and row order
/// within commits leave the consolidated stream unchanged and (2) commit splitting leaves
/// the final state unchanged. Reports failures through GoogleTest with the variant's name.
void ExpectMatrixStable(const Table& table, const MatrixOptions& options = {});

/// Final rows of `table` (ids ignored), after checking the matrix.
std::vector<std::string> FinalRows(const Table& table, const MatrixOptions& options = {});
/// Consolidated stream of `table` (ids ignored) as sorted `values | time | diff` rows (compare
/// with ExpectedRows(block), sorted too), after checking the matrix.
std::vector<std::string> StreamRows(const Table& table, const MatrixOptions& options = {});

}  // namespace vigil::testing
