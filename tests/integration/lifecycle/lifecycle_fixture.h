// The fixture of the chorus-cli lifecycle tests (lifecycle_test.cpp, messaging_test.cpp): a
// chorus-sim of its own and an empty data folder per test, chorus-cli runs with a passphrase and
// short test timings, and the steps many cases share (add an account, link it by QR, ...).
#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "tests/integration/lifecycle/lifecycle_harness.h"
#include "tests/integration/support/sim_client.h"

namespace chorus::testing::lifecycle {


inline constexpr char kPassphrase[] = "test-passphrase";
// Short delays so every case runs in seconds: first retry after ~200 ms, ping every 500 ms,
// dead after 1 s without an answer.
inline constexpr char kTiming[] =
    "reconnect_base_ms=200,slow_retry_ms=2000,keepalive_ms=500,keepalive_timeout_ms=1000,"
    "connect_timeout_ms=3000";
inline const QString kPhoneA = QStringLiteral("15550001111");
inline const QString kPhoneB = QStringLiteral("15550002222");
inline constexpr int kLinkMs = 15'000;
inline constexpr int kStateMs = 8'000;
inline constexpr int kQuietMs = 2'500;  // "no further connection attempts" is watched this long

inline QString str(const QJsonObject& o, const char* key) {
  return o.value(QLatin1String(key)).toString();
}

struct CliResult {
  int exit = -1;
  std::vector<QJsonObject> lines;
  QString out;
  QString err;
  std::string transcript;
};

class Lifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(programs().cli.isEmpty() || programs().sim.isEmpty())
        << "pass --cli PATH and --sim PATH";
    ASSERT_TRUE(simDir_.isValid() && dataDir_.isValid());
    // Ports chosen once, so the simulator can come back at the same address (SimulatorRestart).
    sim_ = std::make_unique<SimProcess>();
    const auto error = sim_->start(programs().sim, simDir_.path(),
                                   SimOptions{{freePort(), freePort(), freePort()}});
    ASSERT_FALSE(error.has_value()) << *error;
  }

  [[nodiscard]] static QProcessEnvironment env(const QString& timing = QLatin1String(kTiming)) {
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(QStringLiteral("CHORUS_PASSPHRASE"), QLatin1String(kPassphrase));
    e.insert(QStringLiteral("CHORUS_TEST_TIMING"), timing);
    return e;
  }
  // No passphrase and no way to reach a D-Bus session (so no Secret Service/KWallet).
  [[nodiscard]] static QProcessEnvironment noKeychainEnv() {
    QProcessEnvironment e = env();
    for (const char* name : {"CHORUS_PASSPHRASE", "DBUS_SESSION_BUS_ADDRESS", "DISPLAY",
                             "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR"}) {
      e.remove(QLatin1String(name));
    }
    return e;
  }
  [[nodiscard]] QStringList withGlobals(const QStringList& command) const {
    return QStringList{QStringLiteral("--data"), dataDir_.path(), QStringLiteral("--server"),
                       sim_->serverJson()} +
           command;
  }
  [[nodiscard]] std::unique_ptr<CliProcess> spawn(const QStringList& command,
                                                  const QProcessEnvironment& e = env()) {
    auto p = std::make_unique<CliProcess>();
    p->start(withGlobals(command), e);
    return p;
  }
  [[nodiscard]] CliResult run(const QStringList& command, const QProcessEnvironment& e = env(),
                              int ms = 20'000) {
    auto p = spawn(command, e);
    CliResult r;
    r.exit = p->waitForExit(ms);
    r.lines = p->lines();
    r.out = p->stdoutText();
    r.err = p->stderrText();
    r.transcript = p->transcript();
    return r;
  }

  void addAccount(const QString& name, QString* id = nullptr) {
    const CliResult r = run({QStringLiteral("accounts"), QStringLiteral("add"), name});
    ASSERT_EQ(r.exit, 0) << r.transcript;
    ASSERT_EQ(r.lines.size(), 1u) << r.transcript;
    EXPECT_EQ(str(r.lines[0], "name"), name);
    const QString got = str(r.lines[0], "id");
    EXPECT_TRUE(QRegularExpression(QStringLiteral("^[0-9a-f-]{36}$")).match(got).hasMatch())
        << got.toStdString();
    if (id != nullptr) *id = got;
  }
  void createPhone(const QString& phone) {
    const SimReply r = sim_->call("POST", QStringLiteral("/accounts"),
                                  QJsonObject{{QStringLiteral("phone"), phone}});
    ASSERT_EQ(r.status, 201);
  }
  // accounts add NAME, a phone for PHONE, `link NAME --json`, the phone scans the first QR.
  void linkByQr(const QString& name, const QString& phone, QString* id = nullptr) {
    ASSERT_NO_FATAL_FAILURE(addAccount(name, id));
    ASSERT_NO_FATAL_FAILURE(createPhone(phone));
    auto link = spawn({QStringLiteral("link"), name, QStringLiteral("--json")});
    const auto qr = link->waitForLine(isEvent(QStringLiteral("qr")), kLinkMs);
    ASSERT_TRUE(qr.has_value()) << link->transcript();
    const QString code = str(*qr, "code");
    EXPECT_EQ(code.count(QLatin1Char(',')), 3) << "ref,noise,identity,adv";
    const QDateTime expires = QDateTime::fromString(str(*qr, "expires"), Qt::ISODateWithMs);
    EXPECT_TRUE(expires.isValid() && expires > QDateTime::currentDateTimeUtc())
        << str(*qr, "expires").toStdString();

    const SimReply scan = sim_->call("POST", QStringLiteral("/accounts/%1/scan").arg(phone),
                                     QJsonObject{{QStringLiteral("qr"), code}});
    ASSERT_EQ(scan.status / 100, 2) << QJsonDocument(scan.json).toJson().toStdString();
    const auto linked = link->waitForLine(isEvent(QStringLiteral("linked")), kLinkMs);
    ASSERT_TRUE(linked.has_value()) << link->transcript();
    expectMasked(str(*linked, "phone"), phone);
    ASSERT_EQ(link->waitForExit(kLinkMs), 0) << link->transcript();
    ASSERT_FALSE(link->lines().empty());
    EXPECT_EQ(str(link->lines().back(), "state"), QStringLiteral("ready")) << link->transcript();
    EXPECT_FALSE(link->stdoutText().contains(phone)) << "a full phone number was printed";
    EXPECT_FALSE(link->stderrText().contains(phone)) << "a full phone number was printed";
  }
  static void expectMasked(const QString& shown, const QString& phone) {
    EXPECT_FALSE(shown.isEmpty());
    EXPECT_FALSE(shown.contains(phone)) << shown.toStdString();
    EXPECT_TRUE(shown.endsWith(phone.right(3))) << shown.toStdString();
  }
  // `status NAME` (one line) — what a fresh process finds.
  QJsonObject statusOf(const QString& name) {
    const CliResult r = run({QStringLiteral("status"), name});
    EXPECT_EQ(r.exit, 0) << r.transcript;
    EXPECT_EQ(r.lines.size(), 1u) << r.transcript;
    return r.lines.empty() ? QJsonObject{} : r.lines.back();
  }
  [[nodiscard]] QJsonArray devices() {
    return sim_->call("GET", QStringLiteral("/devices")).array();
  }
  // The simulator's live device connections of `phone` (ids).
  [[nodiscard]] std::set<int> connectionsOf(const QString& phone) {
    std::set<int> ids;
    for (const QJsonValue v : sim_->call("GET", QStringLiteral("/connections")).array()) {
      const QJsonObject c = v.toObject();
      if (str(c, "jid").startsWith(phone + QLatin1Char(':'))) {
        ids.insert(c.value(QStringLiteral("id")).toInt());
      }
    }
    return ids;
  }
  // Waits for a device connection of `phone` other than `except`.
  int waitForConnection(const QString& phone, int except = -1) {
    int found = -1;
    (void)waitUntil(
        [&] {
          for (int id : connectionsOf(phone)) {
            if (id != except) found = id;
          }
          return found >= 0;
        },
        kStateMs);
    return found;
  }
  // Waits until every one of `accounts` printed a line in `state` (in any order).
  static bool waitForAll(CliProcess& p, const QString& state, const QStringList& accounts,
                         int ms = kStateMs) {
    QSet<QString> seen;
    return p
        .waitForLine(
            [&](const QJsonObject& line) {
              if (str(line, "state") == state) seen.insert(str(line, "account"));
              for (const QString& a : accounts) {
                if (!seen.contains(a)) return false;
              }
              return true;
            },
            ms)
        .has_value();
  }
  // For `ms`: the simulator never sees a connection of `phone`, and `watch` prints no state
  // other than `state` for `account`.
  void expectNoReconnect(CliProcess& watch, const QString& phone, const QString& account,
                         const QString& state) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < kQuietMs) {
      EXPECT_TRUE(connectionsOf(phone).empty())
          << "a new connection after " << timer.elapsed() << " ms";
      (void)waitUntil([] { return false; }, 100);
    }
    for (const QJsonObject& line : watch.pendingLines()) {
      if (str(line, "account") == account) {
        EXPECT_EQ(str(line, "state"), state) << watch.transcript();
      }
    }
  }
  void stopWatch(CliProcess& watch) {
    watch.terminate();
    EXPECT_EQ(watch.waitForExit(10'000), 0) << watch.transcript();
  }

  QTemporaryDir simDir_;
  QTemporaryDir dataDir_;
  std::unique_ptr<SimProcess> sim_;
};

}  // namespace chorus::testing::lifecycle
