#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace vigil::cli {

/// A file the CLI writes results to (standard output, a dead-letter file) that keeps the first
/// write error: a full disk (ENOSPC), a closed pipe (EPIPE, SIGPIPE being ignored) or a device
/// error (EIO) must end the run with a message and exit 1, never lose results silently.
class OutputFile {
 public:
  /// Wraps `file` (not owned, e.g. stdout); `name` is how messages call it.
  OutputFile(std::FILE* file, std::string name) : file_(file), name_(std::move(name)) {}
  /// Opens `path` for writing (owned, closed by Close or the destructor); check failed().
  explicit OutputFile(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  /// Writes `bytes`; after the first error nothing more is written.
  void Write(std::string_view bytes);
  /// Flushes the stdio buffer to the file; false once any write has failed.
  bool Flush();
  /// Flushes and, when owned, closes (a failed close is a failed write too).
  bool Close();

  bool failed() const { return error_ != 0; }
  /// `cannot write to standard output: No space left on device`.
  std::string ErrorMessage() const;

 private:
  void Fail(int error);

  std::FILE* file_ = nullptr;
  std::string name_;
  bool owned_ = false;
  int error_ = 0;
};

}  // namespace vigil::cli
