#pragma once

#include <cstdint>

#include "rules/detection_options.h"
#include "rules/rules_config.h"
#include "vigil/graph/table.h"

namespace vigil::rules {

/// What every rule builder needs besides its own knobs.
struct RuleContext {
  int64_t max_users = 20;  ///< AlertOutputConfig::max_users.
  DetectionOptions options;
};

/// The windowed rules: one tumbling windowby per configured window, each an ordinary
/// incremental pipeline over a PreparedEvents table, returning alerts (alert_schema.h).
/// Alerts of different windows and rules never share a row id (the rule's name and the
/// window's index are part of the windowby instance), so their tables concatenate.

/// Failed attempts per source key: `failures` of PrepareEvents, or with forgive_typos (the
/// default) `attempts`, so that a (source, user)'s few failures before its login in the same
/// window are not counted. Severity medium.
Table BuildBruteForce(const Table& failures, const Table& attempts,
                      const BruteForceConfig& config, const RuleContext& context);
/// The same over long windows (rule `slow_brute_force`), on `attempts` of PrepareEvents: a
/// source that also logged in within the window is left out (a NAT's typos). Severity medium.
Table BuildSlowBruteForce(const Table& attempts, const SlowBruteForceConfig& config,
                          const RuleContext& context);
/// Distinct non-empty user names failing per source key, on `attempts`: a source that also
/// logged in within the window is left out. Severity medium.
Table BuildSpraying(const Table& attempts, const SprayingConfig& config,
                    const RuleContext& context);
/// Distinct source keys failing against one (host, user); `ip` is `user@host`. Severity high.
/// Reads `attempts` of PrepareEvents: a source that also logged in as that user on that host
/// within the window is left out (its failures were typos).
Table BuildDistributed(const Table& attempts, const DistributedConfig& config,
                       const RuleContext& context);
/// Scan events (`scans` of PrepareEvents) per source key. Severity low.
Table BuildScan(const Table& scans, const ScanConfig& config, const RuleContext& context);

}  // namespace vigil::rules
