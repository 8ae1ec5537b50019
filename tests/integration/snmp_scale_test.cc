// The SNMP client as a round over many agents sees it, against a real snmpd: results handed
// over as each device finishes, at most max_in_flight devices at a time, and sockets numbered
// past FD_SETSIZE (select()'s limit) polled like any other.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "daemon/process_limits.h"
#include "probes/snmp/device_poll.h"
#include "probes/snmp/snmp_client.h"
#include "probes/snmp/standard_oids.h"
#include "tests/support/agents.h"
#include "tests/support/process.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

SnmpJob Job(std::string name, int port, std::chrono::milliseconds timeout = 1s) {
  SnmpSettings settings;
  settings.community = testing::kCommunity;
  settings.port = static_cast<uint16_t>(port);
  settings.timeout = timeout;
  settings.retries = 0;
  return SnmpJob{SnmpTarget{std::move(name), "127.0.0.1", settings},
                 std::make_shared<const SnmpQuery>(BuildDeviceQuery(DeviceRole::kSwitch)),
                 Clock::now() + 20s,
                 {}};
}

struct Done {
  size_t index;
  SnmpResult result;
  Clock::time_point at;  // when it was handed over
};

std::vector<Done> RunAll(SnmpClient& client, const std::vector<SnmpJob>& jobs,
                         size_t max_in_flight) {
  std::vector<Done> done;
  client.Run(jobs, {-1, max_in_flight}, [&](size_t i, SnmpResult&& result) {
    done.push_back(Done{i, std::move(result), Clock::now()});
    return std::optional<SnmpQuery>();
  });
  return done;
}

TEST(SnmpClientAtScale, RunsAtMostMaxInFlightDevicesAtOnce) {
  testing::SnmpdAgent agent;
  std::vector<SnmpJob> jobs;
  for (int k = 0; k < 8; ++k) jobs.push_back(Job("device" + std::to_string(k), agent.port()));
  SnmpClient client;
  std::vector<Done> done = RunAll(client, jobs, 2);

  ASSERT_EQ(done.size(), jobs.size());
  std::set<size_t> indexes;
  for (const Done& d : done) {
    indexes.insert(d.index);
    EXPECT_TRUE(d.result.ok()) << d.index << ": " << d.result.failure_message;
    EXPECT_FALSE(d.result.columns.empty());
  }
  EXPECT_EQ(indexes.size(), jobs.size());  // each job exactly once
  // Each device's poll runs from `started` for `elapsed`: never more than two at once.
  for (const Done& d : done) {
    const Clock::time_point t = d.result.started + d.result.elapsed / 2;
    int running = 0;
    for (const Done& other : done) {
      running += other.result.started <= t && t <= other.result.started + other.result.elapsed;
    }
    EXPECT_LE(running, 2) << "at the middle of device " << d.index << "'s poll";
  }
  // In order: a device waiting its turn starts after the earlier ones did.
  for (const Done& d : done) {
    for (const Done& other : done) {
      if (other.index < d.index) {
        EXPECT_LE(other.result.started, d.result.started);
      }
    }
  }
}

TEST(SnmpClientAtScale, HandsEachResultOverAsSoonAsItsDeviceFinishes) {
  testing::SnmpdAgent agent;
  const int silent_port = testing::FreeUdpPort();
  std::vector<SnmpJob> jobs = {Job("silent", silent_port, 1500ms), Job("answers", agent.port())};
  SnmpClient client;
  const Clock::time_point began = Clock::now();
  std::vector<Done> done = RunAll(client, jobs, 2);

  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].index, 1u) << "the answering device is handed over first";
  EXPECT_TRUE(done[0].result.ok());
  EXPECT_LT(done[0].at - began, 1s) << "not held back by the silent one";
  EXPECT_EQ(done[1].index, 0u);
  EXPECT_EQ(done[1].result.failure_reason, std::optional<std::string>(snmp_error::kTimeout));
  EXPECT_GE(done[1].at - began, 1400ms);
}

