#include "golden.h"

#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>

#include "connectors/api/reshuffled_source.h"

namespace vigil::testing {

namespace {

std::string RowText(const Update& u) {
  std::string out;
  for (size_t i = 0; i < u.row.size(); ++i) {
    if (i > 0) out += " | ";
    out += FormatValue(u.row[i].get());
  }
  return out;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

debug::Captured MustCapture(const Table& table, const RunOptions& options,
                            const std::string& variant) {
  auto captured = debug::Capture(table, options);
  EXPECT_TRUE(captured.ok()) << variant << ": " << captured.status().ToString();
  if (!captured.ok()) return {};
  return std::move(*captured);
}

}  // namespace

std::vector<std::string> RowsText(const std::vector<Update>& updates) {
  std::vector<std::string> rows;
  for (const auto& u : FinalState(updates)) {
    if (u.diff < 0) {
      rows.push_back("NEGATIVE " + RowText(u));
      continue;
    }
    for (Diff k = 0; k < u.diff; ++k) rows.push_back(RowText(u));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> StreamText(const std::vector<Update>& updates) {
  std::vector<Update> sorted = updates;
  Consolidate(sorted);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Update& a, const Update& b) {
    if (a.time != b.time) return a.time < b.time;
    if ((a.diff < 0) != (b.diff < 0)) return a.diff < 0;
    return RowText(a) < RowText(b);
  });
  std::vector<std::string> rows;
  for (const auto& u : sorted) {
    rows.push_back(RowText(u) + " | " + std::to_string(u.time) + " | " + std::to_string(u.diff));
  }
  return rows;
}

std::vector<std::string> ExpectedRows(const std::string& block, bool sort) {
  std::vector<std::string> rows;
  std::istringstream in(block);
  std::string line;
  while (std::getline(in, line)) {
    if (Trim(line).empty()) continue;
    std::string row;
    std::istringstream cells(line);
    std::string cell;
    bool first = true;
    while (std::getline(cells, cell, '|')) {
      if (!first) row += " | ";
      row += Trim(cell);
      first = false;
    }
    rows.push_back(row);
  }
  if (sort) std::sort(rows.begin(), rows.end());
  return rows;
}

void ExpectMatrixStable(const Table& table, const MatrixOptions& options) {
  RunOptions base;
  base.echo_errors = false;
  debug::Captured reference = MustCapture(table, base, "default");
  const auto reference_stream = StreamText(reference.updates);
  const auto reference_final = RowsText(reference.updates);
  for (size_t batch_rows : {1, 2, 7}) {
    RunOptions o = base;
    o.max_batch_rows = batch_rows;
    std::string name = "batch size " + std::to_string(batch_rows);
    EXPECT_EQ(StreamText(MustCapture(table, o, name).updates), reference_stream) << name;
  }
  for (int i = 0; i < options.random_splits; ++i) {
    uint64_t seed = options.seed * 1000 + static_cast<uint64_t>(i);
    RunOptions shuffled = base;
    shuffled.max_batch_rows = 1 + static_cast<size_t>(seed % 5);
    shuffled.source_wrapper = [seed](std::unique_ptr<Source> s) -> std::unique_ptr<Source> {
      return std::make_unique<ReshuffledSource>(std::move(s), seed, false);
    };
    std::string name = "rows shuffled within commits, seed " + std::to_string(seed);
    EXPECT_EQ(StreamText(MustCapture(table, shuffled, name).updates), reference_stream) << name;
    if (options.time_dependent) continue;
    RunOptions split = base;
    split.source_wrapper = [seed](std::unique_ptr<Source> s) -> std::unique_ptr<Source> {
      return std::make_unique<ReshuffledSource>(std::move(s), seed, true);
    };
    name = "commits split at random, seed " + std::to_string(seed);
    EXPECT_EQ(RowsText(MustCapture(table, split, name).updates), reference_final) << name;
  }
}

std::vector<std::string> FinalRows(const Table& table, const MatrixOptions& options) {
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  ExpectMatrixStable(table, options);
  RunOptions base;
  base.echo_errors = false;
  return RowsText(MustCapture(table, base, "default").updates);
}

std::vector<std::string> StreamRows(const Table& table, const MatrixOptions& options) {
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  ExpectMatrixStable(table, options);
  RunOptions base;
  base.echo_errors = false;
  auto rows = StreamText(MustCapture(table, base, "default").updates);
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace vigil::testing
