#include "connectors/api/reshuffled_source.h"

#include <algorithm>

namespace vigil {

Status ReshuffledSource::Open() {
  RETURN_NOT_OK(inner_->Open());
  while (auto t = inner_->NextCommitTime()) {
    std::vector<Update> commit;
    RETURN_NOT_OK(inner_->ReadCommit([&](const Batch& b) { AppendUpdates(b, *t, commit); }));
    std::shuffle(commit.begin(), commit.end(), rng_);
    size_t parts =
        split_ ? 1 + rng_() % std::min<size_t>(3, std::max<size_t>(1, commit.size())) : 1;
    std::vector<size_t> cuts = {0};
    for (size_t p = 1; p < parts; ++p) cuts.push_back(rng_() % (commit.size() + 1));
    cuts.push_back(commit.size());
    std::sort(cuts.begin(), cuts.end());
    for (size_t p = 0; p + 1 < cuts.size(); ++p) {
      Commit c;
      c.time = split_ ? *t * 8 + p : *t;
      for (size_t i = cuts[p]; i < cuts[p + 1]; ++i) c.updates.push_back(commit[i]);
      if (!c.updates.empty() || !split_) commits_.push_back(std::move(c));
    }
  }
  return Status::OK();
}

std::optional<Time> ReshuffledSource::NextCommitTime() {
  if (next_ >= commits_.size()) return std::nullopt;
  return commits_[next_].time;
}

Status ReshuffledSource::ReadCommit(const BatchConsumer& emit) {
  const Commit& c = commits_[next_++];
  Batch batch(schema().size());
  for (const auto& u : c.updates) {
    for (size_t i = 0; i < u.row.size(); ++i) batch.columns[i].push_back(u.row[i].get());
    batch.ids.push_back(u.id);
    batch.diffs.push_back(u.diff);
  }
  emit(batch);
  return Status::OK();
}

}  // namespace vigil
