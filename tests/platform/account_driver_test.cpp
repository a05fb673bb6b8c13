// AccountDriver against a local QWebSocketServer on 127.0.0.1, driving a real Account (created
// with a MemorySecretStore in a temporary folder). The server here speaks no WhatsApp: it only
// shows what reaches the wire and what the driver reports back when the connection ends —
// refused, closed by the server, an oversized message, or no answer until the account's
// connect timeout (the driver's timer).
#include "app/platform/account_driver.h"

#include <QElapsedTimer>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "core/account/account.h"
#include "core/account/account_id.h"
#include "core/store/secret_store.h"
#include "tests/platform/event_wait.h"

namespace chorus::app {
namespace {

using api::ConnectionState;
using test::waitUntil;

class AccountDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp_.isValid());
    server_ = std::make_unique<QWebSocketServer>(QStringLiteral("test"),
                                                 QWebSocketServer::NonSecureMode);
    ASSERT_TRUE(server_->listen(QHostAddress::LocalHost, 0));
    QObject::connect(server_.get(), &QWebSocketServer::newConnection, server_.get(), [this] {
      while (QWebSocket* peer = server_->nextPendingConnection()) {
        peer->setParent(server_.get());  // nextPendingConnection hands it over unowned
        peers_.push_back(peer);
        QObject::connect(peer, &QWebSocket::binaryMessageReceived, peer,
                         [this](const QByteArray& m) { received_.push_back(m); });
        QObject::connect(peer, &QWebSocket::disconnected, peer, [this, peer] {
          ++peerGone_;
          peerCloseCodes_.push_back(peer->closeCode());
        });
      }
    });
  }

  void TearDown() override {
    account_.reset();  // its driver and socket first
    for (QWebSocket* peer : peers_) peer->disconnect();  // their handlers write to this fixture
    server_.reset();
  }

  // A fresh, unlinked account whose session connects to `url`.
  void makeAccount(const QString& url, core::Millis connectTimeout = core::Millis{20'000}) {
    core::account::AccountOptions options;
    options.session.url = url.toStdString();
    options.session.connectTimeout = connectTimeout;
    const api::AccountId id = core::account::newAccountId(random_);
    std::optional<core::Result<std::unique_ptr<core::account::Account>>> made;
    core::account::Account::create(
        std::filesystem::path(tmp_.filePath(QStringLiteral("acc")).toStdString()), id, "A",
        secrets_, random_, clock_, options,
        [&made](core::Result<std::unique_ptr<core::account::Account>> r) { made = std::move(r); });
    ASSERT_TRUE(waitUntil([&] { return made.has_value(); }));
    ASSERT_TRUE(made->has_value()) << made->error().detail;
    account_ = std::move(made->value());
    auto driver = std::make_unique<AccountDriver>(*account_, clock_,
                                                  QSslConfiguration::defaultConfiguration(),
                                                  nullptr, nullptr);
    driver_ = driver.get();
    account_->setTransport(std::move(driver));
    account_->setListener([this](const api::AccountEvent& e) {
      if (const auto* s = std::get_if<api::AccountStatusEvent>(&e))
        states_.push_back(s->change.status.state);
    });
    account_->start();
  }
  QString url() const {
    return QStringLiteral("ws://127.0.0.1:%1/ws/chat").arg(server_->serverPort());
  }
  [[nodiscard]] bool backToUnlinked(std::size_t from) const {
    for (std::size_t i = from; i < states_.size(); ++i)
      if (states_[i] == ConnectionState::Unlinked) return true;
    return false;
  }

  QTemporaryDir tmp_;
  core::SystemClock clock_;
  core::SystemRandom random_;
  core::store::MemorySecretStore secrets_;
  std::unique_ptr<QWebSocketServer> server_;
  std::vector<QWebSocket*> peers_;  // children of server_
  std::vector<QByteArray> received_;
  int peerGone_ = 0;
  std::vector<QWebSocketProtocol::CloseCode> peerCloseCodes_;
  std::unique_ptr<core::account::Account> account_;
  AccountDriver* driver_ = nullptr;  // owned by account_
  std::vector<ConnectionState> states_;
};

