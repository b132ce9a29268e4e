// The generator is an event simulation written straight into a byte buffer:
//
//  - Background logins arrive as one Poisson-like stream whose rate follows the hour of day. Each
//    picks a user from a directory computed on the fly from the user's index (name, office or
//    home address, IPv4 or IPv6, optional phone), so no per-user table is touched per row.
//  - Everything that happens later than "now" (a typo's retry, an attacker's next attempt, a row
//    that arrives late) waits in one min-heap keyed by (emit time, sequence number). The main
//    loop writes whichever comes first, so the file is in time order except for the rows that
//    were deliberately delayed.
//  - All randomness comes from one xoshiro256** stream consumed in that deterministic order,
//    and all arithmetic is integer, so the bytes depend only on the options.

#include "cli/logins_generator.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <memory>
#include <queue>
#include <string_view>
#include <utility>

namespace vigil::cli {

namespace {

// ---------------------------------------------------------------------------------------------
// Randomness.

/// splitmix64 (Steele, Lea, Flood 2014): seeds xoshiro and hashes indices into attributes.
uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// A stateless hash of an index: a user's or attacker's fixed attributes come from
/// Mix64(index ^ key), so they need no table and do not shift the main random stream.
uint64_t Mix64(uint64_t x) { return SplitMix64(x); }

/// xoshiro256** 1.0 (Blackman and Vigna, https://prng.di.unimi.it/): fast, and ours, so the output
/// does not change with the standard library's engines or distributions.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : state_) word = SplitMix64(seed);
  }
  uint64_t Next() {
    const uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }
  /// Uniform in [0, n) for n < 2^32 by multiply-shift (Lemire); the bias is below 2^-32.
  uint64_t Below(uint64_t n) { return ((Next() >> 32) * n) >> 32; }
  /// Uniform in [low, high], both inclusive.
  int64_t Between(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(Below(static_cast<uint64_t>(high - low + 1)));
  }
  /// True with probability per_mille / 1000.
  bool PerMille(uint64_t per_mille) { return Below(1000) < per_mille; }

 private:
  std::array<uint64_t, 4> state_;
};

/// An Exp(1) sample in 1/65536 units from one random word, with integer operations only: the
/// integer part is geometric (trailing zero bits: P(k) = 2^-(k+1), exactly the mass an
/// exponential of rate ln 2 puts on [k, k+1)) and the fraction is uniform. The mean of k + u is
/// 1.5, hence the 2/3.
uint64_t ExponentialFixed16(uint64_t random) {
  const auto whole = static_cast<uint64_t>(std::countr_zero(random | (uint64_t{1} << 47)));
  const uint64_t fraction = random >> 48;
  return ((whole << 16) | fraction) * 2 / 3;
}

/// Keyed bijection on [0, 2^bits), 8 <= bits <= 32: xor, addition, odd multiplication and
/// xorshift are each invertible modulo 2^bits, so distinct inputs give distinct outputs and
/// nothing handed out has to be remembered (the murmur3 finalizer's shape, with a key).
uint32_t PermuteBits(uint32_t x, int bits, uint64_t key) {
  const uint32_t mask = bits == 32 ? ~0u : (1u << bits) - 1;
  const int half = bits / 2;
  x = (x ^ static_cast<uint32_t>(key)) & mask;
  x = (x * 0x9E3779B1u) & mask;
  x ^= x >> half;
  x = (x + static_cast<uint32_t>(key >> 32)) & mask;
  x = (x * 0x85EBCA6Bu) & mask;
  x ^= x >> (half - 1);
  x = (x * 0xC2B2AE35u) & mask;
  return x ^ (x >> half);
}

