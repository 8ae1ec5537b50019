#include "daemon/optional_double.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>

namespace lanwatch {
namespace {

TEST(OptionalDouble, HoldsWhatAnOptionalDoubleDoesInHalfTheBytes) {
  static_assert(sizeof(OptionalDouble) == 8);
  OptionalDouble rate;
  EXPECT_FALSE(rate);
  EXPECT_FALSE(rate.has_value());
  EXPECT_EQ(rate, std::nullopt);
  EXPECT_EQ(rate.value_or(-1), -1);

  rate = 0.0;  // zero is a value, not absence
  ASSERT_TRUE(rate);
  EXPECT_EQ(*rate, 0.0);
  rate = 1.5e9;
  EXPECT_EQ(*rate, 1.5e9);
  EXPECT_EQ(rate, OptionalDouble(1.5e9));
  EXPECT_NE(rate, OptionalDouble(2.0));
  EXPECT_NE(rate, OptionalDouble());

  const std::optional<double> as_optional = rate;
  EXPECT_EQ(as_optional, 1.5e9);
  rate.reset();
  EXPECT_EQ(std::optional<double>(rate), std::nullopt);
  rate = std::optional<double>(-3.25);
  EXPECT_EQ(*rate, -3.25);
  rate = std::optional<double>();
  EXPECT_FALSE(rate);
  rate = std::nan("");
  EXPECT_FALSE(rate) << "a NaN reads back as absent";
  EXPECT_EQ(OptionalDouble(), OptionalDouble(std::nullopt));
  EXPECT_TRUE(OptionalDouble() == std::optional<double>()) << "both absent: equal";
  EXPECT_TRUE(OptionalDouble(2.0) == std::optional<double>(2.0));
  EXPECT_FALSE(OptionalDouble(2.0) == std::optional<double>());
}

}  // namespace
}  // namespace lanwatch
