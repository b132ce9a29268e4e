#include "actions/action_environment.h"

#include <unistd.h>

#include <string_view>

#include "actions/ip_address_validation.h"

namespace vigil::actions {

std::vector<std::string> InheritedEnvironment() {
  std::vector<std::string> inherited;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view variable(*entry);
    if (variable.starts_with("VIGIL_")) continue;
    inherited.emplace_back(variable);
  }
  return inherited;
}

std::vector<std::string> BuildActionEnvironment(const ActionAlert& alert,
                                                const std::vector<std::string>& inherited) {
  std::vector<std::string> environment = inherited;
  auto set = [&environment](std::string_view name, std::string_view value) {
    std::string variable(name);
    variable.push_back('=');
    variable.append(value);
    environment.push_back(std::move(variable));
  };
  set("VIGIL_RULE", alert.rule);
  set("VIGIL_SEVERITY", alert.severity);
  set("VIGIL_IP", alert.key);
  auto shape = ValidateAddressOrPrefix(alert.key);
  bool ipv6 = shape.ok() && shape->family == IpFamily::kIpv6;
  set("VIGIL_IP_FAMILY", ipv6 ? "ipv6" : "ipv4");

  std::string ips;
  bool truncated = false;
  for (const std::string& ip : alert.ips) {
    std::size_t needed = ip.size() + (ips.empty() ? 0 : 1);
    if (ips.size() + needed > kMaxIpsVariableBytes) {
      truncated = true;
      break;
    }
    if (!ips.empty()) ips.push_back(' ');
    ips.append(ip);
  }
  set("VIGIL_IPS", ips);
  set("VIGIL_IPS_COUNT", std::to_string(alert.ips.size()));
  set("VIGIL_IPS_TRUNCATED", truncated ? "1" : "0");
  set("VIGIL_COUNT", std::to_string(alert.count));
  set("VIGIL_WINDOW_START", alert.window_start);
  set("VIGIL_WINDOW_END", alert.window_end);
  set("VIGIL_FIRST_SEEN", alert.first_seen);
  set("VIGIL_LAST_SEEN", alert.last_seen);
  return environment;
}

}  // namespace vigil::actions
