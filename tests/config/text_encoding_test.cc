#include "config/text_encoding.h"

#include <gtest/gtest.h>

#include <random>

#include "config/config_loader.h"

namespace lanwatch {
namespace {

// What Chinese-localised Huawei/H3C agents send: GBK bytes (python3: "...".encode("gbk")).
const std::string kCoreSwitchGbk = "\xba\xcb\xd0\xc4\xbd\xbb\xbb\xbb\xbb\xfa";  // 核心交换机
const std::string kDatongFiberGbk =
    "\xb4\xf3\xcd\xac\xb7\xd6\xbe\xd6\xb9\xe2\xcf\xcb";  // 大同分局光纤
const std::string kFffd = "\xef\xbf\xbd";

std::string Auto(std::string_view bytes) { return DecodeAgentText(bytes, TextEncoding::kAuto); }

TEST(DecodeAgentText, GbkFromChineseDevicesBecomesUtf8) {
  EXPECT_EQ(Auto(kCoreSwitchGbk), "核心交换机");
  EXPECT_EQ(Auto(kDatongFiberGbk), "大同分局光纤");
  EXPECT_EQ(DecodeAgentText(kDatongFiberGbk, TextEncoding::kGb18030), "大同分局光纤");
}

TEST(DecodeAgentText, MixedAsciiAndGbk) {
  EXPECT_EQ(Auto("GE1/0/1 " + kDatongFiberGbk), "GE1/0/1 大同分局光纤");
  EXPECT_EQ(Auto("\xd3\xb2\xc5\xcc /data"), "硬盘 /data");
  // GB18030's four-byte form and the euro sign of CP936.
  EXPECT_EQ(DecodeAgentText("\x95\x32\x82\x36", TextEncoding::kGb18030), "𠀀");
  EXPECT_EQ(DecodeAgentText("\xa2\xe3", TextEncoding::kGb18030), "€");
}

TEST(DecodeAgentText, ValidUtf8IsKeptAsIs) {
  EXPECT_EQ(Auto("大同分局光纤"), "大同分局光纤");
  EXPECT_EQ(Auto("GigabitEthernet0/0/1"), "GigabitEthernet0/0/1");
  EXPECT_EQ(Auto("Ñandú café 𠀀"), "Ñandú café 𠀀");
  EXPECT_EQ(DecodeAgentText("大同分局光纤", TextEncoding::kUtf8), "大同分局光纤");
  EXPECT_EQ(Auto(""), "");
}

TEST(DecodeAgentText, ControlBytesAndPaddingAreDropped) {
  EXPECT_EQ(Auto(std::string("wan0\0\0\0", 7)), "wan0");
  EXPECT_EQ(Auto(kCoreSwitchGbk + std::string("\0\0", 2)), "核心交换机");
  EXPECT_EQ(Auto(kCoreSwitchGbk + "   "), "核心交换机");
  EXPECT_EQ(Auto("a\tb\r\nc\x1b[31md\x7f"), "abc[31md");
  EXPECT_EQ(Auto("x\xc2\x9b"
                 "1m"),
            "x1m");  // C1 CSI, a terminal escape
}

TEST(DecodeAgentText, TruncatedMultibyteCharacters) {
  // GBK cut inside its last character: what was there is decoded, the cut is U+FFFD.
  EXPECT_EQ(Auto(kCoreSwitchGbk.substr(0, 9)), "核心交换" + kFffd);
  // UTF-8 cut inside its last character (agents truncate long aliases at a byte count) stays
  // UTF-8, not GB18030 mojibake.
  std::string utf8 = "大同分局光纤链路";
  EXPECT_EQ(Auto(utf8.substr(0, utf8.size() - 1)), "大同分局光纤链" + kFffd);
  EXPECT_EQ(Auto(utf8.substr(0, utf8.size() - 2)), "大同分局光纤链" + kFffd);
}

TEST(DecodeAgentText, BytesNeitherUtf8NorGb18030BecomeReplacementCharacters) {
  // 0x80 and 0xFF are no GB18030 lead bytes; 0xB4 0x20 is a lead byte without its trail.
  EXPECT_EQ(Auto("a\x80z"), "a" + kFffd + "z");
  EXPECT_EQ(Auto("\xff\xff"), kFffd + kFffd);
  EXPECT_EQ(Auto("\xb4 b"), kFffd + " b");
  for (TextEncoding e : {TextEncoding::kAuto, TextEncoding::kUtf8, TextEncoding::kGb18030}) {
    for (std::string_view bytes :
         {"\x80", "\xff\xfe\xfd", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90", "\xb4", "ok\xe5\xa4"}) {
      std::string text = DecodeAgentText(bytes, e);
      EXPECT_TRUE(IsValidUtf8(text)) << ToString(e) << ": " << text;
      EXPECT_FALSE(text.empty());
    }
  }
}

TEST(DecodeAgentText, AnyBytesGiveValidUtf8InEveryMode) {
  std::mt19937 random(20261201);  // fixed: the same strings every run
  std::uniform_int_distribution<int> length(0, 40), byte(0, 255), high(0x80, 0xFF);
  for (int n = 0; n < 20000; ++n) {
    std::string bytes;
    for (int i = length(random); i > 0; --i) {
      bytes += static_cast<char>(n % 2 ? byte(random) : high(random));  // half all non-ASCII
    }
    for (TextEncoding e : {TextEncoding::kAuto, TextEncoding::kUtf8, TextEncoding::kGb18030}) {
      std::string text = DecodeAgentText(bytes, e);
      ASSERT_TRUE(IsValidUtf8(text)) << ToString(e) << " " << ::testing::PrintToString(bytes);
      ASSERT_EQ(text.find('\0'), std::string::npos);
    }
    ASSERT_TRUE(IsValidUtf8(ToValidUtf8(bytes)));
  }
}

TEST(DecodeAgentText, Utf8ModeReplacesWhatIsNotUtf8) {
  EXPECT_EQ(DecodeAgentText("\xba\xcb", TextEncoding::kUtf8), kFffd + kFffd);  // 核
  EXPECT_EQ(DecodeAgentText("GE1 \xba\xcb", TextEncoding::kUtf8), "GE1 " + kFffd + kFffd);
  // GBK bytes can hold a valid UTF-8 sequence by chance (CD AC is U+036C): forced UTF-8 is
  // valid UTF-8, not necessarily all U+FFFD.
  std::string text = DecodeAgentText(kDatongFiberGbk, TextEncoding::kUtf8);
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_TRUE(text.starts_with(kFffd + kFffd)) << text;
}

TEST(DecodeAgentText, Gb18030ModeDecodesEvenWhatLooksLikeUtf8) {
  // UTF-8 "大同" read as GB18030: what a forced setting on the wrong device gives.
  EXPECT_EQ(DecodeAgentText("\xe5\xa4\xa7\xe5\x90\x8c", TextEncoding::kGb18030), "澶у悓");
  EXPECT_EQ(DecodeAgentText("wan0", TextEncoding::kGb18030), "wan0");
}

TEST(ToValidUtf8, ReplacesEachMaximalInvalidPart) {
  EXPECT_EQ(ToValidUtf8("ok 大同"), "ok 大同");
  EXPECT_EQ(ToValidUtf8("a\nb"), "a\nb");     // control characters are not its business
  EXPECT_EQ(ToValidUtf8("\xe5\xa4"), kFffd);  // one truncated sequence, one U+FFFD
  EXPECT_EQ(ToValidUtf8("\xb4\xf3"), kFffd + kFffd);
  EXPECT_EQ(ToValidUtf8("\xed\xa0\x80"), kFffd + kFffd + kFffd);              // a surrogate
  EXPECT_EQ(ToValidUtf8("\xc0\xaf"), kFffd + kFffd);                          // overlong '/'
  EXPECT_EQ(ToValidUtf8("\xf4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // > U+10FFFF
}

TEST(ValidUtf8Prefix, StopsAtTheFirstInvalidByte) {
  EXPECT_EQ(ValidUtf8Prefix("abc"), 3u);
  EXPECT_EQ(ValidUtf8Prefix("大\xb4"), 3u);
  EXPECT_EQ(ValidUtf8Prefix(kCoreSwitchGbk), 0u);
}

TEST(DisplayWidth, ChineseTakesTwoColumns) {
  EXPECT_EQ(DisplayWidth("wan0"), 4u);
  EXPECT_EQ(DisplayWidth("大同分局光纤"), 12u);
  EXPECT_EQ(DisplayWidth("GE1/0/1 上联"), 12u);
  EXPECT_EQ(DisplayWidth("（全角）"), 8u);
  EXPECT_EQ(DisplayWidth("e\xcc\x81"), 1u);  // e + combining acute
}

TEST(ParseTextEncoding, NamesAndAliases) {
  EXPECT_EQ(ParseTextEncoding("auto"), TextEncoding::kAuto);
  EXPECT_EQ(ParseTextEncoding("UTF-8"), TextEncoding::kUtf8);
  EXPECT_EQ(ParseTextEncoding("gb18030"), TextEncoding::kGb18030);
  EXPECT_EQ(ParseTextEncoding("GBK"), TextEncoding::kGb18030);
  EXPECT_EQ(ParseTextEncoding("latin1"), std::nullopt);
  for (TextEncoding e : {TextEncoding::kAuto, TextEncoding::kUtf8, TextEncoding::kGb18030}) {
    EXPECT_EQ(ParseTextEncoding(ToString(e)), e);
  }
}

TEST(ConfigTextEncoding, DefaultsOverridesAndMistakes) {
  auto config = ParseConfig(R"(snmp: {text_encoding: utf-8}
devices:
  - {name: core, address: 198.18.1.2, snmp: {text_encoding: gb18030}}
  - {name: h3c, address: 198.18.1.3, snmp: {text_encoding: GBK}}
  - {name: server, address: 198.18.1.10}
  - {name: other, address: 198.18.1.11, snmp: {text_encoding: auto}}
)",
                            "t.yaml");
  ASSERT_TRUE(config) << config.error().front().ToString();
  EXPECT_EQ(config->devices[0].snmp.text_encoding, TextEncoding::kGb18030);
  EXPECT_EQ(config->devices[1].snmp.text_encoding, TextEncoding::kGb18030);
  EXPECT_EQ(config->devices[2].snmp.text_encoding, TextEncoding::kUtf8);
  EXPECT_EQ(config->devices[3].snmp.text_encoding, TextEncoding::kAuto);

  auto bad = ParseConfig(R"(devices:
  - {name: core, address: 198.18.1.2, snmp: {text_encoding: utf8}}
  - {name: h3c, address: 198.18.1.3, snmp: {text_encodng: gbk}}
)",
                         "t.yaml");
  ASSERT_FALSE(bad);
  ASSERT_EQ(bad.error().size(), 2u);
  EXPECT_EQ(bad.error()[0].ToString(),
            "t.yaml:2:61: 'text_encoding' must be one of auto, utf-8, gb18030, gbk, not 'utf8' "
            "(did you mean 'utf-8'?)");
  EXPECT_EQ(bad.error()[1].ToString(),
            "t.yaml:3:45: unknown key 'text_encodng' in device 'h3c' snmp (did you mean "
            "'text_encoding'?)");
}

TEST(ConfigTextEncoding, AConfigSavedAsGbkIsRefusedWithItsPosition) {
  // Device names go into metrics and JSON: the file itself must be UTF-8.
  auto config = ParseConfig(
      "site: bureau\ndevices:\n  - {name: \xba\xcb\xd0\xc4, address: 198.18.1.2}\n", "gbk.yaml");
  ASSERT_FALSE(config);
  ASSERT_EQ(config.error().size(), 1u);
  EXPECT_EQ(config.error()[0].ToString(),
            "gbk.yaml:3:12: the file is not UTF-8 (byte 0xBA); save it as UTF-8, not as GBK "
            "(\"ANSI\" in Windows editors)");
  // The same names in UTF-8 are fine, and the column counts characters.
  EXPECT_TRUE(ParseConfig("devices:\n  - {name: 核心, address: 198.18.1.2}\n", "t.yaml"));
  auto late = ParseConfig("site: 核心\xba\n", "t.yaml");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error()[0].line, 1);
  EXPECT_EQ(late.error()[0].column, 9);
}

}  // namespace
}  // namespace lanwatch
