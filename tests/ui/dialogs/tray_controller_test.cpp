// The tray: one state for all numbers (and its colour on the icon), the unread total in the
// tooltip and on the icon, the menu of numbers, and the notification rules — at once for
// logged out / replaced / banned / outdated, after the recovery delay for a number still down,
// never for one that came back, never for a number whose notifications are off.
#include "ui/dialogs/tray_controller.h"

#include <QMenu>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include "tests/ui/dialogs/dialogs_test_support.h"
#include "tests/ui/fake_backend.h"
#include "ui/status_text.h"

namespace chorus::ui {
namespace {

using api::ConnectionState;
using test::account;
using namespace std::chrono_literals;

constexpr auto kShortDelay = 60ms;

// A pixel of the badge itself (left edge, below the corner, clear of the bubble and the count).
QColor badgeColour(const QImage& image) {
  return image.pixelColor(image.width() / 8, image.height() * 3 / 4);
}

TEST(TrayState, TheWorstNumberDecides) {
  using V = std::vector<api::AccountSummary>;
  EXPECT_EQ(aggregateState(V{}), TrayState::Idle);
  EXPECT_EQ(aggregateState(V{account("a", "A", ConnectionState::Ready),
                             account("b", "B", ConnectionState::Ready)}),
            TrayState::AllReady);
  EXPECT_EQ(aggregateState(V{account("a", "A", ConnectionState::Ready),
                             account("b", "B", ConnectionState::Reconnecting)}),
            TrayState::Working);
  EXPECT_EQ(aggregateState(V{account("a", "A", ConnectionState::Connecting)}), TrayState::Working);
  EXPECT_EQ(aggregateState(V{account("a", "A", ConnectionState::Reconnecting),
                             account("b", "B", ConnectionState::Banned),
                             account("c", "C", ConnectionState::Ready)}),
            TrayState::NeedsAction);
  for (ConnectionState s : {ConnectionState::LoggedOut, ConnectionState::Replaced,
                            ConnectionState::Banned, ConnectionState::Outdated}) {
    EXPECT_EQ(aggregateState(V{account("a", "A", s)}), TrayState::NeedsAction);
  }
  // Stopped by the person or not linked yet: grey alone, no alarm beside ready ones.
  EXPECT_EQ(aggregateState(V{account("a", "A", ConnectionState::Disconnected),
                             account("b", "B", ConnectionState::Unlinked)}),
            TrayState::Idle);
  EXPECT_EQ(aggregateState(V{account("a", "A", ConnectionState::Ready),
                             account("b", "B", ConnectionState::Disconnected)}),
            TrayState::AllReady);
  // Disconnected with slow retries still due is a lost connection.
  auto lost = account("b", "B", ConnectionState::Disconnected);
  lost.status.nextRetryAt = api::TimePoint{} + 300s;
  EXPECT_EQ(aggregateState(V{account("a", "A", ConnectionState::Ready), lost}), TrayState::Working);
  // A number that cannot be opened at all (keychain refused) needs a person.
  auto broken = account("c", "C", ConnectionState::Disconnected);
  broken.problem = "The keychain refused the data key";
  EXPECT_EQ(aggregateState(V{broken}), TrayState::NeedsAction);
}

TEST(TrayState, TheIconIsPaintedInTheStateColour) {
  for (TrayState s :
       {TrayState::Idle, TrayState::AllReady, TrayState::Working, TrayState::NeedsAction}) {
    for (int size : {16, 22, 64}) {
      const QImage image = trayImage(s, 0, size);
      EXPECT_EQ(badgeColour(image), trayColour(s)) << size;
      // The bubble in the middle is white.
      EXPECT_EQ(image.pixelColor(size / 2, size * 2 / 5), QColor(Qt::white)) << size;
    }
  }
  EXPECT_NE(trayColour(TrayState::AllReady), trayColour(TrayState::Working));
  EXPECT_NE(trayColour(TrayState::Working), trayColour(TrayState::NeedsAction));
  // An unread count paints over the top right corner.
  const QImage quiet = trayImage(TrayState::AllReady, 0, 64);
  const QImage busy = trayImage(TrayState::AllReady, 7, 64);
  EXPECT_NE(quiet.pixelColor(56, 12), busy.pixelColor(56, 12));
  EXPECT_NE(trayImage(TrayState::AllReady, 7, 64), trayImage(TrayState::AllReady, 8, 64));
  // At tray sizes a dot stands for the count.
  EXPECT_NE(trayImage(TrayState::AllReady, 0, 22).pixelColor(16, 6),
            trayImage(TrayState::AllReady, 3, 22).pixelColor(16, 6));
}

class TrayControllerTest : public ::testing::Test {
 protected:
  TrayControllerTest() {
    tray.setClock([this] { return now; });
    tray.setRecoveryDelay(kShortDelay);
    QObject::connect(&tray, &TrayController::notified, &tray,
                     [this](const TrayController::Notification& n) { notes.push_back(n); });
    Q_EMIT backend.accountsLoaded({account("a", "Shop", ConnectionState::Ready),
                                   account("b", "Support", ConnectionState::Ready)});
  }

