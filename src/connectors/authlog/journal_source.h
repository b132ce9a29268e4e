#pragma once

#include <memory>
#include <string>

#include "connectors/api/source.h"
#include "connectors/authlog/auth_log_row_parser.h"
#include "connectors/lines/line_batch_builder.h"
#include "connectors/syslog/journal_reader.h"
#include "vigil/graph/table.h"

namespace vigil {

struct JournalSourceOptions {
  /// A directory of journal files (tests, a copied /var/log/journal); empty: the system's.
  std::string directory;
  /// Where the position is kept: the run starts after the entry it names, and it is
  /// rewritten after every commit (connectors/syslog/journal_reader.h).
  std::string cursor_file;
  /// Read the entries there are, then end (a batch audit); else follow new entries.
  bool stop_at_end = false;
  /// The tracker's knobs and the counters (the line format is not used).
  AuthLogOptions auth;
  size_t batch_rows = 4096;
};

/// sshd's entries of the systemd journal as the events table (AuthEventsSchema()), live:
/// entries are read through sd-journal (filtered to sshd), their messages go through the
/// same tracker as log lines (AuthLogRowParser::ProcessRecord), and the cursor of the last
/// entry read is saved after each pass, so a restart goes on after it.
class JournalSource final : public Source {
 public:
  explicit JournalSource(JournalSourceOptions options);

  const Schema& schema() const override { return schema_; }
  Status Open() override;
  std::optional<Time> NextCommitTime() override { return std::nullopt; }
  Status ReadCommit(const BatchConsumer&) override { return Status::OK(); }
  bool is_live() const override { return true; }
  bool insert_only() const override { return true; }  // Journal entries are only added.
  Result<LiveRead> ReadAvailable(const BatchConsumer& emit, size_t max_rows) override;
  int wait_fd() const override;
  Status FinishAtStop(const BatchConsumer& emit) override;

  void set_error_log(ErrorLog* log, OnBadRow policy) {
    error_log_ = log;
    on_bad_row_ = policy;
  }

 private:
  JournalSourceOptions options_;
  Schema schema_;
  ErrorLog* error_log_ = nullptr;
  OnBadRow on_bad_row_ = OnBadRow::kSkip;
  std::unique_ptr<syslog::JournalReader> reader_;
  std::unique_ptr<LineBatchBuilder> builder_;
  std::unique_ptr<AuthLogRowParser> parser_;
  uint64_t entries_ = 0;
  bool ended_ = false;
};

/// The events table of the journal (a live source; see JournalSource).
Table ReadJournal(const JournalSourceOptions& options);

}  // namespace vigil
