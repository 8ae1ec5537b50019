#include "probes/service/service_checker.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <expected>
#include <memory>
#include <string>

#include "config/secret_file.h"
#include "probes/curl/curl_handle.h"
#include "probes/service/cert_expiry.h"
#include "probes/service/service_error.h"

namespace lanwatch {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

// One easy handle in the round's multi handle. Leaves the multi handle when destroyed, so
// no path (a result collected, the deadline, an early return) frees a handle still in it.
struct Transfer {
  ~Transfer() {
    if (multi != nullptr) curl_multi_remove_handle(multi, easy.get());
  }
  void Leave() {
    curl_multi_remove_handle(multi, easy.get());
    multi = nullptr;
  }

  size_t index = 0;        // into checks and results
  bool cert_look = false;  // the unverified second handshake that only reads the certificate
  bool https = false;
  milliseconds timeout{0};  // what it runs under: the check's, clipped to the deadline
  std::string url;
  curl::Easy easy;
  CURLM* multi = nullptr;
  char error[CURL_ERROR_SIZE] = {};
};

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The URL libcurl connects to, or why the target is not one lanwatch checks.
std::expected<std::string, std::string> UrlOf(const ServiceCheck& check) {
  if (check.kind == ServiceKind::kTcp) {
    // "host:port" or "[v6]:port"; with CONNECT_ONLY the scheme only names the transport.
    size_t colon = check.target.rfind(':');
    if (check.target.find("://") != std::string::npos || colon == std::string::npos ||
        colon + 1 == check.target.size() || colon == 0) {
      return std::unexpected(fmt::format("bad target \"{}\": want host:port", check.target));
    }
    return "http://" + check.target;
  }
  if (!StartsWith(check.target, "http://") && !StartsWith(check.target, "https://")) {
    return std::unexpected(fmt::format("bad target \"{}\": want an http:// or https:// URL",
                                       RedactUrlCredentials(check.target)));
  }
  return check.target;
}

std::unique_ptr<Transfer> NewTransfer(const ServiceCheck& check, size_t index, std::string url,
                                      milliseconds timeout, bool cert_look) {
  auto t = std::make_unique<Transfer>();
  t->index = index;
  t->cert_look = cert_look;
  t->https = StartsWith(url, "https://");
  t->timeout = timeout;
  t->url = std::move(url);
  t->easy.reset(curl_easy_init());
  if (!t->easy) return nullptr;
  CURL* c = t->easy.get();
  curl_easy_setopt(c, CURLOPT_URL, t->url.c_str());
  curl_easy_setopt(c, CURLOPT_PRIVATE, t.get());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // the office's services, never through a proxy
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  // Every check measures its own connect: no connection kept from an earlier round.
  curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "lanwatch service check");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  if (t->https) {
    curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);
    if (!check.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, check.ca_file.c_str());
  }
  if (cert_look) {
    // Only to read the expiry of a certificate that failed verification: the handshake, no
    // request, and the result never counts as up.
    curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (check.kind == ServiceKind::kTcp) {
    curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
  } else if (check.method == HttpMethod::kHead) {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  }
  return t;
}

microseconds TimeInfo(CURL* c, CURLINFO what) {
  curl_off_t us = 0;
  curl_easy_getinfo(c, what, &us);
  return microseconds(us);
}

// The leaf certificate's notAfter, when the handshake got that far.
std::optional<std::chrono::sys_seconds> PeerCertExpiry(CURL* c) {
  curl_certinfo* info = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CERTINFO, &info) != CURLE_OK || info == nullptr ||
      info->num_of_certs < 1) {
    return std::nullopt;
  }
  constexpr std::string_view kField = "Expire date:";
  for (curl_slist* field = info->certinfo[0]; field != nullptr; field = field->next) {
    std::string_view text(field->data);
    if (StartsWith(text, kField)) return ParseCertDate(text.substr(kField.size()));
  }
  return std::nullopt;
}

void NoteCertificate(CURL* c, ServiceResult& result) {
  if (auto not_after = PeerCertExpiry(c)) {
    result.cert_not_after = *not_after;
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    result.cert_days_left = DaysLeft(*not_after, now);
  }
}

