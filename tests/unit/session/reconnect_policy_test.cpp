#include "core/session/reconnect_policy.h"

#include <chrono>
#include <cmath>
#include <set>

#include <gtest/gtest.h>

namespace chorus::core::session {
namespace {

using namespace std::chrono_literals;
using State = api::ConnectionState;

const TimePoint kT0 = fromUnixSeconds(1'700'000'000);

DisconnectReason stateReason(State state, int code = 0) {
  DisconnectReason r;
  r.state = state;
  r.source = DisconnectSource::LoginFailure;
  r.code = code;
  r.detail = std::string(api::stateName(state));
  return r;
}

DisconnectReason restart() {
  DisconnectReason r = stateReason(State::Reconnecting, 515);
  r.source = DisconnectSource::StreamError;
  r.restartRequired = true;
  r.retryImmediately = true;
  return r;
}

DisconnectReason tempBan(TimePoint expiry) {
  DisconnectReason r = stateReason(State::Banned, 402);
  r.banCode = 101;
  r.banExpiry = expiry;
  return r;
}

// A started policy with a live, logged-in connection at `now`.
void connectAndLogin(ReconnectPolicy& p, TimePoint now) {
  ASSERT_TRUE(p.shouldConnect(now));
  ASSERT_TRUE(p.onConnectStarted(now));
  p.onConnected(now);
  ASSERT_EQ(p.state(), State::Ready);
}

void expectWithinJitter(TimePoint base, std::optional<TimePoint> at, Millis nominal,
                        double jitter = 0.2) {
  ASSERT_TRUE(at.has_value());
  const auto delay = static_cast<double>((*at - base).count());
  const auto n = static_cast<double>(nominal.count());
  EXPECT_GE(delay, std::floor(n * (1 - jitter)));
  EXPECT_LE(delay, std::ceil(n * (1 + jitter)));
}

TEST(ReconnectPolicy, StartsStoppedAndConnectsOnUserRequest) {
  SeededRandom random(1);
  ReconnectPolicy p(random, {}, State::Disconnected, kT0);
  EXPECT_TRUE(p.isStopped());
  EXPECT_FALSE(p.shouldConnect(kT0 + 1h));
  EXPECT_FALSE(p.nextDeadline().has_value());
  EXPECT_FALSE(p.onConnectStarted(kT0));

  EXPECT_TRUE(p.onUserConnect(kT0));
  EXPECT_EQ(p.nextDeadline(), kT0);
  connectAndLogin(p, kT0);
  EXPECT_EQ(p.status().since, kT0);
  EXPECT_FALSE(p.status().downSince.has_value());
  EXPECT_FALSE(p.nextDeadline().has_value());
}

TEST(ReconnectPolicy, OneConnectAtATime) {
  SeededRandom random(2);
  ReconnectPolicy p(random);
  ASSERT_TRUE(p.onUserConnect(kT0));
  ASSERT_TRUE(p.onConnectStarted(kT0));
  EXPECT_EQ(p.state(), State::Connecting);
  EXPECT_FALSE(p.shouldConnect(kT0 + 1h));
  EXPECT_FALSE(p.onConnectStarted(kT0 + 1s));
  EXPECT_TRUE(p.onUserConnect(kT0 + 2s)) << "harmless while live";
  EXPECT_FALSE(p.shouldConnect(kT0 + 2s));
  p.onNetworkUp(kT0 + 3s);
  EXPECT_FALSE(p.shouldConnect(kT0 + 3s));
  EXPECT_FALSE(p.nextDeadline().has_value());
}

TEST(ReconnectPolicy, BackoffSequenceWithJitterBoundsThenSlowRetries) {
  const Millis nominal[] = {5s, 10s, 20s, 40s, 80s};
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    SCOPED_TRACE(seed);
    SeededRandom random(seed);
    ReconnectPolicy p(random);
    TimePoint now = kT0;
    ASSERT_TRUE(p.onUserConnect(now));
    connectAndLogin(p, now);
    const TimePoint dropAt = now + 1h;
    now = dropAt;
    ASSERT_TRUE(p.onDisconnected(transportClosed(), now));
    for (int i = 0; i < 5; ++i) {
      EXPECT_EQ(p.state(), State::Reconnecting);
      EXPECT_EQ(p.status().attempt, i + 1);
      EXPECT_EQ(p.status().downSince, dropAt);
      expectWithinJitter(now, p.status().nextRetryAt, nominal[i]);
      EXPECT_EQ(p.nextDeadline(), p.status().nextRetryAt);
      EXPECT_FALSE(p.shouldConnect(*p.nextDeadline() - 1ms));
      now = *p.nextDeadline();
      ASSERT_TRUE(p.onConnectStarted(now));
      EXPECT_EQ(p.state(), State::Connecting);
      ASSERT_TRUE(p.onDisconnected(transportClosed(), now + 1s));
      now += 1s;
    }
    // Fast attempts spent: disconnected, slow retries every 5 min, forever.
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(p.state(), State::Disconnected);
      EXPECT_EQ(p.status().attempt, 0);
      expectWithinJitter(now, p.status().nextRetryAt, 5min);
      now = *p.nextDeadline();
      ASSERT_TRUE(p.onConnectStarted(now));
      ASSERT_TRUE(p.onDisconnected(keepaliveTimeout(), now));
    }
    EXPECT_EQ(p.status().downSince, dropAt);
  }
}

TEST(ReconnectPolicy, JitterActuallyVaries) {
  std::set<std::int64_t> delays;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    SeededRandom random(seed);
    ReconnectPolicy p(random);
    (void)p.onUserConnect(kT0);
    connectAndLogin(p, kT0);
    (void)p.onDisconnected(transportClosed(), kT0);
    delays.insert((*p.nextDeadline() - kT0).count());
  }
  EXPECT_GT(delays.size(), 15u);
}

