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

/// Bitmasks of 64 bytes at `p` (bit i is p[i]): `,`; stop bytes `\r`, `\n`, `"`; bytes
/// >= 0x80. Reads exactly 64 bytes.
inline void ClassifyBlock(const char* p, uint64_t& commas, uint64_t& stops, uint64_t& high) {
#if defined(__SSE2__)
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
  commas = c;
  stops = s;
  high = h;
#else
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
  commas = c;
  stops = s;
  high = h;
#endif
}

inline uint64_t CountNewlines(const char* data, size_t size) {
  uint64_t count = 0;
  const char* end = data + size;
  while (data < end) {
    const void* hit = std::memchr(data, '\n', static_cast<size_t>(end - data));
    if (hit == nullptr) break;
    ++count;
    data = static_cast<const char*>(hit) + 1;
  }
  return count;
}

}  // namespace

CsvTokenizer::CsvTokenizer(CsvReadFunction read, CsvTokenizerOptions options)
    : read_(std::move(read)), options_(options) {
  options_.chunk_bytes = std::max<size_t>(options_.chunk_bytes, 1);
  options_.max_fields = std::max<size_t>(options_.max_fields, 1);
  capacity_ = std::max<size_t>(2 * options_.chunk_bytes, 16);
  fields_.resize(std::min<size_t>(16, options_.max_fields));
  // Zeroed, so SIMD loads into the padding never see uninitialized memory.
  buffer_ = std::make_unique<char[]>(capacity_ + kPadding);
}

void CsvTokenizer::SetSyntaxError(uint64_t line, std::string message) {
  syntax_error_.line = line;
  syntax_error_.message = std::move(message);
  pending_error_ = true;
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
                   fmt::format("record longer than {} bytes (max_record_bytes); skipped up to its "
                               "end",
                               options_.max_record_bytes));
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
    if (keep + chunk > capacity_) {
      // Doubling keeps the total copying linear in the record size; the record limit caps it.
      const size_t limit = options_.max_record_bytes > SIZE_MAX / 2
                               ? SIZE_MAX / 2
                               : options_.max_record_bytes + 2 * chunk;
      size_t new_capacity = std::max(capacity_ * 2, keep + chunk);
      new_capacity = std::max(std::min(new_capacity, limit), keep + chunk);
      auto new_buffer = std::make_unique<char[]>(new_capacity + kPadding);
      if (keep > 0) std::memcpy(new_buffer.get(), buffer_.get() + keep_from, keep);
      buffer_ = std::move(new_buffer);
      capacity_ = new_capacity;
    } else if (keep > 0 && keep_from > 0) {
      std::memmove(buffer_.get(), buffer_.get() + keep_from, keep);
    }
    Rebase(keep_from);
  }
  // The data moves or grows: the fast path's block must be classified again.
  block_end_ = 0;
  const size_t want = std::min(chunk, capacity_ - data_end_);
  Result<size_t> got = read_(buffer_.get() + data_end_, want);
  if (!got.ok()) {
    io_status_ = got.status();
    return RefillResult::kIoError;
  }
  if (*got == 0) {
    eof_ = true;
    return RefillResult::kEof;
  }
  data_end_ += std::min(*got, want);
  return RefillResult::kRead;
}

inline void CsvTokenizer::FinishField(size_t raw_end) {
  if (skipping_) return;
  char* buffer = buffer_.get();
  const size_t length = raw_end - segment_start_;
  if (write_end_ != segment_start_ && length > 0) {
    std::memmove(buffer + write_end_, buffer + segment_start_, length);
  }
  const size_t end = write_end_ + length;
  if (spans_.size() == options_.max_fields) {
    skipping_ = true;
    SetSyntaxError(record_line_, fmt::format("record has more than {} fields (max_fields); "
                                             "skipped",
                                             options_.max_fields));
    return;
  }
  spans_.push_back(FieldSpan{field_start_ - record_start_, end - record_start_});
}

inline bool CsvTokenizer::FinishRecord(size_t terminator, bool at_eof, CsvRecord& record,
                                Event& event) {
  const uint64_t end_offset = buffer_file_offset_ + terminator + (at_eof ? 0 : 1);
  if (!at_eof) {
    if (buffer_[terminator] == '\n') ++line_;
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
                   fmt::format("record longer than {} bytes (max_record_bytes); skipped",
                               options_.max_record_bytes));
    pending_error_ = false;
    record_start_ = scan_;
    event = Event::kSyntaxError;
    return true;
  }
  const char* base = buffer_.get() + record_start_;
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

void CsvTokenizer::LoadBlock(size_t pos) {
  // pos < data_end_ <= capacity_, and the buffer has kPadding (64) readable bytes past
  // capacity_, so the 64-byte load stays inside the allocation.
  uint64_t commas;
  uint64_t stops;
  uint64_t high;
  ClassifyBlock(buffer_.get() + pos, commas, stops, high);
  const size_t valid = std::min<size_t>(64, data_end_ - pos);
  const uint64_t keep = valid == 64 ? ~uint64_t{0} : (uint64_t{1} << valid) - 1;
  block_pos_ = pos;
  block_end_ = pos + valid;
  block_commas_ = commas & keep;
  block_stops_ = stops & keep;
  block_high_ = high & keep;
}

