#include "daemon/history/link_history.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "daemon/history/link_archives.h"
#include "daemon/history/rrd_file.h"

namespace lanwatch {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;
namespace fs = std::filesystem;

// Rounds the poll loop may get ahead of the writer by: at a 5 s poll, 85 minutes of a disk
// that does not answer. Beyond it the oldest round goes (the graph shows a gap, never a
// poll loop waiting on the disk).
constexpr size_t kMaxQueuedRounds = 1024;

// A temporary file carries '~', which FileFor never leaves unencoded: a link's file is never
// mistaken for one. librrd's own temporary (during create) is ours plus six characters.
constexpr std::string_view kTempMarker = "~tmp";

time_t Seconds(system_clock::time_point t) {
  return static_cast<time_t>(std::chrono::floor<seconds>(t.time_since_epoch()).count());
}

// `at` on the file's grid: a multiple of `step` since the epoch, so each update closes
// exactly one primary data point and RRDtool has nothing to interpolate.
time_t OnGrid(system_clock::time_point at, seconds step) {
  time_t t = Seconds(at);
  time_t s = static_cast<time_t>(step.count());
  return t - ((t % s) + s) % s;
}

std::string Value(const std::optional<double>& v) {
  return v && std::isfinite(*v) ? fmt::format("{}", *v) : std::string("U");
}

struct Round {
  system_clock::time_point at;
  seconds step;  // the poll interval the rates were measured at
  std::vector<LinkRates> rates;
};

// What the writer knows of one file between rounds.
struct FileState {
  bool loaded = false;
  seconds step{0};
  time_t last_update = 0;
};

RateFigures FiguresOf(const std::vector<double>& points, std::optional<double> peak) {
  RateFigures f;
  double sum = 0;
  size_t known = 0;
  for (double v : points) {
    if (std::isnan(v)) continue;
    sum += v;
    ++known;
    f.current = v;
    if (!peak && (!f.peak || v > *f.peak)) f.peak = v;
  }
  if (known > 0) f.average = sum / static_cast<double>(known);
  if (peak) f.peak = peak;
  return f;
}

// The highest known value of data source `ds` in `fetched`.
std::optional<double> HighestOf(const RrdFetched& fetched, size_t ds) {
  std::optional<double> best;
  for (size_t r = 0; r < fetched.rows(); ++r) {
    double v = fetched.at(r, ds);
    if (!std::isnan(v) && (!best || v > *best)) best = v;
  }
  return best;
}

// As bills read it: sorted, the top 5 % dropped, the highest left.
std::optional<double> Percentile95(std::vector<double> samples) {
  if (samples.empty()) return std::nullopt;
  std::sort(samples.begin(), samples.end());
  size_t dropped = samples.size() / 20;
  return samples[samples.size() - dropped - 1];
}

}  // namespace

std::string_view ToString(HistoryRange r) {
  switch (r) {
    case HistoryRange::kHour:
      return "hour";
    case HistoryRange::kDay:
      return "day";
    case HistoryRange::kWeek:
      return "week";
    case HistoryRange::kMonth:
      return "month";
    case HistoryRange::kYear:
      return "year";
  }
  return "hour";
}

std::optional<HistoryRange> ParseHistoryRange(std::string_view text) {
  for (HistoryRange r : kAllHistoryRanges)
    if (ToString(r) == text) return r;
  return std::nullopt;
}

size_t HistorySeries::known_points() const {
  size_t known = 0;
  for (size_t i = 0; i < std::max(in_bps.size(), out_bps.size()); ++i) {
    bool in_known = i < in_bps.size() && !std::isnan(in_bps[i]);
    bool out_known = i < out_bps.size() && !std::isnan(out_bps[i]);
    if (in_known || out_known) ++known;
  }
  return known;
}

struct LinkHistory::Impl {
  std::string dir;

  // The queue, between Record (the poll loop) and the writer thread.
  std::mutex queue_mu;
  std::condition_variable queue_cv;  // a round queued, or stop
  std::condition_variable done_cv;   // rounds written
  std::deque<Round> queue;
  uint64_t rounds_queued = 0;  // ever, dropped ones included
  uint64_t rounds_done = 0;    // written, skipped or dropped
  seconds current_step;        // SetStep's, given to each round Record queues
  bool stop = false;
  std::thread writer;

