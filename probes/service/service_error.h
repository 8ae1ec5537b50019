// Words for why a service check failed: a short reason an IT person reads in an alert
// ("connection refused", "certificate expired", "timeout after 2 s"), then libcurl's own
// message and code for whoever digs further. Pure; internal to probes/service.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <string>
#include <string_view>

namespace lanwatch {

// `detail` is curl's error buffer (may be empty), `os_errno` CURLINFO_OS_ERRNO, `timeout` the
// limit the transfer ran under.
std::string DescribeCurlFailure(CURLcode code, std::string_view detail, long os_errno,
                                std::chrono::milliseconds timeout);

// An answer outside the expected range: "HTTP 500, expected 200-399".
std::string DescribeUnexpectedStatus(long status, long low, long high);

}  // namespace lanwatch
