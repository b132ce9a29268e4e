#include "connectors/lines/json_row_parser.h"

#include <absl/container/flat_hash_map.h>
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connectors/csv/value_parser.h"
#include "connectors/lines/json_display.h"
#include "connectors/lines/json_number.h"
#include "connectors/lines/line_text.h"
#include "connectors/output/value_text.h"

namespace vigil {

namespace {

namespace od = simdjson::ondemand;

static_assert(simdjson::SIMDJSON_PADDING <= LineSplitter::kReadablePadding,
              "lines are parsed in place: the splitter must keep simdjson's padding readable");

/// serde_json's recursion limit: a container nested 128 levels deep (the line's object being
/// level 1) makes the whole line invalid.
constexpr int kMaxDepth = 128;
/// Lines longer than this leave the parser's buffers oversized; it is rebuilt after them.
constexpr size_t kParserCapacityKept = size_t{16} << 20;
/// Up to this many columns, keys are matched by a linear scan (cheaper than hashing).
constexpr size_t kLinearLookupColumns = 8;
constexpr size_t kNoColumn = std::numeric_limits<size_t>::max();

bool IsJsonWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// JSON text of a value for an error message, appended only while under the length a message
/// keeps (see kPayloadBytesKept); a null target disables it (validation only).
class PayloadText {
 public:
  explicit PayloadText(std::string* out) : out_(out) {}
  void Char(char c) {
    if (active()) out_->push_back(c);
  }
  void Raw(std::string_view text) {
    if (active()) out_->append(text);
  }
  void String(std::string_view text) {
    if (active()) AppendJsonString(*out_, text);
  }
  void Number(const JsonNumber& number) {
    if (active()) AppendJsonNumber(*out_, number);
  }

