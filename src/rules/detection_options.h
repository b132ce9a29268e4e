#pragma once

#include <cstdint>

namespace vigil::rules {

/// How the rules emit, matching `vigil detect --emit` (see src/rules/README.md, "Emission").
enum class EmitMode {
  /// No temporal behavior: every window's state is kept and updated (static runs; the
  /// final table is the answer).
  kStatic,
  /// Live: each windowed alert once, when its window closes (exactly_once_behavior);
  /// success_after_failures at once.
  kFinal,
  /// Static input read in commits (`vigil detect FILE...`, bounded memory): the pipelines
  /// run as under kFinal, with a cutoff that no event of the input exceeds (the reading-order
  /// lateness measured before the run: connectors/authlog/event_lateness.h), so windows
  /// close while the input is read and none drops an event. SubscribeAlerts delivers the
  /// final table, as under kStatic: each windowed alert once, and a success_after_failures
  /// alert in its settled version (README.md, "Emission").
  kStaticBounded,
  /// Live: windowed alerts as they grow (common_behavior with a cutoff; big alerts in
  /// steps of growth); windows longer than kMaxUpdatingWindowSeconds once, when they close
  /// (README.md, "Emission").
  kUpdates,
};

/// The longest window updated as it grows under EmitMode::kUpdates (10 minutes).
inline constexpr int64_t kMaxUpdatingWindowSeconds = 600;

/// Under EmitMode::kUpdates, an alert of fewer sources than this is updated on every change;
/// a bigger one each time its source count has grown by kUpdateGrowthFactor, and when its
/// window closes (Behavior::growth_steps; README.md, "Emission"): O(sources) recomputed
/// O(log sources) times, not in every live commit.
inline constexpr int64_t kUpdateEveryChangeBelow = 64;
inline constexpr double kUpdateGrowthFactor = 1.5;

struct DetectionOptions {
  EmitMode emit = EmitMode::kStatic;
  /// Live modes: how late (seconds of event time) a row may come and still count; windows
  /// are forgotten this long after they end (flat memory). `--cutoff`.
  int64_t cutoff_seconds = 60;
};

/// Whether the alerts of windows of `window_seconds` are emitted once, when the window
/// closes (EmitMode::kFinal; kUpdates past kMaxUpdatingWindowSeconds). Then level 1 counts
/// each window's sources without emitting and hands level 2 the final counts when the
/// window closes (README.md, "Emission").
inline bool EmitsOnceWhenClosed(const DetectionOptions& options, int64_t window_seconds) {
  return options.emit == EmitMode::kFinal || options.emit == EmitMode::kStaticBounded ||
         (options.emit == EmitMode::kUpdates && window_seconds > kMaxUpdatingWindowSeconds);
}

}  // namespace vigil::rules
