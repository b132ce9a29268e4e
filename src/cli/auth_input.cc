#include "cli/auth_input.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "connectors/syslog/gzip_file.h"
#include "connectors/syslog/rotated_files.h"

namespace vigil::cli {

namespace {

/// The beginning of a file as format detection reads it (syslog::kLogFormatDetectBytes),
/// decompressed when it is gzip.
Result<std::string> FirstBytes(const std::string& path) {
  constexpr size_t kPeek = syslog::kLogFormatDetectBytes;
  std::string bytes(kPeek, '\0');
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open '{}': {}", path, std::strerror(errno));
  size_t got = 0;
  while (got < kPeek) {
    const ssize_t n = ::read(fd, bytes.data() + got, kPeek - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  bytes.resize(got);
  if (!syslog::HasGzipMagic(bytes)) return bytes;
  ASSIGN_OR_RAISE(auto reader, syslog::GzipReader::Open(path));
  bytes.assign(kPeek, '\0');
  got = 0;
  while (got < kPeek) {
    ASSIGN_OR_RAISE(const size_t n, reader->Read(bytes.data() + got, kPeek - got));
    if (n == 0) break;
    got += n;
  }
  bytes.resize(got);
  return bytes;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

void AddAuthInputFlags(CLI::App& cmd, AuthInputOptions& o, bool allow_csv) {
  std::vector<std::string> formats = {"auto", "syslog", "journal-json"};
  if (allow_csv) formats.insert(formats.begin() + 1, "csv");
  cmd.add_option("--input-format", o.input_format,
                 allow_csv ? "Input: auto (detected per file from its first lines), csv (the "
                             "tutorial's login CSV), syslog (sshd's lines: traditional, RFC "
                             "3339 or RFC 5424 timestamps) or journal-json (journalctl -o json)"
                           : "Input: auto (detected per file), syslog or journal-json")
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
  cmd.add_option("--year", o.year_text,
                 "Year of the first line of traditional syslog files (`Mar 29 23:18:33` has "
                 "none); default: the year that puts the file's lines at or before its "
                 "modification time. A Dec→Jan step moves to the next year either way")
      ->type_name("YEAR");
  cmd.add_option("--utc-offset", o.utc_offset_text,
                 "Zone of timestamps that carry none (traditional syslog), as seconds east of "
                 "UTC (e.g. 3600); default 0: UTC")
      ->type_name("SECONDS");
}

Result<syslog::LogFormat> ResolveInputFormat(const AuthInputOptions& o,
                                             const std::vector<std::string>& files,
                                             const std::string& live_path) {
  if (o.input_format != "auto") return syslog::ParseLogFormatName(o.input_format);
  std::optional<syslog::LogFormat> found;
  std::string first_file;
  auto agree = [&](syslog::LogFormat format, const std::string& file) -> Status {
    if (found && *found != format) {
      return Status::Invalid(
          "'{}' and '{}' are in different formats; give them in separate runs or set "
          "--input-format",
          first_file, file);
    }
    if (!found) first_file = file;
    found = format;
    return Status::OK();
  };
  for (const std::string& file : files) {
    std::error_code error;
    if (std::filesystem::is_directory(file, error)) {
      RETURN_NOT_OK(agree(syslog::LogFormat::kCsv, file));  // Directories: login CSV files.
      continue;
    }
    // A file that cannot be read, or is not recognised as an auth log, is read as login CSV,
    // whose reader names what is wrong with it (missing, unreadable, a bad header) as it
    // always has.
    Result<std::string> head = FirstBytes(file);
    syslog::LogFormat format =
        head.ok() ? syslog::DetectLogFormat(*head) : syslog::LogFormat::kUnknown;
    if (format == syslog::LogFormat::kUnknown) format = syslog::LogFormat::kCsv;
    RETURN_NOT_OK(agree(format, file));
  }
  if (!live_path.empty()) {
    std::error_code error;
    syslog::LogFormat format = syslog::LogFormat::kSyslog;
    if (live_path == "-" ) {
      format = syslog::LogFormat::kUnknown;  // Decided below: stdin cannot be peeked.
    } else if (std::filesystem::is_directory(live_path, error) || EndsWith(live_path, ".csv")) {
      format = syslog::LogFormat::kCsv;
    } else if (std::filesystem::is_regular_file(live_path, error)) {
      Result<std::string> peeked = FirstBytes(live_path);
      const std::string head = peeked.ok() ? *peeked : std::string("unreadable");
      format = syslog::DetectLogFormat(head);
      // A log followed from its creation holds nothing yet: an auth log, unless named .csv
      // (handled above); a file with unrecognised content is read as login CSV.
      if (format == syslog::LogFormat::kUnknown) {
        format = head.find_first_not_of(" \t\r\n") == std::string::npos
                     ? syslog::LogFormat::kSyslog
                     : syslog::LogFormat::kCsv;
      }
    }
    if (format == syslog::LogFormat::kUnknown) {
      // stdin: login CSV for the tutorial's `tail -F logins.csv | vigil detect --follow -`
      // unless told otherwise; auth logs are read from stdin with --input-format.
      format = syslog::LogFormat::kCsv;
    }
    RETURN_NOT_OK(agree(format, live_path));
  }
  return found.value_or(syslog::LogFormat::kCsv);
}

Result<io::authlog::ReadOptions> MakeAuthReadOptions(const AuthInputOptions& o,
                                                     syslog::LogFormat format,
                                                     std::shared_ptr<AuthLogStats> stats) {
  io::authlog::ReadOptions read;
  read.auth.stats = std::move(stats);
  read.auth.format = format == syslog::LogFormat::kJournalJson ? AuthLogLineFormat::kJournalJson
                                                                : AuthLogLineFormat::kSyslog;
  auto parse = [](const std::string& flag, const std::string& text, int64_t min, int64_t max,
                  int64_t& out) -> Status {
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || out < min ||
        out > max) {
      return Status::Invalid("{}: '{}' is not a whole number from {} to {}", flag, text, min,
                             max);
    }
    return Status::OK();
  };
  if (!o.year_text.empty()) {
    int64_t year = 0;
    RETURN_NOT_OK(parse("--year", o.year_text, 1970, 9999, year));
    read.auth.time.year = static_cast<int>(year);
  }
  if (!o.utc_offset_text.empty()) {
    int64_t offset = 0;
    RETURN_NOT_OK(parse("--utc-offset", o.utc_offset_text, -86399, 86399, offset));
    read.auth.time.utc_offset_seconds = offset;
  }
  return read;
}

std::vector<std::string> OrderInputs(std::vector<std::string> files) {
  return syslog::OrderRotatedFiles(std::move(files));
}

void PrintAuthLogSummary(const char* command, const AuthLogStats& s) {
  std::fprintf(stderr,
               "vigil %s: %llu lines: %llu events from sshd's lines; %llu lines of other "
               "programs, %llu sshd lines merged into other attempts, %llu sshd lines of no "
               "known form, %llu not log lines, %llu bad lines\n",
               command, static_cast<unsigned long long>(s.lines),
               static_cast<unsigned long long>(s.events),
               static_cast<unsigned long long>(s.other_programs),
               static_cast<unsigned long long>(s.sshd_no_event),
               static_cast<unsigned long long>(s.sshd_unknown),
               static_cast<unsigned long long>(s.not_log_lines),
               static_cast<unsigned long long>(s.bad_lines));
}

}  // namespace vigil::cli
