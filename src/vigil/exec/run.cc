#include "vigil/exec/run.h"

#include <vector>

namespace vigil {

namespace {
struct RegisteredOutput {
  Table table;
  SinkFactory factory;
};
std::vector<RegisteredOutput>& Outputs() {
  static std::vector<RegisteredOutput> outputs;
  return outputs;
}
}  // namespace

void RegisterOutput(const Table& table, SinkFactory factory) {
  Outputs().push_back({table, std::move(factory)});
}

void ClearOutputs() { Outputs().clear(); }

Status run(const RunOptions& options) {
  std::vector<SinkBinding> bindings;
  for (auto& output : Outputs()) {
    RETURN_NOT_OK(output.table.status());
    ASSIGN_OR_RAISE(auto sink, output.factory());
    bindings.push_back({output.table.node(), std::move(sink)});
  }
  ASSIGN_OR_RAISE(auto executor, Executor::Make(std::move(bindings), options));
  return executor->Run();
}

}  // namespace vigil
