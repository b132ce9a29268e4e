#include "rules/window_rules.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "rules/alert_shape.h"
#include "rules/source_counts.h"

namespace vigil::rules {

namespace {

/// What a windowed rule compares with its threshold.
enum class Measure {
  kEvents,         ///< rows in the window
  kDistinctUsers,  ///< distinct non-empty user names
  /// distinct source keys that failed and never succeeded in the group (distributed: its
  /// input is failures and successes; a source that logged in is a user, not a bot)
  kDistinctFailingKeys,
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
  /// The input is failures and successes (`PreparedEvents::attempts`); the failures of a
  /// source key that also logged in within the group are left out: a source that logs in is
  /// a user mistyping (an office NAT), not a guesser. kDistinctFailingKeys implies it.
  bool skip_sources_that_logged_in = false;
  /// brute_force: the input is failures and successes; failures of a (key, user) that also
  /// logged in within the group are not counted when they are at most this many (typos).
  /// Negative: not used.
  int64_t forgive_typos = -1;
};

/// Level 2 groups a window's sources into alerts, windowed on each source's last event time
/// (in the source's window, so in the same window). Its "now" is the per-commit one: level 1
/// emits a commit's changes in no particular order, and none of them is late for level 2
/// unless level 1 had dropped its event already.
///
/// Where the window's alerts are emitted once (EmitsOnceWhenClosed: --emit final, and under
/// --emit updates windows longer than kMaxUpdatingWindowSeconds, since an updated alert
/// carries its whole source list and a day window updated on every commit of a long attack
/// would cost O(sources so far) per commit), level 1 is exactly_once: a window's final
/// per-source counts all arrive in the one commit in which level 1 closes it, and nothing
/// for that window after. Level 2 then only groups them, at once (a delay here would wait
/// for a later window's sources to move level 2's "now", which follows their last event
/// times, past this one), and forgets the window once a later window's sources have moved
/// "now" past its end + cutoff. No earlier commit can make them late: level 1 closes
/// windows in the order of their ends, so the sources of earlier commits' windows have last
/// event times before this window's end.
std::optional<Behavior> Level2Behavior(const DetectionOptions& options, int64_t window_seconds) {
  const std::chrono::seconds cutoff(options.cutoff_seconds);
  if (options.emit == EmitMode::kStatic) return std::nullopt;
  if (EmitsOnceWhenClosed(options, window_seconds)) {
    return temporal::common_behavior(std::nullopt, cutoff);
  }
  // An alert lists every source, so recomputing it costs O(sources): a campaign of
  // thousands of sources (a botnet against one user) updated in every small live commit
  // would fall behind and delay every other alert. Past kUpdateEveryChangeBelow sources an
  // alert is updated each time it has grown by half, and exactly when its window closes.
  Behavior b = temporal::common_behavior(std::nullopt, cutoff);
  b.growth_steps = GrowthSteps{kUpdateEveryChangeBelow, kUpdateGrowthFactor};
  return b;
}

/// The event tuples `(ip, user, time, key, failed)` of failures whose source key has no
/// success among the events: an office user's typo followed by their login is not part of a
/// campaign. Once per group update; the kept tuples are views of the argument's (a group's
/// sorted_tuple, valid while the batch is processed), not copies.
Expr FailuresOfSourcesWithoutSuccess(const Expr& events) {
  return apply(
      dtype::Tuple,
      [](std::span<const Value> args, ValueArena& arena) {
        const Value& all = args[0];
        if (all.kind() != ValueKind::kTuple) return Value::Error();
        const auto part = [](const Value& event, uint32_t i) -> const Value* {
          if (event.kind() != ValueKind::kTuple || event.tuple_size() <= i) return nullptr;
          return &event.tuple_at(i);
        };
        const auto failed = [&part](const Value& event) {
          const Value* f = part(event, event_parts::kFailed);
          return f != nullptr && f->kind() == ValueKind::kBool && f->as_bool();
        };
        const auto key_of = [&part](const Value& event) -> std::string_view {
          const Value* k = part(event, event_parts::kKey);
          return k != nullptr && k->kind() == ValueKind::kString ? k->as_string()
                                                                 : std::string_view();
        };
        // A group is often all successes (a user who logs in from many places, in the
        // distributed rule's per-user groups): nothing to keep, and nothing to look up.
        uint32_t failures = 0;
        for (uint32_t i = 0; i < all.tuple_size(); ++i) failures += failed(all.tuple_at(i));
        if (failures == 0) return arena.MakeTuple(nullptr, 0);
        // A hash set, not a sorted vector: this runs on every update of the group, and a
        // group may hold thousands of successful sources.
        thread_local absl::flat_hash_set<std::string_view> succeeded;
        succeeded.clear();
        for (uint32_t i = 0; i < all.tuple_size(); ++i) {
          if (!failed(all.tuple_at(i))) succeeded.insert(key_of(all.tuple_at(i)));
        }
        thread_local std::vector<Value> kept;
        kept.clear();
        for (uint32_t i = 0; i < all.tuple_size(); ++i) {
          const Value& event = all.tuple_at(i);
          if (!failed(event)) continue;
          if (succeeded.contains(key_of(event))) continue;
          kept.push_back(event);
        }
        return arena.MakeTuple(kept.data(), static_cast<uint32_t>(kept.size()));
      },
      {events}, "failures_of_sources_without_success");
}

/// The failures of the per-source tuples, without those of a (key, user) that also logged in
/// within the group and failed at most `max_typos` times (an office user mistyping before
/// logging in); successes are dropped too. Once per group update.
Expr FailuresWithoutTypos(const Expr& events, int64_t max_typos) {
  return apply(
      dtype::Tuple,
      [max_typos](std::span<const Value> args, ValueArena& arena) {
        const Value& all = args[0];
        if (all.kind() != ValueKind::kTuple) return Value::Error();
        using KeyUser = std::pair<std::string_view, std::string_view>;
        const auto key_user = [](const Value& e) {
          return KeyUser(e.tuple_at(event_parts::kKey).as_string(),
                         e.tuple_at(event_parts::kUser).as_string());
        };
        thread_local std::vector<KeyUser> logged_in;
        logged_in.clear();
        for (uint32_t i = 0; i < all.tuple_size(); ++i) {
          const Value& e = all.tuple_at(i);
          if (e.kind() != ValueKind::kTuple || e.tuple_size() != event_parts::kSize) {
            return Value::Error();
          }
          if (!e.tuple_at(event_parts::kFailed).as_bool()) logged_in.push_back(key_user(e));
        }
        std::sort(logged_in.begin(), logged_in.end());
        // Failures per (key, user): a user's failures may span several tuples (one per ip
        // inside an aggregated prefix).
        thread_local std::vector<std::pair<KeyUser, int64_t>> failures;
        failures.clear();
        for (uint32_t i = 0; i < all.tuple_size(); ++i) {
          const Value& e = all.tuple_at(i);
          if (e.tuple_at(event_parts::kFailed).as_bool()) {
            failures.emplace_back(key_user(e), e.tuple_at(event_parts::kCount).as_int());
          }
        }
        std::sort(failures.begin(), failures.end());
        thread_local std::vector<Value> kept;
        kept.clear();
        for (uint32_t i = 0; i < all.tuple_size(); ++i) {
          const Value& e = all.tuple_at(i);
          if (!e.tuple_at(event_parts::kFailed).as_bool()) continue;
          const KeyUser ku = key_user(e);
          if (std::binary_search(logged_in.begin(), logged_in.end(), ku)) {
            int64_t total = 0;
            auto it = std::lower_bound(failures.begin(), failures.end(),
                                       std::make_pair(ku, std::numeric_limits<int64_t>::min()));
            for (; it != failures.end() && it->first == ku; ++it) total += it->second;
            if (total <= max_typos) continue;
          }
          kept.push_back(e);
        }
        return arena.MakeTuple(kept.data(), static_cast<uint32_t>(kept.size()));
      },
      {events}, "failures_without_typos");
}

/// The events counted by a tuple of per-source tuples: the sum of their kCount parts.
Expr SumOfCounts(const Expr& tuple) {
  return apply(
      dtype::Int,
      [](std::span<const Value> args, ValueArena&) {
        if (args[0].kind() != ValueKind::kTuple) return Value::Error();
        int64_t total = 0;
        for (uint32_t i = 0; i < args[0].tuple_size(); ++i) {
          const Value& event = args[0].tuple_at(i);
          if (event.kind() != ValueKind::kTuple || event.tuple_size() != event_parts::kSize) {
            return Value::Error();
          }
          total += event.tuple_at(event_parts::kCount).as_int();
        }
        return Value::Int(total);
      },
      {tuple}, "sum_of_counts");
}

/// The level-2 instance of a rule window: `(rule, window index, key)` or `(rule, window
/// index, host, user)`. The rule's name and the window's index keep the alert ids of different
/// rules and windows apart (concat needs disjoint ids).
Expr RuleInstance(const char* rule, int64_t window_index, Grouping grouping) {
  std::vector<Expr> parts;
  parts.reserve(4);  // By push_back: g++ 12's -Warray-bounds misfires on a list here.
  parts.push_back(Expr(rule));
  parts.push_back(Expr(window_index));
  if (grouping == Grouping::kSourceKey) {
    parts.push_back(this_["key"]);
  } else {
    parts.push_back(this_["host"]);
    parts.push_back(this_["user"]);
  }
  return make_tuple(std::move(parts));
}

/// The per-source tuple (event_parts) of a level-1 row. Without `with_key` the rule neither
/// skips sources that logged in nor forgives typos: key "" and failed true, as documented.
/// Its strings are views of the row's (level 2's sorted_tuple copies what it keeps).
Expr SourceTuple(bool with_key) {
  return apply(
      dtype::Tuple,
      [with_key](std::span<const Value> args, ValueArena& arena) {
        const Value parts[event_parts::kSize] = {
            args[0],
            args[1],
            args[2],
            with_key ? args[3] : Value::String(""),
            with_key ? args[4] : Value::Bool(true),
            args[5],
            args[6]};
        return arena.MakeTuple(parts, event_parts::kSize);
      },
      {this_["ip"], this_["user"], this_["first"], this_["key"], this_["failed"], this_["count"],
       this_["last"]},
      "source_tuple");
}

/// The alert's `ip` from the windowby instance `(rule, window index, key)` or
/// `(rule, window index, host, user)`: the key, or `user@host`. Once per alert update.
Expr IpFromInstance(Grouping grouping) {
  return apply(
      dtype::Str,
      [grouping](std::span<const Value> args, ValueArena& arena) {
        const Value& instance = args[0];
        const uint32_t size = grouping == Grouping::kSourceKey ? 3 : 4;
        if (instance.kind() != ValueKind::kTuple || instance.tuple_size() != size) {
          return Value::Error();
        }
        for (uint32_t i = 2; i < size; ++i) {
          if (instance.tuple_at(i).kind() != ValueKind::kString) return Value::Error();
        }
        if (grouping == Grouping::kSourceKey) {
          return arena.CopyString(instance.tuple_at(2).as_string());
        }
        const std::string_view host = instance.tuple_at(2).as_string();
        const std::string_view user = instance.tuple_at(3).as_string();
        const size_t size_bytes = user.size() + 1 + host.size();
        char* out = static_cast<char*>(arena.Allocate(size_bytes));
        std::memcpy(out, user.data(), user.size());
        out[user.size()] = '@';
        std::memcpy(out + user.size() + 1, host.data(), host.size());
        return Value::String(std::string_view(out, size_bytes));
      },
      {this_["instance"]}, "alert_ip");
}

/// Which of level 1's sources a rule reads.
enum class Sources {
  kAll,
  kFailures,  ///< a rule that counts failures alone
  kNone,      ///< a rule without windows: its table, never a row
};

/// `counts`: level 1 over the rule's events (SourceCounts).
Table BuildWindowed(SourceCounts& counts, Sources which, const WindowedRule& rule,
                    const std::vector<WindowThreshold>& windows, const RuleContext& context) {
  if (windows.empty()) {
    // No window configured: the rule's table, empty. On the 60 s counts, which brute_force
    // builds anyway with its default window.
    return BuildWindowed(counts, Sources::kNone, rule, {{60, 1}}, context);
  }
  const bool forgive = rule.forgive_typos >= 0;
  const bool skip_logged_in =
      rule.skip_sources_that_logged_in || rule.measure == Measure::kDistinctFailingKeys;
  // Both need each source tuple's key and whether it failed.
  const bool with_key = skip_logged_in || forgive;
  std::optional<Table> alerts;
  for (size_t i = 0; i < windows.size(); ++i) {
    const WindowThreshold& w = windows[i];
    const auto length = std::chrono::seconds(w.window_seconds);
    Table sources_in = counts.ForWindow(w.window_seconds);
    if (which == Sources::kFailures) sources_in = sources_in.filter(this_["failed"]);
    if (which == Sources::kNone) sources_in = sources_in.filter(Expr(false));
    const Table sources =
        sources_in.select({{"instance", RuleInstance(rule.name, static_cast<int64_t>(i),
                                                     rule.grouping)},
                           {"last", this_["last"]},
                           {"count", this_["count"]},
                           {"source", SourceTuple(with_key)}});
    // Level 2: one group per alert candidate, over its sources. A window of the same length
    // on a source's last event time puts each source row in its own window again; see
    // Level2Behavior for when it emits and forgets.
    Table reduced =
        sources
            .windowby(this_["last"], temporal::tumbling(length), this_["instance"],
                      Level2Behavior(context.options, w.window_seconds))
            .reduce({{"instance", this_["_pw_instance"]},
                     {"window_start", this_["_pw_window_start"]},
                     {"window_end", this_["_pw_window_end"]},
                     {"count", reducers::sum(this_["count"])},
                     {"events", reducers::sorted_tuple(this_["source"])}});
    if (skip_logged_in) {
      reduced = reduced
                    .with_columns({{"events", FailuresOfSourcesWithoutSuccess(this_["events"])}})
                    .with_columns({{"count", SumOfCounts(this_["events"])}});
    } else if (forgive) {
      reduced = reduced
                    .with_columns({{"events", FailuresWithoutTypos(this_["events"],
                                                                   rule.forgive_typos)}})
                    .with_columns({{"count", SumOfCounts(this_["events"])}});
    }
    switch (rule.measure) {
      case Measure::kEvents:
        reduced = reduced.filter(this_["count"] >= w.threshold);
        break;
      case Measure::kDistinctUsers:
        reduced =
            reduced.filter(DistinctPartCount(this_["events"], event_parts::kUser) >= w.threshold);
        break;
      case Measure::kDistinctFailingKeys:
        reduced =
            reduced.filter(DistinctPartCount(this_["events"], event_parts::kKey) >= w.threshold);
        break;
    }
    reduced = reduced.with_columns({{"ip", IpFromInstance(rule.grouping)}});
    Table shaped = ShapeAlerts(reduced, rule.name, rule.severity, context.max_users);
    alerts = alerts ? alerts->concat(shaped) : shaped;
  }
  return *alerts;
}

}  // namespace

Table BuildBruteForce(SourceCounts& attempts, const BruteForceConfig& config,
                      const RuleContext& context) {
  WindowedRule rule{"brute_force", "medium", Measure::kEvents, Grouping::kSourceKey};
  if (config.forgive_typos == 0) {
    return BuildWindowed(attempts, Sources::kFailures, rule, config.windows, context);
  }
  rule.forgive_typos = config.forgive_typos;
  return BuildWindowed(attempts, Sources::kAll, rule, config.windows, context);
}

Table BuildSlowBruteForce(SourceCounts& attempts, const SlowBruteForceConfig& config,
                          const RuleContext& context) {
  return BuildWindowed(attempts, Sources::kAll,
                       {"slow_brute_force", "medium", Measure::kEvents, Grouping::kSourceKey,
                        /*skip_sources_that_logged_in=*/true},
                       config.windows, context);
}

Table BuildSpraying(SourceCounts& attempts, const SprayingConfig& config,
                    const RuleContext& context) {
  return BuildWindowed(attempts, Sources::kAll,
                       {"spraying", "medium", Measure::kDistinctUsers, Grouping::kSourceKey,
                        /*skip_sources_that_logged_in=*/true},
                       config.windows, context);
}

Table BuildDistributed(SourceCounts& attempts, const DistributedConfig& config,
                       const RuleContext& context) {
  return BuildWindowed(attempts, Sources::kAll,
                       {"distributed", "high", Measure::kDistinctFailingKeys,
                        Grouping::kTargetUser},
                       config.windows, context);
}

Table BuildScan(SourceCounts& scans, const ScanConfig& config, const RuleContext& context) {
  return BuildWindowed(scans, Sources::kAll,
                       {"scan", "low", Measure::kEvents, Grouping::kSourceKey}, config.windows,
                       context);
}

}  // namespace vigil::rules
