#pragma once

#include <functional>

#include "actions/action_alert.h"

namespace vigil::actions {

/// Hands `alert` to `submit` once per source the action can act on. Some alerts are not about
/// one address: a `distributed` campaign is keyed by its target (`user@host`), and with
/// sshd's UseDNS the key may be a host name. Such a key never passes validation, so the
/// action would never run for the campaign; a firewall action wants each source address.
///
/// - `alert.key` is an address or CIDR prefix (ValidateAddressOrPrefix): `submit(alert)`
///   once, unchanged.
/// - otherwise, when `alert.ips` is not empty: `submit` once per entry of `ips`, with `key`
///   and `ips` both that one entry and every other field (the JSON, with the whole campaign,
///   the rule, the count) as in `alert`. The cooldown then applies per (rule, address): each
///   source is acted on once. Entries that are not addresses are still submitted, so
///   AlertActionRunner rejects and reports them as it would any invalid key.
/// - otherwise: `submit(alert)` unchanged (to be rejected and reported).
///
/// The alert passed to `submit` is one scratch copy reused between calls (not one copy per
/// address: a campaign's JSON times its address count could be large); `submit` must copy
/// what it keeps, as AlertActionRunner::Submit does.
void ForEachSourceAlert(const ActionAlert& alert,
                        const std::function<void(const ActionAlert&)>& submit);

}  // namespace vigil::actions
