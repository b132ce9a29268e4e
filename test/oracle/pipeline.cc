#include "pipeline.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "oracle_value.h"

namespace vigil::oracle {

namespace {

const char* OpName(ReducerOp op) {
  switch (op) {
    case ReducerOp::kCount: return "count";
    case ReducerOp::kSum: return "sum";
    case ReducerOp::kAvg: return "avg";
    case ReducerOp::kMin: return "min";
    case ReducerOp::kMax: return "max";
    case ReducerOp::kArgMin: return "argmin";
    case ReducerOp::kArgMax: return "argmax";
    case ReducerOp::kCountDistinct: return "count_distinct";
    case ReducerOp::kAny: return "any";
    case ReducerOp::kUnique: return "unique";
    case ReducerOp::kTuple: return "tuple";
    case ReducerOp::kSortedTuple: return "sorted_tuple";
    case ReducerOp::kEarliest: return "earliest";
    case ReducerOp::kLatest: return "latest";
  }
  return "?";
}

std::string Number(double x) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", x);
  return text;
}

std::string Optional(const std::optional<int64_t>& x) {
  return x ? std::to_string(*x) : "None";
}

std::string WindowText(const WindowSpec& w) {
  std::string out;
  switch (w.kind) {
    case WindowSpec::Kind::kTumbling: out = "tumbling(" + std::to_string(w.hop); break;
    case WindowSpec::Kind::kSliding:
      out = "sliding(hop=" + std::to_string(w.hop);
      out += w.ratio ? ", ratio=" + std::to_string(*w.ratio)
                     : ", duration=" + std::to_string(w.duration);
      break;
    case WindowSpec::Kind::kSession:
      switch (w.session_rule) {
        case SessionRule::kMaxGap: return "session(max_gap=" + Number(w.gap) + ")";
        case SessionRule::kAbsDiffBelow:
          return "session(predicate=|a - b| < " + Number(w.gap) + ")";
        case SessionRule::kAbsDiffAtMost:
          return "session(predicate=|a - b| <= " + Number(w.gap) + ")";
        case SessionRule::kGapOrMultiple:
          return "session(predicate=b - a <= " + Number(w.gap) + " or b % 3 == 0)";
      }
  }
  if (w.origin) out += ", origin=" + std::to_string(*w.origin);
  return out + ")";
}

std::string BehaviorText(const BehaviorSpec& b) {
  if (b.kind == BehaviorSpec::Kind::kExactlyOnce) {
    return "exactly_once_behavior(shift=" + Optional(b.shift) + ")";
  }
  return "common_behavior(delay=" + Optional(b.delay) + ", cutoff=" + Optional(b.cutoff) +
         ", keep_results=" + (b.keep_results ? "True" : "False") + ")";
}

}  // namespace

int64_t WindowSpec::Duration() const {
  if (kind == Kind::kTumbling) return hop;
  return ratio ? *ratio * hop : duration;
}

bool WindowSpec::Joins(int64_t prev, int64_t next) const {
  const double d = static_cast<double>(next - prev);
  switch (session_rule) {
    case SessionRule::kMaxGap: return d < gap;
    case SessionRule::kAbsDiffBelow: return std::abs(d) < gap;
    case SessionRule::kAbsDiffAtMost: return std::abs(d) <= gap;
    case SessionRule::kGapOrMultiple: return d <= gap || PythonMod(next, 3) == 0;
  }
  return false;
}

BehaviorSpec BehaviorSpec::Effective(int64_t window_duration) const {
  if (kind == Kind::kCommon) return *this;
  BehaviorSpec common;
  common.delay = window_duration + shift.value_or(0);
  common.cutoff = shift.value_or(0);
  common.keep_results = true;
  return common;
}

std::vector<std::string> Pipeline::OutputColumns() const {
  std::vector<std::string> out;
  if (windowed) {
    out = {"_pw_window_start", "_pw_window_end", "_pw_instance"};
    if (output_window_tuple) out.push_back("_pw_window");
    if (output_instance_alias && window.instance) out.push_back(*window.instance);
  } else {
    out = group_columns;
  }
  for (size_t i = 0; i < reducers.size(); ++i) out.push_back(ReducerColumn(i));
  if (output_spread) out.push_back("spread");
  return out;
}

std::string ReducerColumn(size_t i) {
  std::string name = "r";
  name += std::to_string(i);
  return name;
}

std::string ReducerText(const ReducerCall& r) {
  std::string args;
  for (size_t i = 0; i < r.columns.size(); ++i) {
    if (i > 0) args += ", ";
    args += r.columns[i];
  }
  if (r.plus_half) args += " + 0.5";
  if (!r.id_column.empty()) args += ", id=" + r.id_column;
  return std::string(OpName(r.op)) + "(" + args + ")";
}

std::string Pipeline::Describe() const {
  std::string out = "t";
  switch (filter.kind) {
    case FilterSpec::Kind::kNone: break;
    case FilterSpec::Kind::kModNotEqual:
      out += ".filter(" + filter.column + " % " + std::to_string(filter.modulus) +
             " != " + std::to_string(filter.remainder) + ")";
      break;
    case FilterSpec::Kind::kGreater:
      out += ".filter(" + filter.column + " > " + std::to_string(filter.threshold) + ")";
      break;
  }
  if (with_columns.enabled) {
    out += ".with_columns(w = v * " + std::to_string(with_columns.mul) + " + " +
           std::to_string(with_columns.add) + ")";
  }
  switch (temporal_op.kind) {
    case TemporalOpSpec::Kind::kNone: break;
    case TemporalOpSpec::Kind::kIgnoreLate:
      out += ".ignore_late(t, " + Number(temporal_op.threshold) + ")";
      break;
    case TemporalOpSpec::Kind::kBuffer:
      out += ".buffer(t, " + Number(temporal_op.threshold) + ")";
      break;
    case TemporalOpSpec::Kind::kForget:
      out += ".forget(t, " + Number(temporal_op.threshold) + ")";
      break;
  }
  if (windowed) {
    out += ".windowby(t, " + WindowText(window);
    if (window.instance) out += ", instance=" + *window.instance;
    if (behavior) out += ", behavior=" + BehaviorText(*behavior);
    out += ")";
  } else {
    out += ".groupby(";
    for (size_t i = 0; i < group_columns.size(); ++i) {
      out += (i > 0 ? ", " : "") + group_columns[i];
    }
    out += ")";
  }
  out += ".reduce(";
  auto columns = OutputColumns();
  size_t reducer_index = 0;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ", ";
    if (columns[i] == "spread") {
      out += "spread = max(v) - min(v)";
    } else if (columns[i].size() > 1 && columns[i][0] == 'r' &&
               std::isdigit(static_cast<unsigned char>(columns[i][1]))) {
      out += columns[i] + " = " + ReducerText(reducers[reducer_index++]);
    } else {
      out += columns[i];
    }
  }
  return out + ")";
}

}  // namespace vigil::oracle
