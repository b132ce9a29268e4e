#include "connectors/error_log_table.h"

#include <memory>

#include "connectors/api/error_log_source.h"

namespace vigil {

Table global_error_log() {
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kSource;
  node->operation = "global_error_log";
  node->schema = ErrorLogSource::MakeSchema();
  node->source_factory = [](const SourceContext& context) -> Result<std::unique_ptr<Source>> {
    return std::unique_ptr<Source>(std::make_unique<ErrorLogSource>(context.errors));
  };
  return Table(std::move(node));
}

}  // namespace vigil
