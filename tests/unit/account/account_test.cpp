// Account against the in-process FakeServer through a fake transport, with a fake clock, a
// MemorySecretStore and a temporary folder: creation, QR linking end to end, reopening and
// logging in, missing and wrong data keys, unlinking by the server and by the person, relinking,
// autoConnect, a storage failure while linking, and no private key bytes on disk.
#include "core/account/account.h"

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "core/store/data_key.h"
#include "core/util/logger.h"
#include "tests/unit/account/account_test_util.h"

namespace chorus::core::account {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using State = api::ConnectionState;
using store::test::errorOf;
using test::Link;
using test::Recorder;

constexpr char kId[] = "0f8e4d2c-1b3a-4c5d-9e6f-7a8b9c0d1e2f";
constexpr char kPhoneDigits[] = "15551234567";

class AccountTest : public ::testing::Test {
 protected:
  [[nodiscard]] fs::path folder() const { return dir.path() / kId; }

  Result<std::unique_ptr<Account>> createAccount(std::string name = "Corner Shop") {
    std::optional<Result<std::unique_ptr<Account>>> out;
    Account::create(folder(), kId, std::move(name), secrets, random, clock,
                    test::optionsFor(link.server),
                    [&](Result<std::unique_ptr<Account>> r) { out.emplace(std::move(r)); });
    EXPECT_TRUE(out.has_value()) << "MemorySecretStore answers at once";
    return out ? std::move(*out) : Result<std::unique_ptr<Account>>(fail(Errc::Internal));
  }

  Result<std::unique_ptr<Account>> openAccount() {
    std::optional<Result<std::unique_ptr<Account>>> out;
    Account::open(folder(), kId, secrets, random, clock, test::optionsFor(link.server),
                  [&](Result<std::unique_ptr<Account>> r) { out.emplace(std::move(r)); });
    EXPECT_TRUE(out.has_value());
    return out ? std::move(*out) : Result<std::unique_ptr<Account>>(fail(Errc::Internal));
  }

  void wire(Account& a) {
    a.setTransport(std::make_unique<test::FakeTransport>(link, a));
    a.setListener(recorder.listener());
  }

  void create() {
    auto made = createAccount();
    ASSERT_OK(made);
    account = std::move(*made);
    wire(*account);
  }

  void reopen() {
    account->close();
    account.reset();
    auto opened = openAccount();
    ASSERT_OK(opened);
    account = std::move(*opened);
    wire(*account);
  }

  // QR linking through pair-success and the 515 restart to Ready.
  void linkByQr() {
    ASSERT_OK(account->linkWithQr());
    test::pump(link);
    ASSERT_TRUE(link.server.established());
    ASSERT_TRUE(link.server.payload().has_devicepairingdata()) << "a registration connection";
    test::deliver(link, session::test::pairDevice("pd", test::kRefs));
    auto qr = recorder.last<api::QrCodeShown>();
    ASSERT_TRUE(qr.has_value());
    EXPECT_EQ(qr->id, kId);
    EXPECT_EQ(account->status().state, State::Pairing);
    test::deliver(link, session::test::pairSuccess("ps", qr->code, phone, phoneRandom));
    ASSERT_TRUE(account->isLinked()) << ::testing::PrintToString(recorder.problems());
    test::deliver(link, session::test::streamError("515"));
    ASSERT_TRUE(link.server.established());
    test::deliver(link, session::test::success(phone.lid));
    ASSERT_EQ(account->status().state, State::Ready);
  }

