#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/common/status.h"

namespace vigil {

/// Reads up to `size` bytes of input into `dest`; returns how many were read, 0 at the end,
/// or kCsvNoDataYet when a live input has nothing more for now (the tokenizer then returns
/// Event::kNoData and asks again on the next call). The tokenizer calls it once per chunk
/// (not per byte), so a std::function costs nothing.
using CsvReadFunction = std::function<Result<size_t>(char* dest, size_t size)>;
/// See CsvReadFunction: "no bytes yet, but not the end".
inline constexpr size_t kCsvNoDataYet = static_cast<size_t>(-1);

/// Byte classifiers of the tokenizer's fast path, fastest first. kBest picks the fastest the
/// CPU runs (AVX2 on x86-64 when available); the others exist for tests and comparisons (a
/// level the build or CPU lacks falls back to the next one). kOff turns the fast path off:
/// every byte goes through the state machine.
enum class CsvSimd : uint8_t { kBest, kSse2, kScalar, kOff };

/// Limits of one tokenizer. Defaults suit files of any size: memory stays below about
/// 2 * chunk_bytes + max_record_bytes whatever the input.
struct CsvTokenizerOptions {
  /// Bytes asked for per read; records may span any number of chunks.
  size_t chunk_bytes = size_t{1} << 20;
  /// A record with more raw bytes than this is reported and skipped, never buffered whole.
  size_t max_record_bytes = size_t{64} << 20;
  /// A record with more fields than this is reported and skipped (bounds the field index).
  size_t max_fields = size_t{1} << 20;
  CsvSimd simd = CsvSimd::kBest;
};

/// Bytes before and after every field of a CsvRecord that may be read (their values are
/// unspecified): the tokenizer's buffer is padded, so readers may use wide loads (see
/// ParseInt64Padded).
inline constexpr size_t kFieldPadding = 16;

/// One record. The span itself is valid until the next Next() call; the string_views in it
/// point into the tokenizer's buffer and stay valid across later Next() calls until Next()
/// returns kWillReuseBuffer (the call after that invalidates them).
struct CsvRecord {
  std::span<const std::string_view> fields;
  uint64_t line = 0;          ///< 1-based line on which the record starts.
  uint64_t start_offset = 0;  ///< File offset of the record's first byte.
  /// File offset just past the record's terminator byte (`\n`, or `\r` of a CRLF pair), or
  /// the file size for a final record without terminator. Pathway hashes this offset (with
  /// the file path) into the ids of rows without a primary key, so it must match the Rust
  /// `csv` crate's position exactly.
  uint64_t end_offset = 0;
  /// Every byte of the record is known to be ASCII (< 0x80), so its fields are valid UTF-8
  /// without checking. False means "not known" (records the fast path did not scan).
  bool ascii = false;
};

/// A malformed record (unterminated quote, too long, too many fields): the record is skipped.
struct CsvSyntaxError {
  uint64_t line = 0;  ///< 1-based line on which the bad record starts.
  /// What is wrong and what the tokenizer did (the record is skipped).
  std::string message;
  /// What is wrong, without the consequence (for a header, which is not skipped: the file
  /// cannot be read without it).
  std::string problem;
  /// The record's text as far as it was read (at most kMaxSyntaxErrorRecordBytes), for
  /// dead-letter files; empty for records too long or with too many fields, which are never
  /// buffered whole.
  std::string record;
};

/// Bytes of a malformed record kept in CsvSyntaxError::record.
inline constexpr size_t kMaxSyntaxErrorRecordBytes = size_t{1} << 20;

/// The record a live tokenizer holds unfinished (see CsvTokenizer::Unfinished).
struct CsvUnfinishedRecord {
  uint64_t line = 0;   ///< 1-based line on which it starts.
  uint64_t bytes = 0;  ///< Raw bytes held (0: nothing is held).
  /// Its text: the raw bytes, or, when quoted fields were already unescaped in place, the
  /// same record re-encoded (fields quoted, an unterminated last quote left open). Cut at the
  /// `max_bytes` given.
  std::string text;
};

/// Streaming RFC 4180 tokenizer with the Rust `csv` crate's behaviour (the reader Pathway
/// uses): `,` delimiter, `"` quotes with `""` escapes, `\r`, `\n` or `\r\n` terminators, blank
/// lines skipped, a UTF-8 BOM at the start ignored, rows of any length, a quote inside an
/// unquoted field taken literally, text after a closing quote appended to the field.
///
/// Input is pulled in chunks into one buffer; a record that spans chunks is kept contiguous by
/// moving its start to the front of the buffer before the next read, so fields are always
/// plain views (no per-field allocation). Quoted fields with `""` are unescaped in place (the
/// unescaped text is never longer than the raw text).
///
/// Records without quotes that lie whole in the buffer take a fast path: the buffer is
/// classified 64 bytes at a time into bitmasks of `,`, of stop bytes (`\r`, `\n`, `"`) and of
/// non-ASCII bytes, and a record is split by walking the bits. A record with a quote, one that
/// reaches the end of the buffered data, or any limit case continues in the byte-level state
/// machine from the start of the field at hand (fields already split are kept). The state
/// machine scans unquoted text with SIMD and quoted text with memchr and keeps its state across
/// reads, so a record spanning many chunks is scanned once (linear time even with 1-byte
/// reads).
class CsvTokenizer {
 public:
  enum class Event {
    kRecord,  ///< `record` holds the next record.
    /// The next call will move or free the buffer: views of earlier records become invalid.
    /// A caller that still holds such views copies them now, then calls Next() again.
    kWillReuseBuffer,
    kSyntaxError,  ///< A malformed record was skipped; see syntax_error(). Call Next() again.
    kIoError,      ///< Reading failed; see io_status(). The tokenizer is finished.
    /// Live input: every complete record so far was returned; the read function has no
    /// more bytes yet. A partial record stays buffered; call Next() again when more came.
    kNoData,
    kEnd,          ///< No more records.
  };

