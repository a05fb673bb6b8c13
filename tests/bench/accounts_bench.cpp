// accounts_bench: many numbers in one Chorus process against one chorus-sim (architecture §7,
// "sessions per process, memory"). Not a test with timing assertions: ctest runs a smoke pass.
//   1. link:    N numbers linked by QR through the control API (the simulated phones scan), in
//               one Engine — timed and reported, but not the result;
//   2. restart: a fresh process (this program with --child) opens a fresh Engine on the same
//               folder and measures open() → all N Ready, VmRSS before open() and once all are
//               Ready, then user+sys CPU (getrusage) over --idle-seconds of idling, divided by
//               the wall time;
//   3. baseline: the same child on an empty folder (an Engine with 0 accounts), so the RSS per
//               additional number is ((ready - before) - (empty engine's ready - before)) / N.
// The data keys live in memory (like MemorySecretStore; handed to the child on stdin): the OS
// keychain is not what is measured. Default timings (keepalive 20-30 s), no network watch.
//
//   accounts_bench --sim PATH/chorus-sim [--numbers 100] [--idle-seconds 30]
// Targets: all Ready < 2 s, < 1 MiB RSS per additional number.
#include <sys/resource.h>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "app/platform/engine.h"
#include "core/util/logger.h"
#include "tests/integration/engine/engine_harness.h"
#include "tests/integration/support/sim_client.h"

namespace {

namespace api = chorus::api;
namespace app = chorus::app;
namespace core = chorus::core;
using chorus::testing::EventLog;
using chorus::testing::SharedSecrets;
using chorus::testing::SharedSecretStore;
using chorus::testing::SimProcess;
using chorus::testing::waitUntil;

constexpr std::uint64_t kFirstPhone = 15559000000;
constexpr int kLinkTimeoutMs = 300'000;
constexpr int kReadyTimeoutMs = 120'000;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "accounts_bench: FAIL: %s\n", message.c_str());
  std::exit(1);
}

struct Options {
  QString sim;
  int numbers = 100;
  int idleSeconds = 30;
  // --child: measure one engine start on --data with --server (secrets on stdin).
  bool child = false;
  QString data;
  QString server;
};

Options parse(const QStringList& args) {
  Options o;
  for (qsizetype i = 1; i < args.size(); ++i) {
    const QString& flag = args[i];
    if (flag == QStringLiteral("--child")) {
      o.child = true;
      continue;
    }
    if (i + 1 >= args.size()) die("missing value for " + flag.toStdString());
    const QString& value = args[++i];
    bool ok = true;
    if (flag == QStringLiteral("--sim")) o.sim = value;
    else if (flag == QStringLiteral("--numbers")) o.numbers = value.toInt(&ok);
    else if (flag == QStringLiteral("--idle-seconds")) o.idleSeconds = value.toInt(&ok);
    else if (flag == QStringLiteral("--data")) o.data = value;
    else if (flag == QStringLiteral("--server")) o.server = value;
    else die("unknown option " + flag.toStdString());
    if (!ok) die("bad number for " + flag.toStdString());
  }
  if (o.child ? (o.data.isEmpty() || o.server.isEmpty() || o.numbers < 0)
              : (o.sim.isEmpty() || o.numbers < 1) || o.idleSeconds < 0)
    die("usage: accounts_bench --sim PATH [--numbers N>=1] [--idle-seconds S]");
  return o;
}

app::EngineOptions engineOptions(const QString& data, const QString& serverJson,
                                 core::Logger& logger) {
  auto server = app::loadServerConfig(serverJson);
  if (!server) die("server.json: " + core::describe(server.error()));
  app::EngineOptions options;
  options.dataDir = data;
  options.server = *server;
  options.watchNetwork = false;
  options.logger = &logger;
  return options;
}

void openEngine(app::Engine& engine, SharedSecrets& secrets) {
  std::optional<core::Status> opened;
  engine.open(std::make_unique<SharedSecretStore>(secrets),
              [&opened](core::Status s) { opened = std::move(s); });
  if (!waitUntil([&] { return opened.has_value(); }, kReadyTimeoutMs)) die("open did not finish");
  if (!*opened) die("open: " + core::describe(opened->error()));
}

