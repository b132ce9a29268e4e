#include "connectors/live/file_follower.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vigil {

FileFollower::FileFollower(std::string path, FollowEnd end, FollowTarget target)
    : path_(std::move(path)), end_(end), target_(target) {}

std::optional<FileIdentity> FileFollower::identity() const {
  if (fd_ < 0) return std::nullopt;
  if (!is_stdin()) return FileIdentity{static_cast<uint64_t>(dev_), static_cast<uint64_t>(ino_)};
  struct stat st;
  if (::fstat(fd_, &st) != 0) return std::nullopt;
  return FileIdentity{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
}

FileFollower::~FileFollower() { Close(); }

void FileFollower::Close() {
  if (fd_ > 0 || (fd_ == 0 && !is_stdin())) ::close(fd_);
  fd_ = -1;
}

Status FileFollower::OpenPath() {
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open '{}': {}", path_, std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return Status::IoError("cannot stat '{}': {}", path_, std::strerror(error));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::Invalid("'{}' is a directory, not a file", path_);
  }
  fd_ = fd;
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  offset_ = 0;
  waiting_for_file_ = false;
  return Status::OK();
}

Status FileFollower::Open(bool wait_for_file) {
  if (is_stdin()) {
    fd_ = STDIN_FILENO;
    return Status::OK();
  }
  struct stat st;
  if (wait_for_file && ::stat(path_.c_str(), &st) != 0 && errno == ENOENT) {
    waiting_for_file_ = true;  // Read() opens it when it appears.
    return Status::OK();
  }
  return OpenPath();
}

bool FileFollower::PathReplaced() const {
  struct stat st;
  // A path that vanished (renamed away, not yet recreated) is not a replacement: the old
  // file may still be written to, so it stays the one being read.
  if (::stat(path_.c_str(), &st) != 0) return false;
  return st.st_dev != dev_ || st.st_ino != ino_;
}

Result<size_t> FileFollower::Read(char* dest, size_t size) {
  if (next_ != GenerationEnd::kNone) return size_t{0};
  if (waiting_for_file_) {
    if (!OpenPath().ok()) return kNoDataYet;
  }
  if (is_stdin()) {
    // Never set O_NONBLOCK on stdin: the flag belongs to the open file description, which a
    // terminal or the parent shell shares. Ask poll() whether a read would block instead.
    struct pollfd p = {fd_, POLLIN, 0};
    int ready;
    do {
      ready = ::poll(&p, 1, 0);
    } while (ready < 0 && errno == EINTR);
    if (ready == 0) return kNoDataYet;
  }
  ssize_t n;
  do {
    n = ::read(fd_, dest, size);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return kNoDataYet;
    return Status::IoError("cannot read '{}': {}", path_, std::strerror(errno));
  }
  if (n > 0) {
    offset_ += static_cast<uint64_t>(n);
    return static_cast<size_t>(n);
  }
  // At the end of what is there now.
  if (is_stdin() || end_ == FollowEnd::kAtEof) {
    next_ = GenerationEnd::kEnded;
    return size_t{0};
  }
  struct stat st;
  if (::fstat(fd_, &st) == 0 && static_cast<uint64_t>(st.st_size) < offset_) {
    next_ = GenerationEnd::kTruncated;
    return size_t{0};
  }
  // read() just returned 0, so the old inode is drained: switching now loses nothing that
  // was written to it before this check.
  if (target_ == FollowTarget::kName && PathReplaced()) {
    next_ = GenerationEnd::kReplaced;
    return size_t{0};
  }
  return kNoDataYet;
}

Result<bool> FileFollower::NextGeneration() {
  const GenerationEnd next = next_;
  next_ = GenerationEnd::kNone;
  switch (next) {
    case GenerationEnd::kNone:
    case GenerationEnd::kEnded:
      next_ = next;
      return false;
    case GenerationEnd::kTruncated:
      if (::lseek(fd_, 0, SEEK_SET) < 0) {
        return Status::IoError("cannot rewind truncated '{}': {}", path_, std::strerror(errno));
      }
      offset_ = 0;
      break;
    case GenerationEnd::kReplaced:
      Close();
      if (!OpenPath().ok()) waiting_for_file_ = true;  // Gone again: wait for it.
      offset_ = 0;
      break;
  }
  ++generation_;
  return true;
}

}  // namespace vigil
