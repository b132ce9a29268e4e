#include "connectors/csv/csv_tokenizer.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// AVX2 is chosen at run time (the build targets baseline x86-64).
#define VIGIL_CSV_HAVE_AVX2_DISPATCH 1
#include <immintrin.h>
#endif

#include <fmt/format.h>

namespace vigil {

namespace {

constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

/// Index of the first `,`, `\r` or `\n` in [pos, end), or `end`. May read up to 15 bytes past
/// `end` (the buffer has padding there).
inline size_t FindUnquotedFieldEnd(const char* data, size_t pos, size_t end) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i carriage_return = _mm_set1_epi8('\r');
  const __m128i line_feed = _mm_set1_epi8('\n');
  while (pos < end) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    const __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(block, comma), _mm_cmpeq_epi8(block, carriage_return)),
        _mm_cmpeq_epi8(block, line_feed));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) return std::min(end, pos + static_cast<size_t>(__builtin_ctz(mask)));
    pos += 16;
  }
  return end;
#else
  for (; pos < end; ++pos) {
    const char c = data[pos];
    if (c == ',' || c == '\r' || c == '\n') return pos;
  }
  return end;
#endif
}

// Block classifiers: bitmasks of the 64 bytes at `p` (bit i is p[i]): masks[0] `,`;
// masks[1] the stop bytes `\r`, `\n`, `"`; masks[2] bytes >= 0x80. Each reads exactly 64 bytes.

void ClassifyBlockScalar(const char* p, uint64_t* masks) {
  uint64_t c = 0;
  uint64_t s = 0;
  uint64_t h = 0;
  for (int i = 0; i < 64; ++i) {
    const unsigned char byte = static_cast<unsigned char>(p[i]);
    const uint64_t bit = uint64_t{1} << i;
    if (byte == ',') c |= bit;
    if (byte == '\r' || byte == '\n' || byte == '"') s |= bit;
    if (byte >= 0x80) h |= bit;
  }
  masks[0] = c;
  masks[1] = s;
  masks[2] = h;
}

#if defined(__SSE2__)
void ClassifyBlockSse2(const char* p, uint64_t* masks) {
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i carriage_return = _mm_set1_epi8('\r');
  const __m128i line_feed = _mm_set1_epi8('\n');
  const __m128i quote = _mm_set1_epi8('"');
  uint64_t c = 0;
  uint64_t s = 0;
  uint64_t h = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i stop = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(block, carriage_return), _mm_cmpeq_epi8(block, line_feed)),
        _mm_cmpeq_epi8(block, quote));
    const int shift = 16 * k;
    c |= static_cast<uint64_t>(static_cast<uint32_t>(
             _mm_movemask_epi8(_mm_cmpeq_epi8(block, comma))))
         << shift;
    s |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(stop))) << shift;
    h |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(block))) << shift;
  }
  masks[0] = c;
  masks[1] = s;
  masks[2] = h;
}
#endif

#if defined(VIGIL_CSV_HAVE_AVX2_DISPATCH)
__attribute__((target("avx2"))) void ClassifyBlockAvx2(const char* p, uint64_t* masks) {
  const __m256i comma = _mm256_set1_epi8(',');
  const __m256i carriage_return = _mm256_set1_epi8('\r');
  const __m256i line_feed = _mm256_set1_epi8('\n');
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  // (No lambdas: they would not inherit the target attribute.)
  const __m256i stop_lo = _mm256_or_si256(
      _mm256_or_si256(_mm256_cmpeq_epi8(lo, carriage_return), _mm256_cmpeq_epi8(lo, line_feed)),
      _mm256_cmpeq_epi8(lo, quote));
  const __m256i stop_hi = _mm256_or_si256(
      _mm256_or_si256(_mm256_cmpeq_epi8(hi, carriage_return), _mm256_cmpeq_epi8(hi, line_feed)),
      _mm256_cmpeq_epi8(hi, quote));
  masks[0] = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, comma))) |
             (static_cast<uint64_t>(static_cast<uint32_t>(
                  _mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, comma))))
              << 32);
  masks[1] = static_cast<uint32_t>(_mm256_movemask_epi8(stop_lo)) |
             (static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(stop_hi))) << 32);
  masks[2] = static_cast<uint32_t>(_mm256_movemask_epi8(lo)) |
             (static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(hi))) << 32);
}
#endif

