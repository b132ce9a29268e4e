#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/api/error_log.h"
#include "connectors/api/source.h"
#include "connectors/csv/csv_tokenizer.h"
#include "connectors/live/change_watch.h"
#include "connectors/live/file_follower.h"
#include "vigil/expr/evaluator.h"
#include "vigil/batch/batch.h"
#include "vigil/common/key.h"
#include "vigil/common/status.h"
#include "vigil/types/schema.h"

namespace vigil {

/// Pathway's id of a CSV row when the schema has no primary key: the XXH3-128 digest of the
/// file path's bytes followed by the row's end offset (u64, little-endian), the same bytes
/// KeyHasher::AddRawBytes(path) + AddRaw64(offset) hash. Set up once per file: for paths of
/// 9 to 120 bytes everything that depends on the path alone is precomputed, and an id costs
/// one or two 64x64->128 multiplications plus the final mixing; other lengths hash a prepared
/// path+offset buffer.
class CsvRowIdHasher {
 public:
  explicit CsvRowIdHasher(std::string_view path = {});

  Key Id(uint64_t end_offset) {
    if (form_ != Form::kLastRound) return IdSlowly(end_offset);
    return IdLastRound(end_offset);
  }
  /// out[i] = Id(records[i].end_offset) for i < n, with the form chosen once.
  void Ids(const CsvRecord* records, size_t n, Key* out);

 private:
  enum class Form : uint8_t {
    kLastRound,  ///< Only the last round reads the offset (its last word).
    kOverlap,    ///< The first round also reads offset bytes (in its second input word).
    kBuffer,     ///< Other lengths: hash input_ in full.
  };
  /// XXH3_mul128_fold64.
  static uint64_t Fold(uint64_t a, uint64_t b) {
    __extension__ using U128 = unsigned __int128;
    const U128 product = static_cast<U128>(a) * b;
    return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
  }
  /// XXH3_avalanche.
  static uint64_t Avalanche(uint64_t h) {
    h ^= h >> 37;
    h *= 0x165667919E3779F9ULL;
    return h ^ (h >> 32);
  }
  /// XXH3_len_17to128_128b's final mixing of the accumulator (seed 0).
  Key Finish(uint64_t low, uint64_t high) const {
    const uint64_t out_low = low + high;
    const uint64_t out_high =
        low * 0x9E3779B185EBCA87ULL + high * 0x85EBCA77C2B2AE63ULL + length_term_;
    return Key{Avalanche(out_low), uint64_t{0} - Avalanche(out_high)};
  }
  Key IdLastRound(uint64_t end_offset) const {
    // The last XXH128_mix32B round and XXH3_len_17to128_128b's final mixing (seed 0).
    const uint64_t low = low_ ^ (tail_ + end_offset);
    const uint64_t high = (high_ + Fold(tail_secret_, end_offset ^ secret_word_3_)) ^ high_xor_;
    return Finish(low, high);
  }
  /// Form kOverlap, with the overlap in round `kRound` (0 or 1).
  template <int kRound>
  Key IdOverlap(uint64_t end_offset) const;
  /// Form kBuffer.
  Key IdBuffer(uint64_t end_offset);
  /// Forms kOverlap and kBuffer.
  Key IdSlowly(uint64_t end_offset);

  std::string input_;  ///< Path bytes, then 8 bytes (zero, or the last offset for kBuffer).
  Form form_ = Form::kBuffer;
  // See the .cc for how these come from XXH3's rounds.
  uint64_t low_ = 0;
  uint64_t high_ = 0;
  uint64_t tail_ = 0;           ///< The 8 path bytes just before the offset.
  uint64_t tail_secret_ = 0;    ///< tail_ ^ secret word 2.
  uint64_t high_xor_ = 0;       ///< Sum of the first two input words.
  uint64_t secret_word_3_ = 0;  ///< Secret bytes 24..32 (xored with the offset).
  uint64_t length_term_ = 0;    ///< Input length * PRIME64_2.
  // kOverlap: the first round's input words are word_a_ and word_b_ | offset << shift_.
  int overlap_round_ = 0;
  unsigned shift_ = 0;
  uint64_t word_a_ = 0;
  uint64_t word_b_ = 0;
  uint64_t word_a_secret_ = 0;  ///< word_a_ ^ its secret word.
  uint64_t word_b_secret_ = 0;  ///< The secret word xored with word b.
  uint64_t round1_low_xor_ = 0;   ///< Round 1 only: the sum of its second input's words.
  uint64_t round1_high_add_ = 0;  ///< Round 1 only: mix16B of its second input.
  uint64_t round0_low_add_ = 0;   ///< Round 1 only: round 0's mix16B of the first 16 bytes.
};

/// Knobs of a CSV reader.
struct CsvSourceOptions {
  /// What happens to rows with unparsable fields (Pathway: kSkip is terminate_on_error=True,
  /// kKeepError is terminate_on_error=False).
  OnBadRow on_bad_row = OnBadRow::kSkip;
  /// Where row-level problems go; not owned, may be null (they are then only counted).
  ErrorLog* error_log = nullptr;
  /// Bytes per read(2).
  size_t chunk_bytes = size_t{1} << 20;
  /// Longest record kept; longer ones are reported and skipped.
  size_t max_record_bytes = size_t{64} << 20;
  /// Rows per emitted batch.
  size_t batch_rows = 4096;
  /// Called after every emitted batch with the bytes of this source consumed so far (all
  /// files) and the rows emitted so far: progress displays and row counts.
  std::function<void(uint64_t bytes, uint64_t rows)> on_progress;

