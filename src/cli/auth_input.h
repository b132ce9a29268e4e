#pragma once

// The auth-log input of `vigil events` and `vigil detect`: which files, in which format,
// the year of traditional timestamps, and the counters printed at the end.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "connectors/io.h"
#include "connectors/syslog/log_format.h"

namespace vigil::cli {

struct AuthInputOptions {
  std::string input_format = "auto";  ///< auto, csv, syslog, journal-json.
  std::string year_text;              ///< Empty: from each file's modification time.
  std::string utc_offset_text;        ///< Empty: traditional timestamps are UTC.
};

/// Registers --input-format, --year and --utc-offset on `cmd`.
void AddAuthInputFlags(CLI::App& cmd, AuthInputOptions& options, bool allow_csv);

/// The format of the inputs: `--input-format` if not auto, else detected from the first
/// bytes of each file (all must agree): sshd syslog lines or journal JSON, else login CSV
/// (directories, stdin, and files of unrecognised content, whose CSV reader then says what
/// is wrong). A followed file that holds nothing yet is an auth log unless named `.csv`.
Result<syslog::LogFormat> ResolveInputFormat(const AuthInputOptions& options,
                                             const std::vector<std::string>& files,
                                             const std::string& live_path);

/// Builds the reader's options (year, zone, line format) from the flags; the counters go to
/// `stats`. On a bad flag value returns the usage message.
Result<io::authlog::ReadOptions> MakeAuthReadOptions(const AuthInputOptions& options,
                                                     syslog::LogFormat format,
                                                     std::shared_ptr<AuthLogStats> stats);

/// Orders static inputs as logrotate names them, oldest first (auth.log.2.gz, auth.log.1,
/// auth.log), keeping other names in the order given.
std::vector<std::string> OrderInputs(std::vector<std::string> files);

/// `vigil events: 7121 lines: 912 events from 2034 sshd lines; ...` on stderr.
void PrintAuthLogSummary(const char* command, const AuthLogStats& stats);

}  // namespace vigil::cli
