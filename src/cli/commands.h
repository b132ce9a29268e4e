#pragma once

#include <CLI/CLI.hpp>

namespace vigil::cli {

/// Each command registers its subcommand and flags; its callback runs the command and stores
/// the process exit code in `exit_code` (0 ok, 1 input rejected/run failed, 2 usage).
void AddDetectCommand(CLI::App& app, int& exit_code);
void AddGenerateCommand(CLI::App& app, int& exit_code);
void AddEventsCommand(CLI::App& app, int& exit_code);

}  // namespace vigil::cli
