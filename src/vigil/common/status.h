#pragma once

#include <string>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace vigil {

/// What went wrong at a fallible boundary (user input, files, graph validation).
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  ///< The user asked for something that cannot be built (bad column, type).
  kTypeError,        ///< Types of expressions or window arguments do not fit together.
  kParseError,       ///< Input data could not be parsed.
  kIoError,          ///< A file could not be opened or read.
  kNotFound,         ///< A named thing (column, file) does not exist.
  kEngineError,      ///< A reducer or operator hit an error at run time (e.g. unique()).
};

const char* StatusCodeName(StatusCode code);

/// Result of an operation that can fail for reasons outside the program's control.
/// Cheap when OK (an empty string). Never used for internal invariants (see check.h).
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  template <typename... Args>
  static Status Invalid(fmt::format_string<Args...> f, Args&&... args) {
    return Status(StatusCode::kInvalidArgument, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status TypeError(fmt::format_string<Args...> f, Args&&... args) {
    return Status(StatusCode::kTypeError, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status ParseError(fmt::format_string<Args...> f, Args&&... args) {
    return Status(StatusCode::kParseError, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status IoError(fmt::format_string<Args...> f, Args&&... args) {
    return Status(StatusCode::kIoError, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status NotFound(fmt::format_string<Args...> f, Args&&... args) {
    return Status(StatusCode::kNotFound, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status EngineError(fmt::format_string<Args...> f, Args&&... args) {
    return Status(StatusCode::kEngineError, fmt::format(f, std::forward<Args>(args)...));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  /// "TypeError: message", or "OK".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

/// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design, like Arrow.
  Result(Status status) : data_(std::move(status)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace vigil

#define VIGIL_CONCAT_INNER(a, b) a##b
#define VIGIL_CONCAT(a, b) VIGIL_CONCAT_INNER(a, b)

/// Returns the Status from the enclosing function if `expr` is not OK.
#define RETURN_NOT_OK(expr)                    \
  do {                                         \
    ::vigil::Status _vigil_st = (expr);        \
    if (!_vigil_st.ok()) return _vigil_st;     \
  } while (false)

#define VIGIL_ASSIGN_OR_RAISE_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()

/// `ASSIGN_OR_RAISE(auto x, MakeX())`: unwraps a Result or returns its Status.
#define ASSIGN_OR_RAISE(lhs, expr) \
  VIGIL_ASSIGN_OR_RAISE_IMPL(VIGIL_CONCAT(_vigil_result_, __LINE__), lhs, expr)
