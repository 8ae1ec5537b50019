#include "exporters/web/gzip_sink.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace lanwatch {

// zlib keeps a pointer back to its z_stream: the stream lives on the heap and never moves.
struct GzipSink::Stream {
  z_stream z{};
  bool open = false;
  ~Stream() {
    if (open) deflateEnd(&z);
  }
};

GzipSink::GzipSink(ByteSink& out, std::unique_ptr<Stream> stream)
    : out_(out), stream_(std::move(stream)) {
  buffer_.resize(kOutputBytes);
}

GzipSink::~GzipSink() = default;

std::expected<std::unique_ptr<GzipSink>, Error> GzipSink::Open(ByteSink& out, int level) {
  auto stream = std::make_unique<Stream>();
  // windowBits 15 + 16: zlib writes a gzip header and trailer rather than its own wrapper.
  constexpr int kGzipWindowBits = 15 + 16;
  constexpr int kMemLevel = 8;  // zlib's default
  if (int rc = deflateInit2(&stream->z, std::clamp(level, 1, 9), Z_DEFLATED, kGzipWindowBits,
                            kMemLevel, Z_DEFAULT_STRATEGY);
      rc != Z_OK) {
    return std::unexpected(Error(fmt::format("gzip: deflateInit2 failed ({})", rc)));
  }
  stream->open = true;
  return std::unique_ptr<GzipSink>(new GzipSink(out, std::move(stream)));
}

void GzipSink::Write(std::string_view bytes) {
  z_stream& z = stream_->z;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  Deflate(Z_NO_FLUSH);
}

void GzipSink::Finish() {
  z_stream& z = stream_->z;
  z.next_in = nullptr;
  z.avail_in = 0;
  Deflate(Z_FINISH);
}

void GzipSink::Deflate(int flush) {
  z_stream& z = stream_->z;
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(buffer_.data());
    z.avail_out = static_cast<uInt>(buffer_.size());
    const int rc = deflate(&z, flush);
    if (rc == Z_STREAM_ERROR) throw std::logic_error("gzip: deflate on a broken stream");
    const size_t produced = buffer_.size() - z.avail_out;
    if (produced > 0) out_.Write(std::string_view(buffer_.data(), produced));
    // Done when zlib took all the input and had room to spare (or, finishing, wrote the end).
    if (flush == Z_FINISH ? rc == Z_STREAM_END : z.avail_in == 0 && z.avail_out > 0) return;
  }
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// q=0, q=0.0, q=0.000: refused. Any other weight (or none) accepts.
bool Refused(std::string_view parameters) {
  while (!parameters.empty()) {
    const size_t semicolon = parameters.find(';');
    std::string_view p = Trim(parameters.substr(0, semicolon));
    parameters = semicolon == std::string_view::npos ? "" : parameters.substr(semicolon + 1);
    if (p.size() < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=') continue;
    std::string_view weight = Trim(p.substr(2));
    return !weight.empty() && weight.find_first_not_of("0.") == std::string_view::npos;
  }
  return false;
}

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  bool gzip = false, gzip_refused = false, any = false;
  while (!accept_encoding.empty()) {
    const size_t comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? "" : accept_encoding.substr(comma + 1);
    const size_t semicolon = item.find(';');
    const std::string_view coding = Trim(item.substr(0, semicolon));
    const bool refused = semicolon != std::string_view::npos && Refused(item.substr(semicolon + 1));
    if (EqualsNoCase(coding, "gzip") || EqualsNoCase(coding, "x-gzip")) {
      (refused ? gzip_refused : gzip) = true;
    } else if (coding == "*" && !refused) {
      any = true;
    }
  }
  return !gzip_refused && (gzip || any);
}

}  // namespace lanwatch
