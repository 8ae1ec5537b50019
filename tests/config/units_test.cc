#include "config/units.h"

#include <gtest/gtest.h>

namespace lanwatch {
namespace {

TEST(ParseBitRate, AcceptsTheWaysEngineersWriteRates) {
  EXPECT_DOUBLE_EQ(*ParseBitRate("10Mbit"), 10e6);
  EXPECT_DOUBLE_EQ(*ParseBitRate("10 Mbit/s"), 10e6);
  EXPECT_DOUBLE_EQ(*ParseBitRate("10Mbps"), 10e6);
  EXPECT_DOUBLE_EQ(*ParseBitRate("1.5Gbit"), 1.5e9);
  EXPECT_DOUBLE_EQ(*ParseBitRate("512kbit"), 512e3);
  EXPECT_DOUBLE_EQ(*ParseBitRate("100000"), 1e5);
}

TEST(ParseBitRate, RejectsWhatIsNotARate) {
  EXPECT_FALSE(ParseBitRate("fast"));
  EXPECT_FALSE(ParseBitRate("10MB"));  // bytes are not accepted: ambiguous for a link
  EXPECT_FALSE(ParseBitRate("-5Mbit"));
  EXPECT_FALSE(ParseBitRate("10 furlongs"));
}

TEST(ParseDuration, Units) {
  using std::chrono::milliseconds;
  EXPECT_EQ(*ParseDuration("500ms"), milliseconds(500));
  EXPECT_EQ(*ParseDuration("30s"), milliseconds(30'000));
  EXPECT_EQ(*ParseDuration("5m"), milliseconds(300'000));
  EXPECT_EQ(*ParseDuration("2h"), milliseconds(7'200'000));
  EXPECT_EQ(*ParseDuration("1.5"), milliseconds(1'500));
  EXPECT_FALSE(ParseDuration("5 fortnights"));
  EXPECT_FALSE(ParseDuration("soon"));
}

TEST(ParseRatio, PercentOrFraction) {
  EXPECT_DOUBLE_EQ(*ParseRatio("80%"), 0.8);
  EXPECT_DOUBLE_EQ(*ParseRatio("0.95"), 0.95);
  EXPECT_FALSE(ParseRatio("120%"));
  EXPECT_FALSE(ParseRatio("80 percent"));
}

TEST(ParseEventRate, PerSecondMinuteHour) {
  EXPECT_DOUBLE_EQ(*ParseEventRate("6/min"), 0.1);
  EXPECT_DOUBLE_EQ(*ParseEventRate("2/s"), 2);
  EXPECT_DOUBLE_EQ(*ParseEventRate("36/h"), 0.01);
  EXPECT_FALSE(ParseEventRate("6/week"));
}

TEST(ParseDecibels, NumberWithOrWithoutTheUnit) {
  EXPECT_DOUBLE_EQ(*ParseDecibels("3dB"), 3);
  EXPECT_DOUBLE_EQ(*ParseDecibels("2.5 db"), 2.5);
  EXPECT_DOUBLE_EQ(*ParseDecibels("4"), 4);
  EXPECT_FALSE(ParseDecibels("0dB"));
  EXPECT_FALSE(ParseDecibels("-3dB"));
  EXPECT_FALSE(ParseDecibels("3 dBm"));
}

TEST(FormatBitRate, PicksAPrefix) {
  EXPECT_EQ(FormatBitRate(9'870'000), "9.87 Mbit/s");
  EXPECT_EQ(FormatBitRate(0), "0 bit/s");
  EXPECT_EQ(FormatBitRate(1e9), "1 Gbit/s");
}

TEST(FormatPercent, ThreeSignificantDigits) {
  EXPECT_EQ(FormatPercent(0.956), "95.6%");
  EXPECT_EQ(FormatPercent(0.95), "95%");
  EXPECT_EQ(FormatPercent(0.0123), "1.23%");
  EXPECT_EQ(FormatPercent(1), "100%");
}

}  // namespace
}  // namespace lanwatch
