// chorus-cli against chorus-sim, process by process (label "integration"): linking by QR and
// by code, restarts, drops, 515, unlink, replace, bans, an outdated client, a simulator
// restart, the keychain/passphrase choice, logout and removal, keys at rest, receiving a
// message from another account's phone (listen) and sending one (send). The messaging commands
// (messages, chats, read, send --stdin, group) are in messaging_test.cpp.
//
//   lifecycle_test --cli PATH/chorus-cli --sim PATH/chorus-sim [--gtest_filter=Lifecycle.X]
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>

#include <gtest/gtest.h>

#include "app/platform/passphrase_secret_store.h"
#include "core/store/column_cipher.h"
#include "core/store/credential_store.h"
#include "core/store/data_key.h"
#include "core/store/database.h"
#include "tests/integration/lifecycle/lifecycle_fixture.h"
#include "tests/integration/lifecycle/lifecycle_harness.h"
#include "tests/integration/support/sim_client.h"

namespace chorus::testing::lifecycle {
namespace {

// 1. accounts add → link --json → the phone scans the first QR → linked, ready; status: ready.
// The text form first: terminal art and the raw string, refreshed; interrupted → exit 1.
TEST_F(Lifecycle, LinkByQr) {
  QString id;
  ASSERT_NO_FATAL_FAILURE(addAccount(QStringLiteral("Shop"), &id));
  {
    auto text = spawn({QStringLiteral("link"), QStringLiteral("Shop")});
    ASSERT_TRUE(
        waitUntil([&] { return text->stdoutText().contains(QStringLiteral("qr: 2@")); }, kLinkMs))
        << text->transcript();
    const QString out = text->stdoutText();
    EXPECT_TRUE(out.contains(QStringLiteral("\u2588")) && out.contains(QStringLiteral("\u2580")))
        << "no QR art";
    text->terminate();
    EXPECT_EQ(text->waitForExit(10'000), 1);
    EXPECT_TRUE(text->stderrText().contains(QStringLiteral("interrupted"))) << text->transcript();
  }
  ASSERT_NO_FATAL_FAILURE(createPhone(kPhoneA));
  auto link = spawn({QStringLiteral("link"), QStringLiteral("Shop"), QStringLiteral("--json")});
  const auto qr = link->waitForLine(isEvent(QStringLiteral("qr")), kLinkMs);
  ASSERT_TRUE(qr.has_value()) << link->transcript();
  const SimReply scan = sim_->call("POST", QStringLiteral("/accounts/%1/scan").arg(kPhoneA),
                                   QJsonObject{{QStringLiteral("qr"), str(*qr, "code")}});
  ASSERT_EQ(scan.status / 100, 2);
  const auto linked = link->waitForLine(isEvent(QStringLiteral("linked")), kLinkMs);
  ASSERT_TRUE(linked.has_value()) << link->transcript();
  expectMasked(str(*linked, "phone"), kPhoneA);
  ASSERT_EQ(link->waitForExit(kLinkMs), 0) << link->transcript();
  EXPECT_EQ(str(link->lines().back(), "state"), QStringLiteral("ready"));

  const QJsonObject status = statusOf(QStringLiteral("Shop"));
  EXPECT_EQ(str(status, "state"), QStringLiteral("ready"));
  EXPECT_EQ(str(status, "id"), id);
  EXPECT_EQ(str(status, "account"), QStringLiteral("Shop"));
  EXPECT_TRUE(QDateTime::fromString(str(status, "since"), Qt::ISODateWithMs).isValid());
  EXPECT_TRUE(status.value(QStringLiteral("next_retry")).isNull());
  EXPECT_TRUE(status.value(QStringLiteral("banned_until")).isNull());
  EXPECT_EQ(status.value(QStringLiteral("attempt")).toInt(-1), 0);
  ASSERT_EQ(devices().size(), 1);

  const CliResult list = run({QStringLiteral("accounts"), QStringLiteral("list")});
  ASSERT_EQ(list.exit, 0) << list.transcript;
  ASSERT_EQ(list.lines.size(), 1u);
  expectMasked(str(list.lines[0], "phone"), kPhoneA);
  EXPECT_TRUE(list.lines[0].value(QStringLiteral("auto_connect")).toBool());
}

// 2. link --phone NUMBER --json → code → the phone enters it → linked, ready.
TEST_F(Lifecycle, LinkByPairingCode) {
  ASSERT_NO_FATAL_FAILURE(addAccount(QStringLiteral("Shop")));
  ASSERT_NO_FATAL_FAILURE(createPhone(kPhoneA));
  auto link = spawn({QStringLiteral("link"), QStringLiteral("Shop"), QStringLiteral("--phone"),
                     kPhoneA, QStringLiteral("--json")});
  const auto code = link->waitForLine(isEvent(QStringLiteral("code")), kLinkMs);
  ASSERT_TRUE(code.has_value()) << link->transcript();
  EXPECT_TRUE(QRegularExpression(QStringLiteral("^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
                  .match(str(*code, "code"))
                  .hasMatch())
      << str(*code, "code").toStdString();
  const SimReply entered =
      sim_->call("POST", QStringLiteral("/accounts/%1/pairing-code").arg(kPhoneA),
                 QJsonObject{{QStringLiteral("code"), str(*code, "code")}});
  ASSERT_EQ(entered.status / 100, 2) << QJsonDocument(entered.json).toJson().toStdString();
  const auto linked = link->waitForLine(isEvent(QStringLiteral("linked")), kLinkMs);
  ASSERT_TRUE(linked.has_value()) << link->transcript();
  expectMasked(str(*linked, "phone"), kPhoneA);
  ASSERT_EQ(link->waitForExit(kLinkMs), 0) << link->transcript();
  EXPECT_FALSE(link->stdoutText().contains(kPhoneA));
  EXPECT_EQ(str(statusOf(QStringLiteral("Shop")), "state"), QStringLiteral("ready"));
  EXPECT_EQ(devices().size(), 1);
}

// 2b. Nobody scans: when the QR refs run out (short ones here) link exits 1, saying so.
TEST_F(Lifecycle, LinkQrCodesRunOut) {
  ASSERT_NO_FATAL_FAILURE(addAccount(QStringLiteral("Shop")));
  ASSERT_EQ(sim_->call("PUT", QStringLiteral("/config"),
                       QJsonObject{{QStringLiteral("qr_first_ms"), 500},
                                   {QStringLiteral("qr_next_ms"), 300}})
                .status,
            200);
  auto link = spawn({QStringLiteral("link"), QStringLiteral("Shop"), QStringLiteral("--json")});
  ASSERT_TRUE(link->waitForLine(isEvent(QStringLiteral("qr")), kLinkMs)) << link->transcript();
  EXPECT_EQ(link->waitForExit(kLinkMs), 1) << link->transcript();
  EXPECT_TRUE(link->stderrText().startsWith(
      QStringLiteral("chorus-cli link: not linked: no phone scanned the QR code in time")))
      << link->transcript();
  EXPECT_EQ(link->stderrText().count(QLatin1Char('\n')), 1) << "one line";
  EXPECT_EQ(str(link->lines().back(), "state"), QStringLiteral("unlinked")) << link->transcript();
  EXPECT_TRUE(devices().isEmpty());
}

// 3. New processes find the account linked: ready without a scan, still one device (no
// re-pairing, which would have added device 2).
TEST_F(Lifecycle, RestartWithoutRelinking) {
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("Shop"), kPhoneA));
  for (int run = 0; run < 2; ++run) {
    EXPECT_EQ(str(statusOf(QStringLiteral("Shop")), "state"), QStringLiteral("ready"));
  }
  const QJsonArray linked = devices();
  ASSERT_EQ(linked.size(), 1);
  EXPECT_EQ(linked[0].toObject().value(QStringLiteral("device")).toInt(), 1);
}

// 4. A dropped connection → reconnecting (attempt 1) → ready; a stalled one is noticed by the
// keepalive (long before the stall ends) → reconnect → ready.
TEST_F(Lifecycle, DropAndStallReconnect) {
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("Shop"), kPhoneA));
  auto watch = spawn({QStringLiteral("status"), QStringLiteral("--watch")});
  ASSERT_TRUE(watch->waitForLine(hasState(QStringLiteral("ready")), kStateMs))
      << watch->transcript();
  const int first = waitForConnection(kPhoneA);
  ASSERT_GE(first, 0);

  ASSERT_EQ(sim_->call("POST", QStringLiteral("/connections/%1/abort").arg(first)).status / 100, 2);
  const auto reconnecting = watch->waitForLine(hasState(QStringLiteral("reconnecting")), kStateMs);
  ASSERT_TRUE(reconnecting.has_value()) << watch->transcript();
  EXPECT_EQ(reconnecting->value(QStringLiteral("attempt")).toInt(), 1);
  EXPECT_TRUE(QDateTime::fromString(str(*reconnecting, "next_retry"), Qt::ISODateWithMs).isValid())
      << watch->transcript();
  ASSERT_TRUE(watch->waitForLine(hasState(QStringLiteral("ready")), kStateMs))
      << watch->transcript();

  const int second = waitForConnection(kPhoneA, first);
  ASSERT_GE(second, 0);
  QElapsedTimer timer;
  timer.start();
  ASSERT_EQ(sim_->call("POST", QStringLiteral("/connections/%1/stall").arg(second),
                       QJsonObject{{QStringLiteral("seconds"), 10}})
                    .status /
                100,
            2);
  ASSERT_TRUE(watch->waitForLine(hasState(QStringLiteral("reconnecting")), kStateMs))
      << watch->transcript();
  ASSERT_TRUE(watch->waitForLine(hasState(QStringLiteral("ready")), kStateMs))
      << watch->transcript();
  EXPECT_LT(timer.elapsed(), 9'000) << "the keepalive did not notice the stall";
  stopWatch(*watch);
}

// 5. <stream:error code="515"/> on a live connection → reconnect at once (the backoff here is
// 5 s, so only an immediate reconnect is ready within 2.5 s).
TEST_F(Lifecycle, LiveRestartRequired) {
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("Shop"), kPhoneA));
  auto watch = spawn({QStringLiteral("status"), QStringLiteral("--watch")},
                     env(QStringLiteral("reconnect_base_ms=5000,keepalive_ms=500,"
                                        "keepalive_timeout_ms=1000")));
  ASSERT_TRUE(watch->waitForLine(hasState(QStringLiteral("ready")), kStateMs))
      << watch->transcript();
  const int id = waitForConnection(kPhoneA);
  ASSERT_GE(id, 0);
  QElapsedTimer timer;
  timer.start();
  ASSERT_EQ(sim_->call("POST", QStringLiteral("/connections/%1/stream-error").arg(id),
                       QJsonObject{{QStringLiteral("code"), 515}})
                    .status /
                100,
            2);
  const auto dropped = watch->waitForLine(
      [](const QJsonObject& l) { return str(l, "state") != QStringLiteral("ready"); }, kStateMs);
  ASSERT_TRUE(dropped.has_value()) << watch->transcript();
  EXPECT_EQ(dropped->value(QStringLiteral("code")).toInt(), 515) << watch->transcript();
  ASSERT_TRUE(watch->waitForLine(hasState(QStringLiteral("ready")), kStateMs))
      << watch->transcript();
  EXPECT_LT(timer.elapsed(), 2'500) << "515 was not followed by an immediate reconnect";
  stopWatch(*watch);
}

// 6. The phone unlinks the device → logged_out, and no connection attempt afterwards.
TEST_F(Lifecycle, UnlinkedByPhone) {
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("Shop"), kPhoneA));
  auto watch = spawn({QStringLiteral("status"), QStringLiteral("--watch")});
  ASSERT_TRUE(watch->waitForLine(hasState(QStringLiteral("ready")), kStateMs))
      << watch->transcript();
  ASSERT_GE(waitForConnection(kPhoneA), 0);
  ASSERT_EQ(sim_->call("DELETE", QStringLiteral("/devices/%1/1").arg(kPhoneA)).status, 200);
  ASSERT_TRUE(watch->waitForLine(hasState(QStringLiteral("logged_out")), kStateMs))
      << watch->transcript();
  expectNoReconnect(*watch, kPhoneA, QStringLiteral("Shop"), QStringLiteral("logged_out"));
  stopWatch(*watch);
  // A new process knows the device is gone: it does not try either.
  const QString state = str(statusOf(QStringLiteral("Shop")), "state");
  EXPECT_TRUE(state == QStringLiteral("logged_out") || state == QStringLiteral("unlinked"))
      << state.toStdString();

