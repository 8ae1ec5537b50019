#include "probes/snmp/snmp_client.h"

#include <fmt/format.h>
#include <poll.h>

#include <algorithm>
#include <cassert>
#include <optional>
#include <utility>

#include "probes/snmp/net_snmp.h"
#include "probes/snmp/query_run.h"

namespace lanwatch {

using Clock = std::chrono::steady_clock;

const SnmpValue* SnmpResult::Scalar(const Oid& oid) const {
  for (const VarBind& vb : scalars) {
    if (vb.oid == oid) return &vb.value;
  }
  return nullptr;
}

// One cached Net-SNMP session and the query currently running on it.
class SnmpClient::Session {
 public:
  static std::expected<std::unique_ptr<Session>, Error> Open(const SnmpTarget& target,
                                                             const std::string& ip) {
    auto session = std::unique_ptr<Session>(new Session(Fingerprint(target, ip)));
    session->limits_.max_repetitions = target.settings.bulk_repetitions;
    auto handle = netsnmp::OpenSession(target, ip, &Session::OnCallback, session.get());
    if (!handle) return std::unexpected(handle.error());
    session->handle_ = std::move(*handle);
    return session;
  }

  // Closing the handle calls OnCallback (TIMED_OUT) for every request still pending: it must
  // find no run to report to, and a Session whose members are all still alive.
  ~Session() {
    run_ = nullptr;
    handle_.reset();
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Settings that, when changed, need a new session.
  static std::string Fingerprint(const SnmpTarget& t, const std::string& ip) {
    const SnmpSettings& s = t.settings;
    return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", t.address, ip, s.port,
                       ToString(s.version), s.community, s.user, static_cast<int>(s.auth_protocol),
                       s.auth_passphrase, static_cast<int>(s.priv_protocol), s.priv_passphrase,
                       s.timeout.count(), s.retries, s.bulk_repetitions);
  }

  const std::string& fingerprint() const { return fingerprint_; }
  void* handle() const { return handle_.get(); }
  QueryLimits& limits() { return limits_; }

  void Start(QueryRun* run) {
    run_ = run;
    SendNext();
  }
  // Detaches the run: replies still on their way then land nowhere.
  void Abandon() { run_ = nullptr; }
  // True once after each callback: the run has digested a reply and may want to send again.
  bool TakeNeedsSend() { return std::exchange(needs_send_, false); }

  // Sends the run's next request (an SNMPv3 engine probe first, while the engine is unknown);
  // detaches the run when it has nothing more to send or sending fails.
  void SendNext() {
    while (run_ && !run_->finished()) {
      if (std::exchange(probe_answered_, false)) {
        if (auto ready = netsnmp::FinishEngineDiscovery(handle_.get()); !ready) {
          run_->Fail(snmp_error::kAuth, ready.error().message);
          break;
        }
      }
      probing_ = !netsnmp::EngineKnown(handle_.get());
      netsnmp::PduPtr pdu = probing_ ? netsnmp::EngineProbe() : run_->NextRequest();
      if (!pdu) break;
      int reqid = snmp_sess_async_send(handle_.get(), pdu.get(), &Session::OnCallback, this);
      if (reqid != 0) {
        static_cast<void>(pdu.release());  // Net-SNMP owns it now
        in_flight_ = reqid;
        return;
      }
      probing_ = false;
      run_->Fail(snmp_error::kSend, "send failed: " + netsnmp::SessionError(handle_.get()));
    }
    run_ = nullptr;
  }

 private:
  explicit Session(std::string fingerprint) : fingerprint_(std::move(fingerprint)) {}

  static int OnCallback(int op, netsnmp_session*, int reqid, netsnmp_pdu* pdu, void* magic) {
    auto* self = static_cast<Session*>(magic);
    // Only these end a request; RESEND and the like are notifications.
    if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && op != NETSNMP_CALLBACK_OP_TIMED_OUT &&
        op != NETSNMP_CALLBACK_OP_SEND_FAILED && op != NETSNMP_CALLBACK_OP_SEC_ERROR) {
      return 1;
    }
    // USM failures (a Report PDU, or SEC_ERROR) arrive with no request id: they are about
    // the request in flight.
    bool about_in_flight =
        reqid == self->in_flight_ || (reqid == 0 && (op == NETSNMP_CALLBACK_OP_SEC_ERROR ||
                                                     (pdu && pdu->command == SNMP_MSG_REPORT)));
    // A reply to a request of an abandoned run, or a stray duplicate: ignore it.
    if (!self->run_ || self->in_flight_ == 0 || !about_in_flight) return 1;
    self->in_flight_ = 0;
    self->needs_send_ = true;
    if (self->probing_ &&
        (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || op == NETSNMP_CALLBACK_OP_SEC_ERROR)) {
      // The discovery Report (SEC_ERROR, then RECEIVED for the same one). Net-SNMP takes the
      // engine ID from it once we return; SendNext finishes the discovery after the read.
      self->probe_answered_ = true;
      return 1;
    }
    self->probing_ = false;
    self->run_->OnEvent(op, pdu);  // a probe that timed out is the agent's silence like any
    return 1;
  }

