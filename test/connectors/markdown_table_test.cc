// Pathway's table_from_markdown format (connectors/markdown): cells, empty cells, schemas
// and row ids. Pathway reads the text with pandas (debug/__init__.py, _markdown_to_pandas):
// each line is stripped and split on `\s*\|\s*` or `\s+`, an empty cell is NaN (None), and a
// schema must name exactly the header's columns; with a primary key the row ids are
// ref_scalar(*key values) (api.py, ids_from_pandas).

#include "connectors/markdown/markdown_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vigil/common/key.h"

namespace vigil {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

/// The rows of `parsed` as `v1 | v2 | ...` texts, in input order.
std::vector<std::string> RowTexts(const ParsedMarkdown& parsed) {
  std::vector<std::string> out;
  for (const Update& u : parsed.updates) {
    std::string text;
    for (const StoredValue& v : u.row) text += (text.empty() ? "" : " | ") + FormatValue(v.get());
    out.push_back(text);
  }
  return out;
}

std::vector<Key> Ids(const ParsedMarkdown& parsed) {
  std::vector<Key> out;
  for (const Update& u : parsed.updates) out.push_back(u.id);
  return out;
}

/// Pathway's `pointer_from(*values)`.
Key PointerFrom(const std::vector<Value>& values) {
  KeyHasher hasher;
  for (const Value& v : values) v.HashInto(hasher);
  return hasher.Finish();
}

TEST(MarkdownTable, PrimaryKeyColumnGivesTheRowIds) {
  const Schema schema{{"a", dtype::Int, /*is_primary_key=*/true}, {"b", dtype::Str}};
  auto parsed = ParseMarkdownTable("a | b\n5 | x\n7 | y\n", schema);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_THAT(RowTexts(*parsed), ElementsAre("5 | x", "7 | y"));
  // pointer_from(5) is also the id of the markdown row with index 5.
  EXPECT_THAT(Ids(*parsed), ElementsAre(KeyForIndex(5), KeyForIndex(7)));
}

// Several key columns: the id hashes their values in schema order, whatever the header's.
TEST(MarkdownTable, CompositePrimaryKeyHashesKeyValuesInSchemaOrder) {
  const Schema schema{{"a", dtype::Int, true}, {"b", dtype::Str}, {"c", dtype::Str, true}};
  auto parsed = ParseMarkdownTable("c | b | a\nx | u | 1\ny | v | 2\n", schema);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_THAT(Ids(*parsed), ElementsAre(PointerFrom({Value::Int(1), Value::String("x")}),
                                        PointerFrom({Value::Int(2), Value::String("y")})));
}

// A primary key gives ids by value: the same key at two times is the same row (an update).
TEST(MarkdownTable, PrimaryKeyIdsAreStableAcrossUpdates) {
  const Schema schema{{"k", dtype::Str, true}, {"v", dtype::Int}};
  auto parsed = ParseMarkdownTable(R"(
k | v | __time__ | __diff__
a | 1 | 2        | 1
a | 1 | 4        | -1
a | 2 | 4        | 1
)",
                                   schema);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const Key a = PointerFrom({Value::String("a")});
  EXPECT_THAT(Ids(*parsed), ElementsAre(a, a, a));
}

TEST(MarkdownTable, SchemaColumnMissingFromTheHeaderIsAnError) {
  const Schema schema{{"a", dtype::Int}, {"b", dtype::Str}, {"c", dtype::Int}};
  auto parsed = ParseMarkdownTable("a | b\n1 | x\n", schema);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("'c'"));
}

// Pathway's table_from_pandas compares the column sets before looking at defaults, so a
// default value does not excuse a missing column.
TEST(MarkdownTable, SchemaColumnWithDefaultMissingFromTheHeaderIsAnError) {
  const Schema schema{{"a", dtype::Int}, {"c", dtype::Int, false, StoredValue(Value::Int(0))}};
  auto parsed = ParseMarkdownTable("a\n1\n", schema);
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("'c'"));
}

