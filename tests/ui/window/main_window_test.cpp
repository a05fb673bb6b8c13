// The main window over FakeBackend: numbers and their actions, "All numbers", search, privacy
// mode, opening a chat (read receipts while it is in sight), sending, retrying a failed message,
// and closing to the tray.
#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>
#include <algorithm>

#include <gtest/gtest.h>

#include "tests/ui/window/window_fixture.h"
#include "ui/chat_list_model.h"
#include "ui/message_list_model.h"
#include "ui/session_list_model.h"
#include "ui/window/chat_filter_model.h"
#include "ui/window/chat_panel.h"
#include "ui/window/composer.h"
#include "ui/window/conversation_panel.h"
#include "ui/window/conversation_view.h"
#include "ui/window/message_delegate.h"
#include "ui/window/number_panel.h"

namespace chorus::ui {
namespace {

using api::ConnectionState;
using test::chat;
using test::number;
using test::textMessage;

constexpr char kAda[] = "15551234567@s.whatsapp.net";
constexpr char kBob[] = "15557654321@s.whatsapp.net";

class MainWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    window.resize(1100, 700);
    window.show();
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    Q_EMIT backend.accountsLoaded({number("a", "Front desk", ConnectionState::Ready),
                                   number("b", "Deliveries", ConnectionState::LoggedOut)});
  }

  bool sent(const std::string& command) const {
    return std::find(backend.commands.begin(), backend.commands.end(), command) !=
           backend.commands.end();
  }
  QAction* action(const char* name) const {
    return window.findChild<QAction*>(QString::fromLatin1(name));
  }
  void chooseNumber(const api::AccountId& id) { window.numberPanel()->selectAccount(id); }
  // The chat list as shown (after search and privacy mode).
  QStringList shownTitles() const {
    QStringList out;
    const QAbstractItemModel* shown = window.chatPanel()->view()->model();
    for (int r = 0; r < shown->rowCount(); ++r) out << shown->index(r, 0).data().toString();
    return out;
  }
  void loadChatsOfA() {
    Q_EMIT backend.chatsLoaded("a",
                               {chat(kAda, "", 300, 2, "Is it ready?"), chat(kBob, "Bob", 200)});
  }

  test::FakeBackend backend;
  test::SettingsFile file;
  MainWindow window{backend, file.settings};
};

TEST_F(MainWindowTest, NumberActionsCallTheBackend) {
  QSignalSpy linkSpy(&window, &MainWindow::linkRequested);
  QSignalSpy addSpy(&window, &MainWindow::addNumberRequested);
  QSignalSpy settingsSpy(&window, &MainWindow::settingsRequested);

  chooseNumber("a");
  EXPECT_FALSE(action("reconnectAction")->isEnabled()) << "a ready number has nothing to redo";
  chooseNumber("b");
  ASSERT_TRUE(action("linkAction")->isEnabled());
  EXPECT_EQ(action("linkAction")->text(), QStringLiteral("Link again…"));
  action("linkAction")->trigger();
  ASSERT_EQ(linkSpy.count(), 1);
  EXPECT_EQ(linkSpy[0][0].value<api::AccountId>(), "b");

  Q_EMIT backend.accountEvent(api::AccountStatusEvent{
      "b",
      {ConnectionState::LoggedOut, {ConnectionState::Reconnecting, 0, "", {}, {}, {}, {}, 3}}});
  ASSERT_TRUE(action("reconnectAction")->isEnabled());
  action("reconnectAction")->trigger();
  EXPECT_TRUE(sent("reconnect b"));

  action("renameAction")->trigger();
  auto* rename = window.findChild<QInputDialog*>(QStringLiteral("renameDialog"));
  ASSERT_NE(rename, nullptr);
  EXPECT_EQ(rename->textValue(), QStringLiteral("Deliveries"));
  rename->setTextValue(QStringLiteral("  Vans  "));
  rename->accept();
  EXPECT_TRUE(sent("rename b Vans"));

  action("removeAction")->trigger();
  auto* confirm = window.findChild<QMessageBox*>(QStringLiteral("removeDialog"));
  ASSERT_NE(confirm, nullptr);
  confirm->button(QMessageBox::Cancel)->click();
  EXPECT_FALSE(sent("remove b")) << "Cancel keeps the number";
  QApplication::processEvents();
  action("removeAction")->trigger();
  confirm = window.findChild<QMessageBox*>(QStringLiteral("removeDialog"));
  ASSERT_NE(confirm, nullptr);
  confirm->findChild<QPushButton*>(QStringLiteral("confirmRemove"))->click();
  EXPECT_TRUE(sent("remove b"));

  QApplication::processEvents();
  window.activateWindow();
  ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
  QTest::keySequence(&window, QKeySequence::New);
  EXPECT_EQ(addSpy.count(), 1) << "Ctrl+N adds a number";
  action("settingsAction")->trigger();
  EXPECT_EQ(settingsSpy.count(), 1);

  window.numberPanel()->selectAll();
  EXPECT_FALSE(action("renameAction")->isEnabled()) << "\"All numbers\" is not a number";
  EXPECT_FALSE(action("removeAction")->isEnabled());
}

