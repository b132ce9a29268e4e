#pragma once

#include "rules/rules_config.h"
#include "rules/window_rules.h"
#include "vigil/graph/table.h"

namespace vigil::rules {

/// `success_after_failures` (severity critical): every successful login from a source key
/// that had at least `min_failures` failed attempts in the `lookback` before it (failures at
/// the success's own timestamp count: sshd logs with one-second resolution, and an attacker's
/// last failures often share the success's second). One alert per success; its row id is the
/// hash of the success row (its id and values).
///
/// Pipeline: successes joined with failures on the key (and user, with same_user) and a
/// lookback-long time bucket (the success's and the one before), pairs kept when
/// `0 <= success.time - failure.time <= lookback`, grouped by the success. The alert exists
/// in the commit that brings the success (live: within the same commit). A failure arriving
/// later with an earlier timestamp (out-of-order input) updates the alert; in live runs
/// failures are forgotten (Table::forget) once older than lookback + cutoff and successes
/// once older than the cutoff, which retracts the alert rows of old successes from the
/// table: SubscribeAlerts delivers each success alert
/// at its first insertion and never its later changes under --emit final, only growth under
/// --emit updates, and never these retractions (README.md, "Emission").
Table BuildSuccessAfterFailures(const Table& failures, const Table& successes,
                                const SuccessAfterFailuresConfig& config,
                                const RuleContext& context);

}  // namespace vigil::rules
