#include "connectors/csv/csv_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <span>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include "connectors/api/input_files.h"
#include "connectors/api/primary_key.h"
#include "connectors/csv/value_parser.h"
#include "connectors/live/file_follower.h"
#include "connectors/output/csv_writer.h"

// The row-id hash is XXH3-128 (as KeyHasher's); inlined here so its path-only part can be
// precomputed per file.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace vigil {

static_assert(kCsvNoDataYet == kNoDataYet, "FileFollower::Read feeds the tokenizer directly");

namespace {

constexpr size_t kMaxValueBytesInErrors = 200;

std::string QuotedList(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += RustDebugString(names[i]);
  }
  return out;
}

}  // namespace

CsvRowIdHasher::CsvRowIdHasher(std::string_view path) : input_(path) {
  input_.append(8, '\0');
  const size_t len = input_.size();
  if (len < 17 || len > 128) return;  // Form kBuffer.
  // XXH3_len_17to128_128b runs XXH128_mix32B rounds k = K..0 (K = 0 up to 32 bytes, 1 up to
  // 64, ...) over (input + 16k, input + len - 16 - 16k), each
  //   acc.low  = (acc.low  + mix16B(first))  ^ (first word + second word of `second`)
  //   acc.high = (acc.high + mix16B(second)) ^ (first word + second word of `first`),
  // mix16B(x) = fold64(x[0..8] ^ s[0..8], x[8..16] ^ s[8..16]), then mixes acc finally. The
  // offset is bytes [len - 8, len): the second word of round 0's `second`, and for 17..23 and
  // 33..39 bytes also part of the second word of round K's `first`; nothing else reads it.
  const auto* in = reinterpret_cast<const xxh_u8*>(input_.data());
  const xxh_u8* secret = XXH3_kSecret;
  const size_t rounds_above_0 = len > 96 ? 3 : len > 64 ? 2 : len > 32 ? 1 : 0;
  tail_ = XXH_readLE64(in + len - 16);
  tail_secret_ = tail_ ^ XXH_readLE64(secret + 16);
  secret_word_3_ = XXH_readLE64(secret + 24);
  length_term_ = len * XXH_PRIME64_2;
  high_xor_ = XXH_readLE64(in) + XXH_readLE64(in + 8);
  static_assert(XXH_PRIME64_1 == 0x9E3779B185EBCA87ULL && XXH_PRIME64_4 == 0x85EBCA77C2B2AE63ULL);
  const size_t path_len = len - 8;
  if (path_len < 16 * rounds_above_0 + 16) {
    // Round K's first input [16K, 16K + 16) ends inside the offset (K is 0 or 1 here).
    form_ = Form::kOverlap;
    overlap_round_ = static_cast<int>(rounds_above_0);
    const size_t first = 16 * rounds_above_0;
    shift_ = static_cast<unsigned>(8 * (path_len - first - 8));
    word_a_ = XXH_readLE64(in + first);
    word_b_ = XXH_readLE64(in + first + 8);  // Its offset bytes are 0 in input_.
    word_a_secret_ = word_a_ ^ XXH_readLE64(secret + 2 * first);
    word_b_secret_ = XXH_readLE64(secret + 2 * first + 8);
    low_ = len * XXH_PRIME64_1;
    high_ = 0;
    if (rounds_above_0 == 1) {
      round1_low_xor_ = XXH_readLE64(in + len - 32) + XXH_readLE64(in + len - 24);
      round1_high_add_ = XXH3_mix16B(in + len - 32, secret + 48, 0);
      round0_low_add_ = XXH3_mix16B(in, secret, 0);
    }
    return;
  }
  form_ = Form::kLastRound;
  XXH128_hash_t acc;
  acc.low64 = len * XXH_PRIME64_1;
  acc.high64 = 0;
  if (len > 32) {
    if (len > 64) {
      if (len > 96) acc = XXH128_mix32B(acc, in + 48, in + len - 64, secret + 96, 0);
      acc = XXH128_mix32B(acc, in + 32, in + len - 48, secret + 64, 0);
    }
    acc = XXH128_mix32B(acc, in + 16, in + len - 32, secret + 32, 0);
  }
  // Round 0 with second = (tail_, offset):
  //   low  = (acc.low + mix16B(in)) ^ (tail_ + offset)
  //   high = (acc.high + fold64(tail_ ^ s[16..24], offset ^ s[24..32])) ^ high_xor_
  low_ = acc.low64 + XXH3_mix16B(in, secret, 0);
  high_ = acc.high64;
}