double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
}

// --child: one engine start, measured; prints one JSON line.
int runChild(const Options& o) {
  QFile in;
  if (!in.open(stdin, QIODevice::ReadOnly)) die("stdin");
  SharedSecrets secrets;
  if (!chorus::testing::loadSecrets(in.readAll(), secrets)) die("bad secrets on stdin");
  core::Logger logger(core::stderrSink(), core::LogLevel::Warn);

  const long rssBefore = chorus::testing::selfRssKiB();
  app::Engine engine(engineOptions(o.data, o.server, logger));
  std::map<api::AccountId, api::ConnectionState> states;
  std::size_t ready = 0;
  QObject::connect(&engine, &app::Engine::event, &engine, [&](const api::AccountEvent& e) {
    const auto* status = std::get_if<api::AccountStatusEvent>(&e);
    if (status == nullptr) return;
    auto& state = states[status->id];
    const bool was = state == api::ConnectionState::Ready;
    state = status->change.status.state;
    const bool is = state == api::ConnectionState::Ready;
    if (was != is) ready = is ? ready + 1 : ready - 1;
  });
  QElapsedTimer timer;
  timer.start();
  openEngine(engine, secrets);
  const qint64 loadMs = timer.elapsed();
  if (engine.registry().size() != static_cast<std::size_t>(o.numbers))
    die("the child found " + std::to_string(engine.registry().size()) + " accounts");
  if (!waitUntil([&] { return ready == static_cast<std::size_t>(o.numbers); }, kReadyTimeoutMs))
    die("only " + std::to_string(ready) + " of " + std::to_string(o.numbers) + " ready");
  const qint64 readyMs = timer.elapsed();
  const long rssReady = chorus::testing::selfRssKiB();

  const double cpuStart = cpuSeconds();
  QElapsedTimer wall;
  wall.start();
  if (o.idleSeconds > 0) {
    QEventLoop idle;
    QTimer::singleShot(o.idleSeconds * 1000, Qt::PreciseTimer, &idle, &QEventLoop::quit);
    idle.exec();
  }
  const double wallSeconds = static_cast<double>(wall.elapsed()) / 1000.0;
  const double cpu = cpuSeconds() - cpuStart;
  const long rssIdle = chorus::testing::selfRssKiB();
  const std::size_t stillReady = ready;
  engine.shutdown();

  const QJsonObject result{
      {QStringLiteral("numbers"), o.numbers},
      {QStringLiteral("load_ms"), loadMs},
      {QStringLiteral("ready_ms"), readyMs},
      {QStringLiteral("rss_before_kib"), static_cast<qint64>(rssBefore)},
      {QStringLiteral("rss_ready_kib"), static_cast<qint64>(rssReady)},
      {QStringLiteral("rss_idle_end_kib"), static_cast<qint64>(rssIdle)},
      {QStringLiteral("idle_seconds"), wallSeconds},
      {QStringLiteral("idle_cpu_seconds"), cpu},
      {QStringLiteral("idle_cpu_percent"), wallSeconds > 0 ? 100.0 * cpu / wallSeconds : 0.0},
      {QStringLiteral("ready_after_idle"), static_cast<qint64>(stillReady)}};
  std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
  return 0;
}

