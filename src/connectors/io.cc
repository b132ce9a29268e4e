#include "connectors/io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <filesystem>

#include "connectors/authlog/auth_events_schema.h"
#include "connectors/csv/csv_source.h"
#include "connectors/lines/json_row_parser.h"
#include "connectors/lines/line_source.h"
#include "connectors/lines/plaintext_row_parser.h"
#include "connectors/live/live_directory_source.h"
#include "connectors/live/live_line_source.h"
#include "connectors/output/csv_writer.h"
#include "connectors/output/jsonl_writer.h"

namespace vigil::io {

namespace {

/// Owns an output file and a writer (CsvUpdateWriter or JsonLinesUpdateWriter) over it.
template <typename Writer>
class FileWriterSink final : public UpdateSink {
 public:
  FileWriterSink(std::FILE* file, std::vector<std::string> columns)
      : UpdateSink("file writer"), file_(file), writer_(file, std::move(columns)) {}
  ~FileWriterSink() override { writer_.Flush(); }

 protected:
  void Consume(std::vector<Update>& updates, Time /*time*/) override {
    for (const auto& u : updates) writer_.WriteUpdate(u);
  }
  void OnTimeEnd(Time /*time*/) override { writer_.Flush(); }

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const {
      if (f != stdout) std::fclose(f);
    }
  };
  // Declared before the writer, so the writer is destroyed (and done) before the file closes.
  std::unique_ptr<std::FILE, FileCloser> file_;
  Writer writer_;
};

template <typename Writer>
void RegisterFileWriter(const Table& table, const std::string& path) {
  RegisterOutput(table, [path, columns = table.column_names()]()
                            -> Result<std::unique_ptr<UpdateSink>> {
    std::FILE* file = path == "-" ? stdout : std::fopen(path.c_str(), "w");
    if (file == nullptr) {
      return Status::IoError("cannot open {} for writing: {}", path, std::strerror(errno));
    }
    return std::unique_ptr<UpdateSink>(std::make_unique<FileWriterSink<Writer>>(file, columns));
  });
}

}  // namespace

namespace csv {
Table read(const std::string& path, const Schema& schema, Mode mode,
           const ReadOptions& read_options) {
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kSource;
  node->operation = "io::csv::read";
  node->schema = schema;
  node->source_factory = [path, schema, mode, read_options](
                             const SourceContext& context) -> Result<std::unique_ptr<Source>> {
    CsvSourceOptions options;
    options.on_progress = read_options.on_progress;
    options.on_bad_row = context.on_bad_row;
    options.error_log = context.errors;
    if (mode == Mode::kStreaming) {
      options.live = true;
      options.follow_end = read_options.stop_at_end ? FollowEnd::kAtEof : FollowEnd::kNever;
      std::error_code error;
      if (path != "-" && std::filesystem::is_directory(path, error)) {
        LiveDirectoryOptions directory_options;
        directory_options.follow_end = options.follow_end;
        directory_options.retract_changed_files = read_options.retract_changed_files;
        directory_options.error_log = context.errors;
        // A file is its inode: the directory tells renames from new files.
        options.follow_target = FollowTarget::kDescriptor;
        // Retracted files are re-read with Pathway's ids (path, offset); kept ones salt
        // the ids of a rewritten file's new content instead.
        options.salt_ids_per_generation = !read_options.retract_changed_files;
        options.watch_changes = false;  // The directory's watch covers its files.
        auto make_child = [schema, options](const std::string& file, const std::string& id_path,
                                            std::function<void(uint64_t)> on_new_generation)
            -> Result<std::unique_ptr<Source>> {
          CsvSourceOptions child_options = options;
          child_options.id_path = id_path;
          child_options.on_new_generation = std::move(on_new_generation);
          ASSIGN_OR_RAISE(auto child, CsvSource::Make(file, schema, child_options));
          return std::unique_ptr<Source>(std::move(child));
        };
        return std::unique_ptr<Source>(std::make_unique<LiveDirectorySource>(
            path, schema, std::move(make_child), directory_options));
      }
    }
    ASSIGN_OR_RAISE(auto source, CsvSource::Make(path, schema, options));
    return std::unique_ptr<Source>(std::move(source));
  };
  return Table(std::move(node));
}

void write(const Table& table, const std::string& path) {
  RegisterFileWriter<CsvUpdateWriter>(table, path);
}
}  // namespace csv

