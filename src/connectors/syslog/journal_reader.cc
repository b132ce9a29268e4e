#include "connectors/syslog/journal_reader.h"

#include <systemd/sd-journal.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace vigil::syslog {

namespace {

/// A cursor file larger than this is not one of ours (cursors are about 130 bytes).
constexpr size_t kMaxCursorBytes = 4096;

std::string ErrnoText(int negative_errno) { return std::strerror(-negative_errno); }

/// The journal's name in messages.
std::string JournalName(const JournalOptions& options) {
  if (!options.directory.empty()) return "journal directory " + options.directory;
  if (!options.files.empty()) return "journal file " + options.files.front();
  return "system journal";
}

/// Reads the cursor file: its text without trailing whitespace, "" if it does not exist.
Result<std::string> ReadCursorFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    if (errno == ENOENT) return std::string();
    return Status::IoError("{}: cannot open the journal cursor file: {}", path,
                           std::strerror(errno));
  }
  std::string text(kMaxCursorBytes + 1, '\0');
  const size_t n = std::fread(text.data(), 1, text.size(), file);
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return Status::IoError("{}: cannot read the journal cursor file", path);
  if (n > kMaxCursorBytes) {
    return Status::ParseError("{}: not a journal cursor file (over {} bytes)", path,
                              kMaxCursorBytes);
  }
  text.resize(n);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

JournalReader::JournalReader(JournalOptions options, sd_journal* journal)
    : options_(std::move(options)), journal_(journal) {}

JournalReader::~JournalReader() {
  if (journal_ != nullptr) sd_journal_close(journal_);
}

Result<std::unique_ptr<JournalReader>> JournalReader::Open(JournalOptions options) {
  sd_journal* journal = nullptr;
  int r = 0;
  if (!options.directory.empty()) {
    r = sd_journal_open_directory(&journal, options.directory.c_str(), 0);
  } else if (!options.files.empty()) {
    std::vector<const char*> paths;
    for (const std::string& file : options.files) paths.push_back(file.c_str());
    paths.push_back(nullptr);
    r = sd_journal_open_files(&journal, paths.data(), 0);
  } else {
    r = sd_journal_open(&journal, SD_JOURNAL_LOCAL_ONLY);
  }
  if (r < 0) {
    return Status::IoError("cannot open the {}: {}", JournalName(options), ErrnoText(r));
  }
  std::unique_ptr<JournalReader> reader(new JournalReader(std::move(options), journal));
  // The fd is made before reading so that changes from now on are noticed (sd_journal_get_fd).
  reader->wait_fd_ = sd_journal_get_fd(journal);
  if (reader->wait_fd_ < 0) {
    return Status::IoError("cannot watch the {} for changes: {}", JournalName(reader->options_),
                           ErrnoText(reader->wait_fd_));
  }
  if (reader->options_.sshd_only) RETURN_NOT_OK(reader->AddSshdMatches());
  RETURN_NOT_OK(reader->Position());
  return reader;
}

Status JournalReader::AddSshdMatches() {
  // Matches on the same field are OR-ed by sd-journal, different fields AND-ed unless a
  // disjunction separates them.
  static constexpr const char* kUnitMatches[] = {"_SYSTEMD_UNIT=ssh.service",
                                                 "_SYSTEMD_UNIT=sshd.service"};
  static constexpr const char* kIdentifierMatches[] = {
      "SYSLOG_IDENTIFIER=sshd", "SYSLOG_IDENTIFIER=sshd-session", "SYSLOG_IDENTIFIER=sshd-auth"};
  for (const char* match : kUnitMatches) {
    const int r = sd_journal_add_match(journal_, match, 0);
    if (r < 0) return Status::IoError("cannot filter the journal ({}): {}", match, ErrnoText(r));
  }
  int r = sd_journal_add_disjunction(journal_);
  if (r < 0) return Status::IoError("cannot filter the journal: {}", ErrnoText(r));
  for (const char* match : kIdentifierMatches) {
    r = sd_journal_add_match(journal_, match, 0);
    if (r < 0) return Status::IoError("cannot filter the journal ({}): {}", match, ErrnoText(r));
  }
  return Status::OK();
}

Status JournalReader::Position() {
  if (!options_.cursor_file.empty()) {
    ASSIGN_OR_RAISE(resume_cursor_, ReadCursorFile(options_.cursor_file));
  }
  if (!resume_cursor_.empty()) {
    const int r = sd_journal_seek_cursor(journal_, resume_cursor_.c_str());
    if (r < 0) {
      return Status::ParseError("{}: not a valid journal cursor ({})", options_.cursor_file,
                                ErrnoText(r));
    }
    return Status::OK();
  }
  if (options_.start == JournalOptions::Start::kTail) {
    int r = sd_journal_seek_tail(journal_);
    // Step onto the last entry, so that Next gives only those written after it.
    if (r >= 0) r = sd_journal_previous(journal_);
    if (r < 0) {
      return Status::IoError("cannot seek to the end of the {}: {}", JournalName(options_),
                             ErrnoText(r));
    }
    has_entry_ = r > 0;
    return Status::OK();
  }
  const int r = sd_journal_seek_head(journal_);
  if (r < 0) {
    return Status::IoError("cannot seek to the start of the {}: {}", JournalName(options_),
                           ErrnoText(r));
  }
  return Status::OK();
}