/// The fastest classifier this CPU runs, at most `level`.
CsvTokenizer::ClassifyFunction ChooseClassifier(CsvSimd level) {
  if (level == CsvSimd::kOff) return nullptr;
#if defined(VIGIL_CSV_HAVE_AVX2_DISPATCH)
  if (level == CsvSimd::kBest && __builtin_cpu_supports("avx2")) return ClassifyBlockAvx2;
#endif
#if defined(__SSE2__)
  if (level != CsvSimd::kScalar) return ClassifyBlockSse2;
#endif
  return ClassifyBlockScalar;
}

/// Whether the terminator byte at `at` (`\r` or `\n`) ends a line: every `\r` does, and a
/// `\n` unless it completes a `\r\n` pair. `at[-1]` must be readable.
inline bool EndsLine(const char* at) { return *at == '\r' || at[-1] != '\r'; }

/// Line ends in [data, data + size) (`\n`, `\r\n`, lone `\r`); data[-1] must be readable.
inline uint64_t CountLineEnds(const char* data, size_t size) {
  uint64_t count = 0;
  const char* end = data + size;
  for (const char* p = data; p < end;) {
    const void* hit = std::memchr(p, '\r', static_cast<size_t>(end - p));
    if (hit == nullptr) break;
    ++count;
    p = static_cast<const char*>(hit) + 1;
  }
  for (const char* p = data; p < end;) {
    const void* hit = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (hit == nullptr) break;
    const char* at = static_cast<const char*>(hit);
    count += at[-1] != '\r';
    p = at + 1;
  }
  return count;
}

/// Appends `text` as one quoted CSV field (quotes doubled), without the closing quote.
void AppendOpenQuotedField(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
}

}  // namespace

CsvTokenizer::CsvTokenizer(CsvReadFunction read, CsvTokenizerOptions options)
    : read_(std::move(read)), options_(options) {
  options_.chunk_bytes = std::max<size_t>(options_.chunk_bytes, 1);
  options_.max_fields = std::max<size_t>(options_.max_fields, 1);
  capacity_ = std::max<size_t>(2 * options_.chunk_bytes, 16);
  fields_.resize(16);
  classify_ = ChooseClassifier(options_.simd);
  // Zeroed, so SIMD loads into the padding never see uninitialized memory.
  storage_ = std::make_unique<char[]>(kPadding + capacity_ + kPadding);
  buffer_ = storage_.get() + kPadding;
}

void CsvTokenizer::SetSyntaxError(uint64_t line, std::string problem,
                                  std::string_view consequence) {
  syntax_error_.line = line;
  syntax_error_.message = consequence.empty() ? problem : fmt::format("{}; {}", problem,
                                                                      consequence);
  syntax_error_.problem = std::move(problem);
  syntax_error_.record.clear();
  pending_error_ = true;
}

std::string CsvTokenizer::RecordText(size_t max_bytes) const {
  std::string out;
  if (!record_rewritten_) {
    // The raw bytes are still the input's.
    const size_t size = std::min(data_end_ - record_start_, max_bytes);
    out.assign(buffer_ + record_start_, size);
    return out;
  }
  // Finished fields hold unescaped text now: write the record again, every field quoted.
  const char* base = buffer_ + record_start_;
  for (size_t i = 0; i < spans_.size() && out.size() < max_bytes; ++i) {
    AppendOpenQuotedField(out, std::string_view(base + spans_[i].begin,
                                                spans_[i].end - spans_[i].begin));
    out.append("\",");
  }
  // The field in progress: its unescaped part, then its raw part not yet moved.
  std::string field(buffer_ + field_start_, write_end_ - field_start_);
  if (state_ == State::kInQuoted || state_ == State::kInField) {
    field.append(buffer_ + segment_start_, scan_ - segment_start_);
  }
  if (state_ != State::kStartField) {
    AppendOpenQuotedField(out, field);
    if (state_ != State::kInQuoted) out.push_back('"');  // Only an open quote stays open.
  }
  if (out.size() > max_bytes) out.resize(max_bytes);
  return out;
}

