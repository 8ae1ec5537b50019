#include "probes/service/service_error.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace lanwatch {
namespace {

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// OpenSSL and GnuTLS word a failed verification differently; these are the cases an office
// meets: the certificate ran out, a private CA lanwatch was not given, a name that does not
// match the address in the URL.
std::string_view CertificateReason(std::string_view detail) {
  if (Contains(detail, "expired")) return "certificate expired";
  if (Contains(detail, "not yet valid")) return "certificate not yet valid";
  if (Contains(detail, "subject name") || Contains(detail, "does not match") ||
      Contains(detail, "no alternative certificate subject name")) {
    return "certificate name mismatch";
  }
  return "certificate not trusted";
}

std::string_view Reason(CURLcode code, std::string_view detail, long os_errno) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      if (os_errno == ECONNREFUSED) return "connection refused";
      if (os_errno == EHOSTUNREACH || os_errno == ENETUNREACH) return "host unreachable";
      return "cannot connect";
    case CURLE_COULDNT_RESOLVE_HOST:
      return "host not found";
    case CURLE_PEER_FAILED_VERIFICATION:
      return CertificateReason(detail);
    case CURLE_SSL_CONNECT_ERROR:
      return "TLS handshake failed";
    case CURLE_GOT_NOTHING:
      return "connection closed without an answer";
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      return "connection broken";
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return "bad target";
    default:
      return "check failed";
  }
}

}  // namespace

std::string DescribeCurlFailure(CURLcode code, std::string_view detail, long os_errno,
                                std::chrono::milliseconds timeout) {
  std::string curl_words = detail.empty() ? curl_easy_strerror(code) : std::string(detail);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return fmt::format("timeout after {:g} s (curl {}: {})", timeout.count() / 1000.0,
                       static_cast<int>(code), curl_words);
  }
  return fmt::format("{} (curl {}: {})", Reason(code, detail, os_errno), static_cast<int>(code),
                     curl_words);
}

std::string DescribeUnexpectedStatus(long status, long low, long high) {
  return fmt::format("HTTP {}, expected {}-{}", status, low, high);
}

}  // namespace lanwatch
