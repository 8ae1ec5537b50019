#include "exporters/web/html.h"

#include "config/text_encoding.h"

namespace lanwatch {

void AppendEscapedHtml(std::string& out, std::string_view text) {
  // Most text is valid already; only copy it to repair it when it is not.
  std::string repaired;
  if (!IsValidUtf8(text)) {
    repaired = ToValidUtf8(text);
    text = repaired;
  }
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // C0 controls other than tab and newline are not allowed in HTML text.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendEscapedHtml(out, text);
  return out;
}

std::string UrlEncodePathSegment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : segment) {
    auto b = static_cast<unsigned char>(c);
    bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ||
                      b == '-' || b == '.' || b == '_' || b == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

void HtmlWriter::StartTag(std::string_view tag, std::initializer_list<Attr> attrs) {
  out_ += '<';
  out_ += tag;
  for (const Attr& a : attrs) {
    out_ += ' ';
    out_ += a.name;
    out_ += "=\"";
    AppendEscapedHtml(out_, a.value);
    out_ += '"';
  }
  out_ += '>';
}

HtmlWriter& HtmlWriter::Open(std::string_view tag, std::initializer_list<Attr> attrs) {
  StartTag(tag, attrs);
  open_.push_back(tag);
  return *this;
}

HtmlWriter& HtmlWriter::Close() {
  if (open_.empty()) return *this;
  out_ += "</";
  out_ += open_.back();
  out_ += '>';
  open_.pop_back();
  return *this;
}

HtmlWriter& HtmlWriter::Element(std::string_view tag, std::initializer_list<Attr> attrs,
                                std::string_view text) {
  StartTag(tag, attrs);
  AppendEscapedHtml(out_, text);
  out_ += "</";
  out_ += tag;
  out_ += '>';
  return *this;
}

HtmlWriter& HtmlWriter::Void(std::string_view tag, std::initializer_list<Attr> attrs) {
  StartTag(tag, attrs);
  return *this;
}

HtmlWriter& HtmlWriter::Text(std::string_view text) {
  AppendEscapedHtml(out_, text);
  return *this;
}

HtmlWriter& HtmlWriter::Raw(std::string_view markup) {
  out_ += markup;
  return *this;
}

std::string HtmlWriter::Finish() {
  while (!open_.empty()) Close();
  return std::move(out_);
}

}  // namespace lanwatch
