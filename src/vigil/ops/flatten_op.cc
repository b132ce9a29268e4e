#include "vigil/ops/flatten_op.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "vigil/types/value.h"

namespace vigil {

namespace {

/// The length of the UTF-8 sequence starting with `lead` (1 for a byte that starts none:
/// strings are valid UTF-8 in the engine, so that is only a safety net).
size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

}  // namespace

FlattenOperator::FlattenOperator(std::string name, size_t column, size_t num_input_columns,
                                 bool origin_id)
    : Operator(std::move(name)),
      column_(column),
      num_input_columns_(num_input_columns),
      origin_id_(origin_id),
      out_(num_input_columns + (origin_id ? 1 : 0)) {}

void FlattenOperator::AppendRow(const Batch& batch, size_t row, const Value& element,
                                uint64_t position) {
  for (size_t c = 0; c < num_input_columns_; ++c) {
    out_.columns[c].push_back(c == column_ ? element : batch.columns[c][row]);
  }
  if (origin_id_) out_.columns[num_input_columns_].push_back(Value::Pointer(batch.ids[row]));
  hasher_.Reset();
  hasher_.BeginTuple(2);
  hasher_.AddPointer(batch.ids[row]);
  hasher_.AddInt(static_cast<int64_t>(position));
  out_.ids.push_back(hasher_.Finish());
  out_.diffs.push_back(batch.diffs[row]);
}

void FlattenOperator::OnBatch(size_t /*port*/, const Batch& batch, Time time) {
  out_.Clear();
  for (size_t i = 0; i < batch.num_rows(); ++i) {
    const Value& v = batch.columns[column_][i];
    switch (v.kind()) {
      case ValueKind::kTuple:
        for (uint32_t k = 0; k < v.tuple_size(); ++k) AppendRow(batch, i, v.tuple_at(k), k);
        break;
      case ValueKind::kString: {
        // Each character a string of its own: views into the input value (valid while the
        // batch is, that is until Emit returns).
        const std::string_view text = v.as_string();
        uint64_t position = 0;
        for (size_t at = 0; at < text.size();) {
          const size_t length =
              std::min(Utf8Length(static_cast<unsigned char>(text[at])), text.size() - at);
          AppendRow(batch, i, Value::String(text.substr(at, length)), position++);
          at += length;
        }
        break;
      }
      default:
        // Reported once per insertion (a retraction of it gave no rows either).
        if (batch.diffs[i] > 0) {
          errors_.push_back(fmt::format("cannot flatten {} (a tuple or a string was expected)",
                                        FormatValue(v)));
        }
        break;
    }
  }
  if (!errors_.empty()) ReportExpressionErrors(errors_);
  errors_.clear();
  Emit(out_, time);
}

}  // namespace vigil
