#include "exporters/notify/mime.h"

#include <algorithm>

#include "config/text_encoding.h"

namespace lanwatch::mime {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr size_t kMaxWord = 75;  // RFC 2047 2: an encoded-word is at most 75 characters
constexpr size_t kMaxLine = 76;  // RFC 2047 2: a line with encoded-words, at most 76
constexpr size_t kFoldAt = 78;   // RFC 5322 2.1.1: lines SHOULD stay within 78 characters
constexpr std::string_view kWordStart = "=?UTF-8?B?", kWordEnd = "?=";

bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

// The most bytes whose encoded-word fits in `width` characters: 4 base64 characters per 3.
size_t BytesPerWord(size_t width) {
  size_t overhead = kWordStart.size() + kWordEnd.size();
  return width <= overhead + 4 ? 0 : (width - overhead) / 4 * 3;
}

std::string EncodedWord(std::string_view bytes) {
  return std::string(kWordStart) + Base64(bytes) + std::string(kWordEnd);
}

// RFC 5322 atext and '.', what a dot-atom may hold.
bool IsAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Printable ASCII folded before spaces so that lines keep within 78 characters where the
// words allow (a longer word stays whole: folding may only happen at white space).
std::string FoldAscii(std::string_view name, std::string_view value) {
  std::string out = std::string(name) + ":";
  size_t line = out.size();
  size_t i = 0;
  while (i < value.size()) {
    size_t next = value.find(' ', i + 1);
    if (next == std::string_view::npos) next = value.size();
    std::string_view word = value.substr(i, next - i);  // with its leading space, if any
    if (i == 0) {
      out += ' ';
      ++line;
    } else if (line + word.size() > kFoldAt) {
      out += kCrlf;
      line = 0;
    }
    out += word;
    line += word.size();
    i = next;
  }
  return out + std::string(kCrlf);
}

}  // namespace

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size())
      n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

std::string Base64Lines(std::string_view bytes) {
  std::string encoded = Base64(bytes), out;
  for (size_t i = 0; i < encoded.size(); i += kMaxLine) {
    out += encoded.substr(i, kMaxLine);
    out += kCrlf;
  }
  return out;
}

std::vector<std::string_view> SplitUtf8(std::string_view text, size_t max_bytes) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.size(), start + std::max<size_t>(max_bytes, 1));
    // Back off continuation bytes (10xxxxxx) so the piece ends where a character ends.
    while (end < text.size() && end > start &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (end == start) {  // one character longer than max_bytes: keep it whole
      end = start + 1;
      while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    }
    pieces.push_back(text.substr(start, end - start));
    start = end;
  }
  return pieces;
}

std::string UnstructuredHeader(std::string_view name, std::string_view utf8) {
  std::string text = ToValidUtf8(utf8);
  if (IsPrintableAscii(text) && text.find("=?") == std::string::npos) {
    return FoldAscii(name, text);
  }
  std::string out = std::string(name) + ":";
  // The first word shares its line with "Name: "; the others each have a line after a space.
  size_t first_width = std::min(kMaxWord, kMaxLine - out.size() - 1);
  size_t first_bytes = BytesPerWord(first_width);
  std::string_view rest = text;
  if (first_bytes == 0) {
    out += kCrlf;  // a name too long for a word beside it: the words start on the next line
  } else {
    std::string_view first = SplitUtf8(rest, first_bytes).front();
    if (first.size() > first_bytes) {  // no character fits beside the name
      out += kCrlf;
    } else {
      out += " " + EncodedWord(first);
      rest.remove_prefix(first.size());
    }
  }
  for (std::string_view piece : SplitUtf8(rest, BytesPerWord(kMaxWord))) {
    if (out.back() != '\n') out += kCrlf;
    out += " " + EncodedWord(piece);
  }
  return out + std::string(kCrlf);
}

std::optional<Mailbox> ParseMailbox(std::string_view text) {
  text = Trim(text);
  Mailbox m;
  size_t open = text.rfind('<');
  if (open != std::string_view::npos) {
    size_t close = text.find('>', open);
    if (close == std::string_view::npos) return std::nullopt;
    m.address = std::string(Trim(text.substr(open + 1, close - open - 1)));
    std::string_view name = Trim(text.substr(0, open));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    m.display_name = std::string(name);
  } else {
    m.address = std::string(text);
  }
  if (m.address.empty() || m.address.find('@') == std::string::npos ||
      !IsPrintableAscii(m.address) || m.address.find(' ') != std::string::npos) {
    return std::nullopt;
  }
  return m;
}

std::string FormatMailbox(const Mailbox& m) {
  std::string name = ToValidUtf8(m.display_name);
  if (name.empty()) return m.address;
  std::string address = "<" + m.address + ">";
  if (!IsPrintableAscii(name)) {
    // Words narrow enough to share the first line with "From: " (or "To: "); the address
    // goes on a line of its own when it does not fit after the last one.
    constexpr size_t kPhraseWord = kMaxLine - std::string_view("From: ").size() - 1;
    std::string words;
    size_t last = 0;
    for (std::string_view piece : SplitUtf8(name, BytesPerWord(kPhraseWord))) {
      if (!words.empty()) words += "\r\n ";
      std::string word = EncodedWord(piece);
      last = word.size() + 1;
      words += word;
    }
    return words + (last + 1 + address.size() > kMaxLine ? "\r\n " : " ") + address;
  }
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\" " + address;
}

std::string AddressHeader(std::string_view name, const std::vector<Mailbox>& mailboxes) {
  std::string out = std::string(name) + ": ";
  size_t line = out.size();
  for (size_t i = 0; i < mailboxes.size(); ++i) {
    std::string box = FormatMailbox(mailboxes[i]);
    if (i > 0) {
      out += ",";
      if (line + 2 + box.size() > kFoldAt) {
        out += "\r\n";
        line = 0;
      }
      out += " ";
      ++line;
    }
    out += box;
    size_t last_break = box.rfind('\n');
    line = last_break == std::string::npos ? line + box.size() : box.size() - last_break - 1;
  }
  return out + std::string(kCrlf);
}

std::string AddressDomain(std::string_view address) {
  size_t at = address.rfind('@');
  if (at == std::string_view::npos) return "";
  std::string domain(Trim(address.substr(at + 1)));
  bool valid = !domain.empty() && std::all_of(domain.begin(), domain.end(), [](char c) {
    return IsAtext(c) || c == '[' || c == ']' || c == ':';
  });
  return valid ? domain : "";
}

std::string MsgIdLocalPart(std::string_view id) {
  std::string out;
  for (char c : id) out += IsAtext(c) ? c : '-';
  // dot-atom-text: no dot first, last, or twice in a row.
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '.' && (i == 0 || i + 1 == out.size() || out[i + 1] == '.')) out[i] = '-';
  }
  return out.empty() ? "-" : out;
}

std::string MsgId(std::string_view id, std::string_view domain) {
  return "<" + MsgIdLocalPart(id) + "@" + std::string(domain) + ">";
}

std::string MsgIdHeader(std::string_view name, const std::vector<std::string>& msg_ids) {
  std::string out = std::string(name) + ":";
  for (size_t i = 0; i < msg_ids.size(); ++i) {
    if (i > 0) out += kCrlf;
    out += " " + msg_ids[i];
  }
  return out + std::string(kCrlf);
}

}  // namespace lanwatch::mime
