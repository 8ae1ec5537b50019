// Cost of turning agent text into UTF-8 (config/text_encoding.h), per string, against what a
// poll costs (~1.5 ms of CPU per 48-port device, README). Also what the alternative design,
// iconv_open per call instead of once per thread, would cost.
//   text_decode_bench [--iterations N]
#include <iconv.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "config/text_encoding.h"

namespace {

using Clock = std::chrono::steady_clock;

template <typename F>
double NanosecondsPerCall(long iterations, F&& f) {
  size_t sink = 0;
  auto start = Clock::now();
  for (long i = 0; i < iterations; ++i) sink += f();
  double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  if (sink == 42) std::puts("");  // keep the work
  return ns / static_cast<double>(iterations);
}

// Bare GB18030 -> UTF-8 on `cd`.
size_t RawIconv(iconv_t cd, std::string_view bytes) {
  char out[256];
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size(), out_left = sizeof(out);
  char* dst = out;
  iconv(cd, &in, &in_left, &dst, &out_left);
  return sizeof(out) - out_left;
}

// The same, opening and closing a descriptor on every call.
size_t DecodeWithFreshIconv(std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  size_t n = RawIconv(cd, bytes);
  iconv_close(cd);
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  long iterations = 1'000'000;
  if (argc == 3 && std::strcmp(argv[1], "--iterations") == 0) iterations = std::atol(argv[2]);
  using lanwatch::TextEncoding;
  const std::string ascii = "GigabitEthernet0/0/1";
  const std::string utf8 = "大同分局光纤";
  const std::string gbk = "\xb4\xf3\xcd\xac\xb7\xd6\xbe\xd6\xb9\xe2\xcf\xcb";  // 大同分局光纤
  const std::string long_gbk = [&] {
    std::string s;
    for (int i = 0; i < 10; ++i) s += "GE0/0/1 " + gbk;  // 200 bytes, a long ifAlias
    return s;
  }();
  // What SnmpValue::AsText did before: printable bytes kept, >= 0x80 kept blindly.
  auto old_as_text = [](std::string_view bytes) {
    std::string text;
    text.reserve(bytes.size());
    for (unsigned char c : bytes) {
      if ((c >= 0x20 && c < 0x7f) || c >= 0x80) text += static_cast<char>(c);
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
  };
  struct Case {
    const char* what;
    double ns;
  } cases[] = {
      {"before: AsText keeping bytes blindly, ASCII ifName (20 B)",
       NanosecondsPerCall(iterations, [&] { return old_as_text(ascii).size(); })},
      {"auto, ASCII ifName (20 B)",
       NanosecondsPerCall(
           iterations,
           [&] { return lanwatch::DecodeAgentText(ascii, TextEncoding::kAuto).size(); })},
      {"auto, UTF-8 alias (18 B)",
       NanosecondsPerCall(
           iterations,
           [&] { return lanwatch::DecodeAgentText(utf8, TextEncoding::kAuto).size(); })},
      {"auto, GBK alias (12 B), iconv once per thread",
       NanosecondsPerCall(
           iterations, [&] { return lanwatch::DecodeAgentText(gbk, TextEncoding::kAuto).size(); })},
      {"auto, GBK alias (200 B), iconv once per thread",
       NanosecondsPerCall(
           iterations,
           [&] { return lanwatch::DecodeAgentText(long_gbk, TextEncoding::kAuto).size(); })},
      {"bare iconv, GBK alias (12 B), descriptor kept",
       NanosecondsPerCall(iterations,
                          [&, cd = iconv_open("UTF-8", "GB18030")] { return RawIconv(cd, gbk); })},
      {"bare iconv, GBK alias (12 B), iconv_open + iconv_close per call",
       NanosecondsPerCall(iterations / 10, [&] { return DecodeWithFreshIconv(gbk); })},
      {"IsValidUtf8, a label value (18 B; per label per scrape)",
       NanosecondsPerCall(iterations, [&] { return size_t{lanwatch::IsValidUtf8(utf8)}; })},
      {"DisplayWidth, a table cell (18 B)",
       NanosecondsPerCall(iterations, [&] { return lanwatch::DisplayWidth(utf8); })},
  };
  for (const Case& c : cases) std::printf("%-58s %8.0f ns\n", c.what, c.ns);
  return 0;
}
