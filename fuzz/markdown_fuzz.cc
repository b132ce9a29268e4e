// libFuzzer target: ParseMarkdownTable (Pathway's table_from_markdown format) on arbitrary text.
//
// Byte 0 chooses between type inference and a fixed schema; the rest is the table. Either the
// parse fails with a Status, or every update has one value per schema column, of the column's
// type (None only where the type allows it), a diff of +1 or -1, and updates come in time
// order; replaying them through MarkdownSource emits each exactly once.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "connectors/markdown/markdown_table.h"
#include "vigil/common/check.h"

namespace vigil {
namespace {

bool KindFits(const Value& v, DType type) {
  if (v.is_none()) {
    return type.optional || type.kind == TypeKind::kNone || type.kind == TypeKind::kAny;
  }
  switch (type.kind) {
    case TypeKind::kAny:
      return true;
    case TypeKind::kNone:
      return false;
    case TypeKind::kBool:
      return v.kind() == ValueKind::kBool;
    case TypeKind::kInt:
      return v.kind() == ValueKind::kInt;
    case TypeKind::kFloat:
      return v.kind() == ValueKind::kFloat;
    case TypeKind::kString:
      return v.kind() == ValueKind::kString;
    case TypeKind::kPointer:
      return v.kind() == ValueKind::kPointer;
    case TypeKind::kTuple:
      return v.kind() == ValueKind::kTuple;
    case TypeKind::kDateTimeNaive:
      return v.kind() == ValueKind::kDateTimeNaive;
    case TypeKind::kDateTimeUtc:
      return v.kind() == ValueKind::kDateTimeUtc;
    case TypeKind::kDuration:
      return v.kind() == ValueKind::kDuration;
  }
  return false;
}

}  // namespace
}  // namespace vigil

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::optional<Schema> schema;
  if (data[0] & 1) {
    schema = Schema{{"a", dtype::Int},           {"b", dtype::Str},
                    {"c", dtype::Float},         {"d", dtype::Optional(dtype::Bool)},
                    {"e", dtype::DateTimeNaive}, {"f", dtype::DateTimeUtc}};
  }
  Result<ParsedMarkdown> parsed = ParseMarkdownTable(text, schema);
  if (!parsed.ok()) {
    VIGIL_CHECK(!parsed.status().message().empty());
    return 0;
  }
  auto table = std::make_shared<const ParsedMarkdown>(std::move(parsed).value());
  Time last_time = 0;
  for (const Update& u : table->updates) {
    VIGIL_CHECK_EQ(u.row.size(), table->schema.size());
    for (size_t c = 0; c < u.row.size(); ++c) {
      VIGIL_CHECK(KindFits(u.row[c].get(), table->schema[c].type));
      // Touch string bytes: they must be owned by the update.
      (void)FormatValue(u.row[c].get());
    }
    VIGIL_CHECK(u.diff == 1 || u.diff == -1);
    VIGIL_CHECK_LE(last_time, u.time);
    last_time = u.time;
  }

  MarkdownSource source(table);
  VIGIL_CHECK(source.Open().ok());
  size_t replayed = 0;
  std::optional<Time> previous;
  while (std::optional<Time> time = source.NextCommitTime()) {
    if (previous) VIGIL_CHECK_LT(*previous, *time);
    previous = time;
    const Status status = source.ReadCommit([&](const Batch& batch) {
      VIGIL_CHECK_EQ(batch.num_columns(), table->schema.size());
      for (size_t r = 0; r < batch.num_rows(); ++r) {
        for (size_t c = 0; c < batch.num_columns(); ++c) (void)FormatValue(batch.columns[c][r]);
      }
      replayed += batch.num_rows();
    });
    VIGIL_CHECK(status.ok());
  }
  VIGIL_CHECK_EQ(replayed, table->updates.size());
  return 0;
}
