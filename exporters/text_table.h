// Plain-text tables for terminal reports: left-aligned columns, two spaces apart.
#pragma once

#include <string>
#include <vector>

namespace lanwatch {

// The first row is the header. Rows may have different lengths.
std::string RenderTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace lanwatch
