// One HTTP request and its response as the page routes see them: plain values, no civetweb.
#pragma once

#include <string>

namespace lanwatch {

struct HttpRequest {
  std::string path;   // URL-decoded: "/link/大同"
  std::string query;  // raw: "range=day&lang=en"
  std::string accept_language;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
};

}  // namespace lanwatch
