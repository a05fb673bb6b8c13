// The conversation on its own: the composer (Enter sends, Shift+Enter is a new line, blank text
// is not sent), paging at the top with the messages in sight kept in place, new messages
// followed only from the bottom, and the delegate's sizes (longer text and a day separator make
// a row taller).
#include "ui/window/conversation_view.h"

#include <QApplication>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include "tests/ui/window/window_fixture.h"
#include "ui/message_list_model.h"
#include "ui/window/composer.h"
#include "ui/window/conversation_panel.h"

namespace chorus::ui {
namespace {

using test::textMessage;
constexpr char kChat[] = "15550000002@s.whatsapp.net";

class ConversationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    view.resize(480, 360);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
  }
  // Lets queued work (layout, the fetch check after a page) run.
  static void settle() {
    for (int i = 0; i < 3; ++i) QApplication::processEvents();
  }
  QString textAtRow(int row) const {
    return model.data(model.index(row), MessageListModel::TextRole).toString();
  }

  test::FakeBackend backend;
  test::SettingsFile file;
  MessageListModel model{backend};
  ConversationView view{model, file.settings};
};

TEST(ComposerTest, EnterSendsShiftEnterStartsANewLineBlankIsNotSent) {
  test::FakeBackend backend;
  test::SettingsFile file;
  MessageListModel model{backend};
  ConversationPanel panel(model, file.settings);
  panel.showChat(QStringLiteral("Ada"), {}, false);
  panel.show();
  QSignalSpy sent(&panel, &ConversationPanel::sendRequested);
  Composer* composer = panel.composer();

  QTest::keyClicks(composer, QStringLiteral("first line"));
  QTest::keyClick(composer, Qt::Key_Return, Qt::ShiftModifier);
  QTest::keyClicks(composer, QStringLiteral("second"));
  EXPECT_EQ(sent.count(), 0) << "Shift+Enter does not send";
  EXPECT_EQ(composer->toPlainText(), QStringLiteral("first line\nsecond"));

  QTest::keyClick(composer, Qt::Key_Return);
  ASSERT_EQ(sent.count(), 1);
  EXPECT_EQ(sent[0][0].toString(), QStringLiteral("first line\nsecond"));
  EXPECT_TRUE(composer->toPlainText().isEmpty()) << "cleared once sent";

  QTest::keyClicks(composer, QStringLiteral("   "));
  QTest::keyClick(composer, Qt::Key_Enter);  // the keypad's Enter too
  QTest::keyClick(composer, Qt::Key_Return, Qt::ShiftModifier);
  QTest::keyClick(composer, Qt::Key_Return);
  EXPECT_EQ(sent.count(), 1) << "blank text is not sent";
}

TEST_F(ConversationTest, ScrollingToTheTopFetchesTheNextPageAndKeepsTheViewAnchored) {
  const auto stored = test::history(120);
  model.open("a", kChat);
  backend.answerMessages(stored);
  settle();
  ASSERT_EQ(model.rowCount(), MessageListModel::kPageSize);
  EXPECT_TRUE(view.isAtBottom()) << "a chat opens at its newest message";
  EXPECT_TRUE(backend.messageRequests.empty())
      << "nothing more is asked for while the view is at the bottom";

  // Near the top first: a message in sight, then to the very top.
  QScrollBar* bar = view.verticalScrollBar();
  ASSERT_GT(bar->maximum(), 0);
  bar->setValue(40);
  EXPECT_TRUE(backend.messageRequests.empty());
  const QModelIndex anchor = view.indexAt(QPoint(view.viewport()->width() / 2, 1));
  ASSERT_TRUE(anchor.isValid());
  bar->setValue(0);
  ASSERT_EQ(backend.messageRequests.size(), 1u);
  EXPECT_EQ(backend.messageRequests[0].before, 71) << "older than the oldest shown";

  const QModelIndex top = view.indexAt(QPoint(view.viewport()->width() / 2, 1));
  const QString topText = top.data(MessageListModel::TextRole).toString();
  const int topY = view.visualRect(top).top();
  backend.answerMessages(stored);
  settle();
  ASSERT_EQ(model.rowCount(), 100);
  const QModelIndex same = view.viewIndex(top.row() + 50);
  EXPECT_EQ(same.data(MessageListModel::TextRole).toString(), topText);
  EXPECT_EQ(view.visualRect(same).top(), topY) << "the message in sight stays where it was";
  EXPECT_GT(bar->value(), 0);
  EXPECT_TRUE(backend.messageRequests.empty()) << "one page per visit to the top";

  // Back to the top: the last page, then nothing more.
  bar->setValue(0);
  ASSERT_EQ(backend.messageRequests.size(), 1u);
  backend.answerMessages(stored);
  settle();
  EXPECT_EQ(model.rowCount(), 120);
  EXPECT_EQ(textAtRow(0), QStringLiteral("message 1"));
  bar->setValue(0);
  settle();
  EXPECT_TRUE(backend.messageRequests.empty()) << "the start of the chat was reached";
}

