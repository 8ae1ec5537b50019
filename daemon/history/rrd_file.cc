#include "daemon/history/rrd_file.h"

#include <dlfcn.h>
#include <fmt/format.h>
#include <rrd.h>

#include <cstring>
#include <memory>
#include <string_view>

namespace lanwatch {
namespace {

// librrd is loaded when the first history file is read or written, not with the program:
// it links cairo, pango, glib and X11 for graphs lanwatch never draws (5 MB of mapped pages
// in every lanwatchd), and a config without links writes no history. <rrd.h> gives the
// functions' types; the build takes the library's soname from the librrd it found.
struct RrdApi {
  decltype(&rrd_info_r) info_r = nullptr;
  decltype(&rrd_info_free) info_free = nullptr;
  decltype(&rrd_freemem) freemem = nullptr;
  decltype(&rrd_get_error) get_error = nullptr;
  decltype(&rrd_clear_error) clear_error = nullptr;
  decltype(&rrd_create_r2) create_r2 = nullptr;
  decltype(&rrd_update_r) update_r = nullptr;
  decltype(&rrd_fetch_r) fetch_r = nullptr;
};

std::expected<RrdApi, Error> LoadRrd() {
  // Never closed: the library stays for the process's life, as if linked.
  void* library = dlopen(LANWATCH_RRD_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    return std::unexpected(
        Error(fmt::format("cannot load {} (Debian package {}; restart lanwatchd once it is "
                          "installed): {}",
                          LANWATCH_RRD_SONAME, LANWATCH_RRD_PACKAGE, dlerror())));
  }
  RrdApi api;
  std::string missing;
  auto bind = [&](auto& function, const char* name) {
    function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(dlsym(library, name));
    if (!function) missing += fmt::format(" {}", name);
  };
  bind(api.info_r, "rrd_info_r");
  bind(api.info_free, "rrd_info_free");
  bind(api.freemem, "rrd_freemem");
  bind(api.get_error, "rrd_get_error");
  bind(api.clear_error, "rrd_clear_error");
  bind(api.create_r2, "rrd_create_r2");
  bind(api.update_r, "rrd_update_r");
  bind(api.fetch_r, "rrd_fetch_r");
  if (!missing.empty()) {
    return std::unexpected(
        Error(fmt::format("{} lacks the functions{}", LANWATCH_RRD_SONAME, missing)));
  }
  return api;
}

// The loaded library, or why it could not be loaded (asked once per process).
std::expected<const RrdApi*, Error> Rrd() {
  static const std::expected<RrdApi, Error> api = LoadRrd();
  if (!api) return std::unexpected(api.error());
  return &*api;
}

struct InfoFree {
  const RrdApi* rrd;
  void operator()(rrd_info_t* info) const noexcept { rrd->info_free(info); }
};
using InfoList = std::unique_ptr<rrd_info_t, InfoFree>;

// What rrd_fetch_r hands back: an array of names, each allocated, and the data block.
class FetchBuffers {
 public:
  explicit FetchBuffers(const RrdApi& rrd) : rrd_(rrd) {}
  FetchBuffers(const FetchBuffers&) = delete;
  FetchBuffers& operator=(const FetchBuffers&) = delete;
  ~FetchBuffers() {
    if (names_) {
      for (unsigned long i = 0; i < count_; ++i) rrd_.freemem(names_[i]);
      rrd_.freemem(names_);
    }
    if (data_) rrd_.freemem(data_);
  }
  unsigned long count_ = 0;
  char** names_ = nullptr;
  rrd_value_t* data_ = nullptr;

 private:
  const RrdApi& rrd_;
};

// librrd's error for this thread, cleared; `what` says what was being done.
Error RrdError(const RrdApi& rrd, std::string_view what, const std::string& path) {
  const char* text = rrd.get_error();
  std::string message =
      fmt::format("{} {}: {}", what, path, text && *text ? text : "librrd reported no reason");
  rrd.clear_error();
  return Error(std::move(message));
}

}  // namespace

std::expected<RrdHeader, Error> ReadRrdHeader(const std::string& path) {
  auto rrd = Rrd();
  if (!rrd) return std::unexpected(rrd.error());
  const RrdApi& api = **rrd;
  api.clear_error();
  InfoList info(api.info_r(path.c_str()), InfoFree{&api});
  if (!info) return std::unexpected(RrdError(api, "read RRD header of", path));
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
  auto rrd = Rrd();
  if (!rrd) return std::unexpected(rrd.error());
  const RrdApi& api = **rrd;
  std::vector<const char*> argv;
  argv.reserve(definitions.size());
  for (const std::string& d : definitions) argv.push_back(d.c_str());
  const char* sources[2] = {source ? source->c_str() : nullptr, nullptr};
  api.clear_error();
  int rc = api.create_r2(path.c_str(), static_cast<unsigned long>(step.count()), last_update,
                         /*no_overwrite=*/0, source ? sources : nullptr, /*_template=*/nullptr,
                         static_cast<int>(argv.size()), argv.data());
  if (rc != 0) return std::unexpected(RrdError(api, "create RRD", path));
  return {};
}

std::expected<void, Error> UpdateRrd(const std::string& path,
                                     const std::vector<std::string>& updates) {
  if (updates.empty()) return {};
  auto rrd = Rrd();
  if (!rrd) return std::unexpected(rrd.error());
  const RrdApi& api = **rrd;
  std::vector<const char*> argv;
  argv.reserve(updates.size());
  for (const std::string& u : updates) argv.push_back(u.c_str());
  api.clear_error();
  if (api.update_r(path.c_str(), nullptr, static_cast<int>(argv.size()), argv.data()) != 0)
    return std::unexpected(RrdError(api, "update RRD", path));
  return {};
}

std::expected<RrdFetched, Error> FetchRrd(const std::string& path, const char* consolidation,
                                          time_t start, time_t end, std::chrono::seconds step) {
  auto rrd = Rrd();
  if (!rrd) return std::unexpected(rrd.error());
  const RrdApi& api = **rrd;
  unsigned long step_out = static_cast<unsigned long>(step.count());
  FetchBuffers buffers(api);
  api.clear_error();
  if (api.fetch_r(path.c_str(), consolidation, &start, &end, &step_out, &buffers.count_,
                  &buffers.names_, &buffers.data_) != 0)
    return std::unexpected(RrdError(api, fmt::format("fetch {} from", consolidation), path));
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
