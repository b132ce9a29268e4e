#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/api/error_log.h"
#include "connectors/api/unfinished_line.h"
#include "connectors/api/source.h"
#include "connectors/lines/line_batch_builder.h"
#include "connectors/lines/line_row_parser.h"
#include "connectors/lines/line_splitter.h"
#include "vigil/common/status.h"
#include "vigil/types/schema.h"

namespace vigil {

/// Knobs of a line-based reader.
struct LineSourceOptions {
  /// What happens to rows that do not parse (Pathway: kSkip is terminate_on_error=True,
  /// kKeepError is terminate_on_error=False).
  OnBadRow on_bad_row = OnBadRow::kSkip;
  /// Where row-level problems go; not owned, may be null (they are then only counted).
  ErrorLog* error_log = nullptr;
  /// Bytes per read(2) in static mode, and the largest piece Consume() buffers at once.
  size_t chunk_bytes = size_t{1} << 20;
  /// Longest line read; longer ones are reported and skipped without being buffered whole.
  size_t max_line_bytes = LineSplitter::kDefaultMaxLineBytes;
  /// Rows per emitted batch (at most).
  size_t batch_rows = 4096;
  /// Called after every emitted batch with the bytes consumed so far (all files) and the
  /// rows emitted so far.
  std::function<void(uint64_t bytes, uint64_t rows)> on_progress;
  /// Static mode: 0 reads the whole input as one commit (Pathway's static semantics); N > 0
  /// closes a commit once about N rows were emitted (at the end of a read chunk), at times
  /// 0, 2, 4, ...: a big input then flows through the pipeline in bounded pieces, so the
  /// operators' transient memory stays bounded and temporal behaviors can close windows
  /// while the input is read. The rows, their ids and order are the same either way.
  size_t rows_per_commit = 0;
};

/// Reads line-based files (JSON Lines, plaintext) as Pathway's `fs.read` does: each file is
/// split into lines (LineSplitter), a format-specific LineRowParser turns runs of lines into
/// rows, and LineBatchBuilder gives them Pathway's ids ((path, line end offset), or the
/// primary key) and applies the OnBadRow policy. Memory stays bounded whatever the input:
/// about chunk_bytes + max_line_bytes for the lines, plus one batch of rows.
///
/// Static mode (this class as a Source): `path` is a file or a directory read recursively in
/// path order (or, with SetFiles, a list of files); everything is one commit at time 0
/// (or, with rows_per_commit, commits of about that many rows), emitted in batches of at
/// most batch_rows. A gzip file (found by its magic bytes) is read
/// decompressed.
///
/// A streaming driver uses the same parsing through the file-level calls, in any chunking,
/// and gets exactly the rows (values, ids, errors) the static read gives:
///
///     StartFile(path);                 // a new file (or generation): lines restart at 1
///     Consume(bytes, emit) ...         // bytes as they arrive; complete lines are parsed
///     FinishFile(emit);                // true end of the file: its last unterminated line
///     Flush(emit);                     // emits the rows still pending (a commit boundary)
///
/// Consume and FinishFile emit full batches as they fill; the rest stays pending until
/// Flush (or until later lines fill the batch), across StartFile calls too. One owner thread.
class LineSource final : public Source {
 public:
  /// A JSON Lines reader of `path` (see MakeJsonLinesRowParser for the value rules).
  static Result<std::unique_ptr<LineSource>> MakeJsonLines(std::string path, Schema schema,
                                                           LineSourceOptions options = {});
  /// A plaintext reader of `path`: one row per line, column `data: str`.
  static Result<std::unique_ptr<LineSource>> MakePlaintext(std::string path,
                                                           LineSourceOptions options = {});
  /// A reader with any row parser (`schema` is what it produces). `path` may be empty for a
  /// source used only through StartFile/Consume; else it must exist.
  static Result<std::unique_ptr<LineSource>> Make(std::string path, Schema schema,
                                                  std::unique_ptr<LineRowParser> parser,
                                                  LineSourceOptions options = {});

  LineSource(std::string path, Schema schema, std::unique_ptr<LineRowParser> parser,
             LineSourceOptions options);
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;
  ~LineSource() override;

