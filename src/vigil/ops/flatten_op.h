#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "vigil/common/key.h"
#include "vigil/ops/operator.h"

namespace vigil {

/// Flatten (Pathway's `Table.flatten`): one output row per element of an input row's
/// `column`, a tuple (each element) or a string (each character, a UTF-8 code point), the
/// other columns copied; with `origin_id`, a last column holds the input row's id. Output
/// ids hash (input id, position), so they are stable and distinct. An input row whose value
/// is neither (None, an int, an Error) gives no row and is reported as an error.
///
/// Stateless: an input row's retraction retracts exactly the rows its insertion gave.
class FlattenOperator final : public Operator {
 public:
  FlattenOperator(std::string name, size_t column, size_t num_input_columns, bool origin_id);
  void OnBatch(size_t port, const Batch& batch, Time time) override;

 private:
  /// Appends the output row of input row `row` whose flattened value is `element`.
  void AppendRow(const Batch& batch, size_t row, const Value& element, uint64_t position);

  size_t column_;
  size_t num_input_columns_;
  bool origin_id_;
  KeyHasher hasher_;
  Batch out_;
  std::vector<std::string> errors_;
};

}  // namespace vigil
