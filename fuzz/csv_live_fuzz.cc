// libFuzzer target: a live CsvSource following a file that a writer appends to, truncates
// and rotates, read with small commit limits, against static reads of what the file held.
//
// Input layout: byte 0 picks batch_rows, chunk_bytes and the row limit per read (max_rows);
// the rest is a program for the writer, one operation per byte b (kind b & 7, length b >> 3):
//   0-4  append the next `length` bytes of the input to the file (CSV bytes, in pieces);
//   5    pause: the reader reads until it has drained what is there;
//   6    truncate the file, then start its new content with a header;
//   7    rotate: rename the file away (logrotate) and create it again with a header.
// Every generation of the file starts with the header "a,b"; the schema is {a: str, b: int}.
// Before a truncation or rotation, and after it, the reader drains (so the cut is seen
// before the file grows again: a file truncated and refilled beyond its old size between
// two looks cannot be told from an append, as with tail -F). At the end the run stops.
//
// "Equal" under truncation, rotation and stop: for each generation of the file (its content
// from creation or truncation to the next cut, or to the stop), the rows read live are
// exactly, in order and with their ids, the rows a static read gives of that content up to
// the end of its last complete record (a record whose terminator was written). A last record
// without its terminator — an unfinished line — is not a row: it gives one warning, and a
// generation gives a warning exactly when bytes of such a record are left. Ids: generation 0
// hashes the path, generation g > 0 hashes "path#g" (so the static read is of a file named
// that). Data errors (bad ints) of the complete records are counted equally.

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/api/error_log.h"
#include "connectors/csv/csv_source.h"
#include "connectors/csv/csv_tokenizer.h"
#include "connectors/output/value_text.h"
#include "fuzz_scratch.h"
#include "vigil/common/check.h"