TEST_F(MainWindowTest, NumbersShowTheirStateInWords) {
  const SessionListModel& sessions = window.sessions();
  ASSERT_EQ(sessions.rowCount(), 2);
  EXPECT_EQ(sessions.data(sessions.index(1), SessionListModel::StatusTextRole).toString(),
            QStringLiteral("Logged out from the phone: link again"));
  // "All numbers" leads the list, then each number.
  const QAbstractItemModel* list = window.numberPanel()->view()->model();
  ASSERT_EQ(list->rowCount(), 3);
  EXPECT_EQ(list->index(0, 0).data().toString(), QStringLiteral("All numbers"));
  EXPECT_EQ(list->index(2, 0).data().toString(), QStringLiteral("Deliveries"));
  EXPECT_TRUE(list->index(0, 0)
                  .data(SessionListModel::StatusTextRole)
                  .toString()
                  .contains(QStringLiteral("2 numbers")));
}

TEST_F(MainWindowTest, AllNumbersShowsEveryNumbersChatsAndOneNumberOnlyItsOwn) {
  ASSERT_EQ(window.chats().accounts(), (std::vector<api::AccountId>{"a", "b"}))
      << "\"All numbers\" is chosen at first";
  loadChatsOfA();
  Q_EMIT backend.chatsLoaded("b", {chat("15550000009@s.whatsapp.net", "Cara", 250)});
  EXPECT_EQ(shownTitles(), (QStringList{"+15551234567", "Cara", "Bob"}));

  chooseNumber("b");
  EXPECT_EQ(window.chats().accounts(), (std::vector<api::AccountId>{"b"}));
  Q_EMIT backend.chatsLoaded("b", {chat("15550000009@s.whatsapp.net", "Cara", 250)});
  EXPECT_EQ(shownTitles(), (QStringList{"Cara"}));

  // A number added while "All numbers" is chosen joins the list.
  window.numberPanel()->selectAll();
  Q_EMIT backend.accountsLoaded({number("a", "Front desk", ConnectionState::Ready),
                                 number("b", "Deliveries", ConnectionState::LoggedOut),
                                 number("c", "Online shop", ConnectionState::Unlinked, "")});
  EXPECT_EQ(window.chats().accounts(), (std::vector<api::AccountId>{"a", "b", "c"}));
}

TEST_F(MainWindowTest, SearchFiltersChatsByNameOrNumber) {
  chooseNumber("a");
  loadChatsOfA();
  QLineEdit* search = window.chatPanel()->searchField();
  QTest::keySequence(&window, QKeySequence::Find);
  EXPECT_TRUE(search->hasFocus()) << "Ctrl+F goes to the search";
  QTest::keyClicks(search, QStringLiteral("bo"));
  EXPECT_EQ(shownTitles(), (QStringList{"Bob"}));
  search->setText(QStringLiteral("555 123"));
  EXPECT_EQ(shownTitles(), (QStringList{"+15551234567"}));
  search->setText(QStringLiteral("7654"));
  EXPECT_EQ(shownTitles(), (QStringList{"Bob"})) << "a named chat is found by its number too";
  search->setText(QStringLiteral("nobody"));
  EXPECT_TRUE(shownTitles().isEmpty());
  search->clear();
  EXPECT_EQ(shownTitles().size(), 2);
}

