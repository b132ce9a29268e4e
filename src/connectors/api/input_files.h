#pragma once

#include <string>
#include <vector>

#include "vigil/common/status.h"

namespace vigil {

/// The files a file reader reads for `path`: the file itself, or every regular file under a
/// directory (recursively), in component-wise path order as Pathway's glob walk yields them
/// (`a/b` before `a-c`). `what` names the reader in messages ("JSON Lines input").
Result<std::vector<std::string>> ListInputFiles(const std::string& path, const std::string& what);

}  // namespace vigil
