// libFuzzer target: the JSON Lines reader (LineSource + JSON row parser) on arbitrary bytes.
//
// Input layout: byte 0 picks the OnBadRow policy and whether the schema has a primary key;
// byte 1 the chunk size, max_line_bytes and batch_rows; byte 2 seeds the piece sizes of the
// piecewise read; the rest is the file content. Schema
// {a: int, s: str, f: Optional(float), b: Optional(bool), x: Any}.
//
// Checked for every input:
// - the static read of a file (ReadCommit), the same bytes fed to Consume in one piece, and
//   fed in pieces of random sizes (with random Flush calls) give the same rows, ids, error
//   messages and lines: what a live driver gets is what a static read gets;
// - every line is accounted for: a row, an error naming that line, or nothing for a blank
//   or `*COMMIT*` line (lines counted here independently, on `\n`);
// - batches hold at most batch_rows rows; values have the column's type (or None / Error);
// - against simdjson's DOM parser (a full validator, independent of the On-Demand walk):
//   a line DOM accepts as an object nested at most 127 deep gives a row under kKeepError
//   (no key), and a line DOM rejects as malformed JSON never gives a row; for such rows the
//   `s` and `b` columns hold what DOM read when the key appears once.

#include <signal.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "json_dom_model.h"
#include "connectors/api/error_log.h"
#include "connectors/lines/line_source.h"
#include "connectors/lines/line_text.h"
#include "fuzz_scratch.h"
#include "vigil/common/check.h"
#include "vigil/types/value_arena.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

Schema FuzzSchema(bool with_key) {
  return Schema{{"a", dtype::Int, with_key},
                {"s", dtype::Str},
                {"f", dtype::Optional(dtype::Float)},
                {"b", dtype::Optional(dtype::Bool)},
                {"x", dtype::Any}};
}

/// An emitted row, owned.
struct OwnedRow {
  Key id;
  std::vector<StoredValue> values;
};

bool SameRows(const std::vector<OwnedRow>& a, const std::vector<OwnedRow>& b) {
  if (a.size() != b.size()) return false;
  for (size_t r = 0; r < a.size(); ++r) {
    if (!(a[r].id == b[r].id) || a[r].values.size() != b[r].values.size()) return false;
    for (size_t c = 0; c < a[r].values.size(); ++c) {
      if (!ValuesIdentical(a[r].values[c].get(), b[r].values[c].get())) return false;
    }
  }
  return true;
}

/// What one read produced.
struct Outcome {
  Status status;
  std::vector<OwnedRow> rows;
  std::vector<DataError> errors;
  uint64_t error_count = 0;
};

void Collect(const Batch& batch, size_t batch_rows, Outcome& out) {
  VIGIL_CHECK_LE(batch.num_rows(), batch_rows);
  VIGIL_CHECK(batch.num_rows() > 0);
  for (size_t r = 0; r < batch.num_rows(); ++r) {
    VIGIL_CHECK_EQ(batch.diffs[r], Diff{1});
    OwnedRow row;
    row.id = batch.ids[r];
    for (size_t c = 0; c < batch.num_columns(); ++c) row.values.emplace_back(batch.columns[c][r]);
    out.rows.push_back(std::move(row));
  }
}

/// Short, so that the paths below can be short too.
constexpr std::string_view kScratchPrefix = "vjlf";
const fs::path& ScratchDir() { return fuzz::ScratchDir(kScratchPrefix); }
using fuzz::WriteFile;

Outcome ReadStatic(const std::string& path, const Schema& schema, LineSourceOptions options) {
  Outcome out;
  ErrorLog log(size_t{1} << 20);
  options.error_log = &log;
  auto made = LineSource::MakeJsonLines(path, schema, options);
  VIGIL_CHECK(made.ok());
  LineSource& source = **made;
  VIGIL_CHECK(source.Open().ok());
  out.status = source.ReadCommit([&](const Batch& b) { Collect(b, options.batch_rows, out); });
  out.errors = log.kept();
  out.error_count = source.error_count();
  VIGIL_CHECK_EQ(out.error_count, log.count());
  return out;
}

