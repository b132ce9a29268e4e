#include "vigil/common/status.h"

namespace vigil {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "InvalidArgument";
    case StatusCode::kTypeError: return "TypeError";
    case StatusCode::kParseError: return "ParseError";
    case StatusCode::kIoError: return "IoError";
    case StatusCode::kNotFound: return "NotFound";
    case StatusCode::kEngineError: return "EngineError";
  }
  return "Unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return fmt::format("{}: {}", StatusCodeName(code_), message_);
}

}  // namespace vigil