template <int kRound>
inline Key CsvRowIdHasher::IdOverlap(uint64_t end_offset) const {
  const uint64_t word_b = word_b_ | (end_offset << shift_);
  uint64_t low = low_ + Fold(word_a_secret_, word_b ^ word_b_secret_);
  uint64_t high = high_;
  if constexpr (kRound == 1) {
    low ^= round1_low_xor_;
    high = (high + round1_high_add_) ^ (word_a_ + word_b);
    low += round0_low_add_;
    low ^= tail_ + end_offset;
    high = (high + Fold(tail_secret_, end_offset ^ secret_word_3_)) ^ high_xor_;
  } else {
    low ^= tail_ + end_offset;
    high = (high + Fold(tail_secret_, end_offset ^ secret_word_3_)) ^ (word_a_ + word_b);
  }
  return Finish(low, high);
}

Key CsvRowIdHasher::IdBuffer(uint64_t end_offset) {
  const size_t len = input_.size();
  std::memcpy(input_.data() + len - 8, &end_offset, 8);  // Little-endian hosts, as KeyHasher.
  const XXH128_hash_t h = XXH3_128bits(input_.data(), len);
  return Key{h.low64, h.high64};
}

Key CsvRowIdHasher::IdSlowly(uint64_t end_offset) {
  if (form_ == Form::kOverlap) {
    return overlap_round_ == 1 ? IdOverlap<1>(end_offset) : IdOverlap<0>(end_offset);
  }
  return IdBuffer(end_offset);
}

void CsvRowIdHasher::Ids(const CsvRecord* records, size_t n, Key* out) {
  switch (form_) {
    case Form::kLastRound:
      for (size_t i = 0; i < n; ++i) out[i] = IdLastRound(records[i].end_offset);
      break;
    case Form::kOverlap:
      if (overlap_round_ == 1) {
        for (size_t i = 0; i < n; ++i) out[i] = IdOverlap<1>(records[i].end_offset);
      } else {
        for (size_t i = 0; i < n; ++i) out[i] = IdOverlap<0>(records[i].end_offset);
      }
      break;
    case Form::kBuffer:
      for (size_t i = 0; i < n; ++i) out[i] = IdBuffer(records[i].end_offset);
      break;
  }
}

Result<std::unique_ptr<CsvSource>> CsvSource::Make(std::string path, Schema schema,
                                                   CsvSourceOptions options) {
  auto source = std::make_unique<CsvSource>(std::move(path), std::move(schema), options);
  RETURN_NOT_OK(source->ValidateArguments());
  std::error_code error;
  const bool is_stdin = options.live && source->path_ == "-";
  if (!is_stdin && !std::filesystem::exists(source->path_, error)) {
    return Status::NotFound("CSV input path '{}' does not exist", source->path_);
  }
  return source;
}

CsvSource::CsvSource(std::string path, Schema schema, CsvSourceOptions options)
    : path_(std::move(path)), schema_(std::move(schema)), options_(options) {
  primary_key_columns_ = PrimaryKeyColumns(schema_);
  for (size_t c = 0; c < schema_.size(); ++c) {
    const TypeKind kind = schema_[c].type.kind;
    if (kind == TypeKind::kString || kind == TypeKind::kAny) string_columns_.push_back(c);
  }
  row_.resize(schema_.size());
  row_errors_.resize(schema_.size());
}

CsvSource::~CsvSource() { CloseFile(); }

Status CsvSource::ValidateArguments() const {
  if (options_.chunk_bytes == 0) return Status::Invalid("CSV reader: chunk_bytes must be > 0");
  if (options_.batch_rows == 0) return Status::Invalid("CSV reader: batch_rows must be > 0");
  if (options_.max_record_bytes == 0) {
    return Status::Invalid("CSV reader: max_record_bytes must be > 0");
  }
  absl::flat_hash_map<std::string_view, size_t> seen;
  for (size_t c = 0; c < schema_.size(); ++c) {
    const ColumnSchema& column = schema_[c];
    if (!seen.emplace(column.name, c).second) {
      return Status::Invalid("CSV reader for '{}': column '{}' appears twice in the schema",
                             path_, column.name);
    }
    if (!IsCsvParsableType(column.type)) {
      return Status::TypeError("CSV reader for '{}': column '{}' has type {}, which cannot be "
                               "parsed from CSV text",
                               path_, column.name, column.type.ToString());
    }
  }
  return Status::OK();
}

