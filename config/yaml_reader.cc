#include "config/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <numeric>

#include "config/units.h"

namespace lanwatch {

std::string Diagnostic::ToString() const {
  return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

void YamlReader::Report(const YAML::Mark& at, std::string message) {
  // yaml-cpp marks are 0-based; a node without a position (-1) is reported at 1:1.
  out_.push_back(
      Diagnostic{file_, std::max(at.line, 0) + 1, std::max(at.column, 0) + 1, std::move(message)});
}

void YamlReader::Report(const YAML::Node& at, std::string message) {
  Report(at.Mark(), std::move(message));
}

void YamlReader::CheckKeys(const YAML::Node& map, std::span<const std::string_view> allowed,
                           std::string_view where) {
  for (const auto& entry : map) {
    if (!entry.first.IsScalar()) {
      Report(entry.first, fmt::format("{}: a key must be a plain word", where));
      continue;
    }
    const std::string& key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string_view best;
    size_t best_distance = SIZE_MAX;
    for (std::string_view candidate : allowed) {
      size_t d = EditDistance(key, candidate);
      if (d < best_distance) {
        best_distance = d;
        best = candidate;
      }
    }
    std::string message = fmt::format("unknown key '{}' in {}", key, where);
    if (best_distance <= std::max<size_t>(2, key.size() / 3)) {
      message += fmt::format(" (did you mean '{}'?)", best);
    } else {
      message += fmt::format(" (expected one of: {})", fmt::join(allowed, ", "));
    }
    Report(entry.first, std::move(message));
  }
}

bool YamlReader::ExpectMap(const YAML::Node& node, std::string_view what) {
  if (node.IsMap()) return true;
  Report(node, fmt::format("{} must be a mapping of key: value", what));
  return false;
}

bool YamlReader::ExpectSequence(const YAML::Node& node, std::string_view what) {
  if (node.IsSequence()) return true;
  Report(node, fmt::format("{} must be a list (items starting with '-')", what));
  return false;
}

std::optional<std::string> YamlReader::Scalar(const YAML::Node& map, std::string_view key) {
  YAML::Node node = map[std::string(key)];
  if (!node.IsDefined()) return std::nullopt;
  if (!node.IsScalar()) {
    Report(node, fmt::format("'{}' must be a single value, not a {}", key,
                             node.IsMap()        ? "mapping"
                             : node.IsSequence() ? "list"
                                                 : "null"));
    return std::nullopt;
  }
  return node.Scalar();
}

bool YamlReader::ReadString(const YAML::Node& map, std::string_view key, std::string& out) {
  auto text = Scalar(map, key);
  if (!text) return false;
  out = *text;
  return true;
}

bool YamlReader::ReadInt(const YAML::Node& map, std::string_view key, long long min, long long max,
                         long long& out) {
  auto text = Scalar(map, key);
  if (!text) return false;
  long long value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    Report(map[std::string(key)], fmt::format("'{}' must be a whole number, not '{}'", key, *text));
    return false;
  }
  if (value < min || value > max) {
    Report(map[std::string(key)],
           fmt::format("'{}' must be between {} and {}, not {}", key, min, max, value));
    return false;
  }
  out = value;
  return true;
}

// Shared shape of the unit-typed reads: scalar text -> parser -> diagnostic on failure.
template <typename T, typename Parser>
static bool ReadParsed(YamlReader& reader, const YAML::Node& map, std::string_view key,
                       const std::optional<std::string>& text, Parser parse, T& out) {
  if (!text) return false;
  auto parsed = parse(*text);
  if (!parsed) {
    reader.Report(map[std::string(key)], fmt::format("'{}': {}", key, parsed.error()));
    return false;
  }
  out = *parsed;
  return true;
}

bool YamlReader::ReadDuration(const YAML::Node& map, std::string_view key,
                              std::chrono::milliseconds& out) {
  return ReadParsed(*this, map, key, Scalar(map, key), ParseDuration, out);
}

bool YamlReader::ReadBitRate(const YAML::Node& map, std::string_view key,
                             std::optional<double>& out) {
  double value = 0;
  if (!ReadParsed(*this, map, key, Scalar(map, key), ParseBitRate, value)) return false;
  out = value;
  return true;
}

bool YamlReader::ReadRatio(const YAML::Node& map, std::string_view key, double& out) {
  return ReadParsed(*this, map, key, Scalar(map, key), ParseRatio, out);
}

bool YamlReader::ReadEventRate(const YAML::Node& map, std::string_view key, double& out) {
  return ReadParsed(*this, map, key, Scalar(map, key), ParseEventRate, out);
}

bool YamlReader::ReadDecibels(const YAML::Node& map, std::string_view key, double& out) {
  return ReadParsed(*this, map, key, Scalar(map, key), ParseDecibels, out);
}

void NameRegistry::Add(YamlReader& r, const YAML::Node& node, const std::string& name) {
  if (name.empty()) return;
  auto [it, inserted] = seen_.emplace(name, node.Mark());
  if (!inserted) {
    r.Report(node["name"], fmt::format("duplicate {} name '{}' (first defined at line {})", kind_,
                                       name, it->second.line + 1));
  }
}

void YamlReader::ReportBadChoice(const YAML::Node& at, std::string_view key, std::string_view got,
                                 const std::vector<std::string_view>& choices) {
  std::string message =
      fmt::format("'{}' must be one of {}, not '{}'", key, fmt::join(choices, ", "), got);
  auto lower = [](std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::string_view best;
  size_t best_distance = SIZE_MAX;
  for (std::string_view choice : choices) {
    if (size_t d = EditDistance(lower(got), lower(choice)); d < best_distance) {
      best_distance = d;
      best = choice;
    }
  }
  if (best_distance <= std::max<size_t>(2, got.size() / 3)) {
    message += fmt::format(" (did you mean '{}'?)", best);
  }
  Report(at, std::move(message));
}

}  // namespace lanwatch
