// `vigil`: the command line. Thin by design: each command parses its flags, builds a graph
// with the engine's API and runs it. Exit codes: 0 success, 1 input rejected or run failed,
// 2 usage error.

#include <csignal>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/heap.h"

int main(int argc, char** argv) {
  vigil::cli::ConfigureHeap();
  // A closed pipe is an output error the commands report (EPIPE, exit 1), not a silent death.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{
      "vigil: real-time detection over login streams (an incremental engine with Pathway's "
      "table model)",
      "vigil"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "vigil 0.1.0");
  int exit_code = 0;
  vigil::cli::AddDetectCommand(app, exit_code);
  vigil::cli::AddGenerateCommand(app, exit_code);
  vigil::cli::AddEventsCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  return exit_code;
}
