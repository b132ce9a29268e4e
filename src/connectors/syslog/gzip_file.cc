#include "connectors/syslog/gzip_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

namespace vigil::syslog {

namespace {

/// zlib takes 32-bit sizes.
constexpr size_t kMaxReadBytes = size_t{1} << 30;
/// windowBits for inflateInit2: 15 (the largest window) + 32 (detect the gzip header).
constexpr int kGzipWindowBits = 15 + 32;

/// Reads like read(2), retrying on EINTR.
ssize_t ReadSome(int fd, void* buffer, size_t size) {
  ssize_t n;
  do {
    n = ::read(fd, buffer, size);
  } while (n < 0 && errno == EINTR);
  return n;
}

}  // namespace

bool HasGzipMagic(std::string_view first_bytes) {
  return first_bytes.size() >= 2 && static_cast<unsigned char>(first_bytes[0]) == 0x1f &&
         static_cast<unsigned char>(first_bytes[1]) == 0x8b;
}

Result<bool> IsGzipFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("{}: cannot open: {}", path, std::strerror(errno));
  char magic[2];
  size_t have = 0;
  while (have < sizeof(magic)) {
    const ssize_t n = ReadSome(fd, magic + have, sizeof(magic) - have);
    if (n < 0) {
      const int saved = errno;
      ::close(fd);
      return Status::IoError("{}: cannot read: {}", path, std::strerror(saved));
    }
    if (n == 0) break;
    have += static_cast<size_t>(n);
  }
  ::close(fd);
  return HasGzipMagic(std::string_view(magic, have));
}

GzipReader::GzipReader(std::string path, int fd)
    : path_(std::move(path)), fd_(fd), input_(new unsigned char[kInputBytes]) {}

GzipReader::~GzipReader() {
  if (stream_initialized_) inflateEnd(&stream_);
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<GzipReader>> GzipReader::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("{}: cannot open: {}", path, std::strerror(errno));
  std::unique_ptr<GzipReader> reader(new GzipReader(path, fd));
  if (inflateInit2(&reader->stream_, kGzipWindowBits) != Z_OK) {
    return Status::IoError("{}: cannot start zlib's inflate (out of memory)", path);
  }
  reader->stream_initialized_ = true;
  ASSIGN_OR_RAISE(const bool have_input, reader->FillInput());
  if (!have_input || reader->stream_.avail_in < 2 ||
      !HasGzipMagic(std::string_view(reinterpret_cast<const char*>(reader->stream_.next_in),
                                     reader->stream_.avail_in))) {
    return Status::ParseError("{}: not a gzip file (expected the bytes 1f 8b at offset 0)", path);
  }
  return reader;
}

Result<bool> GzipReader::FillInput() {
  if (input_at_eof_) return false;
  const ssize_t n = ReadSome(fd_, input_.get(), kInputBytes);
  if (n < 0) return Status::IoError("{}: cannot read: {}", path_, std::strerror(errno));
  if (n == 0) {
    input_at_eof_ = true;
    return false;
  }
  stream_.next_in = input_.get();
  stream_.avail_in = static_cast<uInt>(n);
  file_offset_ += static_cast<uint64_t>(n);
  return true;
}

Status GzipReader::Fail(Status status) {
  error_ = status;
  return status;
}

Result<size_t> GzipReader::Read(char* buffer, size_t size) {
  if (!error_.ok()) return error_;
  if (finished_ || size == 0) return size_t{0};
  stream_.next_out = reinterpret_cast<unsigned char*>(buffer);
  stream_.avail_out = static_cast<uInt>(std::min(size, kMaxReadBytes));
  const uInt wanted = stream_.avail_out;
  while (stream_.avail_out == wanted) {  // Until some output (or the end).
    if (stream_.avail_in == 0) {
      auto filled = FillInput();
      if (!filled.ok()) return Fail(filled.status());
      if (!*filled) {
        if (member_done_) {
          finished_ = true;
          break;
        }
        return Fail(Status::ParseError(
            "{}: truncated gzip data: the file ends at byte offset {} inside a compressed "
            "member (expected more data and the member's CRC-32 and length trailer)",
            path_, file_offset_));
      }
    }
    if (member_done_) {
      // After a member: another member, or zero padding up to the end.
      if (stream_.next_in[0] == 0) {
        while (stream_.avail_in > 0 && stream_.next_in[0] == 0) {
          ++stream_.next_in;
          --stream_.avail_in;
        }
        continue;
      }
      if (stream_.next_in[0] != 0x1f) {
        return Fail(Status::ParseError(
            "{}: bytes after the gzip member that ends at byte offset {} are not another "
            "member (expected the bytes 1f 8b, found 0x{:02x})",
            path_, compressed_offset(), stream_.next_in[0]));
      }
      if (inflateReset(&stream_) != Z_OK) {
        return Fail(Status::IoError("{}: zlib could not restart", path_));
      }
      member_done_ = false;
    }
    const uint64_t offset_before = compressed_offset();
    const int rc = inflate(&stream_, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      member_done_ = true;
      continue;
    }
    if (rc == Z_OK || rc == Z_BUF_ERROR) continue;  // Z_BUF_ERROR: needs more input.
    const char* why = stream_.msg != nullptr ? stream_.msg : zError(rc);
    return Fail(Status::ParseError(
        "{}: corrupt gzip data near byte offset {}: {} (expected a valid deflate stream)", path_,
        std::max(offset_before, compressed_offset()), why));
  }
  return static_cast<size_t>(wanted - stream_.avail_out);
}

}  // namespace vigil::syslog
