// Plain-text tables for terminal reports: left-aligned columns, two spaces apart, aligned by
// what a terminal shows (a Chinese character is two columns wide); always valid UTF-8.
#pragma once

#include <string>
#include <vector>

namespace lanwatch {

// The first row is the header. Rows may have different lengths.
std::string RenderTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace lanwatch
