// ChatListModel under QAbstractItemModelTester: the chats of the numbers shown, newest activity
// first; a new message moves its chat to the top (a move, not a reset) or adds the chat; unread
// counts and receipts change one row; several numbers merge by activity.
#include "ui/chat_list_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include <gtest/gtest.h>

#include "tests/ui/fake_backend.h"

namespace chorus::ui {
namespace {

using test::chat;
using test::textMessage;

class ChatListModelTest : public ::testing::Test {
 protected:
  test::FakeBackend backend;
  ChatListModel model{backend};
  QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::Fatal};

  std::vector<std::string> order() const {
    std::vector<std::string> out;
    for (int r = 0; r < model.rowCount(); ++r) {
      out.push_back(model.data(model.index(r), ChatListModel::ChatJidRole).toString().toStdString());
    }
    return out;
  }
};

TEST_F(ChatListModelTest, NewestFirstAndANewMessageMovesItsChatUp) {
  model.showAccounts({"a"});
  ASSERT_EQ(backend.chatRequests, (std::vector<api::AccountId>{"a"}));
  Q_EMIT backend.chatsLoaded("a", {chat("1@s.whatsapp.net", "Ada", 300, 2),
                                   chat("2@s.whatsapp.net", "", 200),
                                   chat("120363000000000001@g.us", "Team", 100)});
  EXPECT_EQ(order(), (std::vector<std::string>{"1@s.whatsapp.net", "2@s.whatsapp.net",
                                               "120363000000000001@g.us"}));
  EXPECT_EQ(model.data(model.index(1), ChatListModel::TitleRole).toString(), "+2");
  EXPECT_EQ(model.data(model.index(0), ChatListModel::UnreadRole).toInt(), 2);
  EXPECT_TRUE(model.data(model.index(2), ChatListModel::IsGroupRole).toBool());

  QSignalSpy resets(&model, &QAbstractItemModel::modelAboutToBeReset);
  QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
  Q_EMIT backend.accountEvent(
      api::MessageAdded{"a", "120363000000000001@g.us", textMessage(9, 400, "hi team")});
  EXPECT_EQ(order(), (std::vector<std::string>{"120363000000000001@g.us", "1@s.whatsapp.net",
                                               "2@s.whatsapp.net"}));
  EXPECT_EQ(moved.count(), 1);
  EXPECT_EQ(model.data(model.index(0), ChatListModel::PreviewRole).toString(), "hi team");

  // A chat that was not there yet is inserted at the top.
  QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
  Q_EMIT backend.accountEvent(api::MessageAdded{"a", "3@s.whatsapp.net", textMessage(10, 500, "new")});
  EXPECT_EQ(inserted.count(), 1);
  EXPECT_EQ(order().front(), "3@s.whatsapp.net");

  // Unread counts and receipts change one row.
  QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
  Q_EMIT backend.accountEvent(api::ChatUpdated{"a", "1@s.whatsapp.net", 0, 0});
  ASSERT_EQ(changed.count(), 1);
  EXPECT_EQ(model.data(model.index(model.rowOf("a", "1@s.whatsapp.net")), ChatListModel::UnreadRole)
                .toInt(),
            0);
  api::MessageView mine = textMessage(11, 600, "sent", true);
  Q_EMIT backend.accountEvent(api::MessageAdded{"a", "2@s.whatsapp.net", mine});
  Q_EMIT backend.accountEvent(
      api::MessageUpdated{"a", "2@s.whatsapp.net", mine.id, api::MessageStatus::Delivered, false, {}});
  EXPECT_EQ(model.data(model.index(0), ChatListModel::LastStatusRole).toInt(),
            static_cast<int>(api::MessageStatus::Delivered));
  EXPECT_EQ(resets.count(), 0);
  // Numbers not shown change nothing.
  Q_EMIT backend.accountEvent(api::MessageAdded{"b", "9@s.whatsapp.net", textMessage(12, 700, "x")});
  EXPECT_EQ(model.rowCount(), 4);
}

TEST_F(ChatListModelTest, SeveralNumbersMergeByActivity) {
  model.showAccounts({"a", "b"});
  Q_EMIT backend.chatsLoaded("a", {chat("1@s.whatsapp.net", "Ada", 300), chat("2@s.whatsapp.net", "Ben", 100)});
  Q_EMIT backend.chatsLoaded("b", {chat("1@s.whatsapp.net", "Ada", 200)});
  ASSERT_EQ(model.rowCount(), 3);
  EXPECT_EQ(model.data(model.index(1), ChatListModel::AccountIdRole).toString(), "b");
  EXPECT_EQ(model.rowOf("b", "1@s.whatsapp.net"), 1) << "the same contact on two numbers: two chats";
  // A reloaded list of one number replaces only its rows.
  Q_EMIT backend.chatsLoaded("b", {});
  EXPECT_EQ(model.rowCount(), 2);
  EXPECT_EQ(model.rowOf("b", "1@s.whatsapp.net"), -1);
}

}  // namespace
}  // namespace chorus::ui
