// WireConnection: one transport's byte pipeline for the session (protocol §1, §2, §4): the
// client frame encoder/decoder, the Noise XX handshake as initiator (the ClientPayload goes in
// ClientFinish), then the transport cipher and the binary node codec. Sans-I/O: bytes in,
// bytes to send and decoded nodes out.
//
//   auto wire = WireConnection::create(config, noiseKey, ephemeral, payload).value();
//   send(wire.start().value());                    // intro header + ClientHello
//   auto in = wire.onBytes(chunk, now).value();    // ServerHello → in.sends = {ClientFinish}
//   ... in.nodes: decoded server nodes once the handshake is done
//   send(wire.encodeNode(node).value());
//
// Errors from onBytes are final for the connection (bad framing, a certificate that does not
// verify, a transport frame that does not authenticate). A frame that authenticates but does
// not decode as a node is dropped and reported in Incoming::dropped; the stream goes on.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/crypto/x25519.h"
#include "core/protocol/binary/codec.h"
#include "core/protocol/binary/node.h"
#include "core/protocol/frame/frame_decoder.h"
#include "core/protocol/frame/frame_encoder.h"
#include "core/protocol/noise/noise_initiator.h"
#include "core/protocol/noise/transport_cipher.h"
#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace chorus::core::session {

struct WireConfig {
  Bytes trustedRootKey = Bytes(noise::kWhatsAppRootKey.begin(), noise::kWhatsAppRootKey.end());
  std::uint8_t dictVersion = frame::kDefaultDictVersion;
};

class WireConnection {
 public:
  struct Incoming {
    std::vector<Bytes> sends;         // bytes to put on the transport, in order
    std::vector<binary::Node> nodes;  // decoded server nodes, in order
    std::vector<Error> dropped;       // authenticated frames that did not decode
  };

  // Errc::Unsupported for an unknown dictionary version, Errc::InvalidArgument for bad keys.
  [[nodiscard]] static Result<WireConnection> create(const WireConfig& config,
                                                     crypto::KeyPair noiseKey,
                                                     crypto::KeyPair ephemeralKey,
                                                     Bytes clientPayload);

  // The first bytes of the connection: intro header + ClientHello frame. Once.
  [[nodiscard]] Result<Bytes> start();
  [[nodiscard]] Result<Incoming> onBytes(BytesView chunk, TimePoint now);
  // One node as a transport frame. Errc::InvalidArgument before the handshake finished.
  [[nodiscard]] Result<Bytes> encodeNode(const binary::Node& node);

  [[nodiscard]] bool isEstablished() const noexcept { return cipher_.has_value(); }

 private:
  WireConnection(frame::FrameEncoder encoder, noise::NoiseInitiator initiator,
                 binary::DictVersion dict, Bytes clientPayload);
  [[nodiscard]] Status onFrame(BytesView frame, TimePoint now, Incoming& in);

  frame::FrameEncoder encoder_;
  frame::FrameDecoder decoder_;
  noise::NoiseInitiator initiator_;
  binary::DictVersion dict_;
  Bytes clientPayload_;
  std::optional<noise::TransportCipher> cipher_;
  bool started_ = false;
};

}  // namespace chorus::core::session