  store::test::TempDir dir;
  FakeClock clock;
  SeededRandom random{11};
  SeededRandom phoneRandom{12};
  store::MemorySecretStore secrets;
  Link link{1000};
  session::test::Phone phone{session::test::fixedKeyPair(0x99)};
  Recorder recorder;
  std::unique_ptr<Account> account;
};

TEST_F(AccountTest, CreateMakesAPrivateFolderDatabaseAndKey) {
  create();
  const std::string keyName = store::dataKeySecretName(kId);
  EXPECT_TRUE(secrets.contains(keyName));
  ASSERT_TRUE(fs::is_directory(folder()));
  EXPECT_EQ(fs::status(folder()).permissions() & fs::perms::all, fs::perms::owner_all);
  ASSERT_TRUE(fs::exists(folder() / "chorus.db"));
  EXPECT_EQ(fs::status(folder() / "chorus.db").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  EXPECT_EQ(account->id(), kId);
  EXPECT_EQ(account->folder(), folder());
  EXPECT_FALSE(account->isLinked());
  const api::AccountSummary summary = account->summary();
  EXPECT_EQ(summary.name, "Corner Shop");
  EXPECT_TRUE(summary.autoConnect);
  EXPECT_TRUE(summary.maskedPhone.empty());
  EXPECT_TRUE(summary.problem.empty());
  EXPECT_EQ(summary.status.state, State::Unlinked);

  auto stored = test::readStored(folder(), kId, secrets);
  ASSERT_TRUE(stored.has_value());
  EXPECT_FALSE(stored->credentials.isPaired());
  EXPECT_TRUE(stored->identity.empty());
  EXPECT_EQ(stored->meta.name, "Corner Shop");
  EXPECT_EQ(stored->meta.createdAt, clock.now());

  account->start();
  EXPECT_EQ(recorder.states(), std::vector<State>{State::Unlinked});
  EXPECT_EQ(link.opens, 0) << "an unlinked number waits for a person";
}

TEST_F(AccountTest, CreateRefusesAnExistingFolderOrABadNameAndLeavesNothing) {
  EXPECT_EQ(errorOf(createAccount("   ")), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(createAccount(std::string(65, 'x'))), Errc::InvalidArgument);
  EXPECT_FALSE(fs::exists(folder()));
  EXPECT_FALSE(secrets.contains(store::dataKeySecretName(kId)));

  fs::create_directory(folder());
  EXPECT_EQ(errorOf(createAccount()), Errc::InvalidArgument);
  EXPECT_FALSE(secrets.contains(store::dataKeySecretName(kId)));
  EXPECT_TRUE(fs::is_empty(folder()));
}

TEST_F(AccountTest, QrLinkEndToEndStoresCredentialsAndIdentity) {
  create();
  account->start();
  linkByQr();
  EXPECT_TRUE(recorder.problems().empty()) << ::testing::PrintToString(recorder.problems());

  const auto linked = recorder.last<api::AccountLinked>();
  ASSERT_TRUE(linked.has_value());
  EXPECT_EQ(linked->id, kId);
  EXPECT_EQ(linked->maskedPhone, maskPhone(kPhoneDigits));
  EXPECT_EQ(linked->maskedPhone.find(kPhoneDigits), std::string::npos);
  EXPECT_FALSE(recorder.all<api::AccountsChanged>().empty());
  const std::vector<State> expected = {State::Unlinked, State::Connecting, State::Pairing,
                                       State::Connecting, State::Ready};
  EXPECT_EQ(recorder.states(), expected);
  EXPECT_EQ(link.opens, 2);

  // The <pair-device-sign> reply went out after the link was stored.
  EXPECT_NE(test::findNode(link.received, "pair-device-sign"), nullptr);

  auto stored = test::readStored(folder(), kId, secrets);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->credentials.deviceJid, phone.deviceJid);
  EXPECT_EQ(stored->credentials.lid, phone.lid);
  EXPECT_EQ(stored->credentials.noiseKey.publicKey, link.server.clientStaticKey());
  EXPECT_FALSE(stored->identity.empty());
  EXPECT_EQ(stored->identity.primaryIdentityKey, phone.accountKey.publicKey);
  EXPECT_EQ(stored->identity.keyIndex, phone.keyIndex);
  EXPECT_EQ(stored->identity, account->deviceIdentity());
  EXPECT_EQ(stored->meta.maskedPhone, maskPhone(kPhoneDigits));
  EXPECT_TRUE(stored->meta.autoConnect);
  EXPECT_EQ(account->summary().maskedPhone, maskPhone(kPhoneDigits));

  // Keepalive runs through the transport's timer.
  link.server.answerPings = true;
  test::advance(link, clock, 5min);
  EXPECT_EQ(account->status().state, State::Ready);
  EXPECT_EQ(link.opens, 2);
}

TEST_F(AccountTest, ReopenedAccountLogsInWithoutRelinking) {
  create();
  linkByQr();
  const Bytes noiseKey = link.server.clientStaticKey();
  reopen();
  EXPECT_TRUE(account->isLinked());
  EXPECT_EQ(account->summary().maskedPhone, maskPhone(kPhoneDigits));
  EXPECT_EQ(account->deviceIdentity().keyIndex, phone.keyIndex);

  const int opens = link.opens;
  account->start();
  test::pump(link);
  EXPECT_EQ(link.opens, opens + 1);
  ASSERT_TRUE(link.server.established());
  EXPECT_FALSE(link.server.payload().has_devicepairingdata()) << "a login, not a registration";
  EXPECT_EQ(link.server.payload().username(), 15551234567u);
  EXPECT_EQ(link.server.payload().device(), 2u);
  EXPECT_EQ(link.server.clientStaticKey(), noiseKey);
  test::deliver(link, session::test::success(phone.lid));
  EXPECT_EQ(account->status().state, State::Ready);
  EXPECT_TRUE(recorder.all<api::QrCodeShown>().size() == 1u) << "no QR after the first link";
}

TEST_F(AccountTest, MissingDataKeyIsNotFoundAndNothingIsDeleted) {
  create();
  linkByQr();
  account->close();
  account.reset();
  const Bytes before = store::test::readFile(folder() / "chorus.db");
  secrets.remove(store::dataKeySecretName(kId), [](Status s) { EXPECT_TRUE(s.has_value()); });

  auto opened = openAccount();
  ASSERT_EQ(errorOf(opened), Errc::NotFound);
  EXPECT_NE(opened.error().detail.find("keychain"), std::string::npos);
  EXPECT_TRUE(fs::exists(folder() / "chorus.db"));
  EXPECT_EQ(store::test::readFile(folder() / "chorus.db"), before);
  EXPECT_FALSE(secrets.contains(store::dataKeySecretName(kId))) << "never replaced silently";
}

TEST_F(AccountTest, DifferentDataKeyIsCrypto) {
  create();
  linkByQr();
  account->close();
  account.reset();
  SeededRandom other(77);
  secrets.write(store::dataKeySecretName(kId), other.secret(32),
                [](Status s) { EXPECT_TRUE(s.has_value()); });
  EXPECT_EQ(errorOf(openAccount()), Errc::Crypto);

  secrets.write(store::dataKeySecretName(kId), other.secret(16),
                [](Status s) { EXPECT_TRUE(s.has_value()); });
  EXPECT_EQ(errorOf(openAccount()), Errc::Crypto) << "a keychain entry that is no data key";
}

TEST_F(AccountTest, MissingDatabaseIsNotFound) {
  EXPECT_EQ(errorOf(openAccount()), Errc::NotFound);
  EXPECT_FALSE(fs::exists(folder() / "chorus.db"));
}

TEST_F(AccountTest, UnlinkedByTheServerForgetsTheCredentialsThenLinksAgain) {
  create();
  linkByQr();
  const auto before = test::readStored(folder(), kId, secrets);
  ASSERT_TRUE(before.has_value());

  test::deliver(link, session::test::failure("401"));
  const auto out = recorder.last<api::AccountLoggedOut>();
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->id, kId);
  EXPECT_FALSE(out->userInitiated);
  EXPECT_EQ(account->status().state, State::LoggedOut);
  EXPECT_FALSE(account->isLinked());
  EXPECT_TRUE(account->deviceIdentity().empty());