TEST_F(MainWindowTest, PrivacyModeMasksCustomerNumbers) {
  chooseNumber("a");
  loadChatsOfA();
  EXPECT_EQ(shownTitles(), (QStringList{"+15551234567", "Bob"}));
  file.settings.setPrivacyMode(true);
  EXPECT_EQ(shownTitles(), (QStringList{"+1555•••4567", "Bob"}));
  window.chatPanel()->selectChat(0);
  auto* title = window.findChild<QLabel*>(QStringLiteral("chatTitle"));
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->text(), QStringLiteral("+1555•••4567"));
  window.chatPanel()->selectChat(1);
  auto* subtitle = window.findChild<QLabel*>(QStringLiteral("chatSubtitle"));
  EXPECT_TRUE(subtitle->text().startsWith(QStringLiteral("+1555•••4321")))
      << subtitle->text().toStdString();
  file.settings.setPrivacyMode(false);
  EXPECT_EQ(shownTitles(), (QStringList{"+15551234567", "Bob"}));
  EXPECT_TRUE(subtitle->text().startsWith(QStringLiteral("+15557654321")));
}

TEST_F(MainWindowTest, ChoosingAChatOpensItAndSendsReadReceiptsWhileInSight) {
  chooseNumber("a");
  loadChatsOfA();
  backend.commands.clear();
  window.chatPanel()->selectChat(0);
  EXPECT_EQ(window.messages().chatJid(), kAda);
  ASSERT_EQ(backend.messageRequests.size(), 1u);
  EXPECT_EQ(backend.messageRequests[0].chat, kAda);
  EXPECT_TRUE(sent(std::string("read a ") + kAda));
  EXPECT_TRUE(window.conversationPanel()->isShowingChat());

  backend.commands.clear();
  Q_EMIT backend.accountEvent(api::MessageAdded{"a", kAda, textMessage(9, 400, "one more")});
  EXPECT_TRUE(sent(std::string("read a ") + kAda)) << "a new message in the open chat is read";
  backend.commands.clear();
  Q_EMIT backend.accountEvent(api::MessageAdded{"a", kBob, textMessage(10, 401, "elsewhere")});
  EXPECT_TRUE(backend.commands.empty()) << "other chats stay unread";

  window.hide();
  Q_EMIT backend.accountEvent(api::MessageAdded{"a", kAda, textMessage(11, 402, "unseen")});
  EXPECT_TRUE(backend.commands.empty()) << "no receipt while nobody can see it";
}

TEST_F(MainWindowTest, EnterInTheComposerSendsToTheOpenChat) {
  chooseNumber("a");
  loadChatsOfA();
  window.chatPanel()->selectChat(1);
  Composer* composer = window.conversationPanel()->composer();
  QTest::keyClicks(composer, QStringLiteral("On its way"));
  QTest::keyClick(composer, Qt::Key_Return);
  EXPECT_TRUE(sent(std::string("send a ") + kBob + " On its way"));
}

TEST_F(MainWindowTest, WhatWasTypedWaitsInItsChat) {
  chooseNumber("a");
  loadChatsOfA();
  Composer* composer = window.conversationPanel()->composer();
  window.chatPanel()->selectChat(0);
  QTest::keyClicks(composer, QStringLiteral("Half a thought"));
  window.chatPanel()->selectChat(1);
  EXPECT_TRUE(composer->toPlainText().isEmpty()) << "Bob's chat has its own composer text";
  QTest::keyClicks(composer, QStringLiteral("For Bob"));
  window.chatPanel()->selectChat(0);
  EXPECT_EQ(composer->toPlainText(), QStringLiteral("Half a thought"));
  QTest::keyClicks(composer, QStringLiteral(", finished"));  // the cursor is at the end
  QTest::keyClick(composer, Qt::Key_Return);
  EXPECT_TRUE(sent(std::string("send a ") + kAda + " Half a thought, finished"));
  window.chatPanel()->selectChat(1);
  EXPECT_EQ(composer->toPlainText(), QStringLiteral("For Bob"));
  window.chatPanel()->selectChat(0);
  EXPECT_TRUE(composer->toPlainText().isEmpty()) << "sent, so no draft is left";
}