  // Re-linking is the way back (fresh device keys; the simulator reuses the free number 1).
  auto link = spawn({QStringLiteral("link"), QStringLiteral("Shop"), QStringLiteral("--json")});
  const auto qr = link->waitForLine(isEvent(QStringLiteral("qr")), kLinkMs);
  ASSERT_TRUE(qr.has_value()) << link->transcript();
  ASSERT_EQ(sim_->call("POST", QStringLiteral("/accounts/%1/scan").arg(kPhoneA),
                       QJsonObject{{QStringLiteral("qr"), str(*qr, "code")}})
                    .status /
                100,
            2);
  ASSERT_EQ(link->waitForExit(kLinkMs), 0) << link->transcript();
  EXPECT_EQ(devices().size(), 1);
  EXPECT_EQ(str(statusOf(QStringLiteral("Shop")), "state"), QStringLiteral("ready"));
}

// 7. Another login takes the device over → replaced, and no fight for it.
TEST_F(Lifecycle, Replaced) {
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("Shop"), kPhoneA));
  auto watch = spawn({QStringLiteral("status"), QStringLiteral("--watch")});
  ASSERT_TRUE(watch->waitForLine(hasState(QStringLiteral("ready")), kStateMs))
      << watch->transcript();
  ASSERT_GE(waitForConnection(kPhoneA), 0);
  ASSERT_EQ(sim_->call("POST", QStringLiteral("/devices/%1/1/replace").arg(kPhoneA)).status / 100,
            2);
  ASSERT_TRUE(watch->waitForLine(hasState(QStringLiteral("replaced")), kStateMs))
      << watch->transcript();
  expectNoReconnect(*watch, kPhoneA, QStringLiteral("Shop"), QStringLiteral("replaced"));
  stopWatch(*watch);
}

