// SessionListModel under QAbstractItemModelTester: the first list fills it; later lists insert,
// remove, move and update single rows (never a reset); status events change one row and are
// reported with the previous state; unread counts sum up.
#include "ui/session_list_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include <gtest/gtest.h>

#include "tests/ui/fake_backend.h"
#include "ui/status_text.h"

namespace chorus::ui {
namespace {

using api::ConnectionState;
using namespace std::chrono_literals;

api::AccountSummary account(std::string id, std::string name, ConnectionState state) {
  api::AccountSummary a;
  a.id = std::move(id);
  a.name = std::move(name);
  a.status.state = state;
  return a;
}

class SessionListModelTest : public ::testing::Test {
 protected:
  test::FakeBackend backend;
  api::TimePoint now{std::chrono::milliseconds(1'700'000'000'000)};
  SessionListModel model{backend, [this] { return now; }};
  QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::Fatal};
  QSignalSpy resets{&model, &QAbstractItemModel::modelAboutToBeReset};

  QString text(int row, int role) const { return model.data(model.index(row), role).toString(); }
};

TEST_F(SessionListModelTest, ListsAreMergedRowByRow) {
  Q_EMIT backend.accountsLoaded({account("a", "Shop", ConnectionState::Ready),
                                 account("b", "Support", ConnectionState::Connecting)});
  ASSERT_EQ(model.rowCount(), 2);
  EXPECT_EQ(text(0, Qt::DisplayRole), "Shop");
  EXPECT_EQ(text(1, SessionListModel::StatusTextRole), "Connecting…");

  // One added between, one removed, one renamed: no reset, the same rows otherwise.
  QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
  QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
  Q_EMIT backend.accountsLoaded({account("a", "Shop (main)", ConnectionState::Ready),
                                 account("c", "Sales", ConnectionState::Unlinked)});
  EXPECT_EQ(resets.count(), 0);
  EXPECT_EQ(inserted.count(), 1);
  EXPECT_EQ(removed.count(), 1);
  ASSERT_EQ(model.rowCount(), 2);
  EXPECT_EQ(text(0, Qt::DisplayRole), "Shop (main)");
  EXPECT_EQ(text(1, SessionListModel::AccountIdRole), "c");

  // The engine's order changes: a move.
  QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
  Q_EMIT backend.accountsLoaded({account("c", "Sales", ConnectionState::Unlinked),
                                 account("a", "Shop (main)", ConnectionState::Ready)});
  EXPECT_EQ(moved.count(), 1);
  EXPECT_EQ(text(0, SessionListModel::AccountIdRole), "c");
  EXPECT_EQ(resets.count(), 0);
}

TEST_F(SessionListModelTest, AStatusEventChangesOneRowAndSaysWhatItWas) {
  Q_EMIT backend.accountsLoaded({account("a", "Shop", ConnectionState::Ready),
                                 account("b", "Support", ConnectionState::Ready)});
  QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
  QSignalSpy states(&model, &SessionListModel::stateChanged);
  api::ConnectionStatus reconnecting;
  reconnecting.state = ConnectionState::Reconnecting;
  reconnecting.attempt = 3;
  reconnecting.nextRetryAt = now + 18s;
  Q_EMIT backend.accountEvent(
      api::AccountStatusEvent{"b", api::ConnectionStatusChanged{ConnectionState::Ready, reconnecting}});
  ASSERT_EQ(changed.count(), 1);
  EXPECT_EQ(changed[0][0].value<QModelIndex>().row(), 1);
  ASSERT_EQ(states.count(), 1);
  EXPECT_EQ(states[0][1].value<ConnectionState>(), ConnectionState::Ready);
  EXPECT_EQ(text(1, SessionListModel::StatusTextRole), "Reconnecting, attempt 3, next try in 18 s");
  EXPECT_EQ(model.data(model.index(1), SessionListModel::SeverityRole).toInt(),
            static_cast<int>(Severity::Working));

  // The countdown follows the clock.
  now += 10s;
  model.refreshCountdowns();
  EXPECT_EQ(text(1, SessionListModel::StatusTextRole), "Reconnecting, attempt 3, next try in 8 s");
  EXPECT_EQ(resets.count(), 0);
}

TEST_F(SessionListModelTest, UnreadCountsAddUp) {
  Q_EMIT backend.accountsLoaded({account("a", "Shop", ConnectionState::Ready),
                                 account("b", "Support", ConnectionState::Ready)});
  QSignalSpy totals(&model, &SessionListModel::totalUnreadChanged);
  Q_EMIT backend.accountEvent(api::ChatUpdated{"a", "1@s.whatsapp.net", 2, 2});
  Q_EMIT backend.accountEvent(api::ChatUpdated{"b", "2@s.whatsapp.net", 3, 5});
  EXPECT_EQ(model.data(model.index(1), SessionListModel::UnreadRole).toInt(), 5);
  EXPECT_EQ(model.totalUnread(), 7);
  ASSERT_EQ(totals.count(), 2);
  EXPECT_EQ(totals.last()[0].toLongLong(), 7);
  Q_EMIT backend.accountEvent(api::ChatUpdated{"b", "2@s.whatsapp.net", 0, 0});
  EXPECT_EQ(model.totalUnread(), 2);
}

TEST_F(SessionListModelTest, AProblemWinsOverTheState) {
  api::AccountSummary broken = account("a", "Shop", ConnectionState::Disconnected);
  broken.problem = "the data key is missing from the keychain";
  Q_EMIT backend.accountsLoaded({broken});
  EXPECT_EQ(text(0, SessionListModel::StatusTextRole), "the data key is missing from the keychain");
  EXPECT_EQ(model.data(model.index(0), SessionListModel::SeverityRole).toInt(),
            static_cast<int>(Severity::NeedsAction));
}

}  // namespace
}  // namespace chorus::ui
