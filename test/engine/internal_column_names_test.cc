// User columns named like the columns operators add for their own use (issue 8): windowby's
// `_pw_*` columns and reduce's reducer columns must never silently mix with a user column of
// the same name.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "connectors/debug.h"
#include "golden.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;

TEST(InternalColumnNames, WindowbyRejectsAnInputColumnNamedLikeItsOwn) {
  for (const char* name : {"_pw_window_end", "_pw_window_start", "_pw_instance", "_pw_window",
                           "_pw_original_id"}) {
    SCOPED_TRACE(name);
    auto t = debug::table_from_markdown(std::string("t | ") + name + "\n1 | x\n61 | y\n");
    for (const Window& w : {temporal::tumbling(60), temporal::session(int64_t{5})}) {
      auto result = t.windowby(t["t"], w, this_[name])
                        .reduce({{"k", this_["_pw_instance"]},
                                 {"end", this_["_pw_window_end"]},
                                 {"count", reducers::count()}});
      ASSERT_FALSE(result.ok());
      EXPECT_THAT(result.status().message(),
                  HasSubstr(std::string("windowby: the input has a column named '") + name + "'"));
    }
  }
}

TEST(InternalColumnNames, RenamedColumnWorks) {
  auto t = debug::table_from_markdown("t | _pw_window_end\n1 | x\n2 | x\n61 | y\n");
  auto renamed = t.rename({{"_pw_window_end", "key"}});
  auto result = renamed.windowby(renamed["t"], temporal::tumbling(60), this_["key"])
                    .reduce({{"k", this_["_pw_instance"]},
                             {"end", this_["_pw_window_end"]},
                             {"count", reducers::count()}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("x | 60 | 2\ny | 120 | 1"));
}

TEST(InternalColumnNames, GroupingColumnNamedLikeAReducerColumn) {
  // The group row holds the keys, then one column per reducer: a key named `__reducer_0`
  // must not be read in place of count().
  auto t = debug::table_from_markdown("__reducer_0 | v\n7 | 1\n7 | 2\n8 | 3\n");
  auto result = t.groupby({this_["__reducer_0"]})
                    .reduce({{"k", this_["__reducer_0"]},
                             {"count", reducers::count()},
                             {"total", reducers::sum(this_["v"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("7 | 2 | 3\n8 | 1 | 3"));
}

}  // namespace
}  // namespace vigil
