#include "tests/support/exposition.h"

#include <cstdlib>
#include <sstream>

#include "tests/support/process.h"

namespace lanwatch::testing {

std::vector<MetricSample> ParseExposition(const std::string& text) {
  std::vector<MetricSample> out;
  std::stringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    MetricSample s;
    size_t brace = line.find('{');
    size_t space = line.rfind(' ');
    if (space == std::string::npos) continue;
    if (brace != std::string::npos && brace < space) {
      s.name = line.substr(0, brace);
      size_t close = line.rfind('}');
      std::string body = line.substr(brace + 1, close - brace - 1);
      size_t pos = 0;
      while (pos < body.size()) {
        size_t eq = body.find('=', pos);
        size_t open_quote = eq + 1;
        size_t end_quote = open_quote + 1;
        while (end_quote < body.size() && (body[end_quote] != '"' || body[end_quote - 1] == '\\')) {
          ++end_quote;
        }
        s.labels[body.substr(pos, eq - pos)] =
            body.substr(open_quote + 1, end_quote - open_quote - 1);
        pos = end_quote + 2;  // past `",`
      }
    } else {
      s.name = line.substr(0, space);
    }
    s.value = std::strtod(line.c_str() + space + 1, nullptr);
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<double> FindValue(const std::vector<MetricSample>& samples, const std::string& name,
                                const std::map<std::string, std::string>& labels) {
  for (const MetricSample& s : samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : labels) {
      auto it = s.labels.find(k);
      match = match && it != s.labels.end() && it->second == v;
    }
    if (match) return s.value;
  }
  return std::nullopt;
}

std::vector<std::string> PromtoolProblems(const std::string& text) {
  TempDir dir;
  // In a subshell: RunCommand appends `</dev/null`, which would win over a plain `< FILE` and
  // give promtool nothing to check.
  CommandResult lint =
      RunCommand("(promtool check metrics < " + dir.Write("metrics.txt", text) + ")");
  std::vector<std::string> problems;
  std::stringstream lines(lint.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    if (line.find("_bits_per_second use base unit \"bytes\" instead of \"bits\"") !=
        std::string::npos) {
      continue;
    }
    problems.push_back(line);
  }
  // 3: lint advice only (the one accepted above); anything else unexplained is a problem.
  if (lint.exit_code != 0 && lint.exit_code != 3 && problems.empty()) {
    problems.push_back("promtool exited with " + std::to_string(lint.exit_code));
  }
  return problems;
}

}  // namespace lanwatch::testing