TEST(SnmpClientAtScale, DevicesWhoseTurnNeverComesAreNotStartedNotDown) {
  const int silent_port = testing::FreeUdpPort();
  std::vector<SnmpJob> jobs = {Job("silent", silent_port, 3s), Job("waits1", silent_port),
                               Job("waits2", silent_port)};
  for (SnmpJob& job : jobs) job.deadline = Clock::now() + 800ms;
  SnmpClient client;
  std::vector<Done> done = RunAll(client, jobs, 1);

  ASSERT_EQ(done.size(), 3u);
  EXPECT_EQ(done[0].index, 0u);
  EXPECT_EQ(done[0].result.failure_reason, std::optional<std::string>(snmp_error::kDeadline));
  for (size_t k = 1; k < 3; ++k) {
    EXPECT_EQ(done[k].result.failure_reason, std::optional<std::string>(snmp_error::kNotStarted));
    EXPECT_EQ(done[k].result.requests, 0) << "nothing was sent for it";
  }
}

TEST(SnmpClientAtScale, AFollowUpRunsAtOnceInItsJobsSlotBeforeTheWaitingJobs) {
  testing::SnmpdAgent agent;
  std::vector<SnmpJob> jobs = {Job("first", agent.port()), Job("second", agent.port())};
  SnmpQuery follow_up;
  follow_up.get = {Oid{1, 3, 6, 1, 2, 1, 1, 5, 0}};  // sysName.0
  std::vector<Done> done;
  SnmpClient client;
  client.Run(jobs, {-1, 1}, [&](size_t i, SnmpResult&& result) -> std::optional<SnmpQuery> {
    const bool first_answer =
        std::none_of(done.begin(), done.end(), [&](const Done& d) { return d.index == i; });
    done.push_back(Done{i, std::move(result), Clock::now()});
    if (i == 0 && first_answer) return follow_up;
    return std::nullopt;
  });

  ASSERT_EQ(done.size(), 3u);
  EXPECT_EQ(done[0].index, 0u);
  EXPECT_EQ(done[1].index, 0u) << "the follow-up ran in job 0's slot, ahead of job 1";
  EXPECT_EQ(done[2].index, 1u);
  for (const Done& d : done) EXPECT_TRUE(d.result.ok()) << d.result.failure_message;
  EXPECT_FALSE(done[0].result.columns.empty()) << "the walk's answer";
  EXPECT_TRUE(done[1].result.columns.empty()) << "the follow-up asked no walk";
  EXPECT_EQ(done[1].result.scalars.size(), 1u) << "the follow-up's answer";
  EXPECT_GE(done[1].result.started, done[0].at);
  EXPECT_LE(done[1].at, done[2].result.started);
}

// The job's cell sink takes its own query's cells; a follow-up's are kept in its result.
TEST(SnmpClientAtScale, AFollowUpWalkKeepsItsCellsOutOfTheJobsSink) {
  testing::SnmpdAgent agent;
  const Oid& if_descr = oids::kIfDescr;
  std::vector<SnmpJob> jobs = {Job("sink", agent.port())};
  size_t sunk = 0, sunk_descriptions = 0;
  jobs[0].on_cell = [&](size_t column, const VarBind&) {
    ++sunk;
    if (jobs[0].query->walk.at(column) == if_descr) ++sunk_descriptions;
  };
  SnmpQuery follow_up;
  follow_up.walk = {if_descr};
  std::vector<SnmpResult> done;
  SnmpClient client;
  size_t sunk_when_walked = 0;
  client.Run(jobs, {-1, 1}, [&](size_t, SnmpResult&& result) -> std::optional<SnmpQuery> {
    done.push_back(std::move(result));
    if (done.size() > 1) return std::nullopt;
    sunk_when_walked = sunk;
    return follow_up;
  });

  ASSERT_EQ(done.size(), 2u);
  for (const SnmpResult& r : done) EXPECT_TRUE(r.ok()) << r.failure_message;
  ASSERT_GT(sunk_descriptions, 0u) << "the job's walk went to its sink";
  for (const auto& column : done[0].columns) EXPECT_TRUE(column.empty()) << "none kept";
  ASSERT_EQ(done[1].columns.size(), 1u);
  EXPECT_EQ(done[1].columns[0].size(), sunk_descriptions) << "the follow-up's walk, kept";
  EXPECT_EQ(sunk, sunk_when_walked) << "none of the follow-up's cells reached the sink";
}

