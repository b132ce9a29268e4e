#include "connectors/live/live_directory_source.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "connectors/api/input_files.h"

namespace vigil {

namespace {
int64_t SteadyMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::optional<FileIdentity> IdentityOf(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
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

void LiveDirectorySource::Warn(DataError warning) {
  if (options_.error_log != nullptr) options_.error_log->Add(std::move(warning));
}

Status LiveDirectorySource::Rescan(const BatchConsumer& emit) {
  last_scan_ms_ = SteadyMs();
  const bool following = options_.follow_end == FollowEnd::kNever;
  const InputListing listing = ListDirectoryTree(path_);
  if (listing.directories.empty()) {
    const std::string reason =
        listing.unreadable.empty() ? std::string("it vanished") : listing.unreadable[0].reason;
    return Status::IoError("cannot list directory '{}': {}", path_, reason);
  }
  if (following) {
    for (const std::string& directory : listing.directories) watch_.WatchDirectory(directory);
  }
  // Unreadable parts are reported once by their own name; the rest is read.
  std::set<std::string> unreadable_now;
  for (const UnreadableInput& unreadable : listing.unreadable) {
    unreadable_now.insert(unreadable.path);
    if (reported_unreadable_.insert(unreadable.path).second) {
      Warn(UnreadableInputWarning(unreadable));
    }
  }
  std::erase_if(reported_unreadable_,
                [&](const std::string& p) { return unreadable_now.count(p) == 0; });

  // What is there now, by name and by identity.
  std::map<std::string, FileIdentity> present;
  for (const std::string& file : listing.files) {
    if (auto identity = IdentityOf(file)) present.emplace(file, *identity);
  }
  std::multimap<FileIdentity, std::string> names_of;
  for (const auto& [file, identity] : present) names_of.emplace(identity, file);

  // Match children to files. A child stays if its name still names its file; else its file
  // was renamed (it is present under a name no child of that file holds) or deleted.
  std::map<std::string, std::unique_ptr<Child>> matched;
  std::vector<std::unique_ptr<Child>> moved;    // Renamed (log semantics): new name set.
  std::vector<std::unique_ptr<Child>> gone;     // Deleted, or renamed under Pathway's rule.
  for (auto& [file, child] : children_) {
    auto found = present.find(file);
    if (child->identity && found != present.end() && found->second == *child->identity) {
      matched.emplace(file, std::move(child));
    } else {
      (child->identity ? moved : gone).push_back(std::move(child));
    }
  }
  children_.clear();
  for (auto& child : moved) {
    std::string new_name;
    auto [begin, end] = names_of.equal_range(*child->identity);
    for (auto it = begin; it != end; ++it) {
      auto held = matched.find(it->second);
      if (held == matched.end()) {
        new_name = it->second;
        break;
      }
    }
    if (new_name.empty() || options_.retract_changed_files) {
      // Deleted; or renamed under Pathway's rule, where the new name is a new file.
      gone.push_back(std::move(child));
      continue;
    }
    child->path = new_name;
    matched.emplace(new_name, std::move(child));
  }
  for (auto& child : gone) {
    if (options_.retract_changed_files) {
      RetractAll(*child, emit);
    } else if (!child->ended) {
      // Log semantics: its rows stay, and what it still holds is read before it goes.
      draining_.push_back(std::move(child));
    }
  }
  children_ = std::move(matched);

  // A file reported as not followable is tried again only when another file takes its name.
  std::erase_if(skipped_files_, [&](const auto& entry) {
    auto found = present.find(entry.first);
    return found == present.end() || found->second != entry.second;
  });
  // New files, in path order.
  for (const auto& [file, identity] : present) {
    if (children_.count(file) != 0 || skipped_files_.count(file) != 0) continue;
    RETURN_NOT_OK(StartChild(file, identity));
  }
  return Status::OK();
}

Status LiveDirectorySource::StartChild(const std::string& file, const FileIdentity& identity) {
  auto child = std::make_unique<Child>();
  child->path = file;
  child->rows = Batch(schema_.size());
  Child* kept = child.get();
  auto on_new_generation = [this, kept](uint64_t /*generation*/) {
    // A rewritten (truncated) file: its old rows go before its new content comes.
    if (options_.retract_changed_files && current_emit_ != nullptr) {
      RetractAll(*kept, *current_emit_);
    }
  };
  // Pathway's rule retracts an earlier file's rows before a new file's come, so (path,
  // offset) ids may repeat; under log semantics they stay, so a reused name is salted.
  uint64_t& uses = name_uses_[file];
  const std::string id_path =
      options_.retract_changed_files || uses == 0 ? file : fmt::format("{}#{}", file, uses);
  ++uses;
  Result<std::unique_ptr<Source>> made = make_child_(file, id_path, on_new_generation);
  Status opened = made.ok() ? (*made)->Open() : made.status();
  if (!opened.ok()) {
    std::error_code error;
    if (!std::filesystem::exists(file, error)) return Status::OK();  // Deleted meanwhile.
    if (!SkipFailedFile(*child, opened)) return opened;
    skipped_files_[file] = identity;
    return Status::OK();
  }
  child->source = std::move(*made);
  child->identity = child->source->followed_file();
  children_.emplace(file, std::move(child));
  return Status::OK();
}

bool LiveDirectorySource::SkipFailedFile(Child& child, const Status& status) {
  if (options_.follow_end != FollowEnd::kNever) return false;  // A replay fails, as static.
  DataError warning;
  warning.file = child.path;
  warning.warning = true;
  warning.row_skipped = false;
  warning.message = fmt::format(
      "not followed: {} (the other files of the directory are followed on)", status.message());
  Warn(std::move(warning));
  return true;
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

Result<LiveRead> LiveDirectorySource::ReadChild(Child& child, const BatchConsumer& emit,
                                                size_t max_rows) {
  const bool retain = options_.retract_changed_files;
  return child.source->ReadAvailable(
      [&](const Batch& batch) {
        if (retain) Retain(child, batch);
        emit(batch);
      },
      max_rows);
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
  for (auto it = children_.begin(); it != children_.end();) {
    Child& child = *it->second;
    if (child.ended) {
      ++it;
      continue;
    }
    Result<LiveRead> state = ReadChild(child, emit, max_rows);
    if (!state.ok()) {
      if (!child.source->file_rejected() || !SkipFailedFile(child, state.status())) {
        current_emit_ = nullptr;
        return state.status();
      }
      // E.g. a file created empty whose header, written later, is not the schema's.
      if (child.identity) skipped_files_[it->first] = *child.identity;
      it = children_.erase(it);
      continue;
    }
    if (*state == LiveRead::kEnded) {
      child.ended = true;
    } else {
      all_ended = false;
    }
    if (*state == LiveRead::kMore) result = LiveRead::kMore;
    ++it;
  }
  // Deleted files: read to their end, then what they held unfinished is reported.
  for (auto it = draining_.begin(); it != draining_.end();) {
    Child& child = **it;
    Result<LiveRead> state = ReadChild(child, emit, max_rows);
    if (!state.ok() &&
        (!child.source->file_rejected() || !SkipFailedFile(child, state.status()))) {
      current_emit_ = nullptr;
      return state.status();
    }
    if (state.ok() && *state == LiveRead::kMore) {
      result = LiveRead::kMore;
      ++it;
      continue;
    }
    if (state.ok() && *state == LiveRead::kDrained) {
      child.source->ReportUnfinished(UnfinishedLineEnd::kDeleted);
    }
    it = draining_.erase(it);
  }
  current_emit_ = nullptr;
  if (options_.follow_end == FollowEnd::kAtEof && all_ended) return LiveRead::kEnded;
  return result;
}

void LiveDirectorySource::ReportUnfinished(UnfinishedLineEnd why) {
  for (auto& [file, child] : children_) {
    if (!child->ended) child->source->ReportUnfinished(why);
  }
  for (auto& child : draining_) child->source->ReportUnfinished(why);
}

}  // namespace vigil