namespace {
/// The options of a line reader: the run's error policy and log, the reader's knobs.
LineSourceOptions LineOptions(const ReadOptions& read_options, Mode mode,
                              const SourceContext& context) {
  LineSourceOptions options;
  options.on_progress = read_options.on_progress;
  options.on_bad_row = context.on_bad_row;
  options.error_log = context.errors;
  if (mode == Mode::kStatic) options.rows_per_commit = read_options.rows_per_commit;
  return options;
}

/// Makes a line reader of `path` ("" for one fed through StartFile/Consume).
using LineSourceMaker =
    std::function<Result<std::unique_ptr<LineSource>>(const std::string& path,
                                                      LineSourceOptions options)>;

/// The source node of a line-based reader (jsonlines, plaintext): `make` builds the
/// LineSource when the run starts, with the run's error policy and log. Streaming wraps it in
/// a LiveLineSource (a file or `-`) or a LiveDirectorySource of them.
Table LineReaderTable(const std::string& operation, const std::string& path, Mode mode,
                      Schema schema, LineSourceMaker make,
                      const ReadOptions& read_options) {
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kSource;
  node->operation = operation;
  node->schema = schema;
  node->source_factory = [operation, path, mode, schema, make = std::move(make), read_options](
                             const SourceContext& context) -> Result<std::unique_ptr<Source>> {
    LineSourceOptions options = LineOptions(read_options, mode, context);
    if (mode == Mode::kStatic) {
      ASSIGN_OR_RAISE(auto source, make(path, std::move(options)));
      return std::unique_ptr<Source>(std::move(source));
    }
    const bool retract_changed_files = read_options.retract_changed_files;
    LiveLineOptions live;
    live.follow_end = read_options.stop_at_end ? FollowEnd::kAtEof : FollowEnd::kNever;
    std::error_code error;
    if (path != "-" && std::filesystem::is_directory(path, error)) {
      LiveDirectoryOptions directory_options;
      directory_options.follow_end = live.follow_end;
      directory_options.retract_changed_files = retract_changed_files;
      directory_options.error_log = context.errors;
      live.salt_ids_per_generation = !retract_changed_files;
      live.follow_target = FollowTarget::kDescriptor;  // The directory tells renames apart.
      live.watch_changes = false;  // The directory's watch covers its files.
      auto make_child = [make, options, live](const std::string& file, const std::string& id_path,
                                              std::function<void(uint64_t)> on_new_generation)
          -> Result<std::unique_ptr<Source>> {
        ASSIGN_OR_RAISE(auto lines, make("", options));
        LiveLineOptions child = live;
        child.id_path = id_path;
        child.on_new_generation = std::move(on_new_generation);
        return std::unique_ptr<Source>(
            std::make_unique<LiveLineSource>(file, std::move(lines), std::move(child)));
      };
      return std::unique_ptr<Source>(std::make_unique<LiveDirectorySource>(
          path, schema, std::move(make_child), directory_options));
    }
    if (path != "-" && !std::filesystem::exists(path, error)) {
      return Status::NotFound("{}: input path '{}' does not exist", operation,
                              path);
    }
    ASSIGN_OR_RAISE(auto lines, make("", std::move(options)));
    return std::unique_ptr<Source>(
        std::make_unique<LiveLineSource>(path, std::move(lines), std::move(live)));
  };
  return Table(std::move(node));
}
}  // namespace

namespace jsonlines {
Table read(const std::string& path, const Schema& schema, Mode mode,
           const ReadOptions& read_options) {
  const Status valid = CheckJsonLinesSchema(schema, "io::jsonlines::read");
  if (!valid.ok()) return Table(ErrorNode(valid));
  return LineReaderTable(
      "io::jsonlines::read", path, mode, schema,
      [schema](const std::string& file, LineSourceOptions options) {
        return LineSource::MakeJsonLines(file, schema, std::move(options));
      },
      read_options);
}

void write(const Table& table, const std::string& path) {
  RegisterFileWriter<JsonLinesUpdateWriter>(table, path);
}
}  // namespace jsonlines

namespace plaintext {
Table read(const std::string& path, Mode mode, const ReadOptions& read_options) {
  return LineReaderTable(
      "io::plaintext::read", path, mode, PlaintextSchema(),
      [](const std::string& file, LineSourceOptions options) {
        return LineSource::MakePlaintext(file, std::move(options));
      },
      read_options);
}
}  // namespace plaintext

namespace authlog {
Table read(const std::vector<std::string>& paths, Mode mode, const ReadOptions& read_options) {
  const std::string operation = "io::authlog::read";
  if (paths.empty()) {
    return Table(ErrorNode(Status::Invalid("{}: no input given", operation)));
  }
  const AuthLogOptions auth = read_options.auth;
  auto make = [auth](const std::string& file, LineSourceOptions options) {
    return LineSource::Make(file, AuthEventsSchema(),
                            std::make_unique<AuthLogRowParser>(auth), std::move(options));
  };
  if (mode == Mode::kStreaming) {
    if (paths.size() != 1) {
      return Table(ErrorNode(
          Status::Invalid("{}: a live read follows one file, directory or `-`", operation)));
    }
    return LineReaderTable(operation, paths[0], mode, AuthEventsSchema(), make, read_options);
  }
  // Static: every file in the order given, through one parser, so that a connection whose
  // lines straddle a rotation is still one connection.
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kSource;
  node->operation = operation;
  node->schema = AuthEventsSchema();
  node->source_factory = [paths, make, file_options = static_cast<io::ReadOptions>(read_options),
                          operation](
                             const SourceContext& context) -> Result<std::unique_ptr<Source>> {
    LineSourceOptions options = LineOptions(file_options, Mode::kStatic, context);
    for (const std::string& path : paths) {
      std::error_code error;
      if (!std::filesystem::is_regular_file(path, error)) {
        return Status::NotFound("{}: input file '{}' does not exist or is not a file", operation,
                                path);
      }
    }
    ASSIGN_OR_RAISE(auto source, make("", std::move(options)));
    source->SetFiles(paths);
    return std::unique_ptr<Source>(std::move(source));
  };
  return Table(std::move(node));
}
}  // namespace authlog

void subscribe(
    const Table& table,
    std::function<void(const Key& key, std::span<const Value> row, Time time, bool is_addition)>
        on_change,
    std::function<void(Time time)> on_time_end, std::function<void()> on_end) {
  SubscribeCallbacks callbacks{std::move(on_change), std::move(on_time_end), std::move(on_end)};
  RegisterOutput(table, [callbacks]() -> Result<std::unique_ptr<UpdateSink>> {
    return std::unique_ptr<UpdateSink>(std::make_unique<SubscribeSink>(callbacks));
  });
}

}  // namespace vigil::io
