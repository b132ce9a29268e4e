#pragma once

#include <cstddef>

#include "actions/action_alert.h"
#include "vigil/common/status.h"

namespace vigil::actions {

/// Longest rule or severity name accepted.
inline constexpr std::size_t kMaxNameLength = 64;
/// Longest window or first/last-seen time text accepted.
inline constexpr std::size_t kMaxTimeTextLength = 64;

/// Checks that `alert` may reach an action program, field by field, so that nothing but
/// validated text ever lands in its environment:
/// - `key` and every entry of `ips`: ValidateAddressOrPrefix;
/// - `rule`, `severity`: 1..64 bytes of `A-Z a-z 0-9 _ . -`;
/// - `count` >= 0;
/// - the four times: at most 64 bytes of `A-Z a-z 0-9 : . + - _` and space;
/// - `json`: not empty, one line (a newline only at its very end: the action reads one line);
/// - all of it together at most `max_alert_bytes`, which bounds the queue's memory.
/// The error says which field failed and quotes it with QuoteForMessage.
Status ValidateActionAlert(const ActionAlert& alert, std::size_t max_alert_bytes);

}  // namespace vigil::actions
