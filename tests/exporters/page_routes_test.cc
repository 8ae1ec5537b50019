// The status page's routing decisions that need no server: the page's language and the
// query string.
#include "exporters/web/page_routes.h"

#include <gtest/gtest.h>

namespace lanwatch {
namespace {

TEST(PageLanguage, AskedInTheQueryThenTheBrowserThenTheSite) {
  constexpr auto zh = NotifyLanguage::kZh;
  constexpr auto en = NotifyLanguage::kEn;
  EXPECT_EQ(PageLanguage("", "", zh), zh);
  EXPECT_EQ(PageLanguage("", "", en), en);
  EXPECT_EQ(PageLanguage("lang=en", "zh-CN", zh), en);
  EXPECT_EQ(PageLanguage("range=day&lang=zh", "en-US", en), zh);
  EXPECT_EQ(PageLanguage("lang=fr", "en-US", zh), en);  // an unknown ?lang= is not an answer
  EXPECT_EQ(PageLanguage("", "zh-CN,zh;q=0.9,en;q=0.8", en), zh);
  EXPECT_EQ(PageLanguage("", "en-US,en;q=0.9,zh-CN;q=0.8", zh), en);
  EXPECT_EQ(PageLanguage("", "fr-FR, de;q=0.9", zh), zh);  // neither: the site's
  EXPECT_EQ(PageLanguage("", "fr-FR, en;q=0.3, zh-TW;q=0.5", en), zh);
  EXPECT_EQ(PageLanguage("", "zh-Hans-CN", en), zh);
  EXPECT_EQ(PageLanguage("", "en;q=0", zh), zh);  // q=0: not acceptable
}

TEST(QueryValue, DecodesAndFindsTheKey) {
  EXPECT_EQ(QueryValue("range=day&lang=en", "range"), "day");
  EXPECT_EQ(QueryValue("range=day&lang=en", "lang"), "en");
  EXPECT_EQ(QueryValue("range=day", "lang"), "");
  EXPECT_EQ(QueryValue("", "lang"), "");
  EXPECT_EQ(QueryValue("name=%E5%A4%A7%E5%90%8C+x", "name"), "大同 x");
  EXPECT_EQ(QueryValue("bad=%G1%", "bad"), "%G1%");
  EXPECT_EQ(QueryValue("flag&x=1", "flag"), "");
}

}  // namespace
}  // namespace lanwatch