/// Feeds `content` through StartFile/Consume/FinishFile in pieces (sizes from `rng`, or one
/// piece when `rng` is null), flushing now and then.
Outcome ReadInPieces(const std::string& path, std::string_view content, const Schema& schema,
                     LineSourceOptions options, std::mt19937* rng) {
  Outcome out;
  ErrorLog log(size_t{1} << 20);
  options.error_log = &log;
  auto made = LineSource::MakeJsonLines("", schema, options);
  VIGIL_CHECK(made.ok());
  LineSource& source = **made;
  const BatchConsumer emit = [&](const Batch& b) { Collect(b, options.batch_rows, out); };
  source.StartFile(path);
  size_t at = 0;
  while (at < content.size() && out.status.ok()) {
    const size_t piece =
        rng == nullptr ? content.size() : std::min<size_t>(content.size() - at, 1 + (*rng)() % 37);
    std::string bytes(content.substr(at, piece));  // Copied: the source must not keep views.
    out.status = source.Consume(bytes, emit);
    bytes.assign(bytes.size(), '\x7f');
    at += piece;
    if (rng != nullptr && (*rng)() % 5 == 0) source.Flush(emit);
  }
  if (out.status.ok()) out.status = source.FinishFile(emit);
  if (out.status.ok()) source.Flush(emit);
  out.errors = log.kept();
  out.error_count = source.error_count();
  return out;
}

void CheckSame(const Outcome& a, const Outcome& b) {
  VIGIL_CHECK_EQ(static_cast<int>(a.status.code()), static_cast<int>(b.status.code()));
  VIGIL_CHECK(a.status.message() == b.status.message());
  VIGIL_CHECK(SameRows(a.rows, b.rows));
  VIGIL_CHECK_EQ(a.errors.size(), b.errors.size());
  for (size_t i = 0; i < a.errors.size(); ++i) {
    VIGIL_CHECK(a.errors[i].message == b.errors[i].message);
    VIGIL_CHECK_EQ(a.errors[i].line, b.errors[i].line);
    VIGIL_CHECK(a.errors[i].field == b.errors[i].field);
  }
}

using ::vigil::fuzz::Depth;
using ::vigil::fuzz::IsSyntaxError;

