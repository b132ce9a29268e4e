#include "vigil/exec/executor.h"

#include <algorithm>

#include <fmt/format.h>

#include "vigil/ops/flatten_op.h"
#include "vigil/ops/groupby_reduce_op.h"
#include "vigil/ops/join/join_op.h"
#include "vigil/ops/map_op.h"
#include "vigil/ops/temporal/cutoff_op.h"
#include "vigil/ops/temporal/delay_op.h"
#include "vigil/ops/temporal/forget_op.h"
#include "vigil/ops/temporal/growth_gate_op.h"
#include "vigil/ops/window/session_assign_op.h"
#include "vigil/ops/window/window_assign_op.h"

namespace vigil {

namespace {
/// Where a source's batches enter the graph: forwards them, cut to at most
/// `max_batch_rows` rows when set. For a source that declared itself insert-only it checks
/// the promise, which operators downstream rely on (Source::insert_only).
class SourceOperator final : public Operator {
 public:
  SourceOperator(std::string name, size_t max_batch_rows, bool insert_only)
      : Operator(std::move(name)), max_batch_rows_(max_batch_rows), insert_only_(insert_only) {}
  void OnBatch(size_t /*port*/, const Batch& batch, Time time) override {
    if (insert_only_ && !OnlyInsertions(batch)) {
      // An engine bug, not bad data: fails the run whatever terminate_on_error says.
      if (context().engine_error.ok()) {
        context().engine_error = Status::EngineError(
            "{}: internal error: an insert-only source emitted a retraction", name());
      }
      return;
    }
    if (max_batch_rows_ == 0 || batch.num_rows() <= max_batch_rows_) {
      Emit(batch, time);
      return;
    }
    for (size_t start = 0; start < batch.num_rows(); start += max_batch_rows_) {
      if (chunk_.num_columns() != batch.num_columns()) chunk_ = Batch(batch.num_columns());
      chunk_.Clear();
      const size_t end = std::min(batch.num_rows(), start + max_batch_rows_);
      for (size_t r = start; r < end; ++r) chunk_.AppendRowFrom(batch, r);
      Emit(chunk_, time);
    }
  }

