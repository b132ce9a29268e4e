#pragma once

#include <memory>

#include "connectors/lines/line_row_parser.h"
#include "vigil/types/schema.h"

namespace vigil {

/// The schema of Pathway's "plaintext" format: one column `data: str`.
Schema PlaintextSchema();

/// The plaintext row parser (Pathway's `pw.io.plaintext.read` / `fs.read(format="plaintext")`):
/// every line is a row whose `data` is the line, trimmed of leading and trailing Unicode
/// whitespace as Pathway does (so a `\r` before the `\n` never shows). Blank lines are rows
/// with an empty string; `*COMMIT*` gives no row. A line that is not UTF-8 is a bad `data`
/// field: `received plaintext message is not in utf-8 format: invalid utf-8 sequence of 1
/// bytes from index 3`, handled by the OnBadRow policy. Values are views into the lines.
std::unique_ptr<LineRowParser> MakePlaintextRowParser();

}  // namespace vigil
