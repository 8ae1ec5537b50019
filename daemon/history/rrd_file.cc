#include "daemon/history/rrd_file.h"

#include <fmt/format.h>
#include <rrd.h>

#include <cstring>
#include <memory>
#include <string_view>

namespace lanwatch {
namespace {

struct InfoFree {
  void operator()(rrd_info_t* info) const noexcept { rrd_info_free(info); }
};
using InfoList = std::unique_ptr<rrd_info_t, InfoFree>;

// What rrd_fetch_r hands back: an array of names, each allocated, and the data block.
class FetchBuffers {
 public:
  FetchBuffers() = default;
  FetchBuffers(const FetchBuffers&) = delete;
  FetchBuffers& operator=(const FetchBuffers&) = delete;
  ~FetchBuffers() {
    if (names_) {
      for (unsigned long i = 0; i < count_; ++i) rrd_freemem(names_[i]);
      rrd_freemem(names_);
    }
    if (data_) rrd_freemem(data_);
  }
  unsigned long count_ = 0;
  char** names_ = nullptr;
  rrd_value_t* data_ = nullptr;
};

// librrd's error for this thread, cleared; `what` says what was being done.
Error RrdError(std::string_view what, const std::string& path) {
  const char* text = rrd_get_error();
  std::string message =
      fmt::format("{} {}: {}", what, path, text && *text ? text : "librrd reported no reason");
  rrd_clear_error();
  return Error(std::move(message));
}

}  // namespace

std::expected<RrdHeader, Error> ReadRrdHeader(const std::string& path) {
  rrd_clear_error();
  InfoList info(rrd_info_r(path.c_str()));
  if (!info) return std::unexpected(RrdError("read RRD header of", path));
  RrdHeader header;
  for (const rrd_info_t* item = info.get(); item; item = item->next) {
    std::string_view key = item->key;
    if (key == "step" && item->type == RD_I_CNT) {
      header.step = std::chrono::seconds(item->value.u_cnt);
    } else if (key == "last_update" && item->type == RD_I_CNT) {
      header.last_update = static_cast<time_t>(item->value.u_cnt);
    } else if (key.starts_with("ds[") && key.ends_with("].index")) {
      header.data_sources.emplace_back(key.substr(3, key.size() - 3 - 7));
    }
  }
  if (header.step.count() <= 0)
    return std::unexpected(Error(fmt::format("read RRD header of {}: no step", path)));
  return header;
}

std::expected<void, Error> CreateRrd(const std::string& path, std::chrono::seconds step,
                                     time_t last_update,
                                     const std::vector<std::string>& definitions,
                                     const std::optional<std::string>& source) {
  std::vector<const char*> argv;
  argv.reserve(definitions.size());
  for (const std::string& d : definitions) argv.push_back(d.c_str());
  const char* sources[2] = {source ? source->c_str() : nullptr, nullptr};
  rrd_clear_error();
  int rc = rrd_create_r2(path.c_str(), static_cast<unsigned long>(step.count()), last_update,
                         /*no_overwrite=*/0, source ? sources : nullptr, /*_template=*/nullptr,
                         static_cast<int>(argv.size()), argv.data());
  if (rc != 0) return std::unexpected(RrdError("create RRD", path));
  return {};
}

std::expected<void, Error> UpdateRrd(const std::string& path,
                                     const std::vector<std::string>& updates) {
  if (updates.empty()) return {};
  std::vector<const char*> argv;
  argv.reserve(updates.size());
  for (const std::string& u : updates) argv.push_back(u.c_str());
  rrd_clear_error();
  if (rrd_update_r(path.c_str(), nullptr, static_cast<int>(argv.size()), argv.data()) != 0)
    return std::unexpected(RrdError("update RRD", path));
  return {};
}

std::expected<RrdFetched, Error> FetchRrd(const std::string& path, const char* consolidation,
                                          time_t start, time_t end, std::chrono::seconds step) {
  unsigned long step_out = static_cast<unsigned long>(step.count());
  FetchBuffers buffers;
  rrd_clear_error();
  if (rrd_fetch_r(path.c_str(), consolidation, &start, &end, &step_out, &buffers.count_,
                  &buffers.names_, &buffers.data_) != 0)
    return std::unexpected(RrdError(fmt::format("fetch {} from", consolidation), path));
  RrdFetched out;
  out.start = start;
  out.end = end;
  out.step = std::chrono::seconds(step_out);
  for (unsigned long i = 0; i < buffers.count_; ++i)
    out.data_sources.emplace_back(buffers.names_[i]);
  if (step_out > 0 && end > start) {
    size_t rows = static_cast<size_t>(end - start) / step_out;
    out.values.assign(buffers.data_, buffers.data_ + rows * buffers.count_);
  }
  return out;
}

}  // namespace lanwatch
