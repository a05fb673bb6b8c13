// The Session logging this device out (protocol §13) against the in-process FakeServer:
// <remove-companion-device> when ready, connecting first when not, finishing locally when the
// server cannot be reached in time; LoggedOut for good afterwards.
#include <chrono>
#include <utility>

#include <gtest/gtest.h>

#include "core/session/session.h"
#include "tests/unit/session/fake_server.h"
#include "tests/unit/session/session_harness.h"

namespace chorus::core::session {
namespace {

using namespace std::chrono_literals;
using test::findIq;
using test::Harness;
using test::State;

// The remove-companion-device request among `nodes`, or nullptr.
const binary::Node* findRemove(const std::vector<binary::Node>& nodes) {
  const binary::Node* iq = findIq(nodes, "set", "md");
  return iq != nullptr && iq->child("remove-companion-device") != nullptr ? iq : nullptr;
}

void expectLoggedOutForGood(Harness& h) {
  EXPECT_EQ(h.session().status().state, State::LoggedOut);
  EXPECT_EQ(h.session().status().reasonCode, 0);
  EXPECT_EQ(h.session().status().reason, "logged out on this computer");
  EXPECT_FALSE(h.session().status().nextRetryAt.has_value());
  EXPECT_FALSE(h.session().nextDeadline().has_value());
  EXPECT_FALSE(h.session().hasTransport());
  const int opens = h.opens;
  h.advance(1h);
  h.run(h.session().onNetworkUp(h.now));
  h.run(h.session().start(h.now));
  EXPECT_EQ(h.opens, opens) << "no retries ever";
  EXPECT_EQ(h.session().status().state, State::LoggedOut);
}

TEST(SessionLogout, WhenReadyTheServerConfirms) {
  Harness h(/*paired=*/true);
  h.loginToReady();
  (void)h.server().takeReceived();
  h.run(h.session().logout(h.now));
  auto received = h.server().takeReceived();
  const binary::Node* remove = findRemove(received);
  ASSERT_NE(remove, nullptr);
  EXPECT_EQ(remove->attrText("to"), "s.whatsapp.net");
  const binary::Node* body = remove->child("remove-companion-device");
  EXPECT_EQ(body->attrText("jid"), "15551234567:2@s.whatsapp.net");
  EXPECT_EQ(body->attrText("reason"), "user_initiated");
  EXPECT_TRUE(h.loggedOuts().empty()) << "waits for the answer";
  EXPECT_EQ(h.session().status().state, State::Ready);
  EXPECT_EQ(h.closes, 0);

  // Close, then the event, then the status, in that order.
  Effects effects = h.session().onBytes(
      h.server().send(test::iqResult(remove->attrText("id").value_or(""))), h.now);
  ASSERT_EQ(effects.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<CloseTransport>(effects[0]));
  const auto* event = std::get_if<Emit>(&effects[1]);
  ASSERT_NE(event, nullptr);
  const auto* loggedOut = std::get_if<LoggedOutEvent>(&event->event);
  ASSERT_NE(loggedOut, nullptr);
  EXPECT_TRUE(loggedOut->serverConfirmed);
  const auto* status = std::get_if<Emit>(&effects[2]);
  ASSERT_NE(status, nullptr);
  EXPECT_TRUE(std::holds_alternative<api::ConnectionStatusChanged>(status->event));
  h.run(std::move(effects));
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.loggedOuts(), std::vector<bool>{true});
  EXPECT_TRUE(h.errors().empty());
  EXPECT_FALSE(h.revoked()) << "LoggedOutEvent says it all";
  expectLoggedOutForGood(h);
}

TEST(SessionLogout, SilentServerFinishesLocallyAfterTheConnectTimeout) {
  Harness h(true);
  h.loginToReady();
  h.server().answerPings = true;
  h.run(h.session().logout(h.now));
  ASSERT_NE(findRemove(h.server().takeReceived()), nullptr);
  h.advance(19s);
  EXPECT_TRUE(h.loggedOuts().empty());
  EXPECT_EQ(h.closes, 0);
  h.advance(1s);
  EXPECT_EQ(h.loggedOuts(), std::vector<bool>{false});
  EXPECT_EQ(h.closes, 1);
  expectLoggedOutForGood(h);
}

TEST(SessionLogout, ErrorAnswerFinishesLocally) {
  Harness h(true);
  h.loginToReady();
  (void)h.server().takeReceived();
  h.run(h.session().logout(h.now));
  const auto received = h.server().takeReceived();
  const binary::Node* remove = findRemove(received);
  ASSERT_NE(remove, nullptr);
  binary::Node error = test::iqResult(remove->attrText("id").value_or(""));
  error.set("type", std::string("error"));
  error.content = binary::Children{binary::Node{"error", {{"code", std::string("500")}}, {}}};
  h.deliver(error);
  EXPECT_EQ(h.loggedOuts(), std::vector<bool>{false});
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::Protocol});
  EXPECT_EQ(h.closes, 1);
  expectLoggedOutForGood(h);
}

TEST(SessionLogout, ServerRevokingTheDeviceAfterTheRequestCountsAsConfirmed) {
  Harness h(true);
  h.loginToReady();
  h.run(h.session().logout(h.now));
  ASSERT_NE(findRemove(h.server().takeReceived()), nullptr);
  binary::Node removed = test::streamError("401");
  removed.content =
      binary::Children{binary::Node{"conflict", {{"type", std::string("device_removed")}}, {}}};
  h.deliver(removed);
  EXPECT_EQ(h.loggedOuts(), std::vector<bool>{true});
  EXPECT_EQ(h.closes, 1);
  expectLoggedOutForGood(h);
}