  void status(const std::string& id, ConnectionState previous, ConnectionState next,
              std::optional<api::TimePoint> retry = std::nullopt) {
    api::ConnectionStatus s;
    s.state = next;
    s.nextRetryAt = retry;
    if (next == ConnectionState::Reconnecting) s.attempt = 1;
    Q_EMIT backend.accountEvent(
        api::AccountStatusEvent{id, api::ConnectionStatusChanged{previous, s}});
  }
  // Lets the recovery timers run out (and a little more).
  void waitPastTheDelay() { QTest::qWait(static_cast<int>(kShortDelay.count()) * 4); }

  QTemporaryDir dir;
  Settings settings{dir.filePath(QStringLiteral("settings.ini"))};
  test::FakeBackend backend;
  api::TimePoint now{std::chrono::milliseconds(1'700'000'000'000)};
  SessionListModel sessions{backend, [this] { return now; }};
  TrayController tray{backend, sessions, settings};
  std::vector<TrayController::Notification> notes;
};

TEST_F(TrayControllerTest, TheIconAndTooltipFollowTheNumbers) {
  EXPECT_EQ(tray.currentState(), TrayState::AllReady);
  EXPECT_EQ(badgeColour(tray.currentIcon().pixmap(64).toImage()), trayColour(TrayState::AllReady));
  EXPECT_TRUE(tray.toolTip().contains(u"all 2 numbers connected")) << tray.toolTip().toStdString();

  status("b", ConnectionState::Ready, ConnectionState::Reconnecting);
  EXPECT_EQ(tray.currentState(), TrayState::Working);
  EXPECT_EQ(badgeColour(tray.currentIcon().pixmap(64).toImage()), trayColour(TrayState::Working));
  EXPECT_TRUE(tray.toolTip().contains(u"1 of 2 numbers connected"));
  EXPECT_TRUE(tray.toolTip().contains(u"1 reconnecting"));

  status("a", ConnectionState::Ready, ConnectionState::LoggedOut);
  EXPECT_EQ(tray.currentState(), TrayState::NeedsAction);
  EXPECT_EQ(badgeColour(tray.currentIcon().pixmap(64).toImage()),
            trayColour(TrayState::NeedsAction));
  EXPECT_TRUE(tray.toolTip().contains(u"1 needs action"));
}

TEST_F(TrayControllerTest, TheTooltipCountsUnreadMessagesOfAllNumbers) {
  EXPECT_FALSE(tray.toolTip().contains(u"unread"));
  const QImage before = tray.currentIcon().pixmap(64).toImage();
  Q_EMIT backend.accountEvent(api::ChatUpdated{"a", "1@s.whatsapp.net", 3, 3});
  Q_EMIT backend.accountEvent(api::ChatUpdated{"b", "2@s.whatsapp.net", 2, 4});
  EXPECT_TRUE(tray.toolTip().contains(u"7 unread messages")) << tray.toolTip().toStdString();
  EXPECT_NE(tray.currentIcon().pixmap(64).toImage(), before);
  Q_EMIT backend.accountEvent(api::ChatUpdated{"a", "1@s.whatsapp.net", 0, 0});
  Q_EMIT backend.accountEvent(api::ChatUpdated{"b", "2@s.whatsapp.net", 0, 0});
  EXPECT_FALSE(tray.toolTip().contains(u"unread"));
  EXPECT_EQ(tray.currentIcon().pixmap(64).toImage(), before);
}

TEST_F(TrayControllerTest, LoggedOutNotifiesAtOnceWithTheNumberAndTheAction) {
  status("a", ConnectionState::Ready, ConnectionState::LoggedOut);
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_EQ(notes[0].account, "a");
  EXPECT_TRUE(notes[0].title.contains(u"Shop")) << notes[0].title.toStdString();
  EXPECT_TRUE(notes[0].title.contains(u"Logged out"));
  api::ConnectionStatus loggedOut;
  loggedOut.state = ConnectionState::LoggedOut;
  EXPECT_EQ(notes[0].body, actionText(loggedOut));
  EXPECT_TRUE(notes[0].body.contains(u"Link a device"));
  waitPastTheDelay();
  EXPECT_EQ(notes.size(), 1U);
}

TEST_F(TrayControllerTest, EveryTerminalStateNotifiesAtOnce) {
  status("a", ConnectionState::Ready, ConnectionState::Replaced);
  status("b", ConnectionState::Ready, ConnectionState::Banned);
  status("a", ConnectionState::Replaced, ConnectionState::Outdated);
  ASSERT_EQ(notes.size(), 3U);
  EXPECT_TRUE(notes[0].title.contains(u"Another device took over"));
  EXPECT_TRUE(notes[1].title.startsWith(u"Support"));
  EXPECT_TRUE(notes[1].body.contains(u"banned"));
  EXPECT_TRUE(notes[2].body.contains(u"update"));
}

TEST_F(TrayControllerTest, ANumberStillDownAfterTheDelayNotifiesOnce) {
  status("a", ConnectionState::Ready, ConnectionState::Reconnecting, now + 10s);
  EXPECT_TRUE(notes.empty());
  waitPastTheDelay();
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_EQ(notes[0].title, "Shop is still reconnecting");
  EXPECT_TRUE(notes[0].body.contains(u"internet connection")) << notes[0].body.toStdString();
  EXPECT_EQ(notes[0].account, "a");
  // Still down, other states of being down: no second notification.
  status("a", ConnectionState::Reconnecting, ConnectionState::Connecting);
  status("a", ConnectionState::Connecting, ConnectionState::Disconnected, now + 300s);
  waitPastTheDelay();
  EXPECT_EQ(notes.size(), 1U);
  // Back, and down again: a new notification.
  status("a", ConnectionState::Disconnected, ConnectionState::Ready);
  status("a", ConnectionState::Ready, ConnectionState::Reconnecting, now + 5s);
  waitPastTheDelay();
  EXPECT_EQ(notes.size(), 2U);
}

TEST_F(TrayControllerTest, ANumberThatRecoveredInTimeStaysQuiet) {
  status("a", ConnectionState::Ready, ConnectionState::Reconnecting, now + 5s);
  status("a", ConnectionState::Reconnecting, ConnectionState::Connecting);
  status("a", ConnectionState::Connecting, ConnectionState::Ready);
  waitPastTheDelay();
  EXPECT_TRUE(notes.empty());
}

TEST_F(TrayControllerTest, ANumberStoppedByThePersonStaysQuiet) {
  status("a", ConnectionState::Ready, ConnectionState::Disconnected);  // no retry due
  waitPastTheDelay();
  EXPECT_TRUE(notes.empty());
}

TEST_F(TrayControllerTest, NoNotificationsForANumberWithThemOff) {
  settings.setNotificationsEnabled("a", false);
  status("a", ConnectionState::Ready, ConnectionState::LoggedOut);
  status("b", ConnectionState::Ready, ConnectionState::Reconnecting, now + 5s);
  waitPastTheDelay();
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_EQ(notes[0].account, "b");
}

TEST_F(TrayControllerTest, TheMenuListsEveryNumberWithItsStateLive) {
  QMenu* menu = tray.menu();
  ASSERT_NE(menu, nullptr);
  QStringList texts;
  for (QAction* a : menu->actions()) texts << a->text();
  ASSERT_GE(texts.size(), 5);
  EXPECT_EQ(texts[0], "Shop — Connected");
  EXPECT_EQ(texts[1], "Support — Connected");
  EXPECT_TRUE(texts.contains("Show Chorus"));
  EXPECT_TRUE(texts.contains("Settings…"));
  EXPECT_EQ(texts.back(), "Quit");

  status("b", ConnectionState::Ready, ConnectionState::Reconnecting, now + 18s);
  menu = tray.menu();
  EXPECT_EQ(menu->actions()[1]->text(), "Support — Reconnecting, attempt 1, next try in 18 s");

  std::vector<api::AccountId> chosen;
  int shows = 0;
  int quits = 0;
  QObject::connect(&tray, &TrayController::accountActivated, &tray,
                   [&](const api::AccountId& id) { chosen.push_back(id); });
  QObject::connect(&tray, &TrayController::showWindowRequested, &tray, [&] { ++shows; });
  QObject::connect(&tray, &TrayController::quitRequested, &tray, [&] { ++quits; });
  menu->actions()[1]->trigger();
  EXPECT_EQ(chosen, std::vector<api::AccountId>{"b"});
  for (QAction* a : menu->actions()) {
    if (a->text() == "Show Chorus" || a->text() == "Quit") a->trigger();
  }
  EXPECT_EQ(shows, 1);
  EXPECT_EQ(quits, 1);
}

}  // namespace
}  // namespace chorus::ui
