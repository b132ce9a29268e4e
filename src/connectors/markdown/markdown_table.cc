#include "connectors/markdown/markdown_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "connectors/api/primary_key.h"
#include "vigil/types/datetime.h"

namespace vigil {

namespace {

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/// The cells of one line as Pathway's `_markdown_to_pandas` splits it: the line is stripped,
/// then split on `\s*\|\s*` or `\s+`. Every `|` separates two cells, so a line starting
/// with `|` has an empty first cell, one ending with `|` an empty last cell, and `a | | b` an
/// empty middle cell; runs of blanks between cells are one separator.
///
/// With `split_on_whitespace` false only `\s*\|\s*` separates cells, so a cell may hold
/// blanks (`failed to parse value "x"`).
std::vector<std::string> SplitCells(std::string_view line, bool split_on_whitespace) {
  while (!line.empty() && IsBlank(line.front())) line.remove_prefix(1);
  while (!line.empty() && IsBlank(line.back())) line.remove_suffix(1);
  std::vector<std::string> cells;
  if (line.empty()) return cells;
  size_t cell_start = 0, i = 0;
  while (i < line.size()) {
    size_t j = i;
    while (j < line.size() && IsBlank(line[j])) ++j;
    if (j < line.size() && line[j] == '|') {
      ++j;
      while (j < line.size() && IsBlank(line[j])) ++j;
    } else if (j == i || !split_on_whitespace) {
      ++i;  // Part of a cell.
      continue;
    }
    cells.emplace_back(line.substr(cell_start, i - cell_start));
    cell_start = i = j;
  }
  cells.emplace_back(line.substr(cell_start));
  return cells;
}

/// pandas' na_values of `_markdown_to_pandas` (and `null`): an empty cell is None too.
bool IsNoneCell(const std::string& s) {
  return s.empty() || s == "None" || s == "NaN" || s == "nan" || s == "NA" || s == "NULL" ||
         s == "null";
}

std::optional<int64_t> ParseInt(const std::string& s) {
  int64_t v;
  const char* begin = s.data();
  if (!s.empty() && s[0] == '+') ++begin;
  auto res = std::from_chars(begin, s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> ParseFloat(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

DType InferType(const std::vector<std::vector<std::string>>& rows, size_t column) {
  bool all_int = true, all_float = true, all_bool = true, any_none = false, any_value = false;
  for (const auto& row : rows) {
    const std::string& s = row[column];
    if (IsNoneCell(s)) {
      any_none = true;
      continue;
    }
    any_value = true;
    all_int = all_int && ParseInt(s).has_value();
    all_float = all_float && ParseFloat(s).has_value();
    all_bool = all_bool && (s == "True" || s == "False");
  }
  if (!any_value) return dtype::NoneType;
  DType t = all_int ? dtype::Int : all_float ? dtype::Float : all_bool ? dtype::Bool : dtype::Str;
  return any_none ? t.AsOptional() : t;
}

Result<Value> ParseCell(const std::string& s, const ColumnSchema& column, ValueArena& arena) {
  const DType type = column.type;
  if (IsNoneCell(s)) {
    if (type.optional || type.kind == TypeKind::kNone || type.kind == TypeKind::kAny) {
      return Value::None();
    }
    if (s.empty()) {
      return Status::ParseError(
          "table_from_markdown: an empty cell is None, but column '{}' has type {}", column.name,
          type.ToString());
    }
  }
  switch (type.kind) {
    case TypeKind::kInt:
      if (auto v = ParseInt(s)) return Value::Int(*v);
      break;
    case TypeKind::kFloat:
      if (auto v = ParseFloat(s)) return Value::Float(*v);
      break;
    case TypeKind::kBool:
      if (s == "True" || s == "true") return Value::Bool(true);
      if (s == "False" || s == "false") return Value::Bool(false);
      break;
    case TypeKind::kDateTimeNaive:
      if (auto v = ParseDateTime(s, false)) return Value::DateTimeNaive(*v);
      break;
    case TypeKind::kDateTimeUtc:
      if (auto v = ParseDateTime(s, true)) return Value::DateTimeUtc(*v);
      break;
    case TypeKind::kString:
    case TypeKind::kAny: return arena.CopyString(s);
    default: break;
  }
  return Status::ParseError("table_from_markdown: cannot parse \"{}\" as {}", s, type.ToString());
}

}  // namespace

Result<ParsedMarkdown> ParseMarkdownTable(const std::string& text,
                                          const std::optional<Schema>& schema,
                                          bool split_on_whitespace) {
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    lines.push_back(line);
  }
  if (lines.empty()) return Status::Invalid("table_from_markdown: empty table");
  const std::string& header_line = lines[0];
  std::vector<std::string> header = SplitCells(header_line, split_on_whitespace);
  // The first column is the row index when it is unnamed (the line starts with `|`) or
  // named `id`.
  const bool has_index = !header.empty() && (header[0].empty() || header[0] == "id");
  if (has_index) header.erase(header.begin());
  for (const std::string& name : header) {
    if (name.empty()) {
      return Status::ParseError("table_from_markdown: the header has an empty column name "
                                "(only the first column, the row index, may be unnamed): {}",
                                header_line);
    }
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> row_lines;  // 1-based line (of the non-blank lines) of each row.
  for (size_t i = 1; i < lines.size(); ++i) {
    // A separator line such as `---|---` is skipped.
    if (lines[i].find_first_not_of("-|: \t\r") == std::string::npos) continue;
    auto cells = SplitCells(lines[i], split_on_whitespace);
    if (cells.size() != header.size() + (has_index ? 1 : 0)) {
      return Status::ParseError(
          "table_from_markdown: line {} has {} cells, expected {} (header: {})", i + 1,
          cells.size(), header.size() + (has_index ? 1 : 0), header_line);
    }
    if (has_index && cells[0].empty()) {
      // pandas would make the index NaN (and every other index of the table a float):
      // there is no id to give the row.
      return Status::ParseError("table_from_markdown: line {} has an empty index cell (the "
                                "first column is the row index: header: {})",
                                i + 1, header_line);
    }
    rows.push_back(std::move(cells));
    row_lines.push_back(i + 1);
  }
  const size_t offset = has_index ? 1 : 0;
  std::optional<size_t> time_column, diff_column;
  ParsedMarkdown out;
  std::vector<size_t> data_columns;
  for (size_t c = 0; c < header.size(); ++c) {
    if (header[c] == "__time__") {
      time_column = c + offset;
    } else if (header[c] == "__diff__") {
      diff_column = c + offset;
      out.has_diff_column = true;
    } else {
      data_columns.push_back(c + offset);
      if (schema) {
        auto index = schema->Find(header[c]);
        if (!index) {
          return Status::NotFound("table_from_markdown: column '{}' is not in the schema",
                                  header[c]);
        }
        out.schema.Add((*schema)[*index]);
      } else {
        out.schema.Add({header[c], InferType(rows, c + offset), false, std::nullopt});
      }
    }
  }
  // Pathway's table_from_pandas requires the schema's columns to be exactly the table's
  // (a default_value does not excuse a missing one): ValueError "schema does not match".
  std::vector<size_t> key_columns;  // Indices into out.schema, in the schema's order.
  if (schema) {
    for (const ColumnSchema& column : schema->columns()) {
      auto index = out.schema.Find(column.name);
      if (!index) {
        return Status::Invalid(
            "table_from_markdown: schema column '{}' is not in the table (header: {})",
            column.name, header_line);
      }
      if (column.primary_key) key_columns.push_back(*index);
    }
  }
  ValueArena arena;
  KeyHasher key_hasher;
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    Update u;
    for (size_t k = 0; k < data_columns.size(); ++k) {
      arena.Reset();
      auto v = ParseCell(row[data_columns[k]], out.schema[k], arena);
      if (!v.ok()) {
        return Status(v.status().code(),
                      fmt::format("{} (line {})", v.status().message(), row_lines[r]));
      }
      u.row.emplace_back(*v);
    }
    if (!key_columns.empty()) {
      // As every reader with a primary key (and Pathway's table_from_pandas with a schema):
      // the id is pointer_from(*key values), whatever the index column says.
      u.id = PrimaryKeyRowId(key_hasher, key_columns,
                             [&](size_t c) -> const Value& { return u.row[c].get(); });
    } else if (has_index) {
      if (auto i = ParseInt(row[0])) {
        u.id = KeyForIndex(*i);
      } else {
        key_hasher.Reset();
        key_hasher.AddString(row[0]);
        u.id = key_hasher.Finish();
      }
    } else {
      u.id = KeyForIndex(static_cast<int64_t>(r));
    }
    if (time_column) {
      auto t = ParseInt(row[*time_column]);
      if (!t || *t < 0) {
        return Status::ParseError("table_from_markdown: __time__ must be an integer >= 0, got {}",
                                  row[*time_column]);
      }
      u.time = static_cast<Time>(*t);
    }
    u.diff = 1;
    if (diff_column) {
      auto d = ParseInt(row[*diff_column]);
      if (!d || (*d != 1 && *d != -1)) {
        return Status::ParseError("table_from_markdown: __diff__ must be 1 or -1, got {}",
                                  row[*diff_column]);
      }
      u.diff = *d;
    }
    out.updates.push_back(std::move(u));
  }
  std::stable_sort(out.updates.begin(), out.updates.end(),
                   [](const Update& a, const Update& b) { return a.time < b.time; });
  return out;
}

MarkdownSource::MarkdownSource(std::shared_ptr<const ParsedMarkdown> table)
    : table_(std::move(table)),
      insert_only_(!table_->has_diff_column &&
                   std::all_of(table_->updates.begin(), table_->updates.end(),
                               [](const Update& u) { return u.diff > 0; })) {}

std::optional<Time> MarkdownSource::NextCommitTime() {
  if (next_ >= table_->updates.size()) return std::nullopt;
  return table_->updates[next_].time;
}

Status MarkdownSource::ReadCommit(const BatchConsumer& emit) {
  const Time time = table_->updates[next_].time;
  Batch batch(table_->schema.size());
  while (next_ < table_->updates.size() && table_->updates[next_].time == time) {
    const Update& u = table_->updates[next_++];
    for (size_t c = 0; c < u.row.size(); ++c) batch.columns[c].push_back(u.row[c].get());
    batch.ids.push_back(u.id);
    batch.diffs.push_back(u.diff);
  }
  emit(batch);
  return Status::OK();
}

}  // namespace vigil