// 8. A temporary ban (402 with expiry) → banned until exactly that time; a login below the
// minimum version (405) → outdated.
TEST_F(Lifecycle, BannedAndOutdated) {
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("A"), kPhoneA));
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("B"), kPhoneB));
  auto watch = spawn({QStringLiteral("status"), QStringLiteral("--watch")});
  ASSERT_TRUE(
      waitForAll(*watch, QStringLiteral("ready"), {QStringLiteral("A"), QStringLiteral("B")}))
      << watch->transcript();

  const SimReply ban = sim_->call("POST", QStringLiteral("/accounts/%1/ban").arg(kPhoneA),
                                  QJsonObject{{QStringLiteral("reason"), 402},
                                              {QStringLiteral("code"), 101},
                                              {QStringLiteral("expire"), 3600}});
  ASSERT_EQ(ban.status, 201);
  const qint64 expiresAt = ban.object().value(QStringLiteral("expires_at")).toInteger();
  const auto banned =
      watch->waitForLine(hasState(QStringLiteral("banned"), QStringLiteral("A")), kStateMs);
  ASSERT_TRUE(banned.has_value()) << watch->transcript();
  const QDateTime until = QDateTime::fromString(str(*banned, "banned_until"), Qt::ISODateWithMs);
  ASSERT_TRUE(until.isValid()) << watch->transcript();
  EXPECT_LE(std::abs(until.toSecsSinceEpoch() - expiresAt), 2)
      << "banned_until " << str(*banned, "banned_until").toStdString() << " vs expires_at "
      << expiresAt;

  const int b = waitForConnection(kPhoneB);
  ASSERT_GE(b, 0);
  ASSERT_EQ(sim_->call("PUT", QStringLiteral("/config"),
                       QJsonObject{{QStringLiteral("min_version"), QStringLiteral("99.0.0")}})
                .status,
            200);
  ASSERT_EQ(sim_->call("POST", QStringLiteral("/connections/%1/abort").arg(b)).status / 100, 2);
  ASSERT_TRUE(
      watch->waitForLine(hasState(QStringLiteral("outdated"), QStringLiteral("B")), kStateMs))
      << watch->transcript();
  stopWatch(*watch);
  EXPECT_TRUE(connectionsOf(kPhoneA).empty() && connectionsOf(kPhoneB).empty());
}

