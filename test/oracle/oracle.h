#pragma once

// A deliberately naive reference evaluator for random pipelines (pipeline.h).
//
// Given the commits exactly as the engine receives them, it replays them in order and, after
// each one, recomputes the pipeline's whole output from scratch with plain std containers
// and textbook loops, sharing no code with the engine's operators (src/vigil/ops). The rules
// it encodes are read from conformance/SEMANTICS.md: §1.2 window assignment, §1.3 sessions,
// §1.7 window ids, §2 temporal behaviors and the plain-table temporal operators, §3
// reducers. oracle_test.cc checks the engine against it at every commit.

#include <vector>

#include "coverage.h"
#include "input_stream.h"
#include "naive_reduce.h"
#include "pipeline.h"
#include "window_assignment.h"

namespace vigil::oracle {

/// Where the oracle follows a known deviation of the engine instead of Pathway, so that the
/// rest of a pipeline stays checked while the engine bug is open (see oracle_test.cc).
struct OracleOptions {
  SessionRepresentative session_representative = SessionRepresentative::kLastRow;
  /// Key of a row in a session's reduce input: Pathway keeps the input row's id
  /// (`_SessionWindow._apply` groups `table.with_columns(...)`); false models the engine's
  /// hash(Pointer(id), Int(0)).
  bool session_rows_keep_input_ids = true;
};


/// The output table of `pipeline` after each commit of `stream`: element i is the table once
/// commits 0..i have been processed. Adds to `coverage` when given.
std::vector<std::vector<OutputRow>> Evaluate(const Pipeline& pipeline, const InputStream& stream,
                                             const OracleOptions& options = {},
                                             Coverage* coverage = nullptr);

}  // namespace vigil::oracle