TEST(ReconnectPolicy, ScaledOptionsForTests) {
  SeededRandom random(3);
  ReconnectPolicy p(random, ReconnectOptions{10ms, 2, 1s, 0.0});
  (void)p.onUserConnect(kT0);
  connectAndLogin(p, kT0);
  (void)p.onDisconnected(transportClosed(), kT0);
  EXPECT_EQ(p.nextDeadline(), kT0 + 10ms);
  (void)p.onConnectStarted(kT0 + 10ms);
  (void)p.onDisconnected(transportClosed(), kT0 + 10ms);
  EXPECT_EQ(p.nextDeadline(), kT0 + 30ms);
  (void)p.onConnectStarted(kT0 + 30ms);
  (void)p.onDisconnected(transportClosed(), kT0 + 30ms);
  EXPECT_EQ(p.state(), State::Disconnected);
  EXPECT_EQ(p.nextDeadline(), kT0 + 30ms + 1s);
}

TEST(ReconnectPolicy, SuccessfulLoginResetsTheSequence) {
  SeededRandom random(4);
  ReconnectPolicy p(random, ReconnectOptions{5s, 5, 5min, 0.0});
  (void)p.onUserConnect(kT0);
  connectAndLogin(p, kT0);
  TimePoint now = kT0;
  for (int i = 0; i < 3; ++i) {
    (void)p.onDisconnected(transportClosed(), now);
    now = *p.nextDeadline();
    (void)p.onConnectStarted(now);
  }
  p.onConnected(now);
  EXPECT_EQ(p.status().attempt, 0);
  EXPECT_FALSE(p.status().downSince.has_value());
  (void)p.onDisconnected(transportClosed(), now);
  EXPECT_EQ(p.status().attempt, 1);
  EXPECT_EQ(p.nextDeadline(), now + 5s);
}

TEST(ReconnectPolicy, RestartRequiredReconnectsAtOnce) {
  SeededRandom random(5);
  ReconnectPolicy p(random);
  (void)p.onUserConnect(kT0);
  ASSERT_TRUE(p.onConnectStarted(kT0));  // pairing happens on this connection
  const TimePoint now = kT0 + 30s;
  ASSERT_TRUE(p.onDisconnected(restart(), now));
  EXPECT_EQ(p.state(), State::Connecting);
  EXPECT_EQ(p.status().reasonCode, 515);
  EXPECT_EQ(p.nextDeadline(), now);
  EXPECT_TRUE(p.shouldConnect(now));
  ASSERT_TRUE(p.onConnectStarted(now));
  p.onConnected(now + 1s);
  EXPECT_EQ(p.state(), State::Ready);
}

