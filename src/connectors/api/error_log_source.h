#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "connectors/api/error_log.h"
#include "connectors/api/source.h"

namespace vigil {

/// The run's errors as rows (`global_error_log()`): every error reported to the run's
/// ErrorLog (bad input rows, expression and reducer errors, UDF exceptions), warnings not
/// included. Columns:
///  - `message`: the error as Pathway's global_error_log words it where Pathway has a
///    wording (a reader's field that does not parse: `failed to parse value "x" at field "b"
///    according to the type int in schema: invalid digit found in string`), else Vigil's;
///  - `origin`: the input file (or source name) or the operator that reported it;
///  - `line`: the 1-based input line, None for operator errors.
///
/// Not pulled by commit times (follows_error_log): the executor hands it each commit, so
/// the errors reported up to the end of a commit's reading are rows of that commit; errors
/// raised while a commit closes (a reducer's) are rows of the next one, and after the
/// inputs end the executor runs extra commits while rows remain (at most a few: errors
/// raised by the error table's own consumers are not chased forever).
class ErrorLogSource final : public Source {
 public:
  explicit ErrorLogSource(ErrorLog* log);
  static Schema MakeSchema();

  const Schema& schema() const override { return schema_; }
  Status Open() override { return Status::OK(); }
  std::optional<Time> NextCommitTime() override { return std::nullopt; }
  Status ReadCommit(const BatchConsumer& emit) override;
  bool insert_only() const override { return true; }
  bool follows_error_log() const override { return true; }
  bool has_pending_rows() const override;

 private:
  /// Filled by the log's tap (under the log's lock, possibly from another thread later),
  /// drained by ReadCommit; shared so that the tap stays valid if the source goes first.
  struct Pending {
    mutable std::mutex mutex;
    std::vector<DataError> errors;
  };
  Schema schema_;
  std::shared_ptr<Pending> pending_;
  std::vector<DataError> taken_;
  uint64_t next_index_ = 0;  ///< Row ids: the error's position in the run.
  Batch batch_;
};

}  // namespace vigil
