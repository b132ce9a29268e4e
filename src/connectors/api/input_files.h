#pragma once

#include <string>
#include <vector>

#include "connectors/api/error_log.h"
#include "vigil/common/status.h"

namespace vigil {

/// Something under an input directory that cannot be read: a subdirectory that cannot be
/// listed, or an entry that cannot be examined. Named by its own path.
struct UnreadableInput {
  std::string path;
  std::string reason;  ///< The system's words (e.g. "Permission denied").
  bool is_directory = false;
};

/// What a walk of an input directory found.
struct InputListing {
  /// Regular files (symbolic links to files included), in component-wise path order as
  /// Pathway's glob walk yields them (`a/b` before `a-c`).
  std::vector<std::string> files;
  /// The directories listed, the top one first (followers watch each).
  std::vector<std::string> directories;
  /// What could not be read. The walk goes on past it: everything readable is listed.
  std::vector<UnreadableInput> unreadable;
};

/// Lists `directory` recursively (symbolic links to directories are not followed, as
/// Pathway's walk does not). A subdirectory that cannot be listed, or an entry that cannot
/// be examined, is put in `unreadable` under its own name; entries that vanish during the
/// walk (a dangling link, a file deleted meanwhile) are simply not listed.
InputListing ListDirectoryTree(const std::string& directory);

/// The files a file reader reads for `path`: the file itself, or every regular file under a
/// directory (ListDirectoryTree). Fails when `path` does not exist, is neither a file nor a
/// directory, or is a directory that cannot be listed at all; anything unreadable below it is
/// returned in `unreadable` (readers report it as a warning and read the rest). `what` names
/// the reader in messages ("JSON Lines input").
Result<InputListing> ListInputFiles(const std::string& path, const std::string& what);

/// The warning a reader reports for `input`: `PATH: warning: cannot read this directory
/// (Permission denied); its files are skipped`.
DataError UnreadableInputWarning(const UnreadableInput& input);

}  // namespace vigil
