// gzip on the fly: what it writes inflates (zlib's own reader, gzip wrapper) to what it was
// given, in pieces no bigger than its buffer; and which Accept-Encoding values ask for it.
#include "exporters/web/gzip_sink.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

namespace lanwatch {
namespace {

class PiecesSink final : public ByteSink {
 public:
  void Write(std::string_view bytes) override {
    pieces.push_back(bytes.size());
    data.append(bytes);
  }
  std::vector<size_t> pieces;
  std::string data;
};

std::string Gunzip(const std::string& compressed) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);  // gzip only
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buffer[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END) << "the stream must end with its trailer";
  inflateEnd(&z);
  return out;
}

TEST(GzipSink, CompressesWhatItIsGivenOnTheFly) {
  std::string text;
  std::mt19937 random(3);
  for (int k = 0; k < 200000; ++k) {
    text += "lanwatch_interface_receive_bytes_total{device=\"sw-" + std::to_string(k % 5000) +
            "\",interface=\"GigabitEthernet1/0/" + std::to_string(k % 48) + "\"} " +
            std::to_string(random()) + "\n";
  }
  PiecesSink sink;
  auto gzip = GzipSink::Open(sink, 1);
  ASSERT_TRUE(gzip.has_value()) << gzip.error().message;
  for (size_t at = 0; at < text.size(); at += 65536) {
    (*gzip)->Write(std::string_view(text).substr(at, 65536));
  }
  const size_t before_finish = sink.data.size();
  (*gzip)->Finish();
  EXPECT_GT(before_finish, 0u) << "compressed output goes out before the end";
  EXPECT_EQ(sink.data.substr(0, 2), "\x1f\x8b");  // the gzip magic, not zlib's wrapper
  EXPECT_EQ(Gunzip(sink.data), text);
  EXPECT_LT(sink.data.size(), text.size() / 4);
  for (size_t piece : sink.pieces) EXPECT_LE(piece, GzipSink::kOutputBytes);
}

TEST(GzipSink, AnEmptyStreamIsStillGzip) {
  PiecesSink sink;
  auto gzip = GzipSink::Open(sink, 3);
  ASSERT_TRUE(gzip.has_value());
  (*gzip)->Finish();
  EXPECT_EQ(Gunzip(sink.data), "");
}

TEST(AcceptsGzip, ReadsTheHeaderAsHttpSays) {
  EXPECT_TRUE(AcceptsGzip("gzip"));  // Prometheus
  EXPECT_TRUE(AcceptsGzip("deflate, gzip;q=1.0, *;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("br, GZIP"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_TRUE(AcceptsGzip("gzip;q=0.5"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("deflate, br"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000, *"));
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzipped"));
}

}  // namespace
}  // namespace lanwatch
