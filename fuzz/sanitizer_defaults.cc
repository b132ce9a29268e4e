// Sanitizer defaults linked into every fuzz target, so a target run by hand (without the
// environment `make fuzz` sets) still treats undefined behaviour and leaks as crashes.
// ASAN_OPTIONS / UBSAN_OPTIONS in the environment override these.

extern "C" const char* __asan_default_options() { return "detect_leaks=1:abort_on_error=1"; }

extern "C" const char* __ubsan_default_options() {
  return "halt_on_error=1:abort_on_error=1:print_stacktrace=1";
}
