#include "exporters/text_table.h"

#include <algorithm>

#include "config/text_encoding.h"

namespace lanwatch {

std::string RenderTable(const std::vector<std::vector<std::string>>& rows) {
  // Columns on screen, not bytes: 汉字 take two columns and three bytes each.
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += ToValidUtf8(row[c]);  // the same width: one U+FFFD per invalid part
      if (c + 1 < row.size()) line += std::string(widths[c] - DisplayWidth(row[c]) + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace lanwatch
