#include "connectors/api/error_log_source.h"

#include <utility>

namespace vigil {

ErrorLogSource::ErrorLogSource(ErrorLog* log)
    : schema_(MakeSchema()), pending_(std::make_shared<Pending>()), batch_(3) {
  if (log == nullptr) return;
  log->AddTap([pending = pending_](const DataError& error) {
    if (error.warning) return;
    std::lock_guard lock(pending->mutex);
    pending->errors.push_back(error);
  });
}

Schema ErrorLogSource::MakeSchema() {
  return Schema{
      {"message", dtype::Str}, {"origin", dtype::Str}, {"line", dtype::Optional(dtype::Int)}};
}

bool ErrorLogSource::has_pending_rows() const {
  std::lock_guard lock(pending_->mutex);
  return !pending_->errors.empty();
}

Status ErrorLogSource::ReadCommit(const BatchConsumer& emit) {
  {
    std::lock_guard lock(pending_->mutex);
    taken_.swap(pending_->errors);
  }
  if (taken_.empty()) return Status::OK();
  batch_.Clear();
  for (const DataError& error : taken_) {
    batch_.columns[0].push_back(
        batch_.arena.CopyString(error.message.empty() ? FormatDataError(error) : error.message));
    batch_.columns[1].push_back(batch_.arena.CopyString(error.file));
    batch_.columns[2].push_back(error.line > 0 ? Value::Int(static_cast<int64_t>(error.line))
                                               : Value::None());
    // Not KeyForIndex: these rows may meet a markdown table's (in a concat, say).
    KeyHasher hasher;
    hasher.AddString("vigil.global_error_log");
    hasher.AddInt(static_cast<int64_t>(next_index_++));
    batch_.ids.push_back(hasher.Finish());
    batch_.diffs.push_back(1);
  }
  taken_.clear();
  emit(batch_);
  return Status::OK();
}

}  // namespace vigil