 private:
  bool active() const { return out_ != nullptr && out_->size() <= kPayloadBytesKept; }
  std::string* out_;
};

/// Whether `text` holds a backslash (short texts: a plain loop beats a memchr call).
bool HasBackslash(std::string_view text) {
  for (char c : text) {
    if (c == '\\') return true;
  }
  return false;
}

/// A key of an object: a view into the line when it has no escapes, else unescaped into the
/// parser's buffer (valid while the document is). False if the key is not valid JSON.
bool ReadKey(od::field& field, const char* text_end, std::string_view& key) {
  const char* const start = field.key().raw();  // Just past the opening quote.
  // The first `"` or `\` ends a plain key (stage 1 found the closing quote within the line).
  const char* p = start;
  while (p < text_end && *p != '"' && *p != '\\') ++p;
  if (p == text_end) return false;
  if (*p == '"') {
    key = std::string_view(start, static_cast<size_t>(p - start));
    return true;
  }
  return field.unescaped_key().get(key) == simdjson::SUCCESS;
}

// On-Demand checks what it visits, and its skipping of an unvisited string value is not safe
// on malformed lines: a skipped string followed by `:` is taken for a key, and
// `{"s":"f":-0 x, ]}` then iterates as a clean one-field object. So string values are always
// consumed (below), as are containers, booleans and nulls; numbers are validated here
// (ReadJsonNumber) and left to the iterator, whose skipping of them is safe: simdjson's own
// number parsing differs from serde_json's (it rejects `0e999999999999`, which serde reads as 0).

/// The text of a string value (consumed): a view into the line when it has no escapes
/// (`escaped` false), else unescaped into the parser's buffer. False if it is not a valid
/// JSON string.
bool ReadString(od::value& value, std::string_view& text, bool& escaped) {
  std::string_view token = value.raw_json_token();  // Peeks: `"..."` plus any whitespace.
  while (!token.empty() && IsJsonWhitespace(token.back())) token.remove_suffix(1);
  if (token.size() < 2 || token.front() != '"' || token.back() != '"') return false;
  const std::string_view content = token.substr(1, token.size() - 2);
  escaped = HasBackslash(content);
  if (escaped) return value.get_string().get(text) == simdjson::SUCCESS;
  // Stage 1 already checked UTF-8 and unescaped control characters for the whole line.
  od::raw_json_string raw;
  if (value.get_raw_json_string().get(raw) != simdjson::SUCCESS) return false;
  text = content;
  return true;
}

/// A number value, read from its token as serde_json reads it; kInvalid if it is not JSON.
JsonNumber ReadNumber(od::value& value) { return ReadJsonNumber(value.raw_json_token()); }

bool WalkValue(od::value& value, const char* text_end, int depth, PayloadText out);

/// Validates (and writes) the fields of an object at nesting level `depth`.
bool WalkObject(od::object& object, const char* text_end, int depth, PayloadText out) {
  out.Char('{');
  bool first = true;
  for (auto field_result : object) {
    od::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) return false;
    std::string_view key;
    if (!ReadKey(field, text_end, key)) return false;
    if (!first) out.Char(',');
    first = false;
    out.String(key);
    out.Char(':');
    if (!WalkValue(field.value(), text_end, depth, out)) return false;
  }
  out.Char('}');
  return true;
}

bool WalkArray(od::array& array, const char* text_end, int depth, PayloadText out) {
  out.Char('[');
  bool first = true;
  for (auto element_result : array) {
    od::value element;
    if (std::move(element_result).get(element) != simdjson::SUCCESS) return false;
    if (!first) out.Char(',');
    first = false;
    if (!WalkValue(element, text_end, depth, out)) return false;
  }
  out.Char(']');
  return true;
}

/// Visits every part of a value held by a container at nesting level `depth`, so that the
/// line is accepted only if it is valid JSON throughout (On-Demand checks what it visits),
/// and writes it for messages as serde_json would.
bool WalkValue(od::value& value, const char* text_end, int depth, PayloadText out) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return false;
  switch (type) {
    case od::json_type::object: {
      if (depth + 1 >= kMaxDepth) return false;
      od::object object;
      if (value.get_object().get(object) != simdjson::SUCCESS) return false;
      return WalkObject(object, text_end, depth + 1, out);
    }
    case od::json_type::array: {
      if (depth + 1 >= kMaxDepth) return false;
      od::array array;
      if (value.get_array().get(array) != simdjson::SUCCESS) return false;
      return WalkArray(array, text_end, depth + 1, out);
    }
    case od::json_type::number: {
      const JsonNumber number = ReadNumber(value);
      if (number.kind == JsonNumber::Kind::kInvalid) return false;
      out.Number(number);
      return true;
    }
    case od::json_type::string: {
      std::string_view text;
      bool escaped = false;
      if (!ReadString(value, text, escaped)) return false;
      out.String(text);
      return true;
    }
    case od::json_type::boolean: {
      bool b = false;
      if (value.get_bool().get(b) != simdjson::SUCCESS) return false;
      out.Raw(b ? "true" : "false");
      return true;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) return false;
      out.Raw("null");
      return true;
    }
  }
  return false;
}

