#pragma once

// Internal invariants. A failed CHECK is a bug in Vigil, never a reaction to user input:
// user input is validated at the boundary and reported with a Status.

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

namespace vigil::detail {
[[noreturn]] inline void CheckFailed(const char* file, int line, const char* what,
                                     const std::string& operands) {
  std::fprintf(stderr, "%s:%d: CHECK failed: %s %s\n", file, line, what, operands.c_str());
  std::abort();
}
}  // namespace vigil::detail

#define VIGIL_CHECK(cond)                                                    \
  do {                                                                       \
    if (!(cond)) ::vigil::detail::CheckFailed(__FILE__, __LINE__, #cond, ""); \
  } while (false)

/// Prints both operands on failure.
#define VIGIL_CHECK_OP(a, op, b)                                                    \
  do {                                                                              \
    const auto& _va = (a);                                                          \
    const auto& _vb = (b);                                                          \
    if (!(_va op _vb))                                                              \
      ::vigil::detail::CheckFailed(__FILE__, __LINE__, #a " " #op " " #b,           \
                                   fmt::format("({} vs {})", _va, _vb));            \
  } while (false)

#define VIGIL_CHECK_EQ(a, b) VIGIL_CHECK_OP(a, ==, b)
#define VIGIL_CHECK_LT(a, b) VIGIL_CHECK_OP(a, <, b)
#define VIGIL_CHECK_LE(a, b) VIGIL_CHECK_OP(a, <=, b)
