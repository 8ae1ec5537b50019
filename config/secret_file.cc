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
  if (scheme == std::string::npos) return url;
  const size_t authority = scheme + 3;
  const size_t path = url.find_first_of("/?#", authority);
  // The user information ends at the authority's last '@': a password may hold one.
  const size_t at = url.rfind('@', path == std::string::npos ? std::string::npos : path);
  if (at == std::string::npos || at < authority) return url;
  return url.substr(0, authority) + "***@" + url.substr(at + 1);
}

}  // namespace lanwatch
