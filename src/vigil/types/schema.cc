#include "vigil/types/schema.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace vigil {

std::optional<size_t> Schema::Find(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return i;
  }
  return std::nullopt;
}

Result<size_t> Schema::Lookup(std::string_view name) const {
  if (auto i = Find(name)) return *i;
  return Status::NotFound("no column '{}' in table with columns [{}]", name,
                          fmt::join(Names(), ", "));
}

std::vector<std::string> Schema::Names() const {
  std::vector<std::string> names;
  names.reserve(columns_.size());
  for (const auto& c : columns_) names.push_back(c.name);
  return names;
}

}  // namespace vigil
