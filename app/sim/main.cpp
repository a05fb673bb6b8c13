// chorus-sim: the local WhatsApp-protocol server for tests, demos and the sandbox.
//
//   chorus-sim --data DIR [--port N] [--control-port N] [--media-port N]
//              [--log-level debug|info|warn|error] [--sandbox]
//
// --sandbox adds a ready-made world for trying a client without a phone (app/sim/sim_sandbox.h,
// docs/sim.md): a sandbox account, simulated contacts that answer, automatic linking.
//
// When ready it prints one JSON line on stdout and writes the same line to DIR/server.json:
//   {"ca":"<absolute path of DIR/tls/ca.pem>","control":"http://127.0.0.1:C",
//    "media":"https://127.0.0.1:M","root_key":"<hex of the certificate root public key>",
//    "ws":"ws://127.0.0.1:P/ws/chat"}
// (one line, keys sorted as QJsonObject keeps them; the control API and the media host are
// described in docs/sim.md).
// Logs (masked) go to stderr only.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <cstdio>
#include <string>

#include "app/sim/media_host.h"
#include "app/sim/sim_sandbox.h"
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

QByteArray readyLine(chorus::sim::SimServer& server, const chorus::sim::MediaHost& media) {
  const QJsonObject line{
      {QStringLiteral("ws"), server.wsUrl()},
      {QStringLiteral("control"), server.controlUrl()},
      {QStringLiteral("media"), QStringLiteral("https://") + media.hostname()},
      {QStringLiteral("root_key"), QString::fromStdString(chorus::core::toHex(server.rootPublicKey()))},
      {QStringLiteral("ca"), QFileInfo(media.caPemPath()).absoluteFilePath()}};
  return QJsonDocument(line).toJson(QJsonDocument::Compact);
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
  const QCommandLineOption mediaOption(
      QStringLiteral("media-port"),
      QStringLiteral("HTTPS media host port on 127.0.0.1 (0 = any free port)."),
      QStringLiteral("N"), QStringLiteral("0"));
  parser.addOption(portOption);
  parser.addOption(controlOption);
  parser.addOption(mediaOption);
  parser.addOption(logOption);
  const QCommandLineOption sandboxOption(
      QStringLiteral("sandbox"),
      QStringLiteral("Sandbox account, answering simulated contacts, automatic linking."));
  parser.addOption(sandboxOption);
  parser.process(app);

  if (!parser.isSet(dataOption)) return usageError("--data DIR is required");
  bool portOk = false;
  const uint port = parser.value(portOption).toUInt(&portOk);
  if (!portOk || port > 65535) return usageError("--port must be a number from 0 to 65535");
  const uint controlPort = parser.value(controlOption).toUInt(&portOk);
  if (!portOk || controlPort > 65535) {
    return usageError("--control-port must be a number from 0 to 65535");
  }
  const uint mediaPort = parser.value(mediaOption).toUInt(&portOk);
  if (!portOk || mediaPort > 65535) return usageError("--media-port must be a number from 0 to 65535");
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

  chorus::sim::MediaHost media(dataDir, log, &app);
  if (auto started = media.start(static_cast<quint16>(mediaPort)); !started) {
    log.error("sim", "media host: " + chorus::core::describe(started.error()));
    return kExitFailure;
  }
  (*server)->hub().setMediaEndpoint(
      {media.hostname().toStdString(), media.authToken().toStdString(),
       (dataDir + QStringLiteral("/media")).toStdString()});

  if (parser.isSet(sandboxOption)) {
    auto* sandbox = new chorus::sim::SimSandbox((*server)->hub(), &app);
    if (auto started = sandbox->start(); !started) {
      log.error("sim", "sandbox: " + chorus::core::describe(started.error()));
      return kExitFailure;
    }
  }

  const QByteArray line = readyLine(**server, media);
  QSaveFile file(dataDir + QStringLiteral("/server.json"));
  if (!file.open(QIODevice::WriteOnly) || file.write(line) < 0 || file.write("\n", 1) < 0 ||
      !file.commit()) {
    log.error("sim", "cannot write server.json");
    return kExitFailure;
  }
  std::printf("%s\n", line.constData());
  std::fflush(stdout);
  log.info("sim", "listening on " + (*server)->wsUrl().toStdString() + ", control API on " +
                      (*server)->controlUrl().toStdString() + ", media on https://" +
                      media.hostname().toStdString());
  return QCoreApplication::exec();
}
