#include "connectors/lines/plaintext_row_parser.h"

#include <array>
#include <string>

#include "connectors/lines/line_text.h"

namespace vigil {

namespace {

/// Bytes of a bad line kept in its error (the error log truncates further).
constexpr size_t kValueBytes = 256;

class PlaintextRowParser final : public LineRowParser {
 public:
  Status ParseLines(std::span<const Line> lines, LineBatchBuilder& out) override {
    for (const Line& line : lines) {
      const PreparedLine prepared = PrepareLine(line.text, line.terminated);
      if (!prepared.valid) {
        std::array<FieldError, 1> errors;
        errors[0].column = 0;
        errors[0].value = std::string(line.text.substr(0, kValueBytes));
        errors[0].expected = "valid UTF-8";
        errors[0].message = NotUtf8Message(prepared.problem);
        RETURN_NOT_OK(out.CommitRowWithErrors(line, errors));
        continue;
      }
      if (prepared.text == kCommitLine) continue;
      out.Set(0, Value::String(prepared.text));
      out.CommitRow(line);
    }
    return Status::OK();
  }
};

}  // namespace

Schema PlaintextSchema() { return Schema{{"data", dtype::Str}}; }

std::unique_ptr<LineRowParser> MakePlaintextRowParser() {
  return std::make_unique<PlaintextRowParser>();
}

}  // namespace vigil