CsvUnfinishedRecord CsvTokenizer::Unfinished(size_t max_bytes) const {
  CsvUnfinishedRecord unfinished;
  if (finished_) return unfinished;
  if (!bom_checked_) {
    // Fewer than 3 bytes that may still begin a byte order mark.
    unfinished.line = line_;
    unfinished.bytes = data_end_ - scan_;
    unfinished.text.assign(buffer_ + scan_, std::min<size_t>(data_end_ - scan_, max_bytes));
    return unfinished;
  }
  if (state_ == State::kStartRecord || skipping_) return unfinished;
  unfinished.line = record_line_;
  unfinished.bytes = data_end_ - record_start_;
  unfinished.text = RecordText(max_bytes);
  return unfinished;
}

void CsvTokenizer::Rebase(size_t keep_from) {
  const bool in_record = state_ != State::kStartRecord && !skipping_;
  data_end_ -= keep_from;
  scan_ -= keep_from;
  buffer_file_offset_ += keep_from;
  if (in_record) {
    // Every index of the record in progress is >= record_start_ == keep_from.
    record_start_ -= keep_from;
    field_start_ -= keep_from;
    segment_start_ -= keep_from;
    write_end_ -= keep_from;
  } else {
    record_start_ = scan_;
  }
}

CsvTokenizer::RefillResult CsvTokenizer::Refill() {
  const bool in_record = state_ != State::kStartRecord && !skipping_;
  if (in_record && data_end_ - record_start_ > options_.max_record_bytes) {
    skipping_ = true;
    SetSyntaxError(record_line_,
                   fmt::format("record longer than {} bytes (max_record_bytes)",
                               options_.max_record_bytes),
                   "skipped up to its end");
    return RefillResult::kTooLong;
  }
  const size_t keep_from = in_record ? record_start_ : scan_;
  const size_t chunk = options_.chunk_bytes;
  if (capacity_ - data_end_ < chunk) {
    // The buffer must move or be overwritten: earlier views die, so say so first.
    if (views_outstanding_) {
      views_outstanding_ = false;
      return RefillResult::kMustAnnounce;
    }
    const size_t keep = data_end_ - keep_from;
    // The byte before the first one kept stays readable at buffer_[-1] (line counting asks
    // whether a `\n` follows a `\r`).
    const char byte_before = buffer_[static_cast<ptrdiff_t>(keep_from) - 1];
    if (keep + chunk > capacity_) {
      // Doubling keeps the total copying linear in the record size; the record limit caps it.
      const size_t limit = options_.max_record_bytes > SIZE_MAX / 2
                               ? SIZE_MAX / 2
                               : options_.max_record_bytes + 2 * chunk;
      size_t new_capacity = std::max(capacity_ * 2, keep + chunk);
      new_capacity = std::max(std::min(new_capacity, limit), keep + chunk);
      auto new_storage = std::make_unique<char[]>(kPadding + new_capacity + kPadding);
      char* new_buffer = new_storage.get() + kPadding;
      if (keep > 0) std::memcpy(new_buffer, buffer_ + keep_from, keep);
      storage_ = std::move(new_storage);
      buffer_ = new_buffer;
      capacity_ = new_capacity;
    } else if (keep > 0 && keep_from > 0) {
      std::memmove(buffer_, buffer_ + keep_from, keep);
    }
    buffer_[-1] = byte_before;
    Rebase(keep_from);
  }
  // The data moves or grows: the fast path's block must be classified again.
  block_end_ = 0;
  const size_t want = std::min(chunk, capacity_ - data_end_);
  Result<size_t> got = read_(buffer_ + data_end_, want);
  if (!got.ok()) {
    io_status_ = got.status();
    return RefillResult::kIoError;
  }
  if (*got == kCsvNoDataYet) return RefillResult::kNoData;
  if (*got == 0) {
    eof_ = true;
    return RefillResult::kEof;
  }
  data_end_ += std::min(*got, want);
  return RefillResult::kRead;
}

inline void CsvTokenizer::FinishField(size_t raw_end) {
  if (skipping_) return;
  char* buffer = buffer_;
  const size_t length = raw_end - segment_start_;
  if (write_end_ != segment_start_ && length > 0) {
    std::memmove(buffer + write_end_, buffer + segment_start_, length);
  }
  if (write_end_ != segment_start_) record_rewritten_ = true;
  const size_t end = write_end_ + length;
  if (spans_.size() == options_.max_fields) {
    skipping_ = true;
    SetSyntaxError(record_line_,
                   fmt::format("record has more than {} fields (max_fields)", options_.max_fields),
                   "skipped");
    return;
  }
  spans_.push_back(FieldSpan{field_start_ - record_start_, end - record_start_});
}

