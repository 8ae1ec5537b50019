// The shape of the email lanwatch sends, checked byte by byte: RFC 2047 encoded-words of at
// most 75 characters that never split a UTF-8 character, lines of at most 76, CRLF only,
// 7-bit only, each header once, Message-IDs from the notification's id, threading headers on
// follow-ups. (tests/integration/email_test.cc sends them to a real server and reads them
// back with Python's email package.)
#include "exporters/notify/email_message.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <regex>
#include <thread>

#include "config/text_encoding.h"
#include "exporters/notify/mime.h"
#include "exporters/notify/site_time.h"

namespace lanwatch {
namespace {

std::string DecodeBase64(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0) continue;  // '=', CR, LF
    bits = (bits << 6) | static_cast<uint32_t>(v);
    if (++count == 4) {
      out += static_cast<char>((bits >> 16) & 0xFF);
      out += static_cast<char>((bits >> 8) & 0xFF);
      out += static_cast<char>(bits & 0xFF);
      bits = 0;
      count = 0;
    }
  }
  if (count == 3) {
    out += static_cast<char>((bits >> 10) & 0xFF);
    out += static_cast<char>((bits >> 2) & 0xFF);
  } else if (count == 2) {
    out += static_cast<char>((bits >> 4) & 0xFF);
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("\r\n", start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

// The process's TZ for one test, restored after.
class ScopedTimezone {
 public:
  explicit ScopedTimezone(const char* zone) {
    if (const char* tz = std::getenv("TZ")) saved_ = tz;
    EXPECT_TRUE(UseSiteTimezone(zone));
  }
  ~ScopedTimezone() {
    if (saved_) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  std::optional<std::string> saved_;
};

// Mixed text: ASCII, 2-byte (é), 3-byte (汉字, 【】), 4-byte (𠀋, 😀) characters.
const std::string kMixed = "【严重】Bureau é 市商务局：下属单位 𠀋石桥 😀 的光纤链路中断 abc";

TEST(SplitUtf8, PiecesEndOnCharacterBoundaries) {
  for (size_t max = 1; max <= 50; ++max) {
    std::string joined;
    for (std::string_view piece : mime::SplitUtf8(kMixed, max)) {
      EXPECT_TRUE(IsValidUtf8(piece)) << "max " << max << ": " << piece;
      // Only a character longer than `max` may exceed it, and then it is alone.
      if (piece.size() > max) {
        EXPECT_LE(piece.size(), 4u);
      }
      joined += piece;
    }
    EXPECT_EQ(joined, kMixed) << "max " << max;
  }
}

// The words of one header, each decoded on its own.
struct Words {
  std::vector<std::string> lines, words, decoded;
};
Words ParseHeader(const std::string& header) {
  Words w;
  static const std::regex kWord(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)");
  w.lines = SplitLines(header);
  for (const std::string& line : w.lines) {
    for (std::sregex_iterator it(line.begin(), line.end(), kWord), end; it != end; ++it) {
      w.words.push_back(it->str());
      w.decoded.push_back(DecodeBase64((*it)[1].str()));
    }
  }
  return w;
}

TEST(UnstructuredHeader, EncodedWordsAtMost75LinesAtMost76NoCharacterSplit) {
  std::string text;
  for (int round = 0; round < 12; ++round) {
    text += kMixed;
    std::string header = mime::UnstructuredHeader("Subject", text);
    ASSERT_GE(header.size(), 2u);
    EXPECT_EQ(header.substr(header.size() - 2), "\r\n");
    EXPECT_EQ(header.rfind("Subject: =?UTF-8?B?", 0), 0u) << header;
    Words w = ParseHeader(header);
    std::string joined;
    for (size_t i = 0; i < w.lines.size(); ++i) {
      EXPECT_LE(w.lines[i].size(), 76u) << w.lines[i];
      if (i > 0) {
        EXPECT_EQ(w.lines[i].front(), ' ') << "a continuation line starts with a space";
      }
    }
    for (size_t i = 0; i < w.words.size(); ++i) {
      EXPECT_LE(w.words[i].size(), 75u) << w.words[i];
      EXPECT_TRUE(IsValidUtf8(w.decoded[i])) << "word " << i << " splits a character";
      joined += w.decoded[i];
    }
    EXPECT_EQ(joined, text);
    for (char c : header) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
  }
}

TEST(UnstructuredHeader, LongHeaderNamesStillFit) {
  std::string header = mime::UnstructuredHeader("X-A-Very-Long-Header-Name-For-Filters", kMixed);
  Words w = ParseHeader(header);
  std::string joined;
  for (const std::string& line : w.lines) EXPECT_LE(line.size(), 76u) << line;
  for (const std::string& d : w.decoded) joined += d;
  EXPECT_EQ(joined, kMixed);
}

TEST(UnstructuredHeader, AsciiStaysReadableAndFoldsAtSpaces) {
  EXPECT_EQ(mime::UnstructuredHeader("Subject", "[TEST] lanwatch test message"),
            "Subject: [TEST] lanwatch test message\r\n");
  std::string long_text =
      "[CRITICAL] Municipal Commerce Bureau: Core switch core-switch is unreachable (2 more "
      "devices and 8 links affected; 1 more alert)";
  std::string header = mime::UnstructuredHeader("Subject", long_text);
  std::string unfolded;
  for (const std::string& line : SplitLines(header)) {
    EXPECT_LE(line.size(), 78u) << line;
    unfolded += line;
  }
  EXPECT_EQ(unfolded, "Subject: " + long_text);  // unfolding removes only the CRLFs
  // Text that looks like an encoded-word must not be read as one.
  EXPECT_NE(mime::UnstructuredHeader("Subject", "=?UTF-8?B?x?=").find("=?UTF-8?B?PT9VVEYt"),
            std::string::npos);
}

TEST(UnstructuredHeader, InvalidUtf8BecomesReplacementCharacters) {
  Words w = ParseHeader(mime::UnstructuredHeader("Subject", "core \xba\xcb\xd0\xc4"));
  std::string joined;
  for (const std::string& d : w.decoded) joined += d;
  EXPECT_TRUE(IsValidUtf8(joined));
  EXPECT_EQ(joined, ToValidUtf8("core \xba\xcb\xd0\xc4"));
}

TEST(Base64, Rfc4648Vectors) {
  const std::map<std::string, std::string> vectors = {{"", ""},
                                                      {"f", "Zg=="},
                                                      {"fo", "Zm8="},
                                                      {"foo", "Zm9v"},
                                                      {"foob", "Zm9vYg=="},
                                                      {"fooba", "Zm9vYmE="},
                                                      {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) EXPECT_EQ(mime::Base64(plain), encoded);
  std::string body(1000, 'x');
  for (const std::string& line : SplitLines(mime::Base64Lines(body))) {
    EXPECT_LE(line.size(), 76u);
  }
  EXPECT_EQ(DecodeBase64(mime::Base64Lines(body)), body);
}

TEST(Mailbox, ParsedAndFormatted) {
  auto m = mime::ParseMailbox("网络监控 <lanwatch@bureau.example>");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->display_name, "网络监控");
  EXPECT_EQ(m->address, "lanwatch@bureau.example");
  EXPECT_EQ(mime::FormatMailbox(*m), "=?UTF-8?B?572R57uc55uR5o6n?= <lanwatch@bureau.example>");
  EXPECT_EQ(mime::FormatMailbox(*mime::ParseMailbox("\"IT, 2nd floor\" <it@x.example>")),
            "\"IT, 2nd floor\" <it@x.example>");
  EXPECT_EQ(mime::FormatMailbox(*mime::ParseMailbox("Ops \"night\" desk <ops@x.example>")),
            "\"Ops \\\"night\\\" desk\" <ops@x.example>");
  EXPECT_EQ(mime::FormatMailbox(*mime::ParseMailbox("it@x.example")), "it@x.example");
  EXPECT_FALSE(mime::ParseMailbox("no address"));
  EXPECT_FALSE(mime::ParseMailbox("Name <broken"));
}

TEST(MsgId, LocalPartIsADotAtom) {
  EXPECT_EQ(mime::MsgId("n1.panji", "bureau.example"), "<n1.panji@bureau.example>");
  EXPECT_EQ(mime::MsgIdLocalPart("a b<c>@d"), "a-b-c--d");
  EXPECT_EQ(mime::MsgIdLocalPart(".x..y."), "-x-.y-");
  EXPECT_EQ(mime::MsgIdLocalPart("核心"), "------");
}

Config Bureau() {
  Config c;
  c.site = "市商务局";
  DeviceConfig core;
  core.name = "core-switch";
  core.role = DeviceRole::kSwitch;
  c.devices.push_back(core);
  for (const char* unit :
       {"datong", "tianjiaan", "xiejiaji", "bagongshan", "panji", "maoji", "fengtai"}) {
    LinkConfig l;
    l.name = unit;
    l.kind = LinkKind::kSubordinate;
    l.device = "core-switch";
    c.links.push_back(l);
  }
  c.notify.dashboard_url = "http://lanwatch.bureau.example/";
  c.notify.email.from = "lanwatch <lanwatch@bureau.example>";
  c.notify.email.to = {"it@bureau.example"};
  return c;
}

const WallTime kSince = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} +
                        std::chrono::hours(13) + std::chrono::minutes(35);

Notification PanjiDown(NotificationKind kind = NotificationKind::kFiring) {
  AlertNote a;
  a.key = {rule::kLinkDown, "core-switch", "panji"};
  a.severity = Severity::kCritical;
  a.since = kSince;
  Notification n;
  n.id = "n1";
  n.kind = kind;
  n.device = "core-switch";
  n.created_at = kSince + std::chrono::seconds(5);
  n.alerts = {a};
  return n;
}

// Headers by lower-case name (each value with its folding), and the body, of a message.
struct Parsed {
  std::multimap<std::string, std::string> headers;
  std::string body;
};
// The value of a header that must be there once; "<no NAME>" otherwise, so that a missing
// header fails an EXPECT_EQ instead of crashing the test.
std::string Header(const Parsed& p, const std::string& name) {
  auto [first, last] = p.headers.equal_range(name);
  if (first == last) return "<no " + name + ">";
  if (std::next(first) != last) return "<" + name + " twice>";
  return first->second;
}

Parsed Parse(const std::string& message) {
  Parsed p;
  size_t split = message.find("\r\n\r\n");
  EXPECT_NE(split, std::string::npos);
  auto last = p.headers.end();
  for (const std::string& line : SplitLines(message.substr(0, split))) {
    if (line.front() == ' ' || line.front() == '\t') {
      last->second += "\r\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    last = p.headers.emplace(name, line.substr(colon + 2));
  }
  p.body = message.substr(split + 4);
  return p;
}

TEST(EmailMessage, HeadersBodyAndLineEnds) {
  ScopedTimezone zone("Asia/Shanghai");
  Config config = Bureau();
  std::string m = RenderEmailMessage(PanjiDown(), config);
  for (size_t i = 0; i < m.size(); ++i) {
    ASSERT_LT(static_cast<unsigned char>(m[i]), 0x80) << "8-bit byte at " << i;
    if (m[i] == '\n') {
      ASSERT_TRUE(i > 0 && m[i - 1] == '\r') << "bare LF at " << i;
    }
    if (m[i] == '\r') {
      ASSERT_TRUE(i + 1 < m.size() && m[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  for (const std::string& line : SplitLines(m)) EXPECT_LE(line.size(), 76u) << line;

  Parsed p = Parse(m);
  for (const char* name : {"from", "to", "subject", "date", "message-id", "auto-submitted",
                           "mime-version", "content-type", "content-transfer-encoding"}) {
    EXPECT_EQ(p.headers.count(name), 1u) << name;
  }
  EXPECT_EQ(p.headers.count("in-reply-to"), 0u);
  EXPECT_EQ(p.headers.count("references"), 0u);
  EXPECT_EQ(Header(p, "from"), "\"lanwatch\" <lanwatch@bureau.example>");
  EXPECT_EQ(Header(p, "to"), "it@bureau.example");
  EXPECT_EQ(Header(p, "date"), "Tue, 01 Dec 2026 21:35:05 +0800");
  EXPECT_EQ(Header(p, "message-id"), "<n1@bureau.example>");
  EXPECT_EQ(Header(p, "auto-submitted"), "auto-generated");
  EXPECT_EQ(Header(p, "mime-version"), "1.0");
  EXPECT_EQ(Header(p, "content-type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(Header(p, "content-transfer-encoding"), "base64");

  std::string subject;
  for (const std::string& d : ParseHeader(Header(p, "subject")).decoded) subject += d;
  EXPECT_EQ(subject, "【严重】市商务局：下属单位 panji 的光纤链路中断");
  EmailText text = ComposeEmail(PanjiDown(), config);
  std::string crlf_body;
  for (char c : text.body) crlf_body += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(DecodeBase64(p.body), crlf_body);
  EXPECT_NE(text.body.find("状态页：http://lanwatch.bureau.example/"), std::string::npos);
}

TEST(EmailMessage, FollowUpsThreadUnderTheFiringOne) {
  ScopedTimezone zone("Asia/Shanghai");
  Notification resolved = PanjiDown(NotificationKind::kResolved);
  resolved.id = "n2";
  resolved.in_reply_to = {"n1", "n0"};
  resolved.alerts[0].ended = kSince + std::chrono::minutes(12);
  Parsed p = Parse(RenderEmailMessage(resolved, Bureau()));
  EXPECT_EQ(Header(p, "message-id"), "<n2@bureau.example>");
  EXPECT_EQ(Header(p, "in-reply-to"), "<n1@bureau.example>\r\n <n0@bureau.example>");
  EXPECT_EQ(Header(p, "references"), "<n1@bureau.example>\r\n <n0@bureau.example>");
}

TEST(EmailMessage, MessageIdDomainComesFromTheSenderElseLanwatch) {
  EmailSettings e;
  e.from = "IT <it@sub.bureau.example>";
  EXPECT_EQ(MessageIdDomain(e), "sub.bureau.example");
  e.from = "";
  EXPECT_EQ(MessageIdDomain(e), "lanwatch");
  e.from = "not an address";
  EXPECT_EQ(MessageIdDomain(e), "lanwatch");
  Config config = Bureau();
  config.notify.email.from = "";
  Parsed p = Parse(RenderEmailMessage(PanjiDown(), config));
  EXPECT_EQ(Header(p, "message-id"), "<n1@lanwatch>");
}

// A resend is the same message: nothing in it may come from the clock or chance. (The two
// renders are more than a second apart, the Date header's resolution.)
TEST(EmailMessage, TheSameNotificationRendersTheSameBytes) {
  ScopedTimezone zone("Asia/Shanghai");
  std::string first = RenderEmailMessage(PanjiDown(), Bureau());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(first, RenderEmailMessage(PanjiDown(), Bureau()));
}

TEST(EmailMessage, AnOutageSubjectSaysWhatElseItTakesDown) {
  ScopedTimezone zone("Asia/Shanghai");
  Config config = Bureau();
  Notification n = PanjiDown();
  AlertNote& a = n.alerts[0];
  a.key = {rule::kDeviceUnreachable, "core-switch", ""};
  a.facts.affected_links = {"datong", "tianjiaan", "xiejiaji", "bagongshan",
                            "panji",  "maoji",     "fengtai"};
  EXPECT_EQ(ComposeEmail(n, config).subject,
            "【严重】市商务局：核心交换机 core-switch 无法访问（另有 7 条链路受影响）");
  config.notify.language = NotifyLanguage::kEn;
  config.site = "Municipal Commerce Bureau";
  EXPECT_EQ(ComposeEmail(n, config).subject,
            "[CRITICAL] Municipal Commerce Bureau: Core switch core-switch is unreachable (7 "
            "more links affected)");
}

TEST(EmailMessage, GroupedAlertsMostSevereFirst) {
  ScopedTimezone zone("Asia/Shanghai");
  Notification n = PanjiDown();
  AlertNote warning = n.alerts[0];
  warning.key = {rule::kLinkErrors, "core-switch", "maoji"};
  warning.severity = Severity::kWarning;
  n.alerts.insert(n.alerts.begin(), warning);
  EmailText text = ComposeEmail(n, Bureau());
  EXPECT_EQ(text.subject, "【严重】市商务局：下属单位 panji 的光纤链路中断（另有 1 条告警）");
  size_t critical = text.body.find("【严重】下属单位 panji 的光纤链路中断");
  size_t warn = text.body.find("【警告】下属单位 maoji 的光纤链路出现错包");
  ASSERT_NE(critical, std::string::npos) << text.body;
  ASSERT_NE(warn, std::string::npos) << text.body;
  EXPECT_LT(critical, warn);
}

TEST(EmailMessage, ReminderSaysHowLongItHasLasted) {
  ScopedTimezone zone("Asia/Shanghai");
  Notification n = PanjiDown(NotificationKind::kReminder);
  n.created_at = kSince + std::chrono::hours(4) + std::chrono::minutes(2);
  n.in_reply_to = {"n0"};
  EmailText text = ComposeEmail(n, Bureau());
  EXPECT_EQ(text.subject, "【提醒】市商务局：下属单位 panji 的光纤链路仍处于中断状态");
  EXPECT_NE(text.body.find("已持续：4 小时 2 分钟"), std::string::npos) << text.body;
}

TEST(EmailMessage, TestMessageInBothLanguages) {
  ScopedTimezone zone("Asia/Shanghai");
  Config config = Bureau();
  config.notify.email.url = "smtp://127.0.0.1:2525";
  Notification n;
  n.id = "test.1";
  n.kind = NotificationKind::kTest;
  n.created_at = kSince;
  EmailText zh = ComposeEmail(n, config);
  EXPECT_EQ(zh.subject, "【测试】市商务局：lanwatch 测试邮件");
  EXPECT_NE(zh.body.find("邮件服务器：smtp://127.0.0.1:2525"), std::string::npos) << zh.body;
  EXPECT_NE(zh.body.find("发送时间：2026-12-01 21:35:00"), std::string::npos) << zh.body;
  config.notify.language = NotifyLanguage::kEn;
  EXPECT_EQ(ComposeEmail(n, config).subject, "[TEST] 市商务局: lanwatch test message");
}

TEST(SiteTime, Rfc5322DateInTheSiteZone) {
  {
    ScopedTimezone zone("Asia/Shanghai");
    EXPECT_EQ(FormatRfc5322Date(kSince), "Tue, 01 Dec 2026 21:35:00 +0800");
    EXPECT_EQ(FormatSiteTime(kSince, NotifyLanguage::kZh), "2026-12-01 21:35:00");
    EXPECT_EQ(FormatSiteTime(kSince, NotifyLanguage::kEn), "2026-12-01 21:35:00 CST");
  }
  {
    ScopedTimezone zone("America/St_Johns");  // -03:30 in December
    EXPECT_EQ(FormatRfc5322Date(kSince), "Tue, 01 Dec 2026 10:05:00 -0330");
  }
  EXPECT_FALSE(UseSiteTimezone("Mars/Olympus_Mons"));
  EXPECT_EQ(FormatElapsed(std::chrono::seconds(45), NotifyLanguage::kZh), "45 秒");
  EXPECT_EQ(FormatElapsed(std::chrono::minutes(12), NotifyLanguage::kZh), "12 分钟");
  EXPECT_EQ(FormatElapsed(std::chrono::minutes(65), NotifyLanguage::kZh), "1 小时 5 分钟");
  EXPECT_EQ(FormatElapsed(std::chrono::hours(50), NotifyLanguage::kZh), "2 天 2 小时");
  EXPECT_EQ(FormatElapsed(std::chrono::minutes(12), NotifyLanguage::kEn), "12m 0s");
}

}  // namespace
}  // namespace lanwatch
