#include "vigil/types/dtype.h"

namespace vigil {

const char* TypeKindName(TypeKind k) {
  switch (k) {
    case TypeKind::kAny: return "Any";
    case TypeKind::kNone: return "None";
    case TypeKind::kBool: return "bool";
    case TypeKind::kInt: return "int";
    case TypeKind::kFloat: return "float";
    case TypeKind::kString: return "str";
    case TypeKind::kPointer: return "Pointer";
    case TypeKind::kTuple: return "tuple";
    case TypeKind::kDateTimeNaive: return "DateTimeNaive";
    case TypeKind::kDateTimeUtc: return "DateTimeUtc";
    case TypeKind::kDuration: return "Duration";
  }
  return "?";
}

std::string DType::ToString() const {
  if (optional && kind != TypeKind::kNone && kind != TypeKind::kAny) {
    return std::string("Optional[") + TypeKindName(kind) + "]";
  }
  return TypeKindName(kind);
}

DType UnifyTypes(DType a, DType b) {
  if (a.kind == TypeKind::kNone) return b.AsOptional();
  if (b.kind == TypeKind::kNone) return a.AsOptional();
  bool optional = a.optional || b.optional;
  if (a.kind == b.kind) return DType(a.kind, optional);
  if (a.IsNumeric() && b.IsNumeric()) return DType(TypeKind::kFloat, optional);
  return DType(TypeKind::kAny, optional);
}

}  // namespace vigil
