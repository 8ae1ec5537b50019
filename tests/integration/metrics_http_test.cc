// /metrics over real HTTP (curl, python's gzip) from the WebServer and a StatusCollector
// holding a 150-switch snapshot (~7 MB of text): streamed in chunks, gzip-compressed on the
// fly when the scraper asks, and always the very text the collector writes.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "exporters/status_collector.h"
#include "exporters/web/web_server.h"
#include "tests/exporters/scale_snapshot.h"
#include "tests/support/process.h"

namespace lanwatch {
namespace {

using testing::RunCommand;

struct Fetched {
  int exit_code = -1;
  std::string headers;  // lower-cased
  std::string body;
};

class MetricsHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    const testing::ScaleSnapshot snap = testing::MakeScaleSnapshot(150);
    collector_->SetDaemonStats(snap.daemon);
    collector_->SetAlerting(snap.alerting.alerting);
    collector_->Publish(snap.status);
    StringSink text;
    collector_->WriteMetrics(text);
    expected_ = text.text();
    ASSERT_GT(expected_.size(), 5'000'000u);  // many chunks, many compressor outputs
    WebServerOptions options;
    options.listen = "127.0.0.1:0";
    options.metrics = [collector = collector_](ByteSink& out) { collector->WriteMetrics(out); };
    options.ready = [] { return true; };
    auto server = WebServer::Start(std::move(options));
    ASSERT_TRUE(server.has_value()) << server.error().message;
    server_ = std::move(*server);
    ASSERT_FALSE(server_->ports().empty());
    port_ = server_->ports().front();
  }

  // curl as a scraper runs it: headers and body to files of their own.
  Fetched Curl(const std::string& args, const std::string& body_file = "body") {
    const std::string body = dir_.path() + "/" + body_file;
    const std::string headers = dir_.path() + "/headers";
    auto r = RunCommand(fmt::format("curl -sS -g -D {} -o {} {} 'http://127.0.0.1:{}/metrics'",
                                    headers, body, args, port_));
    Fetched f;
    f.exit_code = r.exit_code;
    f.headers = testing::ReadFile(headers);
    for (char& c : f.headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    f.body = testing::ReadFile(body);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return f;
  }

  testing::TempDir dir_;
  std::shared_ptr<StatusCollector> collector_ = std::make_shared<StatusCollector>("1.2.3");
  std::unique_ptr<WebServer> server_;
  int port_ = 0;
  std::string expected_;
};

TEST_F(MetricsHttp, APlainScrapeIsStreamedInChunks) {
  Fetched plain = Curl("");
  EXPECT_NE(plain.headers.find("http/1.1 200"), std::string::npos) << plain.headers;
  EXPECT_NE(plain.headers.find("transfer-encoding: chunked"), std::string::npos) << plain.headers;
  EXPECT_EQ(plain.headers.find("content-length"), std::string::npos) << plain.headers;
  EXPECT_EQ(plain.headers.find("content-encoding"), std::string::npos) << plain.headers;
  EXPECT_NE(plain.headers.find("content-type: text/plain; version=0.0.4; charset=utf-8"),
            std::string::npos);
  EXPECT_NE(plain.headers.find("vary: accept-encoding"), std::string::npos);
  EXPECT_NE(plain.headers.find("x-content-type-options: nosniff"), std::string::npos);
  ASSERT_EQ(plain.body.size(), expected_.size());
  EXPECT_TRUE(plain.body == expected_);
}

TEST_F(MetricsHttp, GzipWhenTheScraperAsks) {
  // As a browser or curl --compressed asks: decompressed by curl.
  Fetched compressed = Curl("--compressed");
  EXPECT_NE(compressed.headers.find("content-encoding: gzip"), std::string::npos)
      << compressed.headers;
  EXPECT_NE(compressed.headers.find("transfer-encoding: chunked"), std::string::npos);
  EXPECT_TRUE(compressed.body == expected_) << compressed.body.size() << " bytes";

  // As Prometheus asks (Accept-Encoding: gzip): the bytes on the wire, read by python.
  Fetched raw = Curl("-H 'Accept-Encoding: gzip'", "metrics.gz");
  EXPECT_NE(raw.headers.find("content-encoding: gzip"), std::string::npos) << raw.headers;
  EXPECT_NE(raw.headers.find("vary: accept-encoding"), std::string::npos);
  ASSERT_GE(raw.body.size(), 2u);
  EXPECT_EQ(raw.body.substr(0, 2), "\x1f\x8b");
  EXPECT_LT(raw.body.size(), expected_.size() / 5);
  const std::string decoded = dir_.path() + "/decoded.txt";
  auto gunzip = RunCommand(fmt::format(
      "/usr/bin/python3 -c 'import gzip, sys; "
      "sys.stdout.buffer.write(gzip.decompress(open(sys.argv[1], \"rb\").read()))' {}/metrics.gz "
      "> {}",
      dir_.path(), decoded));
  ASSERT_EQ(gunzip.exit_code, 0) << gunzip.output;
  EXPECT_TRUE(testing::ReadFile(decoded) == expected_);

  // Refused gzip, or another coding only: plain text.
  for (const char* refused : {"gzip;q=0", "br"}) {
    Fetched plain = Curl(fmt::format("-H 'Accept-Encoding: {}'", refused));
    EXPECT_EQ(plain.headers.find("content-encoding"), std::string::npos) << refused;
    EXPECT_TRUE(plain.body == expected_) << refused;
  }
}

TEST_F(MetricsHttp, AnHttp10ClientGetsTheBodyToTheClose) {
  Fetched old = Curl("--http1.0");
  EXPECT_EQ(old.headers.find("transfer-encoding"), std::string::npos) << old.headers;
  EXPECT_TRUE(old.body == expected_) << old.body.size() << " bytes";
}

TEST_F(MetricsHttp, HeadSendsHeadersOnly) {
  // Everything the server sends, up to its close: curl would not read past a HEAD's headers.
  auto r = RunCommand(fmt::format(
      "/usr/bin/python3 -c 'import socket; s = socket.create_connection((\"127.0.0.1\", {})); "
      "s.sendall(b\"HEAD /metrics HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n\"); d = b\"\"\n"
      "while True:\n  b = s.recv(65536)\n  if not b: break\n  d += b\n"
      "print(d.decode()); print(\"ends after the headers:\", d.endswith(b\"\\r\\n\\r\\n\"))'",
      port_));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("HTTP/1.1 200 OK"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ends after the headers: True"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("lanwatch_"), std::string::npos);
}

TEST_F(MetricsHttp, BasicAuthCoversTheScrape) {
  server_->SetBasicAuth(BasicAuthCredentials{"prometheus", "s3cret"});
  Fetched refused = Curl("--compressed");
  EXPECT_NE(refused.headers.find("http/1.1 401"), std::string::npos) << refused.headers;
  EXPECT_EQ(refused.body.find("lanwatch_"), std::string::npos);
  Fetched admitted = Curl("--compressed -u prometheus:s3cret");
  EXPECT_TRUE(admitted.body == expected_);
}

}  // namespace
}  // namespace lanwatch
