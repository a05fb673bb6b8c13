// MessageListModel under QAbstractItemModelTester: a chat opens with its newest page, older
// pages are inserted above as the view asks (fetchMore) until the start, new messages are
// appended and receipts change one row — no reset after opening; a stale page (the chat was
// changed meanwhile) is ignored; day separators follow the timestamps.
#include "ui/message_list_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include <memory>

#include <gtest/gtest.h>

#include "tests/ui/fake_backend.h"

namespace chorus::ui {
namespace {

using test::textMessage;
constexpr char kChat[] = "15550000002@s.whatsapp.net";

std::vector<api::MessageView> history(int count) {
  std::vector<api::MessageView> out;
  for (int i = 1; i <= count; ++i) {
    // Three per day, so days change every third message.
    out.push_back(textMessage(i, 1'700'000'000 + (i / 3) * 86'400 + i, "m" + std::to_string(i)));
  }
  return out;
}

class MessageListModelTest : public ::testing::Test {
 protected:
  test::FakeBackend backend;
  MessageListModel model{backend};
  QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::Fatal};

  QString textAt(int row) const {
    return model.data(model.index(row), MessageListModel::TextRole).toString();
  }
};

TEST_F(MessageListModelTest, PagesBackToTheStartThenAppendsAndUpdates) {
  const auto stored = history(120);
  model.open("a", kChat);
  ASSERT_EQ(backend.messageRequests.size(), 1u);
  EXPECT_EQ(backend.messageRequests[0].before, 0);
  QSignalSpy pages(&model, &MessageListModel::pageLoaded);
  backend.answerMessages(stored);
  ASSERT_EQ(model.rowCount(), MessageListModel::kPageSize);
  EXPECT_EQ(textAt(0), "m71");
  EXPECT_EQ(textAt(49), "m120");
  ASSERT_EQ(pages.count(), 1);
  EXPECT_TRUE(pages[0][1].toBool()) << "the first page";

  QSignalSpy resets(&model, &QAbstractItemModel::modelAboutToBeReset);
  QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
  // The view (here the model tester) asks for more at the top: one page at a time.
  if (model.canFetchMore({})) model.fetchMore({});
  EXPECT_FALSE(model.canFetchMore({})) << "one page at a time";
  ASSERT_EQ(backend.messageRequests.size(), 1u);
  EXPECT_EQ(backend.messageRequests[0].before, 71);
  backend.answerMessages(stored);
  ASSERT_EQ(model.rowCount(), 100);
  EXPECT_EQ(textAt(0), "m21");
  ASSERT_EQ(inserted.count(), 1);
  EXPECT_EQ(inserted[0][1].toInt(), 0);
  EXPECT_EQ(inserted[0][2].toInt(), 49);
  if (model.canFetchMore({})) model.fetchMore({});
  ASSERT_EQ(backend.messageRequests.size(), 1u);
  backend.answerMessages(stored);
  EXPECT_EQ(model.rowCount(), 120);
  EXPECT_EQ(textAt(0), "m1");
  EXPECT_TRUE(model.reachedStart());
  EXPECT_FALSE(model.canFetchMore({}));

  // A new message is appended; its receipt changes that one row.
  api::MessageView mine = textMessage(121, 1'800'000'000, "sent now", true);
  Q_EMIT backend.accountEvent(api::MessageAdded{"a", kChat, mine});
  ASSERT_EQ(model.rowCount(), 121);
  EXPECT_EQ(textAt(120), "sent now");
  EXPECT_TRUE(model.data(model.index(120), MessageListModel::OutgoingRole).toBool());
  QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
  Q_EMIT backend.accountEvent(
      api::MessageUpdated{"a", kChat, mine.id, api::MessageStatus::Read, false, {}});
  ASSERT_EQ(changed.count(), 1);
  EXPECT_EQ(changed[0][0].value<QModelIndex>().row(), 120);
  EXPECT_EQ(model.data(model.index(120), MessageListModel::StatusRole).toInt(),
            static_cast<int>(api::MessageStatus::Read));
  // Other chats and accounts change nothing.
  Q_EMIT backend.accountEvent(api::MessageAdded{"a", "other@s.whatsapp.net", mine});
  Q_EMIT backend.accountEvent(api::MessageAdded{"b", kChat, mine});
  EXPECT_EQ(model.rowCount(), 121);
  EXPECT_EQ(resets.count(), 0);
}

TEST_F(MessageListModelTest, DaySeparatorsAndPlaceholders) {
  auto stored = history(6);
  stored[4].kind = api::MessageKind::Placeholder;
  stored[4].text.clear();
  model.open("a", kChat);
  backend.answerMessages(stored);
  ASSERT_EQ(model.rowCount(), 6);
  std::vector<bool> starts;
  for (int r = 0; r < 6; ++r) {
    starts.push_back(model.data(model.index(r), MessageListModel::StartsDayRole).toBool());
  }
  // Messages 1–2 on day 0, 3–5 on day 1, 6 on day 2.
  EXPECT_EQ(starts, (std::vector<bool>{true, false, true, false, false, true}));
  EXPECT_EQ(textAt(4), "Waiting for this message…");
  EXPECT_EQ(model.data(model.index(0), MessageListModel::SenderNameRole).toString(),
            "+15550000002");
}

TEST_F(MessageListModelTest, APageForAChatNoLongerOpenIsIgnored) {
  model.open("a", kChat);
  model.open("a", "other@s.whatsapp.net");
  backend.answerMessages(history(10));  // the answer to the first open
  EXPECT_EQ(model.rowCount(), 0);
  EXPECT_TRUE(model.isLoading());
  backend.answerMessages(history(3));
  EXPECT_EQ(model.rowCount(), 3);
}

TEST_F(MessageListModelTest, AMessageArrivingWhileTheFirstPageLoadsIsNotDoubled) {
  const auto stored = history(5);
  model.open("a", kChat);
  Q_EMIT backend.accountEvent(api::MessageAdded{"a", kChat, stored[4]});  // also in the page
  backend.answerMessages(stored);
  ASSERT_EQ(model.rowCount(), 5);
  EXPECT_EQ(textAt(0), "m1");
  EXPECT_EQ(textAt(4), "m5");
}

}  // namespace
}  // namespace chorus::ui

