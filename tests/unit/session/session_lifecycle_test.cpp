// The Session's connection lifecycle (architecture §3) end to end against the FakeServer: every
// way the server ends a connection (protocol §4.7, §13) drives the state, the credentials
// event and the retry; the backoff sequence through the session; network-up.
#include <chrono>

#include <gtest/gtest.h>

#include "core/session/session.h"
#include "tests/unit/session/fake_server.h"
#include "tests/unit/session/session_harness.h"

namespace chorus::core::session {
namespace {

using namespace std::chrono_literals;
using test::Harness;
using test::State;

binary::Node withConflict(binary::Node node, std::string type) {
  binary::Node conflict;
  conflict.tag = "conflict";
  conflict.set("type", std::move(type));
  node.content = binary::Children{std::move(conflict)};
  return node;
}

binary::Node tempBan(std::string expireSeconds) {
  binary::Node node = test::failure("402");
  node.set("code", std::string("102")).set("expire", std::move(expireSeconds));
  return node;
}

enum class Retry : std::uint8_t { Never, AtOnce, Backoff };

struct EndRow {
  const char* name;
  binary::Node node;
  bool atLogin;  // sent instead of <success>; otherwise while ready
  State state;
  int code;
  bool revoked;
  Retry retry;
};

TEST(SessionLifecycle, EveryServerEndDrivesStateCredentialsAndRetry) {
  const EndRow rows[] = {
      {"failure 400", test::failure("400"), true, State::Reconnecting, 400, false, Retry::Backoff},
      {"failure 401", test::failure("401"), true, State::LoggedOut, 401, true, Retry::Never},
      {"failure 403", test::failure("403"), true, State::Banned, 403, true, Retry::Never},
      {"failure 405", test::failure("405"), true, State::Outdated, 405, false, Retry::Never},
      {"failure 406", test::failure("406"), true, State::Banned, 406, true, Retry::Never},
      {"failure 409", test::failure("409"), true, State::Outdated, 409, false, Retry::Never},
      {"failure 500", test::failure("500"), true, State::Reconnecting, 500, false, Retry::Backoff},
      {"failure 503", test::failure("503"), true, State::Reconnecting, 503, false, Retry::Backoff},
      {"stream:error 515", test::streamError("515"), false, State::Connecting, 515, false,
       Retry::AtOnce},
      {"stream:error 503", test::streamError("503"), false, State::Reconnecting, 503, false,
       Retry::Backoff},
      {"stream:error 500", test::streamError("500"), false, State::Reconnecting, 500, false,
       Retry::Backoff},
      {"device_removed", withConflict(test::streamError("401"), "device_removed"), false,
       State::LoggedOut, 401, true, Retry::Never},
      {"conflict replaced (440)", withConflict(binary::Node{"stream:error", {}, {}}, "replaced"),
       false, State::Replaced, 0, false, Retry::Never},
      {"xmlstreamend (428)", binary::Node{"xmlstreamend", {}, {}}, false, State::Reconnecting, 0,
       false, Retry::Backoff},
  };
  for (const EndRow& row : rows) {
    SCOPED_TRACE(row.name);
    Harness h(/*paired=*/true);
    if (row.atLogin) {
      h.run(h.session().start(h.now));
    } else {
      h.loginToReady();
    }
    h.deliver(row.node);
    EXPECT_EQ(h.closes, 1);
    EXPECT_EQ(h.session().status().state, row.state);
    EXPECT_EQ(h.session().status().reasonCode, row.code);
    EXPECT_FALSE(h.session().status().reason.empty());
    EXPECT_EQ(h.revoked(), row.revoked);
    switch (row.retry) {
      case Retry::Never:
        EXPECT_FALSE(h.session().nextDeadline().has_value());
        h.advance(24h);
        EXPECT_EQ(h.opens, 1);
        EXPECT_EQ(h.session().status().state, row.state);
        break;
      case Retry::AtOnce: EXPECT_EQ(h.opens, 2); break;
      case Retry::Backoff: {
        EXPECT_EQ(h.opens, 1);
        ASSERT_TRUE(h.session().status().nextRetryAt.has_value());
        EXPECT_GE(*h.session().status().nextRetryAt, h.now + 4s);
        EXPECT_LE(*h.session().status().nextRetryAt, h.now + 6s);
        h.advance(6s);
        EXPECT_EQ(h.opens, 2);
        break;
      }
    }
  }
}

TEST(SessionLifecycle, TemporaryBanShowsTheExpiryAndRetriesOnlyThen) {
  Harness h(true);
  h.run(h.session().start(h.now));
  const TimePoint bannedAt = h.now;
  h.deliver(tempBan("3600"));
  EXPECT_EQ(h.session().status().state, State::Banned);
  EXPECT_EQ(h.session().status().reasonCode, 402);
  EXPECT_EQ(h.session().status().bannedUntil, bannedAt + 1h);
  EXPECT_FALSE(h.revoked());
  EXPECT_EQ(h.session().nextDeadline(), bannedAt + 1h);
  h.run(h.session().onNetworkUp(h.now));
  h.run(h.session().start(h.now));
  h.advance(1h - 1ms);
  EXPECT_EQ(h.opens, 1) << "no retry before the expiry, whatever happens";
  h.advance(1ms);
  EXPECT_EQ(h.opens, 2);
  h.deliver(test::success("123456789012345:2@lid"));
  EXPECT_EQ(h.session().status().state, State::Ready);
  EXPECT_FALSE(h.session().status().bannedUntil.has_value());
}

TEST(SessionLifecycle, BackoffSequenceThenDisconnectedWithSlowRetries) {
  const Millis nominal[] = {5s, 10s, 20s, 40s, 80s};
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE(seed);
    Harness h(true, seed);
    h.loginToReady();
    const TimePoint downAt = h.now;
    h.dropTransport();
    for (int i = 0; i < 5; ++i) {
      const api::ConnectionStatus status = h.session().status();
      EXPECT_EQ(status.state, State::Reconnecting);
      EXPECT_EQ(status.attempt, i + 1);
      EXPECT_EQ(status.downSince, downAt);
      ASSERT_TRUE(status.nextRetryAt.has_value());
      const Millis delay = *status.nextRetryAt - h.now;
      EXPECT_GE(delay.count(), nominal[i].count() * 8 / 10);
      EXPECT_LT(delay.count(), nominal[i].count() * 12 / 10);
      const int opens = h.opens;
      h.advance(delay);
      EXPECT_EQ(h.opens, opens + 1);
      h.dropTransport();  // the attempt fails
    }
    for (int i = 0; i < 3; ++i) {
      const api::ConnectionStatus status = h.session().status();
      EXPECT_EQ(status.state, State::Disconnected);
      EXPECT_EQ(status.attempt, 0);
      ASSERT_TRUE(status.nextRetryAt.has_value());
      const Millis delay = *status.nextRetryAt - h.now;
      EXPECT_GE(delay, 4min);
      EXPECT_LT(delay, 6min);
      const int opens = h.opens;
      h.advance(delay);
      EXPECT_EQ(h.opens, opens + 1);
      h.dropTransport();
    }
    // Network-up from Disconnected: at once, with a fresh fast sequence.
    h.run(h.session().onNetworkUp(h.now));
    EXPECT_EQ(h.opens, 10);
    h.deliver(test::success("123456789012345:2@lid"));
    EXPECT_EQ(h.session().status().state, State::Ready);
    EXPECT_FALSE(h.session().status().downSince.has_value());
  }
}

TEST(SessionLifecycle, NetworkUpDuringBackoffConnectsAtOnce) {
  Harness h(true);
  h.loginToReady();
  h.dropTransport();
  ASSERT_EQ(h.session().status().state, State::Reconnecting);
  ASSERT_GT(*h.session().status().nextRetryAt, h.now + 3s);
  h.run(h.session().onNetworkUp(h.now));
  EXPECT_EQ(h.opens, 2);
  EXPECT_EQ(h.session().status().state, State::Connecting);
  h.run(h.session().onNetworkUp(h.now));  // a connection is live: nothing more
  EXPECT_EQ(h.opens, 2);
  h.deliver(test::success("123456789012345:2@lid"));
  EXPECT_EQ(h.session().status().state, State::Ready);
}

TEST(SessionLifecycle, NetworkUpDoesNothingWhenTerminalStoppedReadyOrUnlinked) {
  Harness loggedOut(true);
  loggedOut.run(loggedOut.session().start(loggedOut.now));
  loggedOut.deliver(test::failure("401"));
  ASSERT_EQ(loggedOut.session().status().state, State::LoggedOut);
  EXPECT_TRUE(loggedOut.session().onNetworkUp(loggedOut.now).empty());
  EXPECT_FALSE(loggedOut.session().nextDeadline().has_value());

  Harness replaced(true);
  replaced.loginToReady();
  replaced.deliver(withConflict(binary::Node{"stream:error", {}, {}}, "replaced"));
  EXPECT_TRUE(replaced.session().onNetworkUp(replaced.now).empty());

  Harness stopped(true);
  stopped.loginToReady();
  stopped.run(stopped.session().stop(stopped.now));
  EXPECT_TRUE(stopped.session().onNetworkUp(stopped.now).empty());
  EXPECT_EQ(stopped.session().status().state, State::Disconnected);

  Harness ready(true);
  ready.loginToReady();
  EXPECT_TRUE(ready.session().onNetworkUp(ready.now).empty());

  Harness unlinked(false);
  unlinked.run(unlinked.session().start(unlinked.now));
  EXPECT_TRUE(unlinked.session().onNetworkUp(unlinked.now).empty());
  EXPECT_EQ(unlinked.session().status().state, State::Unlinked);
}

TEST(SessionLifecycle, RegistrationDropGoesBackToUnlinkedNotReconnecting) {
  Harness h(false);
  h.run(h.session().linkWithQr(h.now));
  h.deliver(test::pairDevice("pd", {"2@a", "2@b"}));
  ASSERT_EQ(h.session().status().state, State::Pairing);
  h.dropTransport();
  EXPECT_EQ(h.session().status().state, State::Unlinked);
  EXPECT_FALSE(h.session().nextDeadline().has_value());
  h.run(h.session().onNetworkUp(h.now));
  h.advance(1h);
  EXPECT_EQ(h.opens, 1);
}

TEST(SessionLifecycle, NoRestartAfterPairingTimesOutTheRegistration) {
  // pair-success but no 515 within connectTimeout: the session reconnects by itself to log in.
  Harness h(false);
  h.run(h.session().linkWithQr(h.now));
  h.deliver(test::pairDevice("pd", {"2@a"}));
  h.deliver(test::pairSuccess("ps", h.qrCodes()[0].code, h.phone(), h.phoneRandom()));
  ASSERT_TRUE(h.session().isPaired());
  h.advance(20s);
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::Timeout});
  EXPECT_EQ(h.session().status().state, State::Reconnecting) << "paired: retried, not unlinked";
  h.advance(6s);
  EXPECT_EQ(h.opens, 2);
  EXPECT_FALSE(h.server().payload().has_devicepairingdata());
}

}  // namespace
}  // namespace chorus::core::session
