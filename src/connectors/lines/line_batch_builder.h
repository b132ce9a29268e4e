#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/api/error_log.h"
#include "connectors/api/source.h"
#include "connectors/csv/csv_source.h"
#include "connectors/lines/line_splitter.h"
#include "vigil/batch/batch.h"
#include "vigil/common/key.h"
#include "vigil/common/status.h"
#include "vigil/types/schema.h"

namespace vigil {

/// One bad field of a line, as a row parser reports it (built on the error path only).
struct FieldError {
  size_t column = 0;     ///< Schema index.
  std::string value;     ///< The offending text, as the format shows it (truncated).
  std::string expected;  ///< `int`, `int | None`, `valid UTF-8`, or empty (then `message`).
  std::string message;   ///< Pathway's wording.
};

/// Knobs of LineBatchBuilder.
struct LineBatchOptions {
  OnBadRow on_bad_row = OnBadRow::kSkip;
  ErrorLog* error_log = nullptr;  ///< Not owned; may be null (errors are then only counted).
  size_t batch_rows = 4096;
};

/// Builds the batches of a line-based reader: row parsers write values in place, the builder
/// gives every row its id and diff, applies the OnBadRow policy to bad rows and reports them,
/// and hands out full batches.
///
/// Rows are written column by column straight into batch vectors of batch_rows entries (no
/// push_back), at index pending_rows(): a parser Set()s each column, then commits the row
/// (CommitRow) or reports it (CommitRowWithErrors / RejectLine); an abandoned row's slots are
/// simply overwritten by the next one. Ids are Pathway's: the hash of the primary-key values
/// when the schema has a primary key, else XXH3-128 of (file path, line end offset), the
/// CsvRowIdHasher recipe.
///
/// String values may be views into the caller's line buffer; DetachStrings() copies them
/// into the batch arena before that buffer changes. One owner thread.
class LineBatchBuilder {
 public:
  LineBatchBuilder(const Schema& schema, LineBatchOptions options);

  /// Starts rows of another file: errors name `path`, ids hash `id_path` (Pathway: the path
  /// itself). Rows already pending keep the ids they got.
  void StartFile(std::string path, std::string_view id_path);
  const std::string& path() const { return path_; }

  /// Writes column `column` of the row being built.
  void Set(size_t column, const Value& value) { slots_[column][rows_] = value; }
  /// Where values that must outlive the line (unescaped strings) are copied.
  ValueArena& arena() { return batch_.arena; }

  /// Adds the row being built (every column Set).
  void CommitRow(const Line& line) {
    ids_[rows_] =
        primary_key_columns_.empty() ? row_id_hasher_.Id(line.end_offset) : PrimaryKeyId();
    ++rows_;
  }
  /// Adds the row being built as the `sub`-th row of the line ending at `end_offset`, for
  /// parsers that make several rows of one line (sub 0 gets CommitRow's id; others a
  /// distinct one derived from it), or rows at the end of the input (the offset past it).
  void CommitRowAt(uint64_t end_offset, uint32_t sub);
  /// Parsers that may make more than one row per line call this before building each extra
  /// row: when the batch is full it is emitted first (through the handler the reader set), so
  /// the row has a slot. Committed rows are emitted; the row about to be built is not started.
  void MakeRoom() {
    if (rows_ == batch_rows_ && on_full_) on_full_();
  }
  /// What MakeRoom calls on a full batch (the reader emits it to its current consumer).
  void set_on_full(std::function<void()> on_full) { on_full_ = std::move(on_full); }
  /// Adds or drops the row being built, whose columns in `errors` failed (in schema order),
  /// by the OnBadRow policy: a primary-key error always drops it, kSkip drops it and reports
  /// its first error, kKeepError keeps it with Error values and reports each, kFail stops.
  /// Non-OK only under kFail.
  Status CommitRowWithErrors(const Line& line, std::span<const FieldError> errors);
  /// Drops a whole line (not parsable at all, too long): reported as a row error.
  Status RejectLine(const Line& line, std::string message, std::string expected,
                    std::string_view value);

  size_t pending_rows() const { return rows_; }
  size_t capacity() const { return batch_rows_; }
  bool full() const { return rows_ == batch_rows_; }
  /// Emits the pending rows (if any) as one batch and starts an empty one.
  void Emit(const BatchConsumer& emit);
  /// Copies the bytes of pending string values that point into [begin, end) into the arena.
  void DetachStrings(const char* begin, const char* end);

  uint64_t rows_emitted() const { return rows_emitted_; }
  uint64_t error_count() const { return error_count_; }

 private:
  Key PrimaryKeyId();
  void PrepareBatch();
  Status Report(DataError error);
  DataError LineError(const Line& line) const;

  const Schema& schema_;
  OnBadRow on_bad_row_;
  ErrorLog* error_log_;
  size_t batch_rows_;
  std::vector<size_t> primary_key_columns_;
  std::vector<size_t> string_columns_;  ///< str and Any columns (may hold views).

  std::string path_;
  CsvRowIdHasher row_id_hasher_;
  KeyHasher key_hasher_;

  /// Every vector of batch_ has batch_rows entries while rows are built; Emit() trims them,
  /// or copies a small batch's rows into small_batch_.
  Batch batch_;
  Batch small_batch_;
  std::vector<Value*> slots_;  ///< batch_.columns[c].data().
  Key* ids_ = nullptr;
  size_t rows_ = 0;
  size_t detached_rows_ = 0;  ///< Rows [0, detached_rows_) hold no views into line buffers.
  std::function<void()> on_full_;
  uint64_t rows_emitted_ = 0;
  uint64_t error_count_ = 0;
};

}  // namespace vigil
