#include "actions/close_signal.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

namespace vigil::actions {

CloseSignal::CloseSignal() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

CloseSignal::~CloseSignal() {
  if (fd_ >= 0) ::close(fd_);
}

void CloseSignal::Request(Clock::time_point deadline) {
  if (requested()) return;
  deadline_ = deadline;
  requested_.store(true, std::memory_order_release);
  if (fd_ >= 0) {
    uint64_t one = 1;
    // Cannot fail short of a full counter, which one write never reaches.
    [[maybe_unused]] ssize_t written = ::write(fd_, &one, sizeof one);
  }
}

}  // namespace vigil::actions
