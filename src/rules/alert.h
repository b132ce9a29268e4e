#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "rules/detection_options.h"
#include "rules/rules_config.h"
#include "vigil/graph/table.h"
#include "vigil/types/value.h"

namespace vigil::rules {

/// One alert as plain C++ values (owning), for printers and the action runner. Times are
/// nanoseconds since the Unix epoch, UTC.
struct Alert {
  std::string rule;
  std::string severity;
  std::string ip;                  ///< Source key (address or CIDR), or user@host.
  std::vector<std::string> ips;    ///< Every source address counted, sorted.
  std::vector<std::string> users;  ///< Distinct users tried, sorted, capped.
  int64_t user_count = 0;          ///< Distinct users tried, uncapped.
  int64_t count = 0;
  int64_t window_start_ns = 0;
  int64_t window_end_ns = 0;
  int64_t first_seen_ns = 0;
  int64_t last_seen_ns = 0;
  bool operator==(const Alert&) const = default;
};

/// Reads a row of the alerts table (alert_schema.h) into `alert` (reusing its buffers).
/// A row of another shape is an error.
Status AlertFromRow(std::span<const Value> row, Alert& alert);

/// Registers `on_alert` on the alerts table (io::subscribe; call before run()). What is
/// delivered follows `options.emit` (README.md, "Emission"):
/// - kStatic: every change of the table as it is (the caller keeps the final state).
/// - kFinal: windowed alerts as the engine emits them (once, when the window closes);
///   success_after_failures once per success, at its first insertion.
/// - kUpdates: windowed alerts as they grow (a retraction, then the grown alert);
///   success_after_failures at its first insertion and again when its count grows.
/// - kStaticBounded: the final table's changes: windowed alerts once; a
///   success_after_failures alert at its first insertion and, when its count grows, a
///   retraction of the version delivered and the grown one.
/// Except under kStatic, success_after_failures retractions (forgotten state, see
/// success_after_failures.h) are never delivered. `config` gives the lookback, which bounds
/// how long a success alert's id is remembered for this.
void SubscribeAlerts(const Table& alerts, const RulesConfig& config,
                     const DetectionOptions& options,
                     std::function<void(const Alert& alert, bool is_addition)> on_alert,
                     std::function<void()> on_time_end = {});

}  // namespace vigil::rules
