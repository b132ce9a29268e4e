#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "vigil/common/status.h"

namespace vigil {

/// What FileFollower::Read returns when the file has no new bytes yet (and has not ended).
/// Chosen so that it never collides with a real byte count.
inline constexpr size_t kNoDataYet = std::numeric_limits<size_t>::max();

/// How a followed input ends.
enum class FollowEnd {
  kNever,  ///< `tail -F`: at the end of the file, wait for more (and for rotation).
  kAtEof,  ///< Replay: the end of the file ends the input (same code path, no waiting).
};

/// Why a FileFollower's generation ended (see FileFollower::ending()).
enum class GenerationEnd {
  kNone,       ///< It has not ended.
  kTruncated,  ///< The file was found shorter than what was read.
  kReplaced,   ///< The path names another file now (rotation), whose content comes next.
  kEnded,      ///< The input ended for good (replay at the end of the file, stdin closed).
};

/// Which file a follower keeps reading when its path is renamed or replaced.
enum class FollowTarget {
  kName,        ///< `tail -F`: the path; a replaced path starts a new generation.
  kDescriptor,  ///< `tail -f`: the file opened first, whatever it is named later (a
                ///< followed directory's children: the directory tells renames from new files).
};

/// A file's identity (a file is its inode, not its name).
struct FileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
  friend auto operator<=>(const FileIdentity&, const FileIdentity&) = default;
};

/// Reads one growing file (or stdin) the way `tail -F` does, for live sources.
///
/// A file is read in "generations": generation 0 is the file as opened; when the file is
/// truncated (its size drops below what was read) or replaced (the path now names another
/// inode: rename-and-recreate rotation, or delete-and-recreate), the current generation ends
/// and NextGeneration() opens the new content from byte 0. Before a replaced file is left, its
/// old inode is read to its end, so lines the writer appended just before rotating are kept.
///
/// Read() never blocks: it returns bytes, 0 at the end of a generation, or kNoDataYet. The
/// caller waits for more with Watch (inotify) or by polling, then calls Read() again.
/// `-` means standard input: it ends at EOF (a pipe closed by the writer), never rotates.
class FileFollower {
 public:
  FileFollower(std::string path, FollowEnd end, FollowTarget target = FollowTarget::kName);
  ~FileFollower();
  FileFollower(const FileFollower&) = delete;
  FileFollower& operator=(const FileFollower&) = delete;

  /// Opens the file. A missing file is an error unless `wait_for_file`: then reading starts
  /// when it appears (kNoDataYet until then).
  Status Open(bool wait_for_file = false);
  /// Reads up to `size` bytes: > 0 bytes; 0 when this generation has ended (see
  /// NextGeneration); kNoDataYet when nothing is available now.
  Result<size_t> Read(char* dest, size_t size);
  /// After Read() returned 0: starts the next generation (true), or reports that the input
  /// has ended (false: stdin closed, or kAtEof).
  Result<bool> NextGeneration();

  const std::string& path() const { return path_; }
  bool is_stdin() const { return path_ == "-"; }
  /// After Read() returned 0: why this generation ended. A generation that ends by
  /// truncation or replacement was cut off by the writer, so an unfinished last line in it is
  /// not a row; at kEnded it is (as static reading counts a last line without newline).
  GenerationEnd ending() const { return next_; }
  /// The file being read (stdin: its descriptor's), or nothing when not open.
  std::optional<FileIdentity> identity() const;
  /// Generations started so far minus one (0 until the first truncation or rotation).
  uint64_t generation() const { return generation_; }
  /// Bytes read in the current generation (its offset).
  uint64_t offset() const { return offset_; }
  /// The descriptor being read (stdin: 0), -1 when not open. Pollable for pipes and stdin.
  int fd() const { return fd_; }

 private:
  /// Whether the path now names a different file than fd_ (or nothing).
  bool PathReplaced() const;
  Status OpenPath();
  void Close();

  std::string path_;
  FollowEnd end_;
  FollowTarget target_;
  int fd_ = -1;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  uint64_t offset_ = 0;
  uint64_t generation_ = 0;
  bool waiting_for_file_ = false;
  GenerationEnd next_ = GenerationEnd::kNone;
};

}  // namespace vigil