/// Keyed bijection on [0, limit) by cycle walking (Black and Rogaway 2002): apply PermuteBits on
/// the enclosing power of two until the value lands inside. `x` < limit <= 2^bits; fewer than
/// two rounds on average when limit > 2^(bits-1).
uint32_t PermuteBelow(uint32_t x, uint32_t limit, int bits, uint64_t key) {
  do {
    x = PermuteBits(x, bits, key);
  } while (x >= limit);
  return x;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary.

/// One first name per initial (no X), so "flast" usernames are unique given (initial, last,
/// number); 25 of them, so with 3 styles and 64 surnames the counts are pairwise coprime.
constexpr std::array<std::string_view, 25> kFirstNames = {
    "alice", "brian", "carol", "david",  "emma",  "frank",  "grace", "henry", "irene",
    "james", "karen", "liam",  "maria",  "noah",  "olivia", "peter", "quinn", "rachel",
    "sarah", "tom",   "uma",   "victor", "wendy", "yusuf",  "zoe"};
constexpr std::array<std::string_view, 64> kLastNames = {
    "smith",    "johnson",   "williams", "brown",     "jones",    "garcia",   "miller",
    "davis",    "rodriguez", "martinez", "hernandez", "lopez",    "gonzalez", "wilson",
    "anderson", "thomas",    "taylor",   "moore",     "jackson",  "martin",   "lee",
    "perez",    "thompson",  "white",    "harris",    "sanchez",  "clark",    "ramirez",
    "lewis",    "robinson",  "walker",   "young",     "allen",    "king",     "wright",
    "scott",    "torres",    "nguyen",   "hill",      "flores",   "green",    "adams",
    "nelson",   "baker",     "hall",     "rivera",    "campbell", "mitchell", "carter",
    "roberts",  "muller",    "schmidt",  "schneider", "fischer",  "weber",    "meyer",
    "wagner",   "becker",    "kowalski", "nowak",     "novak",    "rossi",    "russo",
    "ferrari"};
/// Accounts attackers guess; none can collide with a directory name (those contain a first
/// name, or an initial glued to a last name).
constexpr std::array<std::string_view, 20> kCommonNames = {
    "admin",    "root",   "administrator", "test",      "guest",    "user",  "oracle",
    "postgres", "ubuntu", "support",       "backup",    "ftp",      "mysql", "git",
    "deploy",   "pi",     "sales",         "webmaster", "operator", "info"};
constexpr uint32_t kUsernamesPerGeneration = 3 * 25 * 64;

/// Residential and office IPv6 allocations of large ISPs (/32s), phone carriers, and hosting
/// providers; disjoint lists, so an address's role shows in its prefix and roles never collide.
constexpr std::array<std::array<uint16_t, 2>, 8> kHomePrefixes = {{{0x2a02, 0x8108},
                                                                   {0x2a01, 0x0e0a},
                                                                   {0x2600, 0x1700},
                                                                   {0x2001, 0x056a},
                                                                   {0x2a00, 0x23c6},
                                                                   {0x2406, 0x3003},
                                                                   {0x2003, 0x00e2},
                                                                   {0x2804, 0x14c}}};
constexpr std::array<std::array<uint16_t, 2>, 4> kMobilePrefixes = {
    {{0x2607, 0xfb90}, {0x2600, 0x0380}, {0x2a01, 0x04c8}, {0x2a00, 0x1fa0}}};
constexpr std::array<std::array<uint16_t, 2>, 4> kHostingPrefixes = {
    {{0x2a03, 0xb0c0}, {0x2604, 0xa880}, {0x2a01, 0x04f8}, {0x2001, 0x19f0}}};

/// First octets of public unicast IPv4: 1..223 without 10/8, 100/8 (CGNAT), 127/8, 169/8
/// (link-local), 172/8, 192/8 (private ranges live there), and 50/8 so no generated address can
/// be the tutorial's.
constexpr int kFirstOctetCount = 216;
constexpr std::array<uint8_t, kFirstOctetCount> MakeFirstOctets() {
  std::array<uint8_t, kFirstOctetCount> octets{};
  int count = 0;
  for (int octet = 1; octet <= 223; ++octet) {
    if (octet == 10 || octet == 50 || octet == 100 || octet == 127 || octet == 169 ||
        octet == 172 || octet == 192) {
      continue;
    }
    octets[static_cast<size_t>(count++)] = static_cast<uint8_t>(octet);
  }
  return octets;
}
constexpr std::array<uint8_t, kFirstOctetCount> kFirstOctets = MakeFirstOctets();

/// IPv4 index spaces: offices from 0, homes from 2^30, attackers from 3 * 2^30. Index j maps to
/// m = PermuteBelow(j, 216 * 2^24) and then to kFirstOctets[m >> 24] . (m & 0xFFFFFF): unique,
/// public, and neighbouring indices land far apart.
constexpr uint32_t kIpv4Space = uint32_t{kFirstOctetCount} << 24;
constexpr uint32_t kHomeIpv4Base = 1u << 30;
constexpr uint32_t kAttackerIpv4Base = 3u << 30;
constexpr int64_t kMaxUsers = (int64_t{1} << 30) - 1;

/// Offices come in blocks of eight with these sizes (users behind one NAT address), shuffled
/// per seed: small branches to a 220-person headquarters.
constexpr std::array<int, 8> kOfficeSizes = {12, 20, 30, 45, 70, 100, 150, 220};
constexpr int kOfficeBlockUsers = 647;  // Sum of kOfficeSizes.

/// Relative login volume per UTC hour (per mille): quiet nights, a working-day plateau.
constexpr std::array<int64_t, 24> kHourlyVolume = {400,  330,  300,  300,  330,  450,  650,  950,
                                                   1300, 1550, 1650, 1600, 1450, 1550, 1600, 1500,
                                                   1350, 1150, 1000, 900,  800,  700,  580,  480};

// Behaviour rates. Every constant here shapes what `vigil detect` sees.
constexpr uint32_t kTypoPer65536 = 2294;      ///< 3.5% of logins start with a failure.
constexpr uint32_t kLatePer1024 = 4;          ///< 0.4% of rows arrive 2..15 s late.
constexpr uint32_t kPhonePer64 = 8;           ///< 12.5% of a phone owner's logins use it.
constexpr uint64_t kHomeIpv6Per256 = 77;      ///< 30% of homes have IPv6.
constexpr uint64_t kPhoneOwnerPer256 = 90;    ///< 35% of users also log in from a phone.
constexpr int64_t kLoginsPerUserPerDay = 25;  ///< Sizes the directory for the file's rate.
constexpr int64_t kBackgroundRowsPerLoginMilli = 1045;  ///< Typo retries add 4.5% rows.
constexpr int64_t kMicros = 1'000'000;

enum class IpKind : uint8_t { kIpv4, kHomeIpv6, kPhoneIpv6, kAttackerIpv6, kTutorial };

/// One CSV row; names and addresses stay indices until they are formatted.
struct Row {
  int64_t time = 0;   ///< Unix seconds.
  uint32_t name = 0;  ///< < users: directory entry; then kCommonNames; then user_B.
  uint32_t ip = 0;    ///< Index within `ip_kind`'s space.
  IpKind ip_kind = IpKind::kIpv4;
  uint8_t swap_at = 0;  ///< Nonzero: a typo in the username, characters swap_at-1 and swap_at.
  bool successful = false;
};

/// Something due at `emit_us`: a row to write, or (attacker >= 0) an attacker's next attempt.
struct Pending {
  int64_t emit_us = 0;
  uint64_t sequence = 0;  ///< Breaks ties in insertion order, so the heap order is total.
  int32_t attacker = -1;
  Row row;
};
struct PendingLater {
  bool operator()(const Pending& a, const Pending& b) const {
    return a.emit_us != b.emit_us ? a.emit_us > b.emit_us : a.sequence > b.sequence;
  }
};

struct Attacker {
  AttackKind kind = AttackKind::kFastBruteForce;
  uint32_t ip = 0;
  IpKind ip_kind = IpKind::kIpv4;
  uint32_t target = 0;       ///< Brute force: the account attacked.
  uint32_t spray_first = 0;  ///< Spray: first directory entry of the enumerated slice.
  int32_t common = 0;        ///< Spray: how many kCommonNames lead each round.
  int32_t per_round = 0;     ///< Attempts per burst (fast), in total (slow), names (spray).
  int32_t rounds = 1;        ///< Bursts (fast) or rounds over the same names (spray).
  int32_t round = 0;
  int32_t step = 0;
  bool succeeds = false;   ///< The campaign ends with a successful login (a compromise).
  uint64_t placement = 0;  ///< Random word for target and start, drawn with the plan.
  int64_t first_us = 0;
  int64_t PlannedRows() const { return int64_t{per_round} * rounds + (succeeds ? 1 : 0); }
};

// ---------------------------------------------------------------------------------------------
// Formatting.

struct DigitPairs {
  std::array<char, 200> text;
  constexpr DigitPairs() : text() {
    for (int i = 0; i < 100; ++i) {
      text[static_cast<size_t>(2 * i)] = static_cast<char>('0' + i / 10);
      text[static_cast<size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
    }
  }
};
constexpr DigitPairs kDigitPairs;

char* AppendUint(char* out, uint64_t value) {
  char scratch[20];
  char* end = scratch + sizeof(scratch);
  char* p = end;
  while (value >= 100) {
    p -= 2;
    std::memcpy(p, &kDigitPairs.text[(value % 100) * 2], 2);
    value /= 100;
  }
  if (value >= 10) {
    p -= 2;
    std::memcpy(p, &kDigitPairs.text[value * 2], 2);
  } else {
    *--p = static_cast<char>('0' + value);
  }
  const auto length = static_cast<size_t>(end - p);
  std::memcpy(out, p, length);
  return out + length;
}

/// "0." .. "255." four bytes each plus the length without the dot, so an octet is one copy.
struct OctetText {
  std::array<std::array<char, 4>, 256> text;
  std::array<uint8_t, 256> length;
  constexpr OctetText() : text(), length() {
    for (int i = 0; i < 256; ++i) {
      auto& t = text[static_cast<size_t>(i)];
      uint8_t n = 0;
      if (i >= 100) t[n++] = static_cast<char>('0' + i / 100);
      if (i >= 10) t[n++] = static_cast<char>('0' + i / 10 % 10);
      t[n++] = static_cast<char>('0' + i % 10);
      if (n < 4) t[n] = '.';
      length[static_cast<size_t>(i)] = n;
    }
  }
};
constexpr OctetText kOctets;

char* AppendOctet(char* out, uint32_t octet) {
  std::memcpy(out, kOctets.text[octet].data(), 4);
  return out + kOctets.length[octet];
}

char* AppendIpv4(char* out, uint32_t address) {
  out = AppendOctet(out, address >> 24);
  *out++ = '.';
  out = AppendOctet(out, (address >> 16) & 0xFF);
  *out++ = '.';
  out = AppendOctet(out, (address >> 8) & 0xFF);
  *out++ = '.';
  return AppendOctet(out, address & 0xFF);
}

char* AppendHexGroup(char* out, uint32_t group) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const uint32_t nibble = (group >> shift) & 0xF;
    if (nibble != 0 || started || shift == 0) {
      *out++ = kHex[nibble];
      started = true;
    }
  }
  return out;
}