// 9. The simulator goes away and comes back at the same address: both numbers ready again.
TEST_F(Lifecycle, SimulatorRestart) {
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("A"), kPhoneA));
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("B"), kPhoneB));
  auto watch = spawn({QStringLiteral("status"), QStringLiteral("--watch")});
  const QStringList both{QStringLiteral("A"), QStringLiteral("B")};
  ASSERT_TRUE(waitForAll(*watch, QStringLiteral("ready"), both)) << watch->transcript();
  sim_->stop();
  ASSERT_TRUE(waitForAll(*watch, QStringLiteral("reconnecting"), both)) << watch->transcript();
  const auto restarted = sim_->restart();
  ASSERT_FALSE(restarted.has_value()) << *restarted;
  ASSERT_TRUE(waitForAll(*watch, QStringLiteral("ready"), both, 15'000)) << watch->transcript();
  stopWatch(*watch);
  EXPECT_EQ(devices().size(), 2);
}

// 10. No keychain and no passphrase → a clear refusal, never plaintext; a passphrase works; a
// wrong one is refused.
TEST_F(Lifecycle, KeychainAbsentNeedsPassphrase) {
  const CliResult refused = run(
      {QStringLiteral("accounts"), QStringLiteral("add"), QStringLiteral("Shop")}, noKeychainEnv());
  EXPECT_EQ(refused.exit, 1) << refused.transcript;
  EXPECT_TRUE(refused.err.contains(QStringLiteral("no keychain service is available")) &&
              refused.err.contains(QStringLiteral("CHORUS_PASSPHRASE")) &&
              refused.err.contains(QStringLiteral("--passphrase-file")))
      << refused.transcript;
  EXPECT_TRUE(refused.out.isEmpty());
  EXPECT_FALSE(QDir(dataDir_.path() + QStringLiteral("/accounts")).exists() &&
               !QDir(dataDir_.path() + QStringLiteral("/accounts")).isEmpty())
      << "an account was created without a keychain or passphrase";

  const CliResult added =
      run({QStringLiteral("accounts"), QStringLiteral("add"), QStringLiteral("Shop")});
  ASSERT_EQ(added.exit, 0) << added.transcript;

  QProcessEnvironment wrong = env();
  wrong.insert(QStringLiteral("CHORUS_PASSPHRASE"), QStringLiteral("not-the-passphrase"));
  const CliResult denied = run({QStringLiteral("accounts"), QStringLiteral("list")}, wrong);
  EXPECT_EQ(denied.exit, 1) << denied.transcript;
  EXPECT_TRUE(denied.err.contains(QStringLiteral("wrong passphrase"))) << denied.transcript;
  EXPECT_TRUE(denied.out.isEmpty());

  // The same passphrase from a file, and no passphrase at all on a protected folder.
  const QString file =
      dataDir_.path() + QStringLiteral("/../passphrase-") + QFileInfo(dataDir_.path()).fileName();
  {
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(kPassphrase) + '\n');
  }
  const CliResult fromFile = run({QStringLiteral("accounts"), QStringLiteral("list"),
                                  QStringLiteral("--passphrase-file"), file},
                                 noKeychainEnv());
  QFile::remove(file);
  ASSERT_EQ(fromFile.exit, 0) << fromFile.transcript;
  ASSERT_EQ(fromFile.lines.size(), 1u);
  EXPECT_EQ(str(fromFile.lines[0], "name"), QStringLiteral("Shop"));
  const CliResult locked =
      run({QStringLiteral("accounts"), QStringLiteral("list")}, noKeychainEnv());
  EXPECT_EQ(locked.exit, 1);
  EXPECT_TRUE(locked.err.contains(QStringLiteral("passphrase"))) << locked.transcript;
}

