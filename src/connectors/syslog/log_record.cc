#include "connectors/syslog/log_record.h"

namespace vigil::syslog {

bool IsSshdProgram(std::string_view program) {
  return program == "sshd" || program == "sshd-session" || program == "sshd-auth";
}

bool IsSshdUnit(std::string_view unit) {
  return unit == "ssh.service" || unit == "sshd.service" || unit.starts_with("sshd@") ||
         unit.starts_with("ssh@");
}

}  // namespace vigil::syslog
