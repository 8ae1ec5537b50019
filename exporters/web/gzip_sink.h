// GzipSink: compresses what it is written (gzip, RFC 1952, by zlib) onto another sink as it
// comes, in pieces of kOutputBytes: a /metrics scrape is compressed on the fly, never held
// whole, compressed or not. zlib stays inside the .cc file. Not thread-safe: one per response.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>

#include "config/error.h"
#include "exporters/metric_text.h"

namespace lanwatch {

class GzipSink final : public ByteSink {
 public:
  static constexpr size_t kOutputBytes = size_t{64} * 1024;

  // `level` 1 (fastest) to 9 (smallest). An Error only when zlib cannot start (no memory).
  static std::expected<std::unique_ptr<GzipSink>, Error> Open(ByteSink& out, int level);
  ~GzipSink() override;

  void Write(std::string_view bytes) override;
  // The rest of the compressed stream and the gzip trailer (CRC and length) onto the sink.
  // Nothing is written after; without it the stream is cut short (the reader says so).
  void Finish();

 private:
  struct Stream;
  GzipSink(ByteSink& out, std::unique_ptr<Stream> stream);
  void Deflate(int flush);

  ByteSink& out_;
  std::unique_ptr<Stream> stream_;
  std::string buffer_;
};

// True when an Accept-Encoding header value lists gzip (or x-gzip) without refusing it by
// q=0; "*" counts as gzip unless gzip itself is refused. Case-blind, as HTTP says.
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace lanwatch
