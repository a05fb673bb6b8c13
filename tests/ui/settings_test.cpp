// Settings persist in their file and privacy mode masks numbers.
#include "ui/settings.h"

#include <QSignalSpy>
#include <QTemporaryDir>

#include <gtest/gtest.h>

namespace chorus::ui {
namespace {

TEST(Settings, PersistAndMask) {
  QTemporaryDir dir;
  const QString file = dir.filePath(QStringLiteral("chorus.ini"));
  {
    Settings s(file);
    EXPECT_FALSE(s.startMinimised());
    EXPECT_TRUE(s.notificationsEnabled("a"));
    QSignalSpy changed(&s, &Settings::changed);
    s.setStartMinimised(true);
    s.setNotificationsEnabled("a", false);
    s.setPrivacyMode(true);
    s.setSandboxServer(QStringLiteral("/tmp/sim/server.json"));
    EXPECT_EQ(changed.count(), 4);
  }
  Settings again(file);
  EXPECT_TRUE(again.startMinimised());
  EXPECT_FALSE(again.notificationsEnabled("a"));
  EXPECT_TRUE(again.notificationsEnabled("b"));
  EXPECT_EQ(again.sandboxServer(), "/tmp/sim/server.json");
  EXPECT_EQ(again.displayNumber(QStringLiteral("+15551234567")), QString::fromUtf8("+1555•••4567"));
  again.setPrivacyMode(false);
  EXPECT_EQ(again.displayNumber(QStringLiteral("+15551234567")), "+15551234567");
  EXPECT_EQ(maskNumber(QStringLiteral("12345")), "12345") << "too short to hide anything";
}

}  // namespace
}  // namespace chorus::ui
