#include "actions/message_text.h"

#include <fmt/format.h>

namespace vigil::actions {

std::string QuoteForMessage(std::string_view text, std::size_t max_bytes) {
  std::string quoted;
  std::string_view shown = text.substr(0, max_bytes);
  quoted.reserve(shown.size() + 2);
  quoted.push_back('"');
  for (char c : shown) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\\' || c == '"') {
      quoted.push_back('\\');
      quoted.push_back(c);
    } else if (byte >= 0x20 && byte < 0x7f) {
      quoted.push_back(c);
    } else {
      quoted += fmt::format("\\x{:02x}", byte);
    }
  }
  quoted.push_back('"');
  if (text.size() > shown.size()) quoted += fmt::format("...({} bytes)", text.size());
  return quoted;
}

}  // namespace vigil::actions
