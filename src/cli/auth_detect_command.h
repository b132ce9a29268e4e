#pragma once

#include "cli/detect_options.h"
#include "connectors/syslog/log_format.h"

namespace vigil::cli {

/// `vigil detect` on auth logs (sshd syslog files, journal JSON, the journal): the events
/// table through every rule of the rules file, alerts printed as JSON lines and handed to
/// --on-alert. Returns the exit code (0 ok, 1 run failed, 2 usage).
int RunAuthDetect(DetectOptions& options, syslog::LogFormat format);

}  // namespace vigil::cli