TEST(ReconnectPolicy, Repeated515FallsBackToBackoff) {
  SeededRandom random(6);
  ReconnectPolicy p(random, ReconnectOptions{5s, 5, 5min, 0.0});
  (void)p.onUserConnect(kT0);
  TimePoint now = kT0;
  for (int i = 0; i < kMaxImmediateRestarts; ++i) {
    ASSERT_TRUE(p.onConnectStarted(now));
    ASSERT_TRUE(p.onDisconnected(restart(), now));
    EXPECT_EQ(p.nextDeadline(), now);
  }
  ASSERT_TRUE(p.onConnectStarted(now));
  ASSERT_TRUE(p.onDisconnected(restart(), now));
  EXPECT_EQ(p.state(), State::Reconnecting);
  EXPECT_EQ(p.nextDeadline(), now + 5s);
}

TEST(ReconnectPolicy, TerminalStatesNeverRetry) {
  for (const State terminal : {State::LoggedOut, State::Replaced, State::Outdated, State::Banned}) {
    SCOPED_TRACE(api::stateName(terminal));
    SeededRandom random(7);
    ReconnectPolicy p(random);
    (void)p.onUserConnect(kT0);
    connectAndLogin(p, kT0);
    ASSERT_TRUE(p.onDisconnected(stateReason(terminal), kT0 + 1s));
    EXPECT_EQ(p.state(), terminal);
    EXPECT_EQ(p.status().since, kT0 + 1s);
    EXPECT_FALSE(p.nextDeadline().has_value());
    EXPECT_FALSE(p.shouldConnect(kT0 + 365 * 24h));
    p.onNetworkUp(kT0 + 2s);
    EXPECT_FALSE(p.shouldConnect(kT0 + 2s));
    // A later drop of the same (already ended) connection changes nothing.
    EXPECT_FALSE(p.onDisconnected(transportClosed(), kT0 + 3s));
    EXPECT_EQ(p.state(), terminal);
    // Stopping keeps the terminal state visible.
    p.onUserDisconnect(kT0 + 4s);
    EXPECT_EQ(p.state(), terminal);
  }
}

TEST(ReconnectPolicy, UserCanRetryAfterTerminalState) {
  SeededRandom random(8);
  ReconnectPolicy p(random);
  (void)p.onUserConnect(kT0);
  connectAndLogin(p, kT0);
  (void)p.onDisconnected(stateReason(State::Replaced), kT0);
  EXPECT_TRUE(p.onUserConnect(kT0 + 1min));
  EXPECT_TRUE(p.shouldConnect(kT0 + 1min));
  connectAndLogin(p, kT0 + 1min);
}

TEST(ReconnectPolicy, TemporaryBanWaitsForExpiryThenTriesOnce) {
  SeededRandom random(9);
  ReconnectPolicy p(random);
  (void)p.onUserConnect(kT0);
  ASSERT_TRUE(p.onConnectStarted(kT0));
  const TimePoint expiry = kT0 + 1h;
  ASSERT_TRUE(p.onDisconnected(tempBan(expiry), kT0));
  EXPECT_EQ(p.state(), State::Banned);
  EXPECT_EQ(p.status().bannedUntil, expiry);
  EXPECT_EQ(p.status().nextRetryAt, expiry);
  EXPECT_EQ(p.nextDeadline(), expiry);

  // Nothing brings the retry forward: not the network, not the user.
  p.onNetworkUp(kT0 + 1min);
  EXPECT_FALSE(p.shouldConnect(expiry - 1ms));
  EXPECT_FALSE(p.onUserConnect(kT0 + 2min));
  EXPECT_FALSE(p.onConnectStarted(expiry - 1ms));

  // One attempt at the expiry; banned again → wait for the new expiry.
  ASSERT_TRUE(p.shouldConnect(expiry));
  ASSERT_TRUE(p.onConnectStarted(expiry));
  EXPECT_FALSE(p.status().bannedUntil.has_value());
  ASSERT_TRUE(p.onDisconnected(tempBan(expiry + 2h), expiry));
  EXPECT_EQ(p.nextDeadline(), expiry + 2h);
  EXPECT_FALSE(p.shouldConnect(expiry + 1h));

  // The attempt at the second expiry fails transiently: ordinary backoff from attempt 1.
  ASSERT_TRUE(p.onConnectStarted(expiry + 2h));
  ASSERT_TRUE(p.onDisconnected(transportClosed(), expiry + 2h));
  EXPECT_EQ(p.state(), State::Reconnecting);
  EXPECT_EQ(p.status().attempt, 1);
}

