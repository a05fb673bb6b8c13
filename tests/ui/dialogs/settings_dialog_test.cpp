// SettingsDialog: shows the stored preferences, writes what changed on OK and nothing on
// Cancel, and refuses a sandbox server path where there is no file.
#include "ui/dialogs/settings_dialog.h"

#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "tests/ui/dialogs/dialogs_test_support.h"
#include "tests/ui/fake_backend.h"

namespace chorus::ui {
namespace {

using api::ConnectionState;

class SettingsDialogTest : public ::testing::Test {
 protected:
  SettingsDialogTest() {
    Q_EMIT backend.accountsLoaded({test::account("a", "Shop", ConnectionState::Ready),
                                   test::account("b", "Support", ConnectionState::Ready)});
    settings.setNotificationsEnabled("b", false);
  }

  template <typename W>
  static W* child(QWidget& dialog, const QString& name) {
    W* w = dialog.findChild<W*>(name);
    EXPECT_NE(w, nullptr) << name.toStdString();
    return w;
  }

  QTemporaryDir dir;
  Settings settings{dir.filePath(QStringLiteral("settings.ini"))};
  test::FakeBackend backend;
  SessionListModel sessions{backend};
};

TEST_F(SettingsDialogTest, ShowsWhatIsStored) {
  settings.setPrivacyMode(true);
  SettingsDialog dialog(settings, sessions);
  EXPECT_FALSE(child<QCheckBox>(dialog, "startMinimised")->isChecked());
  EXPECT_TRUE(child<QCheckBox>(dialog, "privacyMode")->isChecked());
  EXPECT_TRUE(child<QCheckBox>(dialog, "notify:a")->isChecked());
  EXPECT_FALSE(child<QCheckBox>(dialog, "notify:b")->isChecked());
  EXPECT_TRUE(child<QCheckBox>(dialog, "notify:a")->text().contains(u"Shop"));
  EXPECT_TRUE(child<QLineEdit>(dialog, "sandboxServer")->text().isEmpty());
}

TEST_F(SettingsDialogTest, OkWritesTheSettings) {
  const QString server = dir.filePath(QStringLiteral("server.json"));
  QFile file(server);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write("{}");
  file.close();

  SettingsDialog dialog(settings, sessions);
  child<QCheckBox>(dialog, "startMinimised")->setChecked(true);
  child<QCheckBox>(dialog, "privacyMode")->setChecked(true);
  child<QCheckBox>(dialog, "notify:a")->setChecked(false);
  child<QCheckBox>(dialog, "notify:b")->setChecked(true);
  child<QLineEdit>(dialog, "sandboxServer")->setText(server);
  QSignalSpy changed(&settings, &Settings::changed);
  dialog.accept();
  EXPECT_EQ(dialog.result(), QDialog::Accepted);
  EXPECT_TRUE(settings.startMinimised());
  EXPECT_TRUE(settings.privacyMode());
  EXPECT_FALSE(settings.notificationsEnabled("a"));
  EXPECT_TRUE(settings.notificationsEnabled("b"));
  EXPECT_EQ(settings.sandboxServer(), server);
  EXPECT_EQ(changed.count(), 5);

  // Read back from the file by a fresh Settings: it was really stored.
  Settings again(dir.filePath(QStringLiteral("settings.ini")));
  EXPECT_TRUE(again.privacyMode());
  EXPECT_EQ(again.sandboxServer(), server);

  // OK with nothing changed announces nothing.
  SettingsDialog unchanged(settings, sessions);
  unchanged.accept();
  EXPECT_EQ(changed.count(), 5);
}

TEST_F(SettingsDialogTest, CancelWritesNothing) {
  SettingsDialog dialog(settings, sessions);
  child<QCheckBox>(dialog, "privacyMode")->setChecked(true);
  dialog.reject();
  EXPECT_FALSE(settings.privacyMode());
}

TEST_F(SettingsDialogTest, AMissingSandboxFileIsRefused) {
  SettingsDialog dialog(settings, sessions);
  dialog.show();
  child<QCheckBox>(dialog, "privacyMode")->setChecked(true);
  child<QLineEdit>(dialog, "sandboxServer")->setText(dir.filePath(QStringLiteral("nope.json")));
  dialog.accept();
  EXPECT_TRUE(dialog.isVisible());
  EXPECT_FALSE(child<QLabel>(dialog, "sandboxError")->isHidden());
  EXPECT_FALSE(settings.privacyMode());
  EXPECT_TRUE(settings.sandboxServer().isEmpty());
  // Emptied: back to WhatsApp, accepted.
  child<QLineEdit>(dialog, "sandboxServer")->clear();
  dialog.accept();
  EXPECT_FALSE(dialog.isVisible());
  EXPECT_TRUE(settings.privacyMode());
}

}  // namespace
}  // namespace chorus::ui
