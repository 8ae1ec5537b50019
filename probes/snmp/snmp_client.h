// SnmpClient: runs SNMP queries against many agents at once from the calling thread, using
// Net-SNMP's asynchronous single-session API and poll(). Nothing in a round blocks: host names
// are resolved on background threads (HostResolver), SNMPv3 engines are discovered with an
// asynchronous probe, keys are derived once per process. Each job has its own deadline; a dead,
// slow or unresolvable agent never delays the others. Sessions are kept between runs (v3
// engine discovery is paid once, what an agent accepts is remembered). Not thread-safe: one
// thread owns a client.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "probes/snmp/host_resolver.h"
#include "probes/snmp/snmp_query.h"

namespace lanwatch {

struct SnmpJob {
  SnmpTarget target;
  // Shared, not copied: a round asks thousands of agents the same few queries. Never null.
  std::shared_ptr<const SnmpQuery> query;
  std::chrono::steady_clock::time_point deadline;
  // When set, each cell of `query`'s walk (exceptions left out; a follow-up's are kept) is
  // handed here as its reply arrives instead of being kept in SnmpResult::columns: a round
  // over many agents so holds each one's decoded sample rather than all of its raw replies.
  // A session retried afresh hands the cells it got again.
  CellSink on_cell;
};

class SnmpClient {
 public:
  SnmpClient();
  ~SnmpClient();
  SnmpClient(const SnmpClient&) = delete;
  SnmpClient& operator=(const SnmpClient&) = delete;

  struct RunOptions {
    // When it (e.g. a signalfd) becomes readable, every unfinished job fails with
    // snmp_error::kCancelled and Run returns at once; the fd is not read.
    int interrupt_fd = -1;
    // At most this many jobs run at a time (0: all at once); the others wait their turn, in
    // order. A round over thousands of agents so spreads its requests, and holds only the
    // running jobs' raw replies. A job whose deadline comes before its turn ends with
    // snmp_error::kNotStarted, having sent nothing.
    size_t max_in_flight = 0;
  };
  // What a job asks next, once `on_done` has its result: a follow-up query to the same agent,
  // started at once in the job's place (on the session just used, before any waiting job, by
  // the same deadline) and handed to `on_done` again with the same index; or nothing: the job
  // is done. A round so reads what depends on a first answer (the ifIndexes a walk found)
  // right after it, while its dead agents wait out their timeouts side by side. A follow-up
  // that cannot be sent (the deadline has passed, the address never resolved) ends at once
  // with snmp_error::kNotStarted. Ask one only of a result not yet followed up: a callback
  // that always asks never lets the job end.
  using OnDone = std::function<std::optional<SnmpQuery>(size_t, SnmpResult&&)>;
  // Runs every job to completion, failure or deadline, handing each result to `on_done`
  // (with the job's index) as soon as that job ends, in the order they end.
  void Run(const std::vector<SnmpJob>& jobs, const RunOptions& options, const OnDone& on_done);
  // The same, all at once, results in the order of `jobs`.
  std::vector<SnmpResult> Run(const std::vector<SnmpJob>& jobs, int interrupt_fd = -1);

  // The address `host` resolved to, as the polls use it (never blocks: a lookup not yet
  // answered is nullopt). IP literals come back as they are.
  std::optional<std::string> ResolvedAddress(const std::string& host);

  // Drops cached sessions whose target is not in `keep` (by name), e.g. after a config reload.
  void ForgetExcept(const std::vector<std::string>& keep);

 private:
  class Session;
  class Round;
  std::map<std::string, std::unique_ptr<Session>> sessions_;  // by target name
  HostResolver resolver_;
};

// Sets up Net-SNMP once per process: no MIB loading, no config or persistent files, and its
// log routed to our logger at debug level so that it prints nothing by itself.
void InitNetSnmpOnce();

}  // namespace lanwatch