  CsvTokenizer(CsvReadFunction read, CsvTokenizerOptions options = {});
  CsvTokenizer(const CsvTokenizer&) = delete;
  CsvTokenizer& operator=(const CsvTokenizer&) = delete;

  /// Advances to the next event. `record` is filled only for kRecord.
  Event Next(CsvRecord& record);

  /// Fast path for readers: fills up to `max_records` records, all already in the buffer and
  /// without quotes, and returns how many (each is what Next() would have returned as
  /// kRecord). Returns fewer, or 0, whenever something else comes next (a quote, the end of
  /// the buffered data, an error, a limit, a buffer move to announce): call Next() then.
  /// Record spans are valid until the next call of Next() or NextRecords().
  size_t NextRecords(CsvRecord* out, size_t max_records);

  /// Live input, after Event::kNoData: the record held because no terminator ended it yet
  /// (bytes == 0 when none). A reader whose input generation ends without more bytes (the
  /// file truncated or replaced, the run stopped) reports it instead of counting it. Bytes
  /// of a record being skipped (too long, already reported) are not held and not returned.
  CsvUnfinishedRecord Unfinished(size_t max_bytes) const;

  const CsvSyntaxError& syntax_error() const { return syntax_error_; }
  const Status& io_status() const { return io_status_; }

  /// Classifies the 64 bytes at `p` into masks[0..2]: `,`; stop bytes (`\r`, `\n`, `"`);
  /// bytes >= 0x80 (bit i is p[i]). Picked per CPU (AVX2, SSE2 or scalar).
  using ClassifyFunction = void (*)(const char* p, uint64_t* masks);
  /// Whether `p` points into the buffer (so a view at `p` dies when the buffer is reused).
  bool BufferContains(const char* p) const {
    return p >= buffer_ - kPadding && p < buffer_ + capacity_ + kPadding;
  }
  /// The line the tokenizer has reached (1 + line ends consumed).
  uint64_t line() const { return line_; }
  /// Bytes read from the input so far.
  uint64_t bytes_read() const { return buffer_file_offset_ + data_end_; }

 private:
  enum class State : uint8_t {
    kStartRecord,  ///< Between records: skipping terminators of blank lines.
    kStartField,   ///< At the first byte of a field (a quote there opens a quoted field).
    kInField,      ///< Inside unquoted text.
    kInQuoted,     ///< Inside a quoted field, looking for the next quote.
    kAfterQuote,   ///< Just after a quote inside a quoted field (closing or first of `""`).
  };
  enum class RefillResult { kRead, kEof, kMustAnnounce, kTooLong, kIoError, kNoData };

  /// Bytes before and after the usable capacity that wide loads may touch (never data).
  static constexpr size_t kPadding = 64;
  static_assert(kPadding >= kFieldPadding);

