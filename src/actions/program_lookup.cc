#include "actions/program_lookup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "actions/message_text.h"

namespace vigil::actions {
namespace {

bool IsExecutableFile(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

std::string DefaultSearchPath() {
  std::size_t size = ::confstr(_CS_PATH, nullptr, 0);
  if (size == 0) return "/bin:/usr/bin";
  std::string path(size, '\0');
  ::confstr(_CS_PATH, path.data(), size);
  path.resize(size - 1);  // Without the terminating NUL confstr counts.
  return path;
}

}  // namespace

Result<std::string> ResolveProgram(const std::string& program) {
  if (program.empty()) return Status::Invalid("the action program is an empty name");
  if (program.find('\0') != std::string::npos) {
    return Status::Invalid("the action program {} contains a NUL byte", QuoteForMessage(program));
  }
  if (program.find('/') != std::string::npos) {
    struct stat info {};
    if (::stat(program.c_str(), &info) != 0) {
      return Status::NotFound("action program {}: {}", QuoteForMessage(program, 4096),
                              std::strerror(errno));
    }
    if (!IsExecutableFile(program)) {
      return Status::Invalid("action program {} is not an executable file",
                             QuoteForMessage(program, 4096));
    }
    return program;
  }
  const char* path_variable = std::getenv("PATH");
  std::string search = path_variable != nullptr ? path_variable : DefaultSearchPath();
  std::string_view rest = search;
  while (true) {
    std::size_t colon = rest.find(':');
    std::string_view directory = rest.substr(0, colon);
    std::string candidate = directory.empty() ? std::string(".") : std::string(directory);
    candidate.push_back('/');
    candidate.append(program);
    if (IsExecutableFile(candidate)) return candidate;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return Status::NotFound("action program {} is not in PATH", QuoteForMessage(program, 4096));
}

}  // namespace vigil::actions