  // Source (static mode).
  const Schema& schema() const override { return schema_; }
  /// Lists the files (a missing path fails here).
  Status Open() override;
  /// Static reads of these files, in this order, as one input, instead of listing `path`
  /// (call before Open). A row parser's state (e.g. a connection's held lines) carries
  /// from one file to the next, as for a log and its rotated predecessors.
  void SetFiles(std::vector<std::string> files);
  std::optional<Time> NextCommitTime() override;
  /// Reads every file and emits all rows as one commit (or the next rows_per_commit rows).
  Status ReadCommit(const BatchConsumer& emit) override;
  bool insert_only() const override { return true; }  // Lines read once, each a row.

  // File-level calls (static mode uses them too; a streaming driver calls them itself).
  /// Starts reading `path`: errors name it, row ids hash it, lines and offsets restart. An
  /// unfinished line of the previous file is dropped (FinishFile first to parse it).
  void StartFile(std::string path);
  /// StartFile, with row ids hashing `id_path` instead of the path (e.g. a live driver salts
  /// the ids of a rotated file's new content: `path#1`); errors still name `path`.
  void StartFile(std::string path, std::string id_path);
  /// Takes the next bytes of the current file and parses every line they complete. The bytes
  /// are copied: the caller may reuse its buffer at once. Calling it after FinishFile without
  /// a StartFile in between is a programming error.
  Status Consume(std::string_view bytes, const BatchConsumer& emit);
  /// The current file has ended: parses its last line if it has no terminator.
  Status FinishFile(const BatchConsumer& emit);
  /// Emits the rows parsed but not yet emitted.
  void Flush(const BatchConsumer& emit);
  /// The whole input has ended (static: after the last file; live: the input ended or the
  /// run stops): the row parser commits what it held back for lines still to come. Call
  /// FinishFile or ReportUnfinishedLine for the current file first, then Flush.
  Status FinishInput(const BatchConsumer& emit);
  /// Instead of FinishFile, when the current file's content was cut off (truncated, replaced,
  /// deleted) or the run stops: its unfinished last line, if any, is not a row; it is
  /// reported as a warning (file, line, the bytes held) and dropped.
  void ReportUnfinishedLine(UnfinishedLineEnd why);
  /// A live run stopped before this file was read to the end of what was available.
  void ReportNotReadAtStop();

  /// Data errors seen so far (also those not kept because no ErrorLog was given).
  uint64_t error_count() const { return builder_.error_count(); }
  /// The files Open() found, in reading order.
  const std::vector<std::string>& files() const { return files_; }
  /// Bytes consumed so far, all files.
  uint64_t bytes_consumed() const;
  /// The line buffer's size (tests check that memory stays bounded).
  size_t buffer_capacity() const { return splitter_.capacity(); }

 private:
  /// Lines handed to the row parser per call (fewer when the batch is nearly full).
  static constexpr size_t kLinesPerRun = 256;

  Status ValidateOptions() const;
  /// Before the splitter may move its buffer: pending rows stop pointing into it.
  void DetachPendingStrings();
  /// Makes room for `size` bytes, detaching pending strings first if the buffer moves.
  void PrepareAppend(size_t size);
  /// Parses every complete line the splitter holds.
  Status ParseAvailableLines(const BatchConsumer& emit);
  /// Parses run_[0, count) and emits the batch if it is full.
  Status ParseRun(size_t& count, const BatchConsumer& emit);
  void EmitBatch(const BatchConsumer& emit);
  /// Static mode: reads the next chunk of the input (opening the next file when the current
  /// one ended) into the line buffer and parses the lines it completes; at the end of the
  /// last file, finishes the input. Returns false once the whole input was read.
  Result<bool> ReadNextChunk(const BatchConsumer& emit);

  /// The file a static read is in: a plain file read with read(2), or a gzip file inflated.
  class StaticFile;

  std::string path_;
  Schema schema_;
  std::unique_ptr<LineRowParser> parser_;
  LineSourceOptions options_;
  LineSplitter splitter_;
  LineBatchBuilder builder_;
  std::array<Line, kLinesPerRun> run_;
  /// The consumer of the call in progress, for rows a parser adds beyond one per line
  /// (LineBatchBuilder::MakeRoom emits the full batch to it).
  const BatchConsumer* current_emit_ = nullptr;

  std::vector<std::string> files_;
  bool files_given_ = false;
  bool opened_ = false;
  bool input_done_ = false;  ///< Static mode: every file read, the input finished.
  size_t next_file_ = 0;     ///< Static mode: the next of files_ to open.
  std::unique_ptr<StaticFile> static_file_;  ///< Static mode: the file being read, if any.
  Time next_commit_time_ = Time{0};
  uint64_t bytes_of_finished_files_ = 0;
};

}  // namespace vigil
