#pragma once

#include <string>

#include "vigil/common/status.h"

namespace vigil {

/// Wakes a live reader when a followed file or directory changes: an inotify descriptor that
/// becomes readable on appends, truncation, creation, renames and deletion. Only "something
/// changed" matters (the reader then looks itself), so events are drained, not decoded.
///
/// Where inotify is unavailable (no support, watch limit reached), or when the environment
/// sets VIGIL_FOLLOW_POLL=1 (network file systems, whose remote writes inotify misses), fd()
/// is -1 and readers fall back to polling: the executor then wakes every few milliseconds.
class ChangeWatch {
 public:
  ChangeWatch();
  ~ChangeWatch();
  ChangeWatch(const ChangeWatch&) = delete;
  ChangeWatch& operator=(const ChangeWatch&) = delete;

  /// Watches a file: writes and truncation of it, and creations / renames / deletions in its
  /// directory (rotation). Call again after the path was replaced (the watch of a file
  /// follows its inode).
  void WatchFile(const std::string& path);
  /// Watches a directory's entries (not recursive: call it for each subdirectory).
  void WatchDirectory(const std::string& path);
  /// Readable when a change happened since the last Drain(); -1 when polling.
  int fd() const { return fd_; }
  /// What Drain() found.
  struct Changes {
    bool any = false;
    /// Entries were created, renamed or deleted (or events were lost): list again.
    bool entries = false;
  };
  /// Discards the pending events (call before looking at the files, so a change that
  /// happens while looking wakes the next wait).
  Changes Drain();

 private:
  int fd_ = -1;
  int file_watch_ = -1;
};

}  // namespace vigil
