// `vigil events`: sshd's log lines as the events table (one row per authentication attempt
// or scan), printed as CSV or JSON Lines; what every detection rule reads.

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/auth_input.h"
#include "cli/commands.h"
#include "cli/output_file.h"
#include "connectors/authlog/auth_events_schema.h"
#include "connectors/output/csv_writer.h"
#include "connectors/output/value_text.h"
#include "rules/alert_json.h"
#include "vigil/vigil.h"

namespace vigil::cli {

namespace {

struct EventsOptions {
  std::vector<std::string> inputs;
  std::string follow;
  std::string replay;
  std::string format = "csv";
  std::string on_error = "skip";
  AuthInputOptions input;
};

/// A CSV field with control bytes (ESC of ANSI sequences, CR, NUL, DEL) written as `\xNN`
/// text: a user name is attacker-written, and a terminal or spreadsheet must never act on it.
void AppendSafeCsvField(std::string& out, std::string_view text, std::string& scratch) {
  bool clean = true;
  for (unsigned char ch : text) clean &= ch >= 0x20 && ch != 0x7f;
  if (clean) return AppendCsvField(out, text);
  scratch.clear();
  for (unsigned char ch : text) {
    if (ch >= 0x20 && ch != 0x7f) {
      scratch.push_back(static_cast<char>(ch));
    } else {
      scratch.append(fmt::format("\\x{:02x}", ch));
    }
  }
  AppendCsvField(out, scratch);
}

/// Appends one event row: CSV fields in schema order, or a JSON object.
void AppendEvent(std::string& out, std::span<const Value> row, bool jsonl,
                 const std::vector<std::string>& names, std::string& scratch) {
  for (size_t c = 0; c < row.size(); ++c) {
    if (jsonl) {
      out.append(c == 0 ? "{" : ",");
      rules::AppendJsonString(out, names[c]);
      out.push_back(':');
    } else if (c > 0) {
      out.push_back(',');
    }
    const Value& v = row[c];
    switch (v.kind()) {
      case ValueKind::kDateTimeUtc:
        if (jsonl) out.push_back('"');
        rules::AppendRfc3339Utc(out, v.as_timestamp());
        if (jsonl) out.push_back('"');
        break;
      case ValueKind::kString:
        if (jsonl) {
          // Attacker-written text (user names): escaped so that no terminal or log viewer
          // interprets it, as in the alerts.
          rules::AppendJsonString(out, v.as_string());
        } else {
          AppendSafeCsvField(out, v.as_string(), scratch);
        }
        break;
      case ValueKind::kBool:
        out.append(v.as_bool() ? "true" : "false");
        break;
      case ValueKind::kInt:
        AppendInt(out, v.as_int());
        break;
      default:
        AppendJsonValue(out, v);
    }
  }
  out.append(jsonl ? "}\n" : "\n");
}

int RunEvents(EventsOptions& o) {
  const bool live = !o.follow.empty() || !o.replay.empty();
  if (live == !o.inputs.empty() || (!o.follow.empty() && !o.replay.empty())) {
    std::fprintf(stderr,
                 "vigil events: give input files, or one of --follow / --replay (not both)\n");
    return 2;
  }
  const std::string live_path = !o.follow.empty() ? o.follow : o.replay;
  std::vector<std::string> files = OrderInputs(o.inputs);
  auto format = ResolveInputFormat(o.input, files, live_path);
  if (!format.ok()) {
    std::fprintf(stderr, "vigil events: %s\n", format.status().message().c_str());
    return 2;
  }
  // Events come only from auth logs: what is not recognised as journal JSON is read as
  // syslog, its lines that are not log lines counted and skipped.
  if (*format != syslog::LogFormat::kJournalJson) *format = syslog::LogFormat::kSyslog;
  auto stats = std::make_shared<AuthLogStats>();
  auto read_options = MakeAuthReadOptions(o.input, *format, stats);
  if (!read_options.ok()) {
    std::fprintf(stderr, "vigil events: %s\n", read_options.status().message().c_str());
    return 2;
  }
  read_options->stop_at_end = !o.replay.empty();
  read_options->retract_changed_files = false;
  const Table events =
      live ? io::authlog::read({live_path}, io::Mode::kStreaming, *read_options)
           : io::authlog::read(files, io::Mode::kStatic, *read_options);

  const bool jsonl = o.format == "jsonl";
  const std::vector<std::string> names = events.column_names();
  OutputFile out(stdout, "standard output");
  std::string buffer, scratch;
  if (!jsonl) {
    for (size_t c = 0; c < names.size(); ++c) {
      if (c > 0) buffer.push_back(',');
      buffer.append(names[c]);
    }
    buffer.push_back('\n');
  }
  // Static: the engine hands a commit's rows over in id order, so the events are ordered by
  // time here (then by their text: deterministic). Live: as each commit closes.
  std::vector<std::pair<int64_t, std::string>> static_events;
  ClearOutputs();
  io::subscribe(
      events,
      [&](const Key&, std::span<const Value> row, Time, bool is_addition) {
        if (!is_addition) return;  // Logs only grow: no event is ever retracted.
        if (!live) {
          std::string text;
          AppendEvent(text, row, jsonl, names, scratch);
          static_events.emplace_back(row[auth_events::kTime].as_timestamp(), std::move(text));
          return;
        }
        AppendEvent(buffer, row, jsonl, names, scratch);
        if (buffer.size() >= (1 << 16)) {
          out.Write(buffer);
          buffer.clear();
        }
      },
      [&](Time) {
        out.Write(buffer);
        buffer.clear();
        if (live) out.Flush();
      });
  RunOptions run_options;
  run_options.on_bad_row = o.on_error == "skip" ? OnBadRow::kSkip : OnBadRow::kFail;
  run_options.echo_errors = o.on_error == "skip";
  run_options.flush_on_stop = true;
  const Status status = run(run_options);
  ClearOutputs();
  std::sort(static_events.begin(), static_events.end());
  for (const auto& [time, text] : static_events) {
    buffer.append(text);
    if (buffer.size() >= (1 << 16)) {
      out.Write(buffer);
      buffer.clear();
    }
  }
  out.Write(buffer);
  if (!out.Flush()) {
    std::fprintf(stderr, "vigil events: %s\n", out.ErrorMessage().c_str());
    return 1;
  }
  if (!status.ok()) {
    std::fprintf(stderr, "vigil events: %s\n", status.message().c_str());
    return 1;
  }
  PrintAuthLogSummary("events", *stats);
  return 0;
}

}  // namespace

void AddEventsCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<EventsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "events",
      "Print sshd's authentication events of auth logs (syslog files, gzip-rotated ones, or\n"
      "journalctl -o json): one row per attempt or scan, however many lines sshd wrote for\n"
      "it, with the columns time,host,pid,ip,ip_is_hostname,port,user,invalid_user,outcome,\n"
      "method,kind. Files are read oldest first (auth.log.2.gz, auth.log.1, auth.log).");
  cmd->add_option("inputs", options->inputs, "Auth log files");
  cmd->add_option("--follow", options->follow,
                  "Follow a log live (like tail -F), or - (stdin), printing events as they come");
  cmd->add_option("--replay", options->replay,
                  "Run the live path over a finished file as fast as possible");
  cmd->add_option("--format", options->format, "Output: csv (with a header) or jsonl")
      ->check(CLI::IsMember({"csv", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("--on-error", options->on_error,
                  "Malformed lines: skip (report each on stderr and go on) or fail")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  AddAuthInputFlags(*cmd, options->input, /*allow_csv=*/false);
  cmd->callback([options, &exit_code] { exit_code = RunEvents(*options); });
}

}  // namespace vigil::cli
