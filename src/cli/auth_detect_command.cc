// `vigil detect` on auth logs: sshd's lines → events (io::authlog::read, or the journal) →
// the rules (rules::BuildDetection) → alerts, printed as JSON lines and run through
// --on-alert.

#include "cli/auth_detect_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <tuple>
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
#include "vigil/vigil.h"

namespace vigil::cli {

namespace {

/// Static results: the final alerts, ordered by window start, rule, key, then the rest of
/// the line (a total order, so the output is deterministic).
struct AlertOrder {
  bool operator()(const std::pair<rules::Alert, std::string>& a,
                  const std::pair<rules::Alert, std::string>& b) const {
    return std::tie(a.first.window_start_ns, a.first.rule, a.first.ip, a.second) <
           std::tie(b.first.window_start_ns, b.first.rule, b.first.ip, b.second);
  }
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
  auto stats = std::make_shared<AuthLogStats>();
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

  // Events.
  const std::string live_path = !o.follow.empty() ? o.follow : o.replay;
  read_options->stop_at_end = !o.replay.empty();
  read_options->retract_changed_files = false;
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
    return io::authlog::read(OrderInputs(o.inputs), io::Mode::kStatic, *read_options);
  }();

  rules::DetectionOptions detection;
  detection.emit = !o.live()           ? rules::EmitMode::kStatic
                   : o.emit == "final" ? rules::EmitMode::kFinal
                                       : rules::EmitMode::kUpdates;
  if (!o.cutoff_text.empty()) detection.cutoff_seconds = o.cutoff;
  const Table alerts = rules::BuildDetection(events, *config, detection);

  OutputFile out(stdout, "standard output");
  std::string buffer;
  std::string json;
  // Static: the final table (alerts may be revised as later events arrive in the one commit).
  std::map<std::pair<rules::Alert, std::string>, int64_t, AlertOrder> final_alerts;
  ClearOutputs();
  rules::SubscribeAlerts(
      alerts, *config, detection,
      [&](const rules::Alert& alert, bool is_addition) {
        json.clear();
        rules::AppendAlertJson(json, alert);
        if (!o.live()) {
          final_alerts[{alert, json}] += is_addition ? 1 : -1;
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
  run_options.echo_errors = run_options.on_bad_row == OnBadRow::kSkip;
  run_options.flush_on_stop = true;
  // A live commit's batches go through every rule at once (about 20 windowed pipelines), so
  // what a commit allocates is its rows times the rules: commits of 8,192 events instead of
  // the engine's 65,536 halve the peak RSS of a replayed auth.log at the same speed
  // (docs/PERFORMANCE.md, "Auth logs").
  run_options.max_commit_rows = size_t{1} << 13;
  const Status status = run(run_options);
  ClearOutputs();
  if (!o.live()) {
    if (runner) {
      size_t sources = 0;
      for (const auto& [alert, count] : final_alerts) {
        sources += std::max<size_t>(alert.first.ips.size(), 1);
      }
      runner.reset();
      const Status made = make_runner(sources);
      if (!made.ok()) return usage(made.message());
    }
    for (const auto& [alert, count] : final_alerts) {
      if (count <= 0) continue;
      buffer.append(alert.second);
      buffer.push_back('\n');
      if (runner) submit(alert.first, alert.second);
    }
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
