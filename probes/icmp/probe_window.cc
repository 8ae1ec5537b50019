#include "probes/icmp/probe_window.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace lanwatch {

void ProbeWindow::Add(Clock::time_point sent_at, std::optional<std::chrono::nanoseconds> rtt) {
  ++sent_total_;
  std::optional<double> seconds;
  if (rtt) {
    seconds = std::chrono::duration<double>(*rtt).count();
    for (size_t i = 0; i < kRttBucketBounds.size(); ++i)
      if (*seconds <= kRttBucketBounds[i]) ++histogram_.cumulative[i];
    ++histogram_.count;
    histogram_.sum_seconds += *seconds;
  } else {
    ++lost_total_;
  }
  probes_.push_back({sent_at, seconds});
  if (!newest_ || sent_at > *newest_) newest_ = sent_at;
  // Nothing sent a window before the newest probe can be in a window again.
  while (!probes_.empty() && probes_.front().sent_at <= *newest_ - window_) probes_.pop_front();
}

WindowSummary ProbeWindow::Summary(Clock::time_point now) const {
  std::vector<Probe> in;
  for (const Probe& p : probes_)
    if (p.sent_at > now - window_ && p.sent_at <= now) in.push_back(p);
  std::stable_sort(in.begin(), in.end(),
                   [](const Probe& a, const Probe& b) { return a.sent_at < b.sent_at; });

  WindowSummary s;
  std::vector<double> rtts;
  for (const Probe& p : in) {
    ++s.sent;
    if (p.rtt_seconds)
      rtts.push_back(*p.rtt_seconds);
    else
      ++s.lost;
  }
  if (s.sent > 0) s.loss_ratio = static_cast<double>(s.lost) / static_cast<double>(s.sent);
  for (auto p = in.rbegin(); p != in.rend() && !p->rtt_seconds; ++p) {
    ++s.trailing_lost;
    s.silent_seconds = std::chrono::duration<double>(now - p->sent_at).count();
  }
  if (rtts.empty()) return s;

  if (rtts.size() >= 2) {
    double total = 0;
    for (size_t i = 1; i < rtts.size(); ++i) total += std::fabs(rtts[i] - rtts[i - 1]);
    s.jitter_seconds = total / static_cast<double>(rtts.size() - 1);
  }
  std::sort(rtts.begin(), rtts.end());
  s.rtt_min_seconds = rtts.front();
  s.rtt_max_seconds = rtts.back();
  size_t mid = rtts.size() / 2;
  s.rtt_median_seconds = rtts.size() % 2 ? rtts[mid] : (rtts[mid - 1] + rtts[mid]) / 2;
  return s;
}

}  // namespace lanwatch
