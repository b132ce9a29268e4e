#include "connectors/syslog/rotated_files.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace vigil::syslog {

namespace {

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Where a file sits in its family, oldest first.
enum class Rank : int { kNumbered = 0, kDated = 1, kBaseCompressed = 2, kBase = 3 };

struct RotationKey {
  std::string_view family;  ///< The path without its rotation suffix.
  Rank rank = Rank::kBase;
  std::string_view digits;  ///< The number or date, leading zeros removed.
};

RotationKey KeyOf(std::string_view path) {
  RotationKey key;
  std::string_view stem = path;
  const bool compressed = stem.ends_with(".gz");
  if (compressed) stem.remove_suffix(3);
  const size_t name_begin = stem.rfind('/') == std::string_view::npos ? 0 : stem.rfind('/') + 1;
  const size_t dot = stem.rfind('.');
  const size_t dash = stem.rfind('-');
  if (dot != std::string_view::npos && dot > name_begin && AllDigits(stem.substr(dot + 1))) {
    key.family = stem.substr(0, dot);
    key.rank = Rank::kNumbered;
    key.digits = stem.substr(dot + 1);
  } else if (dash != std::string_view::npos && dash > name_begin && stem.size() - dash - 1 >= 8 &&
             stem.size() - dash - 1 <= 10 && AllDigits(stem.substr(dash + 1))) {
    key.family = stem.substr(0, dash);
    key.rank = Rank::kDated;
    key.digits = stem.substr(dash + 1);
  } else {
    key.family = stem;
    key.rank = compressed ? Rank::kBaseCompressed : Rank::kBase;
  }
  while (key.digits.size() > 1 && key.digits.front() == '0') key.digits.remove_prefix(1);
  return key;
}

/// Compares decimal digit strings without leading zeros as numbers (any length).
int CompareNumbers(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

}  // namespace

std::vector<std::string> OrderRotatedFiles(std::vector<std::string> paths) {
  struct Entry {
    RotationKey key;
    size_t family_order;  ///< Input position of the family's first file.
    size_t input_order;
  };
  std::vector<Entry> entries;
  entries.reserve(paths.size());
  absl::flat_hash_map<std::string_view, size_t> family_first;
  for (size_t i = 0; i < paths.size(); ++i) {
    const RotationKey key = KeyOf(paths[i]);
    const size_t family_order = family_first.try_emplace(key.family, i).first->second;
    entries.push_back(Entry{key, family_order, i});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.family_order != b.family_order) return a.family_order < b.family_order;
    if (a.key.rank != b.key.rank) return a.key.rank < b.key.rank;
    const int by_number = CompareNumbers(a.key.digits, b.key.digits);
    // Numbered files: higher numbers are older. Dated files: earlier dates are older.
    if (by_number != 0) return a.key.rank == Rank::kNumbered ? by_number > 0 : by_number < 0;
    return a.input_order < b.input_order;
  });
  std::vector<std::string> ordered;
  ordered.reserve(paths.size());
  for (const Entry& entry : entries) ordered.push_back(std::move(paths[entry.input_order]));
  return ordered;
}

}  // namespace vigil::syslog
