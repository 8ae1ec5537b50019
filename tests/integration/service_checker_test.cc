// ServiceChecker against real servers on 127.0.0.1: tests/agents/http_service.py for HTTP
// status codes, slow answers and HTTPS with a CA and certificates made by openssl in the
// test; a port nobody listens on for refusals. No mocks.
#include "probes/service/service_checker.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "probes/service/cert_expiry.h"
#include "tests/support/http_service.h"
#include "tests/support/process.h"

namespace lanwatch {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Steady = std::chrono::steady_clock;
using testing::HttpService;
using testing::HttpServiceOptions;
using testing::MakeTestPki;
using testing::TempDir;

ServiceCheck Http(std::string url, milliseconds timeout = milliseconds(3000)) {
  ServiceCheck c;
  c.name = url;
  c.kind = ServiceKind::kHttp;
  c.target = std::move(url);
  c.timeout = timeout;
  return c;
}

ServiceCheck Tcp(int port) {
  ServiceCheck c;
  c.name = fmt::format("tcp {}", port);
  c.kind = ServiceKind::kTcp;
  c.target = fmt::format("127.0.0.1:{}", port);
  c.timeout = milliseconds(2000);
  return c;
}

ServiceResult RunOne(const ServiceCheck& check, milliseconds budget = milliseconds(10000)) {
  auto results = ServiceChecker().Run({check}, Steady::now() + budget);
  EXPECT_EQ(results.size(), 1u);
  return results.at(0);
}

double Ms(std::chrono::microseconds us) { return us.count() / 1000.0; }

// A listening socket on 127.0.0.1 held open by the test: a TCP service that accepts.
class Listener {
 public:
  Listener() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 || listen(fd_, 16) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(a.sin_port);
  }
  ~Listener() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

TEST(ServiceCheckerTest, StatusCodesDecideUpAndDown) {
  HttpService web;
  ServiceCheck get_ok = Http(web.Url("/"));
  get_ok.method = HttpMethod::kGet;
  ServiceCheck not_found = Http(web.Url("/status/404"));
  ServiceCheck broken = Http(web.Url("/status/500"));
  broken.method = HttpMethod::kGet;
  ServiceCheck moved = Http(web.Url("/status/302"));
  ServiceCheck want_404 = Http(web.Url("/status/404"));
  want_404.expected_status = {404, 404};

  auto r = ServiceChecker().Run({get_ok, not_found, broken, moved, want_404},
                                Steady::now() + seconds(10));
  ASSERT_EQ(r.size(), 5u);
  EXPECT_TRUE(r[0].up) << r[0].error;
  EXPECT_EQ(r[0].status, 200);
  EXPECT_EQ(r[0].error, "");
  EXPECT_GT(r[0].connect_time.count(), 0);
  EXPECT_GE(r[0].time_to_first_byte, r[0].connect_time);
  EXPECT_GE(r[0].total_time, r[0].time_to_first_byte);
  EXPECT_EQ(r[0].tls_handshake_time.count(), 0);  // plain HTTP
  EXPECT_FALSE(r[0].cert_not_after);
  EXPECT_FALSE(r[1].up);
  EXPECT_EQ(r[1].status, 404);
  EXPECT_EQ(r[1].error, "HTTP 404, expected 200-399");
  EXPECT_FALSE(r[2].up);
  EXPECT_EQ(r[2].error, "HTTP 500, expected 200-399");
  EXPECT_TRUE(r[3].up) << r[3].error;  // a redirect is an answer; not followed
  EXPECT_EQ(r[3].status, 302);
  EXPECT_TRUE(r[4].up) << r[4].error;
  EXPECT_EQ(r[0].name, get_ok.name);
  EXPECT_NE(web.Log().find("\"HEAD /status/404"), std::string::npos) << web.Log();
  EXPECT_NE(web.Log().find("\"GET /status/500"), std::string::npos) << web.Log();
}

TEST(ServiceCheckerTest, SlowServerIsATimeout) {
  HttpService web;
  auto before = Steady::now();
  ServiceResult r = RunOne(Http(web.Url("/delay/4000"), milliseconds(1000)));
  double wall_ms = std::chrono::duration<double, std::milli>(Steady::now() - before).count();
  EXPECT_FALSE(r.up);
  EXPECT_EQ(r.error.rfind("timeout after 1 s (curl 28: ", 0), 0u) << r.error;
  EXPECT_EQ(r.status, 0);
  EXPECT_GT(r.connect_time.count(), 0);  // connected, then waited for an answer
  EXPECT_GE(wall_ms, 950);
  EXPECT_LT(wall_ms, 1500);
}

TEST(ServiceCheckerTest, ClosedPortIsConnectionRefused) {
  int closed = testing::FreeTcpPort();
  ServiceResult http = RunOne(Http(fmt::format("http://127.0.0.1:{}/", closed)));
  EXPECT_FALSE(http.up);
  EXPECT_EQ(http.error.rfind("connection refused (curl 7: ", 0), 0u) << http.error;
  ServiceResult tcp = RunOne(Tcp(closed));
  EXPECT_FALSE(tcp.up);
  EXPECT_EQ(tcp.error.rfind("connection refused (curl 7: ", 0), 0u) << tcp.error;
}

TEST(ServiceCheckerTest, TcpConnectToAListeningPort) {
  Listener listener;  // accepts nothing: a connect alone must be enough, nothing is sent
  ServiceResult r = RunOne(Tcp(listener.port()));
  EXPECT_TRUE(r.up) << r.error;
  EXPECT_EQ(r.status, 0);
  EXPECT_GT(r.connect_time.count(), 0);
  EXPECT_LT(r.connect_time, milliseconds(500));
}

TEST(ServiceCheckerTest, BadTargetsAreDownWithoutAffectingOthers) {
  HttpService web;
  ServiceCheck no_port;
  no_port.name = "no port";
  no_port.kind = ServiceKind::kTcp;
  no_port.target = "127.0.0.1";
  ServiceCheck ftp = Http("ftp://127.0.0.1/");
  auto r = ServiceChecker().Run({no_port, ftp, Http(web.Url("/"))}, Steady::now() + seconds(5));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].error, "bad target \"127.0.0.1\": want host:port");
  EXPECT_FALSE(r[1].up);
  EXPECT_NE(r[1].error.find("want an http:// or https:// URL"), std::string::npos) << r[1].error;
  EXPECT_TRUE(r[2].up) << r[2].error;
}