/// RFC 5952 text: lowercase, no leading zeros, the longest run (first if tied) of two or more
/// zero groups written as "::". Tools compare addresses as strings, so the form must be canonical.
char* AppendIpv6(char* out, const std::array<uint16_t, 8>& groups) {
  int best_start = -1, best_length = 1;
  for (int i = 0; i < 8;) {
    if (groups[static_cast<size_t>(i)] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[static_cast<size_t>(j)] == 0) ++j;
    if (j - i > best_length) best_start = i, best_length = j - i;
    i = j;
  }
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      *out++ = ':';
      if (i == 0) *out++ = ':';
      i += best_length - 1;
      if (i == 7) break;
      continue;
    }
    out = AppendHexGroup(out, groups[static_cast<size_t>(i)]);
    if (i != 7) *out++ = ':';
  }
  return out;
}

/// Bounds every row: a 22-byte name, ",False,", 20 digits, a 39-byte address, a newline.
constexpr size_t kMaxRowBytes = 128;
constexpr size_t kBufferBytes = size_t{1} << 20;

/// A large buffer written with fwrite when nearly full; the first write error sticks.
class OutputBuffer {
 public:
  explicit OutputBuffer(std::FILE* out)
      : out_(out), buffer_(new char[kBufferBytes]), position_(buffer_.get()) {}
  char* Reserve() {
    if (static_cast<size_t>(buffer_.get() + kBufferBytes - position_) < kMaxRowBytes) Flush();
    return position_;
  }
  void Commit(char* end) { position_ = end; }
  void Flush() {
    const auto size = static_cast<size_t>(position_ - buffer_.get());
    if (size != 0 && error_ == 0 && std::fwrite(buffer_.get(), 1, size, out_) != size) {
      error_ = errno != 0 ? errno : EIO;
    }
    position_ = buffer_.get();
  }
  Status Finish() {
    Flush();
    if (error_ == 0 && std::fflush(out_) != 0) error_ = errno != 0 ? errno : EIO;
    if (error_ != 0) return Status::IoError("cannot write output: {}", std::strerror(error_));
    return Status::OK();
  }
  bool failed() const { return error_ != 0; }

