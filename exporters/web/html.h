// A tiny HTML writer for the status page: every text and attribute value goes through
// EscapeHtml (device names, sysName, ifAlias and config names can hold anything, `<script>`
// included), and is made valid UTF-8 first. Markup the page makes itself (its own SVG) goes in
// with Raw. Not thread-safe; one writer per page.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace lanwatch {

// `text` as valid UTF-8 with & < > " ' escaped: safe in element text and quoted attributes.
std::string EscapeHtml(std::string_view text);
void AppendEscapedHtml(std::string& out, std::string_view text);

// One path segment of a URL: bytes outside [A-Za-z0-9-._~] percent-encoded (UTF-8 names such
// as 大同 become %E5%A4%A7%E5%90%8C), so /link/NAME works for any link name.
std::string UrlEncodePathSegment(std::string_view segment);

struct Attr {
  std::string_view name;   // the page's own literal
  std::string_view value;  // escaped when written
};

class HtmlWriter {
 public:
  // <tag a="v" ...>; closed by the matching Close().
  HtmlWriter& Open(std::string_view tag, std::initializer_list<Attr> attrs = {});
  HtmlWriter& Close();  // the innermost open element
  // <tag a="v">text</tag>
  HtmlWriter& Element(std::string_view tag, std::initializer_list<Attr> attrs,
                      std::string_view text);
  HtmlWriter& Element(std::string_view tag, std::string_view text) {
    return Element(tag, {}, text);
  }
  HtmlWriter& Void(std::string_view tag, std::initializer_list<Attr> attrs);  // <meta ...>
  HtmlWriter& Text(std::string_view text);
  HtmlWriter& Raw(std::string_view markup);  // the page's own markup, never outside text
  // Everything written, with every element still open closed.
  std::string Finish();

 private:
  void StartTag(std::string_view tag, std::initializer_list<Attr> attrs);
  std::string out_;
  std::vector<std::string_view> open_;  // tags are the page's literals
};

}  // namespace lanwatch
