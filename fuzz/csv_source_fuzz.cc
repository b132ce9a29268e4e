// libFuzzer target: CsvSource (files -> typed batches) on arbitrary bytes.
//
// Input layout: byte 0 picks the OnBadRow policy and whether a header is prepended, byte 1 the
// chunk size, max_record_bytes, batch_rows and whether the input is split over two files,
// byte 2 where it is split and how long the path is; the rest is the file content. The source
// reads files written to /dev/shm (CsvSource reads paths only) with the schema
// {a: int, b: str, c: float, d: Optional(bool), e: DateTimeNaive}.
//
// Checked for every input and policy: every data record (and every record the tokenizer
// rejects) is either emitted or reported as skipped, never lost; emitted rows hold exactly
// what a second, independent pass (one-chunk tokenizer + ParseCsvField) expects, including
// string bytes after the buffer moved and row ids; error counts agree with the ErrorLog.

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/api/error_log.h"
#include "connectors/csv/csv_source.h"
#include "connectors/csv/csv_tokenizer.h"
#include "connectors/csv/value_parser.h"
#include "fuzz_scratch.h"
#include "vigil/common/check.h"
#include "vigil/types/value_arena.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

Schema FuzzSchema() {
  return Schema{{"a", dtype::Int},
                {"b", dtype::Str},
                {"c", dtype::Float},
                {"d", dtype::Optional(dtype::Bool)},
                {"e", dtype::DateTimeNaive}};
}

/// An emitted or expected row, owned.
struct OwnedRow {
  Key id;
  std::vector<StoredValue> values;
};

bool SameRow(const OwnedRow& a, const OwnedRow& b) {
  if (!(a.id == b.id) || a.values.size() != b.values.size()) return false;
  for (size_t c = 0; c < a.values.size(); ++c) {
    if (!ValuesIdentical(a.values[c].get(), b.values[c].get())) return false;
  }
  return true;
}

std::string Describe(const OwnedRow& row) {
  std::string out = row.id.ToString();
  for (const StoredValue& v : row.values) out += " | " + ReprValue(v.get());
  return out;
}

/// What reading `files` must produce, computed without CsvSource.
struct Expectation {
  std::vector<OwnedRow> rows;
  uint64_t errors = 0;        ///< Reports (ErrorLog entries), skipped rows or kept errors.
  uint64_t skipped = 0;       ///< Reports that dropped a row.
  uint64_t data_records = 0;  ///< Records after the header, plus records the tokenizer rejected.
  bool fails = false;         ///< Open() or ReadCommit() must return an error.
};

/// Tokenizes a whole file in one chunk (a different buffer history from the source's).
struct FileEvents {
  std::vector<std::optional<std::vector<std::string>>> events;  ///< nullopt: syntax error.
  std::vector<uint64_t> end_offsets;
};

FileEvents TokenizeWhole(const std::string& content, size_t max_record_bytes) {
  FileEvents out;
  size_t offset = 0;
  CsvTokenizerOptions options;
  options.chunk_bytes = std::max<size_t>(content.size(), 1);
  options.max_record_bytes = max_record_bytes;
  CsvTokenizer tokenizer(
      [&](char* dest, size_t size) -> Result<size_t> {
        const size_t n = std::min(size, content.size() - offset);
        std::memcpy(dest, content.data() + offset, n);
        offset += n;
        return n;
      },
      options);
  CsvRecord record;
  for (;;) {
    switch (tokenizer.Next(record)) {
      case CsvTokenizer::Event::kRecord:
        out.events.emplace_back(
            std::vector<std::string>(record.fields.begin(), record.fields.end()));
        out.end_offsets.push_back(record.end_offset);
        break;
      case CsvTokenizer::Event::kSyntaxError:
        out.events.emplace_back(std::nullopt);
        out.end_offsets.push_back(0);
        break;
      case CsvTokenizer::Event::kWillReuseBuffer:
        break;
      case CsvTokenizer::Event::kIoError:
      case CsvTokenizer::Event::kNoData:  // The read function never says "no data yet".
        std::abort();
      case CsvTokenizer::Event::kEnd:
        return out;
    }
  }
}

