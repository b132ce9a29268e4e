#pragma once

#include <cstdint>

#include "rules/detection_options.h"
#include "rules/rules_config.h"
#include "rules/source_counts.h"
#include "vigil/graph/table.h"

namespace vigil::rules {

/// What every rule builder needs besides its own knobs.
struct RuleContext {
  int64_t max_users = 20;  ///< AlertOutputConfig::max_users.
  DetectionOptions options;
};

/// The windowed rules: per configured window, a tumbling windowby over level 1's per-source
/// counts (SourceCounts, shared by the rules' windows of one length), each an ordinary
/// incremental pipeline returning alerts (alert_schema.h).
/// Alerts of different windows and rules never share a row id (the rule's name and the
/// window's index are part of the windowby instance), so their tables concatenate.

/// Failed attempts per source key, from the counts of `attempts` of PrepareEvents: with
/// forgive_typos (the default) a (source, user)'s few failures before its login in the same
/// window are not counted. Severity medium.
Table BuildBruteForce(SourceCounts& attempts, const BruteForceConfig& config,
                      const RuleContext& context);
/// The same over long windows (rule `slow_brute_force`), on `attempts` of PrepareEvents: a
/// source that also logged in within the window is left out (a NAT's typos). Severity medium.
Table BuildSlowBruteForce(SourceCounts& attempts, const SlowBruteForceConfig& config,
                          const RuleContext& context);
/// Distinct non-empty user names failing per source key, on `attempts`: a source that also
/// logged in within the window is left out. Severity medium.
Table BuildSpraying(SourceCounts& attempts, const SprayingConfig& config,
                    const RuleContext& context);
/// Distinct source keys failing against one (host, user); `ip` is `user@host`. Severity high.
/// Reads `attempts` of PrepareEvents: a source that also logged in as that user on that host
/// within the window is left out (its failures were typos).
Table BuildDistributed(SourceCounts& attempts, const DistributedConfig& config,
                       const RuleContext& context);
/// Scan events (the counts of `scans` of PrepareEvents) per source key. Severity low.
Table BuildScan(SourceCounts& scans, const ScanConfig& config, const RuleContext& context);

}  // namespace vigil::rules
