#include "actions/alert_action_runner.h"

#include <fmt/format.h>
#include <signal.h>

#include <bit>
#include <system_error>
#include <utility>

#include "actions/action_environment.h"
#include "actions/action_process.h"
#include "actions/alert_validation.h"
#include "actions/message_text.h"
#include "actions/program_lookup.h"

namespace vigil::actions {
namespace {

constexpr int kMaxConcurrent = 64;
constexpr std::size_t kMaxQueueCapacity = 1 << 20;
constexpr std::size_t kMaxAlertBytesLimit = 64 << 20;
constexpr std::chrono::milliseconds kMaxCooldown = std::chrono::hours(24 * 365);
constexpr std::chrono::milliseconds kMaxWait = std::chrono::hours(24);

/// The 1st to 10th, then every power of two.
bool IsReportedOccurrence(uint64_t occurrence) {
  return occurrence <= 10 || std::has_single_bit(occurrence);
}

/// Blocks every asynchronous signal in the calling thread while it lives, restoring the old
/// mask after. Threads started meanwhile inherit the blocked mask, so Vigil's SIGINT/SIGTERM
/// handling (the live loop's stop signal) always runs on Vigil's own threads, and a worker
/// never dies of SIGPIPE.
class AsyncSignalsBlocked {
 public:
  AsyncSignalsBlocked() {
    sigset_t blocked;
    sigfillset(&blocked);
    for (int synchronous : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS}) {
      sigdelset(&blocked, synchronous);
    }
    pthread_sigmask(SIG_BLOCK, &blocked, &old_mask_);
  }
  ~AsyncSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr); }
  AsyncSignalsBlocked(const AsyncSignalsBlocked&) = delete;
  AsyncSignalsBlocked& operator=(const AsyncSignalsBlocked&) = delete;

 private:
  sigset_t old_mask_{};
};

