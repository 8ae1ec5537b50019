#include "probes/icmp/pending_probes.h"

#include <gtest/gtest.h>

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const Clock::time_point t0{std::chrono::seconds(1000)};

PendingProbe Probe(size_t target, uint64_t seq, uint64_t token, Clock::time_point sent) {
  PendingProbe p;
  p.target = target;
  p.sequence = seq;
  p.token = token;
  p.sent_steady = sent;
  p.deadline = sent + 2s;
  return p;
}

auto From(size_t target) {
  return [target](size_t t) { return t == target; };
}

TEST(PendingProbes, ReplyMatchesOnceThenIsADuplicate) {
  PendingProbes pending;
  pending.Add(10, Probe(0, 5, 111, t0));
  PendingProbe got;
  EXPECT_EQ(pending.Match(10, 111, From(0), &got), ReplyVerdict::kOurs);
  EXPECT_EQ(got.sequence, 5u);
  EXPECT_EQ(pending.size(), 0u);
  EXPECT_EQ(pending.Match(10, 111, From(0), &got), ReplyVerdict::kDuplicate);
  EXPECT_TRUE(pending.Expire(t0 + 5s).empty()) << "an answered probe is never lost as well";
}

TEST(PendingProbes, WrongTokenSourceOrSequenceIsForeignAndLeavesTheProbeWaiting) {
  PendingProbes pending;
  pending.Add(10, Probe(0, 5, 111, t0));
  PendingProbe got;
  EXPECT_EQ(pending.Match(10, 222, From(0), &got), ReplyVerdict::kForeign);
  EXPECT_EQ(pending.Match(10, 111, From(1), &got), ReplyVerdict::kForeign);
  EXPECT_EQ(pending.Match(11, 111, From(0), &got), ReplyVerdict::kForeign);
  EXPECT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending.Match(10, 111, From(0), &got), ReplyVerdict::kOurs);
}

TEST(PendingProbes, ExpiresInOrderAndALaterReplyIsLate) {
  PendingProbes pending;
  pending.Add(1, Probe(0, 0, 1, t0));
  pending.Add(2, Probe(1, 0, 2, t0 + 100ms));
  pending.Add(3, Probe(0, 1, 3, t0 + 200ms));
  EXPECT_EQ(pending.next_deadline(), t0 + 2s);
  PendingProbe got;
  ASSERT_EQ(pending.Match(2, 2, From(1), &got), ReplyVerdict::kOurs);
  EXPECT_TRUE(pending.Expire(t0 + 1999ms).empty());
  auto lost = pending.Expire(t0 + 2200ms);
  ASSERT_EQ(lost.size(), 2u);
  EXPECT_EQ(lost[0].token, 1u);
  EXPECT_EQ(lost[1].token, 3u);
  EXPECT_FALSE(pending.next_deadline());
  EXPECT_EQ(pending.Match(1, 1, From(0), &got), ReplyVerdict::kLate);
  // An error quoting only 8 bytes carries no token: matched on sequence and source alone.
  EXPECT_EQ(pending.Match(3, std::nullopt, From(0), &got), ReplyVerdict::kLate);
}

TEST(PendingProbes, ForgetsAfterAWhileAndASequenceCanComeRoundAgain) {
  PendingProbes pending(10s);
  pending.Add(1, Probe(0, 0, 1, t0));
  ASSERT_EQ(pending.Expire(t0 + 3s).size(), 1u);
  pending.Expire(t0 + 20s);
  PendingProbe got;
  EXPECT_EQ(pending.Match(1, 1, From(0), &got), ReplyVerdict::kForeign) << "forgotten";
  pending.Add(1, Probe(0, 70000, 9, t0 + 21s));
  EXPECT_EQ(pending.Match(1, 9, From(0), &got), ReplyVerdict::kOurs);
  EXPECT_EQ(got.sequence, 70000u);
}

}  // namespace
}  // namespace lanwatch
