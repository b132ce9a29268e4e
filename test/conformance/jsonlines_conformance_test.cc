// Conformance case C-03 of ../shared/conformance/CASES.md: Pathway's
// python/pathway/tests/test_errors.py::test_jsonlines_reading (pw.io.jsonlines.read with
// terminate_on_error=False, then fill_error(b, 0), fill_error(c, 0)).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "connectors/io.h"
#include "golden.h"

namespace vigil {
namespace {

using ::testing::UnorderedElementsAre;

class JsonLinesConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "vigil_c03_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(JsonLinesConformance, C03_JsonlinesReadingKeepsBadFieldsAsErrors) {
  // The input lines of C-03, one JSON object per line.
  const std::string path = dir_ + "/input.jsonlines";
  {
    std::ofstream out(path, std::ios::binary);
    out << "{\"a\": 1, \"b\": 2, \"c\": 3}\n"
           "{\"a\": 2, \"b\": \"x\", \"c\": 3}\n"
           "{\"a\": 1, \"b\": 3, \"c\": \"y\"}\n"
           "{\"a\": 6, \"b\": \"1\", \"c\": \"t\"}\n"
           "{\"a\": 7, \"b\": 1, \"c\": null}\n";
  }
  const Schema schema{{"a", dtype::Int}, {"b", dtype::Int}, {"c", dtype::Optional(dtype::Int)}};
  const Table input = io::jsonlines::read(path, schema, io::Mode::kStatic);
  const Table result =
      input.with_columns({{"b", fill_error(this_["b"], 0)}, {"c", fill_error(this_["c"], 0)}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();

  // terminate_on_error=False: bad fields stay in their rows as errors.
  const std::vector<std::string> expected_rows = testing::ExpectedRows(R"(
    1 | 2 | 3
    2 | 0 | 3
    1 | 3 | 0
    6 | 0 | 0
    7 | 1 | None
  )");
  for (size_t batch_rows : {0, 1, 2, 7}) {
    std::vector<std::string> messages;
    RunOptions options;
    options.on_bad_row = OnBadRow::kKeepError;
    options.echo_errors = false;
    options.max_batch_rows = batch_rows;
    options.on_data_error = [&](const DataError& e) { messages.push_back(e.message); };
    auto captured = debug::Capture(result, options);
    ASSERT_TRUE(captured.ok()) << captured.status().ToString();
    EXPECT_EQ(testing::RowsText(captured->updates), expected_rows) << "batch rows " << batch_rows;
    EXPECT_THAT(messages,
                UnorderedElementsAre(
                    "failed to create a field \"b\" with type int from json payload: \"x\"",
                    "failed to create a field \"b\" with type int from json payload: \"1\"",
                    "failed to create a field \"c\" with type int | None from json payload: \"t\"",
                    "failed to create a field \"c\" with type int | None from json payload: \"y\""))
        << "batch rows " << batch_rows;
  }
  // The default policy (skip bad rows) under the full test matrix.
  testing::ExpectMatrixStable(result);
}

}  // namespace
}  // namespace vigil