Status CsvSource::ListFiles() {
  ASSIGN_OR_RAISE(InputListing listing, ListInputFiles(path_, "CSV input"));
  files_ = std::move(listing.files);
  // What cannot be read is reported by its own name; everything else is read.
  for (const UnreadableInput& unreadable : listing.unreadable) {
    if (options_.error_log != nullptr) {
      options_.error_log->Add(UnreadableInputWarning(unreadable));
    }
  }
  return Status::OK();
}

Status CsvSource::Open() {
  if (opened_) return Status::Invalid("CSV reader for '{}' opened twice", path_);
  RETURN_NOT_OK(ValidateArguments());
  if (options_.live) {
    files_ = {path_};
  } else {
    RETURN_NOT_OK(ListFiles());
  }
  opened_ = true;
  batch_ = Batch(schema_.size());
  rows_ = 0;
  PrepareBatch();
  file_index_ = 0;
  if (options_.live) {
    follower_ = std::make_unique<FileFollower>(path_, options_.follow_end,
                                               options_.follow_target);
    RETURN_NOT_OK(follower_->Open());
    if (!follower_->is_stdin() && options_.follow_end == FollowEnd::kNever &&
        options_.watch_changes) {
      watch_ = std::make_unique<ChangeWatch>();
      watch_->WatchFile(path_);
    }
    StartGeneration();
    RETURN_NOT_OK(ReadHeader());
    live_drained_ = header_pending_ && !header_end_;
    return Status::OK();
  }
  if (!files_.empty()) RETURN_NOT_OK(OpenFile(0));
  return Status::OK();
}

void CsvSource::StartGeneration() {
  CsvTokenizerOptions tokenizer_options;
  tokenizer_options.chunk_bytes = options_.chunk_bytes;
  tokenizer_options.max_record_bytes = options_.max_record_bytes;
  generation_cut_ = false;
  tokenizer_ = std::make_unique<CsvTokenizer>(
      [this](char* dest, size_t size) -> Result<size_t> {
        ASSIGN_OR_RAISE(const size_t n, follower_->Read(dest, size));
        if (n == 0 && follower_->ending() != GenerationEnd::kEnded) {
          // Truncated or replaced: the writer cut this content off. A last line without its
          // terminator was never finished, so it must not close as a row (as it would at
          // the true end of the input): "no data yet" keeps it held, and ReadAvailable
          // reports it and moves to the next generation.
          generation_cut_ = true;
          return kCsvNoDataYet;
        }
        return n;
      },
      tokenizer_options);
  header_pending_ = true;
  header_end_ = false;
}

int CsvSource::wait_fd() const {
  if (watch_ != nullptr) return watch_->fd();
  if (follower_ != nullptr && follower_->is_stdin()) return follower_->fd();
  return -1;
}

Result<LiveRead> CsvSource::ReadAvailable(const BatchConsumer& emit, size_t max_rows) {
  if (!opened_ || !options_.live) {
    return Status::Invalid("CSV reader for '{}' is not open for live reading", path_);
  }
  if (live_ended_) return LiveRead::kEnded;
  // Drain the wake-ups first: a change made while reading below wakes the next wait.
  if (watch_ != nullptr) (void)watch_->Drain();
  stop_after_rows_ = rows_emitted_ + rows_ + std::max<size_t>(max_rows, 1);
  live_drained_ = false;
  for (;;) {
    bool header_cut = false;
    if (header_pending_ && !header_end_) {
      if (Status header = ReadHeader(); !header.ok()) {
        file_rejected_ = true;  // Not this format (or unreadable): the file, not a row.
        return header;
      }
      if (header_pending_ && !header_end_) {
        if (!generation_cut_) {
          live_drained_ = true;
          return LiveRead::kDrained;
        }
        header_cut = true;  // An unfinished header, then truncation or rotation.
      }
    }
    if (!header_end_ && !header_cut) {
      tokenizer_drained_ = false;
      generation_done_ = false;
      RETURN_NOT_OK(ReadFileRows(emit));
      if (tokenizer_drained_ && !generation_cut_) {
        // Everything complete is parsed: emit it now, this is what makes alerts immediate.
        if (rows_ > 0) EmitBatch(emit);
        live_drained_ = true;
        return LiveRead::kDrained;
      }
      if (!tokenizer_drained_ && !generation_done_) return LiveRead::kMore;
    }
    // This generation's content has ended (truncation, rotation, or the end of the input).
    if (rows_ > 0) EmitBatch(emit);
    if (generation_cut_) {
      ReportUnfinishedRecord(follower_->ending() == GenerationEnd::kTruncated
                                 ? UnfinishedLineEnd::kTruncated
                                 : UnfinishedLineEnd::kReplaced);
      generation_cut_ = false;
    }
    if (tokenizer_ != nullptr) bytes_of_finished_files_ += tokenizer_->bytes_read();
    ASSIGN_OR_RAISE(const bool next, follower_->NextGeneration());
    if (!next) {
      live_ended_ = true;
      tokenizer_.reset();
      return LiveRead::kEnded;
    }
    if (options_.on_new_generation) options_.on_new_generation(follower_->generation());
    if (watch_ != nullptr) watch_->WatchFile(path_);
    StartGeneration();
  }
}

