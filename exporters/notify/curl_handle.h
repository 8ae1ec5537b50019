// What every libcurl user in lanwatch shares: owning handles for CURL* and curl_slist*, and
// the library's one-time initialisation. Internal to exporters/notify.
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

// curl_global_init is not thread-safe in every libcurl build and must run before the first
// handle: once per process, never cleaned up (another thread may still hold a handle at
// exit). Returns its result, the same on every call.
CURLcode GlobalInit();

}  // namespace lanwatch::curl
