// A populated window, light and dark, saved as screenshots under the build folder
// (screenshots/main_window.png, main_window_dark.png) for people to look at; the test checks
// only that they were written and are not blank.
#include <QDir>
#include <QImage>
#include <QPixmap>
#include <QTest>
#include <chrono>

#include <gtest/gtest.h>

#include "tests/ui/window/window_fixture.h"
#include "ui/chat_list_model.h"
#include "ui/main_window.h"
#include "ui/message_list_model.h"
#include "ui/window/chat_panel.h"
#include "ui/window/number_panel.h"

namespace chorus::ui {
namespace {

using api::ConnectionState;
using test::chat;
using test::number;
using test::textMessage;

QPalette darkPalette() {
  QPalette p;
  const QColor window(0x2b, 0x2d, 0x30);
  const QColor base(0x1e, 0x1f, 0x22);
  const QColor text(0xdf, 0xe1, 0xe5);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, window);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, window);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(0x6c, 0xa4, 0xf8));
  p.setColor(QPalette::Mid, QColor(0x3c, 0x3f, 0x44));
  p.setColor(QPalette::Midlight, QColor(0x3c, 0x3f, 0x44));
  p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x84, 0x8a));
  p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x84, 0x8a));
  p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x84, 0x8a));
  p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x84, 0x8a));
  return p;
}

// A shop morning: three numbers in different states, chats with unread messages, and a
// conversation with every kind of row.
void populate(test::FakeBackend& backend, MainWindow& window) {
  const api::TimePoint now = test::wallNow();
  using std::chrono::seconds;
  auto reconnecting = number("b", "Deliveries", ConnectionState::Reconnecting, "+44••••••457");
  reconnecting.status.attempt = 3;
  reconnecting.status.nextRetryAt = now + seconds(18);
  auto banned = number("c", "Online shop", ConnectionState::Banned, "+49••••••880");
  banned.status.bannedUntil = now + std::chrono::hours(3);
  Q_EMIT backend.accountsLoaded(
      {number("a", "Front desk", ConnectionState::Ready), reconnecting,
       number("d", "Warehouse", ConnectionState::LoggedOut, "+44••••••902"), banned});

  const long long today = std::chrono::duration_cast<seconds>(now.time_since_epoch()).count();
  const long long t = today - today % 86'400 + 9 * 3600;  // 09:00 UTC today
  Q_EMIT backend.chatsLoaded(
      "a", {chat("15551234567@s.whatsapp.net", "Ada Lovelace", t + 600, 2,
                 "Is the blue one still in stock?"),
            chat("120363000000000001@g.us", "Staff rota", t + 300, 0, "I can cover Saturday"),
            chat("15557654321@s.whatsapp.net", "", t - 86'400, 0, "Thanks, see you tomorrow")});
  Q_EMIT backend.chatsLoaded("b", {chat("447700900123@s.whatsapp.net", "Marco (courier)", t + 420,
                                        1, "At the back door")});
  Q_EMIT backend.chatsLoaded("d", {});
  Q_EMIT backend.chatsLoaded("c", {});

  window.chatPanel()->selectChat(0);
  std::vector<api::MessageView> messages;
  auto add = [&](long long at, std::string text, bool ours, api::MessageStatus status) {
    auto m = textMessage(static_cast<std::int64_t>(messages.size() + 1), at, std::move(text), ours);
    m.status = status;
    messages.push_back(std::move(m));
    return &messages.back();
  };
  using S = api::MessageStatus;
  add(t - 86'400 - 600, "Hello! Do you still have the linen shirts?", false, S::Read);
  add(t - 86'400 - 540, "Yes, in white, sand and blue. Sizes S to XL.", true, S::Read);
  add(t - 86'400 - 500, "Lovely, I'll come by tomorrow.", false, S::Read);
  add(t + 60, "Good morning! We open at 10.", true, S::Delivered);
  auto* failed = add(t + 120, "Here is the price list for this week.", true, S::Failed);
  failed->failureReason = "no connection to WhatsApp";
  auto* waiting = add(t + 300, "", false, S::Delivered);
  waiting->kind = api::MessageKind::Placeholder;
  add(t + 540,
      "Is the blue one still in stock? I would like it in M, and maybe a second one in "
      "L for my brother if you have it.",
      false, S::Delivered);
  add(t + 600, "Let me check the back room.", true, S::Sent);
  add(t + 610, "One moment please", true, S::Queued);
  backend.answerMessages(messages);
}

void save(QWidget& window, const QString& name) {
  QTest::qWait(200);  // pending layouts (the conversation relayouts after a resize)
  const QPixmap shot = window.grab();
  QDir().mkpath(QStringLiteral(CHORUS_SCREENSHOT_DIR));
  const QString path = QStringLiteral(CHORUS_SCREENSHOT_DIR "/") + name;
  ASSERT_TRUE(shot.save(path)) << path.toStdString();
  const QImage image = shot.toImage();
  EXPECT_NE(image.pixel(10, 10), image.pixel(image.width() / 2, image.height() / 2));
}

TEST(ScreenshotTest, APopulatedWindowLightAndDark) {
  for (const bool dark : {false, true}) {
    test::FakeBackend backend;
    test::SettingsFile file;
    MainWindow window(backend, file.settings);
    if (dark) window.setPalette(darkPalette());
    window.resize(1180, 720);
    window.show();
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    populate(backend, window);
    save(window, dark ? QStringLiteral("main_window_dark.png") : QStringLiteral("main_window.png"));
    if (!dark) {
      // The group, as it looks with authors' names.
      window.chatPanel()->selectChat(window.chats().rowOf("a", "120363000000000001@g.us"));
      auto alice = textMessage(1, 1'700'000'000, "Can someone cover Saturday morning?");
      alice.senderName = "Alice";
      auto sam = textMessage(2, 1'700'000'300, "I can cover Saturday");
      sam.senderJid = "447700900777@s.whatsapp.net";
      auto mine = textMessage(3, 1'700'000'400, "Thanks Sam!", true);
      mine.status = api::MessageStatus::Read;
      backend.answerMessages({alice, sam, mine});
      file.settings.setPrivacyMode(true);
      save(window, QStringLiteral("main_window_group.png"));
    }
  }
}

}  // namespace
}  // namespace chorus::ui
