#include "rules/detection.h"

#include <optional>

#include "rules/prepared_events.h"
#include "rules/success_after_failures.h"
#include "rules/window_rules.h"

namespace vigil::rules {

Table BuildDetection(const Table& events, const RulesConfig& config,
                     const DetectionOptions& options) {
  const PreparedEvents prepared = PrepareEvents(events, config);
  const RuleContext context{config.alerts.max_users, options};
  SourceCounts attempt_counts(prepared.attempts, /*has_failed=*/true, options);
  SourceCounts scan_counts(prepared.scans, /*has_failed=*/false, options);
  std::optional<Table> alerts;
  const auto add = [&alerts](const Table& t) { alerts = alerts ? alerts->concat(t) : t; };
  if (config.brute_force.enabled) {
    add(BuildBruteForce(attempt_counts, config.brute_force, context));
  }
  if (config.slow_brute_force.enabled) {
    add(BuildSlowBruteForce(attempt_counts, config.slow_brute_force, context));
  }
  if (config.spraying.enabled) add(BuildSpraying(attempt_counts, config.spraying, context));
  if (config.distributed.enabled) {
    add(BuildDistributed(attempt_counts, config.distributed, context));
  }
  if (config.success_after_failures.enabled) {
    add(BuildSuccessAfterFailures(prepared.account_failures, prepared.successes,
                                  config.success_after_failures, context));
  }
  if (config.scan.enabled) add(BuildScan(scan_counts, config.scan, context));
  if (!alerts) {
    // Every rule disabled: a table of the alert schema that never has a row.
    SourceCounts none(prepared.attempts.filter(Expr(false)), /*has_failed=*/true, options);
    add(BuildBruteForce(none, config.brute_force, context));
  }
  return *alerts;
}

}  // namespace vigil::rules
