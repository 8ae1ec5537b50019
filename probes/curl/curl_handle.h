// What every libcurl user in lanwatch shares: owning handles for CURL*, CURLM* and
// curl_slist*, and the library's one-time initialisation. Here in probes/ (the lowest library
// that speaks HTTP: probes/service) so that exporters/notify uses the same ones.
#pragma once

#include <curl/curl.h>

#include <memory>

namespace lanwatch::curl {

struct EasyCleanup {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
using Easy = std::unique_ptr<CURL, EasyCleanup>;

struct ListFree {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using List = std::unique_ptr<curl_slist, ListFree>;

// Remove every easy handle from a multi handle before either is cleaned up.
struct MultiCleanup {
  void operator()(CURLM* m) const noexcept { curl_multi_cleanup(m); }
};
using Multi = std::unique_ptr<CURLM, MultiCleanup>;

// curl_global_init is not thread-safe in every libcurl build and must run before the first
// handle: once per process, never cleaned up (another thread may still hold a handle at
// exit). Returns its result, the same on every call.
CURLcode GlobalInit();

}  // namespace lanwatch::curl
