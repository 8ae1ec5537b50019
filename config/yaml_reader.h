// Typed, position-aware reads from a yaml-cpp tree. Every failed read becomes a Diagnostic with
// the line and column of the offending node; reads never throw. Internal to config/.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/diagnostic.h"
#include "config/units.h"

namespace lanwatch {

class YamlReader {
 public:
  YamlReader(std::string file, Diagnostics& out) : file_(std::move(file)), out_(out) {}

  void Report(const YAML::Node& at, std::string message);
  void Report(const YAML::Mark& at, std::string message);

  // Reports keys of `map` not in `allowed`, with the closest allowed key as a suggestion.
  void CheckKeys(const YAML::Node& map, std::span<const std::string_view> allowed,
                 std::string_view where);
  void CheckKeys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                 std::string_view where) {
    CheckKeys(map, std::span<const std::string_view>(allowed.begin(), allowed.size()), where);
  }
  // Reports and returns false unless `node` is a map (or a sequence for ExpectSequence).
  bool ExpectMap(const YAML::Node& node, std::string_view what);
  bool ExpectSequence(const YAML::Node& node, std::string_view what);

  // Each Read* leaves `out` unchanged when the key is absent or the value is wrong.
  // Returns true when the key was present and valid.
  bool ReadString(const YAML::Node& map, std::string_view key, std::string& out);
  bool ReadInt(const YAML::Node& map, std::string_view key, long long min, long long max,
               long long& out);
  bool ReadDuration(const YAML::Node& map, std::string_view key, std::chrono::milliseconds& out);
  bool ReadBitRate(const YAML::Node& map, std::string_view key, std::optional<double>& out);
  bool ReadRatio(const YAML::Node& map, std::string_view key, double& out);
  bool ReadEventRate(const YAML::Node& map, std::string_view key, double& out);
  bool ReadDecibels(const YAML::Node& map, std::string_view key, double& out);

  // Reads a scalar that must be one of `choices` (case-insensitive); sets `out` to its value.
  template <typename E>
  bool ReadEnum(const YAML::Node& map, std::string_view key,
                std::initializer_list<std::pair<std::string_view, E>> choices, E& out) {
    std::string text;
    if (!ReadString(map, key, text)) return false;
    std::vector<std::string_view> names;
    for (const auto& [name, value] : choices) {
      if (EqualsIgnoreCase(name, text)) {
        out = value;
        return true;
      }
      names.push_back(name);
    }
    ReportBadChoice(map[std::string(key)], key, text, names);
    return false;
  }

 private:
  // Returns the scalar text at map[key], reporting a non-scalar; nullopt when absent or wrong.
  std::optional<std::string> Scalar(const YAML::Node& map, std::string_view key);
  void ReportBadChoice(const YAML::Node& at, std::string_view key, std::string_view got,
                       const std::vector<std::string_view>& choices);

  std::string file_;
  Diagnostics& out_;
};

// Names must be unique per kind ("device", "link", "capture", "service"); the second use is
// reported at its `name`.
class NameRegistry {
 public:
  explicit NameRegistry(const char* kind) : kind_(kind) {}
  void Add(YamlReader& r, const YAML::Node& node, const std::string& name);

 private:
  const char* kind_;
  std::map<std::string, YAML::Mark> seen_;
};

// Edit distance, for did-you-mean suggestions.
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace lanwatch