namespace vigil {
namespace {

constexpr size_t kBatchRows[] = {1, 2, 3, 7, 64, 4096};
constexpr size_t kChunks[] = {1, 3, 16, 4096};
constexpr size_t kMaxRows[] = {1, 2, 5, 100};
constexpr std::string_view kHeader = "a,b\n";
constexpr size_t kMaxGenerations = 16;

const Schema& FuzzSchema() {
  static const Schema schema = {{"a", dtype::Str}, {"b", dtype::Int}};
  return schema;
}

/// Rows as "id|a|b", in order.
void AddRows(const Batch& batch, std::vector<std::string>& rows) {
  for (size_t r = 0; r < batch.num_rows(); ++r) {
    VIGIL_CHECK_EQ(batch.diffs[r], 1);
    rows.push_back(batch.ids[r].ToString() + "|" + FormatValue(batch.columns[0][r]) + "|" +
                   FormatValue(batch.columns[1][r]));
  }
}

void AppendToFile(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  VIGIL_CHECK_LE(0, fd);
  VIGIL_CHECK_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

/// Where the last complete record of `content` ends (0 if none): a record is complete when
/// its terminator was written. What follows is an unfinished record, or blank line ends.
size_t CompletePrefix(std::string_view content) {
  size_t position = 0;
  CsvTokenizerOptions options;
  options.chunk_bytes = 4096;  // Inputs are small: no 1 MiB buffers per run.
  CsvTokenizer tokenizer(
      [content, position](char* dest, size_t size) mutable -> Result<size_t> {
        const size_t n = std::min(size, content.size() - position);
        std::copy_n(content.data() + position, n, dest);
        position += n;
        return n;
      },
      options);
  const bool ends_with_terminator =
      !content.empty() && (content.back() == '\n' || content.back() == '\r');
  size_t complete = 0;
  CsvRecord record;
  for (;;) {
    const CsvTokenizer::Event event = tokenizer.Next(record);
    if (event == CsvTokenizer::Event::kEnd) break;
    if (event != CsvTokenizer::Event::kRecord) continue;
    if (record.end_offset < content.size() || ends_with_terminator) {
      complete = static_cast<size_t>(record.end_offset);
    }
  }
  return complete;
}

/// Whether bytes of a record are left after `complete` (not only blank line ends).
bool HoldsARecord(std::string_view content, size_t complete) {
  for (size_t i = complete; i < content.size(); ++i) {
    if (content[i] != '\n' && content[i] != '\r') return true;
  }
  return false;
}

struct Reader {
  CsvSource* source;
  size_t max_rows;
  std::vector<std::string> rows;
  void Drain() {
    for (int calls = 0;; ++calls) {
      VIGIL_CHECK_LT(calls, 1 << 20);
      Result<LiveRead> state =
          source->ReadAvailable([&](const Batch& b) { AddRows(b, rows); }, max_rows);
      VIGIL_CHECK(state.ok());
      if (*state == LiveRead::kDrained) return;
      VIGIL_CHECK(*state == LiveRead::kMore);
    }
  }
};

}  // namespace
}  // namespace vigil

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  if (size < 1) return 0;
  const std::filesystem::path& dir = fuzz::ScratchDir("vl");
  const std::string path = (dir / "f.csv").string();
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    std::filesystem::remove(entry.path(), error);
  }

  CsvSourceOptions options;
  options.batch_rows = kBatchRows[data[0] % 6];
  options.chunk_bytes = kChunks[(data[0] / 6) % 4];
  const size_t max_rows = kMaxRows[(data[0] / 24) % 4];
  ErrorLog live_errors;
  options.error_log = &live_errors;
  options.live = true;
  options.follow_end = FollowEnd::kNever;
  options.watch_changes = false;

  // The writer's view: the content of each generation.
  std::vector<std::string> generations = {std::string(kHeader)};
  AppendToFile(path, kHeader);
  auto made = CsvSource::Make(path, FuzzSchema(), options);
  VIGIL_CHECK(made.ok());
  std::unique_ptr<CsvSource> source = std::move(*made);
  VIGIL_CHECK(source->Open().ok());
  Reader reader{source.get(), max_rows, {}};

  for (size_t i = 1; i < size;) {
    const uint8_t op = data[i++];
    const size_t kind = op & 7;
    const size_t length = op >> 3;
    if (kind <= 4) {
      const std::string_view bytes(reinterpret_cast<const char*>(data + i),
                                   std::min(length, size - i));
      i += bytes.size();
      if (bytes.empty()) continue;
      AppendToFile(path, bytes);
      generations.back().append(bytes);
    } else if (kind == 5) {
      reader.Drain();
    } else if (generations.size() < kMaxGenerations) {
      reader.Drain();
      if (kind == 6) {
        VIGIL_CHECK_EQ(::truncate(path.c_str(), 0), 0);
      } else {
        std::filesystem::rename(path, path + ".1");
        AppendToFile(path, "");
      }
      reader.Drain();  // Sees the cut before the file grows again.
      generations.emplace_back(kHeader);
      AppendToFile(path, kHeader);
    }
  }
  reader.Drain();
  source->ReportUnfinished(UnfinishedLineEnd::kStopped);
  source.reset();

  // The expected rows: static reads of each generation's complete records.
  std::vector<std::string> expected;
  uint64_t expected_errors = 0;
  uint64_t expected_warnings = 0;
  for (size_t g = 0; g < generations.size(); ++g) {
    const std::string& content = generations[g];
    const size_t complete = CompletePrefix(content);
    expected_warnings += HoldsARecord(content, complete) ? 1 : 0;
    const std::string file = g == 0 ? path : path + "#" + std::to_string(g);
    fuzz::WriteFile(file, std::string_view(content).substr(0, complete));
    ErrorLog static_errors;
    CsvSourceOptions static_options;
    static_options.error_log = &static_errors;
    static_options.batch_rows = 4096;
    static_options.chunk_bytes = 4096;
    auto reading = CsvSource::Make(file, FuzzSchema(), static_options);
    VIGIL_CHECK(reading.ok());
    VIGIL_CHECK((*reading)->Open().ok());
    VIGIL_CHECK((*reading)->ReadCommit([&](const Batch& b) { AddRows(b, expected); }).ok());
    expected_errors += static_errors.count();
  }
  if (reader.rows != expected) {
    std::fprintf(stderr, "live rows (%zu):\n", reader.rows.size());
    for (const auto& row : reader.rows) std::fprintf(stderr, "  %s\n", row.c_str());
    std::fprintf(stderr, "expected (%zu):\n", expected.size());
    for (const auto& row : expected) std::fprintf(stderr, "  %s\n", row.c_str());
  }
  VIGIL_CHECK(reader.rows == expected);
  VIGIL_CHECK_EQ(live_errors.count(), expected_errors);
  VIGIL_CHECK_EQ(live_errors.warning_count(), expected_warnings);
  return 0;
}
