#include "probes/icmp/icmp_prober.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <random>
#include <thread>

#include "probes/icmp/icmp_packet.h"
#include "probes/icmp/icmp_socket.h"
#include "probes/icmp/pending_probes.h"
#include "probes/icmp/probe_schedule.h"

namespace lanwatch {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::nanoseconds;
// A wake-up also sends what is due within this much more (each request to its own target:
// none sees a burst), and the thread wakes this late for a timeout, so that at many targets a
// second one wake-up sends several requests and expires several probes. Never more than a
// quarter of the shortest interval, so that no target is sent two requests at once.
constexpr auto kWakeSlack = std::chrono::milliseconds(10);
// Replies are read at the next wake-up when that is at most this far off, rather than wake
// the thread each; the kernel's receive timestamp keeps their RTT exact.
constexpr auto kCoalesceReads = kWakeSlack + std::chrono::milliseconds(5);

std::chrono::system_clock::time_point ToSystem(const timespec& ts) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(ts.tv_sec) + nanoseconds(ts.tv_nsec)));
}

struct Target {
  std::string text;
  IcmpAddress address;
  nanoseconds interval;
  uint64_t next_sequence = 0;
};

// One socket and the probes in flight on it.
struct Channel {
  IcmpSocket socket;
  PendingProbes pending;
  uint16_t next_wire_sequence = 0;
};

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

std::expected<IcmpSocket, Error> OpenIn(IpFamily family, IcmpProberOptions::Mode mode,
                                        IcmpSocketMode* got) {
  if (mode != IcmpProberOptions::Mode::kRaw) {
    auto sock = IcmpSocket::Open(family, IcmpSocketMode::kDatagram);
    if (sock || mode == IcmpProberOptions::Mode::kDatagram) {
      if (sock) *got = IcmpSocketMode::kDatagram;
      return sock;
    }
    // Not admitted by ping_group_range (EACCES): raw sockets, if we hold CAP_NET_RAW.
    auto raw = IcmpSocket::Open(family, IcmpSocketMode::kRaw);
    if (raw) *got = IcmpSocketMode::kRaw;
    if (!raw) return std::unexpected(Error(sock.error().message + "; " + raw.error().message));
    return raw;
  }
  auto raw = IcmpSocket::Open(family, IcmpSocketMode::kRaw);
  if (raw) *got = IcmpSocketMode::kRaw;
  return raw;
}

}  // namespace

struct IcmpProber::Impl {
  IcmpProberOptions options;
  std::vector<Target> targets;
  std::optional<Channel> v4, v6;
  IcmpSocketMode mode = IcmpSocketMode::kDatagram;
  Fd stop{eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)};
  std::mt19937_64 tokens;
  std::function<void(const ProbeResult&)> on_result;
  std::thread thread;

  std::atomic<uint64_t> foreign{0}, duplicates{0}, late{0}, malformed{0}, without_kernel_time{0};

  Channel& ChannelFor(IpFamily f) { return f == IpFamily::kV4 ? *v4 : *v6; }
  void Run();
  void Send(size_t index);
  void Read(Channel& channel, short revents);
  void Emit(const PendingProbe& probe, ProbeOutcome outcome, std::optional<nanoseconds> rtt,
            std::string error);
};