 private:
  std::FILE* out_;
  std::unique_ptr<char[]> buffer_;
  char* position_;
  int error_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The simulation.

class LoginGenerator {
 public:
  LoginGenerator(const GenerateOptions& options, std::FILE* out)
      : options_(options), rng_(options.seed), out_(out) {}

  Result<GenerateSummary> Run() {
    Plan();
    char* p = out_.Reserve();
    static constexpr std::string_view kHeader = "username,successful,time,ip_address\n";
    std::memcpy(p, kHeader.data(), kHeader.size());
    out_.Commit(p + kHeader.size());
    while (summary_.rows < options_.rows && !out_.failed()) {
      if (!pending_.empty() && pending_.top().emit_us <= next_login_us_) {
        Pending due = pending_.top();
        pending_.pop();
        if (due.attacker >= 0) {
          AttackStep(static_cast<size_t>(due.attacker), due.emit_us);
        } else {
          Write(due.row);
        }
      } else {
        BackgroundLogin();
      }
    }
    RETURN_NOT_OK(out_.Finish());
    return std::move(summary_);
  }

 private:
  // --- Planning: directory size, rate, attackers. ---

  void Plan() {
    const int64_t rows = options_.rows;
    // A day of traffic once there is enough of it; at least an hour, so the slow attacks and
    // the hourly pattern still show in small files.
    span_seconds_ = options_.span_seconds > 0 ? std::max<int64_t>(options_.span_seconds, 3600)
                                              : std::clamp<int64_t>(rows, 3600, 86400);
    user_key_ = rng_.Next();
    ip_key_ = rng_.Next();
    // Office sizes in this seed's order.
    std::array<int, 8> sizes = kOfficeSizes;
    for (size_t i = sizes.size() - 1; i > 0; --i) std::swap(sizes[i], sizes[rng_.Below(i + 1)]);
    size_t at = 0;
    for (size_t office = 0; office < sizes.size(); ++office) {
      for (int k = 0; k < sizes[office]; ++k) office_in_block_[at++] = static_cast<uint8_t>(office);
    }
    PlanAttackers();

    int64_t background_rows = rows - attack_rows_ - kTutorialRows;
    background_rows = std::max<int64_t>({background_rows, rows / 4, 1});
    const int64_t logins =
        std::max<int64_t>(1, background_rows * 1000 / kBackgroundRowsPerLoginMilli);
    // Each user logs in about 25 times a day, so per-address volume (and with it how often
    // honest typos behind one NAT reach the threshold) stays the same at any file size.
    users_ =
        std::clamp<int64_t>(logins * 86400 / (kLoginsPerUserPerDay * span_seconds_), 64, kMaxUsers);
    office_users_ = users_ * 55 / 100;
    user_bits_ = std::max(8, static_cast<int>(std::bit_width(static_cast<uint64_t>(users_ - 1))));
    const int64_t volume_sum = [] {
      int64_t sum = 0;
      for (int64_t v : kHourlyVolume) sum += v;
      return sum;
    }();
    const int64_t mean_gap_us = std::max<int64_t>(1, span_seconds_ * kMicros / logins);
    for (size_t hour = 0; hour < 24; ++hour) {
      hourly_gap_us_[hour] =
          std::max<int64_t>(1, mean_gap_us * volume_sum / (24 * kHourlyVolume[hour]));
    }
    next_login_us_ = options_.start * kMicros;
    SetHour(next_login_us_);
    PlaceAttackers();

    // The tutorial's case: user_B fails every 5 s from W-14 to W+31, where W is a multiple of
    // 60: three failures in the window before W and seven in [W, W+60). Never delayed.
    const int64_t window = (options_.start + 180 + 59) / 60 * 60;
    for (int i = 0; i < kTutorialRows; ++i) {
      Row row;
      row.time = window - 14 + 5 * i;
      row.name = TutorialName();
      row.ip_kind = IpKind::kTutorial;
      Push(row.time * kMicros, -1, row);
    }
    for (size_t a = 0; a < attackers_.size(); ++a) {
      Push(attackers_[a].first_us, static_cast<int32_t>(a), Row{});
    }

    summary_.users = users_;
    summary_.offices =
        office_users_ == 0 ? 0 : OfficeOf(static_cast<uint32_t>(office_users_ - 1)) + 1;
    summary_.first_time = options_.start;
  }

