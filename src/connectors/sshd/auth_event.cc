#include "connectors/sshd/auth_event.h"

namespace vigil::sshd {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kNone:
      return "none";
    case Outcome::kFailure:
      return "failure";
    case Outcome::kSuccess:
      return "success";
  }
  return "none";
}

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kAttempt:
      return "attempt";
    case EventKind::kScan:
      return "scan";
  }
  return "attempt";
}

}  // namespace vigil::sshd
