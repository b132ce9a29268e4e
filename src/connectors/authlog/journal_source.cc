#include "connectors/authlog/journal_source.h"

#include "connectors/authlog/auth_events_schema.h"
#include "vigil/graph/table_node.h"

namespace vigil {

JournalSource::JournalSource(JournalSourceOptions options)
    : options_(std::move(options)), schema_(AuthEventsSchema()) {}

Status JournalSource::Open() {
  syslog::JournalOptions journal;
  journal.directory = options_.directory;
  journal.cursor_file = options_.cursor_file;
  ASSIGN_OR_RAISE(reader_, syslog::JournalReader::Open(std::move(journal)));
  LineBatchOptions batch;
  batch.on_bad_row = on_bad_row_;
  batch.error_log = error_log_;
  batch.batch_rows = options_.batch_rows;
  builder_ = std::make_unique<LineBatchBuilder>(schema_, batch);
  builder_->StartFile("journal", "journal");
  parser_ = std::make_unique<AuthLogRowParser>(options_.auth);
  return Status::OK();
}

int JournalSource::wait_fd() const { return reader_ != nullptr ? reader_->wait_fd() : -1; }

Result<LiveRead> JournalSource::ReadAvailable(const BatchConsumer& emit, size_t max_rows) {
  if (ended_) return LiveRead::kEnded;
  builder_->set_on_full([&] { builder_->Emit(emit); });
  const uint64_t emitted_before = builder_->rows_emitted();
  syslog::LogRecord record;
  for (;;) {
    ASSIGN_OR_RAISE(const bool got, reader_->Next(record));
    if (!got) break;
    ++entries_;
    // A journal entry has no line: its number is its position in this run, and its strings
    // live in the reader's buffer, so the row parser copies them (empty text: nothing is a
    // view of it).
    Line line;
    line.number = entries_;
    line.end_offset = entries_;
    RETURN_NOT_OK(parser_->ProcessRecord(record, line, *builder_));
    if (builder_->rows_emitted() + builder_->pending_rows() - emitted_before >= max_rows) {
      builder_->Emit(emit);
      RETURN_NOT_OK(reader_->SaveCursor());
      builder_->set_on_full({});
      return LiveRead::kMore;
    }
  }
  builder_->Emit(emit);
  // The events of every entry read so far are in the pipeline: the next run starts after.
  RETURN_NOT_OK(reader_->SaveCursor());
  builder_->set_on_full({});
  if (options_.stop_at_end) {
    RETURN_NOT_OK(FinishAtStop(emit));
    ended_ = true;
    return LiveRead::kEnded;
  }
  return LiveRead::kDrained;
}

Status JournalSource::FinishAtStop(const BatchConsumer& emit) {
  if (builder_ == nullptr || ended_) return Status::OK();
  builder_->set_on_full([&] { builder_->Emit(emit); });
  const Status status = parser_->FinishInput(*builder_, entries_ + 1);
  builder_->Emit(emit);
  builder_->set_on_full({});
  return status;
}

Table ReadJournal(const JournalSourceOptions& options) {
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kSource;
  node->operation = "io::journal::read";
  node->schema = AuthEventsSchema();
  node->source_factory = [options](const SourceContext& context)
      -> Result<std::unique_ptr<Source>> {
    auto source = std::make_unique<JournalSource>(options);
    source->set_error_log(context.errors, context.on_bad_row);
    return std::unique_ptr<Source>(std::move(source));
  };
  return Table(std::move(node));
}

}  // namespace vigil
