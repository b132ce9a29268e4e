#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "actions/action_options.h"
#include "actions/close_signal.h"

namespace vigil::actions {

/// How one run of an action program ended.
enum class ProcessEnd {
  kExited,          ///< It exited by itself; see `exit_status`.
  kSignaled,        ///< A signal Vigil did not send killed it; see `signal`.
  kTimedOut,        ///< It ran past its deadline and Vigil stopped it.
  kStoppedAtClose,  ///< The runner's Close() bound came first and Vigil stopped it.
  kSpawnFailed,     ///< It never started; see `error`.
};

struct ProcessResult {
  ProcessEnd end = ProcessEnd::kSpawnFailed;
  int exit_status = 0;  ///< For kExited.
  int signal = 0;       ///< For kSignaled.
  std::string error;    ///< For kSpawnFailed: the system's reason.
};

/// One run to do.
struct ProcessRequest {
  /// The executable (ResolveProgram's answer), exec'ed directly: no shell, no PATH search.
  std::string path;
  /// argv[0] and the arguments, passed as they are.
  std::vector<std::string> argv;
  /// `NAME=value` strings: the program's whole environment.
  std::vector<std::string> environment;
  /// Written to its standard input, which is then closed. If the program exits or closes
  /// its input without reading everything, the rest is dropped silently.
  std::string_view stdin_bytes;
  ActionOutput output = ActionOutput::kStderr;
  /// When it is stopped if still running.
  std::chrono::steady_clock::time_point deadline;
  /// Between SIGTERM and SIGKILL when stopping it.
  std::chrono::milliseconds kill_grace{1000};
};

/// Runs one action program to its end and reaps it; never leaves a zombie.
///
/// The child is started with posix_spawn in a process group of its own, with stdin a pipe
/// from Vigil, stdout and stderr per `output`, no other descriptor of Vigil's open, every
/// signal at its default disposition and none blocked (Vigil ignores SIGPIPE; an action
/// inheriting that would misbehave in pipelines). Vigil writes `stdin_bytes` without
/// blocking while it waits (a program that never reads its input cannot hang the worker).
///
/// Stopping (past `deadline`, or past `close`'s deadline once requested): SIGTERM to the
/// whole group, SIGKILL to the group after `kill_grace`, and once the program itself has
/// exited, SIGKILL to whatever is left of its group before it is reaped (its pid, hence the
/// group id, stays reserved until then, so the signal cannot reach an unrelated process).
/// A program that exits by itself is reaped and its leftover background processes are left
/// alone: they were started on purpose (an unban timer, say) and are no child of Vigil's.
///
/// Blocks the calling thread until the child is reaped. Safe to call from several threads
/// at once. `close` may be null.
ProcessResult RunActionProcess(const ProcessRequest& request, const CloseSignal* close);

/// `exited with status 3`, `killed by signal 9 (Killed)`, `timed out`, ... for reports.
std::string DescribeProcessResult(const ProcessResult& result);

}  // namespace vigil::actions
