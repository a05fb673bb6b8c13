#include "core/session/keepalive.h"

#include <chrono>
#include <set>

#include <gtest/gtest.h>

#include "core/protocol/binary/text_form.h"

namespace chorus::core::session {
namespace {

using namespace std::chrono_literals;

// Drives the keepalive to its next ping; returns when it was sent.
TimePoint pumpToPing(Keepalive& k, TimePoint& now) {
  const std::optional<TimePoint> due = k.nextDeadline();
  EXPECT_TRUE(due.has_value());
  now = *due;
  EXPECT_EQ(k.onTimer(now), KeepaliveAction::SendPing);
  return now;
}

TEST(Keepalive, IdleUntilStarted) {
  SeededRandom random(1);
  Keepalive k(random);
  EXPECT_FALSE(k.nextDeadline().has_value());
  EXPECT_EQ(k.onTimer(fromUnixSeconds(1'000)), KeepaliveAction::None);
}

TEST(Keepalive, PingIntervalsStayWithin20To30Seconds) {
  std::set<Millis::rep> seen;
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    SeededRandom random(seed);
    Keepalive k(random);
    TimePoint now = fromUnixSeconds(1'000);
    k.start(now);
    TimePoint last = now;
    for (int i = 0; i < 20; ++i) {
      const TimePoint sent = pumpToPing(k, now);
      EXPECT_GE(sent - last, 20s);
      EXPECT_LE(sent - last, 30s);
      seen.insert((sent - last).count());
      EXPECT_TRUE(k.isAwaitingResponse());
      now += 1s;
      k.onFrameReceived(now);  // the ping's result
      EXPECT_FALSE(k.isAwaitingResponse());
      last = sent;
    }
  }
  EXPECT_GT(seen.size(), 500u) << "intervals are drawn at random, not fixed";
}

TEST(Keepalive, NoFrameBeforeTheDeadlineIsDeath) {
  SeededRandom random(2);
  Keepalive k(random);
  TimePoint now = fromUnixSeconds(1'000);
  k.start(now);
  const TimePoint sent = pumpToPing(k, now);
  EXPECT_EQ(k.nextDeadline(), sent + 20s);
  EXPECT_EQ(k.onTimer(sent + 20s - 1ms), KeepaliveAction::None);
  EXPECT_EQ(k.onTimer(sent + 20s), KeepaliveAction::Dead);
  // Reported once; then the keepalive is stopped.
  EXPECT_FALSE(k.isRunning());
  EXPECT_EQ(k.onTimer(sent + 40s), KeepaliveAction::None);
  EXPECT_FALSE(k.nextDeadline().has_value());
}

TEST(Keepalive, AnyFrameCountsAsLiveness) {
  SeededRandom random(3);
  Keepalive k(random);
  TimePoint now = fromUnixSeconds(1'000);
  k.start(now);
  const TimePoint sent = pumpToPing(k, now);
  k.onFrameReceived(sent + 19s);  // e.g. a message, not the ping's result
  EXPECT_EQ(k.onTimer(sent + 20s), KeepaliveAction::None);
  ASSERT_TRUE(k.nextDeadline().has_value());
  EXPECT_GE(*k.nextDeadline(), sent + 20s);
  EXPECT_LE(*k.nextDeadline(), sent + 30s);
}

TEST(Keepalive, FramesWithoutAnOutstandingPingDoNotPostponeIt) {
  SeededRandom random(4);
  Keepalive k(random);
  const TimePoint start = fromUnixSeconds(1'000);
  k.start(start);
  const TimePoint due = *k.nextDeadline();
  k.onFrameReceived(due - 1s);
  EXPECT_EQ(k.nextDeadline(), due);
  EXPECT_EQ(k.onTimer(due), KeepaliveAction::SendPing);
}

TEST(Keepalive, LateTimerAfterSleepIsDeath) {
  SeededRandom random(5);
  Keepalive k(random);
  TimePoint now = fromUnixSeconds(1'000);
  k.start(now);
  const TimePoint sent = pumpToPing(k, now);
  // The machine slept: the next input comes an hour later, with no frame in between.
  EXPECT_EQ(k.onTimer(sent + 1h), KeepaliveAction::Dead);
  // A frame that arrives after the deadline does not revive a dead connection.
  Keepalive k2(random);
  now = fromUnixSeconds(1'000);
  k2.start(now);
  const TimePoint sent2 = pumpToPing(k2, now);
  k2.onFrameReceived(sent2 + 21s);
  EXPECT_EQ(k2.onTimer(sent2 + 21s), KeepaliveAction::Dead);
}

TEST(Keepalive, StopAndRestart) {
  SeededRandom random(6);
  Keepalive k(random);
  TimePoint now = fromUnixSeconds(1'000);
  k.start(now);
  (void)pumpToPing(k, now);
  k.stop();
  EXPECT_EQ(k.onTimer(now + 1h), KeepaliveAction::None);
  k.start(now + 1h);
  EXPECT_FALSE(k.isAwaitingResponse());
  EXPECT_GE(*k.nextDeadline(), now + 1h + 20s);
}

TEST(Keepalive, CustomOptions) {
  SeededRandom random(7);
  Keepalive k(random, KeepaliveOptions{100ms, 100ms, 50ms});
  TimePoint now = fromUnixSeconds(1'000);
  k.start(now);
  EXPECT_EQ(k.nextDeadline(), now + 100ms);
  EXPECT_EQ(k.onTimer(now + 100ms), KeepaliveAction::SendPing);
  EXPECT_EQ(k.onTimer(now + 150ms), KeepaliveAction::Dead);
}

TEST(Keepalive, PingNode) {
  const binary::Node ping = buildPing("123.4");
  EXPECT_EQ(ping.tag, "iq");
  EXPECT_EQ(ping.attrText("id"), "123.4");
  EXPECT_EQ(ping.attrText("to"), "s.whatsapp.net");
  EXPECT_EQ(ping.attrText("type"), "get");
  EXPECT_EQ(ping.attrText("xmlns"), "w:p");
  ASSERT_NE(ping.child("ping"), nullptr);
  EXPECT_FALSE(binary::toText(ping).empty());
}

}  // namespace
}  // namespace chorus::core::session