inline bool CsvTokenizer::FinishRecord(size_t terminator, bool at_eof, CsvRecord& record,
                                Event& event) {
  const uint64_t end_offset = buffer_file_offset_ + terminator + (at_eof ? 0 : 1);
  if (!at_eof) {
    if (EndsLine(buffer_ + terminator)) ++line_;
    scan_ = terminator + 1;
  }
  state_ = State::kStartRecord;
  if (skipping_) {
    skipping_ = false;
    record_start_ = scan_;
    return false;
  }
  if (terminator - record_start_ > options_.max_record_bytes) {
    SetSyntaxError(record_line_,
                   fmt::format("record longer than {} bytes (max_record_bytes)",
                               options_.max_record_bytes),
                   "skipped");
    pending_error_ = false;
    record_start_ = scan_;
    event = Event::kSyntaxError;
    return true;
  }
  const char* base = buffer_ + record_start_;
  if (fields_.size() < spans_.size()) fields_.resize(spans_.size());
  for (size_t i = 0; i < spans_.size(); ++i) {
    fields_[i] = std::string_view(base + spans_[i].begin, spans_[i].end - spans_[i].begin);
  }
  record.fields = std::span<const std::string_view>(fields_.data(), spans_.size());
  record.ascii = false;
  record.line = record_line_;
  record.start_offset = buffer_file_offset_ + record_start_;
  record.end_offset = end_offset;
  record_start_ = scan_;
  views_outstanding_ = true;
  event = Event::kRecord;
  return true;
}

void CsvTokenizer::ContinueSlowly(size_t field_start, const std::string_view* fields,
                                  size_t count) {
  const char* base = buffer_ + record_start_;
  spans_.clear();
  for (size_t i = 0; i < count; ++i) {
    const size_t begin = static_cast<size_t>(fields[i].data() - base);
    spans_.push_back(FieldSpan{begin, begin + fields[i].size()});
  }
  scan_ = field_start;
  state_ = State::kStartField;
  record_rewritten_ = false;
}

