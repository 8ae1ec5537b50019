#include "daemon/reason_counts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "daemon/network_status.h"

namespace lanwatch {
namespace {

std::vector<std::string> Reasons(const ReasonCounts& counts) {
  std::vector<std::string> out;
  for (const auto& [reason, count] : counts) out.emplace_back(reason);
  return out;
}

TEST(ReasonCounts, KnownReasonsAreThereAtZeroInReasonOrder) {
  const ReasonCounts counts(discontinuity::kAllReasons);
  ASSERT_EQ(counts.size(), std::size(discontinuity::kAllReasons));
  std::vector<std::string> want(std::begin(discontinuity::kAllReasons),
                                std::end(discontinuity::kAllReasons));
  std::sort(want.begin(), want.end());
  EXPECT_EQ(Reasons(counts), want);
  for (const auto& [reason, count] : counts) EXPECT_EQ(count, 0u) << reason;
}

TEST(ReasonCounts, CountsByReasonAndAddsANewOneInItsPlace) {
  ReasonCounts counts(snmp_error::kAllReasons);
  ++counts[snmp_error::kTimeout];
  counts[std::string("time") + "out"] += 2;  // the same reason, from another string
  EXPECT_EQ(counts.value(snmp_error::kTimeout), 3u);
  EXPECT_EQ(counts.value(snmp_error::kAuth), 0u);

  EXPECT_FALSE(counts.contains(snmp_error::kCancelled));
  EXPECT_EQ(counts.value(snmp_error::kCancelled), 0u) << "never happened: 0, not added";
  EXPECT_FALSE(counts.contains(snmp_error::kCancelled));
  {
    std::string reason = snmp_error::kCancelled;  // gone before the count is read
    ++counts[reason];
  }
  EXPECT_EQ(counts.value(snmp_error::kCancelled), 1u);
  EXPECT_EQ(counts.size(), std::size(snmp_error::kAllReasons) + 1);
  std::vector<std::string> reasons = Reasons(counts);
  EXPECT_TRUE(std::is_sorted(reasons.begin(), reasons.end()));
}

TEST(ReasonCounts, CopiesCountApart) {
  ReasonCounts a;
  ++a["device_reboot"];
  ReasonCounts b = a;
  ++b["device_reboot"];
  EXPECT_EQ(a.value("device_reboot"), 1u);
  EXPECT_EQ(b.value("device_reboot"), 2u);
  EXPECT_NE(a, b);
  ++a["device_reboot"];
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace lanwatch
