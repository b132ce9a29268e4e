#include "cli/commands.h"

namespace vigil::cli {

void AddGenerateCommand(CLI::App& app, int& exit_code) {
  (void)app;
  (void)exit_code;
}

}  // namespace vigil::cli
