#include "rules/prepared_events.h"

#include <memory>
#include <string>

#include "rules/address_prefix.h"

namespace vigil::rules {

namespace {

/// `key`: the aggregation key of `ip` (a host name, `ip_is_hostname`, is its own key).
Expr AggregationKey(const AddressConfig& addresses) {
  const int v4 = addresses.ipv4_prefix;
  const int v6 = addresses.ipv6_prefix;
  return apply(
      dtype::Str,
      [v4, v6](std::span<const Value> args, ValueArena& arena) {
        if (args[0].kind() != ValueKind::kString) return args[0];
        // The key text is built in a reused thread-local buffer, then copied once into the
        // batch's arena: no heap allocation per row.
        thread_local std::string key;
        if (args[1].kind() == ValueKind::kBool && args[1].as_bool()) return args[0];
        AppendAggregationKey(args[0].as_string(), v4, v6, key);
        return arena.CopyString(key);
      },
      {this_["ip"], this_["ip_is_hostname"]}, "aggregation_key");
}

Expr Allowed(std::shared_ptr<const Allowlist> allowlist) {
  return apply(
      dtype::Bool,
      [allowlist](std::span<const Value> args, ValueArena&) {
        return Value::Bool(args[0].kind() == ValueKind::kString &&
                           allowlist->Contains(args[0].as_string()));
      },
      {this_["ip"]}, "allowlisted");
}

}  // namespace

PreparedEvents PrepareEvents(const Table& events, const RulesConfig& config) {
  Table kept = events;
  if (!config.allowlist.empty()) {
    auto allowlist = Allowlist::Make(config.allowlist);
    if (!allowlist.ok()) {
      // Surface the error through the graph: a filter on a missing column carries a status,
      // but a clear message matters more; build an always-failing reference instead.
      kept = events.filter(this_["allowlist error: " + allowlist.status().message()]);
    } else {
      kept = events.filter(
          ~Allowed(std::make_shared<const Allowlist>(std::move(allowlist).value())));
    }
  }
  Table keyed = kept.select({this_["time"], this_["host"], this_["ip"], this_["user"],
                             {"key", AggregationKey(config.addresses)}, this_["outcome"],
                             this_["kind"], this_["invalid_user"]});
  const Expr attempt = this_["kind"] == "attempt";
  const auto columns = std::vector<NamedExpr>{this_["time"], this_["host"], this_["ip"],
                                              this_["user"], this_["key"]};
  return PreparedEvents{
      keyed.filter(attempt & (this_["outcome"] == "success")).select(columns),
      keyed.filter(this_["kind"] == "scan").select(columns),
      keyed.filter(attempt & ((this_["outcome"] == "failure") | (this_["outcome"] == "success")))
          .select({this_["time"], this_["host"], this_["ip"], this_["user"], this_["key"],
                   {"failed", this_["outcome"] == "failure"}}),
      keyed.filter(attempt & (this_["outcome"] == "failure") & ~this_["invalid_user"])
          .select(columns),
  };
}

}  // namespace vigil::rules