// Fills the result of a finished check; true when a cert look should follow (verification
// failed before libcurl recorded the certificate).
bool Collect(const Transfer& t, const ServiceCheck& check, CURLcode code, ServiceResult& result) {
  CURL* c = t.easy.get();
  result.connect_time = TimeInfo(c, CURLINFO_CONNECT_TIME_T);
  microseconds app_connect = TimeInfo(c, CURLINFO_APPCONNECT_TIME_T);
  if (app_connect > result.connect_time) {
    result.tls_handshake_time = app_connect - result.connect_time;
  }
  result.time_to_first_byte = TimeInfo(c, CURLINFO_STARTTRANSFER_TIME_T);
  result.total_time = TimeInfo(c, CURLINFO_TOTAL_TIME_T);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &result.status);
  if (t.https) NoteCertificate(c, result);

  if (code != CURLE_OK) {
    long os_errno = 0;
    curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
    result.up = false;
    result.error = DescribeCurlFailure(code, t.error, os_errno, t.timeout);
    return t.https && !result.cert_not_after && code == CURLE_PEER_FAILED_VERIFICATION;
  }
  if (check.kind == ServiceKind::kHttp && !StatusExpected(check.expected_status, result.status)) {
    result.up = false;
    result.error = DescribeUnexpectedStatus(result.status, check.expected_status.low,
                                            check.expected_status.high);
    return false;
  }
  result.up = true;
  return false;
}

milliseconds Remaining(Steady::time_point deadline) {
  return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(deadline - Steady::now()));
}

}  // namespace

std::vector<ServiceResult> ServiceChecker::Run(const std::vector<ServiceCheck>& checks,
                                               Steady::time_point deadline) {
  std::vector<ServiceResult> results(checks.size());
  for (size_t i = 0; i < checks.size(); ++i) results[i].name = checks[i].name;
  if (checks.empty()) return results;

  auto fail_all = [&](const std::string& why) {
    for (ServiceResult& r : results) r.error = why;
    return results;
  };
  if (CURLcode rc = curl::GlobalInit(); rc != CURLE_OK) {
    return fail_all(fmt::format("libcurl: {}", curl_easy_strerror(rc)));
  }
  curl::Multi multi(curl_multi_init());
  if (!multi) return fail_all("libcurl: no multi handle");

  // Declared after `multi`: destroyed first, each leaving the multi handle.
  std::vector<std::unique_ptr<Transfer>> transfers;
  int active = 0;
  auto start = [&](size_t index, bool cert_look) {
    const ServiceCheck& check = checks[index];
    milliseconds timeout = std::min(check.timeout, Remaining(deadline));
    if (timeout <= milliseconds(0)) {
      if (!cert_look) results[index].error = "not checked: the round's deadline had passed";
      return;
    }
    auto url = UrlOf(check);
    if (!url) {
      results[index].error = url.error();
      return;
    }
    auto t = NewTransfer(check, index, std::move(*url), timeout, cert_look);
    if (!t || curl_multi_add_handle(multi.get(), t->easy.get()) != CURLM_OK) {
      if (!cert_look) results[index].error = "libcurl: cannot start the transfer";
      return;
    }
    t->multi = multi.get();
    transfers.push_back(std::move(t));
    ++active;
  };
  for (size_t i = 0; i < checks.size(); ++i) start(i, false);

  while (active > 0 && Steady::now() < deadline) {
    int running = 0;
    curl_multi_perform(multi.get(), &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi.get(), &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      CURLcode code = msg->data.result;  // msg is invalid once the handle leaves
      t->Leave();
      --active;
      ServiceResult& result = results[t->index];
      if (t->cert_look) {
        if (code == CURLE_OK) NoteCertificate(t->easy.get(), result);
      } else if (Collect(*t, checks[t->index], code, result)) {
        start(t->index, true);
      }
    }
    if (active == 0) break;
    // Wakes on socket activity or libcurl's own next timer, whichever is first.
    int wait_ms = static_cast<int>(std::min(Remaining(deadline), milliseconds(1000)).count());
    curl_multi_poll(multi.get(), nullptr, 0, wait_ms, nullptr);
  }

  for (const auto& t : transfers) {
    if (t->multi == nullptr || t->cert_look) continue;  // finished, or only a cert look
    results[t->index].error =
        fmt::format("timeout after {:g} s (the round's deadline)",
                    // to a tenth: what was left of the round when the check began
                    std::round(static_cast<double>(t->timeout.count()) / 100.0) / 10.0);
  }
  return results;
}

}  // namespace lanwatch
