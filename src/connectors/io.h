#pragma once

#include <functional>
#include <span>
#include <string>

#include "connectors/authlog/auth_log_row_parser.h"
#include "vigil/exec/run.h"
#include "vigil/graph/table.h"
#include "vigil/ops/sink_op.h"
#include "vigil/types/schema.h"

/// Inputs and outputs of a pipeline, named as in Pathway (`pw.io.csv.read`, ...).
namespace vigil::io {

/// Static: read what exists, then finish (one commit). Streaming: follow the input live
/// (appends, new files, rotation), committing as data arrives, until run() is stopped.
enum class Mode { kStatic, kStreaming };

/// Optional knobs of every file reader (csv::read, jsonlines::read, plaintext::read).
struct ReadOptions {
  /// Called as input is consumed: bytes read so far and rows produced so far (per source).
  std::function<void(uint64_t bytes, uint64_t rows)> on_progress;
  /// Streaming: end the input at the end of the file(s) instead of waiting for more (a
  /// replay of a finished file through the live path, as fast as it can be read).
  bool stop_at_end = false;
  /// Streaming over a directory: Pathway's rule (true) retracts the rows of a file that is
  /// deleted or rewritten, which keeps a copy of every row read; false keeps them (log
  /// semantics, flat memory).
  bool retract_changed_files = true;
  /// Static line readers (jsonlines, plaintext, authlog): 0 reads the input as one commit;
  /// N > 0 commits about every N rows (LineSourceOptions::rows_per_commit): bounded
  /// transient memory, and temporal behaviors close windows while the input is read.
  size_t rows_per_commit = 0;
};

namespace csv {
using ReadOptions = io::ReadOptions;

/// Reads CSV files (a file, or a directory read recursively in path order) with a header
/// row; schema columns are found by header name (extra columns ignored). Mode::kStreaming
/// follows the path live: a file (or `-`, stdin) like `tail -F` (appends, truncation,
/// rotation: a rewritten file's content adds to what was read, with new ids), a directory
/// with new and appended files (see ReadOptions::retract_changed_files). Values are parsed
/// by the schema types with Pathway's rules; rows that fail are reported (file, line,
/// column, value, expected type) and skipped, unless RunOptions.on_bad_row says otherwise.
Table read(const std::string& path, const Schema& schema, Mode mode = Mode::kStatic,
           const ReadOptions& options = {});
/// Writes the table's update stream to `path` in Pathway's CSV format: every field quoted,
/// extra columns `time` and `diff`. The file is created when run() starts.
void write(const Table& table, const std::string& path);
}  // namespace csv

namespace jsonlines {
using ReadOptions = io::ReadOptions;

/// Reads JSON Lines files (a file, or a directory read recursively in path order), as
/// Pathway's `pw.io.jsonlines.read`: one JSON object per line, schema columns found by key
/// (other keys ignored). Values follow Pathway's JSON rules (an `int` column takes JSON
/// integers only, `"1"` is an error; null is None in optional columns; a missing key takes
/// the column's default_value, else is an error). Bad rows are reported (file, line,
/// column, value, expected type) and handled by RunOptions.on_bad_row. Row ids: the primary
/// key's hash, else Pathway's (file path, line end offset) hash. Mode::kStreaming follows the
/// path live as csv::read does (a line counts once its newline is there). See
/// connectors/lines/README.md.
Table read(const std::string& path, const Schema& schema, Mode mode = Mode::kStatic,
           const ReadOptions& options = {});
/// Writes the update stream as JSON Lines: `{"col":...,"diff":1,"time":0}` per update.
void write(const Table& table, const std::string& path);
}  // namespace jsonlines

namespace plaintext {
using ReadOptions = io::ReadOptions;

/// Reads text files line by line, as Pathway's `pw.io.plaintext.read`: one row per line in
/// the column `data: str` (trimmed of surrounding whitespace, as Pathway does); a line that
/// is not UTF-8 is a bad row. Mode::kStreaming follows the path live as csv::read does.
Table read(const std::string& path, Mode mode = Mode::kStatic, const ReadOptions& options = {});
}  // namespace plaintext

namespace authlog {
/// Knobs of the auth-log reader: the file knobs, and the line format, the year and zone of
/// traditional timestamps, the sshd connection tracking, counters (AuthLogOptions).
struct ReadOptions : io::ReadOptions {
  AuthLogOptions auth;
};

/// Reads sshd's log lines as the events table (AuthEventsSchema(): one row per
/// authentication attempt or scan, however many lines sshd wrote for it; see
/// connectors/authlog/README.md). Inputs: syslog files (traditional, RFC 3339 or RFC 5424
/// timestamps) or `journalctl -o json` output; gzip files are decompressed. Static mode reads
/// `paths` in the order given as one stream (pass rotated logs oldest first:
/// syslog::OrderRotatedFiles); streaming follows one file, a directory or `-` (stdin).
Table read(const std::vector<std::string>& paths, Mode mode = Mode::kStatic,
           const ReadOptions& options = {});
}  // namespace authlog

/// Calls `on_change(key, row, time, is_addition)` for every update of the table,
/// `on_time_end(time)` when a commit closes and `on_end()` after the last one.
void subscribe(
    const Table& table,
    std::function<void(const Key& key, std::span<const Value> row, Time time, bool is_addition)>
        on_change,
    std::function<void(Time time)> on_time_end = {}, std::function<void()> on_end = {});

}  // namespace vigil::io
