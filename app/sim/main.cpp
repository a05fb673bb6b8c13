// chorus-sim: the local WhatsApp-protocol server for tests, demos and the sandbox.
//
//   chorus-sim --data DIR [--port N] [--control-port N] [--log-level debug|info|warn|error]
//
// When ready it prints one JSON line on stdout and writes the same line to DIR/server.json:
//   {"ws":"ws://127.0.0.1:P/ws/chat","root_key":"<hex of the certificate root public key>",
//    "control":"http://127.0.0.1:C"}
// (one line; the control API is described in docs/sim.md).
// Logs (masked) go to stderr only.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QSaveFile>
#include <cstdio>
#include <string>

#include "app/sim/sim_server.h"
#include "core/api/version.h"
#include "core/util/logger.h"

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;

int usageError(const char* message) {
  std::fprintf(stderr, "chorus-sim: %s\n", message);
  return kExitUsage;
}

// Keys in a fixed order (ws first); the values need no JSON escaping (a URL and hex digits).
std::string readyLine(const chorus::sim::SimServer& server) {
  return "{\"ws\":\"" + server.wsUrl().toStdString() + "\",\"root_key\":\"" +
         chorus::core::toHex(server.rootPublicKey()) + "\",\"control\":\"" +
         server.controlUrl().toStdString() + "\"}";
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCoreApplication::setApplicationName(QStringLiteral("chorus-sim"));
  QCoreApplication::setApplicationVersion(QString::fromUtf8(
      chorus::api::kAppVersion.data(), static_cast<qsizetype>(chorus::api::kAppVersion.size())));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Local WhatsApp-protocol simulator (loopback only)."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption dataOption(QStringLiteral("data"), QStringLiteral("State folder."),
                                      QStringLiteral("DIR"));
  const QCommandLineOption portOption(QStringLiteral("port"),
                                      QStringLiteral("WebSocket port (0 = any free port)."),
                                      QStringLiteral("N"), QStringLiteral("0"));
  const QCommandLineOption logOption(QStringLiteral("log-level"),
                                     QStringLiteral("trace, debug, info, warn, error or off."),
                                     QStringLiteral("LEVEL"), QStringLiteral("info"));
  parser.addOption(dataOption);
  const QCommandLineOption controlOption(
      QStringLiteral("control-port"),
      QStringLiteral("Control API port on 127.0.0.1 (0 = any free port)."), QStringLiteral("N"),
      QStringLiteral("0"));
  parser.addOption(portOption);
  parser.addOption(controlOption);
  parser.addOption(logOption);
  parser.process(app);

  if (!parser.isSet(dataOption)) return usageError("--data DIR is required");
  bool portOk = false;
  const uint port = parser.value(portOption).toUInt(&portOk);
  if (!portOk || port > 65535) return usageError("--port must be a number from 0 to 65535");
  const uint controlPort = parser.value(controlOption).toUInt(&portOk);
  if (!portOk || controlPort > 65535) {
    return usageError("--control-port must be a number from 0 to 65535");
  }
  chorus::core::LogLevel level = chorus::core::LogLevel::Info;
  if (!chorus::core::parseLogLevel(parser.value(logOption).toStdString(), level)) {
    return usageError("unknown --log-level");
  }
  const QString dataDir = QDir(parser.value(dataOption)).absolutePath();
  if (!QDir().mkpath(dataDir)) {
    std::fprintf(stderr, "chorus-sim: cannot create data folder %s\n", qPrintable(dataDir));
    return kExitFailure;
  }

  const chorus::core::Logger log(chorus::core::stderrSink(), level);
  auto server = chorus::sim::SimServer::create(dataDir, log);
  if (!server) {
    log.error("sim", "cannot start: " + chorus::core::describe(server.error()));
    return kExitFailure;
  }
  if (auto listening = (*server)->listen(static_cast<quint16>(port),
                                                  static_cast<quint16>(controlPort)); !listening) {
    log.error("sim", chorus::core::describe(listening.error()));
    return kExitFailure;
  }

  const std::string line = readyLine(**server);
  QSaveFile file(dataDir + QStringLiteral("/server.json"));
  if (!file.open(QIODevice::WriteOnly) ||
      file.write(line.data(), static_cast<qint64>(line.size())) < 0 || file.write("\n", 1) < 0 ||
      !file.commit()) {
    log.error("sim", "cannot write server.json");
    return kExitFailure;
  }
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  log.info("sim", "listening on " + (*server)->wsUrl().toStdString() + ", control API on " +
                      (*server)->controlUrl().toStdString());
  return QCoreApplication::exec();
}
