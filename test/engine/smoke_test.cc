#include <gtest/gtest.h>

#include "connectors/debug.h"

namespace vigil {
namespace {

TEST(Smoke, SlidingWindowCount) {
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
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto r = t.windowby(this_["event_time"], temporal::sliding(4, 10))
               .reduce({{"window_start", this_["_pw_window_start"]},
                         {"window_end", this_["_pw_window_end"]},
                         {"n_logs", reducers::count()}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto captured = debug::Capture(r);
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  for (const auto& u : captured->updates) std::cout << DebugString(u) << "\n";
}

}  // namespace
}  // namespace vigil
