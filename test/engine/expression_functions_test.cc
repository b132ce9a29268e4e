// The C++ API's datetime and string functions (vigil/expr/datetime_functions.h,
// string_functions.h) on a few values each, and their runtime errors. The Python tests
// (python/tests/test_api_dt_str.py) compare them with Python's datetime and str on random
// values.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "vigil/vigil.h"

namespace vigil {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::vigil::engine_test::RowsKeepingErrors;

TEST(ExpressionFunctions, StrptimeStrftimeAndFields) {
  const Table t = debug::table_from_markdown(R"(
k | s
1 | 2023-03-25T16:43:21.5+01:00
2 | 1969-12-31T23:59:59Z
)");
  const Expr utc = dt::strptime(this_["s"], "%Y-%m-%dT%H:%M:%S%z");
  const Table r = t.filter(this_["k"] == 2).select(
      {{"d", utc}, {"y", dt::year(utc)}, {"wd", dt::weekday(utc)},
       {"f", dt::strftime(utc, "%d %b %Y %I %p %j %s")}});
  EXPECT_EQ(r.schema()[0].type, dtype::DateTimeUtc);
  EXPECT_THAT(RowsKeepingErrors(r),
              ElementsAre("1969-12-31 23:59:59+00:00 | 1969 | 2 | 31 Dec 1969 11 PM 365 -1"));
  const Table naive = debug::table_from_markdown("s\n2023-03-25T16:43:21.123456789\n");
  const Expr n = dt::strptime(this_["s"], "%Y-%m-%dT%H:%M:%S.%f");
  EXPECT_THAT(RowsKeepingErrors(naive.select({{"ns", dt::nanosecond(n)},
                                              {"us", dt::microsecond(n)},
                                              {"t", dt::strftime(n, "%T.%f%z")}})),
              ElementsAre("123456789 | 123456 | 16:43:21.123456789"));
}

TEST(ExpressionFunctions, FloorKeepsTheDatetimeType) {
  const Table t = debug::table_from_markdown("s\n1969-12-31T23:59:59+0100\n");
  const Expr utc = dt::strptime(this_["s"], "%Y-%m-%dT%H:%M:%S%z");
  const Expr naive = dt::strptime(this_["s"], "%Y-%m-%dT%H:%M:%S+0100");
  const int64_t hour = int64_t{3600} * 1000000000;
  const Table r = t.select({{"u", dt::floor(utc, hour)}, {"n", dt::floor(naive, 24 * hour)},
                            {"bad", dt::floor(naive, 0)}});
  EXPECT_EQ(r.schema()[0].type, dtype::DateTimeUtc);
  EXPECT_EQ(r.schema()[1].type, dtype::DateTimeNaive);
  EXPECT_THAT(RowsKeepingErrors(r),
              ElementsAre("1969-12-31 22:00:00+00:00 | 1969-12-31 00:00:00 | Error"));
  EXPECT_THAT(engine_test::RunStatus(r).ToString(),
              HasSubstr("dt.floor: the duration must be positive"));
}

TEST(ExpressionFunctions, ARowThatDoesNotParseIsAnErrorSayingWhy) {
  const Table t = debug::table_from_markdown("s\n2023-02-30\n2023-02-28\n");
  const Table r = t.select({{"d", dt::strptime(this_["s"], "%Y-%m-%d")}});
  EXPECT_THAT(RowsKeepingErrors(r), ElementsAre("2023-02-28 00:00:00", "Error"));
  EXPECT_THAT(engine_test::RunStatus(r).ToString(),
              HasSubstr("dt.strptime: '2023-02-30' does not match format '%Y-%m-%d': no such "
                        "date or time: 2023-02-30 00:00:00"));
  EXPECT_THAT(engine_test::RunStatus(t.select({{"d", dt::year(this_["s"])}})).ToString(),
              HasSubstr("dt.year: expected a datetime, got '2023-02-30'"));
  // Nanoseconds since the epoch must fit 64 bits: years 1677-2262 (found by the damaged
  // strings of the Python test, which wrapped around before).
  const Table far = debug::table_from_markdown("s\n2555-01-14\n1600-01-01\n2262-04-11\n");
  EXPECT_THAT(RowsKeepingErrors(far.select({{"d", dt::strptime(this_["s"], "%Y-%m-%d")}})),
              ElementsAre("2262-04-11 00:00:00", "Error", "Error"));
  EXPECT_THAT(engine_test::RunStatus(far.select({{"d", dt::strptime(this_["s"], "%Y-%m-%d")}}))
                  .ToString(),
              HasSubstr("out of the datetime range"));
}

TEST(ExpressionFunctions, StringFunctions) {
  const Table t = debug::table_from_markdown("s\nxAbé日b\n");
  EXPECT_THAT(RowsKeepingErrors(t.select({{"l", str::lower(this_["s"])},
                                          {"u", str::upper(this_["s"])},
                                          {"n", str::len(this_["s"])},
                                          {"f", str::find(this_["s"], "日")},
                                          {"c", str::count(this_["s"], "b")},
                                          {"r", str::replace(this_["s"], "b", "-", 1)},
                                          {"st", str::strip(this_["s"], "xb")},
                                          {"sw", str::startswith(this_["s"], "xA")}})),
              ElementsAre("xabé日b | XABé日B | 6 | 4 | 2 | xA-é日b | Abé日 | True"));
  EXPECT_THAT(RowsKeepingErrors(t.select({{"rf", str::rfind(this_["s"], "b")},
                                          {"sl", str::slice(this_["s"], -3, 5)},
                                          {"rv", str::reversed(this_["s"])},
                                          {"rp", str::removeprefix(this_["s"], "xA")},
                                          {"rs", str::removesuffix(this_["s"], "日b")}})),
              ElementsAre("5 | é日 | b日ébAx | bé日b | xAbé"));
  // A column of strings (the x keeps the markdown reader from reading numbers).
  const Table nums = debug::table_from_markdown("s\n-42\n1e3\nx\n");
  EXPECT_THAT(RowsKeepingErrors(nums.select({{"i", str::parse_int(this_["s"], true)},
                                             {"f", str::parse_float(this_["s"])}})),
              ElementsAre("-42 | -42.0", "None | 1000.0", "None | Error"));
}

}  // namespace
}  // namespace vigil
