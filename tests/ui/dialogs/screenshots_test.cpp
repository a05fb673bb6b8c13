// Pictures of the dialogs and the tray icon for people to look at (not compared with anything):
// written to <build>/screenshots/dialogs/. Each picture is checked to be non-empty.
#include <QDir>
#include <QImage>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "tests/ui/dialogs/dialogs_test_support.h"
#include "tests/ui/fake_backend.h"
#include "ui/dialogs/link_dialog.h"
#include "ui/dialogs/settings_dialog.h"
#include "ui/dialogs/tray_controller.h"

namespace chorus::ui {
namespace {

using api::ConnectionState;
using namespace std::chrono_literals;

void save(const QImage& image, const QString& name) {
  ASSERT_FALSE(image.isNull()) << name.toStdString();
  const QDir dir(QStringLiteral(CHORUS_SCREENSHOT_DIR));
  ASSERT_TRUE(dir.mkpath(QStringLiteral(".")));
  EXPECT_TRUE(image.save(dir.filePath(name))) << name.toStdString();
}

void save(QWidget& widget, const QString& name) {
  widget.show();
  widget.grab();  // the first grab lays out; the second shows the settled result
  save(widget.grab().toImage(), name);
}

class Screenshots : public ::testing::Test {
 protected:
  test::FakeBackend backend;
  api::TimePoint now{std::chrono::milliseconds(1'700'000'000'000)};
};

TEST_F(Screenshots, LinkDialog) {
  LinkDialog qr(backend, "a", QStringLiteral("Shop"));
  qr.setClock([this] { return now; });
  qr.resize(760, 520);
  qr.show();
  Q_EMIT backend.accountEvent(
      api::QrCodeShown{"a", test::realLengthQr(1).toStdString(), now + 42s});
  save(qr, QStringLiteral("link_dialog_qr.png"));

  LinkDialog phone(backend, "b", QStringLiteral("Support"));
  phone.resize(760, 520);
  phone.show();
  phone.findChild<QTabWidget*>()->setCurrentIndex(1);
  phone.findChild<QLineEdit*>(QStringLiteral("phoneNumber"))
      ->setText(QStringLiteral("+44 7700 900123"));
  phone.findChild<QPushButton*>(QStringLiteral("getCode"))->click();
  Q_EMIT backend.accountEvent(api::LinkCodeShown{"b", "K7QD-2MXR"});
  save(phone, QStringLiteral("link_dialog_phone.png"));

  LinkDialog invalid(backend, "c", QStringLiteral("Sales"));
  invalid.resize(760, 520);
  invalid.show();
  invalid.findChild<QTabWidget*>()->setCurrentIndex(1);
  invalid.findChild<QLineEdit*>(QStringLiteral("phoneNumber"))
      ->setText(QStringLiteral("07700 900123"));
  invalid.findChild<QPushButton*>(QStringLiteral("getCode"))->click();
  save(invalid, QStringLiteral("link_dialog_phone_invalid.png"));

  LinkDialog expired(backend, "d", QStringLiteral("Orders"));
  expired.resize(760, 520);
  expired.show();
  Q_EMIT backend.accountEvent(
      api::QrCodeShown{"d", test::realLengthQr(2).toStdString(), now + 20s});
  Q_EMIT backend.accountEvent(
      test::statusEvent("d", ConnectionState::Pairing, ConnectionState::Unlinked));
  save(expired, QStringLiteral("link_dialog_expired.png"));
}

TEST_F(Screenshots, TrayIcons) {
  // Rows: the four states; columns: 64, 32, 22 and 16 px without unread, then 64 and 22 px
  // with 5 and with 120 unread.
  constexpr int kCell = 72;
  const TrayState states[] = {TrayState::AllReady, TrayState::Working, TrayState::NeedsAction,
                              TrayState::Idle};
  QImage sheet(kCell * 7, kCell * 4, QImage::Format_ARGB32_Premultiplied);
  sheet.fill(QColor(0xee, 0xee, 0xee));
  QPainter p(&sheet);
  for (int row = 0; row < 4; ++row) {
    const struct {
      int size;
      long long unread;
    } cells[] = {{64, 0}, {32, 0}, {22, 0}, {16, 0}, {64, 5}, {64, 120}, {22, 5}};
    for (int col = 0; col < 7; ++col) {
      const QImage icon = trayImage(states[row], cells[col].unread, cells[col].size);
      p.drawImage(col * kCell + (kCell - icon.width()) / 2,
                  row * kCell + (kCell - icon.height()) / 2, icon);
    }
  }
  p.end();
  save(sheet, QStringLiteral("tray_icons.png"));

  QTemporaryDir dir;
  Settings settings(dir.filePath(QStringLiteral("settings.ini")));
  SessionListModel sessions(backend, [this] { return now; });
  TrayController tray(backend, sessions, settings);
  tray.setClock([this] { return now; });
  Q_EMIT backend.accountsLoaded({test::account("a", "Shop", ConnectionState::Ready),
                                 test::account("b", "Support", ConnectionState::Ready),
                                 test::account("c", "Sales", ConnectionState::Ready)});
  api::ConnectionStatus reconnecting;
  reconnecting.state = ConnectionState::Reconnecting;
  reconnecting.attempt = 2;
  reconnecting.nextRetryAt = now + 18s;
  Q_EMIT backend.accountEvent(api::AccountStatusEvent{
      "b", api::ConnectionStatusChanged{ConnectionState::Ready, reconnecting}});
  Q_EMIT backend.accountEvent(
      test::statusEvent("c", ConnectionState::Ready, ConnectionState::LoggedOut));
  Q_EMIT backend.accountEvent(api::ChatUpdated{"a", "1@s.whatsapp.net", 4, 4});
  save(tray.currentIcon().pixmap(64).toImage(), QStringLiteral("tray_icon_current.png"));
  QMenu* menu = tray.menu();
  save(*menu, QStringLiteral("tray_menu.png"));
  menu->hide();
}

TEST_F(Screenshots, SettingsDialog) {
  QTemporaryDir dir;
  Settings settings(dir.filePath(QStringLiteral("settings.ini")));
  SessionListModel sessions(backend);
  Q_EMIT backend.accountsLoaded({test::account("a", "Shop", ConnectionState::Ready),
                                 test::account("b", "Support", ConnectionState::Ready)});
  settings.setNotificationsEnabled("b", false);
  settings.setStartMinimised(true);
  SettingsDialog dialog(settings, sessions);
  dialog.resize(520, dialog.sizeHint().height());
  save(dialog, QStringLiteral("settings_dialog.png"));
}

}  // namespace
}  // namespace chorus::ui