  void PlanAttackers() {
    const int64_t count = options_.attackers;
    attackers_.resize(static_cast<size_t>(count));
    int64_t total = 0;
    for (int64_t a = 0; a < count; ++a) {
      Attacker& attacker = attackers_[static_cast<size_t>(a)];
      // Kinds in a fixed rotation, so even three attackers cover all three; fast is doubled
      // because it is the common case in real logs.
      static constexpr std::array<AttackKind, 4> kRotation = {
          AttackKind::kFastBruteForce, AttackKind::kSlowBruteForce, AttackKind::kPasswordSpray,
          AttackKind::kFastBruteForce};
      attacker.kind = kRotation[static_cast<size_t>(a % 4)];
      const bool ipv6 = a != 0 && rng_.PerMille(200);
      attacker.ip_kind = ipv6 ? IpKind::kAttackerIpv6 : IpKind::kIpv4;
      attacker.ip = ipv6 ? static_cast<uint32_t>(a) : kAttackerIpv4Base + static_cast<uint32_t>(a);
      switch (attacker.kind) {
        case AttackKind::kFastBruteForce:
          attacker.per_round = static_cast<int32_t>(rng_.Between(12, 80));
          attacker.rounds = static_cast<int32_t>(rng_.Between(1, 3));
          attacker.succeeds = rng_.PerMille(80);
          break;
        case AttackKind::kSlowBruteForce:
          attacker.per_round = static_cast<int32_t>(rng_.Between(25, 200));
          attacker.succeeds = rng_.PerMille(50);
          break;
        case AttackKind::kPasswordSpray:
          attacker.per_round = static_cast<int32_t>(rng_.Between(15, 150));
          attacker.rounds = static_cast<int32_t>(rng_.Between(1, 3));
          attacker.common = static_cast<int32_t>(rng_.Between(0, 5));
          break;
      }
      attacker.placement = rng_.Next();  // Resolved by PlaceAttackers once users_ is known.
      total += attacker.PlannedRows();
    }
    // Attacks stay a minority of the file: scale sizes down (keeping each kind's signature:
    // 12 attempts per fast burst, 10 slow attempts, 10 sprayed names) when they would exceed a
    // quarter of it.
    const int64_t budget = std::max<int64_t>(options_.rows / 4, 1);
    if (total > budget) {
      for (Attacker& attacker : attackers_) {
        const int32_t minimum = attacker.kind == AttackKind::kFastBruteForce ? 12 : 10;
        attacker.per_round = static_cast<int32_t>(
            std::max<int64_t>(minimum, int64_t{attacker.per_round} * budget / total));
      }
    }
    attack_rows_ = 0;
    for (const Attacker& attacker : attackers_) attack_rows_ += attacker.PlannedRows();
  }

