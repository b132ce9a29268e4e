#pragma once

#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "connectors/api/error_log.h"
#include "vigil/graph/table_node.h"
#include "vigil/ops/operator.h"
#include "vigil/ops/sink_op.h"

namespace vigil {

/// How a run treats bad data and engine errors.
struct RunOptions {
  /// Pathway's terminate_on_error: engine errors (e.g. unique() conflicts) fail the run.
  bool terminate_on_error = true;
  /// What readers do with rows they cannot parse.
  OnBadRow on_bad_row = OnBadRow::kSkip;
  /// Print data errors to stderr as they happen (first 20, then a count).
  bool echo_errors = true;
  /// Splits source batches into batches of at most this many rows (0: as produced). Results
  /// must not depend on it; the test matrix runs with 1, 2, 7 and the default.
  size_t max_batch_rows = 0;
  /// How many data errors are printed to stderr before only a count is kept.
  size_t echo_limit = 20;
  /// Called for every data error as it is reported (e.g. to write a dead-letter file).
  std::function<void(const DataError&)> on_data_error;
  /// Live runs (any source in streaming mode): every pass over the live sources reads what
  /// is available, each source stopping after about `max_commit_rows` input rows, and the
  /// commit closes right after the pass. So a line reaches the outputs within milliseconds,
  /// commits stay small under sustained input, and the time between commits is always far
  /// below Pathway's autocommit_duration_ms (1.5 s).
  size_t max_commit_rows = size_t{1} << 16;
  /// Live runs: how often sources without a wake-up descriptor (inotify unavailable) are
  /// polled, and the longest wait otherwise (a safety net for missed notifications).
  int poll_interval_ms = 20;
  /// Live runs stop at SIGINT/SIGTERM: the commit in progress is closed, sinks are flushed
  /// (OnEnd), and Run() returns OK with interrupted() set. No end-of-input flush happens
  /// (unless flush_on_stop): windows still open are not final. Whatever a live source held
  /// back (an unfinished last line) is reported as a warning in errors().
  bool stop_on_signals = true;
  /// Live runs stopped cleanly (SIGINT/SIGTERM, RequestStop): close with the end-of-input
  /// flush, as when every input ends, so windows held by exactly_once or common behaviours
  /// (cutoffs, delays) are emitted at stop. Off by default: at stop those windows may still
  /// change, so they are not final.
  bool flush_on_stop = false;
  /// Live runs, at a stop: how long (ms) the run goes on reading what its inputs already
  /// hold (buffered lines, lines written before the stop) before it ends; what is still
  /// unread then is reported as a warning.
  int stop_drain_ms = 10000;
  /// Print warnings (input that is reported but is not a row, and never fails the run: an
  /// unfinished line at truncation, rotation or stop; an unreadable directory; a stray file in
  /// a followed directory) to stderr as they happen, whatever echo_errors says.
  bool echo_warnings = true;
  /// Test hook: wraps every source when the run starts (the test matrix uses it to shuffle
  /// rows within commits and to split commits). Empty in production.
  std::function<std::unique_ptr<Source>(std::unique_ptr<Source>)> source_wrapper;
};

/// A table to compute and the sink that receives its update stream.
struct SinkBinding {
  NodePtr table;
  std::unique_ptr<UpdateSink> sink;
};

/// Compiles the graph reachable from the sinks into operators (one per node, shared when
/// tables share a node) and runs it: commit by commit, sources push their batches through
/// the operators, then every operator closes the commit in topological order. After the
/// last input commit comes the end-of-input commit (time kEndOfInputTime) that flushes
/// buffered state. Single-threaded; the executor owns operators, sources and the error log.
class Executor {
 public:
  static Result<std::unique_ptr<Executor>> Make(std::vector<SinkBinding> sinks,
                                                const RunOptions& options);
  /// Runs until every source is exhausted. Fails on source errors (missing files, bad
  /// headers, kFail rows) and, with terminate_on_error, on engine errors.
  Status Run();

  ErrorLog& errors() { return errors_; }
  /// The run stopped at SIGINT/SIGTERM (live runs).
  bool interrupted() const { return interrupted_; }
  /// Asks a live run to stop as a signal would (thread-safe: another thread may call it).
  static void RequestStop();
  UpdateSink& sink(size_t i) { return *sinks_[i].sink; }

 private:
  explicit Executor(const RunOptions& options);
  Result<Operator*> Compile(const NodePtr& node);
  /// Counts, for every node reachable from `node`, how many nodes read it.
  void CountConsumers(const TableNode* node);
  /// Offers `filter`'s predicate to the source it reads from (through maps), if that chain
  /// feeds nothing else.
  void PushFilterToSource(const TableNode& filter);
  /// Whether `node` (its inputs compiled) emits insertions only: from insert-only sources
  /// through operators that never turn an insertion into a retraction (Source::insert_only).
  bool OutputIsInsertOnly(const TableNode& node) const;
  /// What OutputIsInsertOnly (or the source) said of a compiled node.
  bool IsInsertOnly(const TableNode& node) const;
  /// Run() when some source is live.
  Status RunLive();
  /// Closes commit `time` in every operator and sink, in topological order (first handing
  /// the error-log sources their rows, unless it is the end-of-input commit).
  Status CloseCommit(Time time, bool end_of_input);
  /// Whether an error-log source (Source::follows_error_log) holds rows.
  bool ErrorRowsPending() const;
  /// After the inputs end: commits at `next_time()` while error rows remain (a few at most:
  /// errors of the error table's own consumers are not chased forever).
  Status CommitRemainingErrorRows(const std::function<Time()>& next_time);

  RunOptions options_;
  ErrorLog errors_;
  OperatorContext context_;
  std::vector<SinkBinding> sinks_;
  std::vector<std::unique_ptr<Operator>> operators_;  // Topological order.
  std::unordered_map<const TableNode*, Operator*> compiled_;
  std::unordered_map<const TableNode*, bool> insert_only_;  ///< Per compiled node.
  struct SourceEntry {
    std::unique_ptr<Source> source;
    Operator* op;
    const TableNode* node;
  };
  std::unordered_map<const TableNode*, int> consumers_;
  std::unordered_set<const TableNode*> counted_;
  std::vector<std::unique_ptr<BoundExpr>> pushed_predicates_;
  std::vector<SourceEntry> sources_;
  std::vector<size_t> error_log_sources_;  ///< Indexes in sources_ (follows_error_log).
  bool interrupted_ = false;
};

}  // namespace vigil
