#pragma once

// Pathway's temporal operators on a plain table (Table::ignore_late, buffer, forget;
// SEMANTICS.md §2.2-2.3, CASES.md O-01..O-03), replayed commit by commit from their
// definitions. "Now" is the largest event time `t` among the consolidated changes (insertions
// and retractions alike) of the commits the operator has seen.

#include <cstdint>
#include <optional>
#include <vector>

#include "coverage.h"
#include "input_stream.h"
#include "pipeline.h"

namespace vigil::oracle {

class PlainTemporalReplay {
 public:
  /// Counts into `coverage` when given.
  explicit PlainTemporalReplay(const TemporalOpSpec& spec, Coverage* coverage = nullptr)
      : spec_(spec), coverage_(coverage) {}

  /// Processes one commit's consolidated changes (after filter/with_columns).
  void Commit(const std::vector<RowChange>& changes, uint64_t time, bool end_of_input);

  /// The operator's output table after the last commit, each row with the processing time at
  /// which it came out.
  std::vector<TimedRow> Output() const;

 private:
  /// Whether "now" has reached a row's threshold `t + threshold`.
  bool Reached(const std::optional<int64_t>& now, const Row& row) const;

  /// Rows of table_ whose threshold `now` reached.
  int64_t CountReached(const std::optional<int64_t>& now) const;

  TemporalOpSpec spec_;
  Coverage* coverage_;
  std::optional<int64_t> now_;
  /// ignore_late, buffer: the rows that came out. forget: the input table.
  std::vector<TimedRow> table_;
  /// buffer: changes waiting for now to reach their threshold (consolidated).
  std::vector<RowChange> held_;
  /// forget: "now" before the last commit that brought rows; rows whose threshold it reached
  /// are forgotten.
  std::optional<int64_t> forget_bar_;
};

}  // namespace vigil::oracle
