#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "connectors/api/source.h"
#include "vigil/batch/update.h"

namespace vigil {

/// A test hook for RunOptions::source_wrapper: replays a finite source's commits with the
/// rows of each commit in a random order and, with `split`, each commit cut at random into
/// up to three consecutive commits (times 8t, 8t+1, ...; the order of commits is kept).
/// Results must not depend on row order within a commit, and final states must not depend
/// on commit boundaries; the golden matrix of the C++ tests (test/support/golden.h) and of
/// the Python tests (vigil.tests.utils.assert_matrix_stable) check both with it.
class ReshuffledSource final : public Source {
 public:
  ReshuffledSource(std::unique_ptr<Source> inner, uint64_t seed, bool split)
      : inner_(std::move(inner)), rng_(seed), split_(split) {}
  const Schema& schema() const override { return inner_->schema(); }
  /// Reads the whole inner source (it must end) and plans the replayed commits.
  Status Open() override;
  std::optional<Time> NextCommitTime() override;
  Status ReadCommit(const BatchConsumer& emit) override;
  bool insert_only() const override { return inner_->insert_only(); }  // Reorders, splits.

 private:
  struct Commit {
    Time time;
    std::vector<Update> updates;
  };
  std::unique_ptr<Source> inner_;
  std::mt19937_64 rng_;
  bool split_;
  std::vector<Commit> commits_;
  size_t next_ = 0;
};

}  // namespace vigil
