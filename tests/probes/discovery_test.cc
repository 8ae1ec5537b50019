#include "probes/snmp/discovery.h"

#include <gtest/gtest.h>

namespace lanwatch {
namespace {

TEST(VendorFromObjectId, EnterpriseNumbers) {
  EXPECT_EQ(VendorFromObjectId("1.3.6.1.4.1.2011.2.23.291"), "Huawei");
  EXPECT_EQ(VendorFromObjectId("1.3.6.1.4.1.25506.1.1"), "H3C");
  EXPECT_EQ(VendorFromObjectId("1.3.6.1.4.1.3902.3.100.20"), "ZTE");
  EXPECT_EQ(VendorFromObjectId("1.3.6.1.4.1.4881.1.1.10.1.1"), "Ruijie");
  EXPECT_EQ(VendorFromObjectId("1.3.6.1.4.1.9.1.1208"), "Cisco");
  EXPECT_EQ(VendorFromObjectId("1.3.6.1.4.1.11863.1.1.1"), "TP-Link");
  EXPECT_EQ(VendorFromObjectId("1.3.6.1.4.1.30065.1.3011"), "Arista");
  EXPECT_EQ(VendorFromObjectId("1.3.6.1.4.1.8072.3.2.10"), "net-snmp");
  EXPECT_EQ(VendorFromObjectId("1.3.6.1.4.1.99999.1"), "unknown");
  EXPECT_EQ(VendorFromObjectId("1.3.6.1.2.1.1"), "unknown");
  EXPECT_EQ(VendorFromObjectId(""), "unknown");
}

}  // namespace
}  // namespace lanwatch
