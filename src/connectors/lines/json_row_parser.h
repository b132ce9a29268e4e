#pragma once

#include <cstddef>
#include <memory>

#include "connectors/lines/line_row_parser.h"
#include "vigil/common/status.h"
#include "vigil/types/schema.h"

namespace vigil {

/// Whether every column of `schema` can be read from JSON Lines (Pointer and tuple columns
/// cannot yet); a TypeError naming the first one that cannot.
Status CheckJsonLinesSchema(const Schema& schema, const std::string& what);

/// The JSON Lines row parser (Pathway's `pw.io.jsonlines.read`): one JSON object per line,
/// schema columns found by key (other keys ignored, the last of duplicated keys wins).
/// Values follow Pathway's `parse_value_from_json`: `int` and `Duration` (ns) take JSON
/// integers in i64 range only (`-0`, `1.0`, `"1"` are errors), `float` any number, `bool`
/// `true`/`false`, `str` strings, DateTimeNaive/DateTimeUtc strings in Pathway's formats,
/// `Any` a boolean, number (int when it fits i64, else float) or string; `null` is None in
/// optional and Any columns. A missing key takes the column's default_value; without one it
/// is an error (Pathway's field_absence_is_error, on for file readers), optional or not.
/// Messages are Pathway's:
///   failed to create a field "b" with type int from json payload: "x"
///   field b with no JsonPointer path specified is absent in {"a":1}
/// A line that is not a JSON object is one row error; blank lines and `*COMMIT*` give no row.
///
/// Lines are parsed in place with simdjson's On-Demand API, which needs readable bytes
/// past each line (LineSplitter guarantees them); every value is visited, so a line is
/// accepted only if it is entirely valid JSON (nesting at most 127 levels, as serde_json).
/// Strings without escapes stay views into the line; others are unescaped into the arena.
/// `max_line_bytes` bounds the parser's buffers.
Result<std::unique_ptr<LineRowParser>> MakeJsonLinesRowParser(const Schema& schema,
                                                              size_t max_line_bytes);

}  // namespace vigil
