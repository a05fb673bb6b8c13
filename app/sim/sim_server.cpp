#include "app/sim/sim_server.h"

#include <QWebSocket>
#include <QWebSocketServer>
#include <utility>

#include "app/sim/sim_control.h"

namespace chorus::sim {
namespace {

constexpr auto kChatPath = "/ws/chat";
constexpr auto kDatabaseName = "/sim.db";

}  // namespace

core::Result<std::unique_ptr<SimServer>> SimServer::create(const QString& dataDir,
                                                           const core::Logger& log) {
  core::SystemRandom random;
  CHORUS_TRY(keys, SimKeys::loadOrCreate(dataDir, random));
  CHORUS_TRY(registry, SimRegistry::open((dataDir + QLatin1String(kDatabaseName)).toStdString()));
  log.info("sim", std::to_string(registry->deviceCount()) + " registered devices loaded");
  return std::unique_ptr<SimServer>(new SimServer(std::move(keys), std::move(registry), log));
}

SimServer::SimServer(SimKeys keys, std::unique_ptr<SimRegistry> registry, const core::Logger& log)
    : keys_(std::move(keys)),
      registry_(std::move(registry)),
      hub_(log, random_, clock_, *registry_),
      context_{log, random_, clock_, keys_, *registry_, hub_},
      control_(new SimControl(hub_, this)),
      server_(new QWebSocketServer(QStringLiteral("chorus-sim"), QWebSocketServer::NonSecureMode,
                                   this)) {
  connect(server_, &QWebSocketServer::newConnection, this, &SimServer::acceptPending);
}

SimServer::~SimServer() {
  // Connections refer to the registry and keys: end them while those still exist.
  const auto connections = findChildren<SimConnection*>(Qt::FindDirectChildrenOnly);
  for (SimConnection* connection : connections) delete connection;
}

core::Status SimServer::listen(quint16 port, quint16 controlPort) {
  if (!server_->listen(QHostAddress::LocalHost, port)) {
    return core::fail(core::Errc::Io, "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                                          server_->errorString().toStdString());
  }
  return control_->listen(controlPort);
}

QString SimServer::controlUrl() const {
  return control_->url();
}

quint16 SimServer::port() const {
  return server_->serverPort();
}

QString SimServer::wsUrl() const {
  return QStringLiteral("ws://127.0.0.1:%1%2").arg(port()).arg(QLatin1String(kChatPath));
}

void SimServer::acceptPending() {
  while (QWebSocket* socket = server_->nextPendingConnection()) {
    if (socket->requestUrl().path() != QLatin1String(kChatPath)) {
      socket->setParent(this);
      connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
      context_.log.warn("sim", "refusing a WebSocket on another path than /ws/chat");
      socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("unknown path"));
      continue;
    }
    new SimConnection(socket, context_, nextConnectionId_++, this);
  }
}

}  // namespace chorus::sim