void CsvSource::ReportUnfinishedRecord(UnfinishedLineEnd why) {
  if (tokenizer_ == nullptr) return;
  CsvUnfinishedRecord unfinished = tokenizer_->Unfinished(kMaxSyntaxErrorRecordBytes);
  if (unfinished.bytes == 0) return;
  // A warning, whatever the OnBadRow policy: the line is not a row, and a follower goes on.
  DataError warning = UnfinishedLineWarning(files_[file_index_], unfinished.line,
                                            unfinished.text, unfinished.bytes, why);
  if (options_.error_log != nullptr) options_.error_log->Add(std::move(warning));
}

void CsvSource::ReportUnfinished(UnfinishedLineEnd why) {
  if (!opened_ || !options_.live || live_ended_ || tokenizer_ == nullptr) return;
  if (!live_drained_) {
    // Stopped at the row limit: complete rows are still unread, so nothing is "held" yet.
    DataError warning =
        NotReadAtStopWarning(files_[file_index_], tokenizer_->line(), tokenizer_->bytes_read());
    if (options_.error_log != nullptr) options_.error_log->Add(std::move(warning));
    return;
  }
  ReportUnfinishedRecord(why);
}

std::optional<FileIdentity> CsvSource::followed_file() const {
  if (follower_ == nullptr) return std::nullopt;
  return follower_->identity();
}

