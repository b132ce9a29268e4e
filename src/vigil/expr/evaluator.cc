#include "vigil/expr/evaluator.h"

#include <charconv>
#include <cctype>
#include <cmath>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace vigil {

namespace {
/// SetApplyError's message for the row being evaluated on this thread.
thread_local std::string apply_error;
/// The message set since the last call, cleared.
std::string TakeApplyError() { return std::exchange(apply_error, std::string()); }
/// SetBatchApplyError's (row in the call's `out`, message) pairs of the call in progress.
thread_local std::vector<std::pair<size_t, std::string>> batch_apply_errors;
}  // namespace

void SetApplyError(std::string message) { apply_error = std::move(message); }
void SetBatchApplyError(size_t row, std::string message) {
  batch_apply_errors.emplace_back(row, std::move(message));
}

namespace {

int64_t FloorDivInt(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
int64_t FloorModInt(int64_t a, int64_t b) {
  int64_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}
double FloorModFloat(double a, double b) {
  double m = std::fmod(a, b);
  // CPython's float_rem: a zero remainder takes the sign of the divisor.
  if (m == 0) return std::copysign(0.0, b);
  if ((m < 0) != (b < 0)) m += b;
  return m;
}

/// The text Rust's `str::trim` and `parse` see: surrounding whitespace removed, and one
/// leading '+' dropped (std::from_chars does not accept it; "+-1" stays invalid).
std::string_view NumberText(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.size() > 1 && s[0] == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  return s;
}
int64_t WrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
int64_t WrapSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
int64_t WrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}

bool IsTimestampKind(ValueKind k) {
  return k == ValueKind::kDateTimeNaive || k == ValueKind::kDateTimeUtc;
}

/// An int as the float its column is typed as: if_else, coalesce and fill_error of an int
/// and a float are float (UnifyTypes), and Pathway casts the int operand to float.
Value WidenedToFloat(const Value& v) {
  return v.kind() == ValueKind::kInt ? Value::Float(static_cast<double>(v.as_int())) : v;
}

/// WidenedToFloat over the first `n` values of a node's output, in place.
void WidenIntsToFloat(std::vector<Value>& values, size_t n) {
  for (size_t i = 0; i < n; ++i) values[i] = WidenedToFloat(values[i]);
}

Value Compare(ExprOp op, const Value& a, const Value& b) {
  if (op == ExprOp::kEq) return Value::Bool(ValuesEqual(a, b));
  if (op == ExprOp::kNe) return Value::Bool(!ValuesEqual(a, b));
  if (a.is_none() || b.is_none()) return Value::None();
  auto c = CompareValues(a, b);
  switch (op) {
    case ExprOp::kLt: return Value::Bool(c < 0);
    case ExprOp::kLe: return Value::Bool(c <= 0);
    case ExprOp::kGt: return Value::Bool(c > 0);
    case ExprOp::kGe: return Value::Bool(c >= 0);
    default: return Value::Error();
  }
}

}  // namespace

