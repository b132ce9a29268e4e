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
  std::optional<Table> alerts;
  const auto add = [&alerts](const Table& t) { alerts = alerts ? alerts->concat(t) : t; };
  if (config.brute_force.enabled) {
    add(BuildBruteForce(prepared.failures, prepared.attempts, config.brute_force, context));
  }
  if (config.slow_brute_force.enabled) {
    add(BuildSlowBruteForce(prepared.attempts, config.slow_brute_force, context));
  }
  if (config.spraying.enabled) add(BuildSpraying(prepared.attempts, config.spraying, context));
  if (config.distributed.enabled) {
    add(BuildDistributed(prepared.attempts, config.distributed, context));
  }
  if (config.success_after_failures.enabled) {
    add(BuildSuccessAfterFailures(prepared.account_failures, prepared.successes,
                                  config.success_after_failures, context));
  }
  if (config.scan.enabled) add(BuildScan(prepared.scans, config.scan, context));
  if (!alerts) {
    // Every rule disabled: a table of the alert schema that never has a row.
    add(BuildBruteForce(prepared.failures.filter(Expr(false)),
                        prepared.attempts.filter(Expr(false)), config.brute_force, context));
  }
  return *alerts;
}

}  // namespace vigil::rules
