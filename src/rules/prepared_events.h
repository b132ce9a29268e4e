#pragma once

#include "rules/rules_config.h"
#include "vigil/graph/table.h"

namespace vigil::rules {

/// The events table split into what the rules read, after the allowlist. Every table has the
/// columns `time` (DateTimeUtc), `host`, `ip`, `user` and `key` (str): `key` is the source's
/// aggregation key (AppendAggregationKey: the address, or its prefix in CIDR text).
struct PreparedEvents {
  Table successes;  ///< kind "attempt", outcome "success".
  Table scans;      ///< kind "scan" (pre-auth noise, never counted as attempts).
  /// failures and successes, with a bool column `failed` (distributed).
  Table attempts;
  /// Failures against an account that exists (sshd did not say `invalid user`): what
  /// success_after_failures counts. A username probe is held until its connection ends, so it
  /// can arrive after a later login; it guesses no password of that account anyway.
  Table account_failures;
};

/// Splits an events table (AuthEventsSchema) for the rules: drops events from allowlisted
/// sources (config.allowlist must have been validated: LoadRulesConfig does it; an invalid
/// entry makes every table carry the error), adds `key` by config.addresses.
PreparedEvents PrepareEvents(const Table& events, const RulesConfig& config);

}  // namespace vigil::rules
