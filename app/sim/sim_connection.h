// SimConnection: the server side of one client WebSocket (protocol notes §1, §2, §15.1).
//
//   bytes → FrameDecoder(server role: ED prefix + intro, dict version)
//         → NoiseResponder (ServerHello with the simulator's cert chain, then ClientFinish)
//         → ClientPayload: registration → <pair-device> refs; login → <success> or 401
//         → transport: TransportCipher + binary::decodeFrame with this connection's dictionary
//         → every stanza goes to SimHub, which routes it by concern (iq namespaces, pairing,
//           relay) and knows the live connections by device.
//
// Owns its socket; deletes itself (deleteLater) once the socket has disconnected.
#pragma once

#include <QObject>
#include <QTimer>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/sim/sim_faults.h"
#include "core/protocol/binary/codec.h"
#include "core/protocol/frame/frame_decoder.h"
#include "core/protocol/frame/frame_encoder.h"
#include "core/protocol/noise/noise_responder.h"
#include "core/protocol/noise/transport_cipher.h"
#include "core/util/clock.h"
#include "core/util/logger.h"
#include "core/util/random.h"

class QWebSocket;

namespace chorus::proto {
class ClientPayload;
}

namespace chorus::sim {

class SimHub;
class SimKeys;
class SimRegistry;

// What every connection shares; owned by SimServer, which outlives its connections.
struct SimContext {
  const core::Logger& log;
  core::Random& random;
  const core::Clock& clock;
  const SimKeys& keys;
  SimRegistry& registry;
  SimHub& hub;
};

// What a registration ClientPayload told us, kept while a phone may link the companion.
struct PendingCompanion {
  core::Bytes noiseKey;
  core::Bytes identityKey;
  std::uint32_t registrationId = 0;
  std::uint32_t signedPreKeyId = 0;
  core::Bytes signedPreKey;
  core::Bytes signedPreKeySignature;
  std::vector<std::string> refs;  // the QR refs sent in <pair-device>
};

class SimConnection final : public QObject {
  Q_OBJECT

 public:
  enum class Kind { Handshake, Registration, Device };

  // Takes ownership of `socket` (re-parented to this connection).
  SimConnection(QWebSocket* socket, SimContext& context, std::uint64_t id, QObject* parent);
  ~SimConnection() override;

  [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] bool isOpen() const noexcept { return stage_ == Stage::Transport; }
  // Device connections: the logged-in device.
  [[nodiscard]] const std::string& phone() const noexcept { return phone_; }
  [[nodiscard]] std::uint32_t device() const noexcept { return device_; }
  [[nodiscard]] core::jid::Jid deviceJid() const;
  // Registration connections: what the companion registered.
  [[nodiscard]] const PendingCompanion& companion() const noexcept { return companion_; }
  [[nodiscard]] core::binary::DictVersion dict() const noexcept { return dict_; }

  // Sends one stanza (transport phase only).
  [[nodiscard]] core::Status send(const core::binary::Node& node);
  [[nodiscard]] std::string nextIqId();
  // Sends a final stanza (<failure>, <stream:error>) and closes once the client had time to read
  // it: clients close by themselves; closing first would race their reading of it.
  void endWith(const core::binary::Node& last, const std::string& why);
  // Closes at once (malformed input, timeouts): a log line only.
  void closeWith(const std::string& why);
  // Drops the TCP connection without a WebSocket close frame (a network failure).
  void abort(const std::string& why);
  // Stops reading and writing for `duration` (a hung peer): input and output wait, then flow.
  void stall(std::chrono::milliseconds duration);
  [[nodiscard]] bool isStalled() const noexcept { return inputHeld_; }
  // Delay, duplication and reordering of this connection's outgoing stanzas.
  [[nodiscard]] SimFaults& faults() noexcept { return *faults_; }
  [[nodiscard]] const SimFaults& faults() const noexcept { return *faults_; }
  // Registration connections: whether QR ref `ref` is still valid (§6.2: the first lives
  // qrFirst, each later one qrNext); stopRefExpiry() once a phone has scanned one.
  [[nodiscard]] bool refIsLive(std::string_view ref) const;
  void stopRefExpiry();
  void logLine(core::LogLevel level, const std::string& message) const;

 private:
  // Settling: the handshake is done but the first stanza waits kFirstStanzaDelay (see .cpp);
  // frames that arrive meanwhile are queued. Closing: a final stanza was sent; input is ignored
  // while the client closes (or the grace period ends).
  enum class Stage { AwaitHello, AwaitFinish, Settling, Transport, Closing, Closed };

  void onBinary(const QByteArray& data);
  void writeFrame(const core::Bytes& plain);
  void startRefExpiry();
  void onRefsExhausted();
  void onDisconnected();
  [[nodiscard]] core::Status onFrame(const core::Bytes& frame);
  [[nodiscard]] core::Status onClientHello(const core::Bytes& frame);
  [[nodiscard]] core::Status onClientFinish(const core::Bytes& frame);
  [[nodiscard]] core::Status onTransportFrame(const core::Bytes& frame);
  void onSettled();

  [[nodiscard]] core::Status handleRegistration(const proto::ClientPayload& payload);
  [[nodiscard]] core::Status handleLogin(const proto::ClientPayload& payload);
  // Refuses the connection: <failure reason=N/>, then close.
  [[nodiscard]] core::Status refuse(int reason, const char* why);

  QWebSocket* socket_;
  SimContext& ctx_;
  std::uint64_t id_;
  QTimer idleTimer_;
  QTimer refTimer_;
  SimFaults* faults_;
  bool inputHeld_ = false;
  std::vector<QByteArray> heldInput_;
  std::chrono::steady_clock::time_point refsSentAt_;
  std::chrono::milliseconds qrFirst_{0};
  std::chrono::milliseconds qrNext_{0};
  Stage stage_ = Stage::AwaitHello;
  Kind kind_ = Kind::Handshake;
  core::frame::FrameDecoder decoder_;
  std::optional<core::frame::FrameEncoder> encoder_;
  std::optional<core::noise::NoiseResponder> responder_;
  std::optional<core::noise::TransportCipher> cipher_;
  core::binary::DictVersion dict_ = core::binary::DictVersion::V2;
  core::Bytes clientStaticKey_;
  core::Bytes clientPayload_;             // serialized ClientPayload, kept while Settling
  std::vector<core::Bytes> earlyFrames_;  // transport frames received while Settling
  PendingCompanion companion_;
  std::string phone_;
  std::uint32_t device_ = 0;
  std::string who_;  // masked "phone:device" after login
  std::string iqPrefix_;
  std::uint64_t iqCounter_ = 0;
  bool detached_ = false;  // the hub has forgotten this connection
};

}  // namespace chorus::sim
