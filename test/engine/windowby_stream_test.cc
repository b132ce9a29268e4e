#include <gtest/gtest.h>

#include "golden.h"

namespace vigil {
namespace {

using ::vigil::testing::ExpectedRows;
using ::vigil::testing::StreamRows;

TEST(WindowbyStream, SlidingCountMatchesPathwayStreamB01) {
  auto t = debug::table_from_markdown(R"(
event_time | message                          | __time__
360        | Processing_started               | 362
362        | Task_completed_successfully      | 362
366        | Error_occurred_during_processing | 368
370        | Data_received_from_sensor        | 410
370        | Database_connection_established  | 370
370        | File_saved_successfully          | 372
372        | Processing_completed             | 374
376        | Request_received_from_user       | 396
382        | Task_in_progress                 | 382
382        | Warning_Low_memory               | 392
)");
  auto r = t.windowby(this_["event_time"], temporal::sliding(4, 10))
               .reduce({{"window_start", this_["_pw_window_start"]},
                        {"window_end", this_["_pw_window_end"]},
                        {"n_logs", reducers::count()}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
352|362|1|362|1
356|366|2|362|1
360|370|2|362|1
360|370|2|368|-1
360|370|3|368|1
364|374|1|368|1
364|374|1|370|-1
364|374|2|370|1
368|378|1|370|1
364|374|2|372|-1
368|378|1|372|-1
364|374|3|372|1
368|378|2|372|1
364|374|3|374|-1
368|378|2|374|-1
364|374|4|374|1
368|378|3|374|1
372|382|1|374|1
376|386|1|382|1
380|390|1|382|1
376|386|1|392|-1
380|390|1|392|-1
376|386|2|392|1
380|390|2|392|1
368|378|3|396|-1
372|382|1|396|-1
376|386|2|396|-1
368|378|4|396|1
372|382|2|396|1
376|386|3|396|1
364|374|4|410|-1
368|378|4|410|-1
364|374|5|410|1
368|378|5|410|1
)"));
}

}  // namespace
}  // namespace vigil