// 11. logout → the server confirms and forgets the device; accounts remove → logged out on the
// server and the folder deleted.
TEST_F(Lifecycle, LogoutAndRemove) {
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("A"), kPhoneA));
  const CliResult out = run({QStringLiteral("logout"), QStringLiteral("A")});
  ASSERT_EQ(out.exit, 0) << out.transcript;
  ASSERT_FALSE(out.lines.empty()) << out.transcript;
  EXPECT_EQ(str(out.lines.back(), "event"), QStringLiteral("logged_out"));
  EXPECT_TRUE(out.lines.back().value(QStringLiteral("server_confirmed")).toBool())
      << out.transcript;
  EXPECT_TRUE(devices().isEmpty()) << QJsonDocument(devices()).toJson().toStdString();
  EXPECT_EQ(str(statusOf(QStringLiteral("A")), "state"), QStringLiteral("unlinked"));

  QString id;
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("B"), kPhoneB, &id));
  const QString folder = dataDir_.path() + QStringLiteral("/accounts/") + id;
  ASSERT_TRUE(QDir(folder).exists());
  const CliResult removed =
      run({QStringLiteral("accounts"), QStringLiteral("remove"), QStringLiteral("B")});
  ASSERT_EQ(removed.exit, 0) << removed.transcript;
  EXPECT_FALSE(QDir(folder).exists());
  EXPECT_TRUE(devices().isEmpty()) << QJsonDocument(devices()).toJson().toStdString();
  const CliResult list = run({QStringLiteral("accounts"), QStringLiteral("list")});
  ASSERT_EQ(list.exit, 0);
  ASSERT_EQ(list.lines.size(), 1u);
  EXPECT_EQ(str(list.lines[0], "name"), QStringLiteral("A"));
  const CliResult unknown =
      run({QStringLiteral("accounts"), QStringLiteral("remove"), QStringLiteral("B")});
  EXPECT_EQ(unknown.exit, 1) << unknown.transcript;
}

