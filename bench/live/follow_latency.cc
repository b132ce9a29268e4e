// The live latency benchmark: a writer appends login lines to a file at a fixed rate while
// `vigil detect --follow FILE --format jsonl` runs on it; now and then the writer completes a
// brute-force attack (the 5th failure of a fresh IP within one minute) and notes the time just
// before the write() of that line. A reader thread timestamps each alert as it comes out of
// vigil's stdout. Latency = alert read - attack line write. Also reported: the latency in the
// first and the last third of the run (growth means a backlog), how long vigil needed after
// the writer stopped to print the last alert, and vigil's peak RSS.
//
//   follow_latency [--vigil build/bin/vigil] [--rates 10000,100000,1000000] [--seconds 10]
//                  [--attacks-per-second 50] [--dir /tmp]
//
// Prints one Markdown table row per rate. A benchmark, not a test: nothing asserts.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string vigil = "build/bin/vigil";
  std::vector<long> rates = {10'000, 100'000, 1'000'000};
  double seconds = 10;
  long attacks_per_second = 50;
  std::string dir = "/tmp";
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

long PeakRssKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

struct Result {
  long rate = 0;
  long lines_written = 0;
  double achieved_rate = 0;
  std::vector<double> latencies_ms;
  std::vector<double> first_third_ms, last_third_ms;
  long attacks = 0, alerts = 0;
  double drain_ms = 0;  ///< From the writer's stop to the last alert.
  long peak_rss_kb = 0;
};