Value ApplyBinary(ExprOp op, const Value& a, const Value& b, ValueArena& arena,
                  std::string* error) {
  if (a.is_error() || b.is_error()) return Value::Error();
  switch (op) {
    case ExprOp::kEq: case ExprOp::kNe: case ExprOp::kLt: case ExprOp::kLe:
    case ExprOp::kGt: case ExprOp::kGe:
      return Compare(op, a, b);
    default: break;
  }
  if (a.is_none() || b.is_none()) return Value::None();
  const ValueKind ka = a.kind(), kb = b.kind();
  if (ka == ValueKind::kInt && kb == ValueKind::kInt) {
    int64_t x = a.as_int(), y = b.as_int();
    switch (op) {
      case ExprOp::kAdd: return Value::Int(WrapAdd(x, y));
      case ExprOp::kSub: return Value::Int(WrapSub(x, y));
      case ExprOp::kMul: return Value::Int(WrapMul(x, y));
      case ExprOp::kTrueDiv:
        if (y == 0) break;
        return Value::Float(static_cast<double>(x) / static_cast<double>(y));
      case ExprOp::kFloorDiv:
        if (y == 0) break;
        if (y == -1) return Value::Int(WrapSub(0, x));
        return Value::Int(FloorDivInt(x, y));
      case ExprOp::kMod:
        if (y == 0) break;
        if (y == -1) return Value::Int(0);
        return Value::Int(FloorModInt(x, y));
      case ExprOp::kPow: {
        if (y < 0) {
          // int ** int is typed int (as in Pathway) and a negative exponent has no int
          // result: the row is an Error. 0 ** -n is Python's ZeroDivisionError.
          if (error) {
            *error = x == 0 ? fmt::format("division by zero: 0 cannot be raised to a negative "
                                          "power ({} ** {})", x, y)
                            : fmt::format("negative exponent: {} ** {} has no int result; cast "
                                          "an operand to float", x, y);
          }
          return Value::Error();
        }
        uint64_t result = 1, base = static_cast<uint64_t>(x);
        for (int64_t e = y; e > 0; e >>= 1) {  // Square-and-multiply, wrapping like i64.
          if (e & 1) result *= base;
          base *= base;
        }
        return Value::Int(static_cast<int64_t>(result));
      }
      case ExprOp::kAnd: return Value::Int(x & y);
      case ExprOp::kOr: return Value::Int(x | y);
      case ExprOp::kXor: return Value::Int(x ^ y);
      default: break;
    }
    if (error) *error = fmt::format("division by zero: {} {} {}", x, ExprOpName(op), y);
    return Value::Error();
  }
  if (a.is_numeric() && b.is_numeric()) {
    double x = a.as_number(), y = b.as_number();
    switch (op) {
      case ExprOp::kAdd: return Value::Float(x + y);
      case ExprOp::kSub: return Value::Float(x - y);
      case ExprOp::kMul: return Value::Float(x * y);
      case ExprOp::kTrueDiv:
        if (y == 0) break;
        return Value::Float(x / y);
      case ExprOp::kFloorDiv:
        if (y == 0) break;
        return Value::Float(std::floor(x / y));
      case ExprOp::kMod:
        if (y == 0) break;
        return Value::Float(FloorModFloat(x, y));
      case ExprOp::kPow:
        // CPython's float_pow: 0.0 to a finite negative power is a ZeroDivisionError (to
        // -inf it is inf).
        if (x == 0 && y < 0 && std::isfinite(y)) break;
        return Value::Float(std::pow(x, y));
      default:
        if (error) *error = fmt::format("unsupported operand types for {}: float", ExprOpName(op));
        return Value::Error();
    }
    if (error) *error = fmt::format("float division by zero: {} {} {}", FormatValue(a),
                                    ExprOpName(op), FormatValue(b));
    return Value::Error();
  }
  if (ka == ValueKind::kBool && kb == ValueKind::kBool) {
    bool x = a.as_bool(), y = b.as_bool();
    switch (op) {
      case ExprOp::kAnd: return Value::Bool(x && y);
      case ExprOp::kOr: return Value::Bool(x || y);
      case ExprOp::kXor: return Value::Bool(x != y);
      default: break;
    }
  }
  if (ka == ValueKind::kString && kb == ValueKind::kString && op == ExprOp::kAdd) {
    std::string_view x = a.as_string(), y = b.as_string();
    char* dst = static_cast<char*>(arena.Allocate(x.size() + y.size()));
    std::copy(x.begin(), x.end(), dst);
    std::copy(y.begin(), y.end(), dst + x.size());
    return Value::String(std::string_view(dst, x.size() + y.size()));
  }
  // Datetime and duration arithmetic on nanoseconds.
  const int64_t x = a.as_timestamp(), y = b.as_timestamp();
  if (ka == ValueKind::kDuration && kb == ValueKind::kDuration) {
    switch (op) {
      case ExprOp::kAdd: return Value::Duration(WrapAdd(x, y));
      case ExprOp::kSub: return Value::Duration(WrapSub(x, y));
      case ExprOp::kTrueDiv:
        if (y == 0) break;
        return Value::Float(static_cast<double>(x) / static_cast<double>(y));
      case ExprOp::kFloorDiv:
        if (y == 0) break;
        if (y == -1) return Value::Int(WrapSub(0, x));  // INT64_MIN / -1 would overflow.
        return Value::Int(FloorDivInt(x, y));
      case ExprOp::kMod:
        if (y == 0) break;
        if (y == -1) return Value::Duration(0);
        return Value::Duration(FloorModInt(x, y));
      default: break;
    }
  }
  if (IsTimestampKind(ka) && kb == ValueKind::kDuration) {
    // Nanosecond arithmetic wraps like the int64 it is (no signed-overflow UB).
    const int64_t sum = WrapAdd(x, y), difference = WrapSub(x, y);
    if (op == ExprOp::kAdd) return ka == ValueKind::kDateTimeUtc ? Value::DateTimeUtc(sum)
                                                                 : Value::DateTimeNaive(sum);
    if (op == ExprOp::kSub) return ka == ValueKind::kDateTimeUtc ? Value::DateTimeUtc(difference)
                                                                 : Value::DateTimeNaive(difference);
  }
  if (ka == ValueKind::kDuration && IsTimestampKind(kb) && op == ExprOp::kAdd) {
    return kb == ValueKind::kDateTimeUtc ? Value::DateTimeUtc(WrapAdd(x, y))
                                         : Value::DateTimeNaive(WrapAdd(x, y));
  }
  if (IsTimestampKind(ka) && ka == kb && op == ExprOp::kSub) {
    return Value::Duration(WrapSub(x, y));
  }
  if (ka == ValueKind::kDuration && kb == ValueKind::kInt && op == ExprOp::kMul) {
    return Value::Duration(WrapMul(x, b.as_int()));
  }
  if (ka == ValueKind::kInt && kb == ValueKind::kDuration && op == ExprOp::kMul) {
    return Value::Duration(WrapMul(a.as_int(), y));
  }
  if (error) {
    *error = fmt::format("unsupported operands for {}: {} and {}", ExprOpName(op), ReprValue(a),
                         ReprValue(b));
  }
  return Value::Error();
}

