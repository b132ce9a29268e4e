#include "actions/action_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

namespace vigil::actions {
namespace {

using Clock = std::chrono::steady_clock;

/// Without a pidfd the wait loop checks the child this often.
constexpr std::chrono::milliseconds kExitCheckInterval{10};

/// A descriptor closed when it goes out of scope.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  void Reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

/// Moves `fd` to a number >= 3 (close-on-exec), closing the original: if Vigil runs with
/// stdin, stdout or stderr closed, a pipe could otherwise get 0-2 and collide with the
/// child's redirections.
int AboveStandardDescriptors(int fd) {
  if (fd > 2) return fd;
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

/// Blocks SIGPIPE in the calling thread while it writes to the child's stdin, so a child
/// that exits without reading turns writes into EPIPE instead of killing Vigil (the CLI
/// ignores SIGPIPE, but a library must not rely on that). A SIGPIPE left pending by those
/// writes is consumed before the old mask comes back.
class SigpipeBlockedInThisThread {
 public:
  SigpipeBlockedInThisThread() {
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old_mask_);
  }
  ~SigpipeBlockedInThisThread() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      sigset_t pipe_only;
      sigemptyset(&pipe_only);
      sigaddset(&pipe_only, SIGPIPE);
      timespec zero{};
      while (sigtimedwait(&pipe_only, nullptr, &zero) == -1 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }
  SigpipeBlockedInThisThread(const SigpipeBlockedInThisThread&) = delete;
  SigpipeBlockedInThisThread& operator=(const SigpipeBlockedInThisThread&) = delete;

 private:
  sigset_t old_mask_{};
  bool was_pending_ = false;
};

/// posix_spawn's attributes and file actions, destroyed with the object.
class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawnattr_init(&attributes_);
    posix_spawn_file_actions_init(&file_actions_);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&file_actions_);
    posix_spawnattr_destroy(&attributes_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  /// Returns 0 or an errno value.
  int Prepare(int stdin_read_end, ActionOutput output) {
    // A process group of its own (pgid = its pid), so a timeout can stop it and everything
    // it started with one kill(-pid).
    short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    int error = posix_spawnattr_setflags(&attributes_, flags);
    if (error == 0) error = posix_spawnattr_setpgroup(&attributes_, 0);
    sigset_t none;
    sigemptyset(&none);
    if (error == 0) error = posix_spawnattr_setsigmask(&attributes_, &none);
    sigset_t all;
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    if (error == 0) error = posix_spawnattr_setsigdefault(&attributes_, &all);

    if (error == 0) error = posix_spawn_file_actions_adddup2(&file_actions_, stdin_read_end, 0);
    if (output == ActionOutput::kStderr) {
      if (error == 0) error = posix_spawn_file_actions_adddup2(&file_actions_, 2, 1);
    } else {
      if (error == 0) {
        error = posix_spawn_file_actions_addopen(&file_actions_, 1, "/dev/null", O_WRONLY, 0);
      }
      if (error == 0) error = posix_spawn_file_actions_adddup2(&file_actions_, 1, 2);
    }
    // Nothing else of Vigil's (log files, inotify, sockets) reaches the action, even a
    // descriptor opened without O_CLOEXEC.
    if (error == 0) error = posix_spawn_file_actions_addclosefrom_np(&file_actions_, 3);
    return error;
  }

  const posix_spawnattr_t* attributes() const { return &attributes_; }
  const posix_spawn_file_actions_t* file_actions() const { return &file_actions_; }

 private:
  posix_spawnattr_t attributes_;
  posix_spawn_file_actions_t file_actions_;
};

/// NUL-terminated pointer arrays into `strings` (which must outlive them), as exec wants.
std::vector<char*> PointerArray(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (const std::string& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

/// A descriptor that becomes readable when `pid` exits, or -1 (kernel before 5.3, or a
/// seccomp filter refusing it): then the wait loop polls.
int OpenPidFd(pid_t pid) {
#ifdef SYS_pidfd_open
  long fd = ::syscall(SYS_pidfd_open, pid, 0);
  return fd >= 0 ? static_cast<int>(fd) : -1;
#else
  (void)pid;
  return -1;
#endif
}

/// True once `pid` has exited; it is not reaped (WNOWAIT), so its pid stays reserved.
bool HasExited(pid_t pid) {
  siginfo_t info{};
  while (true) {
    int done = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
    if (done == 0) return info.si_pid == pid;
    if (errno != EINTR) return true;  // ECHILD: nothing left to wait for.
  }
}

int Reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {
  }
  return status;
}

int MillisecondsUntil(Clock::time_point deadline, Clock::time_point now) {
  if (deadline <= now) return 0;
  auto wait = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
  return static_cast<int>(std::min<long long>(wait, 60 * 60 * 1000));
}

}  // namespace

ProcessResult RunActionProcess(const ProcessRequest& request, const CloseSignal* close) {
  ProcessResult result;
  if (request.argv.empty()) {
    result.error = "no argv";
    return result;
  }
  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0) {
    result.error = fmt::format("cannot make a pipe: {}", std::strerror(errno));
    return result;
  }
  UniqueFd read_end(AboveStandardDescriptors(pipe_ends[0]));
  UniqueFd write_end(AboveStandardDescriptors(pipe_ends[1]));
  if (read_end.get() < 0 || write_end.get() < 0) {
    result.error = fmt::format("cannot make a pipe: {}", std::strerror(errno));
    return result;
  }
  ::fcntl(write_end.get(), F_SETFL, ::fcntl(write_end.get(), F_GETFL) | O_NONBLOCK);