void CsvSource::CloseFile() {
  tokenizer_.reset();
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Status CsvSource::OpenFile(size_t file_index) {
  CloseFile();
  const std::string& file = files_[file_index];
  fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return Status::IoError("cannot open '{}': {}", file, std::strerror(errno));
  CsvTokenizerOptions tokenizer_options;
  tokenizer_options.chunk_bytes = options_.chunk_bytes;
  tokenizer_options.max_record_bytes = options_.max_record_bytes;
  tokenizer_ = std::make_unique<CsvTokenizer>(MakeFdReadFunction(fd_, file), tokenizer_options);
  RETURN_NOT_OK(ReadHeader());
  if (header_end_) CloseFile();  // An empty file has no header and no rows.
  return Status::OK();
}

Status CsvSource::ReadHeader() {
  const std::string& file = files_[file_index_];
  CsvRecord header;
  header_pending_ = true;
  header_end_ = false;
  for (bool have_header = false; !have_header;) {
    switch (tokenizer_->Next(header)) {
      case CsvTokenizer::Event::kRecord:
        have_header = true;
        break;
      case CsvTokenizer::Event::kWillReuseBuffer:
        break;
      case CsvTokenizer::Event::kSyntaxError:
        // The header is not skipped (a next record taken as the header would misname every
        // column): without it, the file cannot be read.
        return Status::ParseError("{}:{}: cannot read the CSV header: {}; no row of this file "
                                  "can be read without its header",
                                  file, tokenizer_->syntax_error().line,
                                  tokenizer_->syntax_error().problem);
      case CsvTokenizer::Event::kIoError:
        return tokenizer_->io_status();
      case CsvTokenizer::Event::kNoData:
        return Status::OK();  // Live: the header is not complete yet.
      case CsvTokenizer::Event::kEnd:
        header_end_ = true;
        return Status::OK();
    }
  }
  header_pending_ = false;

  absl::flat_hash_map<std::string_view, size_t> header_index;
  std::vector<std::string_view> duplicated;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    if (!header_index.emplace(header.fields[i], i).second) duplicated.push_back(header.fields[i]);
  }
  plan_.assign(schema_.size(), ColumnPlan{});
  std::vector<std::string_view> missing;
  std::vector<std::string_view> ambiguous;
  min_fields_ = 0;
  for (size_t c = 0; c < schema_.size(); ++c) {
    const std::string& name = schema_[c].name;
    auto found = header_index.find(name);
    if (found == header_index.end()) {
      missing.push_back(name);
      continue;
    }
    if (std::find(duplicated.begin(), duplicated.end(), name) != duplicated.end()) {
      ambiguous.push_back(name);
    }
    plan_[c].field_index = found->second;
    plan_[c].out = batch_.columns[c].data();
    switch (schema_[c].type.kind) {
      case TypeKind::kString:
      case TypeKind::kAny:
        plan_[c].op = ColumnPlan::Op::kText;
        break;
      case TypeKind::kInt:
        plan_[c].op = ColumnPlan::Op::kInt;
        break;
      case TypeKind::kDuration:
        plan_[c].op = ColumnPlan::Op::kDuration;
        break;
      case TypeKind::kFloat:
        plan_[c].op = ColumnPlan::Op::kFloat;
        break;
      default:
        plan_[c].op = ColumnPlan::Op::kGeneric;
        break;
    }
    min_fields_ = std::max(min_fields_, found->second + 1);
  }
  FinishDeferredIds();  // Rows of the previous file still need that file's hasher.
  const std::string& id_path = options_.id_path.empty() ? file : options_.id_path;
  if (follower_ != nullptr && follower_->generation() > 0 && options_.salt_ids_per_generation) {
    // Rows at equal offsets of a rotated or truncated file are other rows: other ids.
    row_id_hasher_ = CsvRowIdHasher(fmt::format("{}#{}", id_path, follower_->generation()));
  } else {
    row_id_hasher_ = CsvRowIdHasher(id_path);
  }
  std::vector<std::string_view> header_names(header.fields.begin(), header.fields.end());
  if (!missing.empty()) {
    return Status::NotFound(
        "{}: some schema columns are not in the CSV header: {} (header columns: {})", file,
        QuotedList(missing), QuotedList(header_names));
  }
  if (!ambiguous.empty()) {
    return Status::Invalid("{}: the CSV header names schema columns more than once: {} (header "
                           "columns: {})",
                           file, QuotedList(ambiguous), QuotedList(header_names));
  }
  return Status::OK();
}

std::optional<Time> CsvSource::NextCommitTime() {
  if (!opened_ || commit_done_) return std::nullopt;
  return Time{0};
}

Status CsvSource::ReadCommit(const BatchConsumer& emit) {
  if (!opened_) return Status::Invalid("CSV reader for '{}' read before Open()", path_);
  if (commit_done_) return Status::OK();
  commit_done_ = true;
  while (file_index_ < files_.size()) {
    if (tokenizer_ != nullptr) {
      Status status = ReadFileRows(emit);
      if (!status.ok()) {
        CloseFile();
        return status;
      }
      // Rows of this file may still point into its buffer, which dies with the tokenizer.
      DetachPendingStrings();
    }
    if (tokenizer_ != nullptr) bytes_of_finished_files_ += tokenizer_->bytes_read();
    CloseFile();
    if (++file_index_ < files_.size()) RETURN_NOT_OK(OpenFile(file_index_));
  }
  if (rows_ > 0) EmitBatch(emit);
  if (options_.on_progress) options_.on_progress(bytes_of_finished_files_, rows_emitted_);
  return Status::OK();
}