Value CastValue(const Value& v, DType type, ValueArena& arena, std::string* error) {
  if (v.is_error() || v.is_none()) return v;
  auto fail = [&] {
    if (error) *error = fmt::format("cannot cast {} to {}", ReprValue(v), type.ToString());
    return Value::Error();
  };
  switch (type.kind) {
    case TypeKind::kAny: return v;
    case TypeKind::kInt:
      if (v.kind() == ValueKind::kInt) return v;
      if (v.kind() == ValueKind::kFloat) {
        double f = v.as_float();
        if (!std::isfinite(f) || f >= 9.2233720368547758e18 || f < -9.2233720368547758e18) {
          return fail();
        }
        return Value::Int(static_cast<int64_t>(f));
      }
      if (v.kind() == ValueKind::kBool) return Value::Int(v.as_bool() ? 1 : 0);
      if (v.kind() == ValueKind::kString) {
        std::string_view s = NumberText(v.as_string());
        int64_t out;
        auto res = std::from_chars(s.data(), s.data() + s.size(), out);
        if (res.ec != std::errc() || res.ptr != s.data() + s.size()) return fail();
        return Value::Int(out);
      }
      return fail();
    case TypeKind::kFloat:
      if (v.is_numeric()) return Value::Float(v.as_number());
      if (v.kind() == ValueKind::kBool) return Value::Float(v.as_bool() ? 1.0 : 0.0);
      if (v.kind() == ValueKind::kString) {
        std::string_view s = NumberText(v.as_string());
        double out;
        auto res = std::from_chars(s.data(), s.data() + s.size(), out);
        if (s.empty() || res.ec != std::errc() || res.ptr != s.data() + s.size()) return fail();
        return Value::Float(out);
      }
      return fail();
    case TypeKind::kBool:
      if (v.kind() == ValueKind::kBool) return v;
      if (v.is_numeric()) return Value::Bool(v.as_number() != 0);
      if (v.kind() == ValueKind::kString) return Value::Bool(!v.as_string().empty());
      return fail();
    case TypeKind::kString:
      if (v.kind() == ValueKind::kString) return v;
      return arena.CopyString(FormatValue(v));
    default:
      if (static_cast<int>(v.kind()) == static_cast<int>(type.kind)) return v;
      return fail();
  }
}

