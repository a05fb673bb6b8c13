// AccountDriver: carries out one Account's transport effects with Qt (architecture §2, the
// "small driver in app/platform"): one QWebSocket per connection (binary messages) and one
// single-shot precise QTimer for the next deadline.
//
// Reports (onTransportOpen, onBytes, onTransportClosed, onTimer) reach the Account only from
// the event loop, never from inside open/send/close/wakeAt: every socket signal is queued and
// tagged with the connection's generation, so whatever was still queued for a connection that
// was closed (or replaced by a new open) is dropped. A connection that fails — before or after
// it opened — is reported closed exactly once, then discarded.
//
// Lives on the engine thread (its parent is the Engine, for the thread affinity); owned by its
// Account through the AccountTransport unique_ptr, so it never outlives the Account it reports
// to. Never logs bytes: sizes and states only.
#pragma once

#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <cstdint>
#include <optional>
#include <string>

#include "core/account/account_transport.h"
#include "core/util/clock.h"
#include "core/util/logger.h"

class QWebSocket;

namespace chorus::core::account {
class Account;
}

namespace chorus::app {

// The Origin header WhatsApp Web sends (protocol §1).
inline constexpr char kWhatsAppOrigin[] = "https://web.whatsapp.com";
// The largest WebSocket message or frame accepted: one Noise frame is at most 16 MiB - 1 plus
// its 3-byte length, and the intro header precedes only our own first message. More is hostile.
inline constexpr quint64 kMaxIncomingMessageSize = (16u << 20) + 64;

class AccountDriver final : public QObject, public core::account::AccountTransport {
  Q_OBJECT

 public:
  // `account` and `clock` must outlive the driver; `logger` too when given. `ssl` is used for
  // wss:// connections (the system CAs plus the server's extra CA, see Engine).
  AccountDriver(core::account::Account& account, const core::Clock& clock,
                QSslConfiguration ssl, core::Logger* logger, QObject* parent);
  ~AccountDriver() override;

  // AccountTransport
  void open(const std::string& url) override;
  void send(core::Bytes bytes) override;
  void close() override;
  void wakeAt(std::optional<core::TimePoint> at) override;

  [[nodiscard]] bool hasConnection() const noexcept { return socket_ != nullptr; }

 private:
  void onConnected(std::uint64_t generation);
  void onMessage(std::uint64_t generation, const QByteArray& message);
  void onLost(std::uint64_t generation, const char* why);
  void onTimeout();
  void dropSocket(bool sendClose);
  void armTimer();
  void log(core::LogLevel level, const std::string& message) const;

  core::account::Account& account_;
  const core::Clock& clock_;
  QSslConfiguration ssl_;
  core::Logger* logger_;
  QWebSocket* socket_ = nullptr;
  std::uint64_t generation_ = 0;  // of socket_; reports of any other generation are dropped
  bool opened_ = false;           // socket_ reported open
  QTimer timer_{this};
  std::optional<core::TimePoint> wakeAt_;
};

}  // namespace chorus::app
