#pragma once

// A synthetic but realistic stream of login events for demos, tests and benchmarks: the input
// `vigil detect` is built for. No CLI dependency, so tests and benchmarks call it directly.

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "vigil/common/status.h"

namespace vigil::cli {

/// The tutorial's start (2018-12-25 09:26:40 UTC): with it the tutorial's burst lands on the same
/// seconds as in Pathway's 30-row dataset (user_B failing every 5 s from ...186 to ...231).
inline constexpr int64_t kDefaultGenerateStart = 1545730000;
/// A trillion rows (about 45 TB): anything larger is a typo.
inline constexpr int64_t kMaxGenerateRows = 1'000'000'000'000;
/// Attackers are planned up front (about 100 bytes each), so their number is bounded.
inline constexpr int64_t kMaxGenerateAttackers = 1'000'000;
/// Latest accepted `--start` (2100-01-01); keeps every generated time a plain unix second.
inline constexpr int64_t kMaxGenerateStart = 4'102'444'800;
/// The tutorial's attacking address, always present: 7 failures in one 60-second window aligned
/// to a multiple of 60 (3 more in the window before), from user_B.
inline constexpr char kTutorialIp[] = "50.37.169.241";
inline constexpr char kTutorialUser[] = "user_B";

struct GenerateOptions {
  int64_t rows = 0;                       ///< Data rows written after the header, exactly.
  uint64_t seed = 0;                      ///< Same options and seed: byte-identical output.
  int64_t start = kDefaultGenerateStart;  ///< Unix seconds of the first event.
  int64_t attackers = -1;  ///< Attacking IPs besides the tutorial's; negative: the default.
  /// Seconds of event time the rows cover; 0: the default (rows seconds, clamped to between
  /// an hour and a day). Long spans (30 days) feed the live memory benchmark.
  int64_t span_seconds = 0;
};

/// `rows / 20000 + 3`: a few attackers even in a tiny file (one of each kind), about one per
/// 20k rows beyond, which keeps attack traffic near 1% of a large file.
int64_t DefaultGenerateAttackers(int64_t rows);

enum class AttackKind {
  kFastBruteForce,  ///< Bursts of failures seconds apart against one account.
  kSlowBruteForce,  ///< Failures 20 s or more apart for hours: never 5 in any 60 s.
  kPasswordSpray,   ///< One IP, many usernames, one attempt per username per round (<= 3).
};
const char* AttackKindName(AttackKind kind);

/// One planned attacker, reported so tests can check each kind's signature in the output.
struct GeneratedAttacker {
  AttackKind kind;
  std::string ip_address;
  int64_t first_time = 0;    ///< Unix seconds of its first attempt.
  int64_t planned_rows = 0;  ///< Attempts it makes if the file is long enough to hold them.
};

/// What was written, for the CLI's stderr note and for tests.
struct GenerateSummary {
  int64_t rows = 0;
  int64_t users = 0;      ///< Size of the user directory background logins draw from.
  int64_t offices = 0;    ///< NAT addresses shared by many users.
  int64_t late_rows = 0;  ///< Rows written a few seconds after their time (out of order).
  int64_t first_time = 0;
  int64_t last_time = 0;
  std::vector<GeneratedAttacker> attackers;
};

/// Writes the header `username,successful,time,ip_address` and `options.rows` rows to `out`.
/// Streams in bounded memory (a 1 MB buffer, a heap of pending events, the attacker plans).
/// Fails with kInvalidArgument on out-of-range options and kIoError when a write fails; `out`
/// is flushed but not closed.
Result<GenerateSummary> GenerateLogins(const GenerateOptions& options, std::FILE* out);

}  // namespace vigil::cli
