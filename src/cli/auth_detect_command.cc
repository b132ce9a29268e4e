// `vigil detect` on auth logs: sshd's lines → events (io::authlog::read, or the journal) →
// the rules (rules::BuildDetection) → alerts, printed as JSON lines and run through
// --on-alert.

#include "cli/auth_detect_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "actions/alert_action_runner.h"
#include "actions/per_source_alerts.h"
#include "cli/auth_input.h"
#include "cli/output_file.h"
#include "connectors/authlog/journal_source.h"
#include "rules/alert.h"
#include "rules/alert_json.h"
#include "rules/detection.h"
#include "vigil/types/datetime.h"
#include "vigil/vigil.h"

namespace vigil::cli {

namespace {

/// Static reads in commits (without --single-commit): the reading-order cutoff of the first
/// read, in seconds. It covers a log whose events come up to an hour minus a second out of
/// time order (hosts' lines merged, sshd's tracker holding a probe for up to its 10-minute
/// idle timeout); windows then stay open an hour past their end, which costs little memory
/// (docs/PERFORMANCE.md, "Bounded static reads").
constexpr int64_t kStaticCutoffSeconds = 3600;

/// The final alerts of a static run, printed at the end in a deterministic order: window
/// start, rule, key, then the rest of the line. An alert is kept as its JSON line and that
/// order's key only (the full Alert too when --on-alert needs it): the engine's state of a
/// bounded static run stays flat, and these are what grows with the log.
class FinalAlerts {
 public:
  explicit FinalAlerts(bool keep_alerts) : keep_alerts_(keep_alerts) {}

  void Clear() { alerts_.clear(); }

  void Apply(const rules::Alert& alert, const std::string& json, bool is_addition) {
    key_.clear();
    // The rule and key end at a NUL (a field holding one sorts by its prefix; the order
    // stays total and the same for every run).
    key_.append(alert.rule).push_back('\0');
    key_.append(alert.ip).push_back('\0');
    key_.append(json);
    auto [it, inserted] = alerts_.try_emplace({alert.window_start_ns, key_});
    it->second.count += is_addition ? 1 : -1;
    if (keep_alerts_ && is_addition) it->second.alert = alert;
    if (it->second.count == 0) alerts_.erase(it);
  }

  /// Calls `f(json, alert)` for each alert in order (`alert` is null unless kept).
  template <typename F>
  void ForEach(F f) const {
    for (const auto& [key, entry] : alerts_) {
      if (entry.count <= 0) continue;
      const std::string& text = key.second;
      const size_t json_at = text.find('\0', text.find('\0') + 1) + 1;
      f(std::string_view(text).substr(json_at), entry.alert ? &*entry.alert : nullptr);
    }
  }

