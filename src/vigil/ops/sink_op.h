#pragma once

#include <functional>
#include <span>
#include <vector>

#include "vigil/batch/update.h"
#include "vigil/ops/operator.h"

namespace vigil {

/// Base of every sink: collects the updates of a commit, consolidates them (the canonical
/// form, batch/update.h) and hands them over once per commit, in (id, row) order.
/// Commits in which this sink received no updates are skipped entirely (no Consume, no
/// OnTimeEnd).
class UpdateSink : public Operator {
 public:
  using Operator::Operator;
  void OnBatch(size_t port, const Batch& batch, Time time) final;
  void OnCommitEnd(Time time, bool end_of_input) final;
  /// Called after the last commit.
  virtual void OnEnd() {}

 protected:
  /// The consolidated updates of commit `time` (non-empty).
  virtual void Consume(std::vector<Update>& updates, Time time) = 0;
  /// Called at the end of every commit this sink saw data in, after Consume.
  virtual void OnTimeEnd(Time time) { (void)time; }

 private:
  std::vector<Update> pending_;
};

/// Keeps the whole consolidated stream (for compute_and_print and tests).
class CaptureSink final : public UpdateSink {
 public:
  CaptureSink() : UpdateSink("capture") {}
  const std::vector<Update>& updates() const { return updates_; }
  std::vector<Update>& updates() { return updates_; }

 protected:
  void Consume(std::vector<Update>& updates, Time time) override;

 private:
  std::vector<Update> updates_;
};

/// Calls user callbacks: Pathway's subscribe(on_change, on_time_end, on_end).
struct SubscribeCallbacks {
  std::function<void(const Key& key, std::span<const Value> row, Time time, bool is_addition)>
      on_change;
  std::function<void(Time time)> on_time_end;
  std::function<void()> on_end;
};

class SubscribeSink final : public UpdateSink {
 public:
  explicit SubscribeSink(SubscribeCallbacks callbacks)
      : UpdateSink("subscribe"), callbacks_(std::move(callbacks)) {}
  void OnEnd() override;

 protected:
  void Consume(std::vector<Update>& updates, Time time) override;
  void OnTimeEnd(Time time) override;

 private:
  SubscribeCallbacks callbacks_;
  std::vector<Value> row_;
};

}  // namespace vigil