size_t CsvTokenizer::NextRecords(CsvRecord* out, size_t max_records) {
  if (state_ != State::kStartRecord || pending_error_ || finished_ || !bom_checked_ ||
      max_records == 0 || classify_ == nullptr || fast_skip_ > 0) {
    return 0;
  }
  char* const buffer = buffer_;
  const size_t data_end = data_end_;
  const uint64_t file_offset = buffer_file_offset_;
  const size_t max_fields = options_.max_fields;
  const size_t max_record_bytes = options_.max_record_bytes;
  const ClassifyFunction classify = classify_;
  size_t pos = scan_;
  uint64_t line = line_;
  if (pos == data_end) {
    record_start_ = pos;
    return 0;
  }

  // The classified block, in locals (stored back on return).
  size_t block = block_pos_;
  size_t block_end = block_end_;
  uint64_t commas = block_commas_;
  uint64_t stops = block_stops_;
  uint64_t high = block_high_;
  auto load = [&](size_t at) {
    // at < data_end <= capacity_, and the buffer has kPadding (64) readable bytes past
    // capacity_, so the 64-byte read stays inside the allocation; bits of bytes past data_end
    // are cleared.
    uint64_t masks[3];
    classify(buffer + at, masks);
    commas = masks[0];
    stops = masks[1];
    high = masks[2];
    const size_t valid = std::min<size_t>(64, data_end - at);
    if (valid < 64) {
      const uint64_t keep = (uint64_t{1} << valid) - 1;
      commas &= keep;
      stops &= keep;
      high &= keep;
    }
    block = at;
    block_end = at + valid;
  };
  // A block is kept across calls; it is stale if the data moved (Refill() resets block_end_)
  // or if it starts after pos (a call that gave a record back).
  if (pos >= block_end || pos < block) load(pos);

  // Hot state as pointers: fields are views [field_start, at) of the buffer.
  const char* block_ptr = buffer + block;
  std::string_view* field_out = fields_.data();  // Next free entry of fields_.
  std::string_view* record_fields = field_out;   // First field of the record in progress.
  std::string_view* field_room = fields_.data() + fields_.size();
  CsvRecord* next_record = out;
  CsvRecord* const out_end = out + max_records;
  // File offset of a buffer byte = its address + offset_base (mod 2^64).
  const uint64_t offset_base = file_offset - reinterpret_cast<uintptr_t>(buffer);
  // The record in progress.
  const char* record_begin = buffer + pos;
  const char* field_start = record_begin;
  uint64_t record_line = line;
  // Whether a block the record in progress touched before the current one has a byte >= 0x80.
  // (Records are marked ASCII by block: a record in a block with any such byte is checked by
  // the consumer. Exact for ASCII files and cheap: no per-record bit arithmetic.)
  bool record_non_ascii = false;
  // Hands the record in progress to the state machine, which goes on at `resume` with the
  // fields [record_fields, end_field) already split.
  auto hand_over = [&](const char* resume, std::string_view* end_field) {
    if (static_cast<size_t>(end_field - record_fields) > max_fields) {
      // Already too many fields: the state machine redoes the record and reports it.
      resume = record_begin;
      end_field = record_fields;
    }
    record_start_ = static_cast<size_t>(record_begin - buffer);
    record_line_ = record_line;
    ContinueSlowly(static_cast<size_t>(resume - buffer), record_fields,
                   static_cast<size_t>(end_field - record_fields));
  };

  // Per block: the stop bytes in order; the commas below a stop end fields of the record it
  // ends. `\n` or `\r` ends the record (or is a blank line when the record has no byte yet);
  // `"` hands over. Commas after the block's last stop continue into the next block.
  const uint64_t live = ~uint64_t{0} << (pos - block);  // Drops bytes before pos.
  uint64_t comma_bits = commas & live;
  uint64_t stop_bits = stops & live;
  for (;;) {
    // Room for the up to 64 fields this block can end, so the loops need no check.
    if (field_room - field_out < 65) {
      if (next_record != out) {
        // Growing would move the fields of the records already returned: give this record
        // back (a later call redoes it).
        pos = static_cast<size_t>(record_begin - buffer);
        line = record_line;
        break;
      }
      const size_t used = static_cast<size_t>(field_out - fields_.data());
      const size_t first = static_cast<size_t>(record_fields - fields_.data());
      fields_.resize(std::max({2 * fields_.size(), used + 65, size_t{1024}}));
      field_out = fields_.data() + used;
      record_fields = fields_.data() + first;
      field_room = fields_.data() + fields_.size();
    }
    // Whether a record ending in this block may break a limit (never, with the defaults,
    // unless a record is about as long as max_record_bytes).
    const bool check_limits =
        static_cast<size_t>(field_out - record_fields) + 64 > max_fields ||
        static_cast<size_t>(block_ptr + 64 - record_begin) > max_record_bytes;
    while (stop_bits != 0) {
      const unsigned bit = static_cast<unsigned>(__builtin_ctzll(stop_bits));
      const uint64_t below = (stop_bits - 1) & ~stop_bits;  // Bits below this stop.
      stop_bits &= stop_bits - 1;
      uint64_t ends = comma_bits & below;
      comma_bits ^= ends;
      while (ends != 0) {
        const char* const at = block_ptr + static_cast<unsigned>(__builtin_ctzll(ends));
        ends &= ends - 1;
        *field_out++ = std::string_view(field_start, static_cast<size_t>(at - field_start));
        field_start = at + 1;
      }
      const char* const at = block_ptr + bit;
      const char stop = *at;
      if (stop == '"') {
        // A quoted field, or a literal quote: the state machine takes this field on. When
        // quotes keep coming at once, the fast path backs off for more and more records
        // (exponentially), so files full of quotes do not pay for it.
        fast_backoff_ = next_record != out ? 1 : std::min<uint32_t>(2 * fast_backoff_ + 1, 1024);
        fast_skip_ = fast_backoff_;
        hand_over(field_start, field_out);
        goto done;
      }
      if (at == record_begin) {
        // A terminator where a record would start: a blank line, which the csv crate skips.
        line += EndsLine(at);
        record_begin = field_start = at + 1;
        record_line = line;
        continue;
      }
      *field_out++ = std::string_view(field_start, static_cast<size_t>(at - field_start));
      if (check_limits &&
          (static_cast<size_t>(field_out - record_fields) > max_fields ||
           static_cast<size_t>(at - record_begin) > max_record_bytes)) {
        // Too many fields or too long: the state machine redoes the record and reports it.
        hand_over(record_begin, record_fields);
        goto done;
      }
      line += EndsLine(at);
      CsvRecord& record = *next_record++;
      record.fields = std::span<const std::string_view>(
          record_fields, static_cast<size_t>(field_out - record_fields));
      record.line = record_line;
      record.start_offset = offset_base + reinterpret_cast<uintptr_t>(record_begin);
      record.end_offset = offset_base + reinterpret_cast<uintptr_t>(at) + 1;
      record.ascii = !record_non_ascii && high == 0;
      record_begin = field_start = at + 1;
      record_line = line;
      record_fields = field_out;
      record_non_ascii = false;
      if (next_record == out_end) {
        pos = static_cast<size_t>(record_begin - buffer);
        goto between_records;
      }
    }
    // No stop left in the block: its commas end fields of the record in progress.
    while (comma_bits != 0) {
      const char* const at = block_ptr + static_cast<unsigned>(__builtin_ctzll(comma_bits));
      comma_bits &= comma_bits - 1;
      *field_out++ = std::string_view(field_start, static_cast<size_t>(at - field_start));
      field_start = at + 1;
    }
    if (static_cast<size_t>(field_out - record_fields) > max_fields) {
      hand_over(record_begin, record_fields);
      goto done;
    }
    if (block_end == data_end) {
      pos = static_cast<size_t>(record_begin - buffer);
      if (pos == data_end) break;
      // The record goes on past the data read so far: the state machine reads more.
      hand_over(field_start, field_out);
      goto done;
    }
    record_non_ascii |= high != 0;
    load(block_end);
    block_ptr = buffer + block;
    comma_bits = commas;
    stop_bits = stops;
  }
between_records:
  // The state machine is between records (its kStartRecord skips what blank lines remain).
  scan_ = record_start_ = pos;
  if (next_record != out) fast_backoff_ = 0;
done:
  line_ = line;
  block_pos_ = block;
  block_end_ = block_end;
  block_commas_ = commas;
  block_stops_ = stops;
  block_high_ = high;
  if (next_record != out) views_outstanding_ = true;
  return static_cast<size_t>(next_record - out);
}