Status CsvSource::ReadFileRows(const BatchConsumer& emit) {
  // Records come in runs from the tokenizer's fast path; Next() handles everything else.
  constexpr size_t kRun = 64;
  CsvRecord run[kRun];
  CsvRecord record;
  for (;;) {
    const size_t n = tokenizer_->NextRecords(run, kRun);
    // The records of a run exist only until the tokenizer's next call: the whole run is
    // taken before stopping at the row limit (stopping inside it lost its other records).
    for (size_t i = 0; i < n;) {
      const size_t k = std::min(n - i, options_.batch_rows - rows_);
      if (!AppendRun(run + i, k)) {
        // Some row needs the general path: take the run row by row (keeps the order of rows
        // and of reported errors).
        for (size_t j = i; j < i + k; ++j) RETURN_NOT_OK(ProcessRecord(run[j]));
      }
      i += k;
      if (rows_ == options_.batch_rows) EmitBatch(emit);
    }
    if (rows_emitted_ >= stop_after_rows_) return Status::OK();
    if (n == kRun) continue;
    switch (tokenizer_->Next(record)) {
      case CsvTokenizer::Event::kRecord:
        RETURN_NOT_OK(ProcessRecord(record));
        if (rows_ == options_.batch_rows) {
          EmitBatch(emit);
          if (rows_emitted_ >= stop_after_rows_) return Status::OK();
        }
        break;
      case CsvTokenizer::Event::kWillReuseBuffer:
        DetachPendingStrings();
        break;
      case CsvTokenizer::Event::kSyntaxError: {
        DataError error;
        error.file = files_[file_index_];
        error.line = tokenizer_->syntax_error().line;
        error.message = tokenizer_->syntax_error().message;
        error.expected = "a well-formed CSV record";
        error.record = tokenizer_->syntax_error().record;
        RETURN_NOT_OK(Report(std::move(error)));
        break;
      }
      case CsvTokenizer::Event::kIoError:
        file_rejected_ = true;
        return tokenizer_->io_status();
      case CsvTokenizer::Event::kNoData:
        tokenizer_drained_ = true;
        return Status::OK();
      case CsvTokenizer::Event::kEnd:
        generation_done_ = true;
        return Status::OK();
    }
  }
}

namespace {
/// The record as one CSV line (fields quoted only when they need it), for dead-letter files.
std::string EncodeRecord(std::span<const std::string_view> fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendCsvField(out, fields[i]);
  }
  return out;
}
}  // namespace

Status CsvSource::ProcessRecord(const CsvRecord& record) {
  if (TryAppendRow(record)) return Status::OK();
  return ProcessRecordSlow(record);
}

bool CsvSource::AppendRun(const CsvRecord* records, size_t n) {
  // Column by column: one dispatch per column and run, then a tight loop over the records.
  for (size_t r = 0; r < n; ++r) {
    if (records[r].fields.size() < min_fields_) return false;
  }
  const size_t row0 = rows_;
  const size_t columns = plan_.size();
  const ColumnPlan* plans = plan_.data();
  for (size_t c = 0; c < columns; ++c) {
    const size_t index = plans[c].field_index;
    Value* const out = plans[c].out + row0;
    switch (plans[c].op) {
      case ColumnPlan::Op::kText:
        for (size_t r = 0; r < n; ++r) {
          const std::string_view text = records[r].fields[index];
          // str and Any keep the text; an all-ASCII record needs no UTF-8 check.
          if (!records[r].ascii && !IsValidUtf8(text)) return false;
          out[r] = Value::String(text);
        }
        break;
      case ColumnPlan::Op::kInt:
        for (size_t r = 0; r < n; ++r) {
          int64_t i;
          if (ParseInt64Padded(records[r].fields[index], i) != nullptr) return false;
          out[r] = Value::Int(i);
        }
        break;
      case ColumnPlan::Op::kDuration:
        for (size_t r = 0; r < n; ++r) {
          int64_t ns;
          if (ParseInt64Padded(records[r].fields[index], ns) != nullptr) return false;
          out[r] = Value::Duration(ns);
        }
        break;
      case ColumnPlan::Op::kFloat:
        for (size_t r = 0; r < n; ++r) {
          double f;
          if (ParseFloat64(records[r].fields[index], f) != nullptr) return false;
          out[r] = Value::Float(f);
        }
        break;
      case ColumnPlan::Op::kGeneric:
        for (size_t r = 0; r < n; ++r) {
          const FieldParseResult parsed = ParseCsvField(records[r].fields[index], schema_[c]);
          if (!parsed.ok()) return false;
          out[r] = parsed.value;
        }
        break;
    }
  }
  // Every row parsed (slots written by a failed run are overwritten later: rows_ is unmoved).
  Key* const ids = ids_out_ + row0;
  if (DeferIds()) {
    for (size_t r = 0; r < n; ++r) end_offsets_[row0 + r] = records[r].end_offset;
  } else if (primary_key_columns_.empty()) {
    row_id_hasher_.Ids(records, n, ids);
  } else {
    for (size_t r = 0; r < n; ++r) ids[r] = RowId(records[r], row0 + r);
  }
  rows_ = row0 + n;
  return true;
}

