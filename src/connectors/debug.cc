#include "connectors/debug.h"

#include <algorithm>
#include <cstdio>

#include "connectors/markdown/markdown_table.h"

namespace vigil::debug {

namespace {
/// The source node replaying `table`, whose updates are in commit order.
Table TableOfUpdates(ParsedMarkdown table, std::string operation) {
  auto shared = std::make_shared<const ParsedMarkdown>(std::move(table));
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kSource;
  node->operation = std::move(operation);
  node->schema = shared->schema;
  node->source_factory =
      [shared](const SourceContext&) -> Result<std::unique_ptr<Source>> {
    return std::unique_ptr<Source>(std::make_unique<MarkdownSource>(shared));
  };
  return Table(std::move(node));
}
}  // namespace

Table table_from_markdown(const std::string& text, const std::optional<Schema>& schema,
                          bool split_on_whitespace) {
  auto parsed = ParseMarkdownTable(text, schema, split_on_whitespace);
  if (!parsed.ok()) return Table(ErrorNode(parsed.status()));
  return TableOfUpdates(std::move(*parsed), "table_from_markdown");
}

Table table_from_updates(Schema schema, std::vector<Update> updates, std::string operation) {
  // Rows from a front may come out of time order.
  const auto by_time = [](const Update& a, const Update& b) { return a.time < b.time; };
  if (!std::is_sorted(updates.begin(), updates.end(), by_time)) {
    std::stable_sort(updates.begin(), updates.end(), by_time);
  }
  return TableOfUpdates(ParsedMarkdown{std::move(schema), std::move(updates)},
                        std::move(operation));
}

Result<std::vector<Captured>> CaptureAll(const std::vector<Table>& tables,
                                         const RunOptions& options) {
  std::vector<SinkBinding> bindings;
  for (const auto& t : tables) {
    RETURN_NOT_OK(t.status());
    bindings.push_back({t.node(), std::make_unique<CaptureSink>()});
  }
  ASSIGN_OR_RAISE(auto executor, Executor::Make(std::move(bindings), options));
  RETURN_NOT_OK(executor->Run());
  std::vector<Captured> out;
  for (size_t i = 0; i < tables.size(); ++i) {
    auto& sink = static_cast<CaptureSink&>(executor->sink(i));
    out.push_back({tables[i].column_names(), std::move(sink.updates())});
  }
  return out;
}

Result<Captured> Capture(const Table& table, const RunOptions& options) {
  ASSIGN_OR_RAISE(auto all, CaptureAll({table}, options));
  return std::move(all[0]);
}

namespace {
Status ComputeAndPrint(const Table& table, const PrintOptions& print, const RunOptions& options,
                       bool stream) {
  auto captured = Capture(table, options);
  if (!captured.ok()) {
    std::fprintf(stderr, "error: %s\n", captured.status().ToString().c_str());
    return captured.status();
  }
  std::string text = stream ? FormatUpdateStream(captured->columns, captured->updates, print)
                            : FormatTable(captured->columns, captured->updates, print);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return Status::OK();
}
}  // namespace

Status compute_and_print(const Table& table, const PrintOptions& print,
                         const RunOptions& options) {
  return ComputeAndPrint(table, print, options, false);
}

Status compute_and_print_update_stream(const Table& table, const PrintOptions& print,
                                       const RunOptions& options) {
  return ComputeAndPrint(table, print, options, true);
}

}  // namespace vigil::debug
