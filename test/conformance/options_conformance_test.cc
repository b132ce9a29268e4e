// Conformance cases (or parts of cases) that exercise reducer options and build-time
// warnings: sum(strict=True) (R-02 exact form, R-06 strict=True) and the windowby warning for
// latest (W-30).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conformance_util.h"
#include "connectors/debug.h"
#include "golden.h"

namespace vigil {
namespace {

using ::vigil::conformance::LookUp;
using ::vigil::conformance::RowsById;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::ExpectMatrixStable;
using ::vigil::testing::FinalRows;
using ::vigil::testing::RowsText;

// R-02: python/pathway/tests/test_reducers.py::test_append_only_reducers, exact form with
// sum(value + 0.2, strict=True).
TEST(ReducersConformance, R02_AppendOnlyReducersStrictSum) {
  auto t = debug::table_from_markdown(R"(
  | instance | value | source
1 |     1    |   2   |    1
2 |     1    |   3   |    2
3 |     2    |   3   |    3
4 |     2    |   1   |    4
)");
  auto result = t.groupby({this_["instance"]})
                    .reduce({{"instance", this_["instance"]},
                             {"min", reducers::min(this_["value"])},
                             {"source_min", reducers::argmin(this_["value"])},
                             {"max", reducers::max(this_["value"])},
                             {"source_max", reducers::argmax(this_["value"])},
                             {"any", reducers::any(this_["value"])},
                             {"sum_i", reducers::sum(this_["value"])},
                             {"sum_f", reducers::sum(this_["value"] + 0.2, /*strict=*/true)}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ExpectMatrixStable(result);
  auto captured = debug::CaptureAll({t, result});
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  auto looked_up = LookUp((*captured)[1].updates, RowsById((*captured)[0]), {{2, 2}, {4, 2}});
  EXPECT_EQ(RowsText(looked_up), ExpectedRows(R"(
1 | 2 | 1 | 3 | 2 | 2 | 5 | 5.4
2 | 1 | 4 | 3 | 3 | 1 | 4 | 4.4
)"));
}

// R-06: test_reducers.py::test_float_sum_precision[strict=True].
TEST(ReducersConformance, R06_FloatSumPrecisionStrict) {
  auto t = debug::table_from_markdown(R"(
  a
-10.1
-10.1
  1
  1
 10.1
 10.1
)");
  auto s = t.select({{"a", pow(this_["a"], 21)}});
  auto result = s.groupby({}).reduce({{"s", reducers::sum(this_["a"], /*strict=*/true)}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("2.0"));
}

// W-30 (warning part): test_windows.py::test_latest_reducer expects a warning when latest()
// is used in a windowby reduce.
TEST(WindowsConformance, W30_LatestInWindowbyWarns) {
  auto t = debug::table_from_markdown(R"(
t | a
1 | 1
2 | 2
3 | 3
)");
  auto result =
      t.windowby(this_["t"], temporal::sliding(/*hop=*/1, /*duration=*/2))
          .reduce({{"t", this_["_pw_window_start"]}, {"a", reducers::latest(this_["a"])}});
  const std::vector<std::string>& warnings = result.warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "latest reducer uses processing time to choose elements while windowby uses data "
            "time to assign entries to windows. Maybe it is not the behavior you want. To "
            "choose elements according to their data time, you may use max reducer.");
}

}  // namespace
}  // namespace vigil