TEST_F(ConversationTest, APageThatDoesNotFillTheViewAsksForTheNext) {
  const auto stored = test::history(60);
  model.open("a", kChat);
  backend.messageRequests[0].limit = 2;  // a tiny first page
  backend.answerMessages(stored);
  settle();
  ASSERT_EQ(backend.messageRequests.size(), 1u) << "the view is not full: the next page";
  EXPECT_EQ(backend.messageRequests[0].before, 59);
}

TEST_F(ConversationTest, NewMessagesAreFollowedOnlyFromTheBottom) {
  model.open("a", kChat);
  backend.answerMessages(test::history(50));
  settle();
  ASSERT_TRUE(view.isAtBottom());
  Q_EMIT backend.accountEvent(api::MessageAdded{"a", kChat, textMessage(51, 1'800'000'000, "new")});
  settle();
  EXPECT_TRUE(view.isAtBottom());
  const QRect last = view.visualRect(view.viewIndex(50));
  EXPECT_TRUE(view.viewport()->rect().contains(last)) << "the new message is in sight";

  QScrollBar* bar = view.verticalScrollBar();
  bar->setValue(bar->maximum() / 2);
  const int reading = bar->value();
  Q_EMIT backend.accountEvent(
      api::MessageAdded{"a", kChat, textMessage(52, 1'800'000'100, "another")});
  settle();
  EXPECT_EQ(bar->value(), reading) << "someone reading older messages is not moved";
}

TEST_F(ConversationTest, RowsGrowWithTheirTextAndADaySeparator) {
  std::vector<api::MessageView> stored;
  stored.push_back(textMessage(1, 1'700'000'000, "short"));  // starts its day
  stored.push_back(textMessage(2, 1'700'000'060, "short"));
  std::string longText;
  for (int i = 0; i < 40; ++i) longText += "words that wrap ";
  stored.push_back(textMessage(3, 1'700'000'120, longText));
  model.open("a", kChat);
  backend.answerMessages(stored);
  settle();
  ASSERT_EQ(model.rowCount(), 3);
  EXPECT_TRUE(model.data(model.index(0), MessageListModel::StartsDayRole).toBool());
  EXPECT_FALSE(model.data(model.index(1), MessageListModel::StartsDayRole).toBool());

  const int withDay = view.visualRect(view.viewIndex(0)).height();
  const int plain = view.visualRect(view.viewIndex(1)).height();
  const int longRow = view.visualRect(view.viewIndex(2)).height();
  EXPECT_GT(withDay, plain + 10) << "the day separator takes room";
  EXPECT_GT(longRow, plain * 3) << "long text wraps over several lines";

  // Narrower view, more lines.
  view.resize(300, 360);
  settle();
  QTest::qWait(150);  // QListView relayouts after a resize with a short delay
  EXPECT_GT(view.visualRect(view.viewIndex(2)).height(), longRow);
}

}  // namespace
}  // namespace chorus::ui