  /// Second half of attacker planning, once the directory size is known: whom each attacks
  /// and when it starts (inside the file's span, early enough to finish when possible).
  void PlaceAttackers() {
    const auto users = static_cast<uint64_t>(users_);
    for (Attacker& attacker : attackers_) {
      const uint64_t choice = Mix64(attacker.placement ^ 1);
      const uint64_t start_roll = Mix64(attacker.placement ^ 2);
      const auto user = static_cast<uint32_t>((choice >> 8) % users);
      int64_t duration = 0;
      switch (attacker.kind) {
        case AttackKind::kFastBruteForce:
          // 60% guess a common account, the rest target a real one.
          attacker.target =
              choice % 10 < 6 ? static_cast<uint32_t>(users + (choice >> 4) % 20) : user;
          duration =
              int64_t{attacker.rounds} * attacker.per_round * 2 + (attacker.rounds - 1) * 25 * 60;
          break;
        case AttackKind::kSlowBruteForce:
          // Half go for root or admin, half for one real account (credential stuffing).
          attacker.target =
              choice % 2 == 0 ? static_cast<uint32_t>(users + (choice >> 4) % 2) : user;
          duration = int64_t{attacker.per_round} * 85;
          break;
        case AttackKind::kPasswordSpray:
          // A slice of the directory in order, each name once per round: never more than
          // `rounds` (<= 3) attempts per username.
          attacker.spray_first = user;
          attacker.per_round =
              static_cast<int32_t>(std::min<int64_t>(attacker.per_round, attacker.common + users_));
          duration =
              int64_t{attacker.rounds} * attacker.per_round * 5 + (attacker.rounds - 1) * 3600;
          break;
      }
      const int64_t latest = std::max<int64_t>(1, span_seconds_ * 95 / 100 - duration);
      attacker.first_us = (options_.start + static_cast<int64_t>(start_roll % latest)) * kMicros +
                          static_cast<int64_t>((start_roll >> 32) % kMicros);
      Row probe;
      probe.ip = attacker.ip;
      probe.ip_kind = attacker.ip_kind;
      char text[kMaxRowBytes];
      char* end = AppendAddress(text, probe);
      summary_.attackers.push_back(GeneratedAttacker{attacker.kind, std::string(text, end),
                                                     attacker.first_us / kMicros,
                                                     attacker.PlannedRows()});
    }
  }

  // --- The directory, computed from a user's index. ---

  uint32_t OfficeOf(uint32_t user) const {
    return user / kOfficeBlockUsers * 8 + office_in_block_[user % kOfficeBlockUsers];
  }
  uint32_t TutorialName() const {
    return static_cast<uint32_t>(users_ + static_cast<int64_t>(kCommonNames.size()));
  }

  /// The address of one login by `user`: the phone (if the user has one and `phone_roll` hits),
  /// else the office NAT address or the home address (IPv4, or IPv6 for 30% of homes).
  void UserAddress(uint32_t user, uint32_t phone_roll, Row& row) const {
    const uint64_t traits = Mix64(user ^ user_key_);
    if (phone_roll < kPhonePer64 && ((traits >> 8) & 0xFF) < kPhoneOwnerPer256) {
      row.ip_kind = IpKind::kPhoneIpv6;
      row.ip = user;
    } else if (user < office_users_) {
      row.ip_kind = IpKind::kIpv4;
      row.ip = OfficeOf(user);
    } else if ((traits & 0xFF) < kHomeIpv6Per256) {
      row.ip_kind = IpKind::kHomeIpv6;
      row.ip = user;
    } else {
      row.ip_kind = IpKind::kIpv4;
      row.ip = kHomeIpv4Base + (user - static_cast<uint32_t>(office_users_));
    }
  }

  // --- Background traffic. ---

  void SetHour(int64_t at_us) {
    const int64_t hour_us = 3600 * kMicros;
    const int64_t hour = at_us / hour_us;
    hour_end_us_ = (hour + 1) * hour_us;
    gap_us_ = hourly_gap_us_[static_cast<size_t>(hour % 24)];
  }

  void BackgroundLogin() {
    const int64_t now_us = next_login_us_;
    const uint64_t random = rng_.Next();
    const auto low = static_cast<uint32_t>(random);
    Row row;
    row.time = now_us / kMicros;
    row.name = static_cast<uint32_t>(((random >> 32) * static_cast<uint64_t>(users_)) >> 32);
    UserAddress(row.name, low >> 26, row);
    if ((low & 0xFFFF) >= kTypoPer65536) {
      row.successful = true;
      WriteOrDelay(row, now_us, (low >> 16) & 0x3FF);
    } else {
      Typo(row, now_us);
    }
    next_login_us_ =
        now_us + static_cast<int64_t>(
                     (static_cast<uint64_t>(gap_us_) * ExponentialFixed16(rng_.Next())) >> 16);
    if (next_login_us_ >= hour_end_us_) SetHour(next_login_us_);
  }

  /// A login that starts with failures: usually one, rarely up to four (a forgotten password),
  /// 3..20 s apart, then a success unless the user gives up. A fifth of first failures mistype
  /// the username instead. One user alone never reaches five failures in a minute.
  void Typo(Row row, int64_t now_us) {
    const uint64_t roll = rng_.Below(1000);
    const int failures = roll < 800 ? 1 : roll < 960 ? 2 : roll < 995 ? 3 : 4;
    const bool gives_up = rng_.PerMille(failures == 4 ? 500 : 40);
    const bool username_typo = rng_.PerMille(200);
    int64_t at_us = now_us;
    for (int i = 0; i < failures; ++i) {
      Row attempt = row;
      attempt.successful = false;
      attempt.time = at_us / kMicros;
      if (i == 0 && username_typo) attempt.swap_at = static_cast<uint8_t>(1 + rng_.Below(4));
      if (i == 0) {
        WriteOrDelay(attempt, at_us, rng_.Below(1024));
      } else {
        Push(at_us, -1, attempt);
      }
      at_us += rng_.Between(3, 20) * kMicros + rng_.Between(0, kMicros - 1);
    }
    if (!gives_up) {
      row.successful = true;
      row.time = at_us / kMicros;
      Push(at_us, -1, row);
    }
  }

