#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "rules/detection_options.h"
#include "vigil/graph/table.h"

namespace vigil::rules {

/// Level 1 of the windowed rules, shared by every rule window of the same length: the events
/// of each source `(host, key, ip, user, failed)` in each tumbling window, counted.
///
/// Every windowed rule reads the same per-source counts and only groups them differently at
/// level 2 (per source key, or per (host, user)), so the rules with a window of the same
/// length (spraying and distributed at 10 minutes; slow_brute_force and distributed at 1 hour
/// and 1 day) share one windowby over the events instead of one each: the per-event work
/// (window assignment, hashing the source, the count) is done once per length.
///
/// Columns of a length's table: `host`, `key`, `ip`, `user` (str), `failed` (bool), `count`
/// (int), `first`, `last` (DateTimeUtc: the earliest and latest event of the source in the
/// window). One row per source and window, updated as events come (see Level1Behavior in
/// source_counts.cc).
class SourceCounts {
 public:
  /// `events` has `time`, `host`, `key`, `ip`, `user` and, when `has_failed`, a bool
  /// `failed` (otherwise every event counts as failed: scans).
  SourceCounts(Table events, bool has_failed, DetectionOptions options);

  /// The level-1 table of windows of `window_seconds`, built on first use.
  const Table& ForWindow(int64_t window_seconds);

 private:
  Table events_;
  bool has_failed_;
  DetectionOptions options_;
  std::map<int64_t, Table> by_length_;
};

}  // namespace vigil::rules
