#pragma once

#include "rules/detection_options.h"
#include "rules/rules_config.h"
#include "vigil/graph/table.h"

namespace vigil::rules {

/// Every enabled rule of `config` on an events table (AuthEventsSchema), concatenated into
/// one alerts table (alert_schema.h). Allowlisted sources are dropped first. The pipeline is
/// ordinary engine operators, so it runs the same on a static table and a live one; `options`
/// picks the live emission (--emit final / updates) or none (static). With no rule enabled
/// the table is empty.
Table BuildDetection(const Table& events, const RulesConfig& config,
                     const DetectionOptions& options = {});

}  // namespace vigil::rules