 private:
  struct Entry {
    int64_t count = 0;
    std::optional<rules::Alert> alert;
  };
  bool keep_alerts_;
  std::map<std::pair<int64_t, std::string>, Entry> alerts_;
  std::string key_;
};

std::string Rfc3339(int64_t ns) {
  std::string text;
  rules::AppendRfc3339Utc(text, ns);
  return text;
}

actions::ActionAlert ToActionAlert(const rules::Alert& alert, const std::string& json) {
  actions::ActionAlert a;
  a.json = json;
  a.rule = alert.rule;
  a.severity = alert.severity;
  a.key = alert.ip;
  a.ips = alert.ips;
  a.count = alert.count;
  a.window_start = Rfc3339(alert.window_start_ns);
  a.window_end = Rfc3339(alert.window_end_ns);
  a.first_seen = Rfc3339(alert.first_seen_ns);
  a.last_seen = Rfc3339(alert.last_seen_ns);
  return a;
}

Result<rules::RulesConfig> LoadConfig(const DetectOptions& o) {
  rules::RulesConfig config = rules::DefaultRulesConfig();
  if (!o.rules_file.empty()) {
    ASSIGN_OR_RAISE(config, rules::LoadRulesConfig(o.rules_file));
  }
  // --window / --threshold keep their meaning from the tutorial rule: brute_force's window.
  if (o.window_text != "60" || o.threshold_text != "5") {
    config.brute_force.windows = {{o.window, o.threshold}};
  }
  return config;
}

}  // namespace

int RunAuthDetect(DetectOptions& o, syslog::LogFormat format) {
  auto usage = [](const std::string& message) {
    std::fprintf(stderr, "vigil detect: %s\n", message.c_str());
    return 2;
  };
  auto config = LoadConfig(o);
  if (!config.ok()) return usage(config.status().message());
  auto stats = std::make_shared<AuthLogStats>();  // Of the last read.
  auto read_options = MakeAuthReadOptions(o.input, format, stats);
  if (!read_options.ok()) return usage(read_options.status().message());

  // --on-alert: live runs hand alerts over as they come (a bounded queue: a slow action
  // drops alerts, counted, and never holds detection up); a static run knows all its alerts
  // at the end and queues every one of them.
  std::unique_ptr<actions::AlertActionRunner> runner;
  auto make_runner = [&](size_t queue_capacity) -> Status {
    actions::ActionOptions action_options;
    action_options.argv = o.on_alert;
    action_options.cooldown = std::chrono::seconds(o.action_cooldown);
    action_options.timeout = std::chrono::seconds(o.action_timeout);
    action_options.queue_capacity = std::max<size_t>(queue_capacity, 1);
    action_options.on_problem = [](const actions::ActionProblem& problem) {
      std::fprintf(stderr, "vigil detect: --on-alert: %s\n", problem.message.c_str());
    };
    auto made = actions::AlertActionRunner::Make(std::move(action_options));
    if (!made.ok()) return Status::Invalid("--on-alert: {}", made.status().message());
    runner = std::move(*made);
    return Status::OK();
  };
  if (!o.on_alert.empty()) {
    // Made now even for static runs: a program that cannot be found is a usage error before
    // any log is read.
    const Status made = make_runner(256);
    if (!made.ok()) return usage(made.message());
  }
  // One action per source address: a campaign's key (`user@host`) is no address, and the
  // cooldown then applies per address.
  auto submit = [&](const rules::Alert& alert, const std::string& json) {
    actions::ForEachSourceAlert(ToActionAlert(alert, json),
                                [&](const actions::ActionAlert& a) { (void)runner->Submit(a); });
  };

  // Events, rules, alerts. A static read of log files goes through the pipelines in commits
  // (bounded_static): read as one commit, every window is kept to the end and memory grows
  // with the log (2 GB for 4M lines). In commits, with a reading-order cutoff no event
  // exceeds, nothing is late, so windows close and are forgotten while the files are read
  // and the alerts are the one-commit read's (differential.AuthLogLiveEqualsStatic compares
  // them). How far out of order the events come is known only once they are read: the first
  // read assumes at most kStaticCutoffSeconds; a log more out of order than that is read
  // again with a cutoff that covers it (the reads are deterministic).
  const bool bounded_static = !o.live() && !o.single_commit;
  const std::string live_path = !o.follow.empty() ? o.follow : o.replay;
  const std::vector<std::string> files =
      o.live() ? std::vector<std::string>{} : OrderInputs(o.inputs);
  read_options->stop_at_end = !o.replay.empty();
  read_options->retract_changed_files = false;
  if (bounded_static) read_options->rows_per_commit = static_cast<size_t>(o.commit_rows);

  OutputFile out(stdout, "standard output");
  std::string buffer;
  std::string json;
  // Static: the final table (alerts may be revised as later events arrive).
  FinalAlerts final_alerts(/*keep_alerts=*/runner != nullptr);
  auto detect = [&](int64_t static_cutoff_seconds, bool echo_errors,
                    bool echo_warnings) -> Status {
    stats = std::make_shared<AuthLogStats>();
    read_options->auth.stats = stats;
    Table events = [&] {
      if (o.journal) {
        JournalSourceOptions journal;
        journal.directory = o.journal_directory;
        journal.cursor_file = o.cursor_file;
        journal.stop_at_end = o.journal_once;
        journal.auth = read_options->auth;
        return ReadJournal(journal);
      }
      if (o.live()) return io::authlog::read({live_path}, io::Mode::kStreaming, *read_options);
      return io::authlog::read(files, io::Mode::kStatic, *read_options);
    }();

    rules::DetectionOptions detection;
    detection.emit = bounded_static      ? rules::EmitMode::kStaticBounded
                     : !o.live()         ? rules::EmitMode::kStatic
                     : o.emit == "final" ? rules::EmitMode::kFinal
                                         : rules::EmitMode::kUpdates;
    if (!o.cutoff_text.empty()) detection.cutoff_seconds = o.cutoff;
    if (bounded_static) detection.cutoff_seconds = static_cutoff_seconds;
    const Table alerts = rules::BuildDetection(events, *config, detection);

    final_alerts.Clear();
    ClearOutputs();
    rules::SubscribeAlerts(
        alerts, *config, detection,
        [&](const rules::Alert& alert, bool is_addition) {
          json.clear();
          rules::AppendAlertJson(json, alert);
          if (!o.live()) {
            final_alerts.Apply(alert, json, is_addition);
            return;
          }
          if (!is_addition) return;  // Updates: the grown alert follows its retraction.
          buffer.append(json);
          buffer.push_back('\n');
          if (runner) submit(alert, json);
        },
        [&] {
          if (!o.live()) return;
          out.Write(buffer);
          buffer.clear();
          out.Flush();
        });

    RunOptions run_options;
    run_options.on_bad_row = o.on_error == "fail" ? OnBadRow::kFail : OnBadRow::kSkip;
    run_options.echo_errors = echo_errors && run_options.on_bad_row == OnBadRow::kSkip;
    run_options.echo_warnings = echo_warnings;
    run_options.flush_on_stop = true;
    run_options.max_commit_rows = static_cast<size_t>(o.commit_rows);  // kDefaultCommitRows.
    const Status status = run(run_options);
    ClearOutputs();
    return status;
  };
  // The warnings of a static read of files are the windows' late rows, which only a read
  // that is then done again can have: its warnings are not printed.
  Status status = detect(kStaticCutoffSeconds, /*echo_errors=*/true,
                         /*echo_warnings=*/!bounded_static);
  if (bounded_static && status.ok() &&
      stats->max_event_lateness_ns > (kStaticCutoffSeconds - 1) * kNanosPerSecond) {
    // Whole seconds, rounded up, and one more: a margin over the measured lateness.
    const int64_t cutoff =
        (stats->max_event_lateness_ns + kNanosPerSecond - 1) / kNanosPerSecond + 1;
    std::fprintf(stderr,
                 "vigil detect: events came up to %lld s out of time order, more than the "
                 "%lld s a read in commits first allows for; reading the files again with a "
                 "cutoff of %lld s so that every event counts\n",
                 static_cast<long long>(cutoff - 1),
                 static_cast<long long>(kStaticCutoffSeconds - 1),
                 static_cast<long long>(cutoff));
    // The second read reports the same bad lines: they were printed once already.
    status = detect(cutoff, /*echo_errors=*/false, /*echo_warnings=*/true);
  }
  if (!o.live()) {
    if (runner) {
      size_t sources = 0;
      final_alerts.ForEach([&](std::string_view, const rules::Alert* alert) {
        sources += std::max<size_t>(alert->ips.size(), 1);
      });
      runner.reset();
      const Status made = make_runner(sources);
      if (!made.ok()) return usage(made.message());
    }
    final_alerts.ForEach([&](std::string_view line, const rules::Alert* alert) {
      buffer.append(line);
      buffer.push_back('\n');
      if (buffer.size() >= (size_t{1} << 20)) {
        out.Write(buffer);
        buffer.clear();
      }
      if (runner) submit(*alert, std::string(line));
    });
  }
  out.Write(buffer);
  const bool written = out.Flush();
  if (runner) {
    runner->Close();
    std::fprintf(stderr, "vigil detect: --on-alert: %s\n", runner->counters().Summary().c_str());
  }
  if (!written) {
    std::fprintf(stderr, "vigil detect: %s\n", out.ErrorMessage().c_str());
    return 1;
  }
  if (!status.ok()) {
    std::fprintf(stderr, "vigil detect: %s\n", status.message().c_str());
    return 1;
  }
  PrintAuthLogSummary("detect", *stats);
  return 0;
}

}  // namespace vigil::cli
