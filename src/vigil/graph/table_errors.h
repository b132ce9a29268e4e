#pragma once

// How the Table operations (table.cc, table_id_sets.cc) report a failed build: a table
// carrying the error, whose message starts with the operation's name; and the check of
// their inputs' column names against the names they use internally.

#include <initializer_list>
#include <string>
#include <utility>

#include "vigil/common/status.h"
#include "vigil/graph/table.h"

namespace vigil::table_errors {

/// A table whose build failed with `status` (running anything derived from it reports it).
inline Table Failed(Status status) { return Table(ErrorNode(std::move(status))); }

/// `s` with its message prefixed by `operation:` (unless it is already).
inline Status WithOperation(const std::string& operation, const Status& s) {
  if (s.message().rfind(operation + ":", 0) == 0) return s;
  return Status(s.code(), operation + ": " + s.message());
}

/// Operations that add columns of their own to the rows they work on (windowby's
/// `_pw_window_start`, ...) read them back by name. An input column of the same name would be
/// shadowed (or would shadow them): the user's values and the operation's would silently
/// mix. So such an input is rejected, naming the column; renaming it first
/// (Table::rename) is the way out.
inline Status CheckNoInternalNameClash(const Schema& input,
                                       std::initializer_list<const char*> internal,
                                       const char* what) {
  for (const char* name : internal) {
    if (input.Find(name)) {
      return Status::Invalid(
          "the input has a column named '{}', a name {} uses for its own column; rename the "
          "input column first (e.g. with rename())",
          name, what);
    }
  }
  return Status::OK();
}

}  // namespace vigil::table_errors
