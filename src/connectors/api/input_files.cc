#include "connectors/api/input_files.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace vigil {

Result<std::vector<std::string>> ListInputFiles(const std::string& path, const std::string& what) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) {
    return Status::NotFound("{} path '{}' does not exist", what, path);
  }
  std::vector<std::string> files;
  if (fs::is_regular_file(status)) {
    files.push_back(path);
    return files;
  }
  if (!fs::is_directory(status)) {
    return Status::Invalid("{} path '{}' is neither a file nor a directory", what, path);
  }
  std::vector<fs::path> found;
  fs::recursive_directory_iterator it(path, error);
  if (error) return Status::IoError("cannot list directory '{}': {}", path, error.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(error)) {
    if (error) return Status::IoError("cannot list directory '{}': {}", path, error.message());
    std::error_code file_error;
    if (it->is_regular_file(file_error)) found.push_back(it->path());
  }
  if (error) return Status::IoError("cannot list directory '{}': {}", path, error.message());
  std::sort(found.begin(), found.end());
  files.reserve(found.size());
  for (const fs::path& p : found) files.push_back(p.string());
  return files;
}

}  // namespace vigil