TEST(SessionLogout, WhenStoppedConnectsFirstThenAsks) {
  Harness h(true);  // paired, never started: Disconnected, nothing due
  ASSERT_FALSE(h.session().nextDeadline().has_value());
  h.run(h.session().logout(h.now));
  EXPECT_EQ(h.opens, 1) << "connects at once";
  ASSERT_TRUE(h.server().established());
  EXPECT_EQ(h.server().payload().username(), 15551234567u) << "a login, not a registration";
  EXPECT_EQ(h.session().status().state, State::Connecting);
  EXPECT_TRUE(h.server().takeReceived().empty());
  h.deliver(test::success("123456789012345:2@lid"));
  auto received = h.server().takeReceived();
  const binary::Node* remove = findRemove(received);
  ASSERT_NE(remove, nullptr);
  EXPECT_EQ(findIq(received, "set", "passive"), nullptr) << "no need to become active";
  h.deliver(test::iqResult(remove->attrText("id").value_or("")));
  EXPECT_EQ(h.loggedOuts(), std::vector<bool>{true});
  EXPECT_EQ(h.closes, 1);
  expectLoggedOutForGood(h);
}

TEST(SessionLogout, DuringBackoffConnectsAtOnceRegardlessOfTheRetryTime) {
  Harness h(true);
  h.loginToReady();
  h.dropTransport();
  ASSERT_EQ(h.session().status().state, State::Reconnecting);
  ASSERT_GT(*h.session().status().nextRetryAt, h.now + 3s);
  h.run(h.session().logout(h.now));
  EXPECT_EQ(h.opens, 2);
  h.deliver(test::success("123456789012345:2@lid"));
  const auto received = h.server().takeReceived();
  const binary::Node* remove = findRemove(received);
  ASSERT_NE(remove, nullptr);
  h.deliver(test::iqResult(remove->attrText("id").value_or("")));
  EXPECT_EQ(h.loggedOuts(), std::vector<bool>{true});
  expectLoggedOutForGood(h);
}

TEST(SessionLogout, UnreachableServerFinishesLocally) {
  // The transport never opens: finished at the connect timeout.
  Harness h(true);
  h.autoOpen = false;
  h.run(h.session().logout(h.now));
  EXPECT_EQ(h.opens, 1);
  h.advance(20s);
  EXPECT_EQ(h.loggedOuts(), std::vector<bool>{false});
  EXPECT_EQ(h.closes, 1);
  expectLoggedOutForGood(h);

  // The transport fails: finished at once, no backoff.
  Harness down(true);
  down.autoOpen = false;
  down.run(down.session().logout(down.now));
  down.dropTransport();
  EXPECT_EQ(down.loggedOuts(), std::vector<bool>{false});
  EXPECT_EQ(down.closes, 0) << "the transport is already gone";
  expectLoggedOutForGood(down);
}

TEST(SessionLogout, InATerminalStateFinishesLocallyWithoutConnecting) {
  Harness h(true);
  h.run(h.session().start(h.now));
  h.deliver(test::failure("405"));
  ASSERT_EQ(h.session().status().state, State::Outdated);
  h.run(h.session().logout(h.now));
  EXPECT_EQ(h.opens, 1);
  EXPECT_EQ(h.loggedOuts(), std::vector<bool>{false});
  expectLoggedOutForGood(h);
}

TEST(SessionLogout, UnpairedJustReportsAndStaysUnlinked) {
  Harness h(false);
  h.run(h.session().start(h.now));
  h.run(h.session().logout(h.now));
  EXPECT_EQ(h.loggedOuts(), std::vector<bool>{false});
  EXPECT_EQ(h.session().status().state, State::Unlinked);
  EXPECT_EQ(h.opens, 0);

  // While linking: the attempt is abandoned.
  h.run(h.session().linkWithQr(h.now));
  h.deliver(test::pairDevice("pd", {"2@a"}));
  h.run(h.session().logout(h.now));
  EXPECT_EQ(h.loggedOuts(), (std::vector<bool>{false, false}));
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.session().status().state, State::Unlinked);
  EXPECT_FALSE(h.session().nextDeadline().has_value());
}

TEST(SessionLogout, TwiceAndAfterwards) {
  Harness h(true);
  h.loginToReady();
  (void)h.server().takeReceived();
  h.run(h.session().logout(h.now));
  h.run(h.session().logout(h.now));  // already under way: nothing more
  EXPECT_EQ(h.server().takeReceived().size(), 1u);
  h.advance(20s);
  EXPECT_EQ(h.loggedOuts(), std::vector<bool>{false});
  h.run(h.session().logout(h.now));
  EXPECT_EQ(h.loggedOuts(), (std::vector<bool>{false, false}));
  h.run(h.session().stop(h.now));
  EXPECT_EQ(h.session().status().state, State::LoggedOut);
  h.events.clear();
  h.run(h.session().linkWithQr(h.now));
  h.run(h.session().linkWithPhone("15551234567", h.now));
  EXPECT_EQ(h.errors(), (std::vector<Errc>{Errc::InvalidArgument, Errc::InvalidArgument}));
  EXPECT_EQ(h.opens, 1);
}

}  // namespace
}  // namespace chorus::core::session