namespace chorus::ui {
namespace {

// A long chat: the model holds a bounded window. Paging up to the start drops the newest rows;
// paging back down brings them again and drops the oldest; new messages wait until the window
// reaches the newest one again.
TEST(MessageListModelWindow, HoldsABoundedWindowWhileScrollingUpAndDown) {
  test::FakeBackend backend;
  MessageListModel model(backend);
  // The tester asks for older pages whenever rows change, as no view would while its reader is
  // at the bottom: it watches the way up, and checks the model again at the end.
  auto tester = std::make_unique<QAbstractItemModelTester>(
      &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  const auto stored = history(1000);
  model.open("a", kChat);
  backend.answerMessages(stored);
  while (!model.reachedStart()) {
    if (model.canFetchMore({})) model.fetchMore({});
    ASSERT_FALSE(backend.messageRequests.empty());
    backend.answerMessages(stored);
    ASSERT_LE(model.rowCount(), MessageListModel::kMaxRows);
  }
  // The model tester asks for pages on its own as well: the backend answers what is left.
  while (!backend.messageRequests.empty()) backend.answerMessages(stored);
  EXPECT_EQ(model.rowCount(), MessageListModel::kMaxRows);
  EXPECT_EQ(model.message(0)->localId, 1);
  EXPECT_FALSE(model.reachedEnd());
  EXPECT_TRUE(model.data(model.index(0), MessageListModel::StartsDayRole).toBool());

  // Something new arrives meanwhile: not in this window, it comes with the newer pages.
  api::MessageView fresh = test::textMessage(1001, 1'900'000'000, "fresh");
  Q_EMIT backend.accountEvent(api::MessageAdded{"a", kChat, fresh});
  EXPECT_EQ(model.rowCount(), MessageListModel::kMaxRows);
  auto all = stored;
  all.push_back(fresh);

  tester.reset();
  while (!model.reachedEnd()) {
    ASSERT_TRUE(model.canFetchNewer());
    model.fetchNewer();
    ASSERT_EQ(backend.messageRequests.size(), 1u);
    EXPECT_TRUE(backend.messageRequests[0].newer);
    backend.answerMessages(all);
    ASSERT_LE(model.rowCount(), MessageListModel::kMaxRows);
  }
  EXPECT_EQ(model.message(model.rowCount() - 1)->text, "fresh");
  EXPECT_FALSE(model.reachedStart());
  EXPECT_TRUE(model.canFetchMore({})) << "the oldest are out of the window again";
  // At the newest end again: new messages are appended at once.
  Q_EMIT backend.accountEvent(
      api::MessageAdded{"a", kChat, test::textMessage(1002, 1'900'000'100, "now")});
  EXPECT_EQ(model.message(model.rowCount() - 1)->text, "now");
  tester = std::make_unique<QAbstractItemModelTester>(
      &model, QAbstractItemModelTester::FailureReportingMode::Fatal);  // consistent at the end
}

}  // namespace
}  // namespace chorus::ui