void CsvTokenizer::ContinueSlowly(size_t field_start, const std::string_view* fields,
                                  size_t count) {
  const char* base = buffer_.get() + record_start_;
  spans_.clear();
  for (size_t i = 0; i < count; ++i) {
    const size_t begin = static_cast<size_t>(fields[i].data() - base);
    spans_.push_back(FieldSpan{begin, begin + fields[i].size()});
  }
  scan_ = field_start;
  state_ = State::kStartField;
}

bool CsvTokenizer::FastRecord(CsvRecord& record) {
  char* const buffer = buffer_.get();
  const size_t data_end = data_end_;
  size_t pos = scan_;
  // Terminators between records are blank lines, which the csv crate skips.
  for (;;) {
    if (pos == data_end) {
      scan_ = record_start_ = pos;
      return false;
    }
    const char c = buffer[pos];
    if (c == '\n') {
      ++line_;
    } else if (c != '\r') {
      break;
    }
    ++pos;
  }
  scan_ = record_start_ = pos;
  record_line_ = line_;

  if (pos >= block_end_) LoadBlock(pos);  // block_pos_ <= pos otherwise (scan_ only grows).
  size_t block = block_pos_;
  uint64_t commas = block_commas_;
  uint64_t stops = block_stops_;
  uint64_t high = block_high_;
  // Bits of bytes before the record (earlier records, skipped terminators) are dropped.
  uint64_t live = ~uint64_t{0} << (pos - block);
  commas &= live;
  stops &= live;
  uint64_t non_ascii = 0;

  std::string_view* fields = fields_.data();
  size_t limit = std::min(fields_.size(), options_.max_fields);
  size_t count = 0;
  size_t field_start = pos;
  // Called when fields[count] does not exist yet: grows the storage, or returns false when
  // the record has more than max_fields fields (the state machine then redoes and reports it).
  auto make_room = [&]() -> bool {
    if (limit == options_.max_fields) return false;
    fields_.resize(std::min(std::max<size_t>(2 * fields_.size(), 16), options_.max_fields));
    fields = fields_.data();
    limit = std::min(fields_.size(), options_.max_fields);
    return true;
  };
  for (;;) {
    // Bits below the first stop byte of the block (all of them when there is none).
    const uint64_t before_stop = (stops - 1) & ~stops;
    uint64_t ends = commas & before_stop;
    while (ends != 0) {
      const size_t at = block + static_cast<size_t>(__builtin_ctzll(ends));
      if (count == limit && !make_room()) {
        ContinueSlowly(pos, fields, 0);
        return false;
      }
      fields[count++] = std::string_view(buffer + field_start, at - field_start);
      field_start = at + 1;
      ends &= ends - 1;
    }
    if (stops != 0) {
      const size_t at = block + static_cast<size_t>(__builtin_ctzll(stops));
      const char stop = buffer[at];
      if (stop == '"') {
        // A quoted field, or a literal quote: the state machine takes over at this field.
        ContinueSlowly(field_start, fields, count);
        return false;
      }
      if ((count == limit && !make_room()) || at - pos > options_.max_record_bytes) {
        // Too many fields or too long: the state machine redoes the record and reports it.
        ContinueSlowly(pos, fields, 0);
        return false;
      }
      fields[count++] = std::string_view(buffer + field_start, at - field_start);
      non_ascii |= high & live & before_stop;
      if (stop == '\n') ++line_;
      record.fields = std::span<const std::string_view>(fields, count);
      record.ascii = non_ascii == 0;
      record.line = record_line_;
      record.start_offset = buffer_file_offset_ + pos;
      record.end_offset = buffer_file_offset_ + at + 1;
      scan_ = record_start_ = at + 1;
      views_outstanding_ = true;
      return true;
    }
    non_ascii |= high & live;
    if (block_end_ == data_end) {
      // The record goes on past the data read so far: the state machine reads more.
      ContinueSlowly(field_start, fields, count);
      return false;
    }
    LoadBlock(block_end_);
    block = block_pos_;
    commas = block_commas_;
    stops = block_stops_;
    high = block_high_;
    live = ~uint64_t{0};
  }
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
      if (data_end_ - scan_ >= 3 && std::memcmp(buffer_.get() + scan_, kUtf8Bom, 3) == 0) {
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
        }
      }
      // End of input: close the record in progress.
      switch (state_) {
        case State::kStartRecord:
          finished_ = true;
          return Event::kEnd;
        case State::kInQuoted:
          state_ = State::kStartRecord;
          if (skipping_) {
            skipping_ = false;
            continue;
          }
          SetSyntaxError(record_line_,
                         "unterminated quoted field: the closing '\"' is missing before the end "
                         "of the file");
          continue;
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

    char* buffer = buffer_.get();
    switch (state_) {
      case State::kStartRecord: {
        if (FastRecord(record)) return Event::kRecord;
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
        line_ += CountNewlines(buffer + scan_, stop - scan_);
        if (quote == nullptr) {
          scan_ = data_end_;
          continue;
        }
        if (!skipping_) {
          const size_t length = stop - segment_start_;
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
