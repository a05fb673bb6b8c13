// engine_sim_test: the whole engine (Engine, AccountRegistry, Account, AccountDriver over real
// QWebSockets) against a real chorus-sim, in one process:
//   1. link: add "A", linkWithQr, the simulated phone scans the QR (control API) → AccountLinked,
//      Ready;
//   2. restart: the Engine shut down, a fresh Engine on the same folder and the same secrets →
//      Ready without linking;
//   3. server restart: chorus-sim stopped and started on the same data and port → Reconnecting,
//      then Ready again (reconnect base 200 ms);
//   4. unlink from the phone (DELETE /devices) → LoggedOut, and no connect attempt within 2 s.
//
//   engine_sim_test --sim PATH/chorus-sim [--verbose]   (--verbose: info logs and every event)
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "app/platform/account_event_text.h"
#include "app/platform/engine.h"
#include "core/util/logger.h"
#include "tests/integration/engine/engine_harness.h"
#include "tests/integration/support/sim_client.h"

namespace {

namespace api = chorus::api;
namespace app = chorus::app;
namespace core = chorus::core;
using api::ConnectionState;
using chorus::testing::EventLog;
using chorus::testing::SharedSecrets;
using chorus::testing::SharedSecretStore;
using chorus::testing::SimProcess;
using chorus::testing::waitUntil;

constexpr char kPhone[] = "15550001111";
constexpr int kStepMs = 20'000;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "engine_sim_test: FAIL: %s\n", message.c_str());
  std::exit(1);
}

void step(const char* what) {
  std::printf("engine_sim_test: %s\n", what);
  std::fflush(stdout);
}

// One Engine with its events recorded; opened on the shared secrets.
struct Running {
  std::unique_ptr<app::Engine> engine;
  EventLog log;
};

bool verbose = false;

std::unique_ptr<Running> openEngine(const app::EngineOptions& options, SharedSecrets& secrets) {
  auto r = std::make_unique<Running>();
  r->engine = std::make_unique<app::Engine>(options);
  QObject::connect(r->engine.get(), &app::Engine::event, r->engine.get(),
                   [log = &r->log](const api::AccountEvent& e) {
                     log->add(e);
                     if (verbose) std::fprintf(stderr, "event: %s\n", app::describeAccountEvent(e).c_str());
                   });
  std::optional<core::Status> opened;
  r->engine->open(std::make_unique<SharedSecretStore>(secrets),
                  [&opened](core::Status s) { opened = std::move(s); });
  if (!waitUntil([&] { return opened.has_value(); }, kStepMs)) die("open did not finish");
  if (!*opened) die("open: " + core::describe(opened->error()));
  return r;
}

