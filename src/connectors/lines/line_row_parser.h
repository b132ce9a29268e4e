#pragma once

#include <span>
#include <string>

#include "connectors/lines/line_batch_builder.h"
#include "connectors/lines/line_splitter.h"
#include "vigil/common/status.h"

namespace vigil {

/// The format-specific part of a line-based reader: turns lines into rows of the schema.
///
/// Called once per run of lines (not per line), so the per-row work stays free of virtual
/// calls: ParseLines gets at most `out.capacity() - out.pending_rows()` lines, none too long
/// (the reader reports those itself), and for each line either commits a row into `out`
/// (Set every column, then CommitRow / CommitRowWithErrors), reports it (RejectLine), or
/// skips it silently (blank lines, Pathway's `*COMMIT*`). A parser that makes several rows of
/// one line (the auth-log reader: `message repeated N times`) calls out.MakeRoom() before
/// every row it builds (the batch may have filled up with an earlier line's extra rows) and
/// commits the line's k-th row with CommitRowAt(line.end_offset, k). Returns non-OK only when `out`
/// does (OnBadRow::kFail), after which the reader stops.
///
/// Lines are views into the reader's buffer, valid during the call; string values may point
/// into them (the reader detaches them before the buffer changes). Anything else that must
/// outlive the call (unescaped strings) goes into out.arena(). One owner thread.
class LineRowParser {
 public:
  virtual ~LineRowParser() = default;
  virtual Status ParseLines(std::span<const Line> lines, LineBatchBuilder& out) = 0;

  /// A file (or a live file's new generation) starts; its lines follow. `path` names it.
  virtual void StartFile(const std::string& path) { (void)path; }
  /// The whole input has ended (after the last file of a static read; when a live input ends
  /// or the run stops): rows the parser held back for lines still to come are committed now
  /// (with out.MakeRoom() before each; ids from `end_offset`, the current file's size).
  virtual Status FinishInput(LineBatchBuilder& out, uint64_t end_offset) {
    (void)out;
    (void)end_offset;
    return Status::OK();
  }
};

}  // namespace vigil
