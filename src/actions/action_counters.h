#pragma once

#include <cstdint>
#include <string>

namespace vigil::actions {

/// What happened to the alerts submitted to an AlertActionRunner, for the summary the CLI
/// prints at the end of a run. Every submitted alert lands in exactly one of `queued`,
/// `suppressed`, `rejected`, `dropped`, `closed`; every queued one, once the runner is closed,
/// in exactly one of `run` and `abandoned`; every run one in exactly one of `succeeded`,
/// `failed`, `timed_out`.
struct ActionCounters {
  uint64_t submitted = 0;
  uint64_t queued = 0;      ///< Accepted for running.
  uint64_t suppressed = 0;  ///< Same (rule, key) within the cooldown.
  uint64_t rejected = 0;    ///< Failed validation (bad address, oversized, bad field).
  uint64_t dropped = 0;     ///< Queue full.
  uint64_t closed = 0;      ///< Submitted after Close().
  uint64_t run = 0;         ///< Started (a spawn was attempted).
  uint64_t succeeded = 0;   ///< Exited with status 0.
  uint64_t failed = 0;      ///< Non-zero exit, killed by a signal, or could not be spawned.
  uint64_t timed_out = 0;   ///< Stopped after the timeout or at Close's bound.
  uint64_t abandoned = 0;   ///< Still queued when Close's bound passed.

  /// `actions: 3 run (2 succeeded, 1 failed, 0 timed out), 5 suppressed by cooldown, ...`:
  /// one line, every counter named.
  std::string Summary() const;
};

}  // namespace vigil::actions
