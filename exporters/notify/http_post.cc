#include "exporters/notify/http_post.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "probes/curl/curl_handle.h"

namespace lanwatch {
namespace {

constexpr size_t kMaxBody = size_t{64} * 1024;

size_t KeepBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  size_t n = size * count;
  // Only the start is ever shown; the rest is read and dropped so the exchange completes.
  if (body->size() < kMaxBody) body->append(data, std::min(n, kMaxBody - body->size()));
  return n;
}

}  // namespace

std::expected<HttpAnswer, Error> HttpPost(const std::string& url, const std::string& body,
                                          const HttpPostOptions& options) {
  if (CURLcode rc = curl::GlobalInit(); rc != CURLE_OK) {
    return std::unexpected(
        Error(fmt::format("POST {}: curl_global_init: {}", url, curl_easy_strerror(rc))));
  }
  // What the handle points at is declared first, so that it outlives the handle.
  HttpAnswer answer;
  char error[CURL_ERROR_SIZE] = {};
  std::string content_type = "Content-Type: " + options.content_type;
  curl::List headers(curl_slist_append(nullptr, content_type.c_str()));
  if (!headers) return std::unexpected(Error(fmt::format("POST {}: out of memory", url)));
  curl::Easy curl(curl_easy_init());
  if (!curl) return std::unexpected(Error(fmt::format("POST {}: curl_easy_init failed", url)));
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  // Nothing but the web: a config typo such as file:// or smtp:// fails instead of doing
  // something else, and a redirect cannot lead anywhere (none is followed).
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  // Receivers sit on the LAN: an http_proxy meant for a shell's web browsing must not carry
  // alerts, and lanwatchd should behave the same under systemd as from a shell.
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
  // Timeouts by signal (SIGALRM around the resolver) are unsafe in a threaded daemon.
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, KeepBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);

  if (CURLcode rc = curl_easy_perform(c); rc != CURLE_OK) {
    return std::unexpected(
        Error(fmt::format("POST {}: {}", url, error[0] != '\0' ? error : curl_easy_strerror(rc))));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

}  // namespace lanwatch
