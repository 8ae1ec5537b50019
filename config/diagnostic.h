// A problem found in a config file, pinned to its line and column (1-based).
#pragma once

#include <string>
#include <vector>

namespace lanwatch {

struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;

  // "FILE:LINE:COL: message", the form editors and compilers use.
  std::string ToString() const;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace lanwatch
