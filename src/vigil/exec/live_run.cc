// Executor::RunLive: the serving loop of a run with live (streaming) sources.
//
// Why commits close on drain: Pathway closes a commit every autocommit_duration_ms (1.5 s by
// default) and polls files every 0.5 s, so an alert waits for both. Here every pass over the
// live sources reads what is available (each source stops at max_commit_rows input rows) and
// the commit closes right after the pass, so a line appended to a followed file reaches the
// sinks in the time it takes to wake (inotify), parse and run one small commit. A pass is
// bounded by max_commit_rows rows (milliseconds of work), so commits are always far more
// frequent than any autocommit period: Pathway's bound on the time between commits holds with
// room to spare, and commit size (the state a commit holds, e.g. a replay's) stays bounded.

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "vigil/exec/executor.h"
#include "vigil/exec/stop_signal.h"

namespace vigil {

namespace {

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

/// The processing time of a new live commit: the wall clock in milliseconds (as Pathway's
/// streaming times), made even (Pathway keeps odd times for internal use) and later than
/// the previous commit.
Time NextLiveTime(std::optional<Time> last) {
  uint64_t t = static_cast<uint64_t>(std::max<int64_t>(NowMs(), 0));
  t += t & 1;
  if (last && t <= *last) t = *last + 2;
  return Time{t};
}

}  // namespace

void Executor::RequestStop() { StopSignalScope::Request(); }

Status Executor::RunLive() {
  StopSignalScope stop(options_.stop_on_signals);
  std::optional<Time> last_time;

  // Static sources in a live run (e.g. a reference table) are read first, each of their
  // commits becoming one live commit.
  for (auto& s : sources_) {
    if (s.source->is_live()) continue;
    while (s.source->NextCommitTime()) {
      const Time time = NextLiveTime(last_time);
      Operator* entry = s.op;
      RETURN_NOT_OK(s.source->ReadCommit([&](const Batch& b) { entry->OnBatch(0, b, time); }));
      RETURN_NOT_OK(CloseCommit(time, false));
      last_time = time;
    }
  }

  struct LiveEntry {
    Source* source;
    Operator* op;
    bool ended = false;
  };
  std::vector<LiveEntry> live;
  for (auto& s : sources_) {
    if (s.source->is_live()) live.push_back({s.source.get(), s.op});
  }

  // The commit in progress opens at its first batch (so its time is when data came).
  std::optional<Time> open_time;
  auto open_commit = [&]() {
    if (!open_time) open_time = NextLiveTime(last_time);
  };
  auto close_open_commit = [&]() -> Status {
    if (!open_time) return Status::OK();
    const Time time = *open_time;
    open_time.reset();
    last_time = time;
    return CloseCommit(time, false);
  };

  // A source stops after about this many input rows (before any pushed-down filter), and
  // the commit then closes: commits, and the state a commit holds, stay bounded by input
  // size, not by how many rows survive the filters.
  const size_t read_rows = std::max<size_t>(1, options_.max_commit_rows);
  std::vector<struct pollfd> waits;
  // A stop (SIGINT/SIGTERM) ends the run once what the inputs hold at that moment is read:
  // lines already read into a buffer, or written before the stop, are counted, not lost. A
  // writer that keeps appending cannot hold the stop off: after stop_drain_ms whatever is
  // still unread is reported (ReportUnfinished) instead.
  std::optional<int64_t> stop_deadline_ms;
  while (true) {
    if (!stop_deadline_ms && stop.stop_requested()) {
      stop_deadline_ms = NowMs() + options_.stop_drain_ms;
    }
    bool all_drained = true;
    bool all_ended = true;
    for (LiveEntry& entry : live) {
      if (entry.ended) continue;
      Operator* op = entry.op;
      ASSIGN_OR_RAISE(const LiveRead state,
                      entry.source->ReadAvailable(
                          [&](const Batch& batch) {
                            if (batch.empty()) return;
                            open_commit();
                            op->OnBatch(0, batch, *open_time);
                          },
                          read_rows));
      if (state == LiveRead::kEnded) entry.ended = true;
      if (state == LiveRead::kMore) all_drained = false;
      all_ended &= entry.ended;
    }
    if (all_ended) break;
    // Every source is drained or stopped at the row limit: the commit closes now.
    RETURN_NOT_OK(close_open_commit());
    if (ErrorRowsPending()) {
      // Errors raised while the commit closed are rows of the next one, now rather than
      // with the next input (one such commit per pass: no chase of errors about errors).
      open_commit();
      RETURN_NOT_OK(close_open_commit());
    }
    if (stop_deadline_ms && (all_drained || NowMs() >= *stop_deadline_ms)) {
      interrupted_ = true;
      break;
    }
    if (!all_drained) continue;

    // Wait for a source to have more, for a stop, or for the polling period.
    waits.clear();
    bool must_poll = false;
    for (const LiveEntry& entry : live) {
      if (entry.ended) continue;
      const int fd = entry.source->wait_fd();
      if (fd < 0) {
        must_poll = true;
      } else {
        waits.push_back({fd, POLLIN, 0});
      }
    }
    if (stop.fd() >= 0) waits.push_back({stop.fd(), POLLIN, 0});
    // Without a descriptor for every source, poll; with them, still look again now and then
    // in case a notification was missed (e.g. inotify queue overflow).
    const int timeout_ms = must_poll ? options_.poll_interval_ms : 1000;
    const int ready = ::poll(waits.data(), waits.size(), timeout_ms);
    if (ready < 0 && errno != EINTR) {
      return Status::IoError("waiting for live input failed: {}", std::strerror(errno));
    }
  }

  RETURN_NOT_OK(close_open_commit());
  if (interrupted_) {
    // Nothing held back vanishes at a stop: each source reports its unfinished last line
    // (or the input it had not read yet) as a warning.
    for (const LiveEntry& entry : live) {
      if (!entry.ended) entry.source->ReportUnfinished(UnfinishedLineEnd::kStopped);
    }
    if (options_.flush_on_stop) {
      // Rows a source held for input still to come (e.g. a connection whose closing line
      // never came) are emitted, as a static read emits them at the end of its input.
      for (LiveEntry& entry : live) {
        if (entry.ended) continue;
        Operator* op = entry.op;
        RETURN_NOT_OK(entry.source->FinishAtStop([&](const Batch& batch) {
          if (batch.empty()) return;
          open_commit();
          op->OnBatch(0, batch, *open_time);
        }));
      }
      RETURN_NOT_OK(close_open_commit());
    }
  }
  if (!interrupted_ || options_.flush_on_stop) {
    RETURN_NOT_OK(CommitRemainingErrorRows([&] {
      last_time = NextLiveTime(last_time);
      return *last_time;
    }));
    // Every input ended (stdin closed, replay at the end of its file), or a stop asks for the
    // final results: flush as static runs do.
    RETURN_NOT_OK(CloseCommit(kEndOfInputTime, true));
  }
  for (auto& binding : sinks_) binding.sink->OnEnd();
  errors_.PrintSummary();
  return Status::OK();
}

}  // namespace vigil
