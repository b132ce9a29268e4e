#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "connectors/syslog/log_record.h"
#include "vigil/common/status.h"

struct sd_journal;

namespace vigil::syslog {

/// Which journal to read and from where.
struct JournalOptions {
  /// Where the journal is: a directory of journal files (sd_journal_open_directory; tests,
  /// a copied /var/log/journal), or given files (`files`, sd_journal_open_files); both empty:
  /// the local system journal (sd_journal_open with SD_JOURNAL_LOCAL_ONLY).
  std::string directory;
  std::vector<std::string> files;
  /// Where the position is kept across runs (`SaveCursor`). When the file exists and holds a
  /// cursor, reading starts just after that entry; empty: no saved position.
  std::string cursor_file;
  /// Without a saved cursor: from the oldest entry (kHead), or only entries added from now on
  /// (kTail).
  enum class Start : uint8_t { kHead, kTail };
  Start start = Start::kHead;
  /// Only sshd's entries (see JournalReader); false: every entry (tests, other programs).
  bool sshd_only = true;
};

/// Reads the systemd journal through libsystemd's sd-journal API, filtered to sshd:
/// `_SYSTEMD_UNIT=ssh.service` or `sshd.service`, OR `SYSLOG_IDENTIFIER=sshd`, `sshd-session`
/// or `sshd-auth` (matches added with sd_journal_add_match; the two fields joined by a
/// disjunction). Instances of the socket-activated `sshd@.service` log with identifier sshd,
/// so the identifier match covers them.
///
/// Live use: Next until false, then wait for `wait_fd()` to be readable (poll/epoll, or
/// Wait), then Next again; Next itself calls sd_journal_process when it reaches the end, so
/// the fd's events are consumed and new journal files are noticed. SaveCursor at commit
/// points records the last entry given out, so the next run starts after it.
///
/// Record views point into the reader's buffer (a field's data from the journal's memory
/// map is only valid until the next sd_journal call, so it is copied) and are valid until
/// the next Next. Field sizes are bounded by sd-journal's data threshold (64 KiB default).
///
/// Lifecycle: Open, then one thread only (sd-journal objects are bound to a thread).
class JournalReader {
 public:
  /// Opens the journal, adds the matches and positions after the saved cursor (or at the
  /// head or tail). IoError if the journal or the cursor file cannot be read, ParseError if
  /// the cursor file holds no valid cursor.
  static Result<std::unique_ptr<JournalReader>> Open(JournalOptions options);
  ~JournalReader();
  JournalReader(const JournalReader&) = delete;
  JournalReader& operator=(const JournalReader&) = delete;

  /// The next (sshd) entry: true and `record` filled, or false when there is none now.
  Result<bool> Next(LogRecord& record);

  /// A file descriptor that becomes readable when the journal changes (sd_journal_get_fd).
  int wait_fd() const { return wait_fd_; }
  /// Blocks up to `timeout_usec` (UINT64_MAX: forever) for a change: whether one came.
  Result<bool> Wait(uint64_t timeout_usec);

  /// Writes the cursor of the last entry given out by Next to the cursor file (written to a
  /// temporary file and renamed, so a crash leaves the old or the new cursor). Does nothing
  /// without a cursor file or before the first entry.
  Status SaveCursor();
  /// The cursor of the last entry given out ("" before the first one).
  Result<std::string> Cursor() const;

 private:
  JournalReader(JournalOptions options, sd_journal* journal);
  Status AddSshdMatches();
  Status Position();
  /// Copies field `name`'s value of the current entry into buffer_; false if absent.
  bool CopyField(const char* name, size_t name_size, size_t& begin, size_t& size);

  JournalOptions options_;
  sd_journal* journal_ = nullptr;
  int wait_fd_ = -1;
  bool has_entry_ = false;     ///< Next has given out an entry (there is a position).
  std::string resume_cursor_;  ///< The saved cursor to skip once, if any.
  std::string buffer_;         ///< The current record's field values.
};

}  // namespace vigil::syslog