  std::string fingerprint_;
  netsnmp::SessionHandle handle_;
  QueryLimits limits_;
  QueryRun* run_ = nullptr;
  int in_flight_ = 0;
  bool probing_ = false;         // the request in flight is the v3 engine probe
  bool probe_answered_ = false;  // ... and its Report has come
  bool needs_send_ = false;
};

// The state of one Run(): every job waiting its turn, waiting for its name, running, or done.
// Only the jobs in `active_` (at most max_in_flight) are looked at in each iteration, so a
// round over thousands of agents costs per reply what a small one does.
class SnmpClient::Round {
 public:
  Round(SnmpClient& client, const std::vector<SnmpJob>& jobs, const RunOptions& options,
        const OnDone& on_done)
      : client_(client),
        jobs_(jobs),
        options_(options),
        on_done_(on_done),
        jobs_state_(jobs.size()),
        max_active_(options.max_in_flight == 0 ? jobs.size() : options.max_in_flight) {
    assert(std::all_of(jobs.begin(), jobs.end(), [](const SnmpJob& j) { return j.query; }));
  }

  void Run() {
    const int interrupt_fd = options_.interrupt_fd;
    if (interrupt_fd >= 0 && Readable(interrupt_fd, 0)) return Cancel();
    Admit();
    while (!active_.empty()) {
      std::vector<pollfd> fds;
      Clock::duration wait = Wait(fds);
      const size_t sessions = fds.size();
      const bool resolving = WaitingForNames();
      if (resolving) fds.push_back({client_.resolver_.wake_fd(), POLLIN, 0});
      if (interrupt_fd >= 0) fds.push_back({interrupt_fd, POLLIN, 0});
      auto wait_ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
      int ready = poll(fds.data(), fds.size(), static_cast<int>(wait_ms));
      if (ready > 0 && interrupt_fd >= 0 && fds.back().revents) return Cancel();
      Step(fds);
      if (resolving) {
        if (fds[sessions].revents) client_.resolver_.Drain();
        for (size_t i : active_) {
          if (jobs_state_[i].phase == Phase::kResolving) Resolve(i);
        }
      }
      Retire();
      Admit();
    }
  }

 private:
  enum class Phase { kWaiting, kResolving, kRunning, kDone };
  struct JobState {
    Phase phase = Phase::kWaiting;
    std::string ip;
    SnmpResult result;
    std::optional<QueryRun> run;
    Session* session = nullptr;  // while running
    // Started on a v3 session kept from an earlier round that knew its engine: such a session
    // goes stale when the agent restarts, and is worth one fresh try.
    bool may_be_stale = false;
    int poll_slot = -1;                  // its socket's place in this iteration's poll set, or -1
    std::optional<SnmpQuery> follow_up;  // what it asks now, when on_done asked more
  };

  const SnmpQuery& QueryOf(size_t i) const {
    const JobState& state = jobs_state_[i];
    return state.follow_up ? *state.follow_up : *jobs_[i].query;
  }
  // A follow-up's cells are kept in its result (null): the job's sink is for its own query.
  const CellSink* CellSinkOf(size_t i) const {
    return jobs_state_[i].follow_up ? nullptr : &jobs_[i].on_cell;
  }