  /// Live reading (mode=streaming): the path is one file (or `-`, stdin) followed as
  /// `tail -F` does; see FileFollower. Directories are followed by LiveDirectorySource,
  /// which makes one live CsvSource per file.
  bool live = false;
  /// Live: whether the end of the file ends the input (replay) or reading waits for more.
  FollowEnd follow_end = FollowEnd::kNever;
  /// Live: ids of rows after a truncation or rotation. True (log semantics: the new content
  /// adds to the old) salts the path hashed into ids with the generation, so rows at equal
  /// offsets of successive generations get distinct ids. False keeps Pathway's (path, offset)
  /// ids, for owners that retract a file's old rows when it is rewritten (Pathway's rule).
  bool salt_ids_per_generation = true;
  /// Live: the path hashed into row ids instead of the path (errors still name the path). A
  /// followed directory salts it for a file that takes the name of an earlier one, whose rows
  /// stay (log semantics), so rows at equal offsets of the two files get distinct ids.
  std::string id_path;
  /// Live: which file is followed when the path is renamed or replaced: the name (`tail -F`,
  /// rotation starts a new generation) or the file first opened (a followed directory's
  /// children: the directory sees renames and new files itself).
  FollowTarget follow_target = FollowTarget::kName;
  /// Live: whether the source watches its file itself (inotify). LiveDirectorySource turns it
  /// off and watches the whole directory with one descriptor.
  bool watch_changes = true;
  /// Live: called when the file was truncated or replaced, before any row of the new content.
  std::function<void(uint64_t generation)> on_new_generation;
};

/// Reads CSV files in static mode, as Pathway's `pw.io.csv.read(..., mode="static")`: one
/// commit at processing time 0 holding every row (+1 diffs), emitted in batches of at most
/// `batch_rows` rows while the files stream through a bounded buffer.
///
/// `path` is a file or a directory (read recursively, files in path order). The first record
/// of each file is its header; schema columns are found by name (extra columns ignored).
/// Row ids follow Pathway: the hash of the primary-key values when the schema has any, else the
/// hash of (file path, byte offset of the end of the record).
class CsvSource : public Source {
 public:
  /// Validates the schema and options and checks that `path` exists. Open() does the rest.
  static Result<std::unique_ptr<CsvSource>> Make(std::string path, Schema schema,
                                                 CsvSourceOptions options = {});

  /// Prefer Make(); a source built directly reports bad arguments from Open().
  CsvSource(std::string path, Schema schema, CsvSourceOptions options = {});
  ~CsvSource() override;

  const Schema& schema() const override { return schema_; }
  /// Lists the files and reads the first file's header (a missing column fails here).
  Status Open() override;
  std::optional<Time> NextCommitTime() override;
  /// Emits every row. Later files' headers are checked when reached; a bad one fails the run.
  Status ReadCommit(const BatchConsumer& emit) override;

  /// Filter pushdown (see Source::AcceptFilter): rows for which `predicate` is False or None
  /// are dropped before a batch is emitted, so the operators downstream never see them.
  bool AcceptFilter(const BoundExpr& predicate) override;

  // Live mode (options.live); see Source.
  bool is_live() const override { return options_.live; }
  /// Rows are only added, read once or followed (a followed directory retracts the rows of a
  /// deleted file itself: LiveDirectorySource is not insert-only).
  bool insert_only() const override { return true; }
  Result<LiveRead> ReadAvailable(const BatchConsumer& emit, size_t max_rows) override;
  int wait_fd() const override;
  void ReportUnfinished(UnfinishedLineEnd why) override;
  std::optional<FileIdentity> followed_file() const override;
  bool file_rejected() const override { return file_rejected_; }

  /// Data errors seen so far (also those not kept because no ErrorLog was given).
  uint64_t error_count() const { return error_count_; }
  /// The files Open() found, in reading order.
  const std::vector<std::string>& files() const { return files_; }

 private:
  /// How one schema column is read from the current file.
  struct ColumnPlan {
    /// How the fast path parses the column; anything else (and every failure) goes through
    /// ParseCsvField in ProcessRecordSlow.
    enum class Op : uint8_t { kText, kInt, kDuration, kFloat, kGeneric };
    size_t field_index = 0;  ///< Index of the column in the current file's records.
    Op op = Op::kGeneric;
    Value* out = nullptr;  ///< batch_'s column data (see PrepareBatch).
  };

