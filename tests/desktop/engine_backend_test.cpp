// EngineBackend on the real Engine against a real chorus-sim, seen through the ui models the
// windows use (SessionListModel, ChatListModel, MessageListModel): add a number, link it by QR
// (the simulated phone scans the code the backend delivered), Ready; a contact's message shows
// up as a chat and a row; our answer goes queued → delivered; the phone unlinks the device →
// "Logged out from the phone: link again". Commands that cannot be carried out answer with
// commandFailed in words for the person.
#include "app/desktop/engine_backend.h"

#include <QTemporaryDir>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/desktop/engine_startup.h"
#include "core/util/logger.h"
#include "core/util/random.h"
#include "tests/desktop/desktop_test_support.h"
#include "ui/chat_list_model.h"
#include "ui/message_list_model.h"
#include "ui/session_list_model.h"

namespace chorus::testing {
namespace {

using api::ConnectionState;
using app::desktop::EngineBackend;
using app::desktop::EngineStartup;

constexpr int kStepMs = 20'000;
const QString kPhone = QStringLiteral("15550002001");
const QString kContact = QStringLiteral("15550002002");

struct Failure {
  api::AccountId id;
  QString what;
  QString why;
};

class EngineBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(simProgram().isEmpty()) << "pass --sim PATH";
    ASSERT_TRUE(tmp_.isValid());
    if (auto e = sim_.start(simProgram(), tmp_.filePath(QStringLiteral("sim")))) FAIL() << *e;
    for (const QString& phone : {kPhone, kContact}) {
      ASSERT_EQ(sim_.control("POST", QStringLiteral("/accounts"),
                             QJsonDocument(QJsonObject{{QStringLiteral("phone"), phone}})
                                 .toJson(QJsonDocument::Compact))
                    .first,
                201);
    }
    startup_ = std::make_unique<EngineStartup>(
        testEngineOptions(tmp_.filePath(QStringLiteral("app")), sim_), random_, logger_, nullptr);
    startup_->setPassphrase("correct horse battery staple");
    backend_ = std::make_unique<EngineBackend>(startup_->engine());
    sessions_ = std::make_unique<ui::SessionListModel>(*backend_);
    QObject::connect(startup_.get(), &EngineStartup::opened, backend_.get(),
                     [this] { backend_->refreshAccounts(); });
    QObject::connect(startup_.get(), &EngineStartup::failed, backend_.get(),
                     [this](const QString& m) { startFailure_ = m; });
    QObject::connect(backend_.get(), &ui::Backend::accountsLoaded, backend_.get(),
                     [this](const std::vector<api::AccountSummary>&) { ++listsLoaded_; });
    QObject::connect(backend_.get(), &ui::Backend::commandFailed, backend_.get(),
                     [this](const api::AccountId& id, const QString& what, const QString& why) {
                       failures_.push_back({id, what, why});
                     });
    QObject::connect(backend_.get(), &ui::Backend::accountEvent, backend_.get(),
                     [this](const api::AccountEvent& e) {
                       if (const auto* qr = std::get_if<api::QrCodeShown>(&e)) qr_ = qr->code;
                     });
    startup_->start();
    ASSERT_TRUE(waitUntil([&] { return listsLoaded_ > 0 || !startFailure_.isEmpty(); }, kStepMs));
    ASSERT_TRUE(startFailure_.isEmpty()) << startFailure_.toStdString();
    EXPECT_EQ(sessions_->rowCount(), 0);
  }

  void TearDown() override {
    sessions_.reset();
    startup_.reset();  // joins the engine thread first: nothing reaches the backend afterwards
    backend_.reset();
    sim_.stop();
  }

  [[nodiscard]] QVariant session(int role) const {
    return sessions_->data(sessions_->index(0), role);
  }

