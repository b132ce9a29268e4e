#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "vigil/batch/update.h"
#include "vigil/common/key.h"
#include "vigil/types/value.h"

namespace vigil::output_test {

/// An owned update; string and tuple values are copied by StoredValue.
inline Update MakeUpdate(const Key& id, const std::vector<Value>& row, Time time, Diff diff) {
  Update update;
  update.id = id;
  for (const Value& value : row) update.row.emplace_back(value);
  update.time = time;
  update.diff = diff;
  return update;
}

/// Id Pathway gives the sliding-window group [start, end) without instance:
/// hash((None, start, end), start, end, None) — SEMANTICS.md Appendix A.
inline Key WindowKey(int64_t start, int64_t end) {
  KeyHasher hasher;
  hasher.BeginTuple(3);
  hasher.AddNone();
  hasher.AddInt(start);
  hasher.AddInt(end);
  hasher.AddInt(start);
  hasher.AddInt(end);
  hasher.AddNone();
  return hasher.Finish();
}

/// Everything written to `file` so far (the caller flushed its writer first).
inline std::string ReadAll(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char chunk[4096];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) text.append(chunk, n);
  return text;
}

}  // namespace vigil::output_test