void expectReady(Running& r, const api::AccountId& id, std::size_t from, const char* when) {
  if (!waitUntil([&] { return r.log.reached(id, ConnectionState::Ready, from); }, kStepMs))
    die(std::string("not ready ") + when + " (state " +
        std::string(api::stateName(r.log.state(id))) + ")");
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication qapp(argc, argv);
  const QStringList args = QCoreApplication::arguments();
  const qsizetype simAt = args.indexOf(QStringLiteral("--sim"));
  if (simAt < 0 || simAt + 1 >= args.size()) die("usage: engine_sim_test --sim PATH");
  const QString simProgram = args[simAt + 1];
  verbose = args.contains(QStringLiteral("--verbose"));

  QTemporaryDir tmp;
  if (!tmp.isValid()) die("no temporary folder");
  const QString simDir = tmp.filePath(QStringLiteral("sim"));
  SimProcess sim;
  if (auto e = sim.start(simProgram, simDir)) die(*e);
  auto server = app::loadServerConfig(sim.serverJson());
  if (!server) die("server.json: " + core::describe(server.error()));

  core::Logger logger(core::stderrSink(), verbose ? core::LogLevel::Info : core::LogLevel::Warn);
  app::EngineOptions options;
  options.dataDir = tmp.filePath(QStringLiteral("app"));
  options.server = *server;
  options.timing.reconnectBase = core::Millis{200};
  options.timing.slowRetry = core::Millis{2000};
  options.watchNetwork = false;
  options.logger = &logger;
  SharedSecrets secrets;

  // 1. Link by QR.
  step("link");
  if (sim.control("POST", QStringLiteral("/accounts"),
                  QByteArray(R"({"phone":")") + kPhone + R"("})").first != 201)
    die("POST /accounts");
  auto running = openEngine(options, secrets);
  std::optional<core::Result<api::AccountId>> added;
  running->engine->registry().add("A", [&](core::Result<api::AccountId> r) { added = std::move(r); });
  if (!waitUntil([&] { return added.has_value(); }, kStepMs) || !*added) die("add A");
  const api::AccountId id = added->value();
  core::account::Account* account = running->engine->registry().find(id);
  if (account == nullptr) die("A not found");
  if (auto s = account->linkWithQr(); !s) die("linkWithQr: " + core::describe(s.error()));
  if (!waitUntil([&] { return !running->log.qrCode(id).empty(); }, kStepMs)) die("no QR code");
  const QJsonObject qr{{QStringLiteral("qr"), QString::fromStdString(running->log.qrCode(id))}};
  const auto [scanStatus, scanned] =
      sim.control("POST", QStringLiteral("/accounts/%1/scan").arg(QLatin1String(kPhone)),
                  QJsonDocument(qr).toJson(QJsonDocument::Compact));
  if (scanStatus != 202) die("scan answered " + std::to_string(scanStatus));
  const QString deviceJid = scanned.value(QStringLiteral("device")).toString();  // phone:n@…
  const QString deviceNumber = deviceJid.section(QLatin1Char(':'), 1).section(QLatin1Char('@'), 0, 0);
  if (!waitUntil([&] { return running->log.find<api::AccountLinked>(id) != nullptr; }, kStepMs))
    die("no AccountLinked");
  expectReady(*running, id, 0, "after linking");

  // 2. A fresh engine on the same folder and secrets: Ready without linking.
  step("engine restart");
  running->engine->shutdown();
  running.reset();
  running = openEngine(options, secrets);
  expectReady(*running, id, 0, "after the engine restart");
  if (!running->log.qrCode(id).empty()) die("the restarted engine showed a QR code");

  // 3. The server goes away and comes back on the same port: reconnecting, then Ready again.
  step("simulator restart");
  std::size_t mark = running->log.size();
  sim.stop();
  if (!waitUntil([&] {
        return running->log.reached(id, ConnectionState::Reconnecting, mark) ||
               running->log.reached(id, ConnectionState::Disconnected, mark);
      }, kStepMs))
    die("the server's loss was not noticed");
  if (auto e = sim.restart()) die("restart: " + *e);
  expectReady(*running, id, mark, "after the simulator restart");

  // 4. The phone unlinks this device: LoggedOut, and no reconnect attempt.
  step("unlink");
  mark = running->log.size();
  const auto [unlinkStatus, unlinked] = sim.control(
      "DELETE", QStringLiteral("/devices/%1/%2").arg(QLatin1String(kPhone), deviceNumber));
  if (unlinkStatus != 200) die("DELETE /devices answered " + std::to_string(unlinkStatus));
  if (!waitUntil([&] { return running->log.reached(id, ConnectionState::LoggedOut, mark); },
                 kStepMs))
    die("not logged out (state " + std::string(api::stateName(running->log.state(id))) + ")");
  if (running->log.find<api::AccountLoggedOut>(id, mark) == nullptr) die("no AccountLoggedOut");
  mark = running->log.size();
  QElapsedTimer quiet;
  quiet.start();
  (void)waitUntil([&] { return quiet.elapsed() >= 2000; }, 3000);
  for (ConnectionState s : {ConnectionState::Connecting, ConnectionState::Reconnecting,
                            ConnectionState::Ready}) {
    if (running->log.reached(id, s, mark))
      die("a logged-out account went " + std::string(api::stateName(s)));
  }
  if (running->log.state(id) != ConnectionState::LoggedOut) die("left LoggedOut");

  running->engine->shutdown();
  running.reset();
  sim.stop();
  std::printf("engine_sim_test: ok\n");
  return 0;
}
