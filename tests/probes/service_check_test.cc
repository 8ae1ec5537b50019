// The pure parts of service checks: certificate dates as libcurl's backends print them, days
// left, which status codes count as up, and the words for a failure.
#include "probes/service/service_check.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>

#include "probes/service/cert_expiry.h"
#include "probes/service/service_error.h"

namespace lanwatch {
namespace {

using namespace std::chrono;

sys_seconds At(int y, unsigned m, unsigned d, int h, int min, int s) {
  return sys_days{year{y} / month{m} / day{d}} + hours(h) + minutes(min) + seconds(s);
}

TEST(CertExpiryTest, ParsesOpensslAsn1TimePrint) {
  EXPECT_EQ(ParseCertDate("Dec 11 18:03:08 2026 GMT"), At(2026, 12, 11, 18, 3, 8));
  EXPECT_EQ(ParseCertDate("Jan  1 00:00:00 2027 GMT"), At(2027, 1, 1, 0, 0, 0));
}

TEST(CertExpiryTest, ParsesCurlsOwnDecoder) {
  EXPECT_EQ(ParseCertDate("2027-01-01 00:00:00 GMT"), At(2027, 1, 1, 0, 0, 0));
  EXPECT_EQ(ParseCertDate("2049-12-31 23:59:59"), At(2049, 12, 31, 23, 59, 59));
  EXPECT_EQ(ParseCertDate("2030-06-15 12:30:00.5 UTC"), At(2030, 6, 15, 12, 30, 0));
}

TEST(CertExpiryTest, RejectsWhatItCannotRead) {
  EXPECT_FALSE(ParseCertDate(""));
  EXPECT_FALSE(ParseCertDate("tomorrow"));
  EXPECT_FALSE(ParseCertDate("Foo 11 18:03:08 2026 GMT"));
  EXPECT_FALSE(ParseCertDate("Feb 30 00:00:00 2027 GMT"));
  EXPECT_FALSE(ParseCertDate("2027-13-01 00:00:00"));
  EXPECT_FALSE(ParseCertDate("2027-01-01 25:00:00"));
  EXPECT_FALSE(ParseCertDate("Jan  1 00:00:00 2027 CST"));  // not UTC: not a certificate's
}

TEST(CertExpiryTest, DaysLeftRoundsDown) {
  sys_seconds now = At(2026, 12, 1, 18, 0, 0);
  EXPECT_EQ(DaysLeft(now + days(10), now), 10);
  EXPECT_EQ(DaysLeft(now + days(10) - seconds(1), now), 9);
  EXPECT_EQ(DaysLeft(now + hours(1), now), 0);
  EXPECT_EQ(DaysLeft(now - hours(1), now), -1);
  EXPECT_EQ(DaysLeft(now - days(1), now), -1);
}

TEST(StatusRangeTest, DefaultIsTwoAndThreeHundreds) {
  StatusRange r;
  EXPECT_FALSE(StatusExpected(r, 0));
  EXPECT_FALSE(StatusExpected(r, 199));
  EXPECT_TRUE(StatusExpected(r, 200));
  EXPECT_TRUE(StatusExpected(r, 301));
  EXPECT_TRUE(StatusExpected(r, 399));
  EXPECT_FALSE(StatusExpected(r, 401));
  EXPECT_FALSE(StatusExpected(r, 503));
  EXPECT_TRUE(StatusExpected({401, 401}, 401));  // a login page that must ask
}

TEST(ServiceErrorTest, ReasonsFirstThenCurlsWords) {
  EXPECT_EQ(DescribeCurlFailure(CURLE_COULDNT_CONNECT, "Failed to connect", ECONNREFUSED,
                                milliseconds(2000)),
            "connection refused (curl 7: Failed to connect)");
  EXPECT_EQ(DescribeCurlFailure(CURLE_OPERATION_TIMEDOUT, "", 0, milliseconds(2000)),
            "timeout after 2 s (curl 28: Timeout was reached)");
  EXPECT_EQ(DescribeCurlFailure(CURLE_OPERATION_TIMEDOUT, "x", 0, milliseconds(1500)),
            "timeout after 1.5 s (curl 28: x)");
  EXPECT_EQ(
      DescribeCurlFailure(CURLE_PEER_FAILED_VERIFICATION,
                          "SSL certificate problem: certificate has expired", 0, milliseconds(1)),
      "certificate expired (curl 60: SSL certificate problem: certificate has expired)");
  EXPECT_EQ(DescribeCurlFailure(CURLE_PEER_FAILED_VERIFICATION,
                                "SSL certificate problem: unable to get local issuer certificate",
                                0, milliseconds(1))
                .rfind("certificate not trusted (curl 60: ", 0),
            0u);
  EXPECT_EQ(DescribeCurlFailure(CURLE_PEER_FAILED_VERIFICATION,
                                "SSL: no alternative certificate subject name matches target "
                                "host name '127.0.0.2'",
                                0, milliseconds(1))
                .rfind("certificate name mismatch", 0),
            0u);
  EXPECT_EQ(DescribeUnexpectedStatus(503, 200, 399), "HTTP 503, expected 200-399");
}

}  // namespace
}  // namespace lanwatch
