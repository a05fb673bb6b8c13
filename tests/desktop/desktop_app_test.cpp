// The whole desktop app (chorus_desktop: DesktopApp with its MainWindow, LinkDialog and
// TrayController on the real engine) against a real chorus-sim, driven like a person under
// Xvfb (issue "The desktop app on the real engine"):
//   1. start with an empty data folder (passphrase store, fast test timers);
//   2. "Add number…" clicked: the name typed into the dialog, the link dialog opens by itself; the
//      test reads the QR string it shows and has the simulated phone scan it → the dialog
//      closes, the number is Ready;
//   3. a simulated contact writes: the chat appears, opened with a click;
//   4. the answer is typed into the composer, Enter: it goes out and gets its delivered tick;
//   5. the phone unlinks the device: the tray notifies naming the number, the badge says
//      "Logged out from the phone: link again".
// A screenshot of the main window after each step goes to ${CMAKE_BINARY_DIR}/screenshots/desktop.
// Also: the app's keychain path across a restart (DesktopKeychain, app.desktop_keychain), start
// minimised without a tray, and a missing sandbox server.
#include "app/desktop/desktop_app.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QDir>
#include <QInputDialog>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/desktop/desktop_test_support.h"
#include "ui/chat_list_model.h"
#include "ui/dialogs/link_dialog.h"
#include "ui/dialogs/tray_controller.h"
#include "ui/main_window.h"
#include "ui/message_list_model.h"
#include "ui/session_list_model.h"
#include "ui/settings.h"
#include "ui/window/composer.h"
#include "ui/window/conversation_view.h"

namespace chorus::testing {
namespace {

using api::ConnectionState;
using app::desktop::DesktopApp;

constexpr int kStepMs = 20'000;
const QString kPhone = QStringLiteral("15550003001");
const QString kContact = QStringLiteral("15550003002");

void pause(int ms) {
  (void)waitUntil([] { return false; }, ms);
}

// Saves what the person sees now as NN-name.png.
void screenshot(QWidget& widget, const QString& name) {
  const QString dir = QStringLiteral(CHORUS_SCREENSHOT_DIR);
  QDir().mkpath(dir);
  pause(150);  // pending paints and layouts
  EXPECT_TRUE(widget.grab().save(QDir(dir).filePath(name + QStringLiteral(".png"))))
      << name.toStdString();
}

// What is on screen (class and title or text of each visible window): for failure messages.
std::string shownWindows() {
  std::string out;
  for (QWidget* w : QApplication::topLevelWidgets()) {
    if (!w->isVisible()) continue;
    QString text = w->windowTitle();
    if (auto* box = qobject_cast<QMessageBox*>(w)) text += QStringLiteral(": ") + box->text();
    out += std::string(w->metaObject()->className()) + " \"" + text.toStdString() + "\"; ";
  }
  return out.empty() ? "nothing" : out;
}

// The first item view in `root` with a row whose `role` is `value`, and that row's index.
std::pair<QAbstractItemView*, QModelIndex> findRow(QWidget& root, int role, const QVariant& value) {
  for (QAbstractItemView* view : root.findChildren<QAbstractItemView*>()) {
    QAbstractItemModel* model = view->model();
    if (model == nullptr || !view->isVisible()) continue;
    for (int r = 0; r < model->rowCount(); ++r) {
      const QModelIndex index = model->index(r, 0);
      if (model->data(index, role) == value) return {view, index};
    }
  }
  return {nullptr, {}};
}

TEST(DesktopApp, LinkReceiveAnswerUnlink) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  SimProcess sim;
  if (auto e = sim.start(simProgram(), tmp.filePath(QStringLiteral("sim")))) FAIL() << *e;
  for (const QString& phone : {kPhone, kContact}) {
    ASSERT_EQ(sim.control("POST", QStringLiteral("/accounts"),
                          QJsonDocument(QJsonObject{{QStringLiteral("phone"), phone}})
                              .toJson(QJsonDocument::Compact))
                  .first,
              201);
  }

