// libFuzzer target: CsvTokenizer on arbitrary bytes.
//
// Input layout: byte 0 picks the chunk size, byte 1 the read pattern and the limits
// (max_record_bytes, max_fields); the rest is the CSV text. Each input is tokenized three ways:
//   1. in small chunks with short reads and small limits, checking the invariants of every event
//      (offsets increase and stay inside the input, lines never go back, views of earlier
//      records keep their bytes until kWillReuseBuffer);
//   2. in one chunk with the same limits: must give the same records and errors as (1), since
//      chunking is an implementation detail;
//   3. in small chunks without limits, against ReferenceTokenize below, a deliberately naive
//      byte-at-a-time model of the rules stated in csv_tokenizer.h.
// An optional fourth run injects a read error and checks that kIoError is final. A fifth run
// reads like a live file being appended to: every other read says "no data yet"
// (kCsvNoDataYet); the tokenizer must answer kNoData and end with the events of run 1.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/csv/csv_tokenizer.h"
#include "vigil/common/check.h"

namespace vigil {
namespace {

/// One tokenizer outcome, owned, comparable across runs.
struct TokenEvent {
  bool is_error = false;
  uint64_t line = 0;
  uint64_t start_offset = 0;  // Records only.
  uint64_t end_offset = 0;    // Records only.
  std::vector<std::string> fields;

