#include "vigil/exec/stop_signal.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace vigil {

namespace {
// A self-pipe: the handler may only do async-signal-safe things, and write() is one.
std::atomic<int> g_write_fd{-1};
std::atomic<bool> g_stop{false};
int g_read_fd = -1;
struct sigaction g_old_int;
struct sigaction g_old_term;
bool g_installed = false;

void OnStopSignal(int /*signal*/) { StopSignalScope::Request(); }
}  // namespace

void StopSignalScope::Request() {
  g_stop.store(true);
  const int fd = g_write_fd.load();
  if (fd >= 0) {
    const int saved = errno;
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(fd, &byte, 1);  // Full pipe: already woken.
    errno = saved;
  }
}

StopSignalScope::StopSignalScope(bool install_handlers) {
  g_stop.store(false);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
    g_read_fd = fds[0];
    g_write_fd.store(fds[1]);
  }
  if (install_handlers) {
    struct sigaction action = {};
    action.sa_handler = OnStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, &g_old_int);
    ::sigaction(SIGTERM, &action, &g_old_term);
    g_installed = true;
  }
}

StopSignalScope::~StopSignalScope() {
  if (g_installed) {
    ::sigaction(SIGINT, &g_old_int, nullptr);
    ::sigaction(SIGTERM, &g_old_term, nullptr);
    g_installed = false;
  }
  const int write_fd = g_write_fd.exchange(-1);
  if (write_fd >= 0) ::close(write_fd);
  if (g_read_fd >= 0) ::close(g_read_fd);
  g_read_fd = -1;
}

int StopSignalScope::fd() const { return g_read_fd; }

bool StopSignalScope::stop_requested() const { return g_stop.load(); }

}  // namespace vigil
