#include "cli/output_file.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::cli {

OutputFile::OutputFile(const std::string& path) : name_(path), owned_(true) {
  file_ = std::fopen(path.c_str(), "w");
  if (file_ == nullptr) Fail(errno);
}

OutputFile::~OutputFile() {
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

void OutputFile::Fail(int error) {
  if (error_ == 0) error_ = error != 0 ? error : EIO;
}

void OutputFile::Write(std::string_view bytes) {
  if (file_ == nullptr || error_ != 0 || bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) Fail(errno);
}

bool OutputFile::Flush() {
  if (file_ != nullptr && error_ == 0) {
    if (std::fflush(file_) != 0 || std::ferror(file_)) Fail(errno);
  }
  return error_ == 0;
}

bool OutputFile::Close() {
  Flush();
  if (owned_ && file_ != nullptr) {
    if (std::fclose(file_) != 0) Fail(errno);
    file_ = nullptr;
  }
  return error_ == 0;
}

std::string OutputFile::ErrorMessage() const {
  return fmt::format("cannot write to {}: {}", name_, std::strerror(error_));
}

}  // namespace vigil::cli
