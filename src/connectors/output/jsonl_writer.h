#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "vigil/batch/batch.h"
#include "vigil/batch/update.h"
#include "vigil/common/strong_types.h"

namespace vigil {

/// Writes a table's update stream in the format of Pathway's `pw.io.jsonlines.write`: one
/// compact JSON object per update and line, `{"col1":v1,...,"colN":vN,"diff":1,"time":123}` —
/// data columns in schema order, then `diff`, then `time`.
///
/// Values as Pathway's `serialize_value_to_json` (see AppendJsonValue): None `null`, bools,
/// ints, floats as serde_json prints them (`1.0`, `1e-7`), strings JSON-escaped, pointers and
/// datetimes as strings, Duration integer nanoseconds, tuples arrays. Where serde_json has no
/// value we write `null`: NaN and infinities (as serde_json does) and Error cells (Pathway
/// fails the row instead).
///
/// Buffered like CsvUpdateWriter: one reusable buffer, fwrite at 64 KiB and on Flush().
class JsonLinesUpdateWriter {
 public:
  /// `file` stays owned by the caller and must outlive the writer.
  JsonLinesUpdateWriter(std::FILE* file, std::vector<std::string> column_names);
  /// Flushes what is still buffered (the file is not closed). With nothing buffered the file
  /// is not touched, so an owner may Flush() and fclose it before destroying the writer.
  ~JsonLinesUpdateWriter();
  JsonLinesUpdateWriter(const JsonLinesUpdateWriter&) = delete;
  JsonLinesUpdateWriter& operator=(const JsonLinesUpdateWriter&) = delete;

  /// Writes every row of `batch` at processing time `time`, in batch order.
  void WriteBatch(const Batch& batch, Time time);
  void WriteUpdate(const Update& update);
  /// Writes the buffer out and fflushes the file.
  void Flush();

  /// False once a write to the file has failed; later output is dropped.
  bool ok() const { return ok_; }
  size_t updates_written() const { return updates_written_; }

 private:
  static constexpr size_t kFlushThreshold = 64 * 1024;

  void EndLine(Time time, Diff diff);
  void WriteBuffer();

  std::FILE* file_;
  /// `{"name":` for the first column and `,"name":` for the others, escaped once up front.
  std::vector<std::string> field_prefixes_;
  std::string buffer_;
  bool ok_ = true;
  size_t updates_written_ = 0;
};

}  // namespace vigil