  static bool Readable(int fd, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, timeout_ms) > 0 && p.revents;
  }

  bool WaitingForNames() const {
    return std::any_of(active_.begin(), active_.end(),
                       [&](size_t i) { return jobs_state_[i].phase == Phase::kResolving; });
  }

  // Starts waiting jobs, in order, while there is room; those that end at once (a bad
  // address, a passed deadline) are handed over at once.
  void Admit() {
    while (next_ < jobs_.size() && active_.size() < max_active_) {
      const size_t i = next_++;
      active_.push_back(i);
      jobs_state_[i].result.started = Clock::now();
      jobs_state_[i].phase = Phase::kResolving;
      if (Clock::now() >= jobs_[i].deadline) {
        Finish(i, snmp_error::kNotStarted,
               "the round's deadline came before this device's turn (raise poll_concurrency)");
      } else {
        Resolve(i);
      }
      Retire();
    }
  }

  // Hands the finished jobs' results over, starts the follow-ups they ask for and forgets
  // the others.
  void Retire() {
    std::erase_if(active_, [&](size_t i) {
      JobState& state = jobs_state_[i];
      while (state.phase == Phase::kDone) {
        state.run.reset();  // it refers to the result: gone first
        SnmpResult result = std::move(state.result);
        state.result = SnmpResult{};
        std::optional<SnmpQuery> next = on_done_(i, std::move(result));
        if (!next || cancelled_) {
          state.ip = {};
          state.follow_up.reset();
          return true;
        }
        FollowUp(i, std::move(*next));
      }
      return false;
    });
  }

  // Runs job i's next query in its slot, on the session (and address) its last one used.
  void FollowUp(size_t i, SnmpQuery query) {
    JobState& state = jobs_state_[i];
    state.follow_up = std::move(query);
    state.result.started = Clock::now();
    state.phase = Phase::kRunning;
    if (state.ip.empty()) {
      Finish(i, snmp_error::kNotStarted, "the agent's address is not known (its lookup failed)");
    } else if (state.result.started >= jobs_[i].deadline) {
      Finish(i, snmp_error::kNotStarted, "the round's deadline came before the follow-up request");
    } else {
      Start(i, state.ip);
      // The last query just spoke to this engine: a timeout now is the agent's, not a stale
      // session's, and is not worth a second try.
      state.may_be_stale = false;
    }
  }

  // Starts job i once its address is known; IP literals are known at once.
  void Resolve(size_t i) {
    const std::string& address = jobs_[i].target.address;
    if (auto literal = HostResolver::Literal(address)) {
      Start(i, *literal);
      return;
    }
    auto answer = client_.resolver_.Lookup(address);
    if (!answer) return;  // still resolving: the resolver's wake fd tells when
    if (!answer->ok()) {
      Finish(i, snmp_error::kDns, fmt::format("cannot resolve '{}': {}", address, answer->error));
      return;
    }
    Start(i, answer->address);
  }

  // Runs job i on its cached session, or on a new one.
  void Start(size_t i, const std::string& ip) {
    const SnmpJob& job = jobs_[i];
    JobState& state = jobs_state_[i];
    state.ip = ip;
    auto& cached = client_.sessions_[job.target.name];
    const bool reused = cached && cached->fingerprint() == Session::Fingerprint(job.target, ip);
    state.may_be_stale = reused && job.target.settings.version == SnmpVersion::kV3 &&
                         netsnmp::EngineKnown(cached->handle());
    if (!reused) {
      cached.reset();  // before opening anew: its socket is not needed any more
      auto opened = Session::Open(job.target, ip);
      if (!opened) {
        client_.sessions_.erase(job.target.name);
        Finish(i, snmp_error::kSession, opened.error().message);
        return;
      }
      cached = std::move(*opened);
    }
    SnmpResult& result = state.result;
    auto started = result.started;
    result = SnmpResult{};
    result.started = started;
    state.run.emplace(QueryOf(i), CellSinkOf(i), job.target.settings.version, cached->limits(),
                      result);
    state.session = cached.get();
    state.phase = Phase::kRunning;
    state.session->Start(&*state.run);
  }

  // Ends job i without a run (or after its run was detached) with `reason`.
  void Finish(size_t i, const char* reason, std::string message) {
    JobState& state = jobs_state_[i];
    SnmpResult& result = state.result;
    if (state.run) {
      state.run->Fail(reason, std::move(message));
    } else {
      result.columns.assign(QueryOf(i).walk.size(), {});
      result.column_complete.assign(QueryOf(i).walk.size(), false);
      ++result.errors[reason];
      result.failure_reason = reason;
      result.failure_message = std::move(message);
    }
    state.phase = Phase::kDone;
    state.session = nullptr;
    result.elapsed = Clock::now() - result.started;
  }

  // Drops job i's session with the request it may still have in flight: a reply to it would
  // otherwise answer into the next round.
  void DropSession(size_t i) {
    JobState& state = jobs_state_[i];
    if (state.session) state.session->Abandon();
    state.session = nullptr;
    client_.sessions_.erase(jobs_[i].target.name);
  }

  // The poll set of the running sessions, and how long to wait at most.
  Clock::duration Wait(std::vector<pollfd>& fds) {
    Clock::time_point now = Clock::now();
    Clock::duration wait = std::chrono::seconds(1);
    for (size_t i : active_) {
      JobState& state = jobs_state_[i];
      state.poll_slot = -1;
      wait =
          std::min<Clock::duration>(wait, std::max<Clock::duration>(jobs_[i].deadline - now, {}));
      if (state.phase != Phase::kRunning) continue;
      state.poll_slot = static_cast<int>(fds.size());
      fds.push_back({netsnmp::SessionSocket(state.session->handle()), POLLIN, 0});
      if (auto timeout = netsnmp::SessionTimeout(state.session->handle())) {
        wait = std::min<Clock::duration>(wait, *timeout);
      }
    }
    return wait;
  }

  // Reads what arrived, lets Net-SNMP retransmit or time out, and moves every job on.
  void Step(const std::vector<pollfd>& fds) {
    for (size_t i : active_) {
      JobState& state = jobs_state_[i];
      if (state.phase == Phase::kResolving) {
        if (Clock::now() >= jobs_[i].deadline) {
          Finish(i, snmp_error::kDns,
                 fmt::format("looking up '{}' took longer than the poll deadline",
                             jobs_[i].target.address));
        }
        continue;
      }
      if (state.phase != Phase::kRunning) continue;
      Session* session = state.session;
      if (state.poll_slot >= 0 && fds[static_cast<size_t>(state.poll_slot)].revents) {
        netsnmp::SessionRead(session->handle());
      }
      snmp_sess_timeout(session->handle());  // retransmits, or reports a timeout
      if (session->TakeNeedsSend()) session->SendNext();
      Clock::time_point now = Clock::now();
      SnmpResult& result = state.result;
      if (state.run->finished()) {
        session->Abandon();
        state.session = nullptr;
        state.phase = Phase::kDone;
        result.elapsed = now - result.started;
        // An SNMPv3 session kept from an earlier round goes stale when the agent restarts:
        // with new engine boots, snmpd drops our requests as outside its time window (a
        // timeout); with a new engine ID it sends a USM report. Before calling the device
        // down, try once with a fresh session, which discovers the engine anew. Only then:
        // a session that never knew its engine would just wait again, and v1/v2c sessions
        // hold no such state.
        if (!result.ok() && state.may_be_stale && now < jobs_[i].deadline &&
            (result.failure_reason == snmp_error::kTimeout ||
             result.failure_reason == snmp_error::kAuth)) {
          client_.sessions_.erase(jobs_[i].target.name);
          state.run.reset();
          Start(i, state.ip);
        }
      } else if (now >= jobs_[i].deadline) {
        DropSession(i);
        Finish(i, snmp_error::kDeadline, "poll deadline passed before the agent finished");
      }
    }
  }

  // The caller interrupted: every unfinished job fails, without waiting for anything.
  void Cancel() {
    cancelled_ = true;
    for (size_t i = 0; i < jobs_.size(); ++i) {
      JobState& state = jobs_state_[i];
      if (state.phase == Phase::kDone) continue;
      if (state.phase == Phase::kRunning) DropSession(i);
      if (state.phase == Phase::kWaiting) {
        state.result.started = Clock::now();
        active_.push_back(i);
      }
      Finish(i, snmp_error::kCancelled, "the round was interrupted");
    }
    next_ = jobs_.size();
    Retire();
  }

  SnmpClient& client_;
  const std::vector<SnmpJob>& jobs_;
  const RunOptions& options_;
  const OnDone& on_done_;
  std::vector<JobState> jobs_state_;
  const size_t max_active_;
  size_t next_ = 0;             // the first job not yet admitted
  std::vector<size_t> active_;  // admitted and not yet handed over
  bool cancelled_ = false;      // no follow-up starts any more
};

SnmpClient::SnmpClient() { InitNetSnmpOnce(); }
SnmpClient::~SnmpClient() = default;

std::optional<std::string> SnmpClient::ResolvedAddress(const std::string& host) {
  if (auto literal = HostResolver::Literal(host)) return literal;
  auto answer = resolver_.Lookup(host);
  if (!answer || !answer->ok()) return std::nullopt;
  return answer->address;
}

void SnmpClient::ForgetExcept(const std::vector<std::string>& keep) {
  std::erase_if(sessions_, [&](const auto& entry) {
    return std::find(keep.begin(), keep.end(), entry.first) == keep.end();
  });
}

void SnmpClient::Run(const std::vector<SnmpJob>& jobs, const RunOptions& options,
                     const OnDone& on_done) {
  Round(*this, jobs, options, on_done).Run();
}

std::vector<SnmpResult> SnmpClient::Run(const std::vector<SnmpJob>& jobs, int interrupt_fd) {
  std::vector<SnmpResult> results(jobs.size());
  Run(jobs, RunOptions{interrupt_fd, 0},
      [&](size_t i, SnmpResult&& result) -> std::optional<SnmpQuery> {
        results[i] = std::move(result);
        return std::nullopt;
      });
  return results;
}

}  // namespace lanwatch
