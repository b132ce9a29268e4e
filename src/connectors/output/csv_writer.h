#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/batch/batch.h"
#include "vigil/batch/update.h"
#include "vigil/common/strong_types.h"
#include "vigil/types/value.h"

namespace vigil {

/// Writes a table's update stream in the format of Pathway's `pw.io.csv.write`: a header
/// `"col1",...,"colN","time","diff"` and one line per update, every field double-quoted with
/// embedded quotes doubled, lines ending in `\n`. As in Pathway, the header is written with
/// the first update, so a stream without updates leaves the file empty.
///
/// Field text (Pathway's Rust Display of the value): strings raw, ints decimal, floats Rust
/// `{:?}` (`1.0`, `1e16`, `NaN`), bools `True`/`False`, None `None`, Error `Error`, pointers
/// `^` + 26 characters, datetimes `2023-06-22T09:06:30.000000000[+0000]`, Duration integer
/// nanoseconds, tuples compact JSON arrays (`[1,"a",null]`).
///
/// Output is collected in one reusable buffer and handed to fwrite when it passes 64 KiB and
/// on Flush(), so writing a row costs no heap allocation in steady state. Not thread-safe.
class CsvUpdateWriter {
 public:
  /// `file` stays owned by the caller and must outlive the writer.
  CsvUpdateWriter(std::FILE* file, std::vector<std::string> column_names);
  /// Flushes what is still buffered (the file is not closed). With nothing buffered the file
  /// is not touched, so an owner may Flush() and fclose it before destroying the writer.
  ~CsvUpdateWriter();
  CsvUpdateWriter(const CsvUpdateWriter&) = delete;
  CsvUpdateWriter& operator=(const CsvUpdateWriter&) = delete;

  /// Writes every row of `batch` (one column vector per schema column) at processing time
  /// `time`, in batch order.
  void WriteBatch(const Batch& batch, Time time);
  void WriteUpdate(const Update& update);
  /// Writes the buffer out and fflushes the file, so readers see every update so far.
  void Flush();

  /// False once a write to the file has failed (e.g. disk full); later output is dropped.
  bool ok() const { return ok_; }
  size_t updates_written() const { return updates_written_; }

 private:
  static constexpr size_t kFlushThreshold = 64 * 1024;

  void WriteHeaderOnce();
  void AppendQuoted(const Value& value);
  void EndLine(Time time, Diff diff);
  void WriteBuffer();

  std::FILE* file_;
  std::vector<std::string> column_names_;
  std::string buffer_;
  /// Reused for the JSON text of tuples before it is quoted into `buffer_`.
  std::string scratch_;
  bool header_written_ = false;
  bool ok_ = true;
  size_t updates_written_ = 0;
};

/// Appends `text` to `out` wrapped in double quotes, embedded quotes doubled.
void AppendCsvQuoted(std::string& out, std::string_view text);
/// Appends `text` as an RFC 4180 field, quoted (quotes doubled) only when it holds a comma,
/// quote or line break: for human-facing CSV such as `vigil detect --format csv`.
void AppendCsvField(std::string& out, std::string_view text);

}  // namespace vigil