  /// Writes now, or (0.4% of rows, `roll` < 4 of 1024) queues the row to come out 2..15 s late:
  /// its time stays, so event-time windows do not change, only the file order.
  void WriteOrDelay(const Row& row, int64_t now_us, uint64_t roll) {
    if (roll < kLatePer1024) {
      ++summary_.late_rows;
      Push(now_us + rng_.Between(2 * kMicros, 15 * kMicros), -1, row);
    } else {
      Write(row);
    }
  }

  // --- Attacks. ---

  void AttackStep(size_t index, int64_t now_us) {
    Attacker& attacker = attackers_[index];
    Row row;
    row.time = now_us / kMicros;
    row.ip = attacker.ip;
    row.ip_kind = attacker.ip_kind;
    row.name = attacker.target;
    if (attacker.kind == AttackKind::kPasswordSpray) {
      row.name =
          attacker.step < attacker.common
              ? static_cast<uint32_t>(users_) + static_cast<uint32_t>(attacker.step)
              : static_cast<uint32_t>((attacker.spray_first + static_cast<uint64_t>(attacker.step) -
                                       static_cast<uint64_t>(attacker.common)) %
                                      static_cast<uint64_t>(users_));
    }
    WriteOrDelay(row, now_us, rng_.Below(1024));

    int64_t next_us = 0;
    ++attacker.step;
    const bool round_done = attacker.step == attacker.per_round;
    if (round_done) {
      attacker.step = 0;
      ++attacker.round;
    }
    const bool campaign_done = round_done && attacker.round == attacker.rounds;
    switch (attacker.kind) {
      case AttackKind::kFastBruteForce:
        next_us = round_done ? now_us + rng_.Between(5 * 60, 45 * 60) * kMicros
                             : now_us + rng_.Between(250'000, 3 * kMicros);
        if (campaign_done) next_us = now_us + rng_.Between(kMicros, 3 * kMicros);
        break;
      case AttackKind::kSlowBruteForce:
        // At least 20 s apart: at most three attempts in any 60 s, under a threshold of 5.
        next_us = now_us + rng_.Between(20 * kMicros, 150 * kMicros);
        break;
      case AttackKind::kPasswordSpray:
        next_us = round_done ? now_us + rng_.Between(30 * 60, 90 * 60) * kMicros
                             : now_us + rng_.Between(kMicros, 8 * kMicros);
        break;
    }
    if (!campaign_done) {
      Push(next_us, static_cast<int32_t>(index), Row{});
    } else if (attacker.succeeds) {
      Row success = row;
      success.successful = true;
      success.time = next_us / kMicros;
      Push(next_us, -1, success);
    }
  }

  // --- Output. ---

  void Push(int64_t emit_us, int32_t attacker, const Row& row) {
    pending_.push(Pending{emit_us, sequence_++, attacker, row});
  }

  char* AppendName(char* out, uint32_t name, uint8_t swap_at) const {
    char* const begin = out;
    if (name < users_) {
      // Shuffled, so a sprayer's slice of neighbours looks like a real directory. 3, 25 and 64
      // are pairwise coprime, so by the Chinese remainder theorem (style, first, last) differ
      // for the 4800 entries of one generation; generation g > 0 appends the number g.
      const uint32_t entry =
          PermuteBelow(name, static_cast<uint32_t>(users_), user_bits_, user_key_ ^ 3);
      const uint32_t style = entry % 3;
      const std::string_view first = kFirstNames[entry % kFirstNames.size()];
      const std::string_view last = kLastNames[entry % kLastNames.size()];
      const uint32_t generation = entry / kUsernamesPerGeneration;
      if (style == 1) {
        *out++ = first[0];
      } else {
        std::memcpy(out, first.data(), first.size());
        out += first.size();
        *out++ = style == 0 ? '.' : '_';
      }
      std::memcpy(out, last.data(), last.size());
      out += last.size();
      if (generation != 0) out = AppendUint(out, generation);
    } else {
      const auto common = static_cast<size_t>(name - users_);
      const std::string_view text =
          common < kCommonNames.size() ? kCommonNames[common] : std::string_view(kTutorialUser);
      std::memcpy(out, text.data(), text.size());
      out += text.size();
    }
    if (swap_at != 0 && out - begin > swap_at) std::swap(begin[swap_at - 1], begin[swap_at]);
    return out;
  }

  char* AppendAddress(char* out, const Row& row) const {
    switch (row.ip_kind) {
      case IpKind::kIpv4: {
        const uint32_t mixed = PermuteBelow(row.ip, kIpv4Space, 32, ip_key_);
        return AppendIpv4(out, (uint32_t{kFirstOctets[mixed >> 24]} << 24) | (mixed & 0xFFFFFF));
      }
      case IpKind::kHomeIpv6:
      case IpKind::kPhoneIpv6:
      case IpKind::kAttackerIpv6: {
        const uint64_t key = ip_key_ + static_cast<uint64_t>(row.ip_kind);
        const uint64_t traits = Mix64(row.ip ^ key);
        const auto& prefix = row.ip_kind == IpKind::kHomeIpv6
                                 ? kHomePrefixes[traits % kHomePrefixes.size()]
                             : row.ip_kind == IpKind::kPhoneIpv6
                                 ? kMobilePrefixes[traits % kMobilePrefixes.size()]
                                 : kHostingPrefixes[traits % kHostingPrefixes.size()];
        const uint32_t site = PermuteBits(row.ip, 32, key);  // Unique per index within the kind.
        const uint64_t interface = Mix64(traits);
        std::array<uint16_t, 8> groups = {prefix[0],
                                          prefix[1],
                                          static_cast<uint16_t>(site >> 16),
                                          static_cast<uint16_t>(site),
                                          static_cast<uint16_t>(interface >> 48),
                                          static_cast<uint16_t>(interface >> 32),
                                          static_cast<uint16_t>(interface >> 16),
                                          static_cast<uint16_t>(interface)};
        // Servers and many home routers use short, assigned interface ids ("::1c2") rather
        // than random ones; phones always use random (privacy) addresses.
        if (row.ip_kind != IpKind::kPhoneIpv6 && (traits >> 40) % 4 == 0) {
          groups[4] = groups[5] = groups[6] = 0;
          groups[7] = static_cast<uint16_t>(1 + (traits >> 44) % 0x1ff);
        }
        return AppendIpv6(out, groups);
      }
      case IpKind::kTutorial: {
        const std::string_view text = kTutorialIp;
        std::memcpy(out, text.data(), text.size());
        return out + text.size();
      }
    }
    return out;
  }

  void Write(const Row& row) {
    char* p = out_.Reserve();
    p = AppendName(p, row.name, row.swap_at);
    if (row.successful) {
      std::memcpy(p, ",True,", 6);
      p += 6;
    } else {
      std::memcpy(p, ",False,", 7);
      p += 7;
    }
    // Most rows share their second with the previous one: reuse its digits.
    if (row.time != cached_time_) {
      cached_time_ = row.time;
      cached_time_length_ = static_cast<size_t>(
          AppendUint(cached_time_text_, static_cast<uint64_t>(row.time)) - cached_time_text_);
    }
    std::memcpy(p, cached_time_text_, 20);
    p += cached_time_length_;
    *p++ = ',';
    p = AppendAddress(p, row);
    *p++ = '\n';
    out_.Commit(p);
    ++summary_.rows;
    summary_.last_time = std::max(summary_.last_time, row.time);
  }

  static constexpr int kTutorialRows = 10;

  const GenerateOptions options_;
  Rng rng_;
  OutputBuffer out_;
  std::priority_queue<Pending, std::vector<Pending>, PendingLater> pending_;
  uint64_t sequence_ = 0;
  std::vector<Attacker> attackers_;
  int64_t attack_rows_ = 0;
  int64_t span_seconds_ = 0;
  int64_t users_ = 0;
  int64_t office_users_ = 0;
  int user_bits_ = 8;  ///< Width of the power of two enclosing users_, for PermuteBelow.
  uint64_t user_key_ = 0;
  uint64_t ip_key_ = 0;
  std::array<uint8_t, kOfficeBlockUsers> office_in_block_{};
  std::array<int64_t, 24> hourly_gap_us_{};
  int64_t next_login_us_ = 0;
  int64_t hour_end_us_ = 0;
  int64_t gap_us_ = 1;
  int64_t cached_time_ = -1;
  size_t cached_time_length_ = 0;
  char cached_time_text_[24] = {};
  GenerateSummary summary_;
};

}  // namespace

int64_t DefaultGenerateAttackers(int64_t rows) { return std::max<int64_t>(rows, 0) / 20000 + 3; }

const char* AttackKindName(AttackKind kind) {
  switch (kind) {
    case AttackKind::kFastBruteForce:
      return "fast brute force";
    case AttackKind::kSlowBruteForce:
      return "slow brute force";
    case AttackKind::kPasswordSpray:
      return "password spray";
  }
  return "?";
}

Result<GenerateSummary> GenerateLogins(const GenerateOptions& options, std::FILE* out) {
  if (options.rows < 0 || options.rows > kMaxGenerateRows) {
    return Status::Invalid("rows must be in [0, {}], got {}", kMaxGenerateRows, options.rows);
  }
  if (options.start < 0 || options.start > kMaxGenerateStart) {
    return Status::Invalid("start must be a unix time in [0, {}], got {}", kMaxGenerateStart,
                           options.start);
  }
  if (options.attackers > kMaxGenerateAttackers) {
    return Status::Invalid("attackers must be at most {}, got {}", kMaxGenerateAttackers,
                           options.attackers);
  }
  GenerateOptions resolved = options;
  if (resolved.attackers < 0) resolved.attackers = DefaultGenerateAttackers(options.rows);
  return LoginGenerator(resolved, out).Run();
}

}  // namespace vigil::cli