/// Whether the iteration of `document` reached its end (nothing follows the root value).
bool AtEnd(od::document& document) {
  return document.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

class JsonLinesRowParser final : public LineRowParser {
 public:
  JsonLinesRowParser(Schema schema, size_t max_line_bytes);

  Status ParseLines(std::span<const Line> lines, LineBatchBuilder& out) override {
    for (const Line& line : lines) RETURN_NOT_OK(ParseLine(line, out));
    return Status::OK();
  }

 private:
  /// How one schema column is read.
  struct Column {
    std::string_view name;
    TypeKind kind = TypeKind::kAny;
    bool nullable = false;                 ///< Optional or Any: JSON null is None.
    const Value* default_value = nullptr;  ///< For a missing key; points into schema_.
    std::string type_name;                 ///< Pathway's spelling, for messages.
  };
  enum class ColumnState : uint8_t { kMissing, kStored, kWrongType };
  enum class Document : uint8_t { kObject, kNotObject, kNotJson };
  enum class Read : uint8_t { kStored, kWrongType, kNotJson };

  Status ParseLine(const Line& line, LineBatchBuilder& out);
  /// Reads the object's fields into `out` (and state_/payloads_).
  Document ReadDocument(std::string_view text, LineBatchBuilder& out);
  /// Reads one value into column `c`; on kWrongType `payload` holds its JSON text.
  Read ReadColumn(od::value& value, size_t c, const char* text_end, LineBatchBuilder& out,
                  std::string& payload);
  /// Whether a document whose root is not an object is still valid JSON.
  bool RootIsValid(od::document& document, od::json_type type, std::string_view text);
  /// The whole line as serde_json writes it (for the missing-key message).
  std::string DocumentText(std::string_view text);
  size_t FindColumn(std::string_view key) const;
  Status RejectDocument(const Line& line, std::string_view text, Document kind,
                        LineBatchBuilder& out);
  void ReleaseOversizedParser();

  Schema schema_;
  std::vector<Column> columns_;
  absl::flat_hash_map<std::string_view, size_t> index_;  ///< Name -> column (wide schemas).
  size_t max_line_bytes_;
  od::parser parser_;
  std::vector<ColumnState> state_;
  std::vector<std::string> payloads_;
  std::vector<FieldError> errors_;
};

JsonLinesRowParser::JsonLinesRowParser(Schema schema, size_t max_line_bytes)
    : schema_(std::move(schema)),
      max_line_bytes_(std::min<size_t>(max_line_bytes, simdjson::SIMDJSON_MAXSIZE_BYTES)),
      parser_(max_line_bytes_) {
  columns_.resize(schema_.size());
  for (size_t c = 0; c < schema_.size(); ++c) {
    const ColumnSchema& column = schema_[c];
    Column& plan = columns_[c];
    plan.name = column.name;
    plan.kind = column.type.kind;
    plan.nullable = column.type.optional || column.type.kind == TypeKind::kAny;
    if (column.default_value.has_value()) plan.default_value = &column.default_value->get();
    plan.type_name = PathwayTypeName(column.type);
    index_.emplace(plan.name, c);
  }
  state_.resize(schema_.size());
  payloads_.resize(schema_.size());
}

size_t JsonLinesRowParser::FindColumn(std::string_view key) const {
  if (columns_.size() <= kLinearLookupColumns) {
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (columns_[c].name == key) return c;
    }
    return kNoColumn;
  }
  const auto found = index_.find(key);
  return found == index_.end() ? kNoColumn : found->second;
}

JsonLinesRowParser::Read JsonLinesRowParser::ReadColumn(od::value& value, size_t c,
                                                        const char* text_end, LineBatchBuilder& out,
                                                        std::string& payload) {
  const Column& column = columns_[c];
  PayloadText text(&payload);
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return Read::kNotJson;
  switch (type) {
    case od::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) return Read::kNotJson;
      if (column.nullable) {
        out.Set(c, Value::None());
        return Read::kStored;
      }
      text.Raw("null");
      return Read::kWrongType;
    }
    case od::json_type::boolean: {
      bool b = false;
      if (value.get_bool().get(b) != simdjson::SUCCESS) return Read::kNotJson;
      if (column.kind == TypeKind::kBool || column.kind == TypeKind::kAny) {
        out.Set(c, Value::Bool(b));
        return Read::kStored;
      }
      text.Raw(b ? "true" : "false");
      return Read::kWrongType;
    }
    case od::json_type::number: {
      const JsonNumber number = ReadNumber(value);
      const bool is_i64 = number.kind == JsonNumber::Kind::kSigned;
      switch (number.kind) {
        case JsonNumber::Kind::kInvalid:
          return Read::kNotJson;
        default:
          break;
      }
      switch (column.kind) {
        case TypeKind::kInt:
          if (!is_i64) break;
          out.Set(c, Value::Int(number.signed_value));
          return Read::kStored;
        case TypeKind::kDuration:
          if (!is_i64) break;
          out.Set(c, Value::Duration(number.signed_value));
          return Read::kStored;
        case TypeKind::kFloat:
          out.Set(c, Value::Float(number.AsDouble()));
          return Read::kStored;
        case TypeKind::kAny:
          out.Set(c, is_i64 ? Value::Int(number.signed_value) : Value::Float(number.AsDouble()));
          return Read::kStored;
        default:
          break;
      }
      text.Number(number);
      return Read::kWrongType;
    }
    case od::json_type::string: {
      std::string_view content;
      bool escaped = false;
      if (!ReadString(value, content, escaped)) return Read::kNotJson;
      switch (column.kind) {
        case TypeKind::kString:
        case TypeKind::kAny:
          // Unescaped text lives in the parser until the next line: copy it; plain text
          // stays a view into the line.
          out.Set(c, escaped ? out.arena().CopyString(content) : Value::String(content));
          return Read::kStored;
        case TypeKind::kDateTimeNaive:
        case TypeKind::kDateTimeUtc: {
          const FieldParseResult parsed = ParseTypedText(content, DType(column.kind));
          if (!parsed.ok()) break;
          out.Set(c, parsed.value);
          return Read::kStored;
        }
        default:
          break;
      }
      text.String(content);
      return Read::kWrongType;
    }
    case od::json_type::array:
    case od::json_type::object:
      // No column type takes a JSON array or object yet.
      if (!WalkValue(value, text_end, 1, text)) return Read::kNotJson;
      return Read::kWrongType;
  }
  return Read::kNotJson;
}

