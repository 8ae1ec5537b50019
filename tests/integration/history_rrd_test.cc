// LinkHistory's files as the IT section meets them: the real `rrdtool fetch` prints what
// LinkHistory wrote, `rrdtool graph` draws them, and a lanwatchd killed with -9 at any moment
// (mid-update, mid-create, mid-rebuild) leaves every file whole, of its size, and no
// temporary a later Open would trip on. A missing rrdtool fails the tests (exit 127).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "daemon/history/link_history.h"
#include "daemon/history/rrd_file.h"
#include "tests/support/process.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using std::chrono::seconds;
using std::chrono::system_clock;
using testing::RunCommand;
using testing::TempDir;

constexpr time_t kT0 = 1699920000;  // a day boundary, UTC

system_clock::time_point At(time_t t) { return system_clock::from_time_t(t); }

std::unique_ptr<LinkHistory> OpenOrDie(const std::string& dir, seconds step) {
  auto h = LinkHistory::Open(dir, step);
  if (!h) throw std::runtime_error(h.error().message);
  return std::move(*h);
}

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

TEST(HistoryRrd, RrdtoolFetchPrintsWhatLinkHistoryWrote) {
  TempDir dir;
  auto history = OpenOrDie(dir.path(), 30s);
  for (int k = 1; k <= 120; ++k)
    history->Record(At(kT0 + 30L * k), {{"上联-电信", 1234.5 * k + 0.25,
                                         k % 7 == 0 ? std::nullopt : std::optional(99.0 * k)}});
  history->Flush();
  auto hour = history->Fetch("上联-电信", HistoryRange::kHour, At(kT0 + 3600));
  ASSERT_TRUE(hour) << hour.error().message;
  const std::string file = history->FileFor("上联-电信");

  auto fetched = RunCommand(fmt::format("rrdtool fetch {} AVERAGE -r 30 -s {} -e {}", Quoted(file),
                                        system_clock::to_time_t(hour->start), kT0 + 3600));
  ASSERT_EQ(fetched.exit_code, 0) << fetched.output;
  // "          in          out" then "TIME: 1.2345000000e+03 -nan" per row.
  std::istringstream lines(fetched.output);
  std::string line;
  int compared = 0, unknown_out = 0;
  while (std::getline(lines, line)) {
    long long t = 0;
    char in_text[64] = {}, out_text[64] = {};
    if (std::sscanf(line.c_str(), "%lld: %63s %63s", &t, in_text, out_text) != 3) continue;
    auto index = (t - system_clock::to_time_t(hour->start)) / 30 - 1;
    ASSERT_GE(index, 0) << line;
    if (static_cast<size_t>(index) >= hour->in_bps.size()) continue;
    double in = std::strtod(in_text, nullptr), out = std::strtod(out_text, nullptr);
    double ours_in = hour->in_bps[index], ours_out = hour->out_bps[index];
    EXPECT_EQ(std::isnan(in), std::isnan(ours_in)) << line;
    EXPECT_EQ(std::isnan(out), std::isnan(ours_out)) << line;
    if (!std::isnan(in)) {
      EXPECT_NEAR(in, ours_in, std::abs(ours_in) * 1e-9) << line;
    }
    if (!std::isnan(out)) {
      EXPECT_NEAR(out, ours_out, std::abs(ours_out) * 1e-9) << line;
    }
    if (!std::isnan(in)) {
      int k = static_cast<int>((t - kT0) / 30);
      EXPECT_NEAR(in, 1234.5 * k + 0.25, 1e-6) << line;
      ++compared;
    }
    if (std::isnan(out) && !std::isnan(in)) ++unknown_out;
  }
  EXPECT_EQ(compared, 120) << fetched.output;
  EXPECT_EQ(unknown_out, 120 / 7);
}

TEST(HistoryRrd, RrdtoolGraphRendersAPng) {
  TempDir dir;
  auto history = OpenOrDie(dir.path(), 30s);
  for (int k = 1; k <= 2880; ++k) {
    history->Record(At(kT0 + 30L * k), {{"uplink", 5e6 + 4e6 * std::sin(k / 200.0), 1e6}});
    if (k % 500 == 0) history->Flush();
  }
  history->Flush();
  const std::string png = dir.path() + "/uplink.png";
  auto graph = RunCommand(fmt::format(
      "rrdtool graph {} --start {} --end {} --vertical-label bit/s DEF:in={}:in:AVERAGE "
      "DEF:out={}:out:AVERAGE AREA:in#00cc00:in LINE1:out#0000ff:out",
      Quoted(png), kT0, kT0 + 86400, history->FileFor("uplink"), history->FileFor("uplink")));
  ASSERT_EQ(graph.exit_code, 0) << graph.output;
  ASSERT_TRUE(std::filesystem::exists(png)) << graph.output;
  EXPECT_GT(std::filesystem::file_size(png), 1000u);
  EXPECT_EQ(testing::ReadFile(png).substr(1, 3), "PNG");
}

