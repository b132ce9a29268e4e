#pragma once

#include <span>

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
/// skips it silently (blank lines, Pathway's `*COMMIT*`). Returns non-OK only when `out`
/// does (OnBadRow::kFail), after which the reader stops.
///
/// Lines are views into the reader's buffer, valid during the call; string values may point
/// into them (the reader detaches them before the buffer changes). Anything else that must
/// outlive the call (unescaped strings) goes into out.arena(). One owner thread.
class LineRowParser {
 public:
  virtual ~LineRowParser() = default;
  virtual Status ParseLines(std::span<const Line> lines, LineBatchBuilder& out) = 0;
};

}  // namespace vigil
