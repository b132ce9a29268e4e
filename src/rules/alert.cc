#include "rules/alert.h"

#include <memory>
#include <optional>

#include <absl/container/flat_hash_map.h>

#include "connectors/io.h"
#include "rules/alert_schema.h"
#include "vigil/types/datetime.h"

namespace vigil::rules {

namespace {



Status ReadString(const Value& v, size_t column, std::string& out) {
  if (v.kind() != ValueKind::kString) {
    return Status::Invalid("alert column '{}' is not a string", kAlertColumnNames[column]);
  }
  out.assign(v.as_string());
  return Status::OK();
}

Status ReadStrings(const Value& v, size_t column, std::vector<std::string>& out) {
  if (v.kind() != ValueKind::kTuple) {
    return Status::Invalid("alert column '{}' is not a tuple", kAlertColumnNames[column]);
  }
  out.resize(v.tuple_size());
  for (uint32_t i = 0; i < v.tuple_size(); ++i) {
    RETURN_NOT_OK(ReadString(v.tuple_at(i), column, out[i]));
  }
  return Status::OK();
}

Status ReadInt(const Value& v, size_t column, int64_t& out) {
  if (v.kind() != ValueKind::kInt) {
    return Status::Invalid("alert column '{}' is not an int", kAlertColumnNames[column]);
  }
  out = v.as_int();
  return Status::OK();
}

Status ReadTime(const Value& v, size_t column, int64_t& out) {
  if (v.kind() != ValueKind::kDateTimeUtc) {
    return Status::Invalid("alert column '{}' is not a DateTimeUtc", kAlertColumnNames[column]);
  }
  out = v.as_timestamp();
  return Status::OK();
}

/// What SubscribeAlerts remembers per success_after_failures alert: the count delivered and
/// the success's time (for pruning); under kStaticBounded the alert delivered, to retract it
/// when a version with more failures comes.
struct DeliveredSuccess {
  int64_t count = 0;
  int64_t success_ns = 0;
  std::optional<Alert> alert;
};

/// The state of one subscription; lives as long as the callbacks registered with the engine.
class AlertSubscription {
 public:
  AlertSubscription(const RulesConfig& config, const DetectionOptions& options,
                    std::function<void(const Alert&, bool)> on_alert)
      : emit_(options.emit),
        // Changes of a success alert stop once the success is forgotten (a cutoff after
        // it, on the successes' own clock, which a later success moves: see
        // success_after_failures.cc); twice lookback + cutoff is a generous horizon.
        retention_ns_(2 * (config.success_after_failures.lookback_seconds +
                           options.cutoff_seconds + 1) *
                      kNanosPerSecond),
        on_alert_(std::move(on_alert)) {}

  void OnChange(const Key& id, std::span<const Value> row, bool is_addition) {
    Status status = AlertFromRow(row, alert_);
    if (!status.ok()) return;  // Not an alerts table row: nothing to deliver.
    if (emit_ == EmitMode::kStatic || alert_.rule != "success_after_failures") {
      on_alert_(alert_, is_addition);
      return;
    }
    if (!is_addition) return;
    auto [it, inserted] = delivered_.try_emplace(id);
    if (!inserted) {
      if (emit_ == EmitMode::kFinal || alert_.count <= it->second.count) return;
      // A failure that came after its success (within the cutoff) joined it. Forgetting
      // only ever takes failures away (retractions, not delivered), so the version with
      // the most failures is the settled one, the static read's.
      if (emit_ == EmitMode::kStaticBounded) on_alert_(*it->second.alert, false);
    }
    it->second = {alert_.count, alert_.last_seen_ns, std::nullopt};
    if (emit_ == EmitMode::kStaticBounded) it->second.alert = alert_;
    latest_success_ns_ = std::max(latest_success_ns_, alert_.last_seen_ns);
    on_alert_(alert_, true);
    Prune();
  }

 private:
  /// Forgets ids of successes far behind the latest one (amortized: when the map doubled).
  void Prune() {
    if (delivered_.size() < prune_at_) return;
    const int64_t horizon = latest_success_ns_ - retention_ns_;
    absl::erase_if(delivered_, [horizon](const auto& entry) {
      return entry.second.success_ns < horizon;
    });
    prune_at_ = std::max<size_t>(1024, 2 * delivered_.size());
  }

  EmitMode emit_;
  int64_t retention_ns_;
  std::function<void(const Alert&, bool)> on_alert_;
  Alert alert_;
  absl::flat_hash_map<Key, DeliveredSuccess> delivered_;
  int64_t latest_success_ns_ = INT64_MIN;
  size_t prune_at_ = 1024;
};

}  // namespace

Status AlertFromRow(std::span<const Value> row, Alert& alert) {
  namespace c = alert_columns;
  if (row.size() != c::kColumnCount) {
    return Status::Invalid("an alert row has {} columns, not {}", row.size(), c::kColumnCount);
  }
  RETURN_NOT_OK(ReadString(row[c::kRule], c::kRule, alert.rule));
  RETURN_NOT_OK(ReadString(row[c::kSeverity], c::kSeverity, alert.severity));
  RETURN_NOT_OK(ReadString(row[c::kIp], c::kIp, alert.ip));
  RETURN_NOT_OK(ReadStrings(row[c::kIps], c::kIps, alert.ips));
  RETURN_NOT_OK(ReadStrings(row[c::kUsers], c::kUsers, alert.users));
  RETURN_NOT_OK(ReadInt(row[c::kUserCount], c::kUserCount, alert.user_count));
  RETURN_NOT_OK(ReadInt(row[c::kCount], c::kCount, alert.count));
  RETURN_NOT_OK(ReadTime(row[c::kWindowStart], c::kWindowStart, alert.window_start_ns));
  RETURN_NOT_OK(ReadTime(row[c::kWindowEnd], c::kWindowEnd, alert.window_end_ns));
  RETURN_NOT_OK(ReadTime(row[c::kFirstSeen], c::kFirstSeen, alert.first_seen_ns));
  RETURN_NOT_OK(ReadTime(row[c::kLastSeen], c::kLastSeen, alert.last_seen_ns));
  return Status::OK();
}

void SubscribeAlerts(const Table& alerts, const RulesConfig& config,
                     const DetectionOptions& options,
                     std::function<void(const Alert& alert, bool is_addition)> on_alert,
                     std::function<void()> on_time_end) {
  auto subscription = std::make_shared<AlertSubscription>(config, options, std::move(on_alert));
  io::subscribe(
      alerts,
      [subscription](const Key& id, std::span<const Value> row, Time, bool is_addition) {
        subscription->OnChange(id, row, is_addition);
      },
      [on_time_end](Time) {
        if (on_time_end) on_time_end();
      });
}

}  // namespace vigil::rules
