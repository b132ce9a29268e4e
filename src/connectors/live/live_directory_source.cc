#include "connectors/live/live_directory_source.h"

#include <chrono>
#include <filesystem>
#include <set>

namespace vigil {

namespace {
int64_t SteadyMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

LiveDirectorySource::LiveDirectorySource(std::string path, Schema schema,
                                         ChildFactory make_child, LiveDirectoryOptions options)
    : path_(std::move(path)),
      schema_(std::move(schema)),
      make_child_(std::move(make_child)),
      options_(options) {}

Status LiveDirectorySource::Open() {
  std::error_code error;
  if (!std::filesystem::is_directory(path_, error)) {
    return Status::NotFound("live directory '{}' does not exist or is not a directory", path_);
  }
  opened_ = true;
  return Rescan([](const Batch&) {});
}

Status LiveDirectorySource::Rescan(const BatchConsumer& emit) {
  namespace fs = std::filesystem;
  last_scan_ms_ = SteadyMs();
  std::set<std::string> present;
  std::error_code error;
  if (options_.follow_end == FollowEnd::kNever) watch_.WatchDirectory(path_);
  fs::recursive_directory_iterator it(path_, error);
  if (error) return Status::IoError("cannot list directory '{}': {}", path_, error.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(error)) {
    if (error) return Status::IoError("cannot list directory '{}': {}", path_, error.message());
    std::error_code entry_error;
    if (it->is_directory(entry_error)) {
      if (options_.follow_end == FollowEnd::kNever) watch_.WatchDirectory(it->path().string());
      continue;
    }
    if (it->is_regular_file(entry_error)) present.insert(it->path().string());
  }
  // Vanished files: Pathway retracts what was read from them.
  for (auto child = children_.begin(); child != children_.end();) {
    if (present.count(child->first) != 0) {
      ++child;
      continue;
    }
    if (options_.retract_changed_files) RetractAll(child->second, emit);
    child = children_.erase(child);
  }
  // New files, in path order (std::set).
  for (const std::string& file : present) {
    if (children_.count(file) != 0) continue;
    auto on_new_generation = [this, file](uint64_t /*generation*/) {
      // A rewritten file: its old rows go before its new content comes.
      auto found = children_.find(file);
      if (found != children_.end() && options_.retract_changed_files &&
          current_emit_ != nullptr) {
        RetractAll(found->second, *current_emit_);
      }
    };
    ASSIGN_OR_RAISE(auto source, make_child_(file, on_new_generation));
    Status opened = source->Open();
    if (!opened.ok()) {
      // Deleted between the listing and the open: the next listing settles it.
      if (!std::filesystem::exists(file, error)) continue;
      return opened;
    }
    Child child;
    child.source = std::move(source);
    child.rows = Batch(schema_.size());
    children_.emplace(file, std::move(child));
  }
  return Status::OK();
}

void LiveDirectorySource::Retain(Child& child, const Batch& batch) {
  for (size_t r = 0; r < batch.num_rows(); ++r) {
    for (size_t c = 0; c < batch.num_columns(); ++c) {
      child.rows.columns[c].push_back(child.rows.arena.Copy(batch.columns[c][r]));
    }
    child.rows.ids.push_back(batch.ids[r]);
    child.rows.diffs.push_back(batch.diffs[r]);
  }
}

void LiveDirectorySource::RetractAll(Child& child, const BatchConsumer& emit) {
  if (child.rows.empty()) return;
  for (Diff& diff : child.rows.diffs) diff = -diff;
  emit(child.rows);
  child.rows.Clear();
}

Result<LiveRead> LiveDirectorySource::ReadAvailable(const BatchConsumer& emit, size_t max_rows) {
  if (!opened_) return Status::Invalid("live directory '{}' read before Open()", path_);
  const ChangeWatch::Changes changes = watch_.Drain();
  if (options_.follow_end == FollowEnd::kNever &&
      (changes.entries ||
       (watch_.fd() < 0 && SteadyMs() - last_scan_ms_ >= options_.rescan_interval_ms))) {
    RETURN_NOT_OK(Rescan(emit));
  }
  current_emit_ = &emit;
  LiveRead result = LiveRead::kDrained;
  bool all_ended = true;
  for (auto& [file, child] : children_) {
    if (child.ended) continue;
    Child* kept = &child;
    const bool retain = options_.retract_changed_files;
    Result<LiveRead> state = child.source->ReadAvailable(
        [&](const Batch& batch) {
          if (retain) Retain(*kept, batch);
          emit(batch);
        },
        max_rows);
    if (!state.ok()) {
      current_emit_ = nullptr;
      return state.status();
    }
    if (*state == LiveRead::kEnded) {
      child.ended = true;
    } else {
      all_ended = false;
    }
    if (*state == LiveRead::kMore) result = LiveRead::kMore;
  }
  current_emit_ = nullptr;
  if (options_.follow_end == FollowEnd::kAtEof && all_ended) return LiveRead::kEnded;
  return result;
}

}  // namespace vigil