Status ValidateOptions(const ActionOptions& options) {
  if (options.argv.empty()) return Status::Invalid("--on-alert needs a program");
  for (const std::string& argument : options.argv) {
    if (argument.find('\0') != std::string::npos) {
      return Status::Invalid("--on-alert argument {} contains a NUL byte",
                             QuoteForMessage(argument));
    }
  }
  // Upper bounds keep every `now + duration` far from overflowing the clock's range.
  if (options.cooldown < std::chrono::milliseconds(0) || options.cooldown > kMaxCooldown) {
    return Status::Invalid("the action cooldown must be 0..{} s", kMaxCooldown.count() / 1000);
  }
  if (options.queue_capacity < 1 || options.queue_capacity > kMaxQueueCapacity) {
    return Status::Invalid("the action queue capacity must be 1..{}", kMaxQueueCapacity);
  }
  if (options.timeout.count() <= 0 || options.timeout > kMaxWait) {
    return Status::Invalid("the action timeout must be 1 ms..{} s", kMaxWait.count() / 1000);
  }
  if (options.kill_grace.count() < 0 || options.kill_grace > kMaxWait) {
    return Status::Invalid("the kill grace must be 0..{} s", kMaxWait.count() / 1000);
  }
  if (options.close_timeout.count() < 0 || options.close_timeout > kMaxWait) {
    return Status::Invalid("the close timeout must be 0..{} s", kMaxWait.count() / 1000);
  }
  if (options.max_concurrent < 1 || options.max_concurrent > kMaxConcurrent) {
    return Status::Invalid("concurrent actions must be 1..{}", kMaxConcurrent);
  }
  if (options.max_alert_bytes < 1 || options.max_alert_bytes > kMaxAlertBytesLimit) {
    return Status::Invalid("the largest alert must be 1..{} bytes", kMaxAlertBytesLimit);
  }
  if (options.max_cooldown_keys < 1) return Status::Invalid("the cooldown must keep >= 1 key");
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<AlertActionRunner>> AlertActionRunner::Make(ActionOptions options) {
  RETURN_NOT_OK(ValidateOptions(options));
  ASSIGN_OR_RAISE(std::string path, ResolveProgram(options.argv.front()));
  std::unique_ptr<AlertActionRunner> runner(
      new AlertActionRunner(std::move(options), std::move(path)));
  AsyncSignalsBlocked blocked;
  runner->workers_.reserve(static_cast<std::size_t>(runner->options_.max_concurrent));
  try {
    for (int i = 0; i < runner->options_.max_concurrent; ++i) {
      runner->workers_.emplace_back([r = runner.get()] { r->WorkerLoop(); });
    }
  } catch (const std::system_error& error) {
    // Out of threads: the workers already started are joined by the destructor.
    return Status::Invalid("cannot start the action workers: {}", error.what());
  }
  return runner;
}

AlertActionRunner::AlertActionRunner(ActionOptions options, std::string program_path)
    : options_(std::move(options)),
      program_path_(std::move(program_path)),
      inherited_environment_(InheritedEnvironment()),
      cooldown_(options_.cooldown, options_.max_cooldown_keys) {}

AlertActionRunner::~AlertActionRunner() { Close(); }

SubmitOutcome AlertActionRunner::Submit(const ActionAlert& alert) {
  {
    std::lock_guard lock(mutex_);
    ++counters_.submitted;
    if (closing_) {
      ++counters_.closed;
      return SubmitOutcome::kClosed;
    }
  }
  Status valid = ValidateActionAlert(alert, options_.max_alert_bytes);
  if (!valid.ok()) {
    uint64_t occurrence;
    {
      std::lock_guard lock(mutex_);
      occurrence = ++counters_.rejected;
    }
    Report(ActionProblemKind::kRejected, occurrence, alert.rule, alert.key,
           fmt::format("action not run for rule {}, key {}: {}", QuoteForMessage(alert.rule),
                       QuoteForMessage(alert.key), valid.message()));
    return SubmitOutcome::kRejected;
  }
  uint64_t dropped;
  {
    std::lock_guard lock(mutex_);
    // Again: Close() may have run while the alert was validated, and its workers may be gone.
    if (closing_) {
      ++counters_.closed;
      return SubmitOutcome::kClosed;
    }
    auto now = CooldownTracker::Clock::now();
    if (cooldown_.IsCoolingDown(alert.rule, alert.key, now)) {
      ++counters_.suppressed;
      return SubmitOutcome::kSuppressed;
    }
    if (queue_.size() < options_.queue_capacity) {
      queue_.push_back(alert);
      cooldown_.Record(alert.rule, alert.key, now);
      ++counters_.queued;
      work_available_.notify_one();
      return SubmitOutcome::kQueued;
    }
    dropped = ++counters_.dropped;
  }
  Report(ActionProblemKind::kDropped, dropped, alert.rule, alert.key,
         fmt::format("action not run for rule {}, key {}: the action queue is full ({} "
                     "waiting; {} alerts dropped so far)",
                     QuoteForMessage(alert.rule), QuoteForMessage(alert.key),
                     options_.queue_capacity, dropped));
  return SubmitOutcome::kDropped;
}

void AlertActionRunner::WorkerLoop() {
  while (true) {
    ActionAlert alert;
    uint64_t abandoned = 0;
    {
      std::unique_lock lock(mutex_);
      work_available_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // Closing, nothing left.
      if (closing_ && CloseSignal::Clock::now() >= close_deadline_) {
        abandoned = queue_.size();
        counters_.abandoned += abandoned;
        queue_.clear();
      } else {
        alert = std::move(queue_.front());
        queue_.pop_front();
        ++counters_.run;
      }
    }
    if (abandoned > 0) {
      Report(ActionProblemKind::kAbandoned, 1, "", "",
             fmt::format("{} queued actions not run: still waiting when the action runner "
                         "closed ({} ms bound)",
                         abandoned, options_.close_timeout.count()));
      return;
    }
    RunOne(alert);
  }
}

void AlertActionRunner::RunOne(const ActionAlert& alert) {
  ProcessRequest request;
  request.path = program_path_;
  request.argv = options_.argv;
  request.environment = BuildActionEnvironment(alert, inherited_environment_);
  std::string stdin_bytes = alert.json;
  if (stdin_bytes.back() != '\n') stdin_bytes.push_back('\n');
  request.stdin_bytes = stdin_bytes;
  request.output = options_.output;
  request.deadline = CloseSignal::Clock::now() + options_.timeout;
  request.kill_grace = options_.kill_grace;
  ProcessResult result = RunActionProcess(request, &close_signal_);

  ActionProblemKind kind = ActionProblemKind::kFailed;
  uint64_t occurrence = 0;
  {
    std::lock_guard lock(mutex_);
    switch (result.end) {
      case ProcessEnd::kExited:
        if (result.exit_status == 0) {
          ++counters_.succeeded;
          return;
        }
        occurrence = ++counters_.failed;
        break;
      case ProcessEnd::kSignaled:
        occurrence = ++counters_.failed;
        break;
      case ProcessEnd::kSpawnFailed:
        kind = ActionProblemKind::kSpawnFailed;
        occurrence = ++counters_.failed;
        break;
      case ProcessEnd::kTimedOut:
      case ProcessEnd::kStoppedAtClose:
        kind = ActionProblemKind::kTimedOut;
        occurrence = ++counters_.timed_out;
        break;
    }
  }
  std::string how = DescribeProcessResult(result);
  if (result.end == ProcessEnd::kTimedOut) {
    how = fmt::format("ran longer than {} ms and was stopped", options_.timeout.count());
  }
  Report(kind, occurrence, alert.rule, alert.key,
         fmt::format("action {} for rule {}, key {} {}", QuoteForMessage(options_.argv.front()),
                     QuoteForMessage(alert.rule), QuoteForMessage(alert.key), how));
}

void AlertActionRunner::Report(ActionProblemKind kind, uint64_t occurrence, const std::string& rule,
                               const std::string& key, std::string message) {
  if (!options_.on_problem || !IsReportedOccurrence(occurrence)) return;
  ActionProblem problem{kind, rule, key, std::move(message)};
  std::lock_guard lock(report_mutex_);
  options_.on_problem(problem);
}

void AlertActionRunner::Close() {
  std::lock_guard close_lock(close_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (!closing_) {
      closing_ = true;
      close_deadline_ = CloseSignal::Clock::now() + options_.close_timeout;
      close_signal_.Request(close_deadline_);
    }
  }
  work_available_.notify_all();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

ActionCounters AlertActionRunner::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

}  // namespace vigil::actions