constexpr size_t kChunks[] = {1, 2, 3, 5, 8, 16, 64, size_t{1} << 20};
constexpr size_t kLineLimits[] = {8, 40, 256, size_t{64} << 20};
constexpr size_t kBatchRows[] = {1, 2, 3, 4096};

}  // namespace
}  // namespace vigil

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  if (size < 3) return 0;
  const OnBadRow policy = static_cast<OnBadRow>(data[0] % 3);
  const bool with_key = (data[0] / 3) % 2 == 1;
  LineSourceOptions options;
  options.on_bad_row = policy;
  options.chunk_bytes = kChunks[data[1] & 0x07];
  options.max_line_bytes = kLineLimits[(data[1] >> 3) & 0x03];
  options.batch_rows = kBatchRows[(data[1] >> 5) & 0x03];
  const std::string_view content(reinterpret_cast<const char*>(data + 3), size - 3);
  const Schema schema = FuzzSchema(with_key);

  const std::string path = ScratchDir().string() + "/" + std::string(1 + data[2] % 64, 'j');
  WriteFile(path, content);
  const Outcome file = ReadStatic(path, schema, options);
  const Outcome whole = ReadInPieces(path, content, schema, options, nullptr);
  std::mt19937 rng(data[2]);
  const Outcome pieces = ReadInPieces(path, content, schema, options, &rng);
  CheckSame(file, whole);
  CheckSame(file, pieces);
  if (!file.status.ok()) {
    VIGIL_CHECK(policy == OnBadRow::kFail);
    VIGIL_CHECK_EQ(file.error_count, uint64_t{1});
    return 0;
  }

  // Lines, counted independently.
  std::vector<std::string_view> lines;
  for (size_t at = 0; at < content.size();) {
    const size_t newline = content.find('\n', at);
    const size_t end = newline == std::string_view::npos ? content.size() : newline;
    lines.push_back(content.substr(at, end - at));
    at = end + 1;
  }
  // Per line: errors naming it, whether one of them dropped its row.
  std::vector<int> errors_per_line(lines.size() + 1, 0);
  std::vector<bool> dropped(lines.size() + 1, false);
  for (const DataError& e : file.errors) {
    VIGIL_CHECK(e.line >= 1 && e.line <= lines.size());
    errors_per_line[e.line]++;
    if (e.row_skipped) dropped[e.line] = true;
  }
  simdjson::dom::parser dom;
  std::vector<size_t> row_lines;  // The line of each emitted row, in order.
  for (size_t i = 0; i < lines.size(); ++i) {
    const size_t number = i + 1;
    std::string_view text = lines[i];
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    const bool too_long = lines[i].size() > options.max_line_bytes;
    Utf8Problem problem;
    const bool utf8 = CheckUtf8(text, true, problem);
    if (too_long || !utf8) {
      // Reported, never a row.
      VIGIL_CHECK(dropped[number]);
      VIGIL_CHECK_EQ(errors_per_line[number], 1);
      continue;
    }
    const std::string_view trimmed = TrimUnicodeWhitespace(text);
    if (trimmed.empty() || trimmed == kCommitLine) {
      VIGIL_CHECK_EQ(errors_per_line[number], 0);  // Blank or *COMMIT*: nothing at all.
      continue;
    }
    if (!dropped[number]) row_lines.push_back(number);
    if (trimmed.size() >= 3 && trimmed.substr(0, 3) == "\xEF\xBB\xBF") continue;
    simdjson::dom::element element;
    const simdjson::error_code error = dom.parse(trimmed.data(), trimmed.size(), true).get(element);
    if (error != simdjson::SUCCESS) {
      // Malformed JSON is one error and no row.
      if (IsSyntaxError(error)) {
        VIGIL_CHECK(dropped[number]);
        VIGIL_CHECK_EQ(errors_per_line[number], 1);
      }
      continue;
    }
    if (!element.is_object() || Depth(element) > 127) continue;
    // A well-formed object: under kKeepError without a key, always a row.
    if (policy == OnBadRow::kKeepError && !with_key) VIGIL_CHECK(!dropped[number]);
  }
  VIGIL_CHECK_EQ(row_lines.size(), file.rows.size());

  // Value kinds follow the schema; str and bool columns hold what DOM reads (key seen once).
  for (size_t r = 0; r < file.rows.size(); ++r) {
    const OwnedRow& row = file.rows[r];
    const Value& a = row.values[0].get();
    VIGIL_CHECK(a.kind() == ValueKind::kInt || a.is_error());
    const Value& s = row.values[1].get();
    VIGIL_CHECK(s.kind() == ValueKind::kString || s.is_error());
    const Value& f = row.values[2].get();
    VIGIL_CHECK(f.kind() == ValueKind::kFloat || f.is_none() || f.is_error());
    const Value& b = row.values[3].get();
    VIGIL_CHECK(b.kind() == ValueKind::kBool || b.is_none() || b.is_error());

    std::string_view text = lines[row_lines[r] - 1];
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    const std::string_view trimmed = TrimUnicodeWhitespace(text);
    simdjson::dom::element element;
    if (dom.parse(trimmed.data(), trimmed.size(), true).get(element) != simdjson::SUCCESS ||
        !element.is_object()) {
      continue;
    }
    int s_keys = 0;
    int b_keys = 0;
    simdjson::dom::object object;
    VIGIL_CHECK(element.get_object().get(object) == simdjson::SUCCESS);
    for (auto field : object) {
      s_keys += field.key == "s";
      b_keys += field.key == "b";
    }
    std::string_view dom_s;
    if (s_keys == 1 && element["s"].get_string().get(dom_s) == simdjson::SUCCESS) {
      VIGIL_CHECK(s.kind() == ValueKind::kString && s.as_string() == dom_s);
    }
    bool dom_b = false;
    if (b_keys == 1 && element["b"].get_bool().get(dom_b) == simdjson::SUCCESS) {
      VIGIL_CHECK(b.kind() == ValueKind::kBool && b.as_bool() == dom_b);
    }
  }
  return 0;
}
