#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace vigil::actions {

/// Where the action program's standard output and standard error go. Never Vigil's standard
/// output: that carries the alerts themselves (`--format jsonl` piped into another tool),
/// and an action's chatter there would corrupt them.
enum class ActionOutput {
  kStderr,   ///< Both to Vigil's standard error, so an operator sees what the action says.
  kDiscard,  ///< Both to /dev/null.
};

/// What went wrong with one alert or one action run; the runner reports each through
/// `ActionOptions::on_problem`.
enum class ActionProblemKind {
  kRejected,     ///< The alert failed validation (e.g. its key is not an address): not run.
  kDropped,      ///< The queue was full: not run. Reported for the 1st, 2nd, 4th, 8th... drop.
  kSpawnFailed,  ///< The program could not be started (deleted, not executable, no memory).
  kFailed,       ///< The program exited with a non-zero status or was killed by a signal.
  kTimedOut,     ///< The program ran past `timeout` (or past Close's bound) and was killed.
  kAbandoned,    ///< Close's bound passed before a queued action started: not run.
};

/// A report: `message` is one line, ready to print (it names the rule and the key, and
/// quotes any untrusted text with QuoteForMessage).
struct ActionProblem {
  ActionProblemKind kind = ActionProblemKind::kFailed;
  std::string rule;  ///< As submitted; may be untrusted for kRejected (print `message`).
  std::string key;   ///< As submitted; may be untrusted for kRejected (print `message`).
  std::string message;
};

/// How `--on-alert PROGRAM [ARGS]` runs. Validated by AlertActionRunner::Make.
struct ActionOptions {
  /// The program and its arguments, exactly as given: never passed through a shell, so `;`,
  /// `$(...)`, quotes and spaces are literal. A bare name is looked up in PATH (as execvp
  /// does) once, when the runner is made.
  std::vector<std::string> argv;
  /// At most one run per (rule, key) in this long; 0 runs the action for every alert.
  std::chrono::milliseconds cooldown = std::chrono::minutes(10);
  /// Alerts waiting for a worker; beyond it alerts are dropped (counted, reported), so a slow
  /// action never blocks detection and never grows memory.
  std::size_t queue_capacity = 256;
  /// A run longer than this is stopped: SIGTERM to the action's process group, then SIGKILL
  /// after `kill_grace`.
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
  std::chrono::milliseconds kill_grace = std::chrono::seconds(1);
  /// Actions running at the same time (one worker thread each), 1..64.
  int max_concurrent = 2;
  /// How long Close() lets queued and running actions finish; after it, queued ones are
  /// abandoned and running ones stopped as on a timeout.
  std::chrono::milliseconds close_timeout = std::chrono::seconds(30);
  /// Largest `ActionAlert::json` accepted (bounds the queue's memory with `queue_capacity`).
  std::size_t max_alert_bytes = 256 * 1024;
  /// The cooldown remembers at most this many (rule, key) pairs; past it the oldest is
  /// forgotten early (that key may run again before its cooldown ends).
  std::size_t max_cooldown_keys = 100000;
  ActionOutput output = ActionOutput::kStderr;
  /// Receives every problem. Called from Submit's thread (kRejected, kDropped) or a worker
  /// (the rest), one call at a time; it must not call back into the runner.
  std::function<void(const ActionProblem&)> on_problem;
};

}  // namespace vigil::actions
