#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vigil::actions {

/// Remembers when the action last ran for each (rule, key), so it runs at most once per
/// cooldown for each: fail2ban bans an address once, not once per log line.
///
/// Memory stays bounded on an endless stream of new keys: entries are forgotten as soon as
/// their cooldown is over (a FIFO in recording order, so expiry is amortized O(1)), and past
/// `max_keys` the oldest entry is forgotten early. Forgetting early can only let an action
/// run again sooner, never suppress one it should run.
///
/// Not thread-safe: AlertActionRunner calls it under its lock. Times must not go backwards
/// (a steady clock); a time earlier than the last recorded one is treated as equal to it.
class CooldownTracker {
 public:
  using Clock = std::chrono::steady_clock;

  /// `cooldown` 0 remembers nothing: every alert runs. `max_keys` >= 1.
  CooldownTracker(std::chrono::milliseconds cooldown, std::size_t max_keys);

  /// True when the action ran for (rule, key) less than the cooldown before `now`.
  bool IsCoolingDown(std::string_view rule, std::string_view key, Clock::time_point now);
  /// Notes that the action runs for (rule, key) at `now`.
  void Record(std::string_view rule, std::string_view key, Clock::time_point now);

  /// (rule, key) pairs remembered right now.
  std::size_t size() const { return last_run_.size(); }

 private:
  /// The map key: the rule's length first, so no (rule, key) split can collide with another.
  static std::string PairKey(std::string_view rule, std::string_view key);
  /// Forgets every entry whose cooldown is over at `now`.
  void Expire(Clock::time_point now);
  /// Drops the front of the FIFO, and its map entry unless a later Record refreshed it.
  void PopOldest();

  std::chrono::milliseconds cooldown_;
  std::size_t max_keys_;
  std::unordered_map<std::string, Clock::time_point> last_run_;
  /// (pair key, time) in recording order, so the oldest entry is at the front.
  std::deque<std::pair<std::string, Clock::time_point>> order_;
};

}  // namespace vigil::actions
