#include "connectors/api/input_files.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace vigil {

namespace {

namespace fs = std::filesystem;

/// A path vanished between being listed and being looked at: not an error (the next look
/// settles it), and nothing was there to read.
bool Vanished(const std::error_code& error) {
  return error == std::errc::no_such_file_or_directory;
}

}  // namespace

InputListing ListDirectoryTree(const std::string& directory) {
  // One directory at a time (not recursive_directory_iterator): a subdirectory that cannot
  // be opened is then known by its own name, and the walk goes on with the others.
  InputListing listing;
  std::vector<fs::path> files;
  std::vector<fs::path> pending = {fs::path(directory)};
  while (!pending.empty()) {
    const fs::path current = std::move(pending.back());
    pending.pop_back();
    std::error_code error;
    fs::directory_iterator it(current, error);
    if (error) {
      if (!Vanished(error)) listing.unreadable.push_back({current.string(), error.message(), true});
      continue;
    }
    listing.directories.push_back(current.string());
    for (const fs::directory_iterator end; it != end; it.increment(error)) {
      const fs::directory_entry& entry = *it;
      // The entry's own type comes with the listing (d_type) where the file system gives
      // it, so a subdirectory is known without a stat (which its path may be too long for).
      std::error_code entry_error;
      if (!entry.is_symlink(entry_error) && !entry_error && entry.is_directory(entry_error)) {
        pending.push_back(entry.path());
        continue;
      }
      entry_error.clear();
      const fs::file_status target = entry.status(entry_error);
      if (entry_error) {
        if (!Vanished(entry_error)) {
          listing.unreadable.push_back({entry.path().string(), entry_error.message(), false});
        }
        continue;
      }
      if (fs::is_regular_file(target)) files.push_back(entry.path());
    }
    if (error && !Vanished(error)) {
      // Listing stopped half-way: what was listed is kept, the directory is reported.
      listing.unreadable.push_back({current.string(), error.message(), true});
    }
  }
  std::sort(files.begin(), files.end());
  listing.files.reserve(files.size());
  for (const fs::path& p : files) listing.files.push_back(p.string());
  return listing;
}

Result<InputListing> ListInputFiles(const std::string& path, const std::string& what) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) {
    return Status::NotFound("{} path '{}' does not exist", what, path);
  }
  if (fs::is_regular_file(status)) {
    InputListing listing;
    listing.files.push_back(path);
    return listing;
  }
  if (!fs::is_directory(status)) {
    return Status::Invalid("{} path '{}' is neither a file nor a directory", what, path);
  }
  InputListing listing = ListDirectoryTree(path);
  if (listing.directories.empty()) {
    // Not even the top directory could be listed: there is nothing to read.
    const std::string reason =
        listing.unreadable.empty() ? std::string("it vanished") : listing.unreadable[0].reason;
    return Status::IoError("cannot list directory '{}': {}", path, reason);
  }
  return listing;
}

DataError UnreadableInputWarning(const UnreadableInput& input) {
  DataError warning;
  warning.file = input.path;
  warning.warning = true;
  warning.row_skipped = false;
  warning.message = input.is_directory
                        ? fmt::format("cannot read this directory ({}); its files are skipped",
                                      input.reason)
                        : fmt::format("cannot examine this entry ({}); it is skipped",
                                      input.reason);
  return warning;
}

}  // namespace vigil