  auto after = test::readStored(folder(), kId, secrets);
  ASSERT_TRUE(after.has_value());
  EXPECT_FALSE(after->credentials.isPaired());
  EXPECT_TRUE(after->identity.empty());
  EXPECT_NE(after->credentials.noiseKey.publicKey, before->credentials.noiseKey.publicKey);
  EXPECT_NE(after->credentials.identityKey.publicKey, before->credentials.identityKey.publicKey);

  // Terminal: no retries, start and network-up do not reconnect with the revoked keys.
  const int opens = link.opens;
  test::advance(link, clock, 1h);
  account->start();
  account->onNetworkUp();
  test::pump(link);
  EXPECT_EQ(link.opens, opens);
  EXPECT_EQ(account->status().state, State::LoggedOut) << "shown until linked again";
  EXPECT_EQ(errorOf(account->connect()), Errc::InvalidArgument);

  // Linking again uses the fresh stored credentials.
  ASSERT_OK(account->linkWithQr());
  test::pump(link);
  EXPECT_EQ(link.opens, opens + 1);
  ASSERT_TRUE(link.server.payload().has_devicepairingdata());
  EXPECT_EQ(link.server.clientStaticKey(), after->credentials.noiseKey.publicKey);
  test::deliver(link, session::test::pairDevice("pd2", test::kRefs));
  const auto qr = recorder.last<api::QrCodeShown>();
  ASSERT_TRUE(qr.has_value());
  test::deliver(link, session::test::pairSuccess("ps2", qr->code, phone, phoneRandom));
  EXPECT_TRUE(account->isLinked());
  EXPECT_EQ(recorder.all<api::AccountLinked>().size(), 2u);
  test::deliver(link, session::test::streamError("515"));
  test::deliver(link, session::test::success(phone.lid));
  EXPECT_EQ(account->status().state, State::Ready);
  auto relinked = test::readStored(folder(), kId, secrets);
  ASSERT_TRUE(relinked.has_value());
  EXPECT_TRUE(relinked->credentials.isPaired());
  EXPECT_EQ(relinked->credentials.noiseKey.publicKey, after->credentials.noiseKey.publicKey);
}