TEST(ServiceCheckerTest, TimeToFirstByteOfADelayedAnswer) {
  HttpService web;
  RunOne(Http(web.Url("/")));  // python's first request imports and warms up
  // The median of five: the server is a niced python on a shared machine, and one late
  // wake-up of its thread is the server's delay, not the probe's error.
  std::vector<double> ttfb;
  for (int i = 0; i < 5; ++i) {
    ServiceResult r = RunOne(Http(web.Url("/delay/300")));
    ASSERT_TRUE(r.up) << r.error;
    EXPECT_GE(r.total_time, r.time_to_first_byte);
    ttfb.push_back(Ms(r.time_to_first_byte));
  }
  std::printf("[measure] TTFB of a 300 ms first byte: %.1f %.1f %.1f %.1f %.1f ms\n", ttfb[0],
              ttfb[1], ttfb[2], ttfb[3], ttfb[4]);
  std::sort(ttfb.begin(), ttfb.end());
  EXPECT_GE(ttfb[0], 300);  // never less than the server waited
  // And not much more: a tolerance of 20 ms failed under load (321.6 ms, with the tests two at
  // a time on two cores), while a probe that timed the wrong thing (a connect timeout, a
  // second request) would be off by far more than 100.
  EXPECT_LT(ttfb[2], 400);
}

TEST(ServiceCheckerTest, FiftyChecksAtOnceFinishWithinOneTimeout) {
  HttpService web;
  RunOne(Http(web.Url("/")));
  std::vector<ServiceCheck> checks;
  for (int i = 0; i < 50; ++i) {
    // Each answer takes 500 ms: one after the other, 25 s; at once, about 0.5 s.
    ServiceCheck c = Http(web.Url(fmt::format("/delay/500?n={}", i)), milliseconds(2000));
    c.name = fmt::format("web {}", i);
    checks.push_back(c);
  }
  auto before = Steady::now();
  auto results = ServiceChecker().Run(checks, Steady::now() + seconds(10));
  double wall_ms = std::chrono::duration<double, std::milli>(Steady::now() - before).count();
  ASSERT_EQ(results.size(), 50u);
  int up = 0;
  for (const ServiceResult& r : results) up += r.up;
  EXPECT_EQ(up, 50) << results[0].error;
  EXPECT_EQ(results[49].name, "web 49");
  std::printf("[measure] 50 concurrent checks (500 ms answers, 2 s timeout): %.0f ms wall\n",
              wall_ms);
  EXPECT_LT(wall_ms, 2000);

  std::vector<ServiceCheck> quick(50, Http(web.Url("/")));
  before = Steady::now();
  results = ServiceChecker().Run(quick, Steady::now() + seconds(10));
  wall_ms = std::chrono::duration<double, std::milli>(Steady::now() - before).count();
  up = 0;
  for (const ServiceResult& r : results) up += r.up;
  EXPECT_EQ(up, 50);
  std::printf("[measure] 50 concurrent checks (immediate answers): %.0f ms wall\n", wall_ms);
}

