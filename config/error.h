// Error: a failure described as a value, with the context that explains it.
// Used across lanwatch instead of exceptions; pair with std::expected<T, Error>.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace lanwatch {

struct Error {
  std::string message;

  explicit Error(std::string msg) : message(std::move(msg)) {}

  // Prefixes what was being done: Error("timeout").context("poll router") -> "poll router:
  // timeout".
  Error context(std::string_view what) const { return Error(std::string(what) + ": " + message); }
};

}  // namespace lanwatch
