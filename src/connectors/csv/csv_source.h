#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/api/error_log.h"
#include "connectors/api/source.h"
#include "connectors/csv/csv_tokenizer.h"
#include "vigil/batch/batch.h"
#include "vigil/common/key.h"
#include "vigil/common/status.h"
#include "vigil/types/schema.h"

namespace vigil {

/// Knobs of a CSV reader.
struct CsvSourceOptions {
  /// What happens to rows with unparsable fields (Pathway: kSkip is terminate_on_error=True,
  /// kKeepError is terminate_on_error=False).
  OnBadRow on_bad_row = OnBadRow::kSkip;
  /// Where row-level problems go; not owned, may be null (they are then only counted).
  ErrorLog* error_log = nullptr;
  /// Bytes per read(2).
  size_t chunk_bytes = size_t{1} << 20;
  /// Longest record kept; longer ones are reported and skipped.
  size_t max_record_bytes = size_t{64} << 20;
  /// Rows per emitted batch.
  size_t batch_rows = 4096;
  /// Called after every emitted batch with the bytes of this source consumed so far (all
  /// files) and the rows emitted so far: progress displays and row counts.
  std::function<void(uint64_t bytes, uint64_t rows)> on_progress;
};

/// Reads CSV files in static mode, as Pathway's `pw.io.csv.read(..., mode="static")`: one
/// commit at processing time 0 holding every row (+1 diffs), emitted in batches of at most
/// `batch_rows` rows while the files stream through a bounded buffer.
///
/// `path` is a file or a directory (read recursively, files in path order). The first record
/// of each file is its header; schema columns are found by name (extra columns ignored).
/// Row ids follow Pathway: the hash of the primary-key values when the schema has any, else the
/// hash of (file path, byte offset of the end of the record).
class CsvSource : public Source {
 public:
  /// Validates the schema and options and checks that `path` exists. Open() does the rest.
  static Result<std::unique_ptr<CsvSource>> Make(std::string path, Schema schema,
                                                 CsvSourceOptions options = {});

  /// Prefer Make(); a source built directly reports bad arguments from Open().
  CsvSource(std::string path, Schema schema, CsvSourceOptions options = {});
  ~CsvSource() override;

  const Schema& schema() const override { return schema_; }
  /// Lists the files and reads the first file's header (a missing column fails here).
  Status Open() override;
  std::optional<Time> NextCommitTime() override;
  /// Emits every row. Later files' headers are checked when reached; a bad one fails the run.
  Status ReadCommit(const BatchConsumer& emit) override;

  /// Data errors seen so far (also those not kept because no ErrorLog was given).
  uint64_t error_count() const { return error_count_; }
  /// The files Open() found, in reading order.
  const std::vector<std::string>& files() const { return files_; }

 private:
  /// How one schema column is read from the current file.
  struct ColumnPlan {
    size_t field_index = 0;  ///< Index of the column in the current file's records.
  };

  Status ValidateArguments() const;
  Status ListFiles();
  /// Opens files_[file_index_] and maps its header; an empty file yields no tokenizer.
  Status OpenFile(size_t file_index);
  void CloseFile();
  /// Reads the current file's rows into batch_, emitting full batches.
  Status ReadFileRows(const BatchConsumer& emit);
  /// Parses one record into batch_ (or reports it). Non-OK only under kFail.
  Status ProcessRecord(const CsvRecord& record);
  /// Copies strings that point into the tokenizer's buffer into the batch arena.
  void DetachPendingStrings();
  /// Counts and logs `error`; under kFail returns the error as a ParseError status.
  Status Report(DataError error);
  void EmitBatch(const BatchConsumer& emit);

  std::string path_;
  Schema schema_;
  CsvSourceOptions options_;

  std::vector<size_t> primary_key_columns_;  ///< Schema indices, in schema order.
  std::vector<size_t> string_columns_;       ///< Columns whose values may be buffer views.

  std::vector<std::string> files_;
  size_t file_index_ = 0;
  int fd_ = -1;
  std::unique_ptr<CsvTokenizer> tokenizer_;
  std::vector<ColumnPlan> plan_;
  size_t min_fields_ = 0;  ///< Fields a record needs to hold every schema column.

  bool opened_ = false;
  bool commit_done_ = false;
  uint64_t error_count_ = 0;
  uint64_t rows_emitted_ = 0;
  uint64_t bytes_of_finished_files_ = 0;

  Batch batch_;
  std::vector<Value> row_;
  std::vector<const char*> row_errors_;
  KeyHasher hasher_;
};

}  // namespace vigil
