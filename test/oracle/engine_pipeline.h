#pragma once

// The engine's side of the oracle test: a random pipeline (pipeline.h) built with Vigil's
// Table API over a table_from_markdown input.

#include <string>

#include "pipeline.h"
#include "vigil/graph/table.h"

namespace vigil::oracle {

Table BuildEngine(const Pipeline& pipeline, const std::string& markdown);

}  // namespace vigil::oracle