  // librrd, from the writer and from web threads: one call at a time per history, so a
  // fetch never reads a file an update is halfway through, nor a rename in progress.
  mutable std::mutex rrd_mu;
  std::map<std::string, FileState> files;  // writer only

  mutable std::mutex stats_mu;
  Stats stats;
  std::set<std::string> reported;  // files whose error last_error already told

  std::string PathOf(std::string_view link) const { return dir + "/" + FileName(link); }

  static std::string FileName(std::string_view link) {
    std::string out;
    for (unsigned char c : link) {
      // ASCII by value: isalnum() would follow the locale.
      bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '.' || c == '-';
      if (plain)
        out += static_cast<char>(c);
      else
        out += fmt::format("%{:02X}", c);
    }
    return out + ".rrd";
  }

  void CountError(const std::string& path, const Error& e) {
    std::lock_guard lock(stats_mu);
    ++stats.errors_total;
    if (reported.insert(path).second) stats.last_error = e.message;
  }

  // One file's updates of a batch, sent in one rrd_update_r.
  struct Pending {
    std::string path;
    seconds step{0};
    std::vector<std::string> updates;
  };

  // Writes `rounds`, grouped per file: each file takes one rrd_update_r per batch (per
  // poll interval, should the interval change within the batch).
  void Write(std::deque<Round>& rounds) {
    std::map<std::string, Pending> per_file;
    uint64_t skipped = 0;
    std::lock_guard rrd_lock(rrd_mu);
    for (Round& round : rounds) {
      for (LinkRates& rates : round.rates) {
        std::string path = PathOf(rates.link);
        Pending& p = per_file[path];
        p.path = path;
        if (!p.updates.empty() && round.step != p.step) Send(p);
        if (p.updates.empty()) {
          p.step = round.step;
          if (!Prepare(path, p.step, OnGrid(round.at, round.step))) continue;
        }
        const time_t t = OnGrid(round.at, round.step);
        FileState& state = files[path];
        if (t <= state.last_update) {  // a second round in a step already written
          ++skipped;
          continue;
        }
        p.updates.push_back(fmt::format("{}:{}:{}", t, Value(rates.in_bps), Value(rates.out_bps)));
        state.last_update = t;
      }
    }
    for (auto& [path, p] : per_file) Send(p);
    std::lock_guard lock(stats_mu);
    stats.skipped_total += skipped;
  }

  void Send(Pending& p) {
    if (p.updates.empty()) return;
    const size_t n = p.updates.size();
    auto written = UpdateRrd(p.path, p.updates);
    p.updates.clear();
    if (!written) {
      files.erase(p.path);  // read it again next time: the file's own last update counts
      CountError(p.path, written.error());
      return;
    }
    std::lock_guard lock(stats_mu);
    stats.updates_total += n;
  }

  // The file at `path` exists with `step`, ready for updates from `first` on: created,
  // rebuilt for a new step, or read. False (counted) when it is not a usable RRD.
  bool Prepare(const std::string& path, seconds step, time_t first) {
    FileState& state = files[path];
    if (!state.loaded) {
      std::error_code ec;
      if (!fs::exists(path, ec)) {
        if (auto created = CreateInPlace(path, step, first - step.count(), std::nullopt);
            !created) {
          files.erase(path);
          CountError(path, created.error());
          return false;
        }
        state = {true, step, first - step.count()};
      } else {
        auto header = ReadRrdHeader(path);
        if (header && !IsLinkFile(*header))
          header = std::unexpected(
              Error(fmt::format("{}: an RRD, but not a link's (no `in` and `out`)", path)));
        if (!header) {
          files.erase(path);  // left as it is: someone's file, or one to look at
          CountError(path, header.error());
          return false;
        }
        state = {true, header->step, header->last_update};
      }
    }
    if (state.step != step) {
      // Rebuilt from itself: librrd prefills the new archives from the old ones. The new
      // file starts on its own grid, so its first poll closes a whole primary data point
      // (from the old file's last update, librrd would count the part before it as zero).
      const time_t s = static_cast<time_t>(step.count());
      const time_t last = state.last_update - ((state.last_update % s) + s) % s;
      if (auto rebuilt = CreateInPlace(path, step, last, path); !rebuilt) {
        files.erase(path);
        CountError(path, rebuilt.error());
        return false;
      }
      state.step = step;
      state.last_update = last;
    }
    return true;
  }

