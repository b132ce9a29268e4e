#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace vigil {

/// One line of a file, as LineSplitter hands it out.
struct Line {
  /// The bytes before the terminator (`\n`, or `\r\n`: the `\r` is removed too). Empty for a
  /// line that is too long. Valid until the splitter's next Append/AppendSpace/Reset.
  std::string_view text;
  uint64_t number = 0;      ///< 1-based line number in the file.
  uint64_t end_offset = 0;  ///< File offset just past the terminator (Pathway's row offset).
  bool terminated = true;   ///< False for a last line without `\n` (given by Finish()).
  /// The line had more than max_line_bytes bytes before its `\n`: its text was dropped
  /// unread (`length` tells how long it was).
  bool too_long = false;
  uint64_t length = 0;  ///< Bytes before the `\n` (a `\r` included).
};

/// Splits bytes pushed as they arrive into lines, the way Pathway's file reader does
/// (`read_until(b'\n')`): a line ends at `\n`; a `\r` just before it is not part of the text; a
/// lone `\r` is an ordinary byte, and so is NUL. A line may arrive in any number of pieces (a
/// live file written line by line); the unfinished part stays buffered until its `\n` comes,
/// or until Finish() declares the input complete.
///
/// Memory is bounded whatever the input: a line longer than `max_line_bytes` is never
/// buffered whole. Once its unfinished part exceeds the limit, its bytes are dropped as they
/// come and the line is reported (too_long) when its `\n` arrives.
///
/// Every byte after a line's text is readable up to kReadablePadding bytes past it (the
/// buffer keeps that much slack after its data), so SIMD parsers may read past the end of a
/// line without copying it.
///
/// Usage: Append(bytes) (or AppendSpace + CommitAppend to read straight into the buffer),
/// then Next() until it returns false; at the true end of the input Finish(), then Next()
/// once more. One owner thread; not copyable.
class LineSplitter {
 public:
  static constexpr size_t kDefaultMaxLineBytes = size_t{64} << 20;
  /// Readable bytes guaranteed after the end of any line's text (>= simdjson's padding).
  static constexpr size_t kReadablePadding = 64;

  explicit LineSplitter(size_t max_line_bytes = kDefaultMaxLineBytes);
  LineSplitter(const LineSplitter&) = delete;
  LineSplitter& operator=(const LineSplitter&) = delete;

  /// Starts a new input: line numbers and offsets restart at 1 and 0; buffered bytes are
  /// dropped (and an oversized buffer is released).
  void Reset();

  /// Whether appending `size` bytes keeps the texts of lines handed out so far in place.
  /// When false, the next Append/AppendSpace moves the buffer, and a caller that still holds
  /// views into line texts must copy them first.
  bool AppendKeepsLines(size_t size) const { return capacity_ - end_ >= size + kReadablePadding; }
  /// Copies `data` to the end of the buffer.
  void Append(std::string_view data);
  /// Room for at least `size` more bytes at the end of the buffer (the caller writes there,
  /// then calls CommitAppend with how many it wrote). May move the buffer like Append.
  std::span<char> AppendSpace(size_t size);
  void CommitAppend(size_t size);

  /// The next complete line, if one is buffered. Lines come in file order.
  bool Next(Line& line);
  /// Declares the end of the input: a last line without `\n` becomes available to Next().
  /// Appending after Finish() is a programming error (Reset() first).
  void Finish();

  /// Bytes appended since Reset().
  uint64_t bytes_appended() const { return base_offset_ + end_; }
  /// Bytes of the unfinished line held (0 while skipping a too-long line).
  size_t buffered_bytes() const { return end_ - begin_; }
  /// The unfinished line (the bytes after the last `\n`) before Finish(): what is held
  /// (empty while skipping a too-long line), its whole length so far, and its number.
  std::string_view unfinished_text() const {
    return skipping_ ? std::string_view() : std::string_view(buffer_.get() + begin_, end_ - begin_);
  }
  uint64_t unfinished_length() const { return skipped_bytes_ + (end_ - begin_); }
  uint64_t next_line_number() const { return next_number_; }
  size_t max_line_bytes() const { return max_line_bytes_; }
  /// Current buffer size in bytes (tests check that memory stays bounded).
  size_t capacity() const { return capacity_; }
  /// The whole buffer: line texts handed out point into it (see AppendKeepsLines).
  const char* buffer_begin() const { return buffer_.get(); }
  const char* buffer_end() const { return buffer_.get() + capacity_; }

 private:
  /// Makes room for `size` more bytes after end_ (plus the padding), moving the unconsumed
  /// bytes to the front of the buffer or into a larger one.
  void Reserve(size_t size);

  size_t max_line_bytes_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  // Data is buffer_[begin_, end_); begin_ is the start of the next line, scan_ where the
  // search for its `\n` resumes. base_offset_ is the file offset of buffer_[0].
  size_t begin_ = 0;
  size_t scan_ = 0;
  size_t end_ = 0;
  uint64_t base_offset_ = 0;
  uint64_t next_number_ = 1;
  bool finished_ = false;
  bool skipping_ = false;       ///< Dropping the bytes of a too-long line until its `\n`.
  uint64_t skipped_bytes_ = 0;  ///< Bytes of that line dropped so far.
};

}  // namespace vigil
