#pragma once

namespace vigil {

/// SIGINT/SIGTERM handling for live runs: while a StopSignalScope lives, those signals do
/// not kill the process but set a flag and make fd() readable, so the run loop (waiting in
/// poll()) wakes, closes the commit in progress and flushes its sinks. The previous handlers
/// come back when the scope ends. One scope at a time (the run loop is single-threaded).
class StopSignalScope {
 public:
  explicit StopSignalScope(bool install_handlers);
  ~StopSignalScope();
  StopSignalScope(const StopSignalScope&) = delete;
  StopSignalScope& operator=(const StopSignalScope&) = delete;

  /// Readable once a stop was requested.
  int fd() const;
  bool stop_requested() const;
  /// Requests a stop as a signal does (async-signal-safe; callable from any thread).
  static void Request();
};

}  // namespace vigil