  static bool IsLinkFile(const RrdHeader& h) {
    auto has = [&](std::string_view name) {
      return std::find(h.data_sources.begin(), h.data_sources.end(), name) != h.data_sources.end();
    };
    return has("in") && has("out");
  }

  // Creates under a temporary name and renames into place: a kill during the create leaves
  // the old file (or none) and a temporary that Open removes, never half a file.
  std::expected<void, Error> CreateInPlace(const std::string& path, seconds step,
                                           time_t last_update,
                                           const std::optional<std::string>& source) {
    std::string temp = path + std::string(kTempMarker);
    auto created = CreateRrd(temp, step, last_update, LinkArchiveDefinitions(step), source);
    if (!created) return created;
    ::chmod(temp.c_str(), 0644);  // librrd creates 0600; `rrdtool graph` may run as IT's user
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) {
      fs::remove(temp, ec);
      return std::unexpected(Error(fmt::format("rename {} into place: {}", temp, ec.message())));
    }
    return {};
  }

  void RunWriter() {
    std::unique_lock lock(queue_mu);
    while (true) {
      queue_cv.wait(lock, [&] { return stop || !queue.empty(); });
      if (queue.empty() && stop) return;
      WriteQueued(lock);
    }
  }

  // Takes everything queued, writes it outside the queue's lock, and tells Flush.
  void WriteQueued(std::unique_lock<std::mutex>& lock) {
    std::deque<Round> batch;
    batch.swap(queue);
    lock.unlock();
    Write(batch);
    lock.lock();
    rounds_done += batch.size();
    done_cv.notify_all();
  }

  // The header of `link`'s file, for a reader; the caller holds rrd_mu.
  std::expected<RrdHeader, Error> HeaderOf(std::string_view link, const std::string& path) const {
    std::error_code ec;
    if (!fs::exists(path, ec))
      return std::unexpected(
          Error(fmt::format("history of link {}: no file yet ({})", link, path)));
    return ReadRrdHeader(path);
  }
};

LinkHistory::LinkHistory(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::expected<std::unique_ptr<LinkHistory>, Error> LinkHistory::Open(std::string dir,
                                                                     seconds step) {
  if (step < seconds(1))
    return std::unexpected(Error(fmt::format("history step {} s: at least 1 s", step.count())));
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return std::unexpected(Error(fmt::format("history dir {}: {}", dir, ec.message())));
  // A kill during a create or a rebuild leaves a temporary behind: the file it was to
  // replace is still whole, the temporary is of no use.
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().find(kTempMarker) != std::string::npos)
      fs::remove(entry.path(), ec);
  }
  auto impl = std::make_unique<Impl>();
  impl->dir = std::move(dir);
  impl->current_step = step;
  return std::unique_ptr<LinkHistory>(new LinkHistory(std::move(impl)));
}

LinkHistory::~LinkHistory() {
  {
    std::lock_guard lock(impl_->queue_mu);
    impl_->stop = true;
  }
  impl_->queue_cv.notify_all();
  if (impl_->writer.joinable()) {
    impl_->writer.join();
  } else {
    std::unique_lock lock(impl_->queue_mu);
    if (!impl_->queue.empty()) impl_->WriteQueued(lock);
  }
}

void LinkHistory::Start() {
  std::lock_guard lock(impl_->queue_mu);
  if (!impl_->writer.joinable()) impl_->writer = std::thread([this] { impl_->RunWriter(); });
}

void LinkHistory::Record(system_clock::time_point at, std::vector<LinkRates> rates) {
  uint64_t dropped = 0;
  {
    std::lock_guard lock(impl_->queue_mu);
    while (impl_->queue.size() >= kMaxQueuedRounds) {
      impl_->queue.pop_front();
      ++impl_->rounds_done;
      ++dropped;
    }
    impl_->queue.push_back({at, impl_->current_step, std::move(rates)});
    ++impl_->rounds_queued;
  }
  impl_->queue_cv.notify_one();
  if (dropped > 0) {
    std::lock_guard lock(impl_->stats_mu);
    impl_->stats.dropped_total += dropped;
  }
}