// The child: lanwatchd's writer at full speed. Fake time runs 30 s per 100 us of the
// monotonic clock (shared across restarts, so each child carries on where the last one was
// killed); a new link every 200 ms (creates) and the poll interval toggling between 30 s and
// 10 s every 5 ms, so that rebuilds (a create from the old file, then a rename) take most of
// the child's time and most kills land in one. Never returns.
[[noreturn]] void WriteForever(const std::string& dir, timespec origin) {
  auto elapsed_ticks = [&] {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return ((now.tv_sec - origin.tv_sec) * 1'000'000'000LL + (now.tv_nsec - origin.tv_nsec)) /
           100'000;
  };
  auto step_at = [](long long k) { return (k / 50) % 2 == 0 ? 30s : 10s; };
  auto opened = LinkHistory::Open(dir, step_at(elapsed_ticks()));
  if (!opened) _exit(3);
  auto& history = *opened;
  history->Start();
  while (true) {
    long long k = elapsed_ticks();
    history->SetStep(step_at(k));
    std::vector<LinkRates> round = {{"uplink", 1e6 + k % 1000, 2e6},
                                    {"二分局", 3e5, std::nullopt},
                                    {fmt::format("unit-{}", k / 2000), 1.0 * k, 2.0 * k}};
    history->Record(At(kT0 + 30L * k), std::move(round));
    history->Flush();
  }
}

TEST(HistoryRrd, KillNineAtRandomMomentsLeavesEveryFileWhole) {
  TempDir dir;
  const std::string history_dir = dir.path() + "/history";
  // Sizes of a fresh file at each step, to hold every survivor to.
  std::map<long, uintmax_t> size_at_step;
  for (seconds step : {30s, 10s}) {
    TempDir ref;
    auto h = OpenOrDie(ref.path(), step);
    h->Record(At(kT0 + 30), {{"x", 1.0, 1.0}});
    h->Flush();
    size_at_step[step.count()] = std::filesystem::file_size(h->FileFor("x"));
  }

  timespec origin{};
  clock_gettime(CLOCK_MONOTONIC, &origin);
  const unsigned seed = static_cast<unsigned>(origin.tv_nsec);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> pause_ms(20, 400);
  // Even kills at a random moment; odd ones the moment a temporary is seen in the directory
  // (a create or a rebuild under way), which a random moment seldom hits.
  auto temporary_present = [&] {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(history_dir, ec))
      if (e.path().filename().string().find('~') != std::string::npos) return true;
    return false;
  };
  int caught_in_create = 0;
  for (int kill_count = 0; kill_count < 20; ++kill_count) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) WriteForever(history_dir, origin);
    if (kill_count % 2 == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random)));
    } else {
      std::this_thread::sleep_for(20ms);
      const auto deadline = std::chrono::steady_clock::now() + 3s;
      while (!temporary_present() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(100us);
      if (temporary_present()) ++caught_in_create;
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, WNOHANG), 0) << "the writer died by itself: " << status;
    ASSERT_EQ(kill(child, SIGKILL), 0);
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "seed " << seed;
  }

  int temporaries = 0, files = 0;
  for (const auto& e : std::filesystem::directory_iterator(history_dir))
    if (e.path().filename().string().find('~') != std::string::npos) ++temporaries;
  // Each restart's Open removed the temporaries before it: what is left is the last kill's.
  std::printf("20 kills (seed %u), %d with a temporary in sight: %d temporaries left\n", seed,
              caught_in_create, temporaries);

  auto history = OpenOrDie(history_dir, 30s);  // cleans the temporaries
  for (const auto& e : std::filesystem::directory_iterator(history_dir)) {
    const std::string path = e.path().string();
    ASSERT_EQ(e.path().extension(), ".rrd") << "left behind: " << path;
    ++files;
    auto info = RunCommand("rrdtool info " + Quoted(path));
    EXPECT_EQ(info.exit_code, 0) << path << ": " << info.output;
    auto header = ReadRrdHeader(path);
    ASSERT_TRUE(header) << header.error().message;
    EXPECT_EQ(std::filesystem::file_size(path), size_at_step.at(header->step.count())) << path;
  }
  EXPECT_GE(files, 3);
  for (const std::string link : {"uplink", "二分局"}) {
    auto hour = history->Fetch(link, HistoryRange::kHour, system_clock::now());
    EXPECT_TRUE(hour) << (hour ? "" : hour.error().message);
  }
  // The survivors take updates again.
  auto header = ReadRrdHeader(history->FileFor("uplink"));
  ASSERT_TRUE(header);
  history->SetStep(header->step);
  history->Record(At(header->last_update + header->step.count()), {{"uplink", 7.0, 8.0}});
  history->Flush();
  EXPECT_EQ(history->stats().errors_total, 0u) << history->stats().last_error;
  EXPECT_EQ(history->stats().updates_total, 1u);
}

}  // namespace
}  // namespace lanwatch