bool ExprEvaluator::IsBinary(ExprOp op) {
  switch (op) {
    case ExprOp::kAdd: case ExprOp::kSub: case ExprOp::kMul: case ExprOp::kTrueDiv:
    case ExprOp::kFloorDiv: case ExprOp::kMod: case ExprOp::kEq: case ExprOp::kNe:
    case ExprOp::kLt: case ExprOp::kLe: case ExprOp::kGt: case ExprOp::kGe:
    case ExprOp::kAnd: case ExprOp::kOr: case ExprOp::kXor: case ExprOp::kPow:
      return true;
    default: return false;
  }
}

void ExprEvaluator::EvalBinaryWithConstant(ExprOp op, const std::vector<Value>& a,
                                           const Value& constant, std::vector<Value>& out,
                                           ValueArena& arena) {
  const size_t n = a.size();
  if (constant.kind() == ValueKind::kString && (op == ExprOp::kEq || op == ExprOp::kNe)) {
    const std::string_view c = constant.as_string();
    const bool equal_result = op == ExprOp::kEq;
    for (size_t i = 0; i < n; ++i) {
      if (a[i].kind() == ValueKind::kString) {
        out[i] = Value::Bool((a[i].as_string() == c) == equal_result);
      } else {
        out[i] = ApplyBinary(op, a[i], constant, arena, nullptr);
      }
    }
    return;
  }
  if (constant.kind() == ValueKind::kInt) {
    const int64_t c = constant.as_int();
    for (size_t i = 0; i < n; ++i) {
      if (a[i].kind() == ValueKind::kInt) {
        const int64_t x = a[i].as_int();
        switch (op) {
          case ExprOp::kEq: out[i] = Value::Bool(x == c); continue;
          case ExprOp::kNe: out[i] = Value::Bool(x != c); continue;
          case ExprOp::kLt: out[i] = Value::Bool(x < c); continue;
          case ExprOp::kLe: out[i] = Value::Bool(x <= c); continue;
          case ExprOp::kGt: out[i] = Value::Bool(x > c); continue;
          case ExprOp::kGe: out[i] = Value::Bool(x >= c); continue;
          case ExprOp::kAdd: out[i] = Value::Int(WrapAdd(x, c)); continue;
          case ExprOp::kSub: out[i] = Value::Int(WrapSub(x, c)); continue;
          case ExprOp::kMul: out[i] = Value::Int(WrapMul(x, c)); continue;
          default: break;
        }
      }
      std::string error;
      out[i] = ApplyBinary(op, a[i], constant, arena, &error);
      if (!error.empty()) AddError(i, std::move(error));
    }
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    std::string error;
    out[i] = ApplyBinary(op, a[i], constant, arena, &error);
    if (!error.empty()) AddError(i, std::move(error));
  }
}

ExprEvaluator::ExprEvaluator(const BoundExpr& expr) : root_(Build(expr)) {}

ExprEvaluator::Node ExprEvaluator::Build(const BoundExpr& expr) {
  Node node;
  node.expr = &expr;
  for (const auto& arg : expr.args) node.children.push_back(Build(arg));
  return node;
}

