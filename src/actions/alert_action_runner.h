#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "actions/action_alert.h"
#include "actions/action_counters.h"
#include "actions/action_options.h"
#include "actions/close_signal.h"
#include "actions/cooldown_tracker.h"
#include "vigil/common/status.h"

namespace vigil::actions {

/// What Submit did with an alert.
enum class SubmitOutcome {
  kQueued,      ///< A worker will run the action for it.
  kSuppressed,  ///< The action ran (or is queued) for this (rule, key) within the cooldown.
  kRejected,    ///< It failed ValidateActionAlert (reported).
  kDropped,     ///< The queue was full (reported).
  kClosed,      ///< Close() was called already.
};

/// Runs `--on-alert PROGRAM [ARGS]` once per new alert, the way fail2ban runs a ban action,
/// without ever slowing detection down or letting log contents reach a shell.
///
/// For each submitted alert: validate it (ValidateActionAlert: addresses, names, sizes),
/// apply the cooldown per (rule, key), put it in a bounded queue; `max_concurrent` worker
/// threads take alerts from the queue and run the program with RunActionProcess: argv as
/// given (no shell), the alert's JSON on stdin, its fields in `VIGIL_*` environment variables
/// (BuildActionEnvironment) on top of Vigil's environment as it was when the runner was made.
/// A run that fails (non-zero exit, signal, cannot start) or times out is reported through
/// `on_problem` and counted; it is not retried: the next alert for that key after the
/// cooldown runs the action again, which is the bounded retry.
///
/// Reports are rate-limited per kind (the 1st to 10th, then the 16th, 32nd, 64th, ...; each
/// message carries the running count) so a flood of bad alerts cannot flood stderr either.
///
/// Lifecycle: Make() starts the workers; Submit() from any thread, any number of times;
/// Close() (or the destructor) stops accepting, lets queued and running actions finish for
/// up to `close_timeout`, then abandons what is still queued and stops what still runs
/// (SIGTERM, SIGKILL after `kill_grace`), reaps every child and joins the workers. So Close
/// returns within about close_timeout + kill_grace (unless the kernel cannot kill a child,
/// e.g. one stuck on a dead NFS mount). counters() is exact once Close() returned.
class AlertActionRunner {
 public:
  /// Validates `options` and resolves the program (ResolveProgram): an unknown program, an
  /// empty argv, a NUL byte in an argument or an out-of-range setting is an error here, at
  /// startup, not once per alert.
  static Result<std::unique_ptr<AlertActionRunner>> Make(ActionOptions options);

  ~AlertActionRunner();
  AlertActionRunner(const AlertActionRunner&) = delete;
  AlertActionRunner& operator=(const AlertActionRunner&) = delete;

  /// Never blocks on the action: it validates, checks the cooldown and queues (copying the
  /// alert), all in memory. Thread-safe. May call `on_problem` (kRejected, kDropped).
  SubmitOutcome Submit(const ActionAlert& alert);

  /// Stops accepting alerts and winds down as described above. Idempotent, thread-safe.
  void Close();

  /// A snapshot of the counters.
  ActionCounters counters() const;

  /// The executable that runs (after the PATH lookup).
  const std::string& program_path() const { return program_path_; }

 private:
  AlertActionRunner(ActionOptions options, std::string program_path);

  void WorkerLoop();
  /// Runs one alert's action and accounts for how it ended.
  void RunOne(const ActionAlert& alert);
  /// Calls on_problem if this occurrence of `kind` is one that is reported.
  void Report(ActionProblemKind kind, uint64_t occurrence, const std::string& rule,
              const std::string& key, std::string message);

  const ActionOptions options_;
  const std::string program_path_;
  /// Taken when the runner was made; see InheritedEnvironment.
  const std::vector<std::string> inherited_environment_;
  CloseSignal close_signal_;

  mutable std::mutex mutex_;
  std::condition_variable work_available_;
  std::deque<ActionAlert> queue_;
  CooldownTracker cooldown_;
  ActionCounters counters_;
  bool closing_ = false;
  CloseSignal::Clock::time_point close_deadline_{};

  /// Serializes on_problem calls (which come from Submit's thread and the workers).
  std::mutex report_mutex_;
  /// Serializes Close() (joining from two threads at once is undefined).
  std::mutex close_mutex_;
  std::vector<std::thread> workers_;
};

}  // namespace vigil::actions
