#pragma once

#include <atomic>
#include <chrono>

namespace vigil::actions {

/// Tells workers waiting on running actions that the runner is closing, and by when those
/// actions must be over. A worker waits in poll(); `fd()` (an eventfd) becomes readable once
/// Request() was called and stays readable, so every worker wakes, reads the deadline, and
/// leaves the descriptor out of its later polls.
///
/// Made and owned by AlertActionRunner; Request() from the thread that closes it, the rest
/// from workers. Without eventfd (fd() == -1) workers notice the request on their next wake.
class CloseSignal {
 public:
  using Clock = std::chrono::steady_clock;

  CloseSignal();
  ~CloseSignal();
  CloseSignal(const CloseSignal&) = delete;
  CloseSignal& operator=(const CloseSignal&) = delete;

  /// Running actions must end by `deadline`. Only the first call counts.
  void Request(Clock::time_point deadline);
  bool requested() const { return requested_.load(std::memory_order_acquire); }
  /// Meaningful once requested().
  Clock::time_point deadline() const { return deadline_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  /// Written before `requested_` is set (release) and read after it is seen (acquire).
  Clock::time_point deadline_{};
  std::atomic<bool> requested_{false};
};

}  // namespace vigil::actions
