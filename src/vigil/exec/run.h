#pragma once

#include <functional>
#include <memory>

#include "vigil/exec/executor.h"
#include "vigil/graph/table.h"

namespace vigil {

/// Creates a sink when a run starts (so files are opened at run time, not at graph build).
using SinkFactory = std::function<Result<std::unique_ptr<UpdateSink>>()>;

/// Registers an output of the program's graph, as Pathway's io.*.write and subscribe do.
/// Registered outputs are computed by run(). Not thread-safe: build graphs on one thread.
void RegisterOutput(const Table& table, SinkFactory factory);
/// Forgets every registered output (tests building several graphs in one process).
void ClearOutputs();

/// Runs the graph feeding every registered output until all inputs end.
/// Returns the first error: a table built with an error, a source failure, or (with
/// terminate_on_error) an engine error.
Status run(const RunOptions& options = {});

}  // namespace vigil
