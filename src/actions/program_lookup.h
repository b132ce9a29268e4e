#pragma once

#include <string>

#include "vigil/common/status.h"

namespace vigil::actions {

/// Finds the file `--on-alert PROGRAM` names, the way execvp would: a name containing `/` is
/// a path (relative to the working directory); a bare name is searched in each directory of
/// PATH in order (an empty entry meaning the working directory; PATH unset meaning the
/// system default, `confstr(_CS_PATH)`). The first regular file the process may execute
/// wins. Done once when the runner is made, so a bad program is a clear error at startup
/// rather than a failure per alert, and a later change of PATH cannot change what runs.
/// NotFound when nothing matches; InvalidArgument for an empty name or a path that exists
/// but is not an executable regular file.
Result<std::string> ResolveProgram(const std::string& program);

}  // namespace vigil::actions