std::expected<std::unique_ptr<IcmpProber>, Error> IcmpProber::Open(
    const std::vector<IcmpTarget>& targets, IcmpProberOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (targets.empty()) return std::unexpected(Error("icmp prober: no targets"));
  if (options.timeout <= nanoseconds(0))
    return std::unexpected(Error("icmp prober: the timeout must be positive"));
  bool want_v4 = false, want_v6 = false;
  for (const IcmpTarget& t : targets) {
    auto address = IcmpAddress::Parse(t.address);
    if (!address)
      return std::unexpected(
          Error(fmt::format("icmp target '{}': not a numeric IPv4 or IPv6 address", t.address)));
    if (t.interval <= nanoseconds(0))
      return std::unexpected(
          Error(fmt::format("icmp target {}: interval must be positive", t.address)));
    (address->family == IpFamily::kV4 ? want_v4 : want_v6) = true;
    impl->targets.push_back({t.address, *address, t.interval});
  }
  if (impl->stop.fd < 0)
    return std::unexpected(Error(fmt::format("icmp prober: eventfd: {}", std::strerror(errno))));

  // One kind of socket for both families: ping_group_range governs ICMPv6 datagram sockets too,
  // so where IPv4 needs raw sockets IPv6 does as well.
  auto mode = options.mode;
  for (IpFamily family : {IpFamily::kV4, IpFamily::kV6}) {
    if (!(family == IpFamily::kV4 ? want_v4 : want_v6)) continue;
    IcmpSocketMode got = IcmpSocketMode::kDatagram;
    auto sock = OpenIn(family, mode, &got);
    if (!sock) return std::unexpected(sock.error().context("icmp prober"));
    mode = got == IcmpSocketMode::kRaw ? IcmpProberOptions::Mode::kRaw
                                       : IcmpProberOptions::Mode::kDatagram;
    impl->mode = got;
    auto& channel = family == IpFamily::kV4 ? impl->v4 : impl->v6;
    channel.emplace(Channel{std::move(*sock), PendingProbes{}, 0});
  }
  // Where IPv4 fell back to raw after IPv6 got a datagram socket (not seen on Linux, but
  // cheap to rule out): one mode for both.
  if (impl->v4 && impl->v6 && impl->v4->socket.mode() != impl->v6->socket.mode()) {
    auto raw = IcmpSocket::Open(IpFamily::kV6, IcmpSocketMode::kRaw);
    if (!raw) return std::unexpected(raw.error().context("icmp prober"));
    impl->v6.emplace(Channel{std::move(*raw), PendingProbes{}, 0});
  }
  uint64_t seed = 0;
  if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed)) seed = static_cast<uint64_t>(getpid());
  impl->tokens.seed(seed);
  return std::unique_ptr<IcmpProber>(new IcmpProber(std::move(impl)));
}

IcmpProber::IcmpProber(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

IcmpProber::~IcmpProber() {
  if (impl_->thread.joinable()) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(impl_->stop.fd, &one, sizeof(one));
    impl_->thread.join();
  }
}

const char* IcmpProber::mode() const { return ModeName(impl_->mode); }

void IcmpProber::Start(std::function<void(const ProbeResult&)> on_result) {
  impl_->on_result = std::move(on_result);
  impl_->thread = std::thread([impl = impl_.get()] { impl->Run(); });
}

IcmpProberCounters IcmpProber::counters() const {
  return {impl_->foreign.load(), impl_->duplicates.load(), impl_->late.load(),
          impl_->malformed.load(), impl_->without_kernel_time.load()};
}

void IcmpProber::Impl::Run() {
  std::vector<Steady::duration> intervals;
  Steady::duration slack = kWakeSlack;
  for (const Target& t : targets) {
    intervals.push_back(t.interval);
    slack = std::min<Steady::duration>(slack, t.interval / 4);
  }
  ProbeSchedule schedule(intervals, Steady::now());

  std::vector<pollfd> fds = {{stop.fd, POLLIN, 0}};
  std::vector<Channel*> polled;
  for (auto* c : {&v4, &v6})
    if (*c) {
      fds.push_back({(*c)->socket.fd(), POLLIN, 0});  // POLLERR (the error queue) is implied
      polled.push_back(&**c);
    }

  for (;;) {
    // Replies first (the last wait may have ended on one, or on a send due), so that none
    // that has arrived is taken for lost below. Without one waiting this is one recvmsg.
    for (size_t i = 0; i < polled.size(); ++i) {
      Read(*polled[i], static_cast<short>(fds[i + 1].revents | POLLIN));
    }
    Steady::time_point now = Steady::now();
    while (schedule.next_due() <= now + slack) {
      Send(schedule.Pop(now));
      now = Steady::now();
    }
    Steady::time_point wake = schedule.next_due();
    for (Channel* c : polled) {
      for (const PendingProbe& lost : c->pending.Expire(now))
        Emit(lost, ProbeOutcome::kLost, std::nullopt, "");
      if (auto deadline = c->pending.next_deadline(); deadline && *deadline + slack < wake)
        wake = *deadline + slack;
    }
    auto wait = std::max(Steady::duration(0), wake - Steady::now());
    // Errors (POLLERR) wake the thread whatever `events` says.
    const short want = wait <= kCoalesceReads ? 0 : POLLIN;
    for (size_t i = 1; i < fds.size(); ++i) fds[i].events = want;
    timespec ts{static_cast<time_t>(wait / std::chrono::seconds(1)),
                static_cast<long>((wait % std::chrono::seconds(1)) / nanoseconds(1))};
    if (ppoll(fds.data(), fds.size(), &ts, nullptr) < 0 && errno != EINTR) return;
    if (fds[0].revents) return;  // stop
  }
}