JsonLinesRowParser::Document JsonLinesRowParser::ReadDocument(std::string_view text,
                                                              LineBatchBuilder& out) {
  // serde_json rejects a byte order mark; simdjson might skip it.
  if (text.size() >= 3 && std::memcmp(text.data(), "\xEF\xBB\xBF", 3) == 0) {
    return Document::kNotJson;
  }
  od::document document;
  if (parser_.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING)
          .get(document) != simdjson::SUCCESS) {
    return Document::kNotJson;
  }
  od::json_type type;
  if (document.type().get(type) != simdjson::SUCCESS) return Document::kNotJson;
  if (type != od::json_type::object) {
    return RootIsValid(document, type, text) ? Document::kNotObject : Document::kNotJson;
  }
  od::object object;
  if (document.get_object().get(object) != simdjson::SUCCESS) return Document::kNotJson;
  std::fill(state_.begin(), state_.end(), ColumnState::kMissing);
  const char* const text_end = text.data() + text.size();
  for (auto field_result : object) {
    od::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) return Document::kNotJson;
    std::string_view key;
    if (!ReadKey(field, text_end, key)) return Document::kNotJson;
    const size_t c = FindColumn(key);
    if (c == kNoColumn) {
      if (!WalkValue(field.value(), text_end, 1, PayloadText(nullptr))) return Document::kNotJson;
      continue;
    }
    // A repeated key overrides what an earlier one gave (serde_json's map keeps the last).
    payloads_[c].clear();
    switch (ReadColumn(field.value(), c, text_end, out, payloads_[c])) {
      case Read::kStored:
        state_[c] = ColumnState::kStored;
        break;
      case Read::kWrongType:
        state_[c] = ColumnState::kWrongType;
        break;
      case Read::kNotJson:
        return Document::kNotJson;
    }
  }
  if (!AtEnd(document)) return Document::kNotJson;
  return Document::kObject;
}

bool JsonLinesRowParser::RootIsValid(od::document& document, od::json_type type,
                                     std::string_view text) {
  switch (type) {
    case od::json_type::array: {
      od::array array;
      if (document.get_array().get(array) != simdjson::SUCCESS) return false;
      return WalkArray(array, text.data() + text.size(), 1, PayloadText(nullptr)) &&
             AtEnd(document);
    }
    case od::json_type::number:
      return ReadJsonNumber(text).kind != JsonNumber::Kind::kInvalid;
    case od::json_type::string: {
      std::string_view content;
      return document.get_string().get(content) == simdjson::SUCCESS && AtEnd(document);
    }
    case od::json_type::boolean:
      return text == "true" || text == "false";
    case od::json_type::null:
      return text == "null";
    case od::json_type::object:
      return true;
  }
  return false;
}