  // 1. Start: an empty data folder, the simulator as server, a passphrase instead of a keychain.
  app::desktop::DesktopOptions options;
  options.dataDir = tmp.filePath(QStringLiteral("app"));
  options.serverFile = sim.serverJson();
  options.timing = testEngineOptions(options.dataDir, sim).timing;
  options.passphrase = "correct horse battery staple";
  options.settingsFile = tmp.filePath(QStringLiteral("settings.ini"));
  options.watchNetwork = false;
  DesktopApp desktop(options);
  ASSERT_FALSE(desktop.prepare().has_value());
  QString failure;
  bool opened = false;
  QObject::connect(&desktop, &DesktopApp::failed, &desktop, [&](const QString& m) { failure = m; });
  QObject::connect(&desktop, &DesktopApp::engineOpened, &desktop, [&] { opened = true; });
  std::vector<ui::TrayController::Notification> notes;
  QObject::connect(&desktop.tray(), &ui::TrayController::notified, &desktop,
                   [&](const ui::TrayController::Notification& n) { notes.push_back(n); });
  desktop.showWindow();
  desktop.startEngine();
  ASSERT_TRUE(waitUntil([&] { return opened || !failure.isEmpty(); }, kStepMs));
  ASSERT_TRUE(failure.isEmpty()) << failure.toStdString();
  ui::MainWindow& window = desktop.window();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  ui::SessionListModel& sessions = window.sessions();
  screenshot(window, QStringLiteral("01-started"));

  // 2. Add a number: the name dialog (answered like a person), then the link dialog by itself.
  QTimer::singleShot(200, &desktop, [] {
    auto* ask = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
    if (ask == nullptr) return;
    ask->setTextValue(QStringLiteral("Shop"));
    ask->accept();
  });
  QAbstractButton* add = nullptr;
  for (QAbstractButton* b : window.findChildren<QAbstractButton*>()) {
    if (b->isVisible() && b->text().startsWith(QStringLiteral("Add number"))) add = b;
  }
  ASSERT_NE(add, nullptr) << "no \"Add number\" button";
  QTest::mouseClick(add, Qt::LeftButton);
  ASSERT_TRUE(waitUntil([&] { return desktop.linkDialog() != nullptr; }, kStepMs))
      << "no link dialog";
  ui::LinkDialog* dialog = desktop.linkDialog();
  ASSERT_TRUE(waitUntil([&] { return !dialog->currentQrCode().isEmpty(); }, kStepMs))
      << "no QR code in the dialog";
  EXPECT_EQ(dialog->property("qrCode").toString(), dialog->currentQrCode());
  ASSERT_EQ(sessions.rowCount(), 1);
  const api::AccountId id = sessions.account(0)->id;
  EXPECT_EQ(sessions.data(sessions.index(0), ui::SessionListModel::NameRole).toString(),
            QStringLiteral("Shop"));
  pause(300);
  EXPECT_TRUE(dialog->grab().save(
      QDir(QStringLiteral(CHORUS_SCREENSHOT_DIR)).filePath(QStringLiteral("02-link-dialog.png"))));

  const auto [scanStatus, scanned] =
      sim.control("POST", QStringLiteral("/accounts/%1/scan").arg(kPhone),
                  QJsonDocument(QJsonObject{{QStringLiteral("qr"), dialog->currentQrCode()}})
                      .toJson(QJsonDocument::Compact));
  ASSERT_EQ(scanStatus, 202);
  const QString device =
      scanned.value(QStringLiteral("device")).toString().section(u':', 1).section(u'@', 0, 0);
  const auto state = [&] {
    return sessions.data(sessions.index(sessions.rowOf(id)), ui::SessionListModel::StateRole)
        .toInt();
  };
  ASSERT_TRUE(
      waitUntil([&] { return state() == static_cast<int>(ConnectionState::Ready); }, kStepMs));
  ASSERT_TRUE(waitUntil([&] { return desktop.linkDialog() == nullptr; }, kStepMs))
      << "the link dialog stayed open after linking";
  screenshot(window, QStringLiteral("03-ready"));