CsvTokenizer::Event CsvTokenizer::Next(CsvRecord& record) {
  Event event = Event::kEnd;
  for (;;) {
    if (pending_error_) {
      pending_error_ = false;
      return Event::kSyntaxError;
    }
    if (finished_) return io_status_.ok() ? Event::kEnd : Event::kIoError;

    if (!bom_checked_ && (data_end_ - scan_ >= 3 || eof_)) {
      if (data_end_ - scan_ >= 3 && std::memcmp(buffer_ + scan_, kUtf8Bom, 3) == 0) {
        scan_ += 3;
      }
      record_start_ = scan_;
      bom_checked_ = true;
    }
    if (scan_ == data_end_ || !bom_checked_) {
      if (!eof_) {
        switch (Refill()) {
          case RefillResult::kRead:
          case RefillResult::kEof:
          case RefillResult::kTooLong:  // Reported by the pending_error_ check above.
            continue;
          case RefillResult::kMustAnnounce:
            return Event::kWillReuseBuffer;
          case RefillResult::kIoError:
            finished_ = true;
            return Event::kIoError;
          case RefillResult::kNoData:
            // Fewer than 3 bytes that cannot begin a BOM need not wait for more to decide.
            if (!bom_checked_ && std::memcmp(buffer_ + scan_, kUtf8Bom, data_end_ - scan_) != 0) {
              record_start_ = scan_;
              bom_checked_ = true;
              if (scan_ < data_end_) continue;
            }
            return Event::kNoData;
        }
      }
      // End of input: close the record in progress.
      switch (state_) {
        case State::kStartRecord:
          finished_ = true;
          return Event::kEnd;
        case State::kInQuoted: {
          if (skipping_) {
            state_ = State::kStartRecord;
            skipping_ = false;
            continue;
          }
          // The record's text (for dead letters) is taken while its fields are still known.
          std::string text = RecordText(kMaxSyntaxErrorRecordBytes);
          state_ = State::kStartRecord;
          SetSyntaxError(record_line_,
                         "unterminated quoted field: the closing '\"' is missing before the end "
                         "of the file",
                         "");
          syntax_error_.record = std::move(text);
          continue;
        }
        case State::kStartField:
          field_start_ = segment_start_ = write_end_ = scan_;
          break;
        case State::kAfterQuote:
          segment_start_ = scan_;
          break;
        case State::kInField:
          break;
      }
      FinishField(scan_);
      if (FinishRecord(scan_, /*at_eof=*/true, record, event)) {
        if (pending_error_) continue;  // Too many fields: report, not the record.
        return event;
      }
      continue;
    }

    char* buffer = buffer_;
    switch (state_) {
      case State::kStartRecord: {
        if (fast_skip_ > 0) {
          --fast_skip_;  // Backing off after quotes (see NextRecords).
        } else if (classify_ != nullptr) {
          // The fast path splits the record, or sets the state machine up to go on.
          if (NextRecords(&record, 1) == 1) return Event::kRecord;
          continue;
        }
        // Terminators between records are blank lines, which the csv crate skips.
        while (scan_ < data_end_) {
          const char c = buffer[scan_];
          if (c != '\n' && c != '\r') break;
          if (EndsLine(buffer + scan_)) ++line_;
          ++scan_;
        }
        record_start_ = scan_;
        if (scan_ == data_end_) continue;
        record_line_ = line_;
        spans_.clear();
        record_rewritten_ = false;
        state_ = State::kStartField;
        continue;
      }
      case State::kStartField: {
        if (buffer[scan_] == '"') {
          ++scan_;
          state_ = State::kInQuoted;
        } else {
          state_ = State::kInField;
        }
        field_start_ = segment_start_ = write_end_ = scan_;
        continue;
      }
      case State::kInField: {
        const size_t hit = FindUnquotedFieldEnd(buffer, scan_, data_end_);
        if (hit == data_end_) {
          scan_ = hit;
          continue;
        }
        FinishField(hit);
        if (buffer[hit] == ',') {
          scan_ = hit + 1;
          state_ = State::kStartField;
          continue;
        }
        if (FinishRecord(hit, /*at_eof=*/false, record, event) && !pending_error_) return event;
        continue;
      }
      case State::kInQuoted: {
        const void* quote = std::memchr(buffer + scan_, '"', data_end_ - scan_);
        const size_t stop =
            quote == nullptr ? data_end_ : static_cast<size_t>(static_cast<const char*>(quote) -
                                                               buffer);
        line_ += CountLineEnds(buffer + scan_, stop - scan_);
        if (quote == nullptr) {
          scan_ = data_end_;
          continue;
        }
        if (!skipping_) {
          const size_t length = stop - segment_start_;
          if (write_end_ != segment_start_) record_rewritten_ = true;
          if (write_end_ != segment_start_ && length > 0) {
            std::memmove(buffer + write_end_, buffer + segment_start_, length);
          }
          write_end_ += length;
        }
        scan_ = stop + 1;
        state_ = State::kAfterQuote;
        continue;
      }
      case State::kAfterQuote: {
        const char c = buffer[scan_];
        segment_start_ = scan_;
        if (c == '"') {
          // `""`: the second quote is content; the raw segment starts at it.
          ++scan_;
          state_ = State::kInQuoted;
        } else if (c == ',') {
          FinishField(scan_);
          ++scan_;
          state_ = State::kStartField;
        } else if (c == '\r' || c == '\n') {
          FinishField(scan_);
          if (FinishRecord(scan_, /*at_eof=*/false, record, event) && !pending_error_) {
            return event;
          }
        } else {
          // Text after the closing quote continues the field unquoted (`"ab"c` is `abc`).
          state_ = State::kInField;
        }
        continue;
      }
    }
  }
}

CsvReadFunction MakeFdReadFunction(int fd, std::string path_for_errors) {
  return [fd, path = std::move(path_for_errors)](char* dest, size_t size) -> Result<size_t> {
    for (;;) {
      const ssize_t n = ::read(fd, dest, size);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno == EINTR) continue;
      return Status::IoError("cannot read {}: {}", path, std::strerror(errno));
    }
  };
}

}  // namespace vigil