void ExprEvaluator::AddError(size_t row, std::string message) {
  // Not capped: an error of a row whose value is discarded must not crowd out a real one.
  row_errors_.emplace_back(row, std::move(message));
}

const std::vector<Value>& ExprEvaluator::Evaluate(const Batch& batch, ValueArena& arena) {
  row_errors_.clear();
  const std::vector<Value>& out = Eval(root_, batch, arena);
  // Every error is reported, none capped here: the run's error log counts them all (and
  // bounds what it prints and keeps), and global_error_log has a row for each.
  for (auto& [row, message] : row_errors_) {
    if (row < out.size() && out[row].is_error()) errors_.push_back(std::move(message));
  }
  row_errors_.clear();
  return out;
}

const std::vector<Value>& ExprEvaluator::Eval(Node& node, const Batch& batch, ValueArena& arena) {
  const BoundExpr& e = *node.expr;
  const size_t n = batch.num_rows();
  std::vector<Value>& out = node.scratch;
  switch (e.op) {
    case ExprOp::kColumn: return batch.columns[e.column];
    case ExprOp::kId:
      if (e.id_from_column) return batch.columns[e.column];
      out.resize(n);
      for (size_t i = 0; i < n; ++i) out[i] = Value::Pointer(batch.ids[i]);
      return out;
    case ExprOp::kLiteral:
      out.assign(n, e.source->literal.get());
      return out;
    default: break;
  }
  if (IsBinary(e.op) && node.children[1].expr->op == ExprOp::kLiteral) {
    // `column op constant`, the most common shape (`successful == "True"`, `count >= 5`):
    // compare against the constant directly instead of materializing it per row.
    const std::vector<Value>& a = Eval(node.children[0], batch, arena);
    out.resize(n);
    EvalBinaryWithConstant(e.op, a, node.children[1].expr->source->literal.get(), out, arena);
    return out;
  }
  // Evaluate children first (each into its own scratch).
  std::vector<const std::vector<Value>*> args;
  args.reserve(node.children.size());
  for (auto& child : node.children) args.push_back(&Eval(child, batch, arena));
  out.resize(n);
  std::string error;
  switch (e.op) {
    case ExprOp::kNeg: {
      const auto& a = *args[0];
      for (size_t i = 0; i < n; ++i) {
        const Value& v = a[i];
        switch (v.kind()) {
          case ValueKind::kInt: out[i] = Value::Int(WrapSub(0, v.as_int())); break;
          case ValueKind::kFloat: out[i] = Value::Float(-v.as_float()); break;
          case ValueKind::kDuration: out[i] = Value::Duration(-v.as_timestamp()); break;
          case ValueKind::kNone: case ValueKind::kError: out[i] = v; break;
          default:
            out[i] = Value::Error();
            AddError(i, "bad operand for unary -: " + ReprValue(v));
        }
      }
      return out;
    }
    case ExprOp::kNot: {
      const auto& a = *args[0];
      for (size_t i = 0; i < n; ++i) {
        const Value& v = a[i];
        if (v.kind() == ValueKind::kBool) {
          out[i] = Value::Bool(!v.as_bool());
        } else if (v.kind() == ValueKind::kInt) {
          out[i] = Value::Int(~v.as_int());
        } else if (v.is_none() || v.is_error()) {
          out[i] = v;
        } else {
          out[i] = Value::Error();
          AddError(i, "bad operand for ~: " + ReprValue(v));
        }
      }
      return out;
    }
    case ExprOp::kAdd: case ExprOp::kSub: case ExprOp::kMul: case ExprOp::kTrueDiv:
    case ExprOp::kFloorDiv: case ExprOp::kMod: case ExprOp::kEq: case ExprOp::kNe:
    case ExprOp::kLt: case ExprOp::kLe: case ExprOp::kGt: case ExprOp::kGe:
    case ExprOp::kAnd: case ExprOp::kOr: case ExprOp::kXor: case ExprOp::kPow: {
      const auto& a = *args[0];
      const auto& b = *args[1];
      const ExprOp op = e.op;
      // Fast paths for the common typed cases; everything else goes through ApplyBinary.
      for (size_t i = 0; i < n; ++i) {
        const Value& x = a[i];
        const Value& y = b[i];
        if (x.kind() == ValueKind::kInt && y.kind() == ValueKind::kInt) {
          const int64_t p = x.as_int(), q = y.as_int();
          switch (op) {
            case ExprOp::kAdd: out[i] = Value::Int(WrapAdd(p, q)); continue;
            case ExprOp::kSub: out[i] = Value::Int(WrapSub(p, q)); continue;
            case ExprOp::kMul: out[i] = Value::Int(WrapMul(p, q)); continue;
            case ExprOp::kEq: out[i] = Value::Bool(p == q); continue;
            case ExprOp::kNe: out[i] = Value::Bool(p != q); continue;
            case ExprOp::kLt: out[i] = Value::Bool(p < q); continue;
            case ExprOp::kLe: out[i] = Value::Bool(p <= q); continue;
            case ExprOp::kGt: out[i] = Value::Bool(p > q); continue;
            case ExprOp::kGe: out[i] = Value::Bool(p >= q); continue;
            default: break;
          }
        } else if (x.kind() == ValueKind::kBool &&
                   ((op == ExprOp::kAnd && !x.as_bool()) || (op == ExprOp::kOr && x.as_bool()))) {
          // Short circuit (Pathway evaluates the right operand only where the left one does
          // not decide): False & y is False and True | y is True, even if y is Error.
          out[i] = x;
          continue;
        } else if (x.kind() == ValueKind::kString && y.kind() == ValueKind::kString &&
                   (op == ExprOp::kEq || op == ExprOp::kNe)) {
          out[i] = Value::Bool((x.as_string() == y.as_string()) == (op == ExprOp::kEq));
          continue;
        }
        out[i] = ApplyBinary(op, x, y, arena, &error);
        if (!error.empty()) {
          AddError(i, std::move(error));
          error.clear();
        }
      }
      return out;
    }
    case ExprOp::kIfElse: {
      const auto& c = *args[0];
      const auto& t = *args[1];
      const auto& f = *args[2];
      for (size_t i = 0; i < n; ++i) {
        if (c[i].kind() == ValueKind::kBool) {
          out[i] = c[i].as_bool() ? t[i] : f[i];
        } else {
          out[i] = c[i];  // None or Error propagates.
        }
      }
      if (e.type.kind == TypeKind::kFloat) WidenIntsToFloat(out, n);
      return out;
    }
    case ExprOp::kIsNone:
    case ExprOp::kIsNotNone: {
      const auto& a = *args[0];
      const bool want_none = e.op == ExprOp::kIsNone;
      for (size_t i = 0; i < n; ++i) {
        out[i] = a[i].is_error() ? a[i] : Value::Bool(a[i].is_none() == want_none);
      }
      return out;
    }
    case ExprOp::kCoalesce:
      for (size_t i = 0; i < n; ++i) {
        out[i] = Value::None();
        for (const auto* a : args) {
          if (!(*a)[i].is_none()) {
            out[i] = (*a)[i];
            break;
          }
        }
      }
      if (e.type.kind == TypeKind::kFloat) WidenIntsToFloat(out, n);
      return out;
    case ExprOp::kCast: {
      const auto& a = *args[0];
      for (size_t i = 0; i < n; ++i) {
        out[i] = CastValue(a[i], e.source->type, arena, &error);
        if (!error.empty()) {
          AddError(i, std::move(error));
          error.clear();
        }
      }
      return out;
    }
    case ExprOp::kFillError: {
      const auto& a = *args[0];
      const auto& r = *args[1];
      for (size_t i = 0; i < n; ++i) out[i] = a[i].is_error() ? r[i] : a[i];
      if (e.type.kind == TypeKind::kFloat) WidenIntsToFloat(out, n);
      return out;
    }
    case ExprOp::kMakeTuple: {
      node.row_args.resize(args.size());
      for (size_t i = 0; i < n; ++i) {
        bool has_error = false;
        for (size_t j = 0; j < args.size(); ++j) {
          node.row_args[j] = (*args[j])[i];
          has_error = has_error || node.row_args[j].is_error();
        }
        out[i] = has_error ? Value::Error()
                           : arena.MakeTuple(node.row_args.data(),
                                             static_cast<uint32_t>(args.size()));
      }
      return out;
    }
    case ExprOp::kApply: {
      if (e.source->batch_function) {
        EvalBatchedApply(node, args, n, out, arena);
        return out;
      }
      node.row_args.resize(args.size());
      const ApplyFunction& fn = e.source->function;
      for (size_t i = 0; i < n; ++i) {
        bool has_error = false;
        for (size_t j = 0; j < args.size(); ++j) {
          node.row_args[j] = (*args[j])[i];
          has_error = has_error || node.row_args[j].is_error();
        }
        out[i] = has_error ? Value::Error() : fn(node.row_args, arena);
        if (out[i].is_error() && !has_error) {
          std::string why = TakeApplyError();
          if (!why.empty()) AddError(i, e.source->name + ": " + why);
        }
      }
      return out;
    }
    default: break;
  }
  VIGIL_CHECK(false && "unhandled expression op");
  return out;
}

