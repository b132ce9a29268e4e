#include "connectors/live/change_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string_view>
#include <cstring>
#include <filesystem>

namespace vigil {

ChangeWatch::ChangeWatch() {
  // VIGIL_FOLLOW_POLL=1 forces polling: inotify does not see writes made on another machine
  // (NFS and other network file systems), and it makes the fallback path testable.
  const char* poll_only = std::getenv("VIGIL_FOLLOW_POLL");
  if (poll_only != nullptr && std::string_view(poll_only) == "1") return;
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
}

ChangeWatch::~ChangeWatch() {
  if (fd_ >= 0) ::close(fd_);
}

void ChangeWatch::WatchFile(const std::string& path) {
  if (fd_ < 0) return;
  if (file_watch_ >= 0) ::inotify_rm_watch(fd_, file_watch_);
  file_watch_ = ::inotify_add_watch(fd_, path.c_str(),
                                    IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF);
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  // Re-adding a watch for the same directory only updates its mask: no duplicates.
  ::inotify_add_watch(fd_, parent.c_str(), IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE);
}

void ChangeWatch::WatchDirectory(const std::string& path) {
  if (fd_ < 0) return;
  ::inotify_add_watch(fd_, path.c_str(),
                      IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
                          IN_CLOSE_WRITE | IN_ATTRIB);
}

ChangeWatch::Changes ChangeWatch::Drain() {
  Changes changes;
  if (fd_ < 0) return changes;
  alignas(struct inotify_event) char buffer[4096];
  constexpr uint32_t kEntryEvents = IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
                                    IN_DELETE_SELF | IN_MOVE_SELF | IN_Q_OVERFLOW | IN_IGNORED;
  for (;;) {
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n <= 0) break;
    changes.any = true;
    for (ssize_t at = 0; at + static_cast<ssize_t>(sizeof(struct inotify_event)) <= n;) {
      struct inotify_event event;
      std::memcpy(&event, buffer + at, sizeof event);
      if ((event.mask & kEntryEvents) != 0) changes.entries = true;
      at += static_cast<ssize_t>(sizeof event + event.len);
    }
  }
  return changes;
}

}  // namespace vigil