void LinkHistory::SetStep(seconds step) {
  if (step < seconds(1)) return;
  std::lock_guard lock(impl_->queue_mu);
  impl_->current_step = step;
}

void LinkHistory::Flush() {
  std::unique_lock lock(impl_->queue_mu);
  if (!impl_->writer.joinable()) {  // not started: the caller writes
    if (!impl_->queue.empty()) impl_->WriteQueued(lock);
    return;
  }
  uint64_t target = impl_->rounds_queued;
  impl_->done_cv.wait(lock, [&] { return impl_->rounds_done >= target; });
}

std::string LinkHistory::FileFor(std::string_view link) const { return impl_->PathOf(link); }

std::expected<HistorySeries, Error> LinkHistory::Fetch(std::string_view link, HistoryRange range,
                                                       system_clock::time_point now) const {
  const std::string path = FileFor(link);
  std::lock_guard lock(impl_->rrd_mu);
  auto header = impl_->HeaderOf(link, path);
  if (!header) return std::unexpected(header.error());
  const RangeWindow window = WindowOf(range, header->step);
  const time_t end = Seconds(now);
  const time_t start = end - static_cast<time_t>(window.span.count());
  auto average = FetchRrd(path, "AVERAGE", start, end, window.resolution);
  if (!average) return std::unexpected(average.error());
  // The hour is at poll resolution: each point is its own peak. The longer ranges read
  // theirs from the MAX archive of the same resolution.
  std::optional<RrdFetched> peaks;
  if (range != HistoryRange::kHour) {
    auto max = FetchRrd(path, "MAX", start, end, window.resolution);
    if (!max) return std::unexpected(max.error());
    peaks = std::move(*max);
  }
  if (average->data_sources.size() < 2 || average->data_sources[0] != "in" ||
      average->data_sources[1] != "out")
    return std::unexpected(Error(fmt::format("history of link {}: {} has no in, out", link, path)));
  HistorySeries series;
  series.link = std::string(link);
  series.range = range;
  series.step = average->step;
  series.start = system_clock::from_time_t(average->start);
  for (size_t r = 0; r < average->rows(); ++r) {
    series.in_bps.push_back(average->at(r, 0));
    series.out_bps.push_back(average->at(r, 1));
  }
  series.in = FiguresOf(series.in_bps, peaks ? HighestOf(*peaks, 0) : std::nullopt);
  series.out = FiguresOf(series.out_bps, peaks ? HighestOf(*peaks, 1) : std::nullopt);
  return series;
}

std::expected<BillingPercentile, Error> LinkHistory::MonthPercentile(
    std::string_view link, system_clock::time_point now) const {
  const std::string path = FileFor(link);
  std::lock_guard lock(impl_->rrd_mu);
  auto header = impl_->HeaderOf(link, path);
  if (!header) return std::unexpected(header.error());
  const time_t end = Seconds(now);
  const time_t start = end - 30L * 86400;
  auto fetched = FetchRrd(path, "AVERAGE", start, end, seconds(300));
  if (!fetched) return std::unexpected(fetched.error());
  std::vector<double> in, out;
  BillingPercentile bill;
  for (size_t r = 0; r < fetched->rows(); ++r) {
    double i = fetched->at(r, 0), o = fetched->at(r, 1);
    if (!std::isnan(i)) in.push_back(i);
    if (!std::isnan(o)) out.push_back(o);
    if (!std::isnan(i) || !std::isnan(o)) ++bill.samples;
  }
  bill.in_bps = Percentile95(std::move(in));
  bill.out_bps = Percentile95(std::move(out));
  if (bill.in_bps || bill.out_bps)
    bill.billed_bps = std::max(bill.in_bps.value_or(0), bill.out_bps.value_or(0));
  bill.from = system_clock::from_time_t(fetched->start);
  bill.to = system_clock::from_time_t(fetched->end);
  return bill;
}

LinkHistory::Stats LinkHistory::stats() const {
  std::lock_guard lock(impl_->stats_mu);
  return impl_->stats;
}

}  // namespace lanwatch
