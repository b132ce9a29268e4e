#pragma once

// How the Table operations (table.cc, table_id_sets.cc) report a failed build: a table
// carrying the error, whose message starts with the operation's name.

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

}  // namespace vigil::table_errors
