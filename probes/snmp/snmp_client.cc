#include "probes/snmp/snmp_client.h"

#include <fmt/format.h>
#include <sys/select.h>

#include <algorithm>
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
  static std::expected<std::unique_ptr<Session>, Error> Open(const SnmpTarget& target) {
    auto session = std::unique_ptr<Session>(new Session(Fingerprint(target)));
    auto handle = netsnmp::OpenSession(target, &Session::OnCallback, session.get());
    if (!handle) return std::unexpected(handle.error());
    session->handle_ = std::move(*handle);
    return session;
  }

  // Settings that, when changed, need a new session.
  static std::string Fingerprint(const SnmpTarget& t) {
    const SnmpSettings& s = t.settings;
    return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", t.address, s.port, ToString(s.version),
                       s.community, s.user, static_cast<int>(s.auth_protocol), s.auth_passphrase,
                       static_cast<int>(s.priv_protocol), s.priv_passphrase, s.timeout.count(),
                       s.retries);
  }

  const std::string& fingerprint() const { return fingerprint_; }
  void* handle() const { return handle_.get(); }

  void Start(QueryRun* run) {
    run_ = run;
    SendNext();
  }
  void Abandon() { run_ = nullptr; }
  // True once after each callback: the run has digested a reply and may want to send again.
  bool TakeNeedsSend() { return std::exchange(needs_send_, false); }

  // Sends the run's next request; marks the run done when it has none or sending fails.
  void SendNext() {
    while (run_ && !run_->finished()) {
      netsnmp::PduPtr pdu = run_->NextRequest();
      if (!pdu) break;
      int reqid = snmp_sess_async_send(handle_.get(), pdu.get(), &Session::OnCallback, this);
      if (reqid != 0) {
        static_cast<void>(pdu.release());  // Net-SNMP owns it now
        in_flight_ = reqid;
        return;
      }
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
    self->run_->OnEvent(op, pdu);
    self->needs_send_ = true;
    return 1;
  }

  std::string fingerprint_;
  netsnmp::SessionHandle handle_;
  QueryRun* run_ = nullptr;
  int in_flight_ = 0;
  bool needs_send_ = false;
};

SnmpClient::SnmpClient() { InitNetSnmpOnce(); }
SnmpClient::~SnmpClient() = default;

void SnmpClient::ForgetExcept(const std::vector<std::string>& keep) {
  std::erase_if(sessions_, [&](const auto& entry) {
    return std::find(keep.begin(), keep.end(), entry.first) == keep.end();
  });
}

std::vector<SnmpResult> SnmpClient::Run(const std::vector<SnmpJob>& jobs) {
  std::vector<SnmpResult> results(jobs.size());
  std::vector<std::optional<QueryRun>> runs(jobs.size());
  std::vector<Session*> active(jobs.size(), nullptr);
  std::vector<bool> reused(jobs.size(), false);

  // Starts job i on its cached session, or on a new one. Leaves active[i] null on failure.
  auto start = [&](size_t i) {
    const SnmpJob& job = jobs[i];
    SnmpResult& result = results[i];
    auto started = result.started;
    result = SnmpResult{};
    result.started = started;
    runs[i].emplace(job.query, job.target.settings.version, job.target.settings.bulk_repetitions,
                    result);
    auto& cached = sessions_[job.target.name];
    reused[i] = cached && cached->fingerprint() == Session::Fingerprint(job.target);
    if (!reused[i]) {
      auto opened = Session::Open(job.target);
      if (!opened) {
        cached.reset();
        runs[i]->Fail(snmp_error::kSession, opened.error().message);
        result.elapsed = Clock::now() - result.started;
        return;
      }
      cached = std::move(*opened);
    }
    netsnmp_transport* transport = snmp_sess_transport(cached->handle());
    if (transport && transport->sock >= FD_SETSIZE) {
      runs[i]->Fail(snmp_error::kSession, "too many open sockets for select()");
      result.elapsed = Clock::now() - result.started;
      return;
    }
    cached->Start(&*runs[i]);
    active[i] = cached.get();
  };
  for (size_t i = 0; i < jobs.size(); ++i) {
    results[i].started = Clock::now();
    start(i);
  }

  auto any_active = [&] {
    return std::any_of(active.begin(), active.end(), [](Session* s) { return s != nullptr; });
  };
  while (any_active()) {
    fd_set readable;
    FD_ZERO(&readable);
    int max_fd = 0;
    Clock::time_point now = Clock::now();
    Clock::duration wait = std::chrono::seconds(1);
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (!active[i]) continue;
      int fds = 0, block = 1;
      timeval timeout{0, 0};
      snmp_sess_select_info(active[i]->handle(), &fds, &readable, &timeout, &block);
      max_fd = std::max(max_fd, fds);
      if (!block) {
        wait = std::min<Clock::duration>(wait, std::chrono::seconds(timeout.tv_sec) +
                                                   std::chrono::microseconds(timeout.tv_usec));
      }
      wait = std::min<Clock::duration>(wait, std::max<Clock::duration>(jobs[i].deadline - now, {}));
    }
    auto wait_us = std::chrono::duration_cast<std::chrono::microseconds>(wait).count();
    timeval tv{static_cast<time_t>(wait_us / 1'000'000),
               static_cast<suseconds_t>(wait_us % 1'000'000)};
    int ready = select(max_fd, &readable, nullptr, nullptr, &tv);

    now = Clock::now();
    for (size_t i = 0; i < jobs.size(); ++i) {
      Session* session = active[i];
      if (!session) continue;
      if (ready > 0) snmp_sess_read(session->handle(), &readable);
      snmp_sess_timeout(session->handle());  // retransmits, or reports a timeout
      if (session->TakeNeedsSend()) session->SendNext();
      if (runs[i]->finished()) {
        session->Abandon();
        active[i] = nullptr;
        results[i].elapsed = now - results[i].started;
        // An SNMPv3 session kept from an earlier round goes stale when the agent restarts
        // (engine boots and time move on). Before calling the device down, try a fresh one.
        // v1/v2c sessions hold no such state: a second try would only double the wait.
        if (!results[i].ok() && reused[i] && now < jobs[i].deadline &&
            jobs[i].target.settings.version == SnmpVersion::kV3) {
          sessions_.erase(jobs[i].target.name);
          start(i);
        }
      } else if (now >= jobs[i].deadline) {
        runs[i]->Fail(snmp_error::kDeadline, "poll deadline passed before the agent finished");
        // Its outstanding requests would answer into the next run: start afresh next time.
        sessions_.erase(jobs[i].target.name);
        active[i] = nullptr;
        results[i].elapsed = now - results[i].started;
      }
    }
  }
  return results;
}

}  // namespace lanwatch
