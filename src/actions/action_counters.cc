#include "actions/action_counters.h"

#include <fmt/format.h>

namespace vigil::actions {

std::string ActionCounters::Summary() const {
  return fmt::format(
      "actions: {} run ({} succeeded, {} failed, {} timed out), {} suppressed by cooldown, "
      "{} rejected (invalid alert), {} dropped (queue full), {} abandoned at close",
      run, succeeded, failed, timed_out, suppressed, rejected, dropped, abandoned);
}

}  // namespace vigil::actions
