// LinkHistory against real librrd files in a scratch directory: what is written is read back
// to the sample, on the step grid, consolidated and summarised as MRTG does, and the file
// keeps its size whatever happens to it.
#include "daemon/history/link_history.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "daemon/history/rrd_file.h"
#include "tests/daemon/scratch_dir.h"

namespace lanwatch {
namespace {

using lanwatch::testing::ScratchDir;
using std::chrono::seconds;
using std::chrono::system_clock;

// A day boundary (UTC), so 5-minute, 30-minute, 2-hour and daily rows start on it.
constexpr time_t kT0 = 1699920000;
constexpr seconds kStep{30};

system_clock::time_point At(time_t t) { return system_clock::from_time_t(t); }

std::vector<LinkRates> One(const std::string& link, std::optional<double> in,
                           std::optional<double> out) {
  return {LinkRates{link, in, out}};
}

std::unique_ptr<LinkHistory> OpenOrDie(const std::string& dir, seconds step = kStep) {
  auto h = LinkHistory::Open(dir, step);
  if (!h) throw std::runtime_error(h.error().message);
  return std::move(*h);
}

// CPU time of the whole process (the writer thread's included).
double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// The point of `series` that covers the poll ending at `t`.
double InAt(const HistorySeries& s, time_t t) {
  auto index = (t - system_clock::to_time_t(s.start)) / s.step.count() - 1;
  EXPECT_GE(index, 0);
  EXPECT_LT(static_cast<size_t>(index), s.in_bps.size());
  return s.in_bps.at(static_cast<size_t>(index));
}
double OutAt(const HistorySeries& s, time_t t) {
  auto index = (t - system_clock::to_time_t(s.start)) / s.step.count() - 1;
  return s.out_bps.at(static_cast<size_t>(index));
}

// Everything written on fd 2 while it lives: librrd must print nothing by itself.
class StderrCapture {
 public:
  explicit StderrCapture(std::string path) : path_(std::move(path)) {
    saved_ = dup(2);
    int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
  }
  ~StderrCapture() { Restore(); }
  std::string Restore() {
    if (saved_ >= 0) {
      fflush(stderr);
      dup2(saved_, 2);
      close(saved_);
      saved_ = -1;
    }
    std::ifstream in(path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::string path_;
  int saved_ = -1;
};

TEST(LinkHistory, ValuesAreReadBackExactlyAtPollResolution) {
  ScratchDir dir;
  auto history = OpenOrDie(dir.path());
  for (int k = 1; k <= 100; ++k)
    history->Record(At(kT0 + 30L * k), One("uplink", k * 1000.5 + 0.125, k * 7.0));
  history->Flush();
  EXPECT_EQ(history->stats().updates_total, 100u);

  auto hour = history->Fetch("uplink", HistoryRange::kHour, At(kT0 + 3000));
  ASSERT_TRUE(hour) << hour.error().message;
  EXPECT_EQ(hour->step, kStep);
  EXPECT_EQ(hour->known_points(), 100u);
  for (int k = 1; k <= 100; ++k) {
    EXPECT_DOUBLE_EQ(InAt(*hour, kT0 + 30L * k), k * 1000.5 + 0.125) << k;
    EXPECT_DOUBLE_EQ(OutAt(*hour, kT0 + 30L * k), k * 7.0) << k;
  }
}

TEST(LinkHistory, AGapLongerThanTheHeartbeatReadsUnknownAndNulloptIsUnknown) {
  ScratchDir dir;
  auto history = OpenOrDie(dir.path());
  for (int k = 1; k <= 10; ++k) history->Record(At(kT0 + 30L * k), One("l", 100.0 * k, 1.0));
  history->Record(At(kT0 + 30L * 14), One("l", 1400.0, 1.0));  // 120 s after the last: > 2 polls
  history->Record(At(kT0 + 30L * 15), One("l", 1500.0, 1.0));
  history->Record(At(kT0 + 30L * 16), One("l", std::nullopt, 1.0));  // no rate this poll
  history->Flush();

  auto hour = history->Fetch("l", HistoryRange::kHour, At(kT0 + 30L * 16));
  ASSERT_TRUE(hour) << hour.error().message;
  EXPECT_DOUBLE_EQ(InAt(*hour, kT0 + 300), 1000.0);
  for (int k = 11; k <= 14; ++k) EXPECT_TRUE(std::isnan(InAt(*hour, kT0 + 30L * k))) << k;
  EXPECT_DOUBLE_EQ(InAt(*hour, kT0 + 30L * 15), 1500.0);
  EXPECT_TRUE(std::isnan(InAt(*hour, kT0 + 30L * 16)));
  EXPECT_DOUBLE_EQ(OutAt(*hour, kT0 + 30L * 16), 1.0);
}

TEST(LinkHistory, AnUnalignedAtLandsOnTheStepGrid) {
  ScratchDir dir;
  auto history = OpenOrDie(dir.path());
  for (int k = 1; k <= 20; ++k)
    history->Record(At(kT0 + 30L * k) + std::chrono::milliseconds(17'999), One("l", 10.0 * k, 2.0));
  history->Flush();
  auto header = ReadRrdHeader(history->FileFor("l"));
  ASSERT_TRUE(header) << header.error().message;
  EXPECT_EQ(header->last_update, kT0 + 600);  // floored to the grid, not 18 s past it
  auto hour = history->Fetch("l", HistoryRange::kHour, At(kT0 + 600));
  ASSERT_TRUE(hour);
  // Not interpolated between neighbours: each poll's value is its point's.
  for (int k = 1; k <= 20; ++k) EXPECT_DOUBLE_EQ(InAt(*hour, kT0 + 30L * k), 10.0 * k) << k;
}

TEST(LinkHistory, ASecondRoundInAWrittenStepIsSkippedAndCounted) {
  ScratchDir dir;
  auto history = OpenOrDie(dir.path());
  history->Record(At(kT0 + 30), One("l", 111.0, 1.0));
  history->Record(At(kT0 + 45), One("l", 999.0, 9.0));  // a trap's poll, same step
  history->Record(At(kT0 + 60), One("l", 222.0, 2.0));
  history->Flush();
  history->Record(At(kT0 + 89), One("l", 888.0, 8.0));  // in a later batch too
  history->Flush();
  auto stats = history->stats();
  EXPECT_EQ(stats.updates_total, 2u);
  EXPECT_EQ(stats.skipped_total, 2u);
  auto hour = history->Fetch("l", HistoryRange::kHour, At(kT0 + 60));
  ASSERT_TRUE(hour);
  EXPECT_DOUBLE_EQ(InAt(*hour, kT0 + 30), 111.0);
  EXPECT_DOUBLE_EQ(InAt(*hour, kT0 + 60), 222.0);
}

TEST(LinkHistory, FiveMinuteAverageIsTheMeanOfItsPollsAndPeakAverageCurrent) {
  ScratchDir dir;
  auto history = OpenOrDie(dir.path());
  history->Start();
  // Three 5-minute bins, ten polls each: in = 1000 * (1..10) + bin offset.
  for (long bin = 0; bin < 3; ++bin)
    for (long poll = 1; poll <= 10; ++poll)
      history->Record(At(kT0 + bin * 300 + poll * 30),
                      One("l", 1000.0 * poll + 100.0 * bin, 50.0 * bin));
  history->Flush();

  auto day = history->Fetch("l", HistoryRange::kDay, At(kT0 + 900));
  ASSERT_TRUE(day) << day.error().message;
  EXPECT_EQ(day->step, seconds(300));
  EXPECT_EQ(day->known_points(), 3u);
  for (long bin = 0; bin < 3; ++bin) {
    EXPECT_DOUBLE_EQ(InAt(*day, kT0 + (bin + 1) * 300), 5500.0 + 100.0 * bin) << bin;
    EXPECT_DOUBLE_EQ(OutAt(*day, kT0 + (bin + 1) * 300), 50.0 * bin) << bin;
  }
  // The peak is the highest poll, from the MAX archive, not the highest 5-minute mean.
  ASSERT_TRUE(day->in.peak && day->in.average && day->in.current);
  EXPECT_DOUBLE_EQ(*day->in.peak, 10200.0);
  EXPECT_DOUBLE_EQ(*day->in.average, 5600.0);
  EXPECT_DOUBLE_EQ(*day->in.current, 5700.0);
  EXPECT_DOUBLE_EQ(*day->out.peak, 100.0);

  auto hour = history->Fetch("l", HistoryRange::kHour, At(kT0 + 900));
  ASSERT_TRUE(hour);
  EXPECT_DOUBLE_EQ(*hour->in.peak, 10200.0);     // the hour is its own max
  EXPECT_DOUBLE_EQ(*hour->in.current, 10200.0);  // the newest poll
  EXPECT_DOUBLE_EQ(*hour->in.average, 5600.0);
}

TEST(LinkHistory, MonthPercentileIsThe95thAsBillsReadIt) {
  ScratchDir dir;
  auto history = OpenOrDie(dir.path());
  history->Start();
  // 30 days of 5-minute bins (8640), bin b at (b % 100) + 1 Mbit/s in, twice that out: each
  // of 1..40 appears 87 times, 41..100 86 times. The top 5 % (432) are 100..96 (430) and two
  // of the 95s: the highest left is 95.
  const time_t from = kT0;
  const time_t now = from + 30L * 86400;
  int bin = 0;
  for (time_t t = from + 30; t <= now; t += 30) {
    double mbit = ((bin % 100) + 1) * 1e6;
    history->Record(At(t), One("l", mbit, 2 * mbit));
    if ((t - from) % 300 == 0) ++bin;
    if (bin % 50 == 0) history->Flush();  // stay under the queue's bound
  }
  history->Flush();
  EXPECT_EQ(history->stats().dropped_total, 0u);
  auto bill = history->MonthPercentile("l", At(now));
  ASSERT_TRUE(bill) << bill.error().message;
  EXPECT_EQ(bill->samples, 8640);
  ASSERT_TRUE(bill->in_bps && bill->out_bps && bill->billed_bps);
  EXPECT_DOUBLE_EQ(*bill->in_bps, 95e6);
  EXPECT_DOUBLE_EQ(*bill->out_bps, 190e6);
  EXPECT_DOUBLE_EQ(*bill->billed_bps, 190e6);
}

TEST(LinkHistory, AYearAtThirtySecondsKeepsTheFileSizeAndTheYearGraphHasItsDays) {
  ScratchDir dir;
  auto history = OpenOrDie(dir.path());
  history->Start();
  history->Record(At(kT0 + 30), One("uplink", 1e6, 2e6));
  history->Flush();
  const std::string file = history->FileFor("uplink");
  const auto size_before = std::filesystem::file_size(file);
  EXPECT_LE(size_before, 200'000u);

  const auto started = std::chrono::steady_clock::now();
  const double cpu_started = ProcessCpuSeconds();
  const time_t end = kT0 + 365L * 86400;
  int in_batch = 0;
  for (time_t t = kT0 + 60; t <= end; t += 30) {
    double v = static_cast<double>((t / 30) % 1000) * 1e4;
    history->Record(At(t), One("uplink", v, v / 2));
    if (++in_batch == 1000) {
      history->Flush();
      in_batch = 0;
    }
  }
  history->Flush();
  const auto elapsed = std::chrono::steady_clock::now() - started;
  const double cpu = ProcessCpuSeconds() - cpu_started;
  const auto stats = history->stats();
  EXPECT_EQ(stats.updates_total, 365u * 2880u);
  EXPECT_EQ(stats.dropped_total, 0u);
  EXPECT_EQ(stats.errors_total, 0u);
  EXPECT_EQ(std::filesystem::file_size(file), size_before);
  const double us = std::chrono::duration<double, std::micro>(elapsed).count();
  std::printf(
      "a year at 30 s: %llu updates in %.2f s (wall), %.2f s CPU: %.2f us CPU per link-round; "
      "file %llu bytes\n",
      static_cast<unsigned long long>(stats.updates_total), us / 1e6, cpu,
      cpu * 1e6 / static_cast<double>(stats.updates_total),
      static_cast<unsigned long long>(size_before));

  auto year = history->Fetch("uplink", HistoryRange::kYear, At(end));
  ASSERT_TRUE(year) << year.error().message;
  EXPECT_EQ(year->step, seconds(86400));
  EXPECT_GE(year->known_points(), 364u);
  EXPECT_LE(year->known_points(), 366u);
  for (HistoryRange r : kAllHistoryRanges) {
    auto s = history->Fetch("uplink", r, At(end));
    ASSERT_TRUE(s) << ToString(r);
    EXPECT_GT(s->known_points(), 0u) << ToString(r);
  }
}

// What the daemon pays: one round at a time (each file opened, locked and written per poll),
// ten links a round. Measured, printed; bounded loosely so that a slow machine passes.
TEST(LinkHistory, OneRoundAtATimeCost) {
  ScratchDir dir;
  auto history = OpenOrDie(dir.path());
  history->Start();
  const double cpu_started = ProcessCpuSeconds();
  const int rounds = 1000, links = 10;
  for (int k = 1; k <= rounds; ++k) {
    std::vector<LinkRates> round;
    for (int l = 0; l < links; ++l) round.push_back({"link" + std::to_string(l), 1e6 * k, 2e6});
    history->Record(At(kT0 + 30L * k), std::move(round));
    history->Flush();
  }
  const double cpu = ProcessCpuSeconds() - cpu_started;
  EXPECT_EQ(history->stats().updates_total, static_cast<uint64_t>(rounds * links));
  const double us = cpu * 1e6 / (rounds * links);
  std::printf("one round at a time, %d links: %.1f us CPU per link-round\n", links, us);
  EXPECT_LT(us, 5000.0);
}

TEST(LinkHistory, AStepChangeRebuildsTheFileAndKeepsItsHistory) {
  ScratchDir dir;
  auto history = OpenOrDie(dir.path());
  const time_t day2 = kT0 + 2L * 86400;
  for (time_t t = kT0 + 30; t <= day2; t += 30) {
    history->Record(At(t), One("l", static_cast<double>(t % 7000), 3.0));
    if (t % 3000 == 0) history->Flush();  // not started: Flush writes, under the queue's bound
  }
  history->Flush();
  EXPECT_EQ(history->stats().dropped_total, 0u);
  auto before = history->Fetch("l", HistoryRange::kDay, At(day2));
  ASSERT_TRUE(before);
  const auto known_before = before->known_points();
  EXPECT_GE(known_before, 287u);

  for (seconds step : {seconds(10), seconds(60)}) {
    history->SetStep(step);
    const time_t next = day2 + step.count();  // the first poll at the new interval
    history->Record(At(next), One("l", 42.0, 4.0));
    history->Flush();
    auto header = ReadRrdHeader(history->FileFor("l"));
    ASSERT_TRUE(header) << header.error().message;
    EXPECT_EQ(header->step, step);
    auto after = history->Fetch("l", HistoryRange::kDay, At(day2));
    ASSERT_TRUE(after) << after.error().message;
    ASSERT_EQ(after->in_bps.size(), before->in_bps.size());
    size_t same = 0;
    for (size_t i = 0; i < before->in_bps.size(); ++i) {
      if (std::isnan(before->in_bps[i])) continue;
      EXPECT_DOUBLE_EQ(after->in_bps[i], before->in_bps[i]) << step.count() << " s, point " << i;
      ++same;
    }
    EXPECT_EQ(same, known_before);
    auto hour = history->Fetch("l", HistoryRange::kHour, At(next));
    ASSERT_TRUE(hour);
    EXPECT_EQ(hour->step, step);
    ASSERT_TRUE(hour->in.current);
    EXPECT_DOUBLE_EQ(*hour->in.current, 42.0);
    EXPECT_EQ(history->stats().errors_total, 0u) << history->stats().last_error;
  }
  // No temporary left beside it.
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(e.path().extension(), ".rrd") << e.path();
}

TEST(LinkHistory, LinkNamesMapToDistinctAsciiFileNames) {
  ScratchDir dir;
  auto history = OpenOrDie(dir.path());
  const std::vector<std::string> names = {"上联-电信", "二分局 光纤", "a b",   "a%20b", "a/b",
                                          "a_b",       "..",          "a.rrd", "A b",   "a~tmp"};
  std::set<std::string> files;
  for (const std::string& name : names) {
    std::string path = history->FileFor(name);
    ASSERT_EQ(path.rfind(dir.path() + "/", 0), 0u) << path;
    std::string base = path.substr(dir.path().size() + 1);
    for (unsigned char c : base)
      EXPECT_TRUE(std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '%')
          << name << " -> " << base;
    files.insert(base);
  }
  EXPECT_EQ(files.size(), names.size());
  EXPECT_EQ(history->FileFor("上联"), dir.path() + "/%E4%B8%8A%E8%81%94.rrd");

  history->Record(At(kT0 + 30), One("上联-电信", 5.0, 6.0));
  history->Flush();
  EXPECT_TRUE(std::filesystem::exists(history->FileFor("上联-电信")));
  auto hour = history->Fetch("上联-电信", HistoryRange::kHour, At(kT0 + 30));
  ASSERT_TRUE(hour) << hour.error().message;
  EXPECT_EQ(hour->link, "上联-电信");
  EXPECT_DOUBLE_EQ(*hour->in.current, 5.0);
}

TEST(LinkHistory, AGarbageFileIsAnErrorNotACrashAndIsLeftAlone) {
  ScratchDir dir;
  StderrCapture stderr_capture(dir / "stderr");
  auto history = OpenOrDie(dir.path());
  const std::string bad = history->FileFor("bad");
  const std::string garbage(5000, 'x');
  { std::ofstream(bad) << garbage; }

  history->Record(At(kT0 + 30), {{"bad", 1.0, 1.0}, {"good", 2.0, 2.0}});
  history->Record(At(kT0 + 60), {{"bad", 1.0, 1.0}, {"good", 3.0, 3.0}});
  history->Flush();
  auto stats = history->stats();
  EXPECT_GE(stats.errors_total, 1u);
  EXPECT_NE(stats.last_error.find(bad), std::string::npos) << stats.last_error;
  EXPECT_EQ(stats.updates_total, 2u);  // the good link is written all the same

  // Told once per file: another file's error would replace it, the same file's does not.
  const std::string first_error = stats.last_error;
  history->Record(At(kT0 + 90), One("bad", 1.0, 1.0));
  history->Flush();
  EXPECT_GT(history->stats().errors_total, stats.errors_total);
  EXPECT_EQ(history->stats().last_error, first_error);

  auto fetched = history->Fetch("bad", HistoryRange::kDay, At(kT0 + 90));
  ASSERT_FALSE(fetched);
  EXPECT_NE(fetched.error().message.find(bad), std::string::npos) << fetched.error().message;
  EXPECT_FALSE(history->MonthPercentile("bad", At(kT0 + 90)));
  std::ifstream in(bad);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, garbage);  // not overwritten

  auto missing = history->Fetch("never-recorded", HistoryRange::kHour, At(kT0));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no file yet"), std::string::npos);
  history.reset();
  EXPECT_EQ(stderr_capture.Restore(), "");  // librrd printed nothing by itself
}

// What a kill -9 mid-create leaves: our temporary and librrd's (ours plus six characters).
// Open removes both and nothing else; the link's file is untouched.
TEST(LinkHistory, OpenRemovesTemporariesAKillLeft) {
  ScratchDir dir;
  {
    auto history = OpenOrDie(dir.path());
    history->Record(At(kT0 + 30), One("a~tmp", 1.0, 1.0));  // a link named like a temporary
    history->Record(At(kT0 + 30), One("l", 1.0, 1.0));
  }
  const std::string kept = dir / "a%7Etmp.rrd";
  ASSERT_TRUE(std::filesystem::exists(kept));
  for (const std::string name : {"l.rrd~tmp", "l.rrd~tmpAb12Cd"})
    std::ofstream(dir / name) << std::string(100, '\0');
  auto history = OpenOrDie(dir.path());
  std::set<std::string> left;
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    left.insert(e.path().filename().string());
  EXPECT_EQ(left, (std::set<std::string>{"a%7Etmp.rrd", "l.rrd"}));
  history->Record(At(kT0 + 60), One("l", 2.0, 2.0));
  history->Flush();
  EXPECT_EQ(history->stats().errors_total, 0u) << history->stats().last_error;
  EXPECT_EQ(history->stats().updates_total, 1u);
}

TEST(LinkHistory, AFullQueueDropsTheOldestRoundsAndCountsThem) {
  ScratchDir dir;
  auto history = OpenOrDie(dir.path());
  for (int k = 1; k <= 1024 + 6; ++k) history->Record(At(kT0 + 30L * k), One("l", k, k));
  EXPECT_EQ(history->stats().dropped_total, 6u);
  history->Flush();
  auto hour = history->Fetch("l", HistoryRange::kHour, At(kT0 + 30L * 1030));
  ASSERT_TRUE(hour);
  EXPECT_DOUBLE_EQ(*hour->in.current, 1030.0);  // the newest kept, the oldest gone
  EXPECT_EQ(history->stats().updates_total, 1024u);
}

TEST(LinkHistory, FetchesFromOtherThreadsWhileTheWriterWrites) {
  ScratchDir dir;
  auto history = OpenOrDie(dir.path());
  history->Start();
  std::atomic<bool> done = false;
  std::atomic<int> failures = 0, reads = 0;
  for (int k = 1; k <= 100; ++k) history->Record(At(kT0 + 30L * k), One("l", k, k));
  history->Flush();
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r)
    readers.emplace_back([&] {
      while (!done) {
        auto s = history->Fetch("l", HistoryRange::kDay, At(kT0 + 86400));
        if (!s || s->known_points() < 10 || s->in_bps.size() != s->out_bps.size()) ++failures;
        if (!history->MonthPercentile("l", At(kT0 + 30L * 3000))) ++failures;
        ++reads;
      }
    });
  for (int k = 101; k <= 3000; ++k) {
    history->Record(At(kT0 + 30L * k), One("l", k, k));
    if (k % 500 == 0) history->Flush();
  }
  history->Flush();
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_GT(reads, 0);
  EXPECT_EQ(history->stats().updates_total, 3000u);
}

TEST(HistoryRange, NamesRoundTrip) {
  for (HistoryRange r : kAllHistoryRanges) EXPECT_EQ(ParseHistoryRange(ToString(r)), r);
  EXPECT_FALSE(ParseHistoryRange("decade"));
}

}  // namespace
}  // namespace lanwatch
