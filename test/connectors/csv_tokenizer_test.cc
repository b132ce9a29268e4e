#include "connectors/csv/csv_tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
namespace {

/// Everything a tokenizer run produced, in order, for comparisons.
struct Tokenized {
  struct Item {
    bool is_error = false;
    std::vector<std::string> fields;
    uint64_t line = 0;
    uint64_t end_offset = 0;
    std::string message;

    bool operator==(const Item&) const = default;
  };
  std::vector<Item> items;
  int reuse_announcements = 0;
  size_t ascii_records = 0;  ///< Records NextRecords() marked all-ASCII.

  std::vector<std::vector<std::string>> Records() const {
    std::vector<std::vector<std::string>> out;
    for (const Item& item : items) {
      if (!item.is_error) out.push_back(item.fields);
    }
    return out;
  }
  std::vector<uint64_t> Lines() const {
    std::vector<uint64_t> out;
    for (const Item& item : items) out.push_back(item.line);
    return out;
  }
  std::vector<uint64_t> EndOffsets() const {
    std::vector<uint64_t> out;
    for (const Item& item : items) {
      if (!item.is_error) out.push_back(item.end_offset);
    }
    return out;
  }
};

/// Feeds `input` in reads of at most `read_limit` bytes. Checks, as a consumer holding views
/// would, that views of earlier records still hold their text until kWillReuseBuffer.
/// With `run` > 0, records are taken with NextRecords(run) first, and Next() only when that
/// returns fewer than `run` (as CsvSource reads); the events must be the same.
/// With `live`, the input behaves like a file being written: every other read says "no data
/// yet" (kCsvNoDataYet) and the tokenizer must return kNoData, then go on exactly as before.
Tokenized Tokenize(std::string_view input, CsvTokenizerOptions options = {},
                   size_t read_limit = SIZE_MAX, size_t run = 0, bool live = false) {
  size_t position = 0;
  bool no_data_next = live;
  size_t no_data_events = 0;
  size_t no_data_reads = 0;
  CsvTokenizer tokenizer(
      [&](char* dest, size_t size) -> Result<size_t> {
        if (no_data_next) {
          no_data_next = false;
          ++no_data_reads;
          return kCsvNoDataYet;
        }
        no_data_next = live;
        const size_t n = std::min({size, read_limit, input.size() - position});
        std::memcpy(dest, input.data() + position, n);
        position += n;
        return n;
      },
      options);
  Tokenized out;
  std::vector<std::pair<std::string_view, std::string>> held;  // View and its expected text.
  CsvRecord record;
  std::vector<CsvRecord> records(run);
  for (;;) {
    if (run > 0) {
      const size_t n = tokenizer.NextRecords(records.data(), run);
      for (const auto& [view, text] : held) EXPECT_EQ(view, text);
      for (size_t i = 0; i < n; ++i) {
        Tokenized::Item item;
        for (std::string_view field : records[i].fields) {
          item.fields.emplace_back(field);
          held.emplace_back(field, std::string(field));
        }
        item.line = records[i].line;
        item.end_offset = records[i].end_offset;
        bool ascii = true;
        for (std::string_view field : records[i].fields) {
          for (char c : field) ascii &= static_cast<unsigned char>(c) < 0x80;
        }
        // `ascii` may only be set when true (false means "not checked").
        if (records[i].ascii) {
          EXPECT_TRUE(ascii);
          ++out.ascii_records;
        }
        out.items.push_back(std::move(item));
      }
      if (n == run) continue;
    }
    const CsvTokenizer::Event event = tokenizer.Next(record);
    for (const auto& [view, text] : held) EXPECT_EQ(view, text);
    if (event == CsvTokenizer::Event::kNoData) {
      EXPECT_TRUE(live);
      ++no_data_events;
      continue;
    }
    if (event == CsvTokenizer::Event::kEnd) {
      // A "no data yet" read surfaces as kNoData (except while deciding on a BOM, when the
      // bytes already there are processed first).
      EXPECT_LE(no_data_events, no_data_reads);
      if (live && !input.empty()) {
        EXPECT_GT(no_data_events, 0u);
      }
      break;
    }
    if (event == CsvTokenizer::Event::kIoError) {
      ADD_FAILURE() << tokenizer.io_status().ToString();
      break;
    }
    if (event == CsvTokenizer::Event::kWillReuseBuffer) {
      ++out.reuse_announcements;
      held.clear();
      continue;
    }
    Tokenized::Item item;
    if (event == CsvTokenizer::Event::kSyntaxError) {
      item.is_error = true;
      item.line = tokenizer.syntax_error().line;
      item.message = tokenizer.syntax_error().message;
    } else {
      for (std::string_view field : record.fields) {
        item.fields.emplace_back(field);
        held.emplace_back(field, std::string(field));
      }
      item.line = record.line;
      item.end_offset = record.end_offset;
    }
    out.items.push_back(std::move(item));
  }
  return out;
}

using Records = std::vector<std::vector<std::string>>;

/// A byte-at-a-time model of the Rust csv crate's reader (the semantics Pathway has), with
/// unterminated quotes at the end reported as errors. Independent of the tokenizer's code.
Tokenized ReferenceTokenize(std::string_view in) {
  Tokenized out;
  size_t i = 0;
  uint64_t line = 1;
  const size_t n = in.size();
  // A line ends at `\n`, `\r\n` or a lone `\r` (the record terminators).
  auto ends_line = [&](size_t at) {
    return in[at] == '\r' || (in[at] == '\n' && (at == 0 || in[at - 1] != '\r'));
  };
  if (n >= 3 && in.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  for (;;) {
    while (i < n && (in[i] == '\r' || in[i] == '\n')) {
      if (ends_line(i)) ++line;
      ++i;
    }
    if (i == n) break;
    Tokenized::Item item;
    item.line = line;
    bool record_done = false;
    while (!record_done) {
      std::string field;
      if (i < n && in[i] == '"') {
        ++i;
        bool closed = false;
        while (i < n) {
          const char c = in[i];
          if (c == '"') {
            if (i + 1 < n && in[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (ends_line(i)) ++line;
          field += c;
          ++i;
        }
        if (!closed) {
          Tokenized::Item error;
          error.is_error = true;
          error.line = item.line;
          out.items.push_back(error);
          return out;
        }
      }
      while (i < n && in[i] != ',' && in[i] != '\r' && in[i] != '\n') field += in[i++];
      item.fields.push_back(field);
      if (i == n) {
        item.end_offset = n;
        record_done = true;
      } else if (in[i] == ',') {
        ++i;
      } else {
        if (ends_line(i)) ++line;
        ++i;
        item.end_offset = i;
        record_done = true;
      }
    }
    out.items.push_back(item);
  }
  return out;
}

/// Errors compare by position only (the reference has no messages).
void ExpectSameEvents(const Tokenized& actual, const Tokenized& expected, std::string_view input,
                      size_t chunk) {
  ASSERT_EQ(actual.items.size(), expected.items.size())
      << "chunk " << chunk << " input: " << testing::PrintToString(std::string(input));
  for (size_t k = 0; k < actual.items.size(); ++k) {
    Tokenized::Item a = actual.items[k];
    if (a.is_error) a.message.clear();
    EXPECT_EQ(a, expected.items[k])
        << "item " << k << " chunk " << chunk
        << " input: " << testing::PrintToString(std::string(input));
  }
}

/// A way of reading: the classifier of the fast path, and NextRecords() runs (0: Next() only).
struct Mode {
  CsvSimd simd;
  size_t run;
};
const Mode kAllModes[] = {{CsvSimd::kBest, 0},   {CsvSimd::kBest, 1},  {CsvSimd::kBest, 3},
                          {CsvSimd::kBest, 64},  {CsvSimd::kSse2, 0},  {CsvSimd::kSse2, 64},
                          {CsvSimd::kScalar, 0}, {CsvSimd::kScalar, 5}, {CsvSimd::kOff, 0},
                          {CsvSimd::kOff, 64}};

/// Checks that every mode and chunk size gives the reference model's events for `input`.
void ExpectMatchesReference(const std::string& input, std::initializer_list<size_t> chunks,
                            CsvTokenizerOptions base = {}) {
  const Tokenized expected = ReferenceTokenize(input);
  for (size_t chunk : chunks) {
    for (const Mode& mode : kAllModes) {
      CsvTokenizerOptions options = base;
      options.chunk_bytes = chunk;
      options.simd = mode.simd;
      SCOPED_TRACE(testing::Message() << "simd " << static_cast<int>(mode.simd) << " run "
                                      << mode.run);
      ExpectSameEvents(Tokenize(input, options, SIZE_MAX, mode.run), expected, input, chunk);
    }
  }
}

TEST(CsvTokenizerTest, SplitsSimpleRecords) {
  const Tokenized t = Tokenize("a,b\n1,2\n");
  EXPECT_EQ(t.Records(), (Records{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(t.Lines(), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(t.EndOffsets(), (std::vector<uint64_t>{4, 8}));
}

TEST(CsvTokenizerTest, HandlesQuotedNewlines) {
  const Tokenized t = Tokenize("a,\"x\ny\",c\n1,2,3\n");
  EXPECT_EQ(t.Records(), (Records{{"a", "x\ny", "c"}, {"1", "2", "3"}}));
  EXPECT_EQ(t.Lines(), (std::vector<uint64_t>{1, 3}));
}

TEST(CsvTokenizerTest, HandlesEmbeddedCommasAndDoubledQuotes) {
  const Tokenized t = Tokenize("\"a,b\",\"say \"\"hi\"\"\",\"\"\"\"\n");
  EXPECT_EQ(t.Records(), (Records{{"a,b", "say \"hi\"", "\""}}));
}

TEST(CsvTokenizerTest, HandlesCrlf) {
  const Tokenized t = Tokenize("a,b\r\n1,2\r\n3,4\r\n");
  EXPECT_EQ(t.Records(), (Records{{"a", "b"}, {"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(t.Lines(), (std::vector<uint64_t>{1, 2, 3}));
  // The csv crate ends a CRLF record after the `\r`; its `\n` belongs to the next record.
  EXPECT_EQ(t.EndOffsets(), (std::vector<uint64_t>{4, 9, 14}));
}

TEST(CsvTokenizerTest, HandlesLoneCarriageReturnAsTerminator) {
  EXPECT_EQ(Tokenize("a\rb\n").Records(), (Records{{"a"}, {"b"}}));
}

// Issue 8, defect 15a: with `\r` line ends every record was said to be on line 1.
TEST(CsvTokenizerTest, CountsLinesOfCrLfAndCrlfFiles) {
  for (const std::string end : {"\n", "\r", "\r\n"}) {
    const std::string input = "a,b" + end + "1,2" + end + end + "\"x" + end + "y\",4" + end +
                              "5,6" + end;
    for (const size_t read_limit : {size_t{1}, size_t{2}, size_t{3}, size_t{64}, SIZE_MAX}) {
      for (const size_t run : {size_t{0}, size_t{64}}) {
        for (const bool live : {false, true}) {
          const Tokenized t = Tokenize(input, {}, read_limit, run, live);
          EXPECT_EQ(t.Lines(), (std::vector<uint64_t>{1, 2, 4, 6}))
              << "line end " << (end == "\n" ? "LF" : end == "\r" ? "CR" : "CRLF")
              << ", reads of " << read_limit << ", run " << run << ", live " << live;
        }
      }
    }
    ExpectMatchesReference(input, {1, 2, 3, 64, 1 << 20});
  }
}

// Issue 8, defect 15b: the dead-letter record of an unterminated quote was empty.
TEST(CsvTokenizerTest, UnterminatedQuoteKeepsTheRecordText) {
  CsvTokenizerOptions options;
  options.chunk_bytes = 4;
  for (const std::string& input : {std::string("a\nx,\"never\nclosed"),
                                   std::string("a\nx,\"do\"\"ubled\",\"nev\"\"er")}) {
    std::string remaining = input;
    CsvTokenizer tokenizer(
        [&](char* dest, size_t size) -> Result<size_t> {
          const size_t n = std::min(size, remaining.size());
          std::memcpy(dest, remaining.data(), n);
          remaining.erase(0, n);
          return n;
        },
        options);
    CsvRecord record;
    CsvTokenizer::Event event;
    while ((event = tokenizer.Next(record)) != CsvTokenizer::Event::kSyntaxError &&
           event != CsvTokenizer::Event::kEnd) {
    }
    ASSERT_EQ(event, CsvTokenizer::Event::kSyntaxError) << input;
    EXPECT_EQ(tokenizer.syntax_error().line, 2u);
    // The raw text when it is intact; re-encoded (same CSV meaning) once quotes were unescaped.
    EXPECT_EQ(tokenizer.syntax_error().record,
              input[5] == 'n' ? std::string("x,\"never\nclosed")
                              : std::string("\"x\",\"do\"\"ubled\",\"nev\"\"er"))
        << input;
  }
}

// Live input: the record held at kNoData is what Unfinished() gives (a reader reports it when
// the file is cut off).
TEST(CsvTokenizerTest, UnfinishedGivesTheHeldRecord) {
  std::string pending = "a,b\n1,2\n3,\"x";
  CsvTokenizer tokenizer([&](char* dest, size_t size) -> Result<size_t> {
    if (pending.empty()) return kCsvNoDataYet;
    const size_t n = std::min(size, pending.size());
    std::memcpy(dest, pending.data(), n);
    pending.erase(0, n);
    return n;
  });
  CsvRecord record;
  int records = 0;
  CsvTokenizer::Event event;
  while ((event = tokenizer.Next(record)) != CsvTokenizer::Event::kNoData) {
    records += event == CsvTokenizer::Event::kRecord;
  }
  EXPECT_EQ(records, 2);
  const CsvUnfinishedRecord unfinished = tokenizer.Unfinished(100);
  EXPECT_EQ(unfinished.line, 3u);
  EXPECT_EQ(unfinished.bytes, 4u);
  EXPECT_EQ(unfinished.text, "3,\"x");
  EXPECT_EQ(tokenizer.Unfinished(2).text, "3,");
}

TEST(CsvTokenizerTest, SkipsBlankLines) {
  const Tokenized t = Tokenize("a\n\n\r\n\nb\n\n");
  EXPECT_EQ(t.Records(), (Records{{"a"}, {"b"}}));
  EXPECT_EQ(t.Lines(), (std::vector<uint64_t>{1, 5}));
  EXPECT_EQ(t.EndOffsets(), (std::vector<uint64_t>{2, 8}));
}

TEST(CsvTokenizerTest, SkipsBom) {
  for (size_t chunk : {1, 2, 3, 4, 1 << 20}) {
    CsvTokenizerOptions options;
    options.chunk_bytes = chunk;
    const Tokenized t = Tokenize("\xEF\xBB\xBF" "a,b\n1,2", options);
    EXPECT_EQ(t.Records(), (Records{{"a", "b"}, {"1", "2"}})) << chunk;
    // Offsets are file offsets: they count the BOM.
    EXPECT_EQ(t.EndOffsets(), (std::vector<uint64_t>{7, 10})) << chunk;
  }
}

TEST(CsvTokenizerTest, KeepsBomThatIsNotAtFileStart) {
  EXPECT_EQ(Tokenize("a\n\xEF\xBB\xBF" "b\n").Records(),
            (Records{{"a"}, {"\xEF\xBB\xBF" "b"}}));
}

TEST(CsvTokenizerTest, BomOnlyFileHasNoRecords) {
  EXPECT_TRUE(Tokenize("\xEF\xBB\xBF").items.empty());
}

TEST(CsvTokenizerTest, NoFinalNewline) {
  const Tokenized t = Tokenize("a,b\n1,2");
  EXPECT_EQ(t.Records(), (Records{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(t.EndOffsets(), (std::vector<uint64_t>{4, 7}));
  EXPECT_EQ(Tokenize("a,\"b\"").Records(), (Records{{"a", "b"}}));
}

TEST(CsvTokenizerTest, EmptyFile) {
  EXPECT_TRUE(Tokenize("").items.empty());
  EXPECT_TRUE(Tokenize("\n\r\n\n").items.empty());
}

TEST(CsvTokenizerTest, HandlesEmptyFields) {
  EXPECT_EQ(Tokenize("a,\n").Records(), (Records{{"a", ""}}));
  EXPECT_EQ(Tokenize("a,").Records(), (Records{{"a", ""}}));
  EXPECT_EQ(Tokenize(",,\n").Records(), (Records{{"", "", ""}}));
  EXPECT_EQ(Tokenize("\"\"\n").Records(), (Records{{""}}));
}

TEST(CsvTokenizerTest, QuoteInsideUnquotedFieldIsLiteral) {
  EXPECT_EQ(Tokenize("a\"b,c\"\n").Records(), (Records{{"a\"b", "c\""}}));
}

TEST(CsvTokenizerTest, TextAfterClosingQuoteIsAppended) {
  EXPECT_EQ(Tokenize("\"ab\"c,d\n").Records(), (Records{{"abc", "d"}}));
  EXPECT_EQ(Tokenize("\"a\"\"b\"c\"d,e").Records(), (Records{{"a\"bc\"d", "e"}}));
}

TEST(CsvTokenizerTest, NulBytesAreOrdinaryBytes) {
  const std::string input("a\0b,\"c\0\"\n\0\n", 11);
  EXPECT_EQ(Tokenize(input).Records(),
            (Records{{std::string("a\0b", 3), std::string("c\0", 2)}, {std::string(1, '\0')}}));
}

TEST(CsvTokenizerTest, UnterminatedQuoteReported) {
  const Tokenized t = Tokenize("a,b\n1,2\n3,\"open\n4,5\n");
  ASSERT_EQ(t.items.size(), 3u);
  EXPECT_EQ(t.Records(), (Records{{"a", "b"}, {"1", "2"}}));
  EXPECT_TRUE(t.items[2].is_error);
  EXPECT_EQ(t.items[2].line, 3u);
  EXPECT_NE(t.items[2].message.find("unterminated quoted field"), std::string::npos);
}

TEST(CsvTokenizerTest, OverlongRecordReportedAndSkipped) {
  // Detected while reading (the record spans many chunks): never buffered whole.
  const std::string input = "a,b\n" + std::string(1000, 'x') + ",y\n1,2\n";
  CsvTokenizerOptions options;
  options.chunk_bytes = 8;
  options.max_record_bytes = 32;
  const Tokenized t = Tokenize(input, options);
  ASSERT_EQ(t.items.size(), 3u);
  EXPECT_EQ(t.items[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(t.items[1].is_error);
  EXPECT_EQ(t.items[1].line, 2u);
  EXPECT_NE(t.items[1].message.find("longer than 32 bytes"), std::string::npos);
  EXPECT_EQ(t.items[2].fields, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(t.items[2].line, 3u);
  EXPECT_EQ(t.items[2].end_offset, input.size());
}

TEST(CsvTokenizerTest, OverlongQuotedRecordSkipsToNewlineOutsideQuotes) {
  std::string input = "h\n\"";
  for (int i = 0; i < 100; ++i) input += "line\n";
  input += "\",z\nok\n";
  CsvTokenizerOptions options;
  options.chunk_bytes = 16;
  options.max_record_bytes = 64;
  const Tokenized t = Tokenize(input, options);
  ASSERT_EQ(t.items.size(), 3u);
  EXPECT_TRUE(t.items[1].is_error);
  EXPECT_EQ(t.items[1].line, 2u);
  EXPECT_EQ(t.items[2].fields, (std::vector<std::string>{"ok"}));
  EXPECT_EQ(t.items[2].line, 103u);
}

TEST(CsvTokenizerTest, OverlongRecordInsideOneChunkReported) {
  CsvTokenizerOptions options;
  options.max_record_bytes = 8;
  const Tokenized t = Tokenize("abcdefghijk\nx\n", options);
  ASSERT_EQ(t.items.size(), 2u);
  EXPECT_TRUE(t.items[0].is_error);
  EXPECT_EQ(t.items[1].fields, (std::vector<std::string>{"x"}));
}

TEST(CsvTokenizerTest, TooManyFieldsReportedAndSkipped) {
  CsvTokenizerOptions options;
  options.max_fields = 3;
  const Tokenized t = Tokenize("a,b,c,d,e\n1,2,3\n", options);
  ASSERT_EQ(t.items.size(), 2u);
  EXPECT_TRUE(t.items[0].is_error);
  EXPECT_NE(t.items[0].message.find("more than 3 fields"), std::string::npos);
  EXPECT_EQ(t.items[1].fields, (std::vector<std::string>{"1", "2", "3"}));
}

TEST(CsvTokenizerTest, AnnouncesBufferReuseBeforeViewsDie) {
  std::string input;
  for (int i = 0; i < 200; ++i) input += "row" + std::to_string(i) + ",\"q\"\"" + "\"\n";
  CsvTokenizerOptions options;
  options.chunk_bytes = 64;
  const Tokenized t = Tokenize(input, options);  // Tokenize checks the held views.
  EXPECT_EQ(t.Records().size(), 200u);
  EXPECT_EQ(t.Records()[199], (std::vector<std::string>{"row199", "q\""}));
  EXPECT_GT(t.reuse_announcements, 0);
}

TEST(CsvTokenizerTest, ReportsIoError) {
  CsvTokenizer tokenizer([](char*, size_t) -> Result<size_t> {
    return Status::IoError("disk on fire");
  });
  CsvRecord record;
  EXPECT_EQ(tokenizer.Next(record), CsvTokenizer::Event::kIoError);
  EXPECT_EQ(tokenizer.io_status().message(), "disk on fire");
  EXPECT_EQ(tokenizer.Next(record), CsvTokenizer::Event::kIoError);
}

TEST(CsvTokenizerTest, MatchesReferenceOnFixedInputs) {
  const std::vector<std::string> inputs = {
      "",
      "a",
      "a,b,c\n1,2,3\n",
      "\"a\nb\",c\r\n\"\"\"\",\n",
      "x\r\r\n\ny\r",
      "\"unterminated,\n",
      "a,\"b\"\"c\"d,e\"\"f\n",
      "\xEF\xBB\xBF\"q\",r\n",
      "\xEF\xBB",
      ",\n,\n,",
      "\"a\"\"\"",
      "\"\"\"\"\"\"\n",
      "a\"\"b,\"c\r\nd\"\r\ne",
  };
  for (const std::string& input : inputs) {
    ExpectMatchesReference(input, {1, 2, 3, 4, 5, 6, 7, 64, 1 << 20});
  }
}

TEST(CsvTokenizerTest, HandlesRecordSpanningChunks) {
  // Random inputs over the bytes that matter; every chunk size must give what one big read
  // gives, and both must match the reference model.
  std::mt19937 random(12345);
  // Long pieces make records cross the fast path's 64-byte blocks; "\xC3\xA9" is non-ASCII.
  const std::string alphabet[] = {"a",   "b",     ",",        "\"",   "\r",
                                  "\n",  "\"\"",  "xyz",      ",\"",  "\"\n",
                                  "\r\n", ",,,,", "\xC3\xA9", "0123456789abcdefghijklmnopqrstuvwxyz"};
  for (int round = 0; round < 600; ++round) {
    std::string input;
    const int pieces = static_cast<int>(random() % 40);
    if (random() % 8 == 0) input = "\xEF\xBB\xBF";
    for (int p = 0; p < pieces; ++p) input += alphabet[random() % std::size(alphabet)];
    const Tokenized expected = ReferenceTokenize(input);
    for (const Mode& mode : {Mode{CsvSimd::kBest, 0}, Mode{CsvSimd::kBest, 64},
                             Mode{CsvSimd::kSse2, 3}, Mode{CsvSimd::kScalar, 1}}) {
      SCOPED_TRACE(testing::Message() << "simd " << static_cast<int>(mode.simd) << " run "
                                      << mode.run);
      CsvTokenizerOptions big;
      big.simd = mode.simd;
      // One read takes the whole input (at most ~1.5 KB). Not the 1 MiB default: 2,400
      // zeroed 2 MiB buffers made this test take over 5 minutes under AddressSanitizer.
      big.chunk_bytes = size_t{16} << 10;
      ExpectSameEvents(Tokenize(input, big, SIZE_MAX, mode.run), expected, input,
                       big.chunk_bytes);
      for (size_t chunk = 1; chunk <= 7; ++chunk) {
        CsvTokenizerOptions options;
        options.chunk_bytes = chunk;
        options.simd = mode.simd;
        ExpectSameEvents(Tokenize(input, options, SIZE_MAX, mode.run), expected, input, chunk);
        // Short reads (fewer bytes than asked) must not matter either.
        ExpectSameEvents(Tokenize(input, big, chunk, mode.run), expected, input, chunk);
        // Nor a live input that pauses between reads (a file being appended to).
        ExpectSameEvents(Tokenize(input, big, chunk, mode.run, /*live=*/true), expected, input,
                         chunk);
      }
    }
  }
}

TEST(CsvTokenizerTest, NextRecordsOnSimpleFile) {
  std::string input = "username,successful,time,ip_address\n";
  Records expected = {{"username", "successful", "time", "ip_address"}};
  for (int i = 0; i < 300; ++i) {
    const std::string user = "user_" + std::to_string(i % 7);
    const std::string time = std::to_string(1545730005 + i);
    input += user + ",False," + time + ",50.37.169.241\n";
    expected.push_back({user, "False", time, "50.37.169.241"});
  }
  for (size_t run : {1, 2, 64}) {
    const Tokenized t = Tokenize(input, {}, SIZE_MAX, run);
    ASSERT_EQ(t.Records().size(), expected.size()) << run;
    for (size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(t.Records()[i], expected[i]) << run << " " << i;
  }
}

TEST(CsvTokenizerTest, FastPathMarksAsciiRecords) {
  std::string input;
  for (int i = 0; i < 100; ++i) input += "abc,def," + std::to_string(i) + "\n";
  const Tokenized ascii = Tokenize(input, {}, SIZE_MAX, 64);
  EXPECT_EQ(ascii.Records().size(), 100u);
  // (The first record comes from Next(), which does not expose the mark.)
  EXPECT_GE(ascii.ascii_records, 99u);
  // kOff: no fast path at all (NextRecords returns nothing, Next() does the work).
  CsvTokenizerOptions off;
  off.simd = CsvSimd::kOff;
  const Tokenized slow = Tokenize(input, off, SIZE_MAX, 64);
  EXPECT_EQ(slow.Records(), ascii.Records());
  EXPECT_EQ(slow.ascii_records, 0u);
  // A non-ASCII byte clears the mark of its record (Tokenize checks that no marked record has
  // one); records far from it keep theirs.
  const Tokenized mixed = Tokenize("caf\xC3\xA9,x\n" + input, {}, SIZE_MAX, 64);
  EXPECT_EQ(mixed.Records().size(), 101u);
  EXPECT_GT(mixed.ascii_records, 90u);
  EXPECT_LT(mixed.ascii_records, 101u);
}

TEST(CsvTokenizerTest, FastPathHandsQuotesToTheStateMachine) {
  const std::string long_text(70, 'x');
  for (const std::string& input : {
           std::string("a,b,c\nd,e\"f,g\nh,\"i,j\",k\nl,m,n\n"),
           // The quote comes after the fast path split fields, past a 64-byte block.
           long_text + "," + long_text + ",\"q,\"\"r\"\"\ns\",t\n" + long_text + "\n",
           long_text + "\"" + long_text + "," + long_text + "\"\n",
           std::string("\"a\"\n") + long_text + ",\"\"\n\"b\nc\"\n",
           // A quote right after a record terminator, and one ending a field.
           std::string("x,y\n\"z\"\nw,v\"\n"),
       }) {
    ExpectMatchesReference(input, {1, 3, 7, 16, 63, 64, 65, 1 << 20});
  }
}

TEST(CsvTokenizerTest, FastPathHandlesCrlfAndBlankLines) {
  const std::string input = "a,b\r\n1,2\r\n\r\n3,4\r\r\n\n\n5,6\r7,8\r\n";
  const Tokenized t = Tokenize(input, {}, SIZE_MAX, 64);
  EXPECT_EQ(t.Records(), (Records{{"a", "b"}, {"1", "2"}, {"3", "4"}, {"5", "6"}, {"7", "8"}}));
  // `\r\r\n` is two line ends (a lone `\r`, then `\r\n`), as an editor counts them.
  EXPECT_EQ(t.Lines(), (std::vector<uint64_t>{1, 2, 4, 8, 9}));
  EXPECT_EQ(t.EndOffsets(), (std::vector<uint64_t>{4, 9, 16, 24, 28}));
  ExpectMatchesReference(input, {1, 2, 5, 64, 1 << 20});
  std::string many;
  for (int i = 0; i < 50; ++i) {
    many += 'r';
    many += std::to_string(i);
    many += ",\r\n";
    if (i % 7 == 0) many += "\r\n";
  }
  ExpectMatchesReference(many, {1, 7, 64, 1 << 20});
}

TEST(CsvTokenizerTest, FastPathHandlesMoreFieldsThanABlockHasBits) {
  for (int fields : {63, 64, 65, 100, 130, 1500}) {
    std::string record;
    for (int f = 0; f < fields; ++f) {
      if (f > 0) record += ',';
      record += static_cast<char>('0' + f % 10);
    }
    const std::string input = record + "\n" + record + "\nend\n";
    SCOPED_TRACE(fields);
    ExpectMatchesReference(input, {1, 64, 1 << 20});
  }
  // Many wide records: a run's field storage fills up and the run stops early.
  std::string wide;
  for (int r = 0; r < 40; ++r) {
    for (int f = 0; f < 300; ++f) {
      if (f > 0) wide += ',';
      wide += std::to_string(r);
    }
    wide += "\n";
  }
  ExpectMatchesReference(wide, {1 << 20});
  const Tokenized t = Tokenize(wide, {}, SIZE_MAX, 64);
  ASSERT_EQ(t.Records().size(), 40u);
  EXPECT_EQ(t.Records()[39], std::vector<std::string>(300, "39"));
}

TEST(CsvTokenizerTest, FastPathRespectsLimits) {
  for (size_t max_fields : {1, 3, 64, 70}) {
    CsvTokenizerOptions options;
    options.max_fields = max_fields;
    for (size_t fields : {max_fields, max_fields + 1}) {
      std::string record;
      for (size_t f = 0; f < fields; ++f) record += f > 0 ? ",v" : "v";
      const std::string input = "a\n" + record + "\nb\n";
      for (const Mode& mode : kAllModes) {
        options.simd = mode.simd;
        const Tokenized t = Tokenize(input, options, SIZE_MAX, mode.run);
        ASSERT_EQ(t.items.size(), 3u);
        EXPECT_EQ(t.items[1].is_error, fields > max_fields) << max_fields << " " << fields;
        EXPECT_EQ(t.items[1].line, 2u);
        EXPECT_EQ(t.items[2].fields, (std::vector<std::string>{"b"}));
      }
    }
  }
  // Too many fields before a quote hands the record over.
  for (const Mode& mode : kAllModes) {
    CsvTokenizerOptions options;
    options.max_fields = 3;
    options.simd = mode.simd;
    const Tokenized t = Tokenize("a\nb,c,d,e,\"f\"\ng\n", options, SIZE_MAX, mode.run);
    ASSERT_EQ(t.items.size(), 3u);
    EXPECT_TRUE(t.items[1].is_error);
    EXPECT_EQ(t.items[2].fields, (std::vector<std::string>{"g"}));
  }
  CsvTokenizerOptions options;
  options.max_record_bytes = 10;
  for (const Mode& mode : kAllModes) {
    options.simd = mode.simd;
    const Tokenized t = Tokenize("0123456789\n0123456789a\nb\n", options, SIZE_MAX, mode.run);
    ASSERT_EQ(t.items.size(), 3u);
    EXPECT_FALSE(t.items[0].is_error);
    EXPECT_TRUE(t.items[1].is_error);
    EXPECT_EQ(t.items[1].line, 2u);
    EXPECT_EQ(t.items[2].fields, (std::vector<std::string>{"b"}));
  }
}

TEST(CsvTokenizerTest, FastPathReportsLimitsLikeTheStateMachine) {
  // Random inputs and small limits: every mode gives the state machine's events (messages
  // included).
  std::mt19937 random(99);
  const std::string alphabet[] = {"a", ",", ",,,", "\"", "\n", "\r\n", "\"\"",
                                  "0123456789", "\"x,\ny\""};
  size_t errors = 0;
  for (int round = 0; round < 300; ++round) {
    std::string input;
    const int pieces = static_cast<int>(random() % 60);
    for (int p = 0; p < pieces; ++p) input += alphabet[random() % std::size(alphabet)];
    CsvTokenizerOptions limits;
    const size_t field_limits[] = {1, 2, 3, 5, 63, 64, 65, size_t{1} << 20};
    limits.max_fields = field_limits[random() % std::size(field_limits)];
    limits.max_record_bytes = 1 + random() % 80;
    // The largest chunk takes the whole input (at most ~600 bytes) in one read; 16 KiB rather
    // than 1 MiB keeps the zeroed buffers cheap under AddressSanitizer.
    for (size_t chunk : {size_t{1}, size_t{3}, size_t{16}, size_t{1} << 14}) {
      limits.chunk_bytes = chunk;
      limits.simd = CsvSimd::kOff;
      const Tokenized expected = Tokenize(input, limits);
      for (const auto& item : expected.items) errors += item.is_error ? 1 : 0;
      for (const Mode& mode : kAllModes) {
        CsvTokenizerOptions options = limits;
        options.simd = mode.simd;
        const Tokenized actual = Tokenize(input, options, SIZE_MAX, mode.run);
        ASSERT_EQ(actual.items, expected.items)
            << "simd " << static_cast<int>(mode.simd) << " run " << mode.run << " chunk "
            << chunk << " max_fields " << limits.max_fields << " max_record_bytes "
            << limits.max_record_bytes << " input " << testing::PrintToString(input);
      }
    }
  }
  EXPECT_GT(errors, 500u);  // The limits are hit often.
}

TEST(CsvTokenizerTest, FastPathRecordsSpanChunksAndBlocks) {
  std::string input;
  for (int i = 0; i < 30; ++i) {
    input += std::string(static_cast<size_t>(i * 7 % 150), 'a' + static_cast<char>(i % 26)) +
             "," + std::to_string(i) + ",," + std::string(static_cast<size_t>(i % 5), 'z') +
             (i % 3 == 0 ? "\r\n" : "\n");
  }
  ExpectMatchesReference(input, {1, 2, 3, 5, 7, 13, 63, 64, 65, 100, 128, 1 << 20});
}

TEST(CsvTokenizerTest, ErrorLinesAfterFastPathRecords) {
  std::string input = "h\n";
  for (int i = 0; i < 100; ++i) {
    input += 'v';
    input += std::to_string(i);
    input += "\n\r\n";
  }
  input += "\"never closed\nx\n";
  const Tokenized t = Tokenize(input, {}, SIZE_MAX, 64);
  ASSERT_EQ(t.items.size(), 102u);
  EXPECT_TRUE(t.items[101].is_error);
  EXPECT_EQ(t.items[101].line, 202u);
  ExpectMatchesReference(input, {1, 9, 1 << 20});
}

TEST(CsvTokenizerTest, HandlesLongFieldsSpanningManyChunks) {
  const std::string long_text(100000, 'z');
  const std::string input = "h1,h2\n" + long_text + ",\"" + long_text + "\"\"" + long_text +
                            "\"\nend,x\n";
  for (size_t chunk : {1, 7, 4096, 1 << 20}) {
    CsvTokenizerOptions options;
    options.chunk_bytes = chunk;
    const Tokenized t = Tokenize(input, options);
    ASSERT_EQ(t.Records().size(), 3u) << chunk;
    EXPECT_EQ(t.Records()[1][0], long_text);
    EXPECT_EQ(t.Records()[1][1], long_text + "\"" + long_text);
    EXPECT_EQ(t.Records()[2], (std::vector<std::string>{"end", "x"}));
    EXPECT_EQ(t.EndOffsets()[1], input.size() - 6);
  }
}

}  // namespace
}  // namespace vigil
