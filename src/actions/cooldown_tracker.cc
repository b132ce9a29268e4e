#include "actions/cooldown_tracker.h"

#include <algorithm>

namespace vigil::actions {

CooldownTracker::CooldownTracker(std::chrono::milliseconds cooldown, std::size_t max_keys)
    : cooldown_(cooldown), max_keys_(std::max<std::size_t>(max_keys, 1)) {}

std::string CooldownTracker::PairKey(std::string_view rule, std::string_view key) {
  std::string pair = std::to_string(rule.size());
  pair.push_back(':');
  pair.append(rule);
  pair.append(key);
  return pair;
}

bool CooldownTracker::IsCoolingDown(std::string_view rule, std::string_view key,
                                    Clock::time_point now) {
  if (cooldown_.count() <= 0) return false;
  Expire(now);
  return last_run_.contains(PairKey(rule, key));
}

void CooldownTracker::Record(std::string_view rule, std::string_view key, Clock::time_point now) {
  if (cooldown_.count() <= 0) return;
  if (!order_.empty()) now = std::max(now, order_.back().second);
  Expire(now);
  std::string pair = PairKey(rule, key);
  last_run_[pair] = now;
  order_.emplace_back(std::move(pair), now);
  // A refreshed key leaves a stale FIFO entry behind; bounding the FIFO bounds both.
  while (order_.size() > max_keys_) PopOldest();
}

void CooldownTracker::Expire(Clock::time_point now) {
  while (!order_.empty() && order_.front().second + cooldown_ <= now) PopOldest();
}

void CooldownTracker::PopOldest() {
  auto& [pair, time] = order_.front();
  auto it = last_run_.find(pair);
  if (it != last_run_.end() && it->second == time) last_run_.erase(it);
  order_.pop_front();
}

}  // namespace vigil::actions
