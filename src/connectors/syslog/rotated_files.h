#pragma once

#include <string>
#include <vector>

namespace vigil::syslog {

/// Orders log files so that each rotated family reads oldest first, the live file last:
///
///   auth.log.4.gz, auth.log.3.gz, auth.log.2.gz, auth.log.1, auth.log
///   auth.log-20260222.gz, auth.log-20260301, auth.log            (logrotate's dateext)
///
/// A file belongs to the family of its name without the rotation suffix: `.N` (logrotate's
/// numbers, compared as numbers: `.10` is older than `.9`) or `-YYYYMMDD` (8 to 10 digits,
/// in date order), each optionally followed by `.gz`. Within a family: numbered files
/// (highest number first), then dated ones (earliest first), then the family's own name
/// (`auth.log.gz` before `auth.log`). Families keep the order of their first file in the
/// input, and names without a rotation suffix keep their place, so a sorted directory
/// listing stays in path order apart from the rotation. Equal keys keep input order.
std::vector<std::string> OrderRotatedFiles(std::vector<std::string> paths);

}  // namespace vigil::syslog
