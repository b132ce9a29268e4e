#pragma once

#include <functional>
#include <span>
#include <string>

#include "vigil/exec/run.h"
#include "vigil/graph/table.h"
#include "vigil/ops/sink_op.h"
#include "vigil/types/schema.h"

/// Inputs and outputs of a pipeline, named as in Pathway (`pw.io.csv.read`, ...).
namespace vigil::io {

/// Static: read what exists, then finish (one commit). Streaming arrives with live inputs.
enum class Mode { kStatic, kStreaming };

namespace csv {
/// Optional knobs of csv::read.
struct ReadOptions {
  /// Called as input is consumed: bytes read so far and rows produced so far (per source).
  std::function<void(uint64_t bytes, uint64_t rows)> on_progress;
};

/// Reads CSV files (a file, or a directory read recursively in path order) with a header
/// row; schema columns are found by header name (extra columns ignored). Values are parsed
/// by the schema types with Pathway's rules; rows that fail are reported (file, line,
/// column, value, expected type) and skipped, unless RunOptions.on_bad_row says otherwise.
Table read(const std::string& path, const Schema& schema, Mode mode = Mode::kStatic,
           const ReadOptions& options = {});
/// Writes the table's update stream to `path` in Pathway's CSV format: every field quoted,
/// extra columns `time` and `diff`. The file is created when run() starts.
void write(const Table& table, const std::string& path);
}  // namespace csv

namespace jsonlines {
/// Writes the update stream as JSON Lines: `{"col":...,"diff":1,"time":0}` per update.
void write(const Table& table, const std::string& path);
}  // namespace jsonlines

/// Calls `on_change(key, row, time, is_addition)` for every update of the table,
/// `on_time_end(time)` when a commit closes and `on_end()` after the last one.
void subscribe(
    const Table& table,
    std::function<void(const Key& key, std::span<const Value> row, Time time, bool is_addition)>
        on_change,
    std::function<void(Time time)> on_time_end = {}, std::function<void()> on_end = {});

}  // namespace vigil::io
