#pragma once

// Large random streams for the oracle test (issue 8, "make it impossible to come back"): tens
// of thousands to hundreds of thousands of lines, so that commits cross the 65,536-row size
// of a live commit and the batch boundaries inside commits, and state grows past what the
// small streams reach. And the live commit policy over them: the whole line sequence, in
// reading order, cut into commits of sizes a live run produces (a few lines, thousands,
// exactly around 65,536, tens of thousands), wherever the cuts fall.

#include <cstdint>
#include <vector>

#include "random_choice.h"
#include "random_stream.h"

namespace vigil::oracle {

/// Logical commits of mostly inserts (with deletes, updates and, when the profile allows,
/// cancelling lines), `total_lines` lines or a few more. Event time drifts with the position
/// in the stream, `profile.drift` per `lines_per_tick` lines, with rows up to
/// `profile.lateness` behind; with drift 0 it is drawn in -6..12.
std::vector<LogicalCommit> LargeCommits(Random& rnd, const StreamProfile& profile,
                                        int64_t total_lines, int64_t lines_per_tick);

/// The lines of `commits` in order (each logical commit's operations interleaved, keeping each
/// operation's lines in order), cut into 3..12 commits of live sizes.
StreamVariant LiveCommits(const std::vector<LogicalCommit>& commits, Random& rnd);

}  // namespace vigil::oracle