TEST_F(AccountTest, LogoutTellsTheServerAndForgetsTheCredentials) {
  create();
  linkByQr();
  account->logout();
  test::pump(link);
  ASSERT_NE(test::findNode(link.received, "remove-companion-device"), nullptr);
  const auto out = recorder.last<api::AccountLoggedOut>();
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->userInitiated);
  EXPECT_TRUE(out->serverConfirmed);
  EXPECT_FALSE(account->isLinked());
  EXPECT_FALSE(link.live);
  auto stored = test::readStored(folder(), kId, secrets);
  ASSERT_TRUE(stored.has_value());
  EXPECT_FALSE(stored->credentials.isPaired());

  reopen();
  EXPECT_FALSE(account->isLinked());
  account->start();
  EXPECT_EQ(account->status().state, State::Unlinked);
}

TEST_F(AccountTest, DisconnectAndConnectPersistAutoConnect) {
  create();
  linkByQr();
  ASSERT_OK(account->disconnect());
  EXPECT_FALSE(link.live);
  EXPECT_FALSE(account->summary().autoConnect);
  EXPECT_EQ(account->status().state, State::Disconnected);
  test::advance(link, clock, 1h);
  const int opens = link.opens;
  EXPECT_EQ(link.opens, opens) << "no retries after a stop";

  reopen();
  EXPECT_FALSE(account->summary().autoConnect);
  account->start();
  test::pump(link);
  EXPECT_EQ(link.opens, opens) << "a stopped number stays stopped";
  EXPECT_EQ(account->status().state, State::Disconnected);

  ASSERT_OK(account->connect());
  test::pump(link);
  EXPECT_EQ(link.opens, opens + 1);
  EXPECT_TRUE(account->summary().autoConnect);
  test::deliver(link, session::test::success(phone.lid));
  EXPECT_EQ(account->status().state, State::Ready);

  reopen();
  EXPECT_TRUE(account->summary().autoConnect);
  account->start();
  test::pump(link);
  EXPECT_EQ(link.opens, opens + 2);
}

TEST_F(AccountTest, LinkingIsRefusedWhileLinkedOrAlreadyLinking) {
  create();
  EXPECT_EQ(errorOf(account->linkWithPhone("12ab")), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(account->linkWithPhone("+1 555")), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(account->connect()), Errc::InvalidArgument) << "not linked";
  EXPECT_EQ(link.opens, 0);

  ASSERT_OK(account->linkWithPhone("+1 555-123-4567"));
  test::pump(link);
  EXPECT_EQ(link.opens, 1);
  EXPECT_TRUE(link.server.payload().has_devicepairingdata());
  EXPECT_EQ(errorOf(account->linkWithQr()), Errc::InvalidArgument);
  account->logout();  // abandons the linking
  EXPECT_FALSE(link.live);
  EXPECT_TRUE(recorder.last<api::AccountLoggedOut>().has_value());

  linkByQr();
  EXPECT_EQ(errorOf(account->linkWithQr()), Errc::InvalidArgument) << "log out first";
  EXPECT_EQ(errorOf(account->linkWithPhone(kPhoneDigits)), Errc::InvalidArgument);
}

TEST_F(AccountTest, LinkWithPhoneShowsTheCode) {
  create();
  ASSERT_OK(account->linkWithPhone("+1 555-123-4567"));
  test::pump(link);
  test::deliver(link, session::test::pairDevice("pd", test::kRefs));
  const binary::Node* hello = test::findNode(link.received, "link_code_companion_reg");
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(hello->child("link_code_companion_reg")->attrText("jid"),
            std::string(kPhoneDigits) + "@s.whatsapp.net");
  // The server accepts companion_hello with a ref: the code is shown.
  binary::Node answer = session::test::iqResult(hello->attrText("id").value_or(""));
  answer.content = binary::Children{binary::Node{
      "link_code_companion_reg",
      {},
      binary::Children{binary::Node{"link_code_pairing_ref", {}, toBytes("ref-1")}}}};
  test::deliver(link, answer);
  const auto code = recorder.last<api::LinkCodeShown>();
  ASSERT_TRUE(code.has_value()) << ::testing::PrintToString(recorder.problems());
  EXPECT_EQ(code->id, kId);
  EXPECT_EQ(code->code.size(), 9u);
  EXPECT_EQ(account->status().state, State::Pairing);
  EXPECT_TRUE(recorder.all<api::QrCodeShown>().empty());
}

