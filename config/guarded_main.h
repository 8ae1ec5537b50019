// GuardedMain: the one place where a program's exceptions stop. A message on stderr and the
// program's failure code (1, or 3 = UNKNOWN for the Nagios-style CLI), never
// std::terminate's abort. Shared by lanwatchd, lanwatch and the benchmarks.
#pragma once

#include <cstdio>
#include <exception>

namespace lanwatch {

inline int GuardedMain(const char* program, int failure_code, int (*main)(int, char**), int argc,
                       char** argv) {
  try {
    return main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
  } catch (...) {
    std::fprintf(stderr, "%s: unknown exception\n", program);
  }
  return failure_code;
}

}  // namespace lanwatch
