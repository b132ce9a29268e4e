#include "oracle.h"

#include <map>

#include "behavior_replay.h"
#include "plain_temporal_replay.h"

namespace vigil::oracle {

namespace {

/// filter and with_columns, change by change (both are stateless and keep ids).
std::vector<RowChange> RowStage(const Pipeline& p, const std::vector<RowChange>& changes) {
  std::vector<RowChange> out;
  for (const RowChange& change : changes) {
    if (p.filter.kind != FilterSpec::Kind::kNone) {
      const OValue& x = change.values.at(p.filter.column);
      const bool keep = p.filter.kind == FilterSpec::Kind::kModNotEqual
                            ? PythonMod(x.as_int(), p.filter.modulus) != p.filter.remainder
                            : x.as_number() > static_cast<double>(p.filter.threshold);
      if (!keep) continue;
    }
    RowChange c = change;
    if (p.with_columns.enabled) {
      c.values["w"] = OValue::Int(c.values.at("v").as_int() * p.with_columns.mul +
                                  p.with_columns.add);
    }
    out.push_back(std::move(c));
  }
  return out;
}

/// groupby, or tumbling/sliding windowby without behavior, over a table: every row (every
/// (row, window) pair) is a member since the row's version arrived.
Groups GroupRows(const Pipeline& p, const std::vector<TimedRow>& table) {
  Groups groups;
  for (const TimedRow& r : table) {
    if (!p.windowed) {
      std::vector<OValue> key;
      for (const auto& c : p.group_columns) key.push_back(r.values.at(c));
      groups[key].push_back(Member{r.id, r.id, r.time, r.values});
      continue;
    }
    OValue instance = p.window.instance ? r.values.at(*p.window.instance) : OValue::None();
    for (auto [start, index] : AssignWindows(p.window, r.values.at("t").as_int())) {
      OValue s = OValue::Int(start), e = OValue::Int(start + p.window.Duration());
      std::vector<OValue> key = {OValue::Tuple({instance, s, e}), s, e, instance};
      Key row_key = HashValues({OValue::Pointer(r.id), OValue::Int(index)});
      groups[key].push_back(Member{row_key, r.id, r.time, r.values});
    }
  }
  return groups;
}

/// Session windows over a table. A row's version in the reduce input includes its session
/// (`_pw_window`, start, end), so when a merge or split changes its session the row is
/// re-inserted at that commit: `versions` remembers, for every (row key, session, values) of
/// the previous commit, since when it has been present.
class SessionGrouping {
 public:
  SessionGrouping(const Pipeline& p, const OracleOptions& options, Coverage* coverage)
      : p_(p), options_(options), coverage_(coverage) {}

  Groups Group(const std::vector<TimedRow>& table, uint64_t time) {
    std::vector<SessionOf> sessions =
        AssignSessions(p_.window, table, options_.session_representative);
    std::map<std::vector<OValue>, uint64_t, ValuesLess> versions;
    std::map<std::vector<OValue>, std::vector<OValue>, ValuesLess> sessions_of_rows;
    Groups groups;
    for (size_t i = 0; i < table.size(); ++i) {
      const TimedRow& r = table[i];
      const SessionOf& s = sessions[i];
      OValue instance = p_.window.instance ? r.values.at(*p_.window.instance) : OValue::None();
      std::vector<OValue> key = {OValue::Pointer(s.representative), OValue::Int(s.start),
                                 OValue::Int(s.end), instance};
      Key row_key = options_.session_rows_keep_input_ids
                        ? r.id
                        : HashValues({OValue::Pointer(r.id), OValue::Int(0)});
      std::vector<OValue> version = key;
      version.push_back(OValue::Pointer(row_key));
      for (const auto& [name, value] : r.values) version.push_back(value);
      auto previous = versions_.find(version);
      const uint64_t since = previous != versions_.end() ? previous->second : time;
      versions[version] = since;
      groups[key].push_back(Member{row_key, r.id, since, r.values});
      // The row as it is, without its session: did its session change under it?
      std::vector<OValue> row(version.begin() + 4, version.end());
      auto was = sessions_of_rows_.find(row);
      if (coverage_ && was != sessions_of_rows_.end() && !SameValues(was->second, key)) {
        ++coverage_->session_moves;
      }
      sessions_of_rows[row] = key;
    }
    versions_ = std::move(versions);
    sessions_of_rows_ = std::move(sessions_of_rows);
    return groups;
  }

 private:
  static bool SameValues(const std::vector<OValue>& a, const std::vector<OValue>& b) {
    return !ValuesLess()(a, b) && !ValuesLess()(b, a);
  }

  const Pipeline& p_;
  const OracleOptions& options_;
  Coverage* coverage_;
  std::map<std::vector<OValue>, uint64_t, ValuesLess> versions_;
  std::map<std::vector<OValue>, std::vector<OValue>, ValuesLess> sessions_of_rows_;
};

}  // namespace

std::vector<std::vector<OutputRow>> Evaluate(const Pipeline& p, const InputStream& stream,
                                             const OracleOptions& options, Coverage* coverage) {
  std::vector<std::vector<OutputRow>> out;
  if (p.has_active_behavior()) {
    BehaviorReplay replay(p, coverage);
    for (const Commit& commit : stream) {
      replay.Commit(RowStage(p, Consolidated(commit.changes)), commit.time, commit.end_of_input);
      out.push_back(replay.Output());
    }
    return out;
  }
  PlainTemporalReplay table(p.temporal_op, coverage);
  SessionGrouping sessions(p, options, coverage);
  for (const Commit& commit : stream) {
    table.Commit(RowStage(p, Consolidated(commit.changes)), commit.time, commit.end_of_input);
    const std::vector<TimedRow> rows = table.Output();
    out.push_back(ReduceGroups(p, p.is_session() ? sessions.Group(rows, commit.time)
                                                 : GroupRows(p, rows)));
  }
  return out;
}

}  // namespace vigil::oracle
