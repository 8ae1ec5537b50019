#include "config/secret_file.h"

#include <fmt/format.h>
#include <string.h>  // explicit_bzero

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace lanwatch {

Secret::~Secret() { explicit_bzero(text_.data(), text_.size()); }

std::expected<void, Error> ReadSecretFile(const std::string& path, std::string_view what,
                                          Secret& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::unexpected(
        Error(fmt::format("cannot read {} {}: {}", what, path, std::strerror(errno))));
  }
  out.text().assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  while (!out.text().empty() && (out.text().back() == '\n' || out.text().back() == '\r')) {
    out.text().pop_back();
  }
  return {};
}

std::string RedactUrlCredentials(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t at = url.find('@');
  const size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme == std::string::npos || at == std::string::npos ||
      (path != std::string::npos && at > path)) {
    return url;
  }
  return url.substr(0, scheme + 3) + "***@" + url.substr(at + 1);
}

}  // namespace lanwatch