TEST_F(AccountTest, RenamePersists) {
  create();
  ASSERT_OK(account->rename("  Back Office  "));
  EXPECT_EQ(account->summary().name, "Back Office");
  EXPECT_EQ(errorOf(account->rename(" ")), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(account->rename(std::string(65, 'n'))), Errc::InvalidArgument);
  EXPECT_FALSE(recorder.all<api::AccountsChanged>().empty());
  reopen();
  EXPECT_EQ(account->summary().name, "Back Office");
}

TEST_F(AccountTest, StorageFailureWhileLinkingIsAProblemAndNoLink) {
  create();
  {
    // A second connection makes every write of credentials fail, as a full disk would.
    auto db = store::Database::open(folder() / "chorus.db");
    ASSERT_OK(db);
    ASSERT_OK(
        (*db)->exec("CREATE TRIGGER refuse BEFORE INSERT ON credentials"
                    " BEGIN SELECT RAISE(ABORT, 'disk says no'); END;"));
  }
  ASSERT_OK(account->linkWithQr());
  test::pump(link);
  test::deliver(link, session::test::pairDevice("pd", test::kRefs));
  const auto qr = recorder.last<api::QrCodeShown>();
  ASSERT_TRUE(qr.has_value());
  account->onBytes(
      link.server.send(session::test::pairSuccess("ps", qr->code, phone, phoneRandom)));
  test::pump(link);

  EXPECT_FALSE(account->isLinked());
  EXPECT_FALSE(recorder.last<api::AccountLinked>().has_value());
  const auto problem = recorder.all<api::AccountProblem>();
  ASSERT_FALSE(problem.empty());
  EXPECT_EQ(problem.front().error, "storage");
  EXPECT_NE(problem.front().message.find("could not be saved"), std::string::npos);
  EXPECT_EQ(test::findNode(link.received, "pair-device-sign"), nullptr)
      << "the phone is not told the link worked";
  EXPECT_FALSE(link.live);
  EXPECT_EQ(account->status().state, State::Unlinked);
  auto stored = test::readStored(folder(), kId, secrets);
  ASSERT_TRUE(stored.has_value());
  EXPECT_FALSE(stored->credentials.isPaired());

  // Once storage works again, linking works.
  {
    auto db = store::Database::open(folder() / "chorus.db");
    ASSERT_OK(db);
    ASSERT_OK((*db)->exec("DROP TRIGGER refuse"));
  }
  linkByQr();
  stored = test::readStored(folder(), kId, secrets);
  ASSERT_TRUE(stored.has_value());
  EXPECT_TRUE(stored->credentials.isPaired());
}

TEST_F(AccountTest, NoPrivateKeyBytesInTheAccountFolder) {
  create();
  linkByQr();
  auto stored = test::readStored(folder(), kId, secrets);
  ASSERT_TRUE(stored.has_value());
  const store::DeviceCredentials& c = stored->credentials;
  ASSERT_TRUE(c.isPaired());

  auto scan = [&](std::string_view when) {
    int files = 0;
    bool sawPublicKey = false;  // proves the scan reads the data at all
    for (const auto& entry : fs::recursive_directory_iterator(folder())) {
      if (!entry.is_regular_file()) continue;
      ++files;
      const Bytes data = store::test::readFile(entry.path());
      const std::string name = entry.path().filename().string() + " " + std::string(when);
      sawPublicKey = sawPublicKey || store::test::contains(data, c.identityKey.publicKey);
      EXPECT_FALSE(store::test::contains(data, c.noiseKey.privateKey.view())) << name;
      EXPECT_FALSE(store::test::contains(data, c.identityKey.privateKey.view())) << name;
      EXPECT_FALSE(store::test::contains(data, c.signedPreKey.keyPair.privateKey.view())) << name;
      EXPECT_FALSE(store::test::contains(data, c.advSecret.view())) << name;
      EXPECT_FALSE(store::test::contains(data, asBytes(kPhoneDigits))) << name;
    }
    EXPECT_GT(files, 0);
    EXPECT_TRUE(sawPublicKey) << when;
  };
  scan("while open");
  account->close();
  account.reset();
  scan("after close");
}

}  // namespace
}  // namespace chorus::core::account