// Every file under `dir`, with its bytes.
std::vector<std::pair<QString, QByteArray>> readAll(const QString& dir) {
  std::vector<std::pair<QString, QByteArray>> files;
  QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString path = it.next();
    QFile f(path);
    if (f.open(QIODevice::ReadOnly)) files.emplace_back(path, f.readAll());
  }
  return files;
}

QByteArray qbytes(core::BytesView b) {
  return QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<qsizetype>(b.size()));
}

// 12. After linking, no private key, no adv secret and no data key is anywhere in the data
// folder in the clear — database, -wal, -shm, secrets — while running and after.
TEST_F(Lifecycle, KeysAtRest) {
  QString id;
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("Shop"), kPhoneA, &id));

  // The keys, read the way the account reads them.
  std::vector<std::pair<std::string, QByteArray>> secrets;
  QByteArray noisePublic;
  {
    core::SystemRandom random;
    auto store = app::PassphraseSecretStore::unlock(dataDir_.path() + QStringLiteral("/secrets"),
                                                    kPassphrase, random);
    ASSERT_TRUE(store.has_value()) << core::describe(store.error());
    std::optional<core::store::DataKey> key;
    core::store::readDataKey(**store, id.toStdString(), [&](core::Result<core::store::DataKey> k) {
      ASSERT_TRUE(k.has_value()) << core::describe(k.error());
      key = std::move(*k);
    });
    ASSERT_TRUE(key.has_value());
    secrets.emplace_back("data key", qbytes(key->view()));
    const std::filesystem::path db =
        QFile::encodeName(dataDir_.path() + QStringLiteral("/accounts/") + id +
                          QStringLiteral("/chorus.db"))
            .toStdString();
    auto database = core::store::Database::open(db);
    ASSERT_TRUE(database.has_value()) << core::describe(database.error());
    core::store::ColumnCipher cipher(key->clone(), random);
    core::store::CredentialStore credentials(**database, cipher);
    auto creds = credentials.load();
    ASSERT_TRUE(creds.has_value()) << core::describe(creds.error());
    ASSERT_TRUE(creds->isPaired());
    secrets.emplace_back("noise private key", qbytes(creds->noiseKey.privateKey.view()));
    secrets.emplace_back("identity private key", qbytes(creds->identityKey.privateKey.view()));
    secrets.emplace_back("signed prekey private key",
                         qbytes(creds->signedPreKey.keyPair.privateKey.view()));
    secrets.emplace_back("adv secret", qbytes(creds->advSecret.view()));
    noisePublic = qbytes(creds->noiseKey.publicKey);
  }
  for (const auto& [what, bytes] : secrets) ASSERT_EQ(bytes.size(), 32) << what;

  const auto scan = [&](const char* when) {
    const auto files = readAll(dataDir_.path());
    ASSERT_FALSE(files.empty());
    bool publicSeen = false;  // the scan finds what is stored in the clear
    for (const auto& [path, content] : files) {
      publicSeen = publicSeen || content.contains(noisePublic);
      for (const auto& [what, bytes] : secrets) {
        EXPECT_FALSE(content.contains(bytes))
            << what << " in the clear in " << path.toStdString() << " (" << when << ")";
      }
    }
    EXPECT_TRUE(publicSeen) << "the noise public key was found nowhere (" << when << ")";
  };

  auto watch = spawn({QStringLiteral("status"), QStringLiteral("--watch")});
  ASSERT_TRUE(watch->waitForLine(hasState(QStringLiteral("ready")), kStateMs))
      << watch->transcript();
  bool walSeen = false;
  for (const auto& file : readAll(dataDir_.path())) {
    walSeen = walSeen || file.first.endsWith(QStringLiteral("-wal"));
  }
  EXPECT_TRUE(walSeen) << "expected the database's -wal file while the account runs";
  scan("while running");
  stopWatch(*watch);
  scan("after exit");
}

