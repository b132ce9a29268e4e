#pragma once

// Helpers of the line-reader tests (jsonlines_test.cc, plaintext_test.cc): a temporary
// directory, a static read of a LineSource into rows as text, and the same read done through
// the streaming calls (StartFile / Consume in random pieces / FinishFile / Flush).

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "connectors/lines/line_source.h"
#include "vigil/types/value.h"

namespace vigil::line_test {

/// A row as text: cells joined by " | " ("Error" for error values), plus its id.
struct Row {
  Key id;
  std::string cells;
  friend bool operator==(const Row& a, const Row& b) { return a.id == b.id && a.cells == b.cells; }
};

/// What one read produced.
struct ReadResult {
  Status status;
  std::vector<Row> rows;
  std::vector<size_t> batch_sizes;
  std::vector<DataError> errors;
  uint64_t error_count = 0;

  std::vector<std::string> Cells() const {
    std::vector<std::string> out;
    for (const Row& row : rows) out.push_back(row.cells);
    return out;
  }
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    for (const DataError& e : errors) out.push_back(e.message);
    return out;
  }
};

inline std::string CellText(const Value& v) { return v.is_error() ? "Error" : FormatValue(v); }

/// Appends the rows of `batch` (checking diffs and batch shape).
inline void AppendRows(const Batch& batch, size_t columns, ReadResult& result) {
  EXPECT_EQ(batch.num_columns(), columns);
  result.batch_sizes.push_back(batch.num_rows());
  for (size_t r = 0; r < batch.num_rows(); ++r) {
    std::string cells;
    for (size_t c = 0; c < batch.num_columns(); ++c) {
      if (c > 0) cells += " | ";
      cells += CellText(batch.columns[c][r]);
    }
    EXPECT_EQ(batch.diffs[r], 1);
    result.rows.push_back(Row{batch.ids[r], cells});
  }
}

/// Makes a source for `path` with the given options (JSON Lines or plaintext).
using SourceMaker =
    std::function<Result<std::unique_ptr<LineSource>>(const std::string&, LineSourceOptions)>;

class LineReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "vigil_lines_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::filesystem::path path = std::filesystem::path(dir_) / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
    return path.string();
  }

  /// Opens and reads `path` as one static commit, checking the commit protocol.
  static ReadResult ReadStatic(const SourceMaker& make, const std::string& path,
                               LineSourceOptions options = {}) {
    ReadResult result;
    ErrorLog log;
    options.error_log = &log;
    auto made = make(path, options);
    if (!made.ok()) {
      result.status = made.status();
      return result;
    }
    LineSource& source = **made;
    result.status = source.Open();
    if (!result.status.ok()) return result;
    EXPECT_EQ(source.NextCommitTime(), std::optional<Time>(0));
    result.status = source.ReadCommit(
        [&](const Batch& batch) { AppendRows(batch, source.schema().size(), result); });
    EXPECT_EQ(source.NextCommitTime(), std::nullopt);
    result.errors = log.kept();
    result.error_count = source.error_count();
    EXPECT_EQ(source.error_count(), log.count());
    return result;
  }

  /// Reads the files of `path` through StartFile / Consume (pieces of random sizes from
  /// 1 to `max_piece` bytes) / FinishFile, flushing at random points, as a live driver would.
  static ReadResult ReadInPieces(const SourceMaker& make, const std::string& path, uint64_t seed,
                                 size_t max_piece, LineSourceOptions options = {}) {
    ReadResult result;
    ErrorLog log;
    options.error_log = &log;
    auto made = make("", options);
    if (!made.ok()) {
      result.status = made.status();
      return result;
    }
    LineSource& source = **made;
    std::vector<std::string> files;
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path().string());
      }
      std::sort(files.begin(), files.end());
    } else {
      files.push_back(path);
    }
    std::mt19937_64 rng(seed);
    const BatchConsumer emit = [&](const Batch& batch) {
      AppendRows(batch, source.schema().size(), result);
    };
    for (const std::string& file : files) {
      std::ifstream in(file, std::ios::binary);
      const std::string content((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
      source.StartFile(file);
      size_t at = 0;
      while (at < content.size()) {
        const size_t piece = std::min<size_t>(content.size() - at, 1 + rng() % max_piece);
        // A fresh copy per piece: the source must not keep views into the caller's bytes.
        std::string bytes = content.substr(at, piece);
        result.status = source.Consume(bytes, emit);
        bytes.assign(bytes.size(), '#');
        if (!result.status.ok()) return result;
        at += piece;
        if (rng() % 4 == 0) source.Flush(emit);
      }
      result.status = source.FinishFile(emit);
      if (!result.status.ok()) return result;
    }
    source.Flush(emit);
    result.errors = log.kept();
    result.error_count = source.error_count();
    return result;
  }

  std::string dir_;
};

}  // namespace vigil::line_test