 private:
  size_t max_batch_rows_;
  bool insert_only_;
  Batch chunk_;
};
}  // namespace

Executor::Executor(const RunOptions& options) : options_(options) {
  errors_.set_echo_to_stderr(options.echo_errors, options.echo_limit);
  errors_.set_echo_warnings_to_stderr(options.echo_warnings, options.echo_limit);
  if (options.on_data_error) errors_.set_listener(options.on_data_error);
  context_.errors = &errors_;
  context_.terminate_on_error = options.terminate_on_error;
}

Result<std::unique_ptr<Executor>> Executor::Make(std::vector<SinkBinding> sinks,
                                                 const RunOptions& options) {
  std::unique_ptr<Executor> executor(new Executor(options));
  for (const auto& binding : sinks) executor->CountConsumers(binding.table.get());
  for (const auto& binding : sinks) executor->consumers_[binding.table.get()]++;
  for (auto& binding : sinks) {
    ASSIGN_OR_RAISE(Operator * op, executor->Compile(binding.table));
    binding.sink->set_context(&executor->context_);
    op->ConnectTo(binding.sink.get(), 0);
    executor->sinks_.push_back(std::move(binding));
  }
  return executor;
}

void Executor::CountConsumers(const TableNode* node) {
  if (!counted_.insert(node).second) return;
  for (const auto& input : node->inputs) {
    consumers_[input.get()]++;
    CountConsumers(input.get());
  }
}

Result<Operator*> Executor::Compile(const NodePtr& node) {
  RETURN_NOT_OK(node->status);
  if (auto it = compiled_.find(node.get()); it != compiled_.end()) return it->second;
  std::vector<Operator*> inputs;
  for (const auto& input : node->inputs) {
    ASSIGN_OR_RAISE(Operator * op, Compile(input));
    inputs.push_back(op);
  }
  std::unique_ptr<Operator> op;
  switch (node->kind) {
    case NodeKind::kSource: {
      SourceContext source_context{&errors_, options_.on_bad_row};
      ASSIGN_OR_RAISE(auto source, node->source_factory(source_context));
      // The error log is not read by commits, so there is nothing to reshuffle.
      const bool error_log = source->follows_error_log();
      if (options_.source_wrapper && !error_log) {
        source = options_.source_wrapper(std::move(source));
      }
      const bool insert_only = source->insert_only();
      op = std::make_unique<SourceOperator>("source", options_.max_batch_rows, insert_only);
      sources_.push_back({std::move(source), op.get(), node.get()});
      if (error_log) error_log_sources_.push_back(sources_.size() - 1);
      insert_only_[node.get()] = insert_only;
      break;
    }
    case NodeKind::kMap: op = std::make_unique<MapOperator>(node->operation, node->exprs); break;
    case NodeKind::kFilter:
      PushFilterToSource(*node);
      op = std::make_unique<FilterOperator>(node->operation, node->exprs[0]);
      break;
    case NodeKind::kConcat:
      op = std::make_unique<ConcatOperator>(node->operation, node->concat_maps);
      break;
    case NodeKind::kWindowAssign:
      op = std::make_unique<WindowAssignOperator>(node->operation, node->window,
                                                  node->inputs[0]->schema.size());
      break;
    case NodeKind::kSessionAssign:
      op = std::make_unique<SessionAssignOperator>(node->operation, node->session,
                                                   node->inputs[0]->schema.size());
      break;
    case NodeKind::kIntervalsOverAssign:  // Port 0: the windowed rows; port 1: the probes.
      op = std::make_unique<IntervalsOverOperator>(node->operation, node->intervals,
                                                   node->inputs[0]->schema.size());
      break;
    case NodeKind::kGroupBy:
      op = std::make_unique<GroupByReduceOperator>(node->operation, node->groupby,
                                                   IsInsertOnly(*node->inputs[0]));
      if (node->inputs[0]->kind == NodeKind::kForget &&
          !node->inputs[0]->temporal.group_keys.empty()) {
        // windowby with a cutoff: forgetting drops whole windows from this groupby.
        // The forget reads the keys this groupby computes for each batch it passes on, so
        // the groupby must be its only consumer (it always is: windowby makes both).
        if (consumers_[node->inputs[0].get()] == 1) {
          static_cast<ForgetOperator*>(inputs[0])->ConnectGroupsTo(
              static_cast<GroupByReduceOperator*>(op.get()),
              /*drop_results=*/!node->inputs[0]->temporal.keep_results);
        }
        // An exactly_once windowby holding results (GroupedTable::reduce made the delay
        // before the forget one): the delay tells this groupby when to emit each window.
        const TableNode& delay = *node->inputs[0]->inputs[0];
        if (delay.kind == NodeKind::kDelay && delay.temporal.hold_results &&
            consumers_[node->inputs[0].get()] == 1 && consumers_[&delay] == 1) {
          auto* groupby = static_cast<GroupByReduceOperator*>(op.get());
          groupby->HoldResults();
          static_cast<DelayOperator*>(compiled_.at(&delay))->HoldResultsOf(groupby);
        }
      }
      break;
    case NodeKind::kCutoff:
      op = std::make_unique<CutoffOperator>(node->operation, node->temporal, node->schema.size(),
                                               IsInsertOnly(*node->inputs[0]));
      break;
    case NodeKind::kDelay:
      op = std::make_unique<DelayOperator>(node->operation, node->temporal, node->schema.size(),
                                              IsInsertOnly(*node->inputs[0]));
      break;
    case NodeKind::kForget:
      op = std::make_unique<ForgetOperator>(node->operation, node->temporal, node->schema.size(),
                                               IsInsertOnly(*node->inputs[0]));
      break;
    case NodeKind::kGrowthGate:
      op = std::make_unique<GrowthGateOperator>(node->operation, node->temporal,
                                                node->schema.size(),
                                                IsInsertOnly(*node->inputs[0]));
      break;
    case NodeKind::kJoin:  // Port 0: the left table; port 1: the right.
      op = std::make_unique<JoinOperator>(node->operation, node->join);
      break;
    case NodeKind::kFlatten:
      op = std::make_unique<FlattenOperator>(node->operation, node->flatten_column,
                                             node->inputs[0]->schema.size(),
                                             node->flatten_origin_id);
      break;
  }
  Operator* raw = op.get();
  compiled_[node.get()] = raw;  // Before OutputIsInsertOnly: it asks a groupby how it was built.
  if (node->kind != NodeKind::kSource) {
    insert_only_[node.get()] = OutputIsInsertOnly(*node);
    if (node->kind == NodeKind::kGroupBy && insert_only_[node.get()]) {
      static_cast<GroupByReduceOperator*>(raw)->PromiseInsertOnlyOutput();
    }
  }
  op->set_context(&context_);
  for (size_t port = 0; port < inputs.size(); ++port) inputs[port]->ConnectTo(raw, port);
  operators_.push_back(std::move(op));
  return raw;
}

bool Executor::IsInsertOnly(const TableNode& node) const {
  auto it = insert_only_.find(&node);
  return it != insert_only_.end() && it->second;
}

bool Executor::OutputIsInsertOnly(const TableNode& node) const {
  const auto input_insert_only = [this](const NodePtr& input) { return IsInsertOnly(*input); };
  switch (node.kind) {
    case NodeKind::kSource: return false;  // Set from the source itself in Compile.
    // Every output row carries the diff of the input row it came from (one per window for
    // window assignment; none for a filtered or late row).
    case NodeKind::kMap:
    case NodeKind::kFilter:
    case NodeKind::kWindowAssign:
    case NodeKind::kCutoff:
    case NodeKind::kConcat:
    case NodeKind::kFlatten:
    // Hold rows and release them consolidated: insertions stay insertions.
    case NodeKind::kDelay:
    case NodeKind::kGrowthGate:
      return std::all_of(node.inputs.begin(), node.inputs.end(), input_insert_only);
    case NodeKind::kForget:
      // Windowby's forget drops whole groups from its groupby without a retraction;
      // Table::forget retracts rows.
      return !node.temporal.group_keys.empty() && input_insert_only(node.inputs[0]);
    case NodeKind::kGroupBy: {
      // An exactly_once windowby holding its results (HoldResults, set when the groupby was
      // compiled) and keeping them: each group is emitted once, when released, and never
      // changes after (no row can enter a released window: ops/temporal/README.md); the
      // groupby checks it (PromiseInsertOnlyOutput).
      const TableNode& forget = *node.inputs[0];
      auto it = compiled_.find(&node);
      return it != compiled_.end() && forget.kind == NodeKind::kForget &&
             forget.temporal.keep_results && input_insert_only(node.inputs[0]) &&
             static_cast<const GroupByReduceOperator*>(it->second)->holds_results();
    }
    // Outputs that change: a session merges, a group's or a match's result is replaced.
    case NodeKind::kSessionAssign:
    case NodeKind::kIntervalsOverAssign:
    case NodeKind::kJoin:
      return false;
  }
  return false;
}

void Executor::PushFilterToSource(const TableNode& filter) {
  // Walk up through maps to a source, rewriting the predicate into the source's columns.
  // Only a chain whose nodes feed nothing else may be filtered early: a source or map shared
  // with another consumer must keep every row.
  std::optional<BoundExpr> predicate = filter.exprs[0];
  const TableNode* node = filter.inputs[0].get();
  while (predicate && node->kind == NodeKind::kMap && consumers_[node] == 1) {
    predicate = SubstituteColumns(*predicate, node->exprs);
    node = node->inputs[0].get();
  }
  if (!predicate || node->kind != NodeKind::kSource || consumers_[node] != 1) return;
  for (auto& s : sources_) {
    if (s.node == node) {
      pushed_predicates_.push_back(std::make_unique<BoundExpr>(std::move(*predicate)));
      s.source->AcceptFilter(*pushed_predicates_.back());
      return;
    }
  }
}

Status Executor::CloseCommit(Time time, bool end_of_input) {
  if (!end_of_input) {
    for (size_t i : error_log_sources_) {
      SourceEntry& s = sources_[i];
      if (!s.source->has_pending_rows()) continue;
      RETURN_NOT_OK(s.source->ReadCommit([&](const Batch& b) { s.op->OnBatch(0, b, time); }));
    }
  }
  for (auto& op : operators_) op->OnCommitEnd(time, end_of_input);
  for (auto& binding : sinks_) binding.sink->OnCommitEnd(time, end_of_input);
  return context_.engine_error;
}

bool Executor::ErrorRowsPending() const {
  return std::any_of(error_log_sources_.begin(), error_log_sources_.end(),
                     [this](size_t i) { return sources_[i].source->has_pending_rows(); });
}

Status Executor::CommitRemainingErrorRows(const std::function<Time()>& next_time) {
  constexpr int kMaxErrorCommits = 3;
  for (int round = 0; round < kMaxErrorCommits && ErrorRowsPending(); ++round) {
    RETURN_NOT_OK(CloseCommit(next_time(), false));
  }
  return Status::OK();
}

Status Executor::Run() {
  for (auto& s : sources_) RETURN_NOT_OK(s.source->Open());
  for (auto& s : sources_) {
    if (s.source->is_live()) return RunLive();
  }
  std::optional<Time> last_time;
  while (true) {
    std::optional<Time> next;
    for (auto& s : sources_) {
      auto t = s.source->NextCommitTime();
      if (t && (!next || *t < *next)) next = t;
    }
    if (!next) break;
    if (last_time && *next <= *last_time) {
      return Status::Invalid("source commit times must increase: {} after {}", *next,
                             *last_time);
    }
    for (auto& s : sources_) {
      auto t = s.source->NextCommitTime();
      if (!t || *t != *next) continue;
      Operator* entry = s.op;
      const Time time = *next;
      RETURN_NOT_OK(s.source->ReadCommit([&](const Batch& b) { entry->OnBatch(0, b, time); }));
    }
    RETURN_NOT_OK(CloseCommit(*next, false));
    last_time = next;
  }
  RETURN_NOT_OK(CommitRemainingErrorRows([&] {
    last_time = last_time ? *last_time + 2 : Time{0};  // Even, as every commit time.
    return *last_time;
  }));
  RETURN_NOT_OK(CloseCommit(kEndOfInputTime, true));
  for (auto& binding : sinks_) binding.sink->OnEnd();
  errors_.PrintSummary();
  return Status::OK();
}

}  // namespace vigil