TEST(ServiceCheckerTest, TheRoundsDeadlineCutsChecksShort) {
  HttpService web;
  auto before = Steady::now();
  auto r = ServiceChecker().Run({Http(web.Url("/delay/4000"), milliseconds(5000))},
                                Steady::now() + milliseconds(700));
  double wall_ms = std::chrono::duration<double, std::milli>(Steady::now() - before).count();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_FALSE(r[0].up);
  EXPECT_EQ(r[0].error.rfind("timeout after 0.7 s", 0), 0u) << r[0].error;
  EXPECT_LT(wall_ms, 800);
  auto late = ServiceChecker().Run({Http(web.Url("/"))}, Steady::now() - milliseconds(1));
  EXPECT_EQ(late.at(0).error, "not checked: the round's deadline had passed");
}

class HttpsTest : public ::testing::Test {
 protected:
  ServiceCheck Https(const HttpService& web, bool with_ca) {
    ServiceCheck c = Http(web.Url("/"));
    if (with_ca) c.ca_file = pki_.ca_cert;
    return c;
  }
  // notAfter as openssl prints it for `cert`, parsed the same way.
  std::chrono::sys_seconds NotAfter(const std::string& cert) {
    auto r = testing::RunCommand(fmt::format("openssl x509 -in {} -noout -enddate", cert));
    std::string text = r.output.substr(r.output.find('=') + 1);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    auto t = ParseCertDate(text);
    EXPECT_TRUE(t) << r.output;
    return t.value_or(std::chrono::sys_seconds{});
  }
  TempDir dir_;
  testing::TestPki pki_ = MakeTestPki(dir_.path());
};

TEST_F(HttpsTest, PrivateCaVerifiesAndTheExpiryIsRead) {
  HttpService web({pki_.cert_for_10_days, pki_.server_key});
  ServiceResult r = RunOne(Https(web, true));
  ASSERT_TRUE(r.up) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_GT(r.tls_handshake_time.count(), 0);
  EXPECT_GE(r.time_to_first_byte, r.connect_time + r.tls_handshake_time);
  ASSERT_TRUE(r.cert_not_after);
  EXPECT_EQ(*r.cert_not_after, NotAfter(pki_.cert_for_10_days));
  ASSERT_TRUE(r.cert_days_left);
  // 10 days from a moment ago: 9 whole days and some hours (10 within the second it was made).
  EXPECT_GE(*r.cert_days_left, 9);
  EXPECT_LE(*r.cert_days_left, 10);
}

TEST_F(HttpsTest, UnknownCaIsDownButTheExpiryIsStillReported) {
  HttpService web({pki_.cert_for_10_days, pki_.server_key});
  ServiceResult r = RunOne(Https(web, false));
  EXPECT_FALSE(r.up);
  EXPECT_EQ(r.error.rfind("certificate not trusted (curl 60: ", 0), 0u) << r.error;
  ASSERT_TRUE(r.cert_not_after);
  EXPECT_EQ(*r.cert_not_after, NotAfter(pki_.cert_for_10_days));
  EXPECT_GE(r.cert_days_left.value_or(0), 9);
  EXPECT_LE(r.cert_days_left.value_or(0), 10);
}

TEST_F(HttpsTest, ExpiredCertificateIsDownWithItsDate) {
  HttpService web({pki_.cert_expired, pki_.server_key});
  ServiceResult r = RunOne(Https(web, true));
  EXPECT_FALSE(r.up);
  EXPECT_EQ(r.error.rfind("certificate expired (curl 60: ", 0), 0u) << r.error;
  ASSERT_TRUE(r.cert_not_after);
  EXPECT_EQ(*r.cert_not_after, NotAfter(pki_.cert_expired));
  // notAfter a day before it was made: rounded down, a day and a few seconds ago is -2.
  ASSERT_TRUE(r.cert_days_left);
  EXPECT_GE(*r.cert_days_left, -2);
  EXPECT_LE(*r.cert_days_left, -1);
}

}  // namespace
}  // namespace lanwatch
