// chorus-sim: the local WhatsApp-protocol server for tests, demos and the sandbox.
// This first version only opens its WebSocket endpoint and publishes where it listens
// (server.json); the protocol side arrives with the simulator issue, so it closes every
// connection with an explicit reason instead of pretending to be a server.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdio>

#include "core/api/version.h"

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCoreApplication::setApplicationName(QStringLiteral("chorus-sim"));
  QCoreApplication::setApplicationVersion(
      QString::fromUtf8(chorus::api::kAppVersion.data(), static_cast<qsizetype>(chorus::api::kAppVersion.size())));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Local WhatsApp-protocol simulator (loopback only)."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption dataOption(QStringLiteral("data"), QStringLiteral("State folder."),
                                      QStringLiteral("DIR"));
  const QCommandLineOption portOption(QStringLiteral("port"),
                                      QStringLiteral("WebSocket port (0 = any free port)."),
                                      QStringLiteral("N"), QStringLiteral("0"));
  parser.addOption(dataOption);
  parser.addOption(portOption);
  parser.process(app);

  if (!parser.isSet(dataOption)) {
    std::fprintf(stderr, "chorus-sim: --data DIR is required\n");
    return 2;
  }
  bool portOk = false;
  const uint port = parser.value(portOption).toUInt(&portOk);
  if (!portOk || port > 65535) {
    std::fprintf(stderr, "chorus-sim: --port must be a number from 0 to 65535\n");
    return 2;
  }
  const QString dataDir = QDir(parser.value(dataOption)).absolutePath();
  if (!QDir().mkpath(dataDir)) {
    std::fprintf(stderr, "chorus-sim: cannot create data folder %s\n", qPrintable(dataDir));
    return 1;
  }

  QWebSocketServer server(QStringLiteral("chorus-sim"), QWebSocketServer::NonSecureMode);
  if (!server.listen(QHostAddress::LocalHost, static_cast<quint16>(port))) {
    std::fprintf(stderr, "chorus-sim: cannot listen on 127.0.0.1:%u: %s\n", port,
                 qPrintable(server.errorString()));
    return 1;
  }
  QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&server] {
    while (QWebSocket* socket = server.nextPendingConnection()) {
      socket->setParent(&server);
      QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
      socket->close(QWebSocketProtocol::CloseCodeBadOperation,
                    QStringLiteral("chorus-sim: the protocol server is not implemented yet"));
    }
  });

  QJsonObject info;
  info.insert(QStringLiteral("ws"), QStringLiteral("ws://127.0.0.1:%1/ws/chat").arg(server.serverPort()));
  const QByteArray line = QJsonDocument(info).toJson(QJsonDocument::Compact);
  QFile file(dataDir + QStringLiteral("/server.json"));
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(line + '\n') < 0) {
    std::fprintf(stderr, "chorus-sim: cannot write %s\n", qPrintable(file.fileName()));
    return 1;
  }
  file.close();
  std::printf("%s\n", line.constData());
  std::fflush(stdout);
  return QCoreApplication::exec();
}
