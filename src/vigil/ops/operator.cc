#include "vigil/ops/operator.h"

namespace vigil {

void OperatorContext::ReportEngineError(const std::string& operator_name,
                                        const std::string& message) {
  if (errors != nullptr) {
    DataError e;
    e.file = operator_name;
    e.message = message;
    e.row_skipped = false;
    errors->Add(std::move(e));
  }
  if (terminate_on_error && engine_error.ok()) {
    engine_error = Status::EngineError("{}: {}", operator_name, message);
  }
}

void OperatorContext::ReportWarning(const std::string& operator_name,
                                    const std::string& message) {
  if (errors == nullptr) return;
  DataError e;
  e.file = operator_name;
  e.message = message;
  e.row_skipped = false;
  e.warning = true;
  errors->Add(std::move(e));
}

void Operator::ReportExpressionErrors(std::vector<std::string>& messages) {
  for (auto& m : messages) context().ReportEngineError(name_, m);
  messages.clear();
}

}  // namespace vigil
