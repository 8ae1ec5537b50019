#include "probes/icmp/pending_probes.h"

namespace lanwatch {

void PendingProbes::Add(uint16_t wire_sequence, const PendingProbe& probe) {
  done_.erase(wire_sequence);  // the sequence came round again: its old probe is history
  waiting_[wire_sequence] = probe;
  order_.push_back(wire_sequence);
}

ReplyVerdict PendingProbes::Match(uint16_t wire_sequence, std::optional<uint64_t> token,
                                  const std::function<bool(size_t target)>& is_from,
                                  PendingProbe* probe) {
  auto same = [&](size_t t, uint64_t sent) { return is_from(t) && (!token || *token == sent); };
  if (auto it = waiting_.find(wire_sequence); it != waiting_.end()) {
    if (!same(it->second.target, it->second.token)) return ReplyVerdict::kForeign;
    if (probe) *probe = it->second;
    // Remembered until as long after its deadline as an expired one would be.
    done_[wire_sequence] = {it->second.target, it->second.token, true,
                            it->second.deadline + remember_};
    done_order_.push_back(wire_sequence);
    waiting_.erase(it);
    return ReplyVerdict::kOurs;
  }
  if (auto it = done_.find(wire_sequence);
      it != done_.end() && same(it->second.target, it->second.token))
    return it->second.answered ? ReplyVerdict::kDuplicate : ReplyVerdict::kLate;
  return ReplyVerdict::kForeign;
}

std::deque<PendingProbe> PendingProbes::Expire(Clock::time_point now) {
  std::deque<PendingProbe> lost;
  while (!order_.empty()) {
    auto it = waiting_.find(order_.front());
    if (it == waiting_.end()) {  // answered already
      order_.pop_front();
      continue;
    }
    if (it->second.deadline > now) break;
    lost.push_back(it->second);
    done_[it->first] = {it->second.target, it->second.token, false, now + remember_};
    done_order_.push_back(it->first);
    waiting_.erase(it);
    order_.pop_front();
  }
  Forget(now);
  return lost;
}

std::optional<PendingProbes::Clock::time_point> PendingProbes::next_deadline() const {
  for (uint16_t seq : order_)
    if (auto it = waiting_.find(seq); it != waiting_.end()) return it->second.deadline;
  return std::nullopt;
}

void PendingProbes::Forget(Clock::time_point now) {
  while (!done_order_.empty()) {
    auto it = done_.find(done_order_.front());
    if (it != done_.end() && it->second.forget_at > now) break;
    if (it != done_.end()) done_.erase(it);
    done_order_.pop_front();
  }
}

}  // namespace lanwatch
