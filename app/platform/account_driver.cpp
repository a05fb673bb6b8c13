#include "app/platform/account_driver.h"

#include <QSslError>
#include <QUrl>
#include <QWebSocket>
#include <algorithm>
#include <chrono>

#include "core/account/account.h"

namespace chorus::app {
namespace {

constexpr char kCategory[] = "transport";
// QTimer takes an int of milliseconds; later deadlines are reached in steps of this.
constexpr core::Millis kMaxTimerStep{24 * 3600 * 1000};
// How long a closed connection may wait for the server's close frame before it is dropped.
constexpr std::chrono::milliseconds kCloseGrace{2000};

core::BytesView view(const QByteArray& data) {
  return {reinterpret_cast<const std::uint8_t*>(data.constData()),
          static_cast<std::size_t>(data.size())};
}

}  // namespace

AccountDriver::AccountDriver(core::account::Account& account, const core::Clock& clock,
                             QSslConfiguration ssl, core::Logger* logger, QObject* parent)
    : QObject(parent), account_(account), clock_(clock), ssl_(std::move(ssl)), logger_(logger) {
  timer_.setSingleShot(true);
  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, &AccountDriver::onTimeout);
}

AccountDriver::~AccountDriver() {
  timer_.stop();
  if (socket_ != nullptr) {
    socket_->disconnect(this);
    socket_->abort();
    delete socket_;  // no signal of ours is on the stack: every report is queued
    socket_ = nullptr;
  }
}

void AccountDriver::open(const std::string& url) {
  if (socket_ != nullptr) dropSocket(true);  // the contract says none is live; be safe anyway
  const std::uint64_t generation = ++generation_;
  opened_ = false;
  socket_ = new QWebSocket(QString::fromLatin1(kWhatsAppOrigin),
                           QWebSocketProtocol::VersionLatest, this);
  socket_->setMaxAllowedIncomingFrameSize(kMaxIncomingMessageSize);
  socket_->setMaxAllowedIncomingMessageSize(kMaxIncomingMessageSize);
  const QUrl target(QString::fromStdString(url));
  if (target.scheme() == QLatin1String("wss")) socket_->setSslConfiguration(ssl_);

  // Everything that reaches the Account is queued: sockets may signal from inside open(),
  // sendBinaryMessage() or close(), and the contract forbids reporting from there.
  connect(socket_, &QWebSocket::connected, this, [this, generation] { onConnected(generation); },
          Qt::QueuedConnection);
  connect(socket_, &QWebSocket::binaryMessageReceived, this,
          [this, generation](const QByteArray& message) { onMessage(generation, message); },
          Qt::QueuedConnection);
  connect(socket_, &QWebSocket::disconnected, this,
          [this, generation] { onLost(generation, "closed"); }, Qt::QueuedConnection);
  connect(socket_, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
          [this, generation] { onLost(generation, "socket error"); }, Qt::QueuedConnection);
  connect(socket_, &QWebSocket::textMessageReceived, this,
          [this, generation] { onLost(generation, "text message (protocol violation)"); },
          Qt::QueuedConnection);
  // Logged directly (no Account call); the failure itself arrives through `error`.
  connect(socket_, &QWebSocket::sslErrors, this, [this](const QList<QSslError>& errors) {
    for (const QSslError& e : errors) log(core::LogLevel::Warn, "TLS: " + e.errorString().toStdString());
  });

  log(core::LogLevel::Debug, "connecting to " + target.host().toStdString() + ":" +
                                 std::to_string(target.port()));
  socket_->open(target);
}

void AccountDriver::send(core::Bytes bytes) {
  if (socket_ == nullptr || !opened_) {
    log(core::LogLevel::Warn, "send without an open connection: " + core::maskBytes(bytes.size()));
    return;
  }
  const qint64 written = socket_->sendBinaryMessage(
      QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())));
  if (written != static_cast<qint64>(bytes.size())) {
    // The socket reports its failure through `error`/`disconnected`; nothing to do here.
    log(core::LogLevel::Warn, "short write of " + core::maskBytes(bytes.size()));
  }
}

void AccountDriver::close() {
  if (socket_ == nullptr) return;
  dropSocket(true);
}

void AccountDriver::wakeAt(std::optional<core::TimePoint> at) {
  wakeAt_ = at;
  if (!at) {
    timer_.stop();
    return;
  }
  armTimer();
}

void AccountDriver::armTimer() {
  const core::Millis left = std::clamp(*wakeAt_ - clock_.now(), core::Millis{0}, kMaxTimerStep);
  timer_.start(static_cast<int>(left.count()));
}

void AccountDriver::onTimeout() {
  if (!wakeAt_) return;
  if (clock_.now() < *wakeAt_) {  // a long deadline taken in steps, or the clock was set back
    armTimer();
    return;
  }
  wakeAt_.reset();
  account_.onTimer();
}

void AccountDriver::onConnected(std::uint64_t generation) {
  if (generation != generation_ || socket_ == nullptr || opened_) return;
  opened_ = true;
  log(core::LogLevel::Debug, "connected");
  account_.onTransportOpen();
}

void AccountDriver::onMessage(std::uint64_t generation, const QByteArray& message) {
  if (generation != generation_ || socket_ == nullptr) return;
  account_.onBytes(view(message));
}

void AccountDriver::onLost(std::uint64_t generation, const char* why) {
  if (generation != generation_ || socket_ == nullptr) return;
  std::string detail = why;
  if (socket_->error() != QAbstractSocket::UnknownSocketError)
    detail += " (" + socket_->errorString().toStdString() + ")";
  log(core::LogLevel::Info, std::string(opened_ ? "connection lost: " : "connect failed: ") + detail);
  dropSocket(false);  // bumps the generation: this connection reports nothing more
  account_.onTransportClosed();
}

void AccountDriver::dropSocket(bool sendClose) {
  ++generation_;
  opened_ = false;
  QWebSocket* socket = socket_;
  socket_ = nullptr;
  socket->disconnect(this);
  if (sendClose && socket->state() == QAbstractSocket::ConnectedState) {
    // A polite close frame; the socket goes once the server answers or after a short grace.
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(kCloseGrace, socket, &QObject::deleteLater);
    socket->close(QWebSocketProtocol::CloseCodeNormal);
  } else {
    socket->abort();
    socket->deleteLater();
  }
}

void AccountDriver::log(core::LogLevel level, const std::string& message) const {
  if (logger_ != nullptr && logger_->enabled(level)) logger_->log(level, kCategory, message);
}

}  // namespace chorus::app
