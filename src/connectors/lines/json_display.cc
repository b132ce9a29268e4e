#include "connectors/lines/json_display.h"

#include <fmt/format.h>

#include "connectors/output/value_text.h"

namespace vigil {

void AppendJsonNumber(std::string& out, const JsonNumber& number) {
  switch (number.kind) {
    case JsonNumber::Kind::kSigned:
      out += fmt::format("{}", number.signed_value);
      break;
    case JsonNumber::Kind::kUnsigned:
      out += fmt::format("{}", number.unsigned_value);
      break;
    case JsonNumber::Kind::kFloat:
      AppendJsonFloat(out, number.float_value);
      break;
    case JsonNumber::Kind::kInvalid:
      break;
  }
}

std::string LimitLength(std::string text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  // Keep max_bytes - 3 characters (a UTF-8 sequence counts once).
  const size_t keep = max_bytes >= 3 ? max_bytes - 3 : 0;
  size_t characters = 0;
  size_t i = 0;
  while (i < text.size() && characters < keep) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    ++characters;
  }
  text.resize(i);
  text += "...";
  return text;
}

}  // namespace vigil