  Status ValidateArguments() const;
  Status ListFiles();
  /// Opens files_[file_index_] and maps its header; an empty file yields no tokenizer.
  Status OpenFile(size_t file_index);
  /// Reads the current tokenizer's first record as the header and maps the schema onto it.
  /// Live input without a complete header yet leaves header_pending_ set.
  Status ReadHeader();
  /// Live: starts reading the follower's current generation (a new tokenizer and header).
  void StartGeneration();
  void CloseFile();
  /// Reads the current file's rows into batch_, emitting full batches.
  Status ReadFileRows(const BatchConsumer& emit);
  /// Parses one record into batch_ (or reports it). Non-OK only under kFail.
  Status ProcessRecord(const CsvRecord& record);
  /// Appends the rows of records[0, n) (n <= batch_rows - rows_) when every field of every
  /// record parses by its plan; false (rows_ unchanged) otherwise.
  bool AppendRun(const CsvRecord* records, size_t n);
  /// ProcessRecord's fast path: appends the row when every field parses by its plan; false
  /// (batch_ unchanged) otherwise.
  bool TryAppendRow(const CsvRecord& record);
  /// The general path: every parse rule, errors reported by the OnBadRow policy.
  Status ProcessRecordSlow(const CsvRecord& record);
  /// The id of the row whose values are in slot `row` of batch_'s columns.
  Key RowId(const CsvRecord& record, size_t row);
  /// Sizes batch_'s vectors to batch_rows (rows are written in place at index rows_; this
  /// avoids push_back bookkeeping per value) and points plan_ at them.
  void PrepareBatch();
  /// Copies strings that point into the tokenizer's buffer into the batch arena.
  void DetachPendingStrings();
  /// Counts and logs `error`; under kFail returns the error as a ParseError status.
  Status Report(DataError error);
  /// Live: reports the record the tokenizer holds unfinished (if any) as a warning.
  void ReportUnfinishedRecord(UnfinishedLineEnd why);
  void EmitBatch(const BatchConsumer& emit);

  std::string path_;
  Schema schema_;
  CsvSourceOptions options_;

  std::vector<size_t> primary_key_columns_;  ///< Schema indices, in schema order.
  std::vector<size_t> string_columns_;       ///< Columns whose values may be buffer views.

  std::vector<std::string> files_;
  size_t file_index_ = 0;
  int fd_ = -1;
  std::unique_ptr<CsvTokenizer> tokenizer_;
  std::vector<ColumnPlan> plan_;
  size_t min_fields_ = 0;  ///< Fields a record needs to hold every schema column.

  bool opened_ = false;
  bool commit_done_ = false;
  // Live mode.
  std::unique_ptr<FileFollower> follower_;
  std::unique_ptr<ChangeWatch> watch_;  ///< Live, waiting for more: wakes the executor.
  bool header_pending_ = false;  ///< The current tokenizer's header is not complete yet.
  bool header_end_ = false;      ///< The input ended before any header (an empty file).
  bool generation_done_ = false;  ///< The last ReadFileRows reached the tokenizer's kEnd.
  bool live_ended_ = false;
  bool tokenizer_drained_ = false;  ///< The last ReadFileRows stopped at Event::kNoData.
  /// The follower's generation ended by truncation or replacement: the tokenizer was told
  /// "no data yet" instead of "end", so it holds an unfinished last record back (reported,
  /// not counted) rather than closing it as a row.
  bool generation_cut_ = false;
  /// The last ReadAvailable returned kDrained (all complete rows read).
  bool live_drained_ = false;
  /// The last live failure concerned the whole file (its header, reading it).
  bool file_rejected_ = false;
  uint64_t stop_after_rows_ = UINT64_MAX;  ///< ReadFileRows returns once rows_emitted_ reaches it.
  uint64_t error_count_ = 0;
  std::unique_ptr<ExprEvaluator> pushed_filter_;
  /// With a pushed filter and no primary key, ids are computed at emit time for the rows that
  /// pass: rows [0, ids_done_) of the batch already have ids (earlier files), the others keep
  /// their record end offsets here.
  std::vector<uint64_t> end_offsets_;
  size_t ids_done_ = 0;
  bool DeferIds() const { return pushed_filter_ != nullptr && primary_key_columns_.empty(); }
  /// Writes the row id of `record` (or defers it, see end_offsets_).
  void SetRowId(const CsvRecord& record, size_t row);
  /// Computes deferred ids with the current file's hasher (before switching files).
  void FinishDeferredIds();
  /// EmitBatch with a pushed filter: emits the rows that pass, from filtered_.
  void EmitFiltered(const BatchConsumer& emit);
  Batch filtered_;
  ValueArena filter_arena_;
  uint64_t rows_emitted_ = 0;
  uint64_t bytes_of_finished_files_ = 0;

  /// Every vector of batch_ has batch_rows entries while reading; rows [0, rows_) are filled.
  /// EmitBatch() trims it to rows_ for the consumer.
  Batch batch_;
  size_t rows_ = 0;
  Key* ids_out_ = nullptr;  ///< batch_.ids.data().
  std::vector<Value> row_;
  std::vector<const char*> row_errors_;
  KeyHasher hasher_;
  CsvRowIdHasher row_id_hasher_;  ///< For the current file (schemas without primary key).
};

}  // namespace vigil
