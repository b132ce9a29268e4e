#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "actions/action_alert.h"

namespace vigil::actions {

/// `VIGIL_IPS` holds at most this many bytes; the kernel refuses a single environment string
/// over 128 KiB (MAX_ARG_STRLEN), and the full list is in the JSON on stdin anyway.
inline constexpr std::size_t kMaxIpsVariableBytes = 64 * 1024;

/// Vigil's environment at the time of the call, without any `VIGIL_*` variable (so the
/// variables an action gets from Vigil cannot be shadowed by stale inherited ones). Taken
/// once, when the runner is made: reading `environ` later from worker threads would race
/// with a setenv elsewhere.
std::vector<std::string> InheritedEnvironment();

/// The environment an action runs with, as `NAME=value` strings: `inherited` followed by
///
/// | variable | value |
/// |---|---|
/// | `VIGIL_RULE` | the rule, e.g. `brute_force` |
/// | `VIGIL_SEVERITY` | e.g. `high` |
/// | `VIGIL_IP` | the key: an address, or a CIDR prefix for aggregated alerts |
/// | `VIGIL_IP_FAMILY` | `ipv4` or `ipv6` (which firewall table the key goes into) |
/// | `VIGIL_IPS` | every source address, space-separated, cut at an address boundary to fit 64 KiB
/// | | `VIGIL_IPS_COUNT` | how many addresses `ips` has (all of them, even when cut) | |
/// `VIGIL_IPS_TRUNCATED` | `1` when `VIGIL_IPS` was cut, else `0` | | `VIGIL_COUNT` | attempts
/// counted | | `VIGIL_WINDOW_START`, `VIGIL_WINDOW_END`, `VIGIL_FIRST_SEEN`, `VIGIL_LAST_SEEN` | as
/// in the alert (may be empty) |
///
/// `alert` must have passed ValidateActionAlert: nothing here escapes or checks. Usernames
/// never appear here (they are attacker-chosen text; only the JSON on stdin has them).
std::vector<std::string> BuildActionEnvironment(const ActionAlert& alert,
                                                const std::vector<std::string>& inherited);

}  // namespace vigil::actions
