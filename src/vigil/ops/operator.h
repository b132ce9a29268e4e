#pragma once

#include <string>
#include <utility>
#include <vector>

#include "connectors/api/error_log.h"
#include "vigil/batch/batch.h"
#include "vigil/common/status.h"
#include "vigil/common/strong_types.h"

namespace vigil {

/// Run-wide services an operator may use: where to report bad data and engine errors.
/// Owned by the executor; outlives every operator of the run.
struct OperatorContext {
  ErrorLog* errors = nullptr;
  /// Pathway's terminate_on_error: an engine error (e.g. unique() seeing two values) fails the
  /// run after the current commit; when false the bad value becomes Error and is logged.
  bool terminate_on_error = true;
  /// First engine error of the run (checked by the executor after each commit).
  Status engine_error;

  void ReportEngineError(const std::string& operator_name, const std::string& message);
  /// Reports something the user should know that is neither an error nor a bad row (e.g.
  /// rows a behavior ignored as late); never fails the run.
  void ReportWarning(const std::string& operator_name, const std::string& message);
};

/// An incremental operator: it receives the updates of one commit, keeps whatever state it
/// needs, and emits exactly the output updates of that commit.
///
/// Contract (all calls from the executor's thread; one instance per worker, so no locks):
///  - OnBatch(port, batch, time) is called zero or more times per commit for each input port,
///    in any order across ports, with batches of any size (results must not depend on how a
///    commit is split into batches or on the order of rows within it).
///  - OnCommitEnd(time) is called once per commit after every upstream operator finished the
///    commit (topological order). Stateful operators emit their output here; stateless ones
///    emit during OnBatch and ignore it.
///  - The last commit has time kEndOfInputTime and `end_of_input` set: operators holding
///    buffered data (delays) flush it then.
///  - A batch passed in is valid only during the call. An operator that keeps values copies
///    them (StoredValue, its own ValueArena). Emitted batches may point into the operator's
///    state, so an operator must not change that state until Emit returns.
///  - Allocation: steady-state processing must not allocate per row (reuse output batches and
///    scratch vectors); state grows per new group/window, not per update.
class Operator {
 public:
  explicit Operator(std::string name) : name_(std::move(name)) {}
  virtual ~Operator() = default;
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;

  virtual void OnBatch(size_t port, const Batch& batch, Time time) = 0;
  virtual void OnCommitEnd(Time time, bool end_of_input) {
    (void)time;
    (void)end_of_input;
  }

  /// Sends this operator's output to input `port` of `downstream`.
  void ConnectTo(Operator* downstream, size_t port) { outputs_.emplace_back(downstream, port); }
  void set_context(OperatorContext* context) { context_ = context; }
  const std::string& name() const { return name_; }

 protected:
  void Emit(const Batch& batch, Time time) {
    if (batch.empty()) return;
    for (auto& [op, port] : outputs_) op->OnBatch(port, batch, time);
  }
  OperatorContext& context() { return *context_; }
  /// Reports runtime expression errors collected by an evaluator.
  void ReportExpressionErrors(std::vector<std::string>& messages);

 private:
  std::string name_;
  std::vector<std::pair<Operator*, size_t>> outputs_;
  OperatorContext* context_ = nullptr;
};

}  // namespace vigil
