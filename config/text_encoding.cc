#include "config/text_encoding.h"

#include <iconv.h>

#include <cerrno>
#include <cstdint>
#include <memory>

namespace lanwatch {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// One UTF-8 sequence at the start of `text`: its length and code point when valid; when not,
// `length` is the maximal invalid part to replace with one U+FFFD (at least 1 byte), and
// `truncated` says the bytes were a valid start cut short by the end of `text`.
struct Sequence {
  size_t length = 0;
  char32_t code_point = 0;
  bool valid = false;
  bool truncated = false;
};

Sequence NextSequence(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {1, lead, true, false};
  size_t need = 0;
  unsigned char low = 0x80, high = 0xBF;  // the second byte's range, narrower for some leads
  char32_t cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    cp = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    cp = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return {1, 0, false, false};  // continuation byte, C0/C1 (overlong), F5..FF
  }
  for (size_t i = 1; i <= need; ++i) {
    if (i >= text.size()) return {i, 0, false, true};
    const unsigned char b = byte(i);
    if (b < (i == 1 ? low : 0x80) || b > (i == 1 ? high : 0xBF)) return {i, 0, false, false};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {need + 1, cp, true, false};
}

bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// Appends `text` to `out`: invalid sequences as U+FFFD, control characters dropped if asked.
void AppendUtf8(std::string_view text, bool drop_controls, std::string& out) {
  while (!text.empty()) {
    // Printable ASCII, most of what agents send, in runs.
    size_t run = 0;
    while (run < text.size() && text[run] >= 0x20 && text[run] < 0x7F) ++run;
    out.append(text.data(), run);
    text.remove_prefix(run);
    if (text.empty()) break;
    Sequence s = NextSequence(text);
    if (!s.valid) {
      out += kReplacement;
    } else if (!drop_controls || !IsControl(s.code_point)) {
      out.append(text.data(), s.length);
    }
    text.remove_prefix(s.length);
  }
}

// UTF-8 cut inside its last character, after at least one multi-byte character: the way a
// UTF-8 agent truncates a long ifAlias. A GBK string is almost never like this.
bool IsTruncatedUtf8(std::string_view text) {
  bool multibyte = false;
  while (!text.empty()) {
    Sequence s = NextSequence(text);
    if (!s.valid) return s.truncated && multibyte && s.length == text.size();
    multibyte |= s.length > 1;
    text.remove_prefix(s.length);
  }
  return false;  // valid, not truncated
}

struct IconvCloser {
  void operator()(void* cd) const noexcept { iconv_close(static_cast<iconv_t>(cd)); }
};
using IconvHandle = std::unique_ptr<void, IconvCloser>;

// This thread's GB18030 -> UTF-8 converter; null when glibc has none (no gconv modules).
iconv_t Gb18030Converter() {
  thread_local IconvHandle handle = [] {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    // iconv_open's documented failure value is (iconv_t)-1.
    return IconvHandle(
        cd == reinterpret_cast<iconv_t>(-1) ? nullptr : cd);  // NOLINT(performance-no-int-to-ptr)
  }();
  return static_cast<iconv_t>(handle.get());
}

// GB18030 -> UTF-8; bytes that are not GB18030 become U+FFFD.
std::string Gb18030ToUtf8(std::string_view bytes) {
  iconv_t cd = Gb18030Converter();
  if (!cd) return ToValidUtf8(bytes);
  iconv(cd, nullptr, nullptr, nullptr, nullptr);    // initial state (GB18030 has none; be sure)
  std::string out(bytes.size() * 3 / 2 + 4, '\0');  // 2 bytes -> 3 at most, 4 -> 4
  char* in = const_cast<char*>(bytes.data());       // iconv's API; it does not write
  size_t in_left = bytes.size();
  size_t used = 0;
  while (in_left > 0) {
    char* dst = out.data() + used;
    size_t out_left = out.size() - used;
    size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
    used = out.size() - out_left;
    if (rc != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    // EILSEQ: a byte GB18030 does not have; EINVAL: a character cut short by the end.
    if (out.size() - used < kReplacement.size()) out.resize(out.size() * 2);
    out.replace(used, kReplacement.size(), kReplacement);
    used += kReplacement.size();
    if (errno != EILSEQ) break;
    ++in;
    --in_left;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
  }
  out.resize(used);
  return out;
}

// Columns of one code point in a terminal (after Markus Kuhn's wcwidth, East Asian Width W/F).
size_t Columns(char32_t cp) {
  struct Range {
    char32_t first, last;
  };
  static constexpr Range kZero[] = {
      {0x0300, 0x036F}, {0x200B, 0x200F}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}};
  static constexpr Range kWide[] = {
      {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
      {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
      {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},
      {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}};
  for (const Range& r : kZero) {
    if (cp >= r.first && cp <= r.last) return 0;
  }
  for (const Range& r : kWide) {
    if (cp >= r.first && cp <= r.last) return 2;
  }
  return 1;
}

}  // namespace

size_t ValidUtf8Prefix(std::string_view text) {
  size_t valid = 0;
  while (valid < text.size()) {
    if (static_cast<unsigned char>(text[valid]) < 0x80) {
      ++valid;
      continue;
    }
    Sequence s = NextSequence(text.substr(valid));
    if (!s.valid) break;
    valid += s.length;
  }
  return valid;
}

std::string ToValidUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  AppendUtf8(text, /*drop_controls=*/false, out);
  return out;
}

std::string DecodeAgentText(std::string_view bytes, TextEncoding encoding) {
  bool gb18030 =
      encoding == TextEncoding::kGb18030 ||
      (encoding == TextEncoding::kAuto && !IsValidUtf8(bytes) && !IsTruncatedUtf8(bytes));
  std::string text;
  text.reserve(bytes.size());
  if (gb18030) {
    AppendUtf8(Gb18030ToUtf8(bytes), /*drop_controls=*/true, text);
  } else {
    AppendUtf8(bytes, /*drop_controls=*/true, text);
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  while (!text.empty()) {
    Sequence s = NextSequence(text);
    width += s.valid ? Columns(s.code_point) : 1;  // shown as U+FFFD
    text.remove_prefix(s.length);
  }
  return width;
}

std::string_view ToString(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kAuto:
      return "auto";
    case TextEncoding::kUtf8:
      return "utf-8";
    case TextEncoding::kGb18030:
      return "gb18030";
  }
  return "auto";
}

std::optional<TextEncoding> ParseTextEncoding(std::string_view name) {
  std::string lower;
  for (char c : name) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (lower == "auto") return TextEncoding::kAuto;
  if (lower == "utf-8") return TextEncoding::kUtf8;
  if (lower == "gb18030" || lower == "gbk") return TextEncoding::kGb18030;
  return std::nullopt;
}

}  // namespace lanwatch