// 14. Another simulated account's phone texts our number: `listen` prints the message once it
// is stored (and acked); after a restart, `listen` does not print it again.
TEST_F(Lifecycle, ReceiveMessage) {
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("Shop"), kPhoneA));
  ASSERT_NO_FATAL_FAILURE(createPhone(kPhoneB));
  const QString text = QStringLiteral("hello from B \u00e9");
  const LineMatch isOurMessage = [&](const QJsonObject& line) {
    return str(line, "event") == QLatin1String("message") && str(line, "text") == text;
  };
  {
    auto listen = spawn({QStringLiteral("listen"), QStringLiteral("Shop")});
    ASSERT_TRUE(listen->waitForLine(hasState(QStringLiteral("ready")), kStateMs))
        << listen->transcript();
    // Our prekeys go up right after login; give them a moment before the phone fetches them.
    (void)waitUntil([] { return false; }, 1'000);
    const SimReply sent =
        sim_->call("POST", QStringLiteral("/accounts/%1/send").arg(kPhoneB),
                   QJsonObject{{QStringLiteral("to"), kPhoneA}, {QStringLiteral("text"), text}});
    ASSERT_EQ(sent.status / 100, 2) << QJsonDocument(sent.json).toJson().toStdString();
    const QString id = sent.object().value(QStringLiteral("id")).toString();
    const auto message = listen->waitForLine(isOurMessage, kStateMs);
    ASSERT_TRUE(message.has_value()) << listen->transcript();
    EXPECT_EQ(str(*message, "id"), id);
    EXPECT_EQ(str(*message, "chat"), kPhoneB + QStringLiteral("@s.whatsapp.net"));
    EXPECT_EQ(str(*message, "kind"), QStringLiteral("text"));
    EXPECT_GT(message->value(QStringLiteral("t")).toInteger(), 0);
    EXPECT_FALSE(listen->stderrText().contains(text)) << "message text in the log";
    // Stored and acked before it is shown: nothing is left for the next run.
    (void)waitUntil([] { return false; }, 500);
    stopWatch(*listen);
  }
  auto again = spawn({QStringLiteral("listen"), QStringLiteral("Shop")});
  ASSERT_TRUE(again->waitForLine(hasState(QStringLiteral("ready")), kStateMs))
      << again->transcript();
  (void)waitUntil([] { return false; }, kQuietMs);
  for (const QJsonObject& line : again->pendingLines()) {
    EXPECT_NE(str(line, "event"), QStringLiteral("message")) << again->transcript();
  }
  stopWatch(*again);
}


