#pragma once

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "vigil/common/status.h"

namespace vigil::syslog {

/// Whether `first_bytes` start with gzip's magic number (1f 8b). Rotated logs are recognised
/// by content, not by name: `auth.log.2.gz` renamed, or a `.gz` name on plain text, happen.
bool HasGzipMagic(std::string_view first_bytes);

/// Whether the file at `path` starts with gzip's magic number (IoError if it cannot be read;
/// a file shorter than two bytes is not gzip).
Result<bool> IsGzipFile(const std::string& path);

/// Reads a gzip file as a stream of decompressed bytes (zlib's inflate, windowBits 15+32 so
/// it checks gzip headers and trailers). Concatenated members, which gzip allows (`cat a.gz
/// b.gz`, logrotate's `delaycompress` appends), are read one after the other; zero bytes
/// after the last member (padding) are ignored. Corrupt and truncated files give ParseError
/// naming the file and the compressed byte offset. Memory is fixed (two 64 KiB buffers and
/// zlib's 32 KiB window) whatever the file.
///
/// Lifecycle: Open, Read until it returns 0 (end) or an error, destroy. One thread.
class GzipReader {
 public:
  /// Opens `path`; IoError if it cannot be opened, ParseError if it is not gzip.
  static Result<std::unique_ptr<GzipReader>> Open(const std::string& path);
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  /// Decompresses up to `size` bytes into `buffer`: how many were written, 0 only at the end
  /// of the file (after a complete last member). After an error, every call repeats it.
  Result<size_t> Read(char* buffer, size_t size);

  /// Compressed bytes consumed so far (the offset errors name).
  uint64_t compressed_offset() const { return file_offset_ - stream_.avail_in; }
  const std::string& path() const { return path_; }

 private:
  GzipReader(std::string path, int fd);
  /// Refills the input buffer; false at the end of the file.
  Result<bool> FillInput();
  Status Fail(Status status);

  static constexpr size_t kInputBytes = size_t{64} << 10;

  std::string path_;
  int fd_ = -1;
  z_stream stream_{};
  bool stream_initialized_ = false;
  std::unique_ptr<unsigned char[]> input_;
  uint64_t file_offset_ = 0;  ///< Bytes read from the file so far.
  bool input_at_eof_ = false;
  bool member_done_ = false;  ///< The last member ended; next input must be a new member.
  bool finished_ = false;
  Status error_;
};

}  // namespace vigil::syslog
