// Benchmarks of the auth-log path on a synthetic sshd syslog (1M lines, ~110 MB, written once
// to /tmp): the reader alone (lines → events: syslog header, sshd tracker, rows with ids) and
// the whole detection (reader → every default rule → alerts). Lines per second is the figure
// issue 9 sets a target for (>= 5M lines/s single-threaded through detection).

#include <cstdio>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include "connectors/authlog/auth_events_schema.h"
#include "connectors/authlog/auth_log_row_parser.h"
#include "connectors/lines/line_source.h"
#include "rules/alert.h"
#include "rules/detection.h"
#include "vigil/vigil.h"

namespace vigil {
namespace {

constexpr int64_t kFileLines = 1'000'000;

/// An internet-facing server's mix: password guessing (with PAM and invalid-user lines, some
/// compressed by rsyslog), scanners, logins, and other programs' lines.
const std::string& AuthLogFile() {
  static const std::string path = [] {
    std::string p = "/tmp/vigil_bench_auth_1m.log";
    std::FILE* f = std::fopen(p.c_str(), "w");
    std::mt19937_64 rng(7);
    static const char* kMonths[] = {"Mar", "Apr"};
    int64_t t = 0;
    int pid = 1000;
    int64_t lines = 0;
    auto stamp = [&](char* out) {
      const int64_t day = 1 + (t / 86400) % 28;
      std::snprintf(out, 32, "%s %2d %02d:%02d:%02d", kMonths[(t / (86400 * 28)) % 2],
                    static_cast<int>(day), static_cast<int>(t / 3600 % 24),
                    static_cast<int>(t / 60 % 60), static_cast<int>(t % 60));
    };
    char ts[32];
    while (lines < kFileLines) {
      t += static_cast<int64_t>(rng() % 3);
      ++pid;
      stamp(ts);
      const unsigned ip_a = 1 + static_cast<unsigned>(rng() % 220);
      const unsigned ip_b = static_cast<unsigned>(rng() % 256);
      const unsigned port = 1024 + static_cast<unsigned>(rng() % 60000);
      const unsigned kind = static_cast<unsigned>(rng() % 10);
      if (kind < 5) {
        std::fprintf(f,
                     "%s web sshd[%d]: Invalid user admin%u from %u.%u.7.9 port %u\n"
                     "%s web sshd[%d]: pam_unix(sshd:auth): check pass; user unknown\n"
                     "%s web sshd[%d]: pam_unix(sshd:auth): authentication failure; logname= "
                     "uid=0 euid=0 tty=ssh ruser= rhost=%u.%u.7.9\n"
                     "%s web sshd[%d]: Failed password for invalid user admin%u from %u.%u.7.9 "
                     "port %u ssh2\n",
                     ts, pid, kind, ip_a, ip_b, port, ts, pid, ts, pid, ip_a, ip_b, ts, pid,
                     kind, ip_a, ip_b, port);
        lines += 4;
        if (kind == 0) {
          std::fprintf(f,
                       "%s web sshd[%d]: message repeated 3 times: [ Failed password for "
                       "invalid user admin0 from %u.%u.7.9 port %u ssh2]\n",
                       ts, pid, ip_a, ip_b, port);
          ++lines;
        }
        std::fprintf(f, "%s web sshd[%d]: Connection closed by invalid user admin%u %u.%u.7.9 "
                        "port %u [preauth]\n", ts, pid, kind, ip_a, ip_b, port);
        ++lines;
      } else if (kind < 7) {
        std::fprintf(f, "%s web sshd[%d]: Did not receive identification string from "
                        "%u.%u.1.2 port %u\n", ts, pid, ip_a, ip_b, port);
        ++lines;
      } else if (kind < 8) {
        std::fprintf(f,
                     "%s web sshd[%d]: Accepted publickey for deploy from 10.0.%u.%u port %u "
                     "ssh2: ED25519 SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG\n"
                     "%s web sshd[%d]: pam_unix(sshd:session): session opened for user "
                     "deploy(uid=1000) by (uid=0)\n",
                     ts, pid, ip_a, ip_b, port, ts, pid);
        lines += 2;
      } else {
        std::fprintf(f, "%s web CRON[%d]: pam_unix(cron:session): session opened for user root "
                        "by (uid=0)\n", ts, pid);
        ++lines;
      }
    }
    std::fclose(f);
    return p;
  }();
  return path;
}

AuthLogOptions Options() {
  AuthLogOptions options;
  options.format = AuthLogLineFormat::kSyslog;
  options.time.year = 2026;
  return options;
}

void BM_AuthLogRead(benchmark::State& state) {
  const std::string& path = AuthLogFile();
  size_t rows = 0;
  for (auto _ : state) {
    auto source = LineSource::Make("", AuthEventsSchema(),
                                   std::make_unique<AuthLogRowParser>(Options()));
    if (!source.ok()) {
      state.SkipWithError("cannot make the reader");
      return;
    }
    (*source)->SetFiles({path});
    rows = 0;
    if (!(*source)->Open().ok() ||
        !(*source)->ReadCommit([&](const Batch& b) { rows += b.num_rows(); }).ok()) {
      state.SkipWithError("read failed");
      return;
    }
  }
  benchmark::DoNotOptimize(rows);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kFileLines));
}
BENCHMARK(BM_AuthLogRead)->Unit(benchmark::kMillisecond);

void BM_AuthLogDetect(benchmark::State& state) {
  const std::string& path = AuthLogFile();
  for (auto _ : state) {
    io::authlog::ReadOptions read;
    read.auth = Options();
    const Table events = io::authlog::read({path}, io::Mode::kStatic, read);
    const rules::RulesConfig config = rules::DefaultRulesConfig();
    const Table alerts = rules::BuildDetection(events, config);
    size_t count = 0;
    ClearOutputs();
    rules::SubscribeAlerts(alerts, config, {},
                           [&](const rules::Alert&, bool is_addition) { count += is_addition; });
    const Status status = run();
    ClearOutputs();
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(count);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kFileLines));
}
BENCHMARK(BM_AuthLogDetect)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vigil