// 15. Our number texts another simulated account: `send` prints the id once stored (queued),
// waits for the server's ack and prints it again (sent); the other account's phone decrypts it (its inbox lists the text under that id).
TEST_F(Lifecycle, SendMessage) {
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("Shop"), kPhoneA));
  ASSERT_NO_FATAL_FAILURE(createPhone(kPhoneB));
  const QString text = QStringLiteral("hello");
  const CliResult sent = run({QStringLiteral("send"), QStringLiteral("Shop"),
                              kPhoneB + QStringLiteral("@s.whatsapp.net"), text});
  ASSERT_EQ(sent.exit, 0) << sent.transcript;
  // "queued" as soon as it is stored (its id known even if the process dies), then "sent".
  ASSERT_EQ(sent.lines.size(), 2u) << sent.transcript;
  EXPECT_EQ(str(sent.lines[0], "event"), QStringLiteral("queued"));
  EXPECT_EQ(str(sent.lines[1], "event"), QStringLiteral("sent"));
  const QString id = str(sent.lines[1], "id");
  EXPECT_FALSE(id.isEmpty());
  EXPECT_EQ(str(sent.lines[0], "id"), id);
  EXPECT_EQ(str(sent.lines[1], "chat"), kPhoneB + QStringLiteral("@s.whatsapp.net"));
  EXPECT_FALSE(sent.err.contains(text)) << "message text in the log";

  bool found = false;
  (void)waitUntil(
      [&] {
        const SimReply inbox =
            sim_->call("GET", QStringLiteral("/accounts/%1/inbox").arg(kPhoneB));
        for (const QJsonValue& m : inbox.object().value(QStringLiteral("messages")).toArray()) {
          const QJsonObject o = m.toObject();
          if (str(o, "id") == id && str(o, "text") == text) found = true;
        }
        return found;
      },
      kStateMs);
  EXPECT_TRUE(found) << "the phone of " << kPhoneB.toStdString() << " did not decrypt it";
}
}  // namespace
}  // namespace chorus::testing::lifecycle

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  auto& programs = chorus::testing::lifecycle::programs();
  for (int i = 1; i + 1 < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--cli")
      programs.cli = QString::fromLocal8Bit(argv[++i]);
    else if (a == "--sim")
      programs.sim = QString::fromLocal8Bit(argv[++i]);
  }
  QCoreApplication app(argc, argv);
  const int result = RUN_ALL_TESTS();
  // A --gtest_filter that matches nothing must not pass silently.
  const auto* unit = ::testing::UnitTest::GetInstance();
  if (!::testing::GTEST_FLAG(list_tests) && unit->test_to_run_count() == 0) {
    std::cerr << "lifecycle_test: no test matched the filter\n";
    return 1;
  }
  return result;
}