TEST(ReconnectPolicy, UserMayConnectAfterBanExpiry) {
  SeededRandom random(10);
  ReconnectPolicy p(random);
  (void)p.onUserConnect(kT0);
  ASSERT_TRUE(p.onConnectStarted(kT0));
  (void)p.onDisconnected(tempBan(kT0 + 1h), kT0);
  p.onUserDisconnect(kT0 + 1min);
  EXPECT_EQ(p.state(), State::Banned);
  EXPECT_FALSE(p.nextDeadline().has_value()) << "stopped: not even the expiry attempt";
  EXPECT_FALSE(p.onUserConnect(kT0 + 59min));
  EXPECT_TRUE(p.onUserConnect(kT0 + 1h));
  EXPECT_TRUE(p.shouldConnect(kT0 + 1h));
}

TEST(ReconnectPolicy, BanWithoutExpiryIsTerminal) {
  SeededRandom random(11);
  ReconnectPolicy p(random);
  (void)p.onUserConnect(kT0);
  ASSERT_TRUE(p.onConnectStarted(kT0));
  (void)p.onDisconnected(stateReason(State::Banned, 403), kT0);
  EXPECT_FALSE(p.status().bannedUntil.has_value());
  EXPECT_FALSE(p.nextDeadline().has_value());
}

TEST(ReconnectPolicy, NetworkUpRetriesAtOnceWithAFreshSequence) {
  SeededRandom random(12);
  ReconnectPolicy p(random, ReconnectOptions{5s, 5, 5min, 0.0});
  (void)p.onUserConnect(kT0);
  connectAndLogin(p, kT0);
  TimePoint now = kT0;
  (void)p.onDisconnected(transportClosed(), now);
  for (int i = 0; i < 5; ++i) {
    now = *p.nextDeadline();
    (void)p.onConnectStarted(now);
    (void)p.onDisconnected(transportClosed(), now);
  }
  ASSERT_EQ(p.state(), State::Disconnected);
  now += 1min;
  EXPECT_FALSE(p.shouldConnect(now));
  p.onNetworkUp(now);
  EXPECT_TRUE(p.shouldConnect(now));
  EXPECT_EQ(p.nextDeadline(), now);
  ASSERT_TRUE(p.onConnectStarted(now));
  (void)p.onDisconnected(transportClosed(), now);
  EXPECT_EQ(p.state(), State::Reconnecting);
  EXPECT_EQ(p.status().attempt, 1);
  EXPECT_EQ(p.nextDeadline(), now + 5s);

  // Also during the fast phase.
  p.onNetworkUp(now + 1s);
  EXPECT_EQ(p.nextDeadline(), now + 1s);
}

TEST(ReconnectPolicy, UserDisconnectStopsRetriesAndIgnoresTheClose) {
  SeededRandom random(13);
  ReconnectPolicy p(random);
  (void)p.onUserConnect(kT0);
  connectAndLogin(p, kT0);
  p.onUserDisconnect(kT0 + 1s);
  EXPECT_EQ(p.state(), State::Disconnected);
  EXPECT_TRUE(p.isStopped());
  EXPECT_FALSE(p.onDisconnected(transportClosed(), kT0 + 2s));
  EXPECT_FALSE(p.nextDeadline().has_value());
  p.onNetworkUp(kT0 + 3s);
  EXPECT_FALSE(p.shouldConnect(kT0 + 1h));

  // Reconnect button: immediate attempt.
  EXPECT_TRUE(p.onUserConnect(kT0 + 1h));
  EXPECT_TRUE(p.shouldConnect(kT0 + 1h));
}

TEST(ReconnectPolicy, DropsAreCountedOncePerConnection) {
  SeededRandom random(14);
  ReconnectPolicy p(random);
  (void)p.onUserConnect(kT0);
  connectAndLogin(p, kT0);
  DisconnectReason service = stateReason(State::Reconnecting, 503);
  ASSERT_TRUE(p.onDisconnected(service, kT0));
  EXPECT_FALSE(p.onDisconnected(transportClosed(), kT0)) << "the socket close after it";
  EXPECT_EQ(p.status().attempt, 1);
  EXPECT_EQ(p.status().reasonCode, 503);
}