Expectation Expect(const std::vector<std::pair<std::string, std::string>>& files,
                   const Schema& schema, OnBadRow policy, size_t max_record_bytes) {
  Expectation expect;
  auto report = [&](bool skipped) {
    ++expect.errors;
    if (skipped) ++expect.skipped;
    if (policy == OnBadRow::kFail) expect.fails = true;
  };
  for (const auto& [path, content] : files) {
    const FileEvents file = TokenizeWhole(content, max_record_bytes);
    if (file.events.empty()) continue;  // Empty file: no header, no rows.
    if (!file.events[0]) {
      expect.fails = true;  // Unreadable header.
      return expect;
    }
    const std::vector<std::string>& header = *file.events[0];
    std::vector<size_t> field_of(schema.size());
    size_t min_fields = 0;
    for (size_t c = 0; c < schema.size(); ++c) {
      const auto found = std::find(header.begin(), header.end(), schema[c].name);
      if (found == header.end() || std::count(header.begin(), header.end(), schema[c].name) > 1) {
        expect.fails = true;  // Missing or ambiguous column.
        return expect;
      }
      field_of[c] = static_cast<size_t>(found - header.begin());
      min_fields = std::max(min_fields, field_of[c] + 1);
    }
    for (size_t i = 1; i < file.events.size(); ++i) {
      ++expect.data_records;
      if (!file.events[i] || file.events[i]->size() < min_fields) {
        report(true);
        if (expect.fails) return expect;
        continue;
      }
      const std::vector<std::string>& fields = *file.events[i];
      OwnedRow row;
      std::vector<const char*> errors;
      bool any_error = false;
      for (size_t c = 0; c < schema.size(); ++c) {
        FieldParseResult parsed = ParseCsvField(fields[field_of[c]], schema[c]);
        row.values.emplace_back(parsed.ok() ? parsed.value : Value::Error());
        any_error |= !parsed.ok();
      }
      if (any_error) {
        if (policy != OnBadRow::kKeepError) {
          report(true);
          if (expect.fails) return expect;
          continue;
        }
        for (const StoredValue& v : row.values) {
          if (v.get().is_error()) report(false);
        }
      }
      KeyHasher hasher;
      hasher.AddRawBytes(path);
      hasher.AddRaw64(file.end_offsets[i]);
      row.id = hasher.Finish();
      expect.rows.push_back(std::move(row));
    }
  }
  return expect;
}

/// Short, so that the paths below can be short too.
constexpr std::string_view kScratchPrefix = "vcsf";
const fs::path& ScratchDir() { return fuzz::ScratchDir(kScratchPrefix); }
using fuzz::WriteFile;