  SpawnSetup setup;
  int error = setup.Prepare(read_end.get(), request.output);
  std::vector<char*> argv = PointerArray(request.argv);
  std::vector<char*> environment = PointerArray(request.environment);
  pid_t pid = -1;
  if (error == 0) {
    error = ::posix_spawn(&pid, request.path.c_str(), setup.file_actions(), setup.attributes(),
                          argv.data(), environment.data());
  }
  read_end.Reset();
  if (error != 0) {
    result.error = std::strerror(error);
    return result;
  }

  SigpipeBlockedInThisThread sigpipe_blocked;
  UniqueFd exit_fd(OpenPidFd(pid));
  std::string_view unwritten = request.stdin_bytes;
  if (unwritten.empty()) write_end.Reset();
  bool close_seen = false;
  Clock::time_point deadline = request.deadline;
  bool stopped_by_close = false;
  // Set once SIGTERM was sent; SIGKILL follows at kill_deadline.
  std::optional<Clock::time_point> kill_deadline;
  bool killed = false;

  while (true) {
    if (HasExited(pid)) break;
    Clock::time_point now = Clock::now();
    if (close != nullptr && !close_seen && close->requested()) {
      close_seen = true;
      if (close->deadline() < deadline) {
        deadline = close->deadline();
        stopped_by_close = true;
      }
    }
    if (!kill_deadline && now >= deadline) {
      ::kill(-pid, SIGTERM);
      kill_deadline = now + request.kill_grace;
    }
    if (kill_deadline && !killed && now >= *kill_deadline) {
      ::kill(-pid, SIGKILL);
      killed = true;
    }

    pollfd fds[3];
    nfds_t count = 0;
    int exit_slot = -1, write_slot = -1;
    if (exit_fd.get() >= 0) {
      exit_slot = static_cast<int>(count);
      fds[count++] = {exit_fd.get(), POLLIN, 0};
    }
    if (write_end.get() >= 0) {
      write_slot = static_cast<int>(count);
      fds[count++] = {write_end.get(), POLLOUT, 0};
    }
    if (close != nullptr && !close_seen && close->fd() >= 0) {
      fds[count++] = {close->fd(), POLLIN, 0};
    }
    int timeout = -1;  // Once SIGKILL is sent, only its exit is left to wait for.
    if (!kill_deadline) {
      timeout = MillisecondsUntil(deadline, now);
    } else if (!killed) {
      timeout = MillisecondsUntil(*kill_deadline, now);
    }
    if (exit_slot < 0 || (close != nullptr && !close_seen && close->fd() < 0)) {
      auto interval = static_cast<int>(kExitCheckInterval.count());
      timeout = timeout < 0 ? interval : std::min(timeout, interval);
    }
    int ready = ::poll(fds, count, timeout);
    if (ready < 0 && errno != EINTR) {
      // Cannot happen with valid descriptors; fall back to checking by the interval.
      ::usleep(static_cast<useconds_t>(kExitCheckInterval.count() * 1000));
      continue;
    }
    if (write_slot >= 0 && (fds[write_slot].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t written = ::write(write_end.get(), unwritten.data(), unwritten.size());
      if (written > 0) {
        unwritten.remove_prefix(static_cast<std::size_t>(written));
        if (unwritten.empty()) write_end.Reset();  // EOF: the action may read to the end.
      } else if (written < 0 && errno != EAGAIN && errno != EINTR) {
        write_end.Reset();  // EPIPE: it closed its input; the rest is not wanted.
      }
    }
  }

  write_end.Reset();
  if (kill_deadline) ::kill(-pid, SIGKILL);  // Whatever of its group outlived it.
  int status = Reap(pid);
  if (kill_deadline) {
    result.end = stopped_by_close ? ProcessEnd::kStoppedAtClose : ProcessEnd::kTimedOut;
  } else if (WIFEXITED(status)) {
    result.end = ProcessEnd::kExited;
    result.exit_status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.end = ProcessEnd::kSignaled;
    result.signal = WTERMSIG(status);
  } else {
    result.end = ProcessEnd::kSignaled;
  }
  return result;
}

std::string DescribeProcessResult(const ProcessResult& result) {
  switch (result.end) {
    case ProcessEnd::kExited:
      return fmt::format("exited with status {}", result.exit_status);
    case ProcessEnd::kSignaled:
      return fmt::format("killed by signal {} ({})", result.signal,
                         ::sigdescr_np(result.signal) ? ::sigdescr_np(result.signal) : "unknown");
    case ProcessEnd::kTimedOut:
      return "timed out and was stopped";
    case ProcessEnd::kStoppedAtClose:
      return "was stopped: still running when the action runner closed";
    case ProcessEnd::kSpawnFailed:
      return fmt::format("could not be started: {}", result.error);
  }
  return "ended";
}

}  // namespace vigil::actions
