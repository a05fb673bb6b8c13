// Chorus-side clients of chorus-sim for C++ tests and the load benchmark: SimProcess, chorus-sim
// as a child process (ready line, server.json, control API calls, fixed ports and a restart at
// the same address when asked) — the one simulator runner of the C++ tests, engine and lifecycle
// harnesses included — and SimClient, one WebSocket speaking the real protocol with Chorus's
// core pieces (FrameEncoder/FrameDecoder, NoiseInitiator with the simulator's root key,
// TransportCipher, binary codec). SimClient is callback driven, so one process can hold
// thousands of them on one Qt event loop.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QString>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/crypto/x25519.h"
#include "core/protocol/binary/codec.h"
#include "core/protocol/frame/frame_decoder.h"
#include "core/protocol/frame/frame_encoder.h"
#include "core/protocol/noise/noise_initiator.h"
#include "core/protocol/noise/transport_cipher.h"
#include "core/util/random.h"

class QWebSocket;

namespace chorus::testing {

// Spins the event loop until `done` or `ms` pass; false on timeout.
[[nodiscard]] bool waitUntil(const std::function<bool()>& done, int ms = 10'000);

// A TCP port on 127.0.0.1 that was free a moment ago (0 when none could be found).
[[nodiscard]] quint16 freePort();

// chorus-sim's listening ports; 0 = any free one (the simulator picks).
struct SimPorts {
  int ws = 0;
  int control = 0;
  int media = 0;
};

struct SimOptions {
  SimPorts ports;
  QString logLevel = QStringLiteral("warn");
  bool captureLog = false;  // keep stderr for takeLog() instead of passing it through
};

// A control API answer: the HTTP status and the JSON body (object or array).
struct SimReply {
  int status = 0;
  QJsonDocument json;
  [[nodiscard]] QJsonObject object() const { return json.object(); }
  [[nodiscard]] QJsonArray array() const { return json.array(); }
};

class SimProcess {
 public:
  SimProcess();
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  // Starts chorus-sim on `dataDir` and reads its ready line; an error text on failure (also
  // when a fixed port asked for is not the one it reports). A server.json left from an earlier
  // run is removed first, so serverJson() is always this run's.
  [[nodiscard]] std::optional<std::string> start(const QString& program, const QString& dataDir,
                                                 const SimOptions& options);
  [[nodiscard]] std::optional<std::string> start(const QString& program, const QString& dataDir,
                                                 const QString& logLevel = QStringLiteral("warn"),
                                                 bool captureLog = false) {
    return start(program, dataDir, SimOptions{{}, logLevel, captureLog});
  }
  // Stops it when running and starts it again on the same data folder, options and ports (those
  // of the last ready line), so clients find it again at the same address.
  [[nodiscard]] std::optional<std::string> restart();
  [[nodiscard]] QString takeLog() { return QString::fromUtf8(process_->readAllStandardError()); }
  void stop();
  [[nodiscard]] QString ws() const { return ws_; }
  [[nodiscard]] const core::Bytes& rootKey() const { return rootKey_; }
  [[nodiscard]] QString serverJson() const { return dataDir_ + QStringLiteral("/server.json"); }
  // The ports of the last ready line.
  [[nodiscard]] const SimPorts& ports() const noexcept { return ports_; }
  [[nodiscard]] qint64 pid() const { return process_->processId(); }
  [[nodiscard]] QProcess& process() { return *process_; }
  // Synchronous control API call (spins the event loop).
  [[nodiscard]] SimReply call(const QByteArray& method, const QString& path,
                              const QByteArray& body = {});
  [[nodiscard]] SimReply call(const QByteArray& method, const QString& path,
                              const QJsonObject& body) {
    return call(method, path, QJsonDocument(body).toJson(QJsonDocument::Compact));
  }
  // The same as {status, JSON object body}.
  [[nodiscard]] std::pair<int, QJsonObject> control(const QByteArray& method, const QString& path,
                                                    const QByteArray& body = {});
  // VmRSS of the simulator in KiB (from /proc), or -1.
  [[nodiscard]] long rssKiB() const;

 private:
  std::unique_ptr<QProcess> process_;  // a fresh one per start()
  QString program_;
  QString dataDir_;
  SimOptions options_;
  SimPorts ports_;
  QString ws_;
  QString control_;
  core::Bytes rootKey_;
};

// The payload a pre-provisioned device (POST /test/devices) logs in with.
[[nodiscard]] core::Bytes loginPayload(std::uint64_t phone, std::uint32_t device);

class SimClient {
 public:
  enum class State { Connecting, Handshake, Open, Closed };
  struct Callbacks {
    std::function<void()> open;                                // transport phase reached
    std::function<void(const core::binary::Node&)> node;       // every stanza
    std::function<void(const std::string& why)> closed;        // socket gone or protocol error
  };

  SimClient(const QString& url, core::Bytes rootKey, core::crypto::KeyPair noiseKey,
            core::Bytes payload, core::Random& random, Callbacks callbacks);
  ~SimClient();
  SimClient(const SimClient&) = delete;
  SimClient& operator=(const SimClient&) = delete;

  void open();
  [[nodiscard]] State state() const noexcept { return state_; }
  // Sends one stanza (Open only); false when it could not be sent.
  bool send(const core::binary::Node& node);
  // Raw bytes on the socket, and arbitrary plaintext sealed and framed (robustness tests).
  void sendRaw(const QByteArray& bytes);
  void sendSealed(const core::Bytes& plaintext);
  void close();

 private:
  void onBinary(const QByteArray& data);
  void fail(const std::string& why);

  QObject owner_;
  QWebSocket* socket_;
  QString url_;
  core::Random& random_;
  Callbacks callbacks_;
  State state_ = State::Connecting;
  core::Bytes payload_;
  std::optional<core::frame::FrameEncoder> encoder_;
  core::frame::FrameDecoder decoder_;
  std::optional<core::noise::NoiseInitiator> initiator_;
  std::optional<core::noise::TransportCipher> cipher_;
};

}  // namespace chorus::testing