Result RunOne(const Options& options, long rate) {
  Result result;
  result.rate = rate;
  const std::string path = options.dir + "/vigil-latency-" + std::to_string(::getpid()) + ".csv";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::perror(path.c_str());
    std::exit(1);
  }
  const std::string header = "username,successful,time,ip_address\n";
  if (::write(fd, header.data(), header.size()) < 0) std::exit(1);

  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) std::exit(1);
  const pid_t child = ::fork();
  if (child == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    ::execl(options.vigil.c_str(), options.vigil.c_str(), "detect", "--follow", path.c_str(),
            "--format", "jsonl", static_cast<char*>(nullptr));
    std::perror("exec vigil");
    std::_Exit(127);
  }
  ::close(pipe_fds[1]);

  std::mutex mutex;
  std::unordered_map<std::string, Clock::time_point> written;  // attack ip -> write time
  std::unordered_map<std::string, Clock::time_point> alerted;  // attack ip -> alert time
  std::atomic<bool> reader_done{false};
  std::thread reader([&]() {
    std::string buffer;
    char chunk[65536];
    for (;;) {
      const ssize_t n = ::read(pipe_fds[0], chunk, sizeof chunk);
      if (n <= 0) break;
      const auto now = Clock::now();
      buffer.append(chunk, static_cast<size_t>(n));
      size_t start = 0;
      for (size_t nl; (nl = buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
        const std::string_view line(buffer.data() + start, nl - start);
        if (line.find("\"diff\":1") == std::string_view::npos) continue;
        const size_t at = line.find("\"ip_address\":\"");
        if (at == std::string_view::npos) continue;
        const size_t from = at + 14;
        const std::string ip(line.substr(from, line.find('"', from) - from));
        std::lock_guard lock(mutex);
        alerted.emplace(ip, now);
      }
      buffer.erase(0, start);
    }
    reader_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // vigil starts and opens.

  // Background traffic: successful logins (the pipeline filters them out right away) with a
  // sprinkle of single failures, prebuilt so the writer spends its time in write().
  const int64_t base_time = 1'700'000'000;
  auto event_time = [&](Clock::time_point t, Clock::time_point t0) {
    return base_time + std::chrono::duration_cast<std::chrono::seconds>(t - t0).count();
  };
  const auto t0 = Clock::now();
  const auto end = t0 + std::chrono::duration<double>(options.seconds);
  const long per_ms = std::max<long>(1, rate / 1000);
  const long attack_every_ms = std::max<long>(1, 1000 / std::max<long>(1, options.attacks_per_second));
  std::string batch;
  long attack_id = 0;
  long ms = 0;
  std::vector<std::pair<std::string, Clock::time_point>> attack_times;
  for (;; ++ms) {
    const auto due = t0 + std::chrono::milliseconds(ms);
    std::this_thread::sleep_until(due);
    const auto now = Clock::now();
    if (now >= end) break;
    const int64_t t = event_time(now, t0);
    batch.clear();
    for (long i = 0; i < per_ms; ++i) {
      const long k = result.lines_written + i;
      batch += (k % 997 == 0) ? "typo" : "user";
      batch += std::to_string(k % 5000);
      batch += (k % 997 == 0) ? ",False," : ",True,";
      batch += std::to_string(t);
      batch += ",172.16.";
      batch += std::to_string(k % 256);
      batch += '.';
      batch += std::to_string((k / 256) % 256);
      batch += '\n';
    }
    std::string attack_ip;
    if (ms % attack_every_ms == 0) {
      ++attack_id;
      attack_ip = "10." + std::to_string((attack_id >> 16) & 255) + "." +
                  std::to_string((attack_id >> 8) & 255) + "." + std::to_string(attack_id & 255);
      for (int i = 0; i < 4; ++i) {
        batch += "root,False," + std::to_string(t) + "," + attack_ip + "\n";
      }
    }
    if (::write(fd, batch.data(), batch.size()) < 0) break;
    result.lines_written += per_ms + (attack_ip.empty() ? 0 : 4);
    if (!attack_ip.empty()) {
      // The 5th failure completes the attack: its own write, timed just before.
      const std::string line = "root,False," + std::to_string(t) + "," + attack_ip + "\n";
      const auto written_at = Clock::now();
      if (::write(fd, line.data(), line.size()) < 0) break;
      ++result.lines_written;
      attack_times.emplace_back(attack_ip, written_at);
    }
  }
  const auto writer_stopped = Clock::now();
  result.achieved_rate =
      static_cast<double>(result.lines_written) /
      std::chrono::duration<double>(writer_stopped - t0).count();
  result.attacks = static_cast<long>(attack_times.size());

  // Wait for the alerts of every attack (or 10 s), then stop vigil as a user would.
  for (int i = 0; i < 1000; ++i) {
    {
      std::lock_guard lock(mutex);
      if (alerted.size() >= attack_times.size()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  result.peak_rss_kb = PeakRssKb(child);
  ::kill(child, SIGTERM);
  int status = 0;
  ::waitpid(child, &status, 0);
  reader.join();
  ::close(pipe_fds[0]);
  ::close(fd);
  ::unlink(path.c_str());

  Clock::time_point last_alert = writer_stopped;
  const size_t n = attack_times.size();
  for (size_t i = 0; i < n; ++i) {
    auto found = alerted.find(attack_times[i].first);
    if (found == alerted.end()) continue;
    ++result.alerts;
    const double latency =
        std::chrono::duration<double, std::milli>(found->second - attack_times[i].second).count();
    result.latencies_ms.push_back(latency);
    if (i < n / 3) result.first_third_ms.push_back(latency);
    if (i >= n - n / 3) result.last_third_ms.push_back(latency);
    last_alert = std::max(last_alert, found->second);
  }
  result.drain_ms = std::chrono::duration<double, std::milli>(last_alert - writer_stopped).count();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--vigil") {
      options.vigil = value;
    } else if (flag == "--seconds") {
      options.seconds = std::atof(value.c_str());
    } else if (flag == "--attacks-per-second") {
      options.attacks_per_second = std::atol(value.c_str());
    } else if (flag == "--dir") {
      options.dir = value;
    } else if (flag == "--rates") {
      options.rates.clear();
      std::stringstream list(value);
      for (std::string item; std::getline(list, item, ',');) options.rates.push_back(std::atol(item.c_str()));
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  std::printf("| target lines/s | achieved lines/s | attacks | alerts | p50 ms | p90 ms | p99 ms | "
              "max ms | p50 first third | p50 last third | last alert after writer stop ms | "
              "peak RSS MB |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (long rate : options.rates) {
    const Result r = RunOne(options, rate);
    std::printf("| %ld | %.0f | %ld | %ld | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f |\n",
                r.rate, r.achieved_rate, r.attacks, r.alerts, Percentile(r.latencies_ms, 50),
                Percentile(r.latencies_ms, 90), Percentile(r.latencies_ms, 99),
                Percentile(r.latencies_ms, 100), Percentile(r.first_third_ms, 50),
                Percentile(r.last_third_ms, 50), r.drain_ms, static_cast<double>(r.peak_rss_kb) / 1024.0);
    std::fflush(stdout);
  }
  return 0;
}
