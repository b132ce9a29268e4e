#include <gtest/gtest.h>

#include "connectors/output/table_printer.h"
#include "golden.h"

namespace vigil {
namespace {

using ::vigil::testing::ExpectedRows;
using ::vigil::testing::StreamRows;

constexpr const char* kBehaviorInput = R"(
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
)";

Table SlidingCounts() {
  return debug::table_from_markdown(kBehaviorInput)
      .windowby(this_["event_time"], temporal::sliding(4, 10))
      .reduce({{"window_start", this_["_pw_window_start"]},
               {"window_end", this_["_pw_window_end"]},
               {"n_logs", reducers::count()}});
}

TEST(WindowbyStream, SlidingCountMatchesPathwayStreamB01) {
  EXPECT_EQ(StreamRows(SlidingCounts()), ExpectedRows(R"(
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

// P-01: the final state printed end to end in Pathway's layout, ids included (the
// windows_temporal_behavior notebook's ids for these windows; values from B-01's final state).
TEST(WindowbyStream, P01PrintsFinalStateWithPathwayIds) {
  auto captured = debug::Capture(SlidingCounts());
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  EXPECT_EQ(FormatTable(captured->columns, captured->updates, PrintOptions{}),
            "            | window_start | window_end | n_logs\n"
            "^Y8PEAZV... | 352          | 362        | 1\n"
            "^YFKEFV6... | 356          | 366        | 2\n"
            "^DX546QX... | 360          | 370        | 3\n"
            "^B5NPNV8... | 364          | 374        | 5\n"
            "^VRT1YTS... | 368          | 378        | 5\n"
            "^QE3WQ0X... | 372          | 382        | 2\n"
            "^XJDDRJ0... | 376          | 386        | 3\n"
            "^R0SM1CF... | 380          | 390        | 2\n");
}

}  // namespace
}  // namespace vigil
