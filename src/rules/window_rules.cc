#include "rules/window_rules.h"

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "rules/alert_shape.h"

namespace vigil::rules {

namespace {

/// What a windowed rule compares with its threshold.
enum class Measure {
  kEvents,         ///< rows in the window
  kDistinctUsers,  ///< distinct non-empty user names
  kDistinctKeys,   ///< distinct source keys
};

/// How a windowed rule groups rows.
enum class Grouping {
  kSourceKey,   ///< per source key (address or prefix)
  kTargetUser,  ///< per (host, user): the alert's `ip` is `user@host`
};

struct WindowedRule {
  const char* name;
  const char* severity;
  Measure measure;
  Grouping grouping;
};

/// Live runs get the CLI's behaviors on the reading-order clock (a replay and a follower of
/// the same log agree); static runs keep every window.
std::optional<Behavior> WindowBehavior(const DetectionOptions& options) {
  const std::chrono::seconds cutoff(options.cutoff_seconds);
  std::optional<Behavior> behavior;
  switch (options.emit) {
    case EmitMode::kStatic:
      return std::nullopt;
    case EmitMode::kFinal:
      behavior = temporal::exactly_once_behavior(cutoff);
      break;
    case EmitMode::kUpdates:
      behavior = temporal::common_behavior(std::nullopt, cutoff);
      break;
  }
  behavior->cutoff_clock = Behavior::CutoffClock::kReadingOrder;
  return behavior;
}

/// `user@host`, built once per alert update.
Expr TargetText(const Expr& user, const Expr& host) {
  return apply(
      dtype::Str,
      [](std::span<const Value> args, ValueArena& arena) {
        if (args[0].kind() != ValueKind::kString || args[1].kind() != ValueKind::kString) {
          return Value::Error();
        }
        const std::string_view user_text = args[0].as_string();
        const std::string_view host_text = args[1].as_string();
        char* out = static_cast<char*>(arena.Allocate(user_text.size() + 1 + host_text.size()));
        std::memcpy(out, user_text.data(), user_text.size());
        out[user_text.size()] = '@';
        std::memcpy(out + user_text.size() + 1, host_text.data(), host_text.size());
        return Value::String(std::string_view(out, user_text.size() + 1 + host_text.size()));
      },
      {user, host}, "user_at_host");
}

Table BuildWindowed(const Table& rows, const WindowedRule& rule,
                    const std::vector<WindowThreshold>& windows, const RuleContext& context) {
  if (windows.empty()) {
    // No window configured: the rule's table, empty (no row passes).
    return BuildWindowed(rows.filter(Expr(false)), rule, {{1, 1}}, context);
  }
  std::optional<Table> alerts;
  for (size_t i = 0; i < windows.size(); ++i) {
    const WindowThreshold& w = windows[i];
    // The rule's name and the window's index in the instance keep alert ids of different
    // rules and windows apart (concat needs disjoint ids); `_pw_instance` is not read back.
    std::vector<Expr> instance = {Expr(rule.name), Expr(static_cast<int64_t>(i))};
    if (rule.grouping == Grouping::kSourceKey) {
      instance.push_back(this_["key"]);
    } else {
      instance.push_back(this_["host"]);
      instance.push_back(this_["user"]);
    }
    std::vector<NamedExpr> reduced_columns = {
        {"window_start", this_["_pw_window_start"]},
        {"window_end", this_["_pw_window_end"]},
        {"all_ips", reducers::sorted_tuple(this_["ip"])},
        {"all_users", reducers::sorted_tuple(this_["user"])},
        {"count", reducers::count()},
        {"first_seen", reducers::min(this_["time"])},
        {"last_seen", reducers::max(this_["time"])},
    };
    if (rule.grouping == Grouping::kSourceKey) {
      reduced_columns.push_back({"ip", reducers::any(this_["key"])});
    } else {
      reduced_columns.push_back({"target_user", reducers::any(this_["user"])});
      reduced_columns.push_back({"target_host", reducers::any(this_["host"])});
    }
    if (rule.measure == Measure::kDistinctKeys) {
      reduced_columns.push_back({"key_count", reducers::count_distinct({this_["key"]})});
    }
    Table reduced =
        rows.windowby(this_["time"], temporal::tumbling(std::chrono::seconds(w.window_seconds)),
                      make_tuple(std::move(instance)), WindowBehavior(context.options))
            .reduce(std::move(reduced_columns));
    switch (rule.measure) {
      case Measure::kEvents:
        reduced = reduced.filter(this_["count"] >= w.threshold);
        break;
      case Measure::kDistinctUsers:
        reduced = reduced.filter(DistinctNonEmptyCount(this_["all_users"]) >= w.threshold);
        break;
      case Measure::kDistinctKeys:
        reduced = reduced.filter(this_["key_count"] >= w.threshold);
        break;
    }
    if (rule.grouping == Grouping::kTargetUser) {
      reduced = reduced.with_columns(
          {{"ip", TargetText(this_["target_user"], this_["target_host"])}});
    }
    Table shaped = ShapeAlerts(reduced, rule.name, rule.severity, context.max_users);
    alerts = alerts ? alerts->concat(shaped) : shaped;
  }
  return *alerts;
}

}  // namespace

Table BuildBruteForce(const Table& failures, const BruteForceConfig& config,
                      const RuleContext& context) {
  return BuildWindowed(failures, {"brute_force", "medium", Measure::kEvents, Grouping::kSourceKey},
                       config.windows, context);
}

Table BuildSlowBruteForce(const Table& failures, const SlowBruteForceConfig& config,
                          const RuleContext& context) {
  return BuildWindowed(failures,
                       {"slow_brute_force", "medium", Measure::kEvents, Grouping::kSourceKey},
                       config.windows, context);
}

Table BuildSpraying(const Table& failures, const SprayingConfig& config,
                    const RuleContext& context) {
  return BuildWindowed(failures,
                       {"spraying", "medium", Measure::kDistinctUsers, Grouping::kSourceKey},
                       config.windows, context);
}

Table BuildDistributed(const Table& failures, const DistributedConfig& config,
                       const RuleContext& context) {
  return BuildWindowed(failures,
                       {"distributed", "high", Measure::kDistinctKeys, Grouping::kTargetUser},
                       config.windows, context);
}

Table BuildScan(const Table& scans, const ScanConfig& config, const RuleContext& context) {
  return BuildWindowed(scans, {"scan", "low", Measure::kEvents, Grouping::kSourceKey},
                       config.windows, context);
}

}  // namespace vigil::rules
