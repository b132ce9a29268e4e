#include "rules/rules_config.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string_view>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "rules/address_prefix.h"

namespace vigil::rules {

RulesConfig DefaultRulesConfig() { return RulesConfig{}; }

namespace {

/// Reads one TOML document into a RulesConfig, failing at the first problem with a message
/// that points at it: `FILE:LINE:COLUMN: key 'brute_force.windows[0].window': ...`.
class ConfigReader {
 public:
  explicit ConfigReader(std::string source) : source_(std::move(source)) {}

  Status Read(const toml::table& root, RulesConfig& config) {
    RETURN_NOT_OK(CheckKeys(root, "", {"addresses", "allowlist", "alerts", "brute_force",
                                       "slow_brute_force", "spraying", "distributed",
                                       "success_after_failures", "scan"}));
    if (const toml::table* t = nullptr; Section(root, "addresses", t, status_), t) {
      RETURN_NOT_OK(CheckKeys(*t, "addresses", {"ipv4_prefix", "ipv6_prefix"}));
      RETURN_NOT_OK(ReadInt(*t, "addresses", "ipv4_prefix", 0, 32, config.addresses.ipv4_prefix));
      RETURN_NOT_OK(
          ReadInt(*t, "addresses", "ipv6_prefix", 0, 128, config.addresses.ipv6_prefix));
    }
    RETURN_NOT_OK(status_);
    if (const toml::table* t = nullptr; Section(root, "allowlist", t, status_), t) {
      RETURN_NOT_OK(CheckKeys(*t, "allowlist", {"addresses"}));
      RETURN_NOT_OK(ReadAllowlist(*t, config.allowlist));
    }
    RETURN_NOT_OK(status_);
    if (const toml::table* t = nullptr; Section(root, "alerts", t, status_), t) {
      RETURN_NOT_OK(CheckKeys(*t, "alerts", {"max_users"}));
      RETURN_NOT_OK(ReadInt(*t, "alerts", "max_users", int64_t{0}, int64_t{10000}, config.alerts.max_users));
    }
    RETURN_NOT_OK(status_);
    RETURN_NOT_OK(ReadWindowedRule(root, "brute_force", "min_failures",
                                   config.brute_force.enabled, config.brute_force.windows,
                                   {"forgive_typos"}));
    if (const toml::table* t = root["brute_force"].as_table()) {
      RETURN_NOT_OK(ReadInt(*t, "brute_force", "forgive_typos", int64_t{0}, int64_t{1000},
                            config.brute_force.forgive_typos));
    }
    RETURN_NOT_OK(ReadWindowedRule(root, "slow_brute_force", "min_failures",
                                   config.slow_brute_force.enabled,
                                   config.slow_brute_force.windows));
    RETURN_NOT_OK(ReadWindowedRule(root, "spraying", "min_users", config.spraying.enabled,
                                   config.spraying.windows));
    RETURN_NOT_OK(ReadWindowedRule(root, "distributed", "min_ips", config.distributed.enabled,
                                   config.distributed.windows));
    RETURN_NOT_OK(ReadWindowedRule(root, "scan", "min_events", config.scan.enabled,
                                   config.scan.windows));
    if (const toml::table* t = nullptr; Section(root, "success_after_failures", t, status_), t) {
      auto& c = config.success_after_failures;
      RETURN_NOT_OK(CheckKeys(*t, "success_after_failures",
                              {"enabled", "lookback", "min_failures", "same_user"}));
      RETURN_NOT_OK(ReadBool(*t, "success_after_failures", "enabled", c.enabled));
      RETURN_NOT_OK(ReadBool(*t, "success_after_failures", "same_user", c.same_user));
      RETURN_NOT_OK(ReadDuration(*t, "success_after_failures", "lookback", c.lookback_seconds));
      RETURN_NOT_OK(ReadInt(*t, "success_after_failures", "min_failures", int64_t{1},
                            int64_t{1'000'000'000}, c.min_failures));
    }
    return status_;
  }

 private:
  std::string Where(const toml::source_region& region) const {
    return fmt::format("{}:{}:{}", source_, region.begin.line, region.begin.column);
  }

  static std::string Join(std::string_view prefix, std::string_view key) {
    return prefix.empty() ? std::string(key) : fmt::format("{}.{}", prefix, key);
  }

  /// How a node reads in an error message: its TOML type and value.
  static std::string Describe(const toml::node& node) {
    std::ostringstream text;
    switch (node.type()) {
      case toml::node_type::string:
        return fmt::format("string \"{}\"", node.as_string()->get());
      case toml::node_type::integer:
        return fmt::format("integer {}", node.as_integer()->get());
      case toml::node_type::floating_point:
        return fmt::format("float {}", node.as_floating_point()->get());
      case toml::node_type::boolean:
        return fmt::format("boolean {}", node.as_boolean()->get());
      case toml::node_type::table:
        return "a table";
      case toml::node_type::array:
        return "an array";
      default:
        return "a date/time";
    }
  }

  Status Error(const toml::node& node, std::string_view key, std::string_view expected) const {
    return Status::Invalid("{}: key '{}': expected {}, got {}", Where(node.source()), key,
                           expected, Describe(node));
  }

  /// Fails on any key of `table` not in `known`, listing the keys that exist there.
  Status CheckKeys(const toml::table& table, std::string_view path,
                   std::initializer_list<std::string_view> known) const {
    return CheckKeys(table, path, std::vector<std::string_view>(known));
  }
  Status CheckKeys(const toml::table& table, std::string_view path,
                   const std::vector<std::string_view>& known) const {
    for (auto&& [key, node] : table) {
      bool found = false;
      for (std::string_view k : known) found = found || key.str() == k;
      if (!found) {
        std::string names;
        for (std::string_view k : known) names += names.empty() ? std::string(k) : ", " + std::string(k);
        return Status::Invalid("{}: unknown key '{}' (expected one of: {})",
                               Where(key.source()), Join(path, key.str()), names);
      }
    }
    return Status::OK();
  }

  /// Sets `out` to the sub-table `name` of `root` when present; a non-table is an error,
  /// left in `status`.
  void Section(const toml::table& root, std::string_view name, const toml::table*& out,
               Status& status) const {
    const toml::node* node = root.get(name);
    out = nullptr;
    if (node == nullptr) return;
    if (!node->is_table()) {
      status = Error(*node, name, "a table ([" + std::string(name) + "])");
      return;
    }
    out = node->as_table();
  }

  Status ReadBool(const toml::table& t, std::string_view path, std::string_view key,
                  bool& out) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) return Status::OK();
    if (!node->is_boolean()) return Error(*node, Join(path, key), "true or false");
    out = node->as_boolean()->get();
    return Status::OK();
  }

  template <typename Int>
  Status ReadInt(const toml::table& t, std::string_view path, std::string_view key, Int min,
                 Int max, Int& out) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) return Status::OK();
    const std::string expected = fmt::format("an integer from {} to {}", min, max);
    if (!node->is_integer()) return Error(*node, Join(path, key), expected);
    const int64_t value = node->as_integer()->get();
    if (value < static_cast<int64_t>(min) || value > static_cast<int64_t>(max)) {
      return Error(*node, Join(path, key), expected);
    }
    out = static_cast<Int>(value);
    return Status::OK();
  }

