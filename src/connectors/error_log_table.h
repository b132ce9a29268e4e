#pragma once

#include "vigil/graph/table.h"

namespace vigil {

/// Pathway's `pw.global_error_log()`: the errors of the run as a table (`message`, `origin`,
/// `line`; see connectors/api/error_log_source.h), one row per error as it is reported, in
/// the commit that reported it. With terminate_on_error = false (RunOptions) a run keeps
/// going past bad rows and expression errors, and this table says what went wrong:
///
///     Table errors = global_error_log().select({{"message", this_["message"]}});
///
/// Each call makes a new table node; every such node of a run sees all of its errors.
Table global_error_log();

}  // namespace vigil