bool CsvSource::TryAppendRow(const CsvRecord& record) {
  const std::string_view* fields = record.fields.data();
  if (record.fields.size() < min_fields_) return false;
  const size_t row = rows_;
  const size_t columns = plan_.size();
  for (size_t c = 0; c < columns; ++c) {
    const ColumnPlan& plan = plan_[c];
    const std::string_view text = fields[plan.field_index];
    Value* out = plan.out + row;
    switch (plan.op) {
      case ColumnPlan::Op::kText:
        // str and Any keep the text; an all-ASCII record needs no UTF-8 check.
        if (!record.ascii && !IsValidUtf8(text)) return false;
        *out = Value::String(text);
        break;
      case ColumnPlan::Op::kInt: {
        // A valid integer is never a null spelling nor empty (the default's case), so
        // optional and default handling is left to the slow path.
        int64_t i;
        if (ParseInt64Padded(text, i) != nullptr) return false;
        *out = Value::Int(i);
        break;
      }
      case ColumnPlan::Op::kDuration: {
        int64_t ns;
        if (ParseInt64Padded(text, ns) != nullptr) return false;
        *out = Value::Duration(ns);
        break;
      }
      case ColumnPlan::Op::kFloat: {
        double f;
        if (ParseFloat64(text, f) != nullptr) return false;
        *out = Value::Float(f);
        break;
      }
      case ColumnPlan::Op::kGeneric: {
        const FieldParseResult parsed = ParseCsvField(text, schema_[c]);
        if (!parsed.ok()) return false;
        *out = parsed.value;
        break;
      }
    }
  }
  // Slots of a failed row are simply overwritten later (rows_ did not move).
  SetRowId(record, row);
  rows_ = row + 1;
  return true;
}

void CsvSource::SetRowId(const CsvRecord& record, size_t row) {
  if (DeferIds()) {
    end_offsets_[row] = record.end_offset;
  } else {
    ids_out_[row] = RowId(record, row);
  }
}

void CsvSource::FinishDeferredIds() {
  if (!DeferIds()) return;
  for (size_t r = ids_done_; r < rows_; ++r) batch_.ids[r] = row_id_hasher_.Id(end_offsets_[r]);
  ids_done_ = rows_;
}

Key CsvSource::RowId(const CsvRecord& record, size_t row) {
  if (primary_key_columns_.empty()) return row_id_hasher_.Id(record.end_offset);
  return PrimaryKeyRowId(hasher_, primary_key_columns_,
                         [&](size_t c) -> const Value& { return plan_[c].out[row]; });
}

void CsvSource::PrepareBatch() {
  // Full batches (the usual case) are emitted at size batch_rows, so growing back costs
  // nothing; diffs are +1 everywhere.
  const size_t rows = options_.batch_rows;
  for (size_t c = 0; c < batch_.columns.size(); ++c) {
    batch_.columns[c].resize(rows);
    if (c < plan_.size()) plan_[c].out = batch_.columns[c].data();
  }
  batch_.ids.resize(rows);
  batch_.diffs.resize(rows, Diff{1});
  ids_out_ = batch_.ids.data();
  if (DeferIds()) end_offsets_.resize(rows);
  ids_done_ = 0;
}

Status CsvSource::ProcessRecordSlow(const CsvRecord& record) {
  const auto& fields = record.fields;
  const std::string& file = files_[file_index_];
  if (fields.size() < min_fields_) {
    DataError error;
    error.file = file;
    error.line = record.line;
    error.expected = fmt::format("{} fields", min_fields_);
    error.value = fmt::format("{} fields", fields.size());
    error.message = fmt::format(
        "too small number of csv tokens in the line: {} (the schema needs at least {} fields)",
        fields.size(), min_fields_);
    error.record = EncodeRecord(fields);
    return Report(std::move(error));
  }

  bool any_error = false;
  for (size_t c = 0; c < schema_.size(); ++c) {
    FieldParseResult parsed = ParseCsvField(fields[plan_[c].field_index], schema_[c]);
    row_[c] = parsed.value;
    row_errors_[c] = parsed.error;
    any_error |= !parsed.ok();
  }

  if (any_error) {
    auto field_error = [&](size_t c, bool in_key, bool skipped) {
      const std::string_view text = fields[plan_[c].field_index];
      DataError error;
      error.file = file;
      error.line = record.line;
      error.column = plan_[c].field_index + 1;
      error.field = schema_[c].name;
      error.value = std::string(text.substr(0, kMaxValueBytesInErrors));
      error.expected = row_errors_[c] == kInvalidUtf8Reason ? std::string("valid UTF-8")
                                                            : PathwayTypeName(schema_[c].type);
      error.message = FormatFieldParseError(text, schema_[c].name, schema_[c].type,
                                            row_errors_[c]);
      if (in_key) error.message = "error in primary key, skipping the row: " + error.message;
      error.row_skipped = skipped;
      error.record = EncodeRecord(fields);
      return error;
    };
    // A bad key field drops the row under every policy: it has no id (Pathway does the same).
    for (size_t c : primary_key_columns_) {
      if (row_errors_[c] != nullptr) return Report(field_error(c, true, true));
    }
    if (options_.on_bad_row != OnBadRow::kKeepError) {
      for (size_t c = 0; c < schema_.size(); ++c) {
        if (row_errors_[c] != nullptr) return Report(field_error(c, false, true));
      }
    }
    for (size_t c = 0; c < schema_.size(); ++c) {
      if (row_errors_[c] == nullptr) continue;
      row_[c] = Value::Error();
      RETURN_NOT_OK(Report(field_error(c, false, false)));
    }
  }

  const size_t row = rows_;
  for (size_t c = 0; c < schema_.size(); ++c) plan_[c].out[row] = row_[c];
  SetRowId(record, row);
  rows_ = row + 1;
  return Status::OK();
}