  friend bool operator==(const TokenEvent&, const TokenEvent&) = default;
};

std::string Describe(const TokenEvent& e) {
  std::string out = e.is_error ? "error" : "record";
  out += " line=" + std::to_string(e.line);
  if (!e.is_error) {
    out += " [" + std::to_string(e.start_offset) + "," + std::to_string(e.end_offset) + ") fields=";
    for (const std::string& f : e.fields) out += "<" + f + ">";
  }
  return out;
}

[[noreturn]] void Mismatch(const char* what, const std::vector<TokenEvent>& a,
                           const std::vector<TokenEvent>& b) {
  std::fprintf(stderr, "csv_tokenizer_fuzz: %s differ (%zu vs %zu events)\n", what, a.size(),
               b.size());
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string left = i < a.size() ? Describe(a[i]) : "-";
    const std::string right = i < b.size() ? Describe(b[i]) : "-";
    std::fprintf(stderr, "  %s %s\n    vs %s\n", left == right ? " " : "!", left.c_str(),
                 right.c_str());
  }
  std::abort();
}

struct ReadPattern {
  size_t max_read = SIZE_MAX;  ///< A read returns at most this many bytes (short reads).
  size_t fail_at = SIZE_MAX;   ///< Reading at or past this offset fails.
  bool pauses = false;         ///< Every other read returns kCsvNoDataYet (a live file).
};

CsvReadFunction MemoryReader(std::string_view input, ReadPattern pattern) {
  auto offset = std::make_shared<size_t>(0);
  auto pause_next = std::make_shared<bool>(pattern.pauses);
  return [input, pattern, offset, pause_next](char* dest, size_t size) -> Result<size_t> {
    if (*pause_next) {
      *pause_next = false;
      return kCsvNoDataYet;
    }
    *pause_next = pattern.pauses;
    if (*offset >= pattern.fail_at) return Status::IoError("injected read failure");
    const size_t n = std::min({size, pattern.max_read, input.size() - *offset});
    std::memcpy(dest, input.data() + *offset, n);
    *offset += n;
    return n;
  };
}

/// A record flagged ASCII (the fast path's promise that lets readers skip UTF-8 validation)
/// holds no byte >= 0x80. A template so that it compiles whether or not CsvRecord has the flag.
template <typename Record>
void CheckAsciiFlag(const Record& record) {
  if constexpr (requires { record.ascii; }) {
    if (record.ascii) {
      for (std::string_view field : record.fields) {
        for (char c : field) VIGIL_CHECK(static_cast<unsigned char>(c) < 0x80);
      }
    }
  }
}

/// Runs one tokenizer to the end, checking the per-event invariants, and returns its events.
std::vector<TokenEvent> Tokenize(std::string_view input, CsvTokenizerOptions options,
                                 ReadPattern pattern, bool* io_error = nullptr) {
  // Line ends: `\n`, `\r\n` and lone `\r` (a `\r\n` pair is one).
  uint64_t newlines = 0;
  for (size_t i = 0; i < input.size(); ++i) {
    newlines += input[i] == '\r' || (input[i] == '\n' && (i == 0 || input[i - 1] != '\r'));
  }
  CsvTokenizer tokenizer(MemoryReader(input, pattern), options);
  std::vector<TokenEvent> events;
  // Views handed out since the last kWillReuseBuffer, with a copy of their bytes.
  std::vector<std::pair<std::string_view, std::string>> outstanding;
  auto check_outstanding = [&] {
    for (const auto& [view, copy] : outstanding) VIGIL_CHECK(view == copy);
  };
  uint64_t last_end = 0;
  uint64_t last_line = 1;
  // Every event consumes input or announces a buffer move that the next read follows.
  const size_t max_events = (pattern.pauses ? 16 : 8) * input.size() + 64;
  CsvRecord record;
  for (size_t step = 0;; ++step) {
    VIGIL_CHECK_LE(step, max_events);  // Otherwise the tokenizer loops.
    const CsvTokenizer::Event event = tokenizer.Next(record);
    VIGIL_CHECK_LE(tokenizer.bytes_read(), input.size());
    if (event == CsvTokenizer::Event::kNoData) {
      VIGIL_CHECK(pattern.pauses);  // Only a live reader ever says "no data yet".
      check_outstanding();          // Pausing moves nothing.
      continue;
    }
    if (event == CsvTokenizer::Event::kWillReuseBuffer) {
      // The views are still valid now; the next call may move them.
      check_outstanding();
      outstanding.clear();
      continue;
    }
    if (event == CsvTokenizer::Event::kEnd) {
      check_outstanding();
      VIGIL_CHECK(pattern.fail_at == SIZE_MAX);
      VIGIL_CHECK_EQ(tokenizer.bytes_read(), input.size());
      // kEnd is final.
      VIGIL_CHECK(tokenizer.Next(record) == CsvTokenizer::Event::kEnd);
      return events;
    }
    if (event == CsvTokenizer::Event::kIoError) {
      VIGIL_CHECK(pattern.fail_at != SIZE_MAX);
      VIGIL_CHECK(!tokenizer.io_status().ok());
      VIGIL_CHECK(tokenizer.Next(record) == CsvTokenizer::Event::kIoError);
      if (io_error != nullptr) *io_error = true;
      return events;
    }
    TokenEvent out;
    if (event == CsvTokenizer::Event::kSyntaxError) {
      out.is_error = true;
      out.line = tokenizer.syntax_error().line;
      VIGIL_CHECK(!tokenizer.syntax_error().message.empty());
    } else {
      VIGIL_CHECK(event == CsvTokenizer::Event::kRecord);
      out.line = record.line;
      out.start_offset = record.start_offset;
      out.end_offset = record.end_offset;
      VIGIL_CHECK_LE(last_end, record.start_offset);
      VIGIL_CHECK_LT(record.start_offset, record.end_offset);
      VIGIL_CHECK_LE(record.end_offset, input.size());
      VIGIL_CHECK_LE(record.end_offset, tokenizer.bytes_read());
      VIGIL_CHECK(!record.fields.empty());
      VIGIL_CHECK_LE(record.fields.size(), options.max_fields);
      CheckAsciiFlag(record);
      size_t content = 0;
      for (std::string_view field : record.fields) {
        content += field.size();
        if (!field.empty()) VIGIL_CHECK(tokenizer.BufferContains(field.data()));
        out.fields.emplace_back(field);
        outstanding.emplace_back(field, std::string(field));
      }
      // Unescaping only shrinks; separators take one byte each.
      VIGIL_CHECK_LE(content + record.fields.size() - 1, record.end_offset - record.start_offset);
      // The raw bytes before the terminator are within the limit.
      const bool terminated =
          record.end_offset != input.size() || input.back() == '\n' || input.back() == '\r';
      VIGIL_CHECK_LE(record.end_offset - record.start_offset - (terminated ? 1 : 0),
                     options.max_record_bytes);
      last_end = record.end_offset;
    }
    VIGIL_CHECK_LE(uint64_t{1}, out.line);
    VIGIL_CHECK_LE(last_line, out.line);
    VIGIL_CHECK_LE(out.line, newlines + 1);
    last_line = out.line;
    events.push_back(std::move(out));
  }
}

/// The tokenizer's rules, one byte at a time, with no buffer and no limits.
std::vector<TokenEvent> ReferenceTokenize(std::string_view d) {
  std::vector<TokenEvent> events;
  const size_t n = d.size();
  size_t pos = d.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  uint64_t line = 1;
  // A line ends at `\n`, `\r\n` or a lone `\r` (the record terminators).
  auto ends_line = [&](size_t p) {
    return d[p] == '\r' || (d[p] == '\n' && (p == 0 || d[p - 1] != '\r'));
  };
  auto is_end_of_field = [&](size_t p) {
    return p == n || d[p] == ',' || d[p] == '\r' || d[p] == '\n';
  };
  for (;;) {
    while (pos < n && (d[pos] == '\r' || d[pos] == '\n')) {
      if (ends_line(pos)) ++line;
      ++pos;
    }
    if (pos == n) return events;
    TokenEvent record;
    record.line = line;
    record.start_offset = pos;
    for (;;) {
      std::string field;
      if (d[pos] == '"') {
        ++pos;
        for (;;) {
          if (pos == n) {
            // Unterminated quote: the record is reported and the input is over.
            TokenEvent error;
            error.is_error = true;
            error.line = record.line;
            events.push_back(error);
            return events;
          }
          const bool line_end = ends_line(pos);
          const char c = d[pos++];
          if (c == '"') {
            if (pos < n && d[pos] == '"') {
              field += '"';
              ++pos;
              continue;
            }
            break;
          }
          if (line_end) ++line;
          field += c;
        }
      }
      // Unquoted text, or text after a closing quote: up to the next separator, quotes literal.
      while (!is_end_of_field(pos)) field += d[pos++];
      record.fields.push_back(std::move(field));
      if (pos < n && d[pos] == ',') {
        ++pos;
        if (pos == n) {
          record.fields.emplace_back();
          break;
        }
        continue;
      }
      break;
    }
    if (pos == n) {
      record.end_offset = n;
    } else {
      if (ends_line(pos)) ++line;
      record.end_offset = ++pos;
    }
    events.push_back(std::move(record));
  }
}

constexpr size_t kRecordLimits[] = {1, 2, 5, 16, 64, 256, 4096, size_t{64} << 20};
constexpr size_t kFieldLimits[] = {
    1, 2, 3, 8, size_t{1} << 20, size_t{1} << 20, size_t{1} << 20, size_t{1} << 20};

}  // namespace
}  // namespace vigil

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  if (size < 2) return 0;
  const uint8_t chunk_byte = data[0];
  const uint8_t limits_byte = data[1];
  const std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);

  // Small chunks most of the time (1..32 bytes), sometimes a power of two up to 4 KiB.
  CsvTokenizerOptions small;
  small.chunk_bytes =
      (chunk_byte & 0x80) ? size_t{1} << ((chunk_byte & 0x0F) % 13) : 1 + (chunk_byte & 0x1F);
  small.max_record_bytes = kRecordLimits[limits_byte & 0x07];
  small.max_fields = kFieldLimits[(limits_byte >> 3) & 0x07];
  ReadPattern pattern;
  if (limits_byte & 0x40) pattern.max_read = 1 + ((chunk_byte >> 5) & 0x03);

  // 1. Small chunks, short reads, small limits.
  const std::vector<TokenEvent> chunked = Tokenize(input, small, pattern);

  // 2. The whole input in one read, same limits.
  CsvTokenizerOptions whole = small;
  whole.chunk_bytes = std::max<size_t>(input.size(), 1);
  const std::vector<TokenEvent> one_chunk = Tokenize(input, whole, ReadPattern{});
  if (chunked != one_chunk) Mismatch("chunked and one-chunk runs", chunked, one_chunk);

  // 3. No limits, against the naive model.
  CsvTokenizerOptions unlimited;
  unlimited.chunk_bytes = small.chunk_bytes;
  const std::vector<TokenEvent> full = Tokenize(input, unlimited, pattern);
  const std::vector<TokenEvent> reference = ReferenceTokenize(input);
  if (full != reference) Mismatch("tokenizer and reference model", full, reference);

  // 5. The same reads with a pause before each: a live file appended to in pieces.
  ReadPattern live = pattern;
  live.pauses = true;
  const std::vector<TokenEvent> paused = Tokenize(input, small, live);
  if (paused != chunked) Mismatch("live (paused) and chunked runs", paused, chunked);

  // 4. A read failure part-way: kIoError must come and be final; events before it are a prefix.
  if ((limits_byte & 0x80) && !input.empty()) {
    ReadPattern failing = pattern;
    failing.fail_at = input.size() / 2;
    bool io_error = false;
    const std::vector<TokenEvent> before = Tokenize(input, small, failing, &io_error);
    VIGIL_CHECK(io_error);
    VIGIL_CHECK_LE(before.size(), chunked.size());
    // A record is only complete once its terminator (or the end of input) was read, so
    // nothing reported before the failure can differ from the run without it.
    if (!std::equal(before.begin(), before.end(), chunked.begin())) {
      Mismatch("run with a read error is not a prefix", before, chunked);
    }
  }
  return 0;
}