TEST_F(MainWindowTest, TheWindowAndItsColumnsAreRememberedForTheNextStart) {
  auto* splitter = window.findChild<QSplitter*>(QStringLiteral("mainSplitter"));
  ASSERT_NE(splitter, nullptr);
  window.resize(1000, 640);
  splitter->setSizes({320, 260, 400});
  const QList<int> sizes = splitter->sizes();
  window.setKeepRunningInTray(true);  // hidden to the tray counts as a close too
  EXPECT_FALSE(window.close());

  MainWindow next{backend, file.settings};
  auto* nextSplitter = next.findChild<QSplitter*>(QStringLiteral("mainSplitter"));
  ASSERT_NE(nextSplitter, nullptr);
  next.show();
  EXPECT_EQ(next.size(), QSize(1000, 640));
  EXPECT_EQ(nextSplitter->sizes(), sizes);
}

TEST_F(MainWindowTest, ClickingRetryOnAFailedMessageRetriesIt) {
  chooseNumber("a");
  loadChatsOfA();
  window.chatPanel()->selectChat(1);
  auto failed = textMessage(3, 500, "Your order is ready", true);
  failed.status = api::MessageStatus::Failed;
  failed.failureReason = "the recipient's devices could not be found";
  backend.answerMessages({textMessage(1, 400, "Hi"), textMessage(2, 450, "Hello", true), failed});
  QApplication::processEvents();
  ConversationView* view = window.conversationPanel()->view();
  const QModelIndex last = view->viewIndex(2);
  QStyleOptionViewItem option;
  option.initFrom(view);
  option.rect = view->visualRect(last);
  option.widget = view;
  const QRect retry = view->messageDelegate()->retryRect(option, last);
  ASSERT_FALSE(retry.isEmpty());
  ASSERT_TRUE(view->viewport()->rect().contains(retry.center()));
  QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, retry.center());
  EXPECT_TRUE(sent(std::string("retry a ") + kBob + " 3EB03"));

  // From the keyboard: Enter on the failed message.
  backend.commands.clear();
  view->setCurrentIndex(last);
  QTest::keyClick(view, Qt::Key_Return);
  EXPECT_TRUE(sent(std::string("retry a ") + kBob + " 3EB03"));
}

TEST_F(MainWindowTest, TheKeyboardFindsAChatAndWritesToIt) {
  chooseNumber("a");
  loadChatsOfA();
  QTest::keySequence(&window, QKeySequence::Find);
  QLineEdit* search = window.chatPanel()->searchField();
  QTest::keyClicks(search, QStringLiteral("bob"));
  QTest::keyClick(search, Qt::Key_Return);
  EXPECT_EQ(window.messages().chatJid(), kBob) << "Enter opens the first chat found";
  EXPECT_TRUE(window.chatPanel()->view()->hasFocus());
  QTest::keyClick(window.chatPanel()->view(), Qt::Key_Return);
  EXPECT_TRUE(window.conversationPanel()->composer()->hasFocus()) << "Enter goes on to writing";
}

TEST_F(MainWindowTest, AFailedCommandIsShownInTheStatusBar) {
  Q_EMIT backend.commandFailed("b", QStringLiteral("rename"),
                               QStringLiteral("that name is already taken"));
  EXPECT_EQ(window.statusBar()->currentMessage(),
            QStringLiteral("Deliveries: could not rename: that name is already taken"));
}

TEST_F(MainWindowTest, ClosingHidesWhenKeptInTheTrayAndClosesOtherwise) {
  window.setKeepRunningInTray(true);
  EXPECT_FALSE(window.close());
  EXPECT_FALSE(window.isVisible());
  window.show();
  window.setKeepRunningInTray(false);
  EXPECT_TRUE(window.close());
  EXPECT_FALSE(window.isVisible());
}

TEST_F(MainWindowTest, ControlsHaveAccessibleNames) {
  for (QWidget* widget : {static_cast<QWidget*>(window.numberPanel()->view()),
                          static_cast<QWidget*>(window.chatPanel()->searchField()),
                          static_cast<QWidget*>(window.chatPanel()->view()),
                          static_cast<QWidget*>(window.conversationPanel()->view()),
                          static_cast<QWidget*>(window.conversationPanel()->composer()),
                          static_cast<QWidget*>(window.conversationPanel()->sendButton())}) {
    EXPECT_FALSE(widget->accessibleName().isEmpty()) << widget->objectName().toStdString();
  }
}

TEST(MainWindowCompatibilityTest, TheDefaultConstructorShowsAnEmptyWindow) {
  MainWindow window;
  window.show();
  EXPECT_EQ(window.sessions().rowCount(), 0);
  EXPECT_FALSE(window.windowIcon().isNull());
}

}  // namespace
}  // namespace chorus::ui