  RefillResult Refill();
  /// Hands the record in progress (from record_start_) to the state machine, which goes on
  /// at `field_start` (a buffer index); fields[0, count) are the fields already split.
  void ContinueSlowly(size_t field_start, const std::string_view* fields, size_t count);
  /// Moves the kept bytes [keep_from, data_end_) to the front of the buffer (already copied
  /// there by the caller) and rebases every index.
  void Rebase(size_t keep_from);
  /// Ends the field whose last raw segment ends at buffer index `raw_end`. On too many fields,
  /// sets pending_error_ and starts skipping the record.
  void FinishField(size_t raw_end);
  /// Ends the record whose terminator is at `terminator` (== data_end_ at end of input).
  /// Returns true with `event` set when the caller has something to report.
  bool FinishRecord(size_t terminator, bool at_eof, CsvRecord& record, Event& event);
  /// `problem` is what is wrong; `consequence` what happens to the record.
  void SetSyntaxError(uint64_t line, std::string problem, std::string_view consequence);
  /// The text of the record in progress (see CsvUnfinishedRecord::text).
  std::string RecordText(size_t max_bytes) const;

  CsvReadFunction read_;
  CsvTokenizerOptions options_;

  /// kPadding zero bytes, the buffer (capacity_ bytes), kPadding zero bytes: loads may run
  /// up to kPadding bytes before or after any byte of the data.
  std::unique_ptr<char[]> storage_;
  char* buffer_ = nullptr;  ///< storage_ + kPadding.
  size_t capacity_ = 0;              ///< Usable bytes (padding excluded).
  size_t data_end_ = 0;              ///< Valid input is [0, data_end_).
  size_t scan_ = 0;                  ///< Next byte the state machine looks at.
  size_t record_start_ = 0;          ///< First byte of the record in progress.
  uint64_t buffer_file_offset_ = 0;  ///< File offset of buffer_[0].
  bool eof_ = false;
  bool finished_ = false;
  bool bom_checked_ = false;
  /// A record was returned since the buffer last moved, so moving it needs an announcement.
  bool views_outstanding_ = false;
  /// The record in progress was already reported (too long, too many fields): its bytes are
  /// consumed without being stored until its end.
  bool skipping_ = false;
  /// syntax_error_ holds an error to report before anything else.
  bool pending_error_ = false;
  /// Unescaping moved bytes of the record in progress, so its raw bytes are no longer the
  /// input's (RecordText re-encodes it then).
  bool record_rewritten_ = false;

  State state_ = State::kStartRecord;
  // The field in progress, as buffer indices: its content starts at field_start_; content
  // already unescaped ends at write_end_; the raw segment not yet moved starts at
  // segment_start_ (write_end_ == segment_start_ until the first `""` or closing quote).
  size_t field_start_ = 0;
  size_t segment_start_ = 0;
  size_t write_end_ = 0;

  struct FieldSpan {
    size_t begin;  ///< Relative to record_start_, so moving the buffer needs no fix-up.
    size_t end;
  };
  std::vector<FieldSpan> spans_;
  /// Storage of the returned fields; only grows (its size is a capacity, the record's field
  /// count is in the returned span).
  std::vector<std::string_view> fields_;

  ClassifyFunction classify_ = nullptr;  ///< nullptr: no fast path (CsvSimd::kOff).
  /// Record starts left to the state machine before the fast path is tried again, and the
  /// current backoff (doubled by each quote met at once, reset by fast records).
  uint32_t fast_skip_ = 0;
  uint32_t fast_backoff_ = 0;
  // The fast path's classified block: bit i of each mask is the byte at block_pos_ + i, for
  // the bytes [block_pos_, block_end_) (bits at and past block_end_ are 0). Bytes at or after
  // scan_ never change while the buffer stays put (in-place unescaping writes only behind
  // scan_), so the block stays valid until Refill() moves or extends the data (block_end_ = 0)
  // or scan_ goes back before block_pos_ (NextRecords giving a record back).
  size_t block_pos_ = 0;
  size_t block_end_ = 0;  ///< 0: no block.
  uint64_t block_commas_ = 0;
  uint64_t block_stops_ = 0;  ///< `\r`, `\n` and `"`.
  uint64_t block_high_ = 0;   ///< Bytes >= 0x80.

  /// Line of the byte at scan_: 1 + line ends consumed, a line end being `\n`, `\r\n` or a
  /// lone `\r` (as the csv crate ends records). Whether a `\n` follows a `\r` is told by the
  /// byte before it, which is always readable: buffer_[-1] holds the byte before the buffer's
  /// first one (see Refill).
  uint64_t line_ = 1;
  uint64_t record_line_ = 1;
  CsvSyntaxError syntax_error_;
  Status io_status_;
};

/// A CsvReadFunction over a file descriptor (read(2), retried on EINTR). Does not own `fd`.
CsvReadFunction MakeFdReadFunction(int fd, std::string path_for_errors);

}  // namespace vigil