void IcmpProber::Impl::Send(size_t index) {
  Target& target = targets[index];
  Channel& channel = ChannelFor(target.address.family);
  PendingProbe probe;
  probe.target = index;
  probe.sequence = target.next_sequence++;
  probe.token = tokens();
  const uint16_t wire_sequence = channel.next_wire_sequence++;
  auto packet = BuildEchoRequest(target.address.family,
                                 {channel.socket.identifier(), wire_sequence, probe.token});
  timespec sent{};
  clock_gettime(CLOCK_REALTIME, &sent);  // just before sendto: RTT is kernel time minus this
  probe.sent_steady = Steady::now();
  int error = channel.socket.Send(packet, target.address);
  probe.sent_at = ToSystem(sent);
  probe.deadline = probe.sent_steady + options.timeout;
  if (error != 0) {
    Emit(probe, ProbeOutcome::kError, std::nullopt,
         fmt::format("sendto: {}", std::strerror(error)));
    return;
  }
  channel.pending.Add(wire_sequence, probe);
}

void IcmpProber::Impl::Read(Channel& channel, short revents) {
  const IpFamily family = channel.socket.family();
  const bool with_ip_header =
      family == IpFamily::kV4 && channel.socket.mode() == IcmpSocketMode::kRaw;
  // Errors first (POLLERR), then replies; a bounded number per wake-up, so that a flood
  // cannot keep the thread from sending.
  bool error_queue = revents & POLLERR;
  for (int n = 0; n < 256; ++n) {
    auto got = channel.socket.Receive(error_queue);
    if (!got && error_queue && (revents & POLLIN)) {
      error_queue = false;
      continue;
    }
    if (!got) return;
    auto fields = got->is_error ? ParseQuotedEchoRequest(family, got->bytes)
                                : ParseEchoReply(family, got->bytes, with_ip_header);
    if (!fields) {
      ++malformed;
      continue;
    }
    // Raw sockets see every echo reply the host gets; datagram ones only their own (the
    // kernel wrote its identifier into our request and demultiplexes on it).
    if (fields->identifier != channel.socket.identifier() || (!got->is_error && !fields->token)) {
      ++foreign;
      continue;
    }
    auto is_from = [&](size_t t) { return targets[t].address.SameHost(got->from); };
    PendingProbe probe;
    switch (channel.pending.Match(fields->sequence, fields->token, is_from, &probe)) {
      case ReplyVerdict::kForeign:
        ++foreign;
        continue;
      case ReplyVerdict::kDuplicate:
        ++duplicates;
        continue;
      case ReplyVerdict::kLate:
        ++late;
        continue;
      case ReplyVerdict::kOurs:
        break;
    }
    if (got->is_error) {
      Emit(probe, ProbeOutcome::kError, std::nullopt, got->error_text);
    } else if (!got->kernel_time) {
      ++without_kernel_time;
      Emit(probe, ProbeOutcome::kError, std::nullopt, "reply without a kernel timestamp");
    } else {
      auto rtt = ToSystem(*got->kernel_time) - probe.sent_at;
      if (rtt < nanoseconds(0)) {
        Emit(probe, ProbeOutcome::kError, std::nullopt, "the realtime clock stepped back");
      } else if (rtt > options.timeout) {
        // Read before its (slack-late) expiry, but it came after the timeout: lost, as a
        // reply read later would have been, whatever the moment the thread woke.
        ++late;
        Emit(probe, ProbeOutcome::kLost, std::nullopt, "");
      } else {
        Emit(probe, ProbeOutcome::kReply, std::chrono::duration_cast<nanoseconds>(rtt), "");
      }
    }
  }
}

void IcmpProber::Impl::Emit(const PendingProbe& probe, ProbeOutcome outcome,
                            std::optional<nanoseconds> rtt, std::string error) {
  if (!on_result) return;
  ProbeResult r;
  r.target = targets[probe.target].text;
  r.sequence = probe.sequence;
  r.sent_at = probe.sent_at;
  r.sent_steady = probe.sent_steady;
  r.outcome = outcome;
  r.rtt = rtt;
  r.error = std::move(error);
  on_result(r);
}

}  // namespace lanwatch