TEST(MarkdownTable, EmptyLastCellIsNone) {
  auto parsed = ParseMarkdownTable("a | b\n1 | 2\n3 |\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->schema[1].type, dtype::Optional(dtype::Int));
  EXPECT_THAT(RowTexts(*parsed), ElementsAre("1 | 2", "3 | None"));
}

// Without an index column, a line starting with `|` has an empty first cell.
TEST(MarkdownTable, EmptyFirstCellOfADataColumnIsNone) {
  auto parsed = ParseMarkdownTable("a | b\n  | 1\n2 | 3\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->schema[0].type, dtype::Optional(dtype::Int));
  EXPECT_THAT(RowTexts(*parsed), ElementsAre("None | 1", "2 | 3"));
  EXPECT_THAT(Ids(*parsed), ElementsAre(KeyForIndex(0), KeyForIndex(1)));
}

TEST(MarkdownTable, EmptyMiddleCellIsNone) {
  auto parsed = ParseMarkdownTable("a | b | c\nx |   | 1\ny | z | 2\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->schema[1].type, dtype::Optional(dtype::Str));
  EXPECT_THAT(RowTexts(*parsed), ElementsAre("x | None | 1", "y | z | 2"));
}

// With an unnamed index column, the first cell is the row's index: an empty one would give
// the row no id of its own (pandas makes it NaN and turns every index of the table into a
// float), so it is rejected, naming the line.
TEST(MarkdownTable, EmptyIndexCellIsAnError) {
  auto parsed = ParseMarkdownTable("  | a\n1 | x\n  | y\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("line 3"));
}

// An empty cell in a column the schema says is not optional cannot be read.
TEST(MarkdownTable, EmptyCellInARequiredSchemaColumnIsAnError) {
  const Schema schema{{"a", dtype::Int}, {"b", dtype::Int}};
  auto parsed = ParseMarkdownTable("a | b\n3 |\n", schema);
  ASSERT_FALSE(parsed.ok());
  const Schema optional{{"a", dtype::Int}, {"b", dtype::Optional(dtype::Int)}};
  auto read = ParseMarkdownTable("a | b\n3 |\n", optional);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_THAT(RowTexts(*read), ElementsAre("3 | None"));
}

// The format every other test relies on keeps working: index columns, whitespace-aligned
// cells, separator lines, __time__/__diff__.
TEST(MarkdownTable, IndexColumnsAndAlignedCells) {
  auto parsed = ParseMarkdownTable(R"(
   | name  | age | __time__ | __diff__
---|-------|-----|----------|---------
 7 | Alice | 30  | 2        | 1
 8 | Bob   | 41  | 2        | 1
 7 | Alice | 30  | 4        | -1
)");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_THAT(RowTexts(*parsed), ElementsAre("Alice | 30", "Bob | 41", "Alice | 30"));
  EXPECT_THAT(Ids(*parsed), ElementsAre(KeyForIndex(7), KeyForIndex(8), KeyForIndex(7)));
  EXPECT_EQ(parsed->updates[2].diff, -1);
  auto named = ParseMarkdownTable("id | v\n3  | a\n4  | b\n");
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  EXPECT_THAT(Ids(*named), ElementsAre(KeyForIndex(3), KeyForIndex(4)));
}

// split_on_whitespace = false (Pathway's option): only `|` separates cells, so a cell keeps
// its inner blanks; the default splits on blanks too.
TEST(MarkdownTable, WithoutSplittingOnWhitespaceCellsKeepTheirBlanks) {
  const std::string text =
      "message                        | n\n"
      "failed to parse value \"x\"     | 1\n"
      "  two  words |\n";
  auto kept = ParseMarkdownTable(text, std::nullopt, /*split_on_whitespace=*/false);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_THAT(RowTexts(*kept), ElementsAre("failed to parse value \"x\" | 1", "two  words | None"));
  EXPECT_FALSE(ParseMarkdownTable(text).ok());  // Split on blanks: too many cells.
}

}  // namespace
}  // namespace vigil
