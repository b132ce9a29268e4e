#pragma once

// Helpers of the fuzz targets that check a JSON reader against simdjson's DOM parser
// (jsonlines_fuzzer, journal_json_fuzz).

#include <algorithm>

#include <simdjson.h>

namespace vigil::fuzz {

/// Nesting depth of a DOM element: 0 for a scalar, each object or array adds one level.
inline int Depth(simdjson::dom::element element) {
  int deepest = 0;
  simdjson::dom::object object;
  if (element.get_object().get(object) == simdjson::SUCCESS) {
    for (auto field : object) deepest = std::max(deepest, Depth(field.value));
    return deepest + 1;
  }
  simdjson::dom::array array;
  if (element.get_array().get(array) == simdjson::SUCCESS) {
    for (auto child : array) deepest = std::max(deepest, Depth(child));
    return deepest + 1;
  }
  return 0;
}

/// DOM errors that say the text is not JSON. Number range errors are left out: readers may
/// read big numbers differently (serde_json and simdjson disagree on big integers; On-Demand
/// only skips numbers it does not use).
inline bool IsSyntaxError(simdjson::error_code error) {
  switch (error) {
    case simdjson::TAPE_ERROR:
    case simdjson::STRING_ERROR:
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
    case simdjson::UTF8_ERROR:
    case simdjson::UNESCAPED_CHARS:
    case simdjson::UNCLOSED_STRING:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
    case simdjson::EMPTY:
      return true;
    default:
      return false;
  }
}

}  // namespace vigil::fuzz