  // Adds "Shop" and links it by QR: the phone scans what the backend delivered. Its id and
  // the linked device's number.
  void addAndLink(api::AccountId& id, QString& device) {
    backend_->addAccount(QStringLiteral("Shop"));
    ASSERT_TRUE(waitUntil([&] { return sessions_->rowCount() == 1; }, kStepMs));
    id = sessions_->account(0)->id;
    EXPECT_EQ(session(ui::SessionListModel::NameRole).toString(), QStringLiteral("Shop"));
    EXPECT_EQ(session(ui::SessionListModel::StateRole).toInt(),
              static_cast<int>(ConnectionState::Unlinked));
    backend_->linkWithQr(id);
    ASSERT_TRUE(waitUntil([&] { return !qr_.empty(); }, kStepMs)) << "no QR code";
    const auto [status, scanned] =
        sim_.control("POST", QStringLiteral("/accounts/%1/scan").arg(kPhone),
                     QJsonDocument(QJsonObject{{QStringLiteral("qr"), QString::fromStdString(qr_)}})
                         .toJson(QJsonDocument::Compact));
    ASSERT_EQ(status, 202);
    device =
        scanned.value(QStringLiteral("device")).toString().section(u':', 1).section(u'@', 0, 0);
    ASSERT_TRUE(waitUntil(
        [&] {
          return session(ui::SessionListModel::StateRole).toInt() ==
                 static_cast<int>(ConnectionState::Ready);
        },
        kStepMs))
        << session(ui::SessionListModel::StatusTextRole).toString().toStdString();
    EXPECT_FALSE(session(ui::SessionListModel::MaskedPhoneRole).toString().isEmpty());
    EXPECT_TRUE(failures_.empty()) << failures_.front().why.toStdString();
  }

  QTemporaryDir tmp_;
  SimProcess sim_;
  core::SystemRandom random_;
  core::Logger logger_{core::stderrSink(), core::LogLevel::Warn};
  std::unique_ptr<EngineStartup> startup_;
  std::unique_ptr<EngineBackend> backend_;
  std::unique_ptr<ui::SessionListModel> sessions_;
  QString startFailure_;
  int listsLoaded_ = 0;
  std::vector<Failure> failures_;
  std::string qr_;
};