constexpr std::string_view kHeaders[] = {"", "a,b,c,d,e\n", "e,x,d,c,\"b\",a\r\n"};
constexpr size_t kChunks[] = {1, 2, 3, 5, 8, 16, 64, size_t{1} << 20};
constexpr size_t kRecordLimits[] = {8, 32, 256, size_t{64} << 20};
constexpr size_t kBatchRows[] = {1, 2, 3, 4096};

}  // namespace
}  // namespace vigil

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  if (size < 3) return 0;
  const OnBadRow policy = static_cast<OnBadRow>(data[0] % 3);
  const std::string_view header = kHeaders[(data[0] / 3) % 3];
  CsvSourceOptions options;
  options.chunk_bytes = kChunks[data[1] & 0x07];
  options.max_record_bytes = kRecordLimits[(data[1] >> 3) & 0x03];
  options.batch_rows = kBatchRows[(data[1] >> 5) & 0x03];
  const bool two_files = (data[1] & 0x80) != 0;
  const std::string_view body(reinterpret_cast<const char*>(data + 3), size - 3);
  const Schema schema = FuzzSchema();

  // Lay the input out as one file, or as a directory of two files each with the header.
  // Path lengths vary (about 17 to 270 bytes): row ids hash the path, and the id hasher takes
  // a different form per path length.
  const std::string scratch = ScratchDir().string() + "/";
  std::vector<std::pair<std::string, std::string>> files;
  std::string source_path;
  if (two_files) {
    source_path = scratch + std::string(1 + (data[2] * 37u) % 200, 'd');
    fs::create_directories(source_path);
    const size_t split = body.empty() ? 0 : data[2] % (body.size() + 1);
    files.emplace_back(source_path + "/1.csv",
                       std::string(header) + std::string(body.substr(0, split)));
    files.emplace_back(source_path + "/2.csv",
                       std::string(header) + std::string(body.substr(split)));
  } else {
    source_path = scratch + std::string(std::max<size_t>(1, data[2]), 'f');
    files.emplace_back(source_path, std::string(header) + std::string(body));
  }
  for (const auto& [path, content] : files) WriteFile(path, content);
  struct RemoveAtEnd {
    std::string path;
    ~RemoveAtEnd() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  } remove_at_end{source_path};

  ErrorLog log(/*max_kept=*/size_t{1} << 20);
  options.on_bad_row = policy;
  options.error_log = &log;
  Result<std::unique_ptr<CsvSource>> made = CsvSource::Make(source_path, schema, options);
  VIGIL_CHECK(made.ok());
  CsvSource& source = **made;

  std::vector<OwnedRow> emitted;
  Status status = source.Open();
  if (status.ok()) {
    VIGIL_CHECK(source.NextCommitTime() == std::optional<Time>(Time{0}));
    status = source.ReadCommit([&](const Batch& batch) {
      VIGIL_CHECK_EQ(batch.num_columns(), schema.size());
      VIGIL_CHECK(!batch.empty());
      VIGIL_CHECK_LE(batch.num_rows(), options.batch_rows);
      VIGIL_CHECK_EQ(batch.diffs.size(), batch.num_rows());
      for (size_t r = 0; r < batch.num_rows(); ++r) {
        VIGIL_CHECK_EQ(batch.diffs[r], Diff{1});
        OwnedRow row;
        row.id = batch.ids[r];
        // StoredValue copies string bytes: ASan sees any view into a freed buffer here.
        for (size_t c = 0; c < schema.size(); ++c) row.values.emplace_back(batch.columns[c][r]);
        emitted.push_back(std::move(row));
      }
    });
    if (status.ok()) VIGIL_CHECK(!source.NextCommitTime().has_value());
  }

  // Reports are consistent with the log and well-formed.
  VIGIL_CHECK_EQ(source.error_count(), log.count());
  uint64_t skipped = 0;
  for (const DataError& error : log.kept()) {
    skipped += error.row_skipped ? 1 : 0;
    VIGIL_CHECK(!error.message.empty());
    VIGIL_CHECK_LE(uint64_t{1}, error.line);
    VIGIL_CHECK(std::any_of(files.begin(), files.end(),
                            [&](const auto& f) { return f.first == error.file; }));
    VIGIL_CHECK(!FormatDataError(error).empty());
  }

  const Expectation expect = Expect(files, schema, policy, options.max_record_bytes);
  auto fail = [&](const char* what) {
    std::fprintf(stderr,
                 "csv_source_fuzz: %s\n  status: %s\n  policy %d, expected fails=%d rows=%zu "
                 "errors=%llu skipped=%llu records=%llu; got rows=%zu errors=%llu skipped=%llu\n",
                 what, status.ToString().c_str(), static_cast<int>(policy), expect.fails,
                 expect.rows.size(), static_cast<unsigned long long>(expect.errors),
                 static_cast<unsigned long long>(expect.skipped),
                 static_cast<unsigned long long>(expect.data_records), emitted.size(),
                 static_cast<unsigned long long>(source.error_count()),
                 static_cast<unsigned long long>(skipped));
    for (size_t i = 0; i < std::max(emitted.size(), expect.rows.size()); ++i) {
      std::fprintf(stderr, "  got  %s\n  want %s\n",
                   i < emitted.size() ? Describe(emitted[i]).c_str() : "-",
                   i < expect.rows.size() ? Describe(expect.rows[i]).c_str() : "-");
    }
    std::abort();
  };
  if (status.ok() == expect.fails) fail("the read succeeded or failed unexpectedly");
  // Rows come out in input order; a failed read emitted a prefix.
  if (emitted.size() > expect.rows.size()) fail("more rows than expected");
  for (size_t i = 0; i < emitted.size(); ++i) {
    if (!SameRow(emitted[i], expect.rows[i])) fail("an emitted row differs");
  }
  if (status.ok()) {
    if (emitted.size() != expect.rows.size()) fail("rows were lost");
    if (source.error_count() != expect.errors || skipped != expect.skipped) {
      fail("error counts differ");
    }
    // Nothing lost: each record is a row or a report that dropped it.
    if (emitted.size() + skipped != expect.data_records)
      fail("a record was neither emitted nor reported");
    if (policy == OnBadRow::kFail) VIGIL_CHECK_EQ(source.error_count(), uint64_t{0});
    if (policy == OnBadRow::kSkip) VIGIL_CHECK_EQ(source.error_count(), skipped);
  } else if (policy == OnBadRow::kFail) {
    VIGIL_CHECK_LE(source.error_count(), uint64_t{1});
  }
  return 0;
}
