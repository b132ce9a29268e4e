#pragma once

// The reduce step of the oracle: groups of rows in, one output row per group out, with
// textbook loops (SEMANTICS.md §3 reducers, §1.7 window ids, Appendix A).

#include <cstdint>
#include <map>
#include <vector>

#include "oracle_value.h"
#include "pipeline.h"

namespace vigil::oracle {

/// A row as the reduce sees it (after filter, with_columns, temporal operators and window
/// assignment).
struct Member {
  Key row_key;    ///< Its id in the reduce input (windowby: hash(Pointer(id), Int(index))).
  Key input_id;   ///< The input row's id (argmin/argmax default `id`).
  uint64_t time;  ///< Processing time at which this version reached the reduce.
  Row values;
};

/// Groups by key. groupby: the key values. windowby: {_pw_window, start, end, instance}, where
/// _pw_window is the tuple (instance, start, end), or for sessions the Pointer of the
/// session's representative row.
using Groups = std::map<std::vector<OValue>, std::vector<Member>, ValuesLess>;

/// One output row: its id and its values, in Pipeline::OutputColumns() order.
struct OutputRow {
  Key id;
  std::vector<OValue> values;
};

/// Reducer `r` over a non-empty group. Ties follow Pathway: argmin/argmax the smallest id,
/// any the minimal `row_key XOR 0xDEADBEEF...`, tuple by row key, earliest/latest by
/// processing time then smallest/largest row key.
OValue Reduce(const ReducerCall& r, const std::vector<Member>& members);

/// The output rows of `pipeline`'s reduce over `groups` (empty groups produce nothing).
std::vector<OutputRow> ReduceGroups(const Pipeline& pipeline, const Groups& groups);

}  // namespace vigil::oracle