  // 3. A contact writes; the chat appears and is opened with a click.
  pause(1'000);  // our prekeys went up right after login
  const QString hello = QStringLiteral("Hello! Is the blue jacket still available in M?");
  const SimReply sent =
      sim.call("POST", QStringLiteral("/accounts/%1/send").arg(kContact),
               QJsonObject{{QStringLiteral("to"), kPhone}, {QStringLiteral("text"), hello}});
  ASSERT_EQ(sent.status / 100, 2);
  const QString chat = QString::fromStdString(userJid(kContact));
  std::pair<QAbstractItemView*, QModelIndex> chatRow;
  ASSERT_TRUE(waitUntil(
      [&] {
        chatRow = findRow(window, ui::ChatListModel::ChatJidRole, chat);
        return chatRow.first != nullptr;
      },
      kStepMs))
      << "the chat did not appear";
  screenshot(window, QStringLiteral("04-message-arrived"));
  QAbstractItemView* chats = chatRow.first;
  chats->scrollTo(chatRow.second);
  QTest::mouseClick(chats->viewport(), Qt::LeftButton, {},
                    chats->visualRect(chatRow.second).center());
  auto* conversation = window.findChild<ui::ConversationView*>();
  ASSERT_NE(conversation, nullptr);
  ASSERT_TRUE(waitUntil(
      [&] { return findRow(window, ui::MessageListModel::TextRole, hello).first == conversation; },
      kStepMs))
      << "the message is not shown in the conversation";

  // 4. The answer: typed into the composer, Enter; then the delivered tick.
  auto* composer = window.findChild<ui::Composer*>();
  ASSERT_NE(composer, nullptr);
  ASSERT_TRUE(composer->isVisible() && composer->isEnabled());
  const QString answer = QStringLiteral("Yes, we have it in M. Shall I keep one for you?");
  composer->setFocus();
  QTest::keyClicks(composer, answer);
  QTest::keyClick(composer, Qt::Key_Return);
  ASSERT_TRUE(waitUntil(
      [&] { return findRow(window, ui::MessageListModel::TextRole, answer).first != nullptr; },
      kStepMs))
      << "the answer is not shown";
  EXPECT_TRUE(composer->toPlainText().isEmpty());
  ASSERT_TRUE(waitUntil(
      [&] {
        const auto [view, index] = findRow(window, ui::MessageListModel::TextRole, answer);
        return view != nullptr && index.data(ui::MessageListModel::StatusRole).toInt() >=
                                      static_cast<int>(api::MessageStatus::Delivered);
      },
      kStepMs))
      << "no delivered tick";
  screenshot(window, QStringLiteral("05-answered-delivered"));

  // 5. The phone unlinks this device: a notification naming the number, the badge says what to do.
  const auto [unlinkStatus, unlinked] =
      sim.control("DELETE", QStringLiteral("/devices/%1/%2").arg(kPhone, device));
  ASSERT_EQ(unlinkStatus, 200);
  ASSERT_TRUE(
      waitUntil([&] { return state() == static_cast<int>(ConnectionState::LoggedOut); }, kStepMs));
  ASSERT_TRUE(waitUntil(
      [&] {
        for (const auto& n : notes) {
          if (n.account == id) return true;
        }
        return false;
      },
      kStepMs))
      << "no tray notification";
  const auto& note =
      *std::find_if(notes.begin(), notes.end(), [&](const auto& n) { return n.account == id; });
  EXPECT_TRUE((note.title + note.body).contains(QStringLiteral("Shop")))
      << note.title.toStdString() << " / " << note.body.toStdString();
  EXPECT_EQ(sessions.data(sessions.index(sessions.rowOf(id)), ui::SessionListModel::StatusTextRole)
                .toString(),
            QStringLiteral("Logged out from the phone: link again"));
  screenshot(window, QStringLiteral("06-logged-out"));
  sim.stop();
}

// The keychain path as a person without CHORUS_PASSPHRASE gets it. Run by
// tests/platform/keychain_test.sh (gnome-keyring unlocked in a private D-Bus session) as two
// processes in that one session — an app restart — sharing $CHORUS_KEYCHAIN_SHARED:
//   1. FirstStart: a new number's data key goes to the keychain; no passphrase store is made;
//   2. SecondStart: the number opens with the key from the keychain alone.
class DesktopKeychain : public ::testing::Test {
 protected:
  void SetUp() override {
    const QByteArray shared = qgetenv("CHORUS_KEYCHAIN_SHARED");
    ASSERT_FALSE(shared.isEmpty()) << "run through tests/platform/keychain_test.sh";
    folder = QString::fromLocal8Bit(shared);
    if (auto e = sim.start(simProgram(), QDir(folder).filePath(QStringLiteral("sim")))) {
      FAIL() << *e;
    }
    options.dataDir = QDir(folder).filePath(QStringLiteral("app"));
    options.serverFile = sim.serverJson();
    options.timing = testEngineOptions(options.dataDir, sim).timing;
    options.settingsFile = QDir(folder).filePath(QStringLiteral("settings.ini"));
    options.watchNetwork = false;
    options.logger = &logger;  // no passphrase: the keychain
  }

