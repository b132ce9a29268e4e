#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/api/error_log.h"

namespace vigil {

/// Why the bytes after a live file's last line end will never become a row.
enum class UnfinishedLineEnd {
  kTruncated,  ///< The file was truncated: its content starts over.
  kReplaced,   ///< The path now names another file (rename-and-recreate rotation).
  kDeleted,    ///< A file of a followed directory was deleted.
  kStopped,    ///< The live run was stopped (SIGINT/SIGTERM, Executor::RequestStop).
};

/// The warning for an unfinished last line that is not counted: a live reader holds the bytes
/// of a line until its terminator comes, and when the line's file generation ends without one
/// (truncation, rotation, deletion) or the run stops, those bytes are reported here rather
/// than counted as a row (the writer never finished the line) or silently dropped. At the true
/// end of an input (a replay's end, stdin closed) a last line without terminator is a row, as
/// in static reading, and this is not used.
///
/// `line` is the line's 1-based number, `bytes` the bytes held (cut for the message and the
/// dead-letter record), `total_bytes` how many there were (a too-long line keeps none).
DataError UnfinishedLineWarning(std::string file, uint64_t line, std::string_view bytes,
                                uint64_t total_bytes, UnfinishedLineEnd why);

/// The warning for a live input that a stopped run had not read to its end (the source was
/// stopped at the commit row limit with more available): `line` is where reading stopped
/// (about), `bytes_read` how much of the file was read.
DataError NotReadAtStopWarning(std::string file, uint64_t line, uint64_t bytes_read);

}  // namespace vigil