void CsvSource::DetachPendingStrings() {
  if (tokenizer_ == nullptr) return;
  for (size_t c : string_columns_) {
    for (size_t row = 0; row < rows_; ++row) {
      Value& value = batch_.columns[c][row];
      if (value.kind() != ValueKind::kString) continue;
      const std::string_view text = value.as_string();
      if (tokenizer_->BufferContains(text.data())) value = batch_.arena.CopyString(text);
    }
  }
}

Status CsvSource::Report(DataError error) {
  ++error_count_;
  std::string failure;
  if (options_.on_bad_row == OnBadRow::kFail) failure = FormatDataError(error);
  if (options_.error_log != nullptr) options_.error_log->Add(std::move(error));
  if (options_.on_bad_row == OnBadRow::kFail) return Status::ParseError("{}", failure);
  return Status::OK();
}

bool CsvSource::AcceptFilter(const BoundExpr& predicate) {
  pushed_filter_ = std::make_unique<ExprEvaluator>(predicate);
  return true;
}

void CsvSource::EmitFiltered(const BatchConsumer& emit) {
  // Evaluate the pushed predicate over the full-size batch (sized to rows_ for the call) and
  // copy the rows it keeps — True or Error, since the real filter reports errors — into a
  // second reused batch. batch_ keeps its size, so refilling it costs no re-initialization.
  for (auto& column : batch_.columns) column.resize(rows_);
  batch_.ids.resize(rows_);
  batch_.diffs.resize(rows_);
  filter_arena_.Reset();
  const std::vector<Value>& keep = pushed_filter_->Evaluate(batch_, filter_arena_);
  pushed_filter_->errors().clear();  // The downstream filter evaluates again and reports.
  if (filtered_.num_columns() != batch_.num_columns()) filtered_ = Batch(batch_.num_columns());
  filtered_.Clear();
  const bool defer = DeferIds();
  for (size_t r = 0; r < rows_; ++r) {
    const Value& k = keep[r];
    if (k.is_none() || (k.kind() == ValueKind::kBool && !k.as_bool())) continue;
    for (size_t c = 0; c < batch_.columns.size(); ++c) {
      filtered_.columns[c].push_back(batch_.columns[c][r]);
    }
    // Ids only for the rows that stay: hashing is the costliest per-row step left.
    filtered_.ids.push_back(defer && r >= ids_done_ ? row_id_hasher_.Id(end_offsets_[r])
                                                     : batch_.ids[r]);
    filtered_.diffs.push_back(batch_.diffs[r]);
  }
  emit(filtered_);
}

void CsvSource::EmitBatch(const BatchConsumer& emit) {
  rows_emitted_ += rows_;
  if (pushed_filter_ != nullptr) {
    EmitFiltered(emit);
  } else {
    for (auto& column : batch_.columns) column.resize(rows_);
    batch_.ids.resize(rows_);
    batch_.diffs.resize(rows_);
    emit(batch_);
  }
  batch_.arena.Reset();
  rows_ = 0;
  PrepareBatch();
  if (options_.on_progress) {
    const uint64_t current = tokenizer_ != nullptr ? tokenizer_->bytes_read() : 0;
    options_.on_progress(bytes_of_finished_files_ + current, rows_emitted_);
  }
}

}  // namespace vigil
