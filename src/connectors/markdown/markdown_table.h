#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/api/source.h"
#include "vigil/batch/update.h"
#include "vigil/common/status.h"
#include "vigil/types/schema.h"

namespace vigil {

/// A table written as text, Pathway's table_from_markdown format:
///
///     id | name  | age | __time__ | __diff__
///     1  | Alice | 30  | 2        | 1
///
/// The first line is the header. Each line is split as Pathway's `_markdown_to_pandas` does:
/// stripped, then split on a `|` (with the blanks around it) or a run of blanks, so every `|`
/// separates two cells and an empty cell (`3 |`, `| 1`, `a | | b`) is None. A first header
/// cell that is empty (line starts with `|`) or named `id` makes the first column the row
/// index: row id = hash([index value]) (an empty index cell is an error); otherwise rows are
/// indexed 0, 1, ... in order. Column types are inferred (int, then float, then bool
/// `True`/`False`, else str; empty, `None`, `NaN`, `NULL`, `NA` cells are None and make the
/// column optional) unless a schema is given. A schema must have exactly the header's columns
/// (as Pathway's table_from_pandas requires; a default_value does not excuse a missing one),
/// and when it has primary-key columns they give the row ids (`pointer_from(*key values)`,
/// connectors/api/primary_key.h), as in every reader. `__time__` (processing time, even,
/// >= 0) groups rows into commits; `__diff__` is +1 or -1.
struct ParsedMarkdown {
  Schema schema;
  std::vector<Update> updates;  ///< In commit order (by time, then input order).
  /// The text had a `__diff__` column: the table is an update stream, never insert-only
  /// (even when every diff is +1), so a test can run the same rows both ways.
  bool has_diff_column = false;
};

/// `split_on_whitespace` false (Pathway's option of the same name): only a `|` separates
/// cells, so cells may hold blanks.
Result<ParsedMarkdown> ParseMarkdownTable(const std::string& text,
                                          const std::optional<Schema>& schema = std::nullopt,
                                          bool split_on_whitespace = true);

/// Replays parsed updates, one commit per distinct `__time__`.
class MarkdownSource final : public Source {
 public:
  explicit MarkdownSource(std::shared_ptr<const ParsedMarkdown> table);
  const Schema& schema() const override { return table_->schema; }
  Status Open() override { return Status::OK(); }
  std::optional<Time> NextCommitTime() override;
  Status ReadCommit(const BatchConsumer& emit) override;
  /// Without a `__diff__` column and with only insertions.
  bool insert_only() const override { return insert_only_; }

 private:
  std::shared_ptr<const ParsedMarkdown> table_;
  size_t next_ = 0;
  bool insert_only_;
};

}  // namespace vigil