void ExprEvaluator::EvalBatchedApply(Node& node, const std::vector<const std::vector<Value>*>& args,
                                     size_t n, std::vector<Value>& out, ValueArena& arena) {
  const BatchApplyFunction& fn = node.expr->source->batch_function;
  node.passed_rows.clear();
  bool any_error = false;
  for (size_t i = 0; i < n && !any_error; ++i) {
    for (const auto* column : args) any_error = any_error || (*column)[i].is_error();
  }
  node.arg_columns.resize(args.size());
  // The call's SetBatchApplyError messages, as errors of the rows they name (`row_of` maps
  // a row of the call's `out` to the batch's).
  batch_apply_errors.clear();
  const auto report_errors = [&](size_t rows, const auto& row_of) {
    for (auto& [row, why] : batch_apply_errors) {
      if (row < rows) AddError(row_of(row), node.expr->source->name + ": " + why);
    }
    batch_apply_errors.clear();
  };
  if (!any_error) {
    // The common case: every row goes to the function, the columns as they are.
    for (size_t j = 0; j < args.size(); ++j) node.arg_columns[j] = std::span(*args[j]).first(n);
    fn(node.arg_columns, std::span(out).first(n), arena);
    report_errors(n, [](size_t row) { return row; });
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    bool has_error = false;
    for (const auto* column : args) has_error = has_error || (*column)[i].is_error();
    if (has_error) {
      out[i] = Value::Error();
    } else {
      node.passed_rows.push_back(static_cast<uint32_t>(i));
    }
  }
  if (node.passed_rows.empty()) return;
  node.gathered.resize(args.size());
  for (size_t j = 0; j < args.size(); ++j) {
    node.gathered[j].clear();
    for (uint32_t i : node.passed_rows) node.gathered[j].push_back((*args[j])[i]);
    node.arg_columns[j] = node.gathered[j];
  }
  node.passed_out.assign(node.passed_rows.size(), Value::None());
  fn(node.arg_columns, node.passed_out, arena);
  for (size_t k = 0; k < node.passed_rows.size(); ++k) out[node.passed_rows[k]] = node.passed_out[k];
  report_errors(node.passed_rows.size(), [&node](size_t row) { return node.passed_rows[row]; });
}

}  // namespace vigil
