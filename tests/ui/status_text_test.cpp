// The words of a number's badge for every state (the examples among them).
#include "ui/status_text.h"

#include <gtest/gtest.h>

namespace chorus::ui {
namespace {

using api::ConnectionState;
using namespace std::chrono_literals;

const api::TimePoint kNow{std::chrono::milliseconds(1'700'000'000'000)};  // 22:13:20 UTC

api::ConnectionStatus status(ConnectionState state) {
  api::ConnectionStatus s;
  s.state = state;
  return s;
}

TEST(StatusText, SaysWhatIsGoingOnAndWhatToDo) {
  EXPECT_EQ(statusText(status(ConnectionState::Ready), kNow), "Connected");
  auto reconnecting = status(ConnectionState::Reconnecting);
  reconnecting.attempt = 3;
  reconnecting.nextRetryAt = kNow + 17'200ms;
  EXPECT_EQ(statusText(reconnecting, kNow), "Reconnecting, attempt 3, next try in 18 s");
  reconnecting.nextRetryAt = kNow - 1s;
  EXPECT_EQ(statusText(reconnecting, kNow), "Reconnecting, attempt 3, next try in 0 s");
  auto slow = status(ConnectionState::Disconnected);
  slow.nextRetryAt = kNow + 241s;
  EXPECT_EQ(statusText(slow, kNow), "Disconnected, trying again in 5 min");
  EXPECT_EQ(statusText(status(ConnectionState::LoggedOut), kNow),
            "Logged out from the phone: link again");
  EXPECT_EQ(statusText(status(ConnectionState::Replaced), kNow), "Another device took over");
  auto banned = status(ConnectionState::Banned);
  banned.bannedUntil = kNow + 2h + 6min + 40s;  // 00:20 UTC
  EXPECT_EQ(statusText(banned, kNow, false), "Restricted until 00:20");
  EXPECT_EQ(statusText(status(ConnectionState::Banned), kNow), "Banned by WhatsApp");
  EXPECT_EQ(statusText(status(ConnectionState::Outdated), kNow), "Chorus must be updated");

  for (ConnectionState s : {ConnectionState::LoggedOut, ConnectionState::Replaced,
                            ConnectionState::Banned, ConnectionState::Outdated}) {
    EXPECT_EQ(severityOf(s), Severity::NeedsAction);
    EXPECT_FALSE(actionText(status(s)).isEmpty());
  }
  EXPECT_TRUE(actionText(status(ConnectionState::Ready)).isEmpty());
  EXPECT_EQ(severityOf(ConnectionState::Reconnecting), Severity::Working);
}

}  // namespace
}  // namespace chorus::ui
