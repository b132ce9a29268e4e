#pragma once

// Random update streams for the oracle test, and the concrete commit sequences (variants) in
// which the engine and the oracle receive them.
//
// A stream is first generated as logical commits of operations on ids (insert, delete,
// update, no-op update, transient row). A variant then lays them out as commits with times:
// unsplit (one commit per logical commit, rows in random order, a retraction possibly before
// the insertion it cancels) or split (each logical commit cut into 1-3 consecutive commits;
// the lines of one operation keep their order so every intermediate state is a table).

#include <cstdint>
#include <string>
#include <vector>

#include "input_stream.h"
#include "random_choice.h"

namespace vigil::oracle {

/// How event times `t` move: drift 0 draws t in -6..12 whatever the commit; drift d > 0
/// draws t in d*c - lateness .. d*c + 2 for logical commit c, so time goes forward with some
/// late rows (what temporal behaviors are about).
struct StreamProfile {
  int64_t drift = 0;
  int64_t lateness = 0;
  /// Whether a commit may hold lines that cancel (a row inserted and retracted in it, or
  /// retracted and re-inserted unchanged). Off only to step around a known engine bug.
  bool cancelling_lines = true;
};

/// The values of one row version: `f2` is twice the float column `f`.
struct RowValues {
  int64_t k = 0;
  std::string s;
  int64_t v = 0;
  int64_t f2 = 0;
  int64_t t = 0;
  friend bool operator==(const RowValues&, const RowValues&) = default;
};

struct StreamLine {
  int64_t id = 0;  ///< The markdown `id` column (row key hash(Int(id))).
  RowValues values;
  int64_t diff = 1;
};

/// One logical commit: operations, each the lines of one id in causal order (an update is
/// its retraction then its insertion; a transient row its insertion then its retraction).
struct LogicalCommit {
  std::vector<std::vector<StreamLine>> operations;
};

std::vector<LogicalCommit> RandomCommits(Random& rnd, const StreamProfile& profile);

/// A commit sequence as both sides receive it.
struct StreamVariant {
  std::string name;      ///< "unsplit" or "split".
  std::string markdown;  ///< The engine's input (debug::table_from_markdown).
  InputStream commits;   ///< The oracle's input, ending with the end-of-input commit.
};

/// One commit per logical commit, at times 8, 16, ..., rows shuffled freely.
StreamVariant Unsplit(const std::vector<LogicalCommit>& commits, Random& rnd);
/// Logical commit c cut into 1-3 consecutive commits ending at time 8(c+1) (even times, as
/// Pathway's markdown requires).
StreamVariant Split(const std::vector<LogicalCommit>& commits, Random& rnd);

/// Commits of `lines` in the given order, at times 2, 4, 6, ... (rows kept in order within
/// each commit), then the end-of-input commit.
StreamVariant InOrder(const std::string& name,
                      const std::vector<std::vector<StreamLine>>& commit_lines);

/// Random values of one row; with a drifting profile the time is drift * tick plus a
/// lateness in [-profile.lateness, 2] (tick: the logical commit, or a count of lines).
RowValues RandomValues(Random& rnd, const StreamProfile& profile, int64_t tick, int64_t k_max,
                       int64_t v_max);

/// The row key of markdown id `id`: hash(Int(id)).
Key IdKey(int64_t id);

}  // namespace vigil::oracle
