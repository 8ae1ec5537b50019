// snmp_poll_bench: polls a list of agents with lanwatch's SNMP client, as lanwatchd's rounds
// do (all at once, one thread), and prints per-round wall time and CPU per device poll as one
// JSON line. Driven by bench/snmp_poll.py, which runs the anchors side by side.
//   snmp_poll_bench --community public --rounds 5 127.1.0.1 127.1.0.2 ...
#include <fmt/format.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>

#include "config/guarded_main.h"
#include "probes/snmp/device_poll.h"
#include "probes/snmp/snmp_client.h"

namespace {

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

static int Main(int argc, char** argv) {
  CLI::App app{"poll agents with lanwatch's SNMP client and report the cost"};
  std::vector<std::string> targets;
  std::string community = "public";
  int rounds = 5;
  int repetitions = 25;
  app.add_option("targets", targets, "agent addresses")->required();
  app.add_option("--community", community);
  app.add_option("--rounds", rounds);
  app.add_option("--max-repetitions", repetitions);
  CLI11_PARSE(app, argc, argv);

  lanwatch::SnmpSettings settings;
  settings.community = community;
  settings.timeout = std::chrono::seconds(5);
  settings.bulk_repetitions = repetitions;
  lanwatch::SnmpClient client;
  std::vector<double> walls;
  int failures = 0;
  size_t interfaces = 0;
  double cpu_before = CpuSeconds();
  for (int r = 0; r < rounds; ++r) {
    std::vector<lanwatch::SnmpJob> jobs;
    auto start = std::chrono::steady_clock::now();
    const auto query = std::make_shared<const lanwatch::SnmpQuery>(
        lanwatch::BuildDeviceQuery(lanwatch::DeviceRole::kSwitch));
    for (const auto& t : targets) {
      jobs.push_back({{t, t, settings}, query, start + std::chrono::seconds(60), {}});
    }
    auto results = client.Run(jobs);
    walls.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    for (size_t i = 0; i < results.size(); ++i) {
      auto sample = lanwatch::DecodeDeviceSample(*jobs[i].query, results[i]);
      if (!results[i].ok() || !sample)
        ++failures;
      else
        interfaces = sample->interfaces.size();
    }
  }
  double cpu = CpuSeconds() - cpu_before;
  std::sort(walls.begin(), walls.end());
  fmt::print(
      "{{\"devices\": {}, \"rounds\": {}, \"round_wall_s_median\": {:.4f}, "
      "\"cpu_ms_per_device_poll\": {:.4f}, \"failures\": {}, \"interfaces_per_device\": {}}}\n",
      targets.size(), rounds, walls[walls.size() / 2], cpu * 1000 / (rounds * targets.size()),
      failures, interfaces);
  return failures == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  return lanwatch::GuardedMain("snmp_poll_bench", 1, Main, argc, argv);
}