QJsonObject measureInChild(const QString& data, const QString& serverJson,
                           int numbers, int idleSeconds, const SharedSecrets& secrets) {
  QProcess child;
  child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  child.start(QCoreApplication::applicationFilePath(),
              {QStringLiteral("--child"), QStringLiteral("--data"), data, QStringLiteral("--server"),
               serverJson, QStringLiteral("--numbers"), QString::number(numbers),
               QStringLiteral("--idle-seconds"), QString::number(idleSeconds)});
  if (!child.waitForStarted(10'000)) die("the child did not start");
  child.write(chorus::testing::dumpSecrets(secrets));
  child.closeWriteChannel();
  const int limitMs = kReadyTimeoutMs * 2 + idleSeconds * 1000 + 30'000;
  if (!waitUntil([&] { return child.state() == QProcess::NotRunning; }, limitMs)) {
    child.kill();
    die("the child did not finish");
  }
  if (child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0)
    die("the child failed (exit " + std::to_string(child.exitCode()) + ")");
  const QList<QByteArray> lines = child.readAllStandardOutput().trimmed().split('\n');
  const QJsonObject result = QJsonDocument::fromJson(lines.value(lines.size() - 1)).object();
  if (result.isEmpty()) die("the child printed no result");
  return result;
}

// Phase 1: N numbers linked by QR in one engine. Returns the wall time in ms.
qint64 linkAll(const Options& o, SimProcess& sim, const QString& data, SharedSecrets& secrets) {
  core::Logger logger(core::stderrSink(), core::LogLevel::Warn);
  app::Engine engine(engineOptions(data, sim.serverJson(), logger));
  EventLog log;
  QObject::connect(&engine, &app::Engine::event, &engine,
                   [&log](const api::AccountEvent& e) { log.add(e); });
  openEngine(engine, secrets);

  QElapsedTimer timer;
  timer.start();
  std::map<api::AccountId, QString> phoneOf;
  for (int i = 0; i < o.numbers; ++i) {
    const QString phone = QString::number(kFirstPhone + static_cast<std::uint64_t>(i));
    const auto [status, body] = sim.control(
        "POST", QStringLiteral("/accounts"),
        QJsonDocument(QJsonObject{{QStringLiteral("phone"), phone}}).toJson(QJsonDocument::Compact));
    if (status != 201) die("POST /accounts answered " + std::to_string(status));
    std::optional<core::Result<api::AccountId>> added;
    engine.registry().add("n" + std::to_string(i),
                          [&added](core::Result<api::AccountId> r) { added = std::move(r); });
    if (!waitUntil([&] { return added.has_value(); }) || !*added) die("add failed");
    phoneOf[added->value()] = phone;
    if (auto s = engine.registry().find(added->value())->linkWithQr(); !s)
      die("linkWithQr: " + core::describe(s.error()));
  }

  // Scan each account's newest QR code once; scan again only if the simulator refused it.
  std::map<api::AccountId, std::string> scanned;
  std::set<api::AccountId> linked;
  std::size_t seen = 0;
  const bool done = waitUntil(
      [&] {
        for (; seen < log.size(); ++seen) {
          if (const auto* l = std::get_if<api::AccountLinked>(&log.events()[seen]))
            linked.insert(l->id);
        }
        for (const auto& [id, phone] : phoneOf) {
          if (linked.count(id) != 0) continue;
          const std::string code = log.qrCode(id);
          if (code.empty() || scanned[id] == code) continue;
          scanned[id] = code;
          const QJsonObject qr{{QStringLiteral("qr"), QString::fromStdString(code)}};
          const int status = sim.control("POST", QStringLiteral("/accounts/%1/scan").arg(phone),
                                         QJsonDocument(qr).toJson(QJsonDocument::Compact))
                                 .first;
          if (status != 202 && status != 410) die("scan answered " + std::to_string(status));
        }
        if (linked.size() != phoneOf.size()) return false;
        for (const auto& [id, phone] : phoneOf)
          if (log.state(id) != api::ConnectionState::Ready) return false;
        return true;
      },
      kLinkTimeoutMs);
  if (!done) die("only " + std::to_string(linked.size()) + " of " + std::to_string(o.numbers) + " linked");
  const qint64 ms = timer.elapsed();
  engine.shutdown();
  return ms;
}

double mib(double kib) { return kib / 1024.0; }

int runBench(const Options& o) {
  QTemporaryDir tmp;
  if (!tmp.isValid()) die("no temporary folder");
  SimProcess sim;
  if (auto e = sim.start(o.sim, tmp.filePath(QStringLiteral("sim")))) die(*e);
  const QString data = tmp.filePath(QStringLiteral("app"));
  const QString empty = tmp.filePath(QStringLiteral("empty"));
  SharedSecrets secrets;

  std::fprintf(stderr, "accounts_bench: linking %d numbers by QR...\n", o.numbers);
  const qint64 linkMs = linkAll(o, sim, data, secrets);
  std::fprintf(stderr, "accounts_bench: measuring an engine with 0 accounts...\n");
  const QJsonObject base = measureInChild(empty, sim.serverJson(), 0, 0, {});
  std::fprintf(stderr, "accounts_bench: measuring a fresh engine with %d accounts (idle %d s)...\n",
               o.numbers, o.idleSeconds);
  const QJsonObject full = measureInChild(data, sim.serverJson(), o.numbers, o.idleSeconds, secrets);
  sim.stop();

  const auto kib = [](const QJsonObject& r, const char* key) {
    return r.value(QLatin1String(key)).toDouble();
  };
  const double baseCost = kib(base, "rss_ready_kib") - kib(base, "rss_before_kib");
  const double fullCost = kib(full, "rss_ready_kib") - kib(full, "rss_before_kib");
  const double perNumberKib = (fullCost - baseCost) / o.numbers;
  const double rawPerNumberKib = fullCost / o.numbers;
  const double readyMs = kib(full, "ready_ms");
  const double cpuPercent = kib(full, "idle_cpu_percent");

  std::printf("accounts_bench: %d numbers, one chorus-sim, one process; secrets in memory "
              "(MemorySecretStore-like), not the OS keychain\n", o.numbers);
  std::printf("  %-44s %12s\n", "measure", "value");
  std::printf("  %-44s %9lld ms\n", "link all by QR (phase 1, not the result)",
              static_cast<long long>(linkMs));
  std::printf("  %-44s %9.0f ms\n", "fresh engine: open() -> accounts loaded", kib(full, "load_ms"));
  std::printf("  %-44s %9.0f ms   (target < 2000)\n", "fresh engine: open() -> all Ready", readyMs);
  std::printf("  %-44s %9.1f MiB\n", "RSS before open()", mib(kib(full, "rss_before_kib")));
  std::printf("  %-44s %9.1f MiB\n", "RSS all Ready", mib(kib(full, "rss_ready_kib")));
  std::printf("  %-44s %9.1f MiB\n", "RSS growth of an engine with 0 accounts", mib(baseCost));
  std::printf("  %-44s %9.1f KiB   (target < 1024)\n", "RSS per additional number", perNumberKib);
  std::printf("  %-44s %9.1f KiB\n", "RSS per number, raw (growth / N)", rawPerNumberKib);
  std::printf("  %-44s %9.1f MiB\n", "RSS after idling", mib(kib(full, "rss_idle_end_kib")));
  std::printf("  %-44s %9.2f %%    (%.2f s CPU in %.1f s)\n", "CPU while idle (user+sys / wall)",
              cpuPercent, kib(full, "idle_cpu_seconds"), kib(full, "idle_seconds"));
  std::printf("  %-44s %9.0f\n", "still Ready after idling", kib(full, "ready_after_idle"));

  const QJsonObject json{{QStringLiteral("bench"), QStringLiteral("accounts")},
                         {QStringLiteral("numbers"), o.numbers},
                         {QStringLiteral("secret_store"), QStringLiteral("memory")},
                         {QStringLiteral("link_ms"), linkMs},
                         {QStringLiteral("load_ms"), kib(full, "load_ms")},
                         {QStringLiteral("ready_ms"), readyMs},
                         {QStringLiteral("rss_before_kib"), kib(full, "rss_before_kib")},
                         {QStringLiteral("rss_ready_kib"), kib(full, "rss_ready_kib")},
                         {QStringLiteral("rss_empty_engine_kib"), baseCost},
                         {QStringLiteral("rss_per_number_kib"), perNumberKib},
                         {QStringLiteral("idle_seconds"), kib(full, "idle_seconds")},
                         {QStringLiteral("idle_cpu_percent"), cpuPercent},
                         {QStringLiteral("ready_after_idle"), kib(full, "ready_after_idle")}};
  std::printf("%s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());
  if (kib(full, "ready_after_idle") != o.numbers) die("numbers dropped while idling");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication qapp(argc, argv);
  const Options o = parse(QCoreApplication::arguments());
  return o.child ? runChild(o) : runBench(o);
}