TEST(ReconnectPolicy, EventsDescribeEachTransition) {
  SeededRandom random(15);
  ReconnectPolicy p(random, ReconnectOptions{5s, 5, 5min, 0.0});
  (void)p.onUserConnect(kT0);
  connectAndLogin(p, kT0 + 1s);
  (void)p.onDisconnected(transportClosed("reset"), kT0 + 10s);
  const std::vector<api::ConnectionStatusChanged> events = p.takeEvents();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].status.nextRetryAt, kT0);  // start requested
  EXPECT_EQ(events[1].previous, State::Disconnected);
  EXPECT_EQ(events[1].status.state, State::Connecting);
  EXPECT_EQ(events[2].status.state, State::Ready);
  EXPECT_EQ(events[2].status.since, kT0 + 1s);
  EXPECT_EQ(events[3].previous, State::Ready);
  EXPECT_EQ(events[3].status.state, State::Reconnecting);
  EXPECT_EQ(events[3].status.since, kT0 + 10s);
  EXPECT_EQ(events[3].status.nextRetryAt, kT0 + 15s);
  EXPECT_EQ(events[3].status.attempt, 1);
  EXPECT_NE(events[3].status.reason.find("reset"), std::string::npos);
  EXPECT_TRUE(p.takeEvents().empty());

  // The same input twice is one event.
  p.onNetworkUp(kT0 + 11s);
  p.onNetworkUp(kT0 + 11s);
  EXPECT_EQ(p.takeEvents().size(), 1u);
}

TEST(ReconnectPolicy, ClassifiedRowsDriveThePolicy) {
  // End to end for every row: classifier output → policy state and retry.
  struct Row {
    std::vector<std::pair<const char*, const char*>> attrs;
    const char* tag;
    const char* conflict;
    State state;
    bool retries;
    bool immediate;
  };
  const Row rows[] = {
      {{{"reason", "401"}}, "failure", nullptr, State::LoggedOut, false, false},
      {{{"reason", "402"}, {"code", "102"}, {"expire", "60"}},
       "failure",
       nullptr,
       State::Banned,
       true,
       false},
      {{{"reason", "403"}}, "failure", nullptr, State::Banned, false, false},
      {{{"reason", "405"}}, "failure", nullptr, State::Outdated, false, false},
      {{{"reason", "406"}}, "failure", nullptr, State::Banned, false, false},
      {{{"reason", "409"}}, "failure", nullptr, State::Outdated, false, false},
      {{{"reason", "500"}}, "failure", nullptr, State::Reconnecting, true, false},
      {{{"reason", "503"}}, "failure", nullptr, State::Reconnecting, true, false},
      {{{"code", "515"}}, "stream:error", nullptr, State::Connecting, true, true},
      {{{"code", "503"}}, "stream:error", nullptr, State::Reconnecting, true, false},
      {{}, "stream:error", "replaced", State::Replaced, false, false},
      {{{"code", "401"}}, "stream:error", "device_removed", State::LoggedOut, false, false},
      {{{"code", "999"}}, "stream:error", nullptr, State::Reconnecting, true, false},
      {{}, "xmlstreamend", nullptr, State::Reconnecting, true, false},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(row.tag) + " " + (row.attrs.empty() ? "" : row.attrs[0].second));
    binary::Node n;
    n.tag = row.tag;
    for (const auto& [k, v] : row.attrs) n.set(k, std::string(v));
    if (row.conflict) {
      binary::Node c;
      c.tag = "conflict";
      c.set("type", std::string(row.conflict));
      n.content = binary::Children{c};
    }
    SeededRandom random(16);
    ReconnectPolicy p(random);
    (void)p.onUserConnect(kT0);
    connectAndLogin(p, kT0);
    const std::optional<DisconnectReason> reason = classifyNode(n, kT0);
    ASSERT_TRUE(reason.has_value());
    ASSERT_TRUE(p.onDisconnected(*reason, kT0));
    EXPECT_EQ(p.state(), row.state);
    EXPECT_EQ(p.nextDeadline().has_value(), row.retries);
    EXPECT_EQ(p.shouldConnect(kT0), row.immediate);
  }
}

}  // namespace
}  // namespace chorus::core::session