  /// A duration: an integer number of seconds, or a string `N` + `s`, `m`, `h` or `d`.
  Status ReadDurationNode(const toml::node& node, const std::string& key, int64_t& out) const {
    const std::string expected = fmt::format(
        "a duration from 1 s to {} days: seconds (60) or a string like \"90s\", \"10m\", "
        "\"1h\", \"1d\"",
        kMaxWindowSeconds / 86400);
    int64_t seconds = 0;
    if (node.is_integer()) {
      seconds = node.as_integer()->get();
    } else if (node.is_string()) {
      const std::string& text = node.as_string()->get();
      if (text.size() < 2) return Error(node, key, expected);
      int64_t unit = 0;
      switch (text.back()) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: return Error(node, key, expected);
      }
      int64_t count = 0;
      const char* end = text.data() + text.size() - 1;
      auto [ptr, ec] = std::from_chars(text.data(), end, count);
      if (ec != std::errc() || ptr != end || count > kMaxWindowSeconds) {
        return Error(node, key, expected);
      }
      seconds = count * unit;
    } else {
      return Error(node, key, expected);
    }
    if (seconds < 1 || seconds > kMaxWindowSeconds) return Error(node, key, expected);
    out = seconds;
    return Status::OK();
  }

  Status ReadDuration(const toml::table& t, std::string_view path, std::string_view key,
                      int64_t& out) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) return Status::OK();
    return ReadDurationNode(*node, Join(path, key), out);
  }

  /// `[rule]` with `enabled` and `windows = [{ window = ..., <threshold_key> = ... }, ...]`.
  Status ReadWindowedRule(const toml::table& root, std::string_view rule,
                          std::string_view threshold_key, bool& enabled,
                          std::vector<WindowThreshold>& windows,
                          std::initializer_list<std::string_view> extra_keys = {}) {
    const toml::table* t = nullptr;
    Section(root, rule, t, status_);
    RETURN_NOT_OK(status_);
    if (t == nullptr) return Status::OK();
    std::vector<std::string_view> keys = {"enabled", "windows"};
    keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
    RETURN_NOT_OK(CheckKeys(*t, rule, keys));
    RETURN_NOT_OK(ReadBool(*t, rule, "enabled", enabled));
    const toml::node* node = t->get("windows");
    if (node == nullptr) return Status::OK();
    const std::string key = Join(rule, "windows");
    const std::string expected = fmt::format(
        "an array of 1 to {} tables {{ window = ..., {} = ... }}", kMaxWindowsPerRule,
        threshold_key);
    const toml::array* array = node->as_array();
    if (array == nullptr || array->empty() || array->size() > kMaxWindowsPerRule) {
      return Error(*node, key, expected);
    }
    std::vector<WindowThreshold> parsed;
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      const std::string element_key = fmt::format("{}[{}]", key, i);
      const toml::table* window = element.as_table();
      if (window == nullptr) return Error(element, element_key, expected);
      RETURN_NOT_OK(CheckKeys(*window, element_key, {"window", threshold_key}));
      WindowThreshold w;
      const toml::node* duration = window->get("window");
      const toml::node* threshold = window->get(threshold_key);
      if (duration == nullptr || threshold == nullptr) {
        return Status::Invalid("{}: key '{}': expected both 'window' and '{}'",
                               Where(element.source()), element_key, threshold_key);
      }
      RETURN_NOT_OK(ReadDurationNode(*duration, element_key + ".window", w.window_seconds));
      RETURN_NOT_OK(ReadInt(*window, element_key, threshold_key, int64_t{1},
                            int64_t{1'000'000'000}, w.threshold));
      parsed.push_back(w);
    }
    windows = std::move(parsed);
    return Status::OK();
  }

  Status ReadAllowlist(const toml::table& t, std::vector<std::string>& out) const {
    const toml::node* node = t.get("addresses");
    if (node == nullptr) return Status::OK();
    const std::string expected = "an array of addresses or CIDR prefixes (strings)";
    const toml::array* array = node->as_array();
    if (array == nullptr) return Error(*node, "allowlist.addresses", expected);
    std::vector<std::string> entries;
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      const std::string key = fmt::format("allowlist.addresses[{}]", i);
      if (!element.is_string()) return Error(element, key, expected);
      const std::string& text = element.as_string()->get();
      const Status valid = CheckCidr(text);
      if (!valid.ok()) {
        return Status::Invalid("{}: key '{}': expected an address or CIDR prefix, got \"{}\" ({})",
                               Where(element.source()), key, text, valid.message());
      }
      entries.push_back(text);
    }
    out = std::move(entries);
    return Status::OK();
  }

  std::string source_;
  Status status_;
};

}  // namespace

Result<RulesConfig> ParseRulesConfig(std::string_view text, const std::string& source_name) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    return Status::Invalid("{}:{}:{}: {}", source_name, e.source().begin.line,
                           e.source().begin.column, e.description());
  }
  RulesConfig config = DefaultRulesConfig();
  ConfigReader reader(source_name);
  RETURN_NOT_OK(reader.Read(root, config));
  return config;
}

Result<RulesConfig> LoadRulesConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("{}: cannot open the rules file", path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError("{}: cannot read the rules file", path);
  return ParseRulesConfig(text.str(), path);
}

}  // namespace vigil::rules