TEST(SnmpClientAtScale, AFollowUpKeepsItsSlotWhileDeadAgentsWaitSideBySide) {
  testing::SnmpdAgent agent;
  const int silent_port = testing::FreeUdpPort();
  std::vector<SnmpJob> jobs = {Job("answers", agent.port()), Job("dead1", silent_port),
                               Job("dead2", silent_port)};
  SnmpQuery follow_up;
  follow_up.get = {Oid{1, 3, 6, 1, 2, 1, 1, 5, 0}};
  std::vector<Done> done;
  SnmpClient client;
  const Clock::time_point began = Clock::now();
  // Two slots: the live agent's and dead1's. dead2 gets the live agent's slot once its
  // follow-up is done, and waits out its timeout beside dead1's.
  client.Run(jobs, {-1, 2}, [&](size_t i, SnmpResult&& result) -> std::optional<SnmpQuery> {
    const bool walked = !result.columns.empty();
    done.push_back(Done{i, std::move(result), Clock::now()});
    if (i == 0 && walked) return follow_up;
    return std::nullopt;
  });
  const auto took = Clock::now() - began;

  ASSERT_EQ(done.size(), 4u) << "two results for the live agent, one for each dead one";
  EXPECT_EQ(done[0].index, 0u);
  EXPECT_EQ(done[1].index, 0u) << "the follow-up, before any dead agent's timeout";
  EXPECT_TRUE(done[1].result.ok()) << done[1].result.failure_message;
  EXPECT_LT(done[1].at - began, 900ms);
  EXPECT_LT(took, 1800ms) << "dead2 started in the live agent's slot, not after dead1";
}

// Descriptors held open so that the sessions' sockets get numbers past FD_SETSIZE.
class FillerDescriptors {
 public:
  explicit FillerDescriptors(int count) {
    for (int k = 0; k < count; ++k) {
      int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0) break;
      fds_.push_back(fd);
    }
  }
  ~FillerDescriptors() {
    for (int fd : fds_) close(fd);
  }
  FillerDescriptors(const FillerDescriptors&) = delete;
  FillerDescriptors& operator=(const FillerDescriptors&) = delete;
  int highest() const { return fds_.empty() ? -1 : fds_.back(); }

 private:
  std::vector<int> fds_;
};

TEST(SnmpClientAtScale, PollsThroughSocketsNumberedPastFdSetSize) {
  testing::SnmpdAgent agent;
  RaiseOpenFilesLimit(FD_SETSIZE + 200);
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  ASSERT_GT(limit.rlim_cur, FD_SETSIZE + 100) << "the open-files limit could not be raised";
  FillerDescriptors filler(FD_SETSIZE + 20);
  ASSERT_GT(filler.highest(), FD_SETSIZE);
  std::vector<SnmpJob> jobs;
  for (int k = 0; k < 4; ++k) jobs.push_back(Job("high" + std::to_string(k), agent.port()));
  SnmpClient client;
  for (int round = 0; round < 2; ++round) {  // new sessions, then the kept ones
    std::vector<SnmpResult> results = client.Run(jobs);
    for (const SnmpResult& r : results) {
      EXPECT_TRUE(r.ok()) << r.failure_message;
      auto sample = DecodeDeviceSample(*jobs[0].query, r);
      ASSERT_TRUE(sample.has_value());
      EXPECT_FALSE(sample->interfaces.empty());
    }
  }
}

}  // namespace
}  // namespace lanwatch
