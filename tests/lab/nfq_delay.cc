// nfq_delay: holds every packet of an NFQUEUE for a fixed time before accepting it: the lab's
// stand-in for `netem delay` on kernels without netem. Packets keep their order.
//   nfq_delay --queue 7 --delay-ms 40
// Runs until SIGTERM/SIGINT. The lab points an iptables NFQUEUE rule at it.
// clang-format off: glibc's socket headers must come before the netfilter ones.
#include <arpa/inet.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <poll.h>
#include <sys/socket.h>
// clang-format on

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>

#ifndef NF_ACCEPT
#define NF_ACCEPT 1
#endif

namespace {

using Clock = std::chrono::steady_clock;

struct Held {
  uint32_t id;
  Clock::time_point release;
};

struct Queue {
  std::deque<Held> held;
  Clock::duration delay;
};

volatile std::sig_atomic_t stop = 0;

int OnPacket(nfq_q_handle*, nfgenmsg*, nfq_data* data, void* context) {
  auto* queue = static_cast<Queue*>(context);
  nfqnl_msg_packet_hdr* header = nfq_get_msg_packet_hdr(data);
  if (header) queue->held.push_back({ntohl(header->packet_id), Clock::now() + queue->delay});
  return 0;
}

struct HandleCloser {
  void operator()(nfq_handle* h) const noexcept { nfq_close(h); }
};
struct QueueCloser {
  void operator()(nfq_q_handle* q) const noexcept { nfq_destroy_queue(q); }
};

}  // namespace

int main(int argc, char** argv) {
  int queue_num = 0;
  long delay_ms = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--queue") == 0) queue_num = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--delay-ms") == 0) delay_ms = std::atol(argv[i + 1]);
  }
  if (delay_ms <= 0) {
    std::fprintf(stderr, "usage: nfq_delay --queue N --delay-ms MS\n");
    return 2;
  }
  std::signal(SIGTERM, [](int) { stop = 1; });
  std::signal(SIGINT, [](int) { stop = 1; });

  Queue queue{{}, std::chrono::milliseconds(delay_ms)};
  std::unique_ptr<nfq_handle, HandleCloser> handle(nfq_open());
  if (!handle) {
    std::perror("nfq_open");
    return 1;
  }
  std::unique_ptr<nfq_q_handle, QueueCloser> q(
      nfq_create_queue(handle.get(), static_cast<uint16_t>(queue_num), &OnPacket, &queue));
  if (!q || nfq_set_mode(q.get(), NFQNL_COPY_META, 0) < 0) {
    std::perror("nfq_create_queue");
    return 1;
  }
  nfq_set_queue_maxlen(q.get(), 65536);
  int fd = nfq_fd(handle.get());
  char buffer[65536];
  while (!stop) {
    int timeout_ms = 100;
    if (!queue.held.empty()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(queue.held.front().release -
                                                                        Clock::now());
      timeout_ms = static_cast<int>(std::max<long>(0, left.count()));
    }
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, timeout_ms) > 0) {
      ssize_t n = recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
      if (n > 0) nfq_handle_packet(handle.get(), buffer, static_cast<int>(n));
    }
    auto now = Clock::now();
    while (!queue.held.empty() && queue.held.front().release <= now) {
      nfq_set_verdict(q.get(), queue.held.front().id, NF_ACCEPT, 0, nullptr);
      queue.held.pop_front();
    }
  }
  for (const Held& h : queue.held) nfq_set_verdict(q.get(), h.id, NF_ACCEPT, 0, nullptr);
  return 0;
}
