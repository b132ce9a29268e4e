// Pathway's tutorial "anomaly detection in real time", statement for statement:
// failed logins per IP in 60-second tumbling windows; IPs with 5 or more are reported.
//
//   build/bin/suspicious_logins LOGINS.csv

#include <cstdio>

#include "vigil/vigil.h"

using namespace vigil;  // NOLINT: an example program, read like the Python it mirrors.

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: suspicious_logins LOGINS.csv\n");
    return 2;
  }

  Schema input_schema = {
      {"username", dtype::Str},
      {"successful", dtype::Str},
      {"time", dtype::Int},
      {"ip_address", dtype::Str},
  };

  Table logins = io::csv::read(argv[1], input_schema, io::Mode::kStatic);

  logins = logins.with_columns({{"successful", this_["successful"] == "True"}});

  Table failed = logins.filter(~this_["successful"]);

  Table result = failed
                     .windowby(failed["time"], temporal::tumbling(60), this_["ip_address"])
                     .reduce({
                         {"ip_address", this_["_pw_instance"]},
                         {"count", reducers::count()},
                     });

  Table suspicious_logins = result.filter(this_["count"] >= 5);
  return debug::compute_and_print(suspicious_logins).ok() ? 0 : 1;
}
