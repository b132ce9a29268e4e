// SortedMultiset (the per-group state of min/max/argmin/argmax and the general reducers)
// against a std::map model, on random insertions and retractions that cross its switch
// from a flat array to a B-tree, and the reducers on groups far larger than that switch.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <tuple>
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "golden.h"
#include "vigil/ops/reduce/sorted_multiset.h"

namespace vigil {
namespace {

using Model = std::map<std::pair<int64_t, int64_t>, int64_t>;

std::vector<std::pair<std::pair<int64_t, int64_t>, int64_t>> Contents(const SortedMultiset<2>& s) {
  std::vector<std::pair<std::pair<int64_t, int64_t>, int64_t>> out;
  s.ForEach([&out](const auto& entry, int64_t count) {
    out.push_back({{entry[0].as_int(), entry[1].as_int()}, count});
  });
  return out;
}

const std::pair<int64_t, int64_t>* FirstPositive(const Model& m) {
  for (const auto& [k, c] : m) {
    if (c > 0) return &k;
  }
  return nullptr;
}

// Random walks of several sizes: small ones stay flat, large ones move to the tree; values
// come in random order, multiplicities go negative (a retraction of what was never there)
// and back, entries leave when they reach zero.
TEST(SortedMultiset, EqualsAnOrderedMapAcrossTheFlatToTreeSwitch) {
  std::mt19937_64 rng(7);
  for (int distinct : {1, 3, 31, 32, 33, 100, 2000}) {
    SortedMultiset<2> set;
    std::vector<StoredEntry<2>> retired;
    Model model;
    std::uniform_int_distribution<int64_t> value(0, distinct - 1);
    std::uniform_int_distribution<int> diff(-2, 3);
    for (int step = 0; step < distinct * 20; ++step) {
      const int64_t v = value(rng);
      const int64_t d = diff(rng);
      set.Add({Value::Int(v / 4), Value::Int(v % 4)}, d, &retired);
      if (d != 0 && (model[{v / 4, v % 4}] += d) == 0) model.erase({v / 4, v % 4});
      if (step % 97 != 0) continue;
      ASSERT_EQ(Contents(set), (std::vector<std::pair<std::pair<int64_t, int64_t>, int64_t>>(
                                model.begin(), model.end())))
          << "step " << step;
      const auto* first = set.FirstPositive();
      const auto* expected = FirstPositive(model);
      ASSERT_EQ(first == nullptr, expected == nullptr);
      if (first != nullptr) {
        EXPECT_EQ((*first)[0].as_int(), expected->first);
        EXPECT_EQ((*first)[1].as_int(), expected->second);
      }
      const auto* last = set.LastPositive();
      const std::pair<int64_t, int64_t>* expected_last = nullptr;
      for (auto it = model.rbegin(); it != model.rend(); ++it) {
        if (it->second > 0) {
          expected_last = &it->first;
          break;
        }
      }
      ASSERT_EQ(last == nullptr, expected_last == nullptr);
      if (last != nullptr) {
        EXPECT_EQ((*last)[0].as_int(), expected_last->first);
      }
      // The first positive entry at or after (p, None): None sorts before every int.
      const int64_t p = value(rng) / 4;
      const auto* at_least = set.FirstPositiveAtLeast({Value::Int(p), Value::None()});
      const std::pair<int64_t, int64_t>* expected_at_least = nullptr;
      for (auto it = model.lower_bound({p, INT64_MIN}); it != model.end(); ++it) {
        if (it->second > 0) {
          expected_at_least = &it->first;
          break;
        }
      }
      ASSERT_EQ(at_least == nullptr, expected_at_least == nullptr);
      if (at_least != nullptr) {
        EXPECT_EQ((*at_least)[0].as_int(), expected_at_least->first);
      }
    }
    EXPECT_EQ(set.empty(), model.empty());
  }
}

// Strings own their bytes: the entries must survive the batch values they came from, also
// when they move from the flat array into the tree.
TEST(SortedMultiset, StoredStringsOutliveTheirSourceThroughTheSwitch) {
  SortedMultiset<1> set;
  std::vector<StoredEntry<1>> retired;
  for (int i = 99; i >= 0; --i) {
    std::string text = "user-" + std::to_string(1000 + i);
    set.Add({Value::String(text)}, 1, &retired);
    text.assign(text.size(), '#');  // The source is overwritten right away.
  }
  std::vector<std::string> seen;
  set.ForEach([&seen](const auto& entry, int64_t count) {
    EXPECT_EQ(count, 1);
    seen.emplace_back(entry[0].as_string());
  });
  ASSERT_EQ(seen.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[i], "user-" + std::to_string(1000 + i));
  // A view of an entry (as a reducer's result is) stays valid after the entry is removed,
  // until the retired entries are freed: the groupby's -old rows are such views.
  const Value smallest = (*set.FirstPositive())[0];
  set.Add({Value::String("user-1000")}, -1, &retired);
  for (int i = 1; i < 100; i += 2) set.Add({Value::String("user-" + std::to_string(1000 + i))}, -1, &retired);
  ASSERT_EQ(retired.size(), 51u);
  EXPECT_EQ(smallest.as_string(), "user-1000");
  EXPECT_EQ((*set.FirstPositive())[0].as_string(), "user-1002");
}

// min, max, argmax, count_distinct and sorted_tuple of groups of hundreds of distinct values
// inserted in random order and partly retracted in later commits, against values computed
// here from the same rows.
TEST(SortedMultiset, ReducersOfLargeGroupsUnderRetractionsMatchAFreshComputation) {
  std::mt19937_64 rng(11);
  std::string markdown = "id | k | v | __time__ | __diff__\n";
  std::map<std::string, std::multiset<int64_t>> alive;
  int id = 0;
  std::vector<std::tuple<int, std::string, int64_t>> inserted;
  for (int time = 2; time <= 10; time += 2) {
    for (int i = 0; i < 300; ++i) {
      const std::string k = (rng() % 3 == 0) ? "a" : "b";
      const int64_t v = static_cast<int64_t>(rng() % 1000);
      markdown += std::to_string(++id) + " | " + k + " | " + std::to_string(v) + " | " +
                  std::to_string(time) + " | 1\n";
      inserted.emplace_back(id, k, v);
      alive[k].insert(v);
    }
    // Retract a random third of what is alive so far (each row once).
    std::shuffle(inserted.begin(), inserted.end(), rng);
    const size_t retract = inserted.size() / 3;
    for (size_t r = 0; r < retract; ++r) {
      const auto& [rid, k, v] = inserted.back();
      markdown += std::to_string(rid) + " | " + k + " | " + std::to_string(v) + " | " +
                  std::to_string(time) + " | -1\n";
      alive[k].erase(alive[k].find(v));
      inserted.pop_back();
    }
  }
  auto t = debug::table_from_markdown(markdown);
  auto r = t.groupby({this_["k"]})
               .reduce({this_["k"],
                        {"lo", reducers::min(this_["v"])},
                        {"hi", reducers::max(this_["v"])},
                        {"distinct", reducers::count_distinct({this_["v"]})},
                        {"sorted", reducers::sorted_tuple(this_["v"])}});
  std::vector<std::string> expected;
  for (const auto& [k, values] : alive) {
    std::string sorted = "(";
    for (auto it = values.begin(); it != values.end(); ++it) {
      if (it != values.begin()) sorted += ", ";
      sorted += std::to_string(*it);
    }
    sorted += ")";
    const std::set<int64_t> distinct(values.begin(), values.end());
    expected.push_back(k + " | " + std::to_string(*values.begin()) + " | " +
                       std::to_string(*values.rbegin()) + " | " +
                       std::to_string(distinct.size()) + " | " + sorted);
  }
  // Under the golden matrix: batches of 1, 2 and 7 rows, shuffled, commits split.
  EXPECT_EQ(testing::FinalRows(r), expected);
}

}  // namespace
}  // namespace vigil
