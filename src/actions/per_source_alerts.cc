#include "actions/per_source_alerts.h"

#include "actions/ip_address_validation.h"

namespace vigil::actions {

void ForEachSourceAlert(const ActionAlert& alert,
                        const std::function<void(const ActionAlert&)>& submit) {
  if (ValidateAddressOrPrefix(alert.key).ok() || alert.ips.empty()) {
    submit(alert);
    return;
  }
  ActionAlert per_source;
  per_source.json = alert.json;
  per_source.rule = alert.rule;
  per_source.severity = alert.severity;
  per_source.count = alert.count;
  per_source.window_start = alert.window_start;
  per_source.window_end = alert.window_end;
  per_source.first_seen = alert.first_seen;
  per_source.last_seen = alert.last_seen;
  per_source.ips.resize(1);
  for (const std::string& ip : alert.ips) {
    per_source.key = ip;
    per_source.ips[0] = ip;
    submit(per_source);
  }
}

}  // namespace vigil::actions
