#include "connectors/output/table_printer.h"

#include <algorithm>
#include <compare>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/common/check.h"
#include "vigil/types/value.h"

namespace vigil {

namespace {

/// Orders rows by their values as Python compares tuples of them (None first, numbers
/// numerically); equal values fall through to the caller's next sort key.
std::strong_ordering CompareRowValues(const std::vector<StoredValue>& a,
                                      const std::vector<StoredValue>& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    auto order = CompareValues(a[i].get(), b[i].get());
    if (order != std::strong_ordering::equal) return order;
  }
  return a.size() <=> b.size();
}

/// Python's `len` of the text: code points, so that non-ASCII cells align as Pathway's do.
size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

/// The ASCII characters Python's `str.rstrip()` removes (str.isspace).
bool IsPythonSpace(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

std::string IdText(const Key& key, const PrintOptions& options) {
  return options.short_pointers ? key.ToShortString() : key.ToString();
}

/// Pathway's `_format`: None as `none_text`, pointers shortened like ids, else `str()`.
std::string CellText(const Value& value, const PrintOptions& options, std::string_view none_text) {
  if (value.is_none()) return std::string(none_text);
  if (value.kind() == ValueKind::kPointer && options.short_pointers) {
    return value.as_pointer().ToShortString();
  }
  return FormatValue(value);
}

/// Lays out `lines` (header first): ` | ` between cells, every column but the last padded
/// to its widest cell, trailing whitespace stripped, `\n` after each line.
std::string RenderLines(const std::vector<std::vector<std::string>>& lines) {
  size_t num_columns = lines.front().size();
  std::vector<size_t> widths(num_columns, 0);
  for (const auto& line : lines) {
    for (size_t c = 0; c + 1 < num_columns; ++c) {
      widths[c] = std::max(widths[c], CodePointCount(line[c]));
    }
  }
  std::string out;
  std::string text;
  for (const auto& line : lines) {
    text.clear();
    for (size_t c = 0; c < num_columns; ++c) {
      if (c > 0) text.append(" | ");
      text.append(line[c]);
      size_t length = CodePointCount(line[c]);
      if (length < widths[c]) text.append(widths[c] - length, ' ');
    }
    size_t end = text.size();
    while (end > 0 && IsPythonSpace(text[end - 1])) --end;
    out.append(text, 0, end);
    out.push_back('\n');
  }
  return out;
}

/// Header row: an id column first when ids are shown (named `id` only if it is alone).
std::vector<std::string> HeaderLine(const std::vector<std::string>& column_names,
                                    const PrintOptions& options) {
  std::vector<std::string> header;
  if (options.include_id) header.push_back(column_names.empty() ? "id" : "");
  header.insert(header.end(), column_names.begin(), column_names.end());
  return header;
}

bool RowLimitReached(size_t printed_rows, const PrintOptions& options) {
  return options.n_rows.has_value() && printed_rows >= *options.n_rows;
}

}  // namespace

std::string FormatTable(const std::vector<std::string>& column_names,
                        const std::vector<Update>& updates, const PrintOptions& options) {
  std::vector<Update> state = FinalState(updates);
  std::vector<const Update*> rows;
  std::vector<const Update*> negative_rows;
  for (const Update& update : state) {
    (update.diff > 0 ? rows : negative_rows).push_back(&update);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Update* a, const Update* b) {
    auto order = CompareRowValues(a->row, b->row);
    if (order != std::strong_ordering::equal) return order < 0;
    return a->id < b->id;
  });

  std::string out;
  // Pathway prints nothing at all for a table without columns when ids are hidden.
  if (!column_names.empty() || options.include_id) {
    std::string_view none_text =
        (options.include_id || column_names.size() > 1) ? std::string_view() : "None";
    std::vector<std::vector<std::string>> lines;
    lines.push_back(HeaderLine(column_names, options));
    size_t printed_rows = 0;
    for (const Update* row : rows) {
      VIGIL_CHECK_EQ(row->row.size(), column_names.size());
      for (Diff copy = 0; copy < row->diff && !RowLimitReached(printed_rows, options); ++copy) {
        std::vector<std::string> line;
        if (options.include_id) line.push_back(IdText(row->id, options));
        for (const StoredValue& value : row->row) {
          line.push_back(CellText(value.get(), options, none_text));
        }
        lines.push_back(std::move(line));
        ++printed_rows;
      }
    }
    out = RenderLines(lines);
  }
  for (const Update* row : negative_rows) {
    out.append("ERROR: negative count ");
    out.append(std::to_string(row->diff));
    out.append(": ");
    out.append(IdText(row->id, options));
    for (const StoredValue& value : row->row) {
      out.append(" | ");
      out.append(FormatValue(value.get()));
    }
    out.push_back('\n');
  }
  return out;
}

std::string FormatUpdateStream(const std::vector<std::string>& column_names,
                               const std::vector<Update>& updates, const PrintOptions& options) {
  std::vector<Update> stream = updates;
  Consolidate(stream);
  std::stable_sort(stream.begin(), stream.end(), [](const Update& a, const Update& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.diff != b.diff) return a.diff < b.diff;
    auto order = CompareRowValues(a.row, b.row);
    if (order != std::strong_ordering::equal) return order < 0;
    return a.id < b.id;
  });

  std::vector<std::string> names = column_names;
  names.push_back("__time__");
  names.push_back("__diff__");
  // With the two extra columns there are always several columns: None prints empty.
  std::vector<std::vector<std::string>> lines;
  lines.push_back(HeaderLine(names, options));
  for (const Update& update : stream) {
    if (RowLimitReached(lines.size() - 1, options)) break;
    VIGIL_CHECK_EQ(update.row.size(), column_names.size());
    std::vector<std::string> line;
    if (options.include_id) line.push_back(IdText(update.id, options));
    for (const StoredValue& value : update.row) line.push_back(CellText(value.get(), options, ""));
    line.push_back(std::to_string(update.time));
    line.push_back(std::to_string(update.diff));
    lines.push_back(std::move(line));
  }
  return RenderLines(lines);
}

}  // namespace vigil