bool JournalReader::CopyField(const char* name, size_t name_size, size_t& begin, size_t& size) {
  const void* data = nullptr;
  size_t length = 0;
  if (sd_journal_get_data(journal_, name, &data, &length) < 0) return false;
  // The data is "NAME=value".
  if (length < name_size + 1) return false;
  begin = buffer_.size();
  size = length - name_size - 1;
  buffer_.append(static_cast<const char*>(data) + name_size + 1, size);
  return true;
}

Result<bool> JournalReader::Next(LogRecord& record) {
  bool processed = false;
  for (;;) {
    const int r = sd_journal_next(journal_);
    if (r < 0) {
      return Status::IoError("cannot read the {}: {}", JournalName(options_), ErrnoText(r));
    }
    if (r == 0) {
      // At the end: consume the wait fd's events (and notice new or rotated files) once,
      // then look again, so an entry written meanwhile is not left for the next wakeup.
      if (processed) return false;
      processed = true;
      const int p = sd_journal_process(journal_);
      if (p < 0) {
        return Status::IoError("cannot follow the {}: {}", JournalName(options_), ErrnoText(p));
      }
      continue;
    }
    if (!resume_cursor_.empty()) {
      // The first entry after seeking to the saved cursor is that entry itself, unless it
      // was vacuumed (then the seek landed on the next one, which was never given out).
      const bool same = sd_journal_test_cursor(journal_, resume_cursor_.c_str()) > 0;
      resume_cursor_.clear();
      if (same) continue;
    }
    break;
  }
  has_entry_ = true;
  uint64_t usec = 0;
  const int r = sd_journal_get_realtime_usec(journal_, &usec);
  if (r < 0) {
    return Status::IoError("cannot read an entry's time in the {}: {}", JournalName(options_),
                           ErrnoText(r));
  }
  buffer_.clear();
  struct Span {
    size_t begin = 0;
    size_t size = 0;
    bool present = false;
  };
  auto copy = [&](std::string_view name, Span& span) {
    span.present = CopyField(name.data(), name.size(), span.begin, span.size);
    return span.present;
  };
  Span host, program, pid, message, unit;
  copy("_HOSTNAME", host);
  if (!copy("SYSLOG_IDENTIFIER", program)) copy("_COMM", program);
  if (!copy("_PID", pid)) copy("SYSLOG_PID", pid);
  copy("MESSAGE", message);
  copy("_SYSTEMD_UNIT", unit);
  // Views are made after every copy: appending may have moved the buffer.
  auto view = [&](const Span& span) {
    return span.present ? std::string_view(buffer_.data() + span.begin, span.size)
                        : std::string_view();
  };
  record.time_ns = usec > static_cast<uint64_t>(INT64_MAX / 1000)
                       ? INT64_MAX / 1000 * 1000
                       : static_cast<int64_t>(usec) * 1000;
  record.host = view(host);
  record.program = view(program);
  record.message = view(message);
  record.unit = view(unit);
  record.pid = -1;
  const std::string_view pid_text = view(pid);
  if (!pid_text.empty() && pid_text.size() <= 18) {
    int64_t value = 0;
    bool digits = true;
    for (char c : pid_text) {
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
      value = value * 10 + (c - '0');
    }
    if (digits) record.pid = value;
  }
  return true;
}

Result<bool> JournalReader::Wait(uint64_t timeout_usec) {
  const int r = sd_journal_wait(journal_, timeout_usec);
  if (r < 0) {
    return Status::IoError("cannot wait for the {}: {}", JournalName(options_), ErrnoText(r));
  }
  return r != SD_JOURNAL_NOP;
}

Result<std::string> JournalReader::Cursor() const {
  if (!has_entry_) return std::string();
  char* cursor = nullptr;
  const int r = sd_journal_get_cursor(journal_, &cursor);
  if (r < 0) {
    return Status::IoError("cannot get the position in the {}: {}", JournalName(options_),
                           ErrnoText(r));
  }
  std::string text(cursor);
  std::free(cursor);
  return text;
}

Status JournalReader::SaveCursor() {
  if (options_.cursor_file.empty() || !has_entry_) return Status::OK();
  ASSIGN_OR_RAISE(const std::string cursor, Cursor());
  const std::string temporary = options_.cursor_file + ".tmp";
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) {
    return Status::IoError("{}: cannot write the journal cursor: {}", temporary,
                           std::strerror(errno));
  }
  const bool written = std::fwrite(cursor.data(), 1, cursor.size(), file) == cursor.size() &&
                       std::fputc('\n', file) != EOF;
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    std::remove(temporary.c_str());
    return Status::IoError("{}: cannot write the journal cursor", temporary);
  }
  if (std::rename(temporary.c_str(), options_.cursor_file.c_str()) != 0) {
    const int saved = errno;
    std::remove(temporary.c_str());
    return Status::IoError("{}: cannot replace the journal cursor file: {}", options_.cursor_file,
                           std::strerror(saved));
  }
  return Status::OK();
}

}  // namespace vigil::syslog
