#pragma once

// Random pipelines for the oracle test: groupby (sometimes behind ignore_late, buffer or
// forget), tumbling/sliding windowby with or without a temporal behavior, and session
// windows; then 1-6 random reducers.

#include "pipeline.h"
#include "random_choice.h"
#include "random_stream.h"

namespace vigil::oracle {

Pipeline RandomPipeline(Random& rnd);

/// How the pipeline's stream moves in event time: temporal pipelines mostly get time going
/// forward with late rows, others any profile.
StreamProfile RandomProfile(Random& rnd, const Pipeline& pipeline);

/// Whether unique() may meet a conflict (the run then must not stop on engine errors).
bool MayConflict(const Pipeline& pipeline);

}  // namespace vigil::oracle