  // prepare() and startEngine(): true once the engine opened.
  bool start(DesktopApp& desktop) {
    EXPECT_FALSE(desktop.prepare().has_value());
    QString failure;
    bool opened = false;
    QObject::connect(&desktop, &DesktopApp::failed, &desktop,
                     [&](const QString& m) { failure = m; });
    QObject::connect(&desktop, &DesktopApp::engineOpened, &desktop, [&] { opened = true; });
    desktop.startEngine();
    EXPECT_TRUE(waitUntil([&] { return opened || !failure.isEmpty(); }, kStepMs))
        << "still waiting; on screen: " << shownWindows();
    EXPECT_TRUE(failure.isEmpty()) << failure.toStdString();
    return opened;
  }

  // The number's row, when listed.
  static std::optional<QModelIndex> row(DesktopApp& desktop, const QString& name) {
    ui::SessionListModel& sessions = desktop.window().sessions();
    for (int r = 0; r < sessions.rowCount(); ++r) {
      const QModelIndex index = sessions.index(r, 0);
      if (index.data(ui::SessionListModel::NameRole).toString() == name) return index;
    }
    return std::nullopt;
  }

  QString folder;
  SimProcess sim;
  app::desktop::DesktopOptions options;
  core::Logger logger{core::stderrSink(), core::LogLevel::Warn};
};

TEST_F(DesktopKeychain, FirstStartKeepsTheDataKeyInTheKeychain) {
  DesktopApp desktop(options);
  ASSERT_TRUE(start(desktop));
  desktop.addNumber(QStringLiteral("Shop"));
  ASSERT_TRUE(waitUntil([&] { return row(desktop, QStringLiteral("Shop")).has_value(); }, kStepMs));
  EXPECT_TRUE(row(desktop, QStringLiteral("Shop"))->data(ui::SessionListModel::ProblemRole)
                  .toString()
                  .isEmpty());
  EXPECT_FALSE(QDir(QDir(options.dataDir).filePath(QStringLiteral("secrets")))
                   .exists(QStringLiteral("passphrase.json")))
      << "the keychain holds the key; no passphrase store";
}

TEST_F(DesktopKeychain, SecondStartOpensTheNumberWithTheKeychainAlone) {
  DesktopApp desktop(options);
  ASSERT_TRUE(start(desktop));
  ASSERT_TRUE(waitUntil([&] { return row(desktop, QStringLiteral("Shop")).has_value(); }, kStepMs))
      << "the number of the first start";
  // Without its data key the number would be listed with a problem ("cannot be opened").
  EXPECT_EQ(row(desktop, QStringLiteral("Shop"))
                ->data(ui::SessionListModel::ProblemRole)
                .toString()
                .toStdString(),
            "")
      << "opened with its key from the keychain";
  EXPECT_FALSE(QDir(QDir(options.dataDir).filePath(QStringLiteral("secrets")))
                   .exists(QStringLiteral("passphrase.json")));
}

// "Start minimised" hides the window only when a tray can bring it back; with none (here:
// offscreen) the window is shown, so Chorus never starts invisible and unreachable.
TEST(DesktopApp, StartMinimisedWithoutATrayStillShowsTheWindow) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  const QString ini = tmp.filePath(QStringLiteral("settings.ini"));
  {
    ui::Settings settings(ini);
    settings.setStartMinimised(true);
  }
  SimProcess sim;
  if (auto e = sim.start(simProgram(), tmp.filePath(QStringLiteral("sim")))) FAIL() << *e;
  app::desktop::DesktopOptions options;
  options.dataDir = tmp.filePath(QStringLiteral("app"));
  options.serverFile = sim.serverJson();
  options.settingsFile = ini;
  DesktopApp desktop(options);
  ASSERT_FALSE(desktop.prepare().has_value());
  ASSERT_FALSE(desktop.tray().isTrayAvailable());
  desktop.showWindow();
  EXPECT_TRUE(desktop.window().isVisible());
}

// Without --server the sandbox server chosen in the settings is used; when its file is gone
// Chorus refuses to start rather than connect the sandbox numbers to WhatsApp.
TEST(DesktopApp, MissingSandboxServerIsRefused) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  const QString ini = tmp.filePath(QStringLiteral("settings.ini"));
  {
    ui::Settings settings(ini);
    settings.setSandboxServer(tmp.filePath(QStringLiteral("gone/server.json")));
  }
  app::desktop::DesktopOptions options;
  options.dataDir = tmp.filePath(QStringLiteral("app"));
  options.settingsFile = ini;
  DesktopApp desktop(options);
  const std::optional<QString> error = desktop.prepare();
  ASSERT_TRUE(error.has_value());
  EXPECT_TRUE(error->contains(QStringLiteral("sandbox server"))) << error->toStdString();
}

}  // namespace
}  // namespace chorus::testing
