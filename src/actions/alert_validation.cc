#include "actions/alert_validation.h"

#include <string_view>

#include "actions/ip_address_validation.h"
#include "actions/message_text.h"

namespace vigil::actions {
namespace {

bool IsAsciiAlphanumeric(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

Status ValidateName(std::string_view field, std::string_view value) {
  bool ok = !value.empty() && value.size() <= kMaxNameLength;
  for (char c : value) ok = ok && (IsAsciiAlphanumeric(c) || c == '_' || c == '.' || c == '-');
  if (ok) return Status::OK();
  return Status::Invalid("{} {} is not 1-{} letters, digits, '_', '.' or '-'", field,
                         QuoteForMessage(value), kMaxNameLength);
}

Status ValidateTimeText(std::string_view field, std::string_view value) {
  bool ok = value.size() <= kMaxTimeTextLength;
  for (char c : value) {
    ok = ok && (IsAsciiAlphanumeric(c) || c == ':' || c == '.' || c == '+' || c == '-' ||
                c == '_' || c == ' ');
  }
  if (ok) return Status::OK();
  return Status::Invalid("{} {} is not a timestamp of at most {} bytes", field,
                         QuoteForMessage(value), kMaxTimeTextLength);
}

Status ValidateAddressField(std::string_view field, std::string_view value) {
  auto shape = ValidateAddressOrPrefix(value);
  if (shape.ok()) return Status::OK();
  return Status::Invalid("{} {} is not an IP address or CIDR prefix: {}", field,
                         QuoteForMessage(value), shape.status().message());
}

}  // namespace

Status ValidateActionAlert(const ActionAlert& alert, std::size_t max_alert_bytes) {
  // Size first, before any per-field work, so an oversized alert costs nothing more.
  std::size_t total = alert.json.size() + alert.rule.size() + alert.severity.size() +
                      alert.key.size() + alert.window_start.size() + alert.window_end.size() +
                      alert.first_seen.size() + alert.last_seen.size();
  for (const std::string& ip : alert.ips) total += ip.size() + 1;
  if (total > max_alert_bytes) {
    return Status::Invalid("alert of {} bytes is larger than the {} accepted", total,
                           max_alert_bytes);
  }
  RETURN_NOT_OK(ValidateName("rule", alert.rule));
  RETURN_NOT_OK(ValidateName("severity", alert.severity));
  RETURN_NOT_OK(ValidateAddressField("key", alert.key));
  for (const std::string& ip : alert.ips) RETURN_NOT_OK(ValidateAddressField("ips entry", ip));
  if (alert.count < 0) return Status::Invalid("count {} is negative", alert.count);
  RETURN_NOT_OK(ValidateTimeText("window_start", alert.window_start));
  RETURN_NOT_OK(ValidateTimeText("window_end", alert.window_end));
  RETURN_NOT_OK(ValidateTimeText("first_seen", alert.first_seen));
  RETURN_NOT_OK(ValidateTimeText("last_seen", alert.last_seen));
  if (alert.json.empty()) return Status::Invalid("empty alert JSON");
  std::size_t newline = alert.json.find('\n');
  if (newline != std::string::npos && newline + 1 != alert.json.size()) {
    return Status::Invalid("alert JSON is not one line (a newline at byte {})", newline);
  }
  return Status::OK();
}

}  // namespace vigil::actions
