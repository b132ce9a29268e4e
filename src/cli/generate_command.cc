// `vigil generate`: writes a realistic, deterministic logins CSV (see cli/logins_generator.h),
// the input `vigil detect` is built for. The bundled sample is made with it.

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/logins_generator.h"

namespace vigil::cli {

namespace {

struct GenerateFlags {
  GenerateOptions options;
  std::string output;  ///< Empty or "-": stdout.
};

/// Runs the command; returns the process exit code. Errors go to stderr prefixed with the
/// command, so they read well inside scripts that generate several files.
int RunGenerate(const GenerateFlags& flags) {
  std::FILE* out = stdout;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  if (!flags.output.empty() && flags.output != "-") {
    file.reset(std::fopen(flags.output.c_str(), "wb"));
    if (file == nullptr) {
      fmt::print(stderr, "vigil generate: cannot open '{}' for writing: {}\n", flags.output,
                 std::strerror(errno));
      return 1;
    }
    out = file.get();
  }
  Result<GenerateSummary> summary = GenerateLogins(flags.options, out);
  if (!summary.ok()) {
    fmt::print(
        stderr, "vigil generate: {}{}\n",
        flags.output.empty() || flags.output == "-" ? std::string("stdout: ") : flags.output + ": ",
        summary.status().message());
    return summary.status().code() == StatusCode::kInvalidArgument ? 2 : 1;
  }
  if (file != nullptr && std::fclose(file.release()) != 0) {
    fmt::print(stderr, "vigil generate: {}: cannot close: {}\n", flags.output,
               std::strerror(errno));
    return 1;
  }
  return 0;
}

}  // namespace

void AddGenerateCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<GenerateFlags>();
  CLI::App* command = app.add_subcommand(
      "generate",
      "Write a realistic, deterministic logins CSV (username,successful,time,ip_address; "
      "successful is True/False, time in unix seconds) for trying `vigil detect`.\n"
      "Contents: background users logging in from office NAT addresses (many users behind one "
      "IPv4), homes (IPv4 or IPv6) and phones (IPv6), with occasional typos that stay below a "
      "threshold of 5 failures per minute; fast brute force (bursts of failures seconds "
      "apart); slow brute force (one failure every 20 s or more for hours, never 5 in a "
      "minute); password sprayers (one IP, many usernames, at most 3 attempts each); 0.4% of "
      "rows written 2..15 s after their time (out of order). The tutorial's case is always "
      "there: 50.37.169.241 (user_B) fails 7 times in the minute starting at the first "
      "multiple of 60 at least 180 s after --start.\n"
      "The same flags always give byte-identical output.");
  command->add_option("--rows", flags->options.rows, "Number of data rows after the header")
      ->required()
      ->check(CLI::Range(int64_t{0}, kMaxGenerateRows));
  command
      ->add_option("--seed", flags->options.seed,
                   "Random seed (unsigned 64-bit); a different seed gives a different file of "
                   "the same shape")
      ->required();
  command
      ->add_option("--start", flags->options.start,
                   "Unix time (seconds) of the first row; the default is the tutorial's, so "
                   "its burst lands on the tutorial's seconds")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, kMaxGenerateStart));
  command
      ->add_option("--attackers", flags->options.attackers,
                   fmt::format("Number of attacking IPs besides the tutorial's, in the rotation "
                               "fast, slow, spray, fast (default: rows/20000 + 3; at most {})",
                               kMaxGenerateAttackers))
      ->check(CLI::Range(int64_t{0}, kMaxGenerateAttackers));
  command
      ->add_option("--span", flags->options.span_seconds,
                   "Seconds of event time the rows cover (default: one second per row, at "
                   "least an hour, at most a day; at least 3600 when given)")
      ->check(CLI::Range(int64_t{0}, int64_t{100} * 365 * 86400));
  command->add_option("-o,--output", flags->output,
                      "Write to FILE instead of stdout ('-' is stdout)");
  command->callback([flags, &exit_code] { exit_code = RunGenerate(*flags); });
}

}  // namespace vigil::cli
