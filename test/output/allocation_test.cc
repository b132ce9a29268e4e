// Checks that the writers' per-row path does not touch the heap once warmed up. The global
// operator new is replaced for this test binary to count allocations; under AddressSanitizer,
// which owns the allocator, the replacement is left out and the tests skip.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>

#include "connectors/output/csv_writer.h"
#include "connectors/output/jsonl_writer.h"
#include "vigil/batch/batch.h"
#include "vigil/common/key.h"
#include "vigil/types/value.h"

#if defined(__SANITIZE_ADDRESS__)
#define VIGIL_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIGIL_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef VIGIL_COUNT_ALLOCATIONS
#define VIGIL_COUNT_ALLOCATIONS 1
#endif

namespace {
std::atomic<long> allocation_count{0};
}  // namespace

#if VIGIL_COUNT_ALLOCATIONS
void* operator new(std::size_t size) {
  allocation_count.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace vigil {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

/// A batch holding every value kind the writers format, `rows` rows of it.
Batch MixedBatch(size_t rows, const Value* tuple_elements) {
  Batch batch(8);
  batch.Reserve(rows);
  for (size_t r = 0; r < rows; ++r) {
    int64_t i = static_cast<int64_t>(r);
    batch.columns[0].push_back(Value::Int(i));
    batch.columns[1].push_back(Value::String("text with \"quotes\"\n"));
    batch.columns[2].push_back(Value::Float(0.1 * static_cast<double>(i)));
    batch.columns[3].push_back(Value::Pointer(Key{static_cast<uint64_t>(i), 7}));
    batch.columns[4].push_back(Value::DateTimeUtc(i * 1'000'000'007));
    batch.columns[5].push_back(Value::Tuple(tuple_elements, 3));
    batch.columns[6].push_back(r % 3 == 0 ? Value::None() : Value::Bool(r % 2 == 0));
    batch.columns[7].push_back(Value::Duration(i));
    batch.ids.push_back(Key{static_cast<uint64_t>(i), 0});
    batch.diffs.push_back(r % 5 == 0 ? -1 : 1);
  }
  return batch;
}

template <typename Writer>
long AllocationsOfSecondBatch() {
  Value tuple_elements[] = {Value::Int(1), Value::String("a\"b"), Value::Float(1e-7)};
  Batch batch = MixedBatch(5000, tuple_elements);  // About 1 MB of text: many flushes.
  std::unique_ptr<std::FILE, FileCloser> file(std::tmpfile());
  EXPECT_NE(file, nullptr);
  Writer writer(file.get(), {"i", "s", "f", "p", "d", "t", "b", "du"});
  writer.WriteBatch(batch, 2);  // Warm-up: header, scratch buffers.
  long before = allocation_count.load();
  writer.WriteBatch(batch, 4);
  long after = allocation_count.load();
  writer.Flush();
  EXPECT_TRUE(writer.ok());
  return after - before;
}

TEST(WriterAllocationTest, CounterSeesAllocations) {
  if (!VIGIL_COUNT_ALLOCATIONS) GTEST_SKIP() << "allocations are not counted under sanitizers";
  long before = allocation_count.load();
  std::string text = Key{}.ToString();  // 27 characters: beyond the small-string buffer.
  EXPECT_EQ(text.size(), 27u);
  EXPECT_GT(allocation_count.load() - before, 0);
}

TEST(WriterAllocationTest, CsvWriteBatchDoesNotAllocatePerRow) {
  if (!VIGIL_COUNT_ALLOCATIONS) GTEST_SKIP() << "allocations are not counted under sanitizers";
  EXPECT_EQ(AllocationsOfSecondBatch<CsvUpdateWriter>(), 0);
}

TEST(WriterAllocationTest, JsonLinesWriteBatchDoesNotAllocatePerRow) {
  if (!VIGIL_COUNT_ALLOCATIONS) GTEST_SKIP() << "allocations are not counted under sanitizers";
  EXPECT_EQ(AllocationsOfSecondBatch<JsonLinesUpdateWriter>(), 0);
}

}  // namespace
}  // namespace vigil
