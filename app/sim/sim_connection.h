// SimConnection: the server side of one client WebSocket (protocol notes §1, §2, §15.1).
//
//   bytes → FrameDecoder(server role: ED prefix + intro, dict version)
//         → NoiseResponder (ServerHello with the simulator's cert chain, then ClientFinish)
//         → ClientPayload: registration → <pair-device> refs; login → <success> or 401
//         → transport: TransportCipher + binary::decodeFrame with this connection's dictionary
//
// Owns its socket; deletes itself (deleteLater) once the socket has disconnected.
#pragma once

#include <QObject>
#include <QTimer>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

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

class SimKeys;
class SimRegistry;

// What every connection shares; owned by SimServer, which outlives its connections.
struct SimContext {
  const core::Logger& log;
  core::Random& random;
  const core::Clock& clock;
  const SimKeys& keys;
  SimRegistry& registry;
};

class SimConnection final : public QObject {
  Q_OBJECT

 public:
  // Takes ownership of `socket` (re-parented to this connection).
  SimConnection(QWebSocket* socket, SimContext& context, std::uint64_t id, QObject* parent);
  ~SimConnection() override;

 private:
  // Settling: the handshake is done but the first stanza waits kFirstStanzaDelay (see .cpp);
  // frames that arrive meanwhile are queued. Closing: a <failure> was sent; input is ignored
  // while the client closes (or the grace period ends).
  enum class Stage { AwaitHello, AwaitFinish, Settling, Transport, Closing, Closed };

  void onBinary(const QByteArray& data);
  [[nodiscard]] core::Status onFrame(const core::Bytes& frame);
  [[nodiscard]] core::Status onClientHello(const core::Bytes& frame);
  [[nodiscard]] core::Status onClientFinish(const core::Bytes& frame);
  [[nodiscard]] core::Status onTransportFrame(const core::Bytes& frame);
  void onSettled();

  [[nodiscard]] core::Status handleRegistration(const proto::ClientPayload& payload);
  [[nodiscard]] core::Status handleLogin(const proto::ClientPayload& payload);
  [[nodiscard]] core::Status handleNode(const core::binary::Node& node);
  [[nodiscard]] core::Status handleIq(const core::binary::Node& iq);

  [[nodiscard]] core::Status sendNode(const core::binary::Node& node);
  [[nodiscard]] std::string nextIqId();
  // Refuses the connection: <failure reason=N/>, then close once the client had time to read it.
  [[nodiscard]] core::Status refuse(int reason, const char* why);
  void closeWith(const char* why);
  void logLine(core::LogLevel level, const std::string& message) const;

  QWebSocket* socket_;
  SimContext& ctx_;
  std::uint64_t id_;
  QTimer idleTimer_;
  Stage stage_ = Stage::AwaitHello;
  core::frame::FrameDecoder decoder_;
  std::optional<core::frame::FrameEncoder> encoder_;
  std::optional<core::noise::NoiseResponder> responder_;
  std::optional<core::noise::TransportCipher> cipher_;
  core::binary::DictVersion dict_ = core::binary::DictVersion::V2;
  core::Bytes clientStaticKey_;
  core::Bytes clientPayload_;                   // serialized ClientPayload, kept while Settling
  std::vector<core::Bytes> earlyFrames_;        // transport frames received while Settling
  std::optional<std::uint64_t> pendingHandle_;  // registration waiting for a phone
  std::string who_;                             // masked "phone:device" after login
  std::string iqPrefix_;
  std::uint64_t iqCounter_ = 0;
  std::unordered_set<std::string> outstandingIqs_;  // server-sent iqs awaiting the client's answer
};

}  // namespace chorus::sim