TEST_F(AccountDriverTest, OpensAndSendsTheIntroAsOneBinaryMessage) {
  makeAccount(url());
  ASSERT_TRUE(account_->linkWithQr());
  ASSERT_TRUE(waitUntil([&] { return !received_.empty(); }));
  ASSERT_GE(received_[0].size(), 4);
  EXPECT_EQ(received_[0].left(2), QByteArray("WA"));  // the intro header, then ClientHello
  EXPECT_TRUE(driver_->hasConnection());
  EXPECT_EQ(peers_.size(), 1u);
  ASSERT_EQ(peers_[0]->request().rawHeader("Origin"), QByteArray(kWhatsAppOrigin));
}

TEST_F(AccountDriverTest, TheServerClosingIsReportedOnce) {
  makeAccount(url());
  const std::size_t mark = states_.size();
  ASSERT_TRUE(account_->linkWithQr());
  ASSERT_TRUE(waitUntil([&] { return !received_.empty(); }));
  peers_[0]->close();
  // A registration connection that ends goes back to Unlinked (session.h).
  ASSERT_TRUE(waitUntil([&] { return backToUnlinked(mark); }));
  EXPECT_FALSE(driver_->hasConnection());
  // Linking again works: a new socket, the old one reports nothing more.
  ASSERT_TRUE(account_->linkWithQr());
  ASSERT_TRUE(waitUntil([&] { return peers_.size() == 2 && received_.size() == 2; }));
  EXPECT_TRUE(driver_->hasConnection());
}

TEST_F(AccountDriverTest, ARefusedConnectionIsReported) {
  const QString dead = url();
  server_->close();  // nothing listens on that port any more
  makeAccount(dead);
  const std::size_t mark = states_.size();
  ASSERT_TRUE(account_->linkWithQr());
  ASSERT_TRUE(waitUntil([&] { return backToUnlinked(mark); }, 10'000));
  EXPECT_FALSE(driver_->hasConnection());
}

TEST_F(AccountDriverTest, AnOversizedMessageDropsTheConnection) {
  makeAccount(url());
  const std::size_t mark = states_.size();
  ASSERT_TRUE(account_->linkWithQr());
  ASSERT_TRUE(waitUntil([&] { return !received_.empty(); }));
  peers_[0]->sendBinaryMessage(QByteArray(static_cast<qsizetype>(kMaxIncomingMessageSize) + 1, 'x'));
  ASSERT_TRUE(waitUntil([&] { return backToUnlinked(mark); }, 30'000));
  EXPECT_FALSE(driver_->hasConnection());
  // Refused by the WebSocket layer (close code 1009), not buffered and handed to the session.
  ASSERT_TRUE(waitUntil([&] { return peerGone_ == 1; }, 5'000));
  EXPECT_EQ(peerCloseCodes_.at(0), QWebSocketProtocol::CloseCodeTooMuchData);
}

TEST_F(AccountDriverTest, TheTimerEndsAConnectionThatNeverAnswers) {
  makeAccount(url(), core::Millis{300});
  const std::size_t mark = states_.size();
  ASSERT_TRUE(account_->linkWithQr());
  ASSERT_TRUE(waitUntil([&] { return !received_.empty(); }));
  // The server stays silent: only the account's connect deadline (wakeAt) can end this.
  ASSERT_TRUE(waitUntil([&] { return backToUnlinked(mark); }, 5'000));
  EXPECT_FALSE(driver_->hasConnection());
  ASSERT_TRUE(waitUntil([&] { return peerGone_ == 1; }, 5'000));  // our side closed it
}

TEST_F(AccountDriverTest, NothingIsReportedAfterClose) {
  makeAccount(url());
  ASSERT_TRUE(account_->linkWithQr());
  ASSERT_TRUE(waitUntil([&] { return !received_.empty(); }));
  const std::size_t mark = states_.size();
  // Closed behind the account's back (as if it had asked): whatever the socket does next —
  // here the server closing too — must not reach the account.
  driver_->close();
  EXPECT_FALSE(driver_->hasConnection());
  peers_[0]->close();
  QElapsedTimer t;
  t.start();
  (void)waitUntil([&] { return t.elapsed() > 500; });
  EXPECT_EQ(states_.size(), mark);
}

}  // namespace
}  // namespace chorus::app
