// Writes a deterministic sample of login events (`username,successful,time,ip_address`) for
// demos and tests: office users who mostly succeed and sometimes mistype, a few attacking IPs
// that fail in bursts (one of them 7 times within one minute, the tutorial's case), and some
// rows slightly out of order. Usage: generate_logins ROWS SEED [START_UNIX_TIME] > FILE.csv
//
// This is a small stand-in until `vigil generate` (the CLI issue) replaces it.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

struct Login {
  std::string user;
  bool successful;
  int64_t time;
  std::string ip;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ROWS SEED [START_UNIX_TIME]\n", argv[0]);
    return 2;
  }
  const int64_t rows = std::atoll(argv[1]);
  std::mt19937_64 rng(std::strtoull(argv[2], nullptr, 10));
  int64_t now = argc > 3 ? std::atoll(argv[3]) : 1545730000;

  std::vector<std::string> users, user_ips;
  for (int i = 0; i < 40; ++i) {
    users.push_back("user_" + std::to_string(i));
    user_ips.push_back("10.0." + std::to_string(i / 10) + "." + std::to_string(10 + i));
  }
  std::vector<Login> out;
  out.reserve(static_cast<size_t>(rows));
  // The tutorial's case first: 7 failures of one IP inside one minute.
  for (int i = 0; i < 7; ++i) out.push_back({"user_B", false, now + 5 + 7 * i, "50.37.169.241"});
  std::uniform_int_distribution<int> pick_user(0, static_cast<int>(users.size()) - 1);
  while (static_cast<int64_t>(out.size()) < rows) {
    now += static_cast<int64_t>(rng() % 3);
    uint64_t dice = rng() % 100;
    if (dice < 1) {
      // A brute-force burst from a random public address: 5..12 failures in ~40 seconds.
      std::string ip = std::to_string(20 + rng() % 200) + "." + std::to_string(rng() % 256) + "." +
                       std::to_string(rng() % 256) + "." + std::to_string(1 + rng() % 254);
      int burst = 5 + static_cast<int>(rng() % 8);
      for (int i = 0; i < burst && static_cast<int64_t>(out.size()) < rows; ++i) {
        out.push_back({"admin", false, now + static_cast<int64_t>(rng() % 40), ip});
      }
    } else {
      int u = pick_user(rng);
      bool typo = rng() % 10 == 0;
      if (typo) out.push_back({users[u], false, now, user_ips[u]});
      if (static_cast<int64_t>(out.size()) < rows) out.push_back({users[u], true, now + 1, user_ips[u]});
    }
  }
  std::printf("username,successful,time,ip_address\n");
  for (const auto& l : out) {
    std::printf("%s,%s,%lld,%s\n", l.user.c_str(), l.successful ? "True" : "False",
                static_cast<long long>(l.time), l.ip.c_str());
  }
  return 0;
}