TEST_F(EngineBackendTest, LinkReceiveAnswerUnlink) {
  api::AccountId id;
  QString device;
  ASSERT_NO_FATAL_FAILURE(addAndLink(id, device));

  // Our prekeys go up right after login; give them a moment before the contact fetches them.
  (void)waitUntil([] { return false; }, 1'000);
  const QString hello = QStringLiteral("Do you have it in blue? \u00e9");
  const SimReply sent =
      sim_.call("POST", QStringLiteral("/accounts/%1/send").arg(kContact),
                QJsonObject{{QStringLiteral("to"), kPhone}, {QStringLiteral("text"), hello}});
  ASSERT_EQ(sent.status / 100, 2);

  const std::string chat = userJid(kContact);
  ui::ChatListModel chats(*backend_);
  chats.showAccounts({id});
  ASSERT_TRUE(waitUntil([&] { return chats.rowOf(id, chat) >= 0; }, kStepMs)) << "no chat";
  ASSERT_TRUE(waitUntil(
      [&] {
        return chats.data(chats.index(chats.rowOf(id, chat)), ui::ChatListModel::PreviewRole)
                   .toString() == hello;
      },
      kStepMs));
  // The unread count comes with the ChatUpdated event that follows the message's own event.
  EXPECT_TRUE(waitUntil(
      [&] {
        return chats.data(chats.index(chats.rowOf(id, chat)), ui::ChatListModel::UnreadRole)
                   .toInt() == 1;
      },
      kStepMs))
      << "unread "
      << chats.data(chats.index(chats.rowOf(id, chat)), ui::ChatListModel::UnreadRole).toInt();

  ui::MessageListModel messages(*backend_);
  messages.open(id, chat);
  ASSERT_TRUE(waitUntil([&] { return messages.rowCount() == 1; }, kStepMs));
  EXPECT_TRUE(messages.reachedStart());
  EXPECT_EQ(messages.data(messages.index(0), ui::MessageListModel::TextRole).toString(), hello);
  backend_->markChatRead(id, chat);
  EXPECT_TRUE(waitUntil(
      [&] {
        return chats.data(chats.index(chats.rowOf(id, chat)), ui::ChatListModel::UnreadRole)
                   .toInt() == 0;
      },
      kStepMs));

  backend_->sendText(id, chat, QStringLiteral("Yes, in blue and green."));
  ASSERT_TRUE(waitUntil([&] { return messages.rowCount() == 2; }, kStepMs));
  const QModelIndex answer = messages.index(1);
  EXPECT_TRUE(messages.data(answer, ui::MessageListModel::OutgoingRole).toBool());
  ASSERT_TRUE(waitUntil(
      [&] {
        return messages.data(messages.index(1), ui::MessageListModel::StatusRole).toInt() >=
               static_cast<int>(api::MessageStatus::Delivered);
      },
      kStepMs))
      << "status " << messages.data(messages.index(1), ui::MessageListModel::StatusRole).toInt();

  // The phone unlinks this device.
  const auto [status, removed] =
      sim_.control("DELETE", QStringLiteral("/devices/%1/%2").arg(kPhone, device));
  ASSERT_EQ(status, 200);
  ASSERT_TRUE(waitUntil(
      [&] {
        return session(ui::SessionListModel::StateRole).toInt() ==
               static_cast<int>(ConnectionState::LoggedOut);
      },
      kStepMs));
  EXPECT_EQ(session(ui::SessionListModel::StatusTextRole).toString(),
            QStringLiteral("Logged out from the phone: link again"));
  EXPECT_TRUE(failures_.empty());
}

TEST_F(EngineBackendTest, RenameRemoveAndFailuresInWords) {
  backend_->addAccount(QStringLiteral("Shop"));
  ASSERT_TRUE(waitUntil([&] { return sessions_->rowCount() == 1; }, kStepMs));
  const api::AccountId id = sessions_->account(0)->id;

  backend_->addAccount(QStringLiteral("shop"));  // names are unique, case-insensitively
  ASSERT_TRUE(waitUntil([&] { return failures_.size() == 1; }, kStepMs));
  EXPECT_EQ(failures_[0].what, QStringLiteral("add"));
  EXPECT_TRUE(failures_[0].why.contains(QStringLiteral("exists already")))
      << failures_[0].why.toStdString();

  backend_->sendText(id, userJid(kContact), QStringLiteral("hello"));  // not linked yet
  ASSERT_TRUE(waitUntil([&] { return failures_.size() == 2; }, kStepMs));
  EXPECT_EQ(failures_[1].id, id);
  EXPECT_EQ(failures_[1].what, QStringLiteral("send"));
  EXPECT_EQ(failures_[1].why, QStringLiteral("This number is not linked: link it first"));

  backend_->reconnect(QStringLiteral("no-such-account").toStdString());
  ASSERT_TRUE(waitUntil([&] { return failures_.size() == 3; }, kStepMs));
  EXPECT_EQ(failures_[2].what, QStringLiteral("reconnect"));

  backend_->renameAccount(id, QStringLiteral("Front desk"));
  ASSERT_TRUE(waitUntil(
      [&] {
        return session(ui::SessionListModel::NameRole).toString() == QStringLiteral("Front desk");
      },
      kStepMs));

  // An empty chat: one page, nothing older.
  std::optional<ui::MessagePage> page;
  QObject::connect(backend_.get(), &ui::Backend::messagesLoaded, backend_.get(),
                   [&](const ui::MessagePage& p) { page = p; });
  const std::uint64_t request = backend_->loadMessages(id, userJid(kContact), 0, 50);
  ASSERT_TRUE(waitUntil([&] { return page.has_value(); }, kStepMs));
  EXPECT_EQ(page->request, request);
  EXPECT_TRUE(page->messages.empty());
  EXPECT_TRUE(page->reachedStart);

  backend_->removeAccount(id);
  ASSERT_TRUE(waitUntil([&] { return sessions_->rowCount() == 0; }, kStepMs));
  EXPECT_EQ(failures_.size(), 3u);
}

}  // namespace
}  // namespace chorus::testing