std::string JsonLinesRowParser::DocumentText(std::string_view text) {
  std::string out;
  od::document document;
  od::object object;
  if (parser_.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING)
              .get(document) == simdjson::SUCCESS &&
      document.get_object().get(object) == simdjson::SUCCESS) {
    WalkObject(object, text.data() + text.size(), 1, PayloadText(&out));
  }
  return out;
}

Status JsonLinesRowParser::RejectDocument(const Line& line, std::string_view text, Document kind,
                                          LineBatchBuilder& out) {
  std::string message = kind == Document::kNotObject ? "received message is not a json object: "
                                                     : "received message is not json: ";
  message += RustDebugString(text);
  return out.RejectLine(line, std::move(message), "a JSON object", text);
}

void JsonLinesRowParser::ReleaseOversizedParser() {
  if (parser_.capacity() > kParserCapacityKept) parser_ = od::parser(max_line_bytes_);
}

Status JsonLinesRowParser::ParseLine(const Line& line, LineBatchBuilder& out) {
  const PreparedLine prepared = PrepareLine(line.text, line.terminated);
  if (!prepared.valid) {
    return out.RejectLine(line, NotUtf8Message(prepared.problem), "valid UTF-8", line.text);
  }
  const std::string_view text = prepared.text;
  // Pathway reads nothing from a blank line, and `*COMMIT*` only closes a commit.
  if (text.empty() || text == kCommitLine) return Status::OK();

  const Document document = ReadDocument(text, out);
  if (document != Document::kObject) {
    Status status = RejectDocument(line, text, document, out);
    ReleaseOversizedParser();
    return status;
  }
  bool any_missing = false;
  bool any_error = false;
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (state_[c] == ColumnState::kMissing) {
      if (columns_[c].default_value != nullptr) {
        out.Set(c, *columns_[c].default_value);
        state_[c] = ColumnState::kStored;
      } else {
        any_missing = true;
      }
    }
    any_error |= state_[c] != ColumnState::kStored;
  }
  if (!any_error) {
    out.CommitRow(line);
    ReleaseOversizedParser();
    return Status::OK();
  }

  // The error path: Pathway's messages, in schema order.
  const std::string document_text = any_missing ? LimitLength(DocumentText(text)) : "";
  errors_.clear();
  for (size_t c = 0; c < columns_.size(); ++c) {
    const Column& column = columns_[c];
    if (state_[c] == ColumnState::kWrongType) {
      FieldError error;
      error.column = c;
      error.value = LimitLength(payloads_[c]);
      error.expected = column.type_name;
      error.message = "failed to create a field " +
                      RustDebugString(column.name, column.name.size() + 1) + " with type " +
                      column.type_name + " from json payload: " + error.value;
      errors_.push_back(std::move(error));
    } else if (state_[c] == ColumnState::kMissing) {
      FieldError error;
      error.column = c;
      error.message = "field " + std::string(column.name) +
                      " with no JsonPointer path specified is absent in " + document_text;
      errors_.push_back(std::move(error));
    }
  }
  ReleaseOversizedParser();
  return out.CommitRowWithErrors(line, errors_);
}

}  // namespace

Status CheckJsonLinesSchema(const Schema& schema, const std::string& what) {
  absl::flat_hash_map<std::string_view, size_t> seen;
  for (size_t c = 0; c < schema.size(); ++c) {
    const ColumnSchema& column = schema[c];
    if (!seen.emplace(column.name, c).second) {
      return Status::Invalid("{}: column '{}' appears twice in the schema", what, column.name);
    }
    if (column.type.kind == TypeKind::kPointer || column.type.kind == TypeKind::kTuple) {
      return Status::TypeError("{}: column '{}' has type {}, which cannot be read from JSON yet",
                               what, column.name, column.type.ToString());
    }
  }
  return Status::OK();
}

Result<std::unique_ptr<LineRowParser>> MakeJsonLinesRowParser(const Schema& schema,
                                                              size_t max_line_bytes) {
  RETURN_NOT_OK(CheckJsonLinesSchema(schema, "JSON Lines reader"));
  return std::unique_ptr<LineRowParser>(
      std::make_unique<JsonLinesRowParser>(schema, max_line_bytes));
}

}  // namespace vigil
