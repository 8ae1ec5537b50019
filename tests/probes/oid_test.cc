#include "probes/snmp/oid.h"

#include <gtest/gtest.h>

namespace lanwatch {
namespace {

TEST(Oid, ParsesAndPrints) {
  auto oid = Oid::Parse(".1.3.6.1.2.1.1.3.0");
  ASSERT_TRUE(oid);
  EXPECT_EQ(oid->ToString(), "1.3.6.1.2.1.1.3.0");
  EXPECT_FALSE(Oid::Parse("1.3..6"));
  EXPECT_FALSE(Oid::Parse("1.3.x"));
  EXPECT_FALSE(Oid::Parse(""));
  EXPECT_FALSE(Oid::Parse("1.3."));
  EXPECT_FALSE(Oid::Parse("1.99999999999"));  // a sub-identifier is 32 bits
}

TEST(Oid, OrdersLikeAnAgentWalks) {
  Oid a{1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 2};
  Oid b{1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 10};
  Oid c{1, 3, 6, 1, 2, 1, 2, 2, 1, 10};
  EXPECT_LT(a, b);  // numeric, not textual
  EXPECT_LT(c, a);  // a prefix sorts first
  EXPECT_TRUE(a.StartsWith(c));
  EXPECT_FALSE(c.StartsWith(a));
  EXPECT_EQ(a.SuffixAfter(c), (Oid{2}));
}

}  // namespace
}  // namespace lanwatch
