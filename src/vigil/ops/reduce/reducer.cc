#include "vigil/ops/reduce/reducer.h"

#include "vigil/ops/reduce/reducer_kinds.h"

namespace vigil {

DType ReducerResultType(const ReducerSpec& spec) {
  switch (spec.kind) {
    case ReducerKind::kCount:
    case ReducerKind::kCountDistinct: return dtype::Int;
    case ReducerKind::kSum:
      return spec.arg_types[0].kind == TypeKind::kInt ? dtype::Int : dtype::Float;
    case ReducerKind::kAvg: return dtype::Float;
    case ReducerKind::kMin:
    case ReducerKind::kMax:
    case ReducerKind::kAny:
    case ReducerKind::kUnique:
    case ReducerKind::kEarliest:
    case ReducerKind::kLatest: return spec.arg_types[0];
    case ReducerKind::kArgMin:
    case ReducerKind::kArgMax: return spec.arg_types[1];
    case ReducerKind::kTuple:
    case ReducerKind::kSortedTuple: return dtype::Tuple;
    case ReducerKind::kStatefulMany: return spec.result_type;
  }
  return dtype::Any;
}

std::unique_ptr<ReducerState> MakeReducerState(const ReducerSpec& spec, bool insert_only_input) {
  if (spec.kind == ReducerKind::kStatefulMany) return MakeStatefulReducer(spec);
  if (insert_only_input) {
    if (auto extreme = MakeInsertOnlyReducer(spec)) return extreme;
  }
  if (spec.kind == ReducerKind::kSum && spec.strict && spec.arg_types[0].kind != TypeKind::kInt) {
    return MakeMultisetReducer(spec);  // Keeps every value; the sum is recomputed exactly.
  }
  if (auto accumulable = MakeAccumulableReducer(spec)) return accumulable;
  return MakeMultisetReducer(spec);
}

}  // namespace vigil
