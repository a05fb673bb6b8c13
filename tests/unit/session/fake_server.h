// An in-process scripted WhatsApp server for the session tests, built from core pieces only:
// the server side of framing (FrameDecoder/FrameEncoder, server role), NoiseResponder with a
// certificate chain from createCertChain, the transport cipher and the binary codec. It does
// the handshake by itself and records every node the client sends; the test decides what the
// server says (deliver a node) and plays the phone (buildPairSuccess).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/x25519.h"
#include "core/protocol/binary/codec.h"
#include "core/protocol/binary/node.h"
#include "core/protocol/frame/frame_decoder.h"
#include "core/protocol/frame/frame_encoder.h"
#include "core/protocol/noise/noise_responder.h"
#include "core/protocol/noise/transport_cipher.h"
#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/util/random.h"
#include "proto/client_payload.pb.h"

namespace chorus::core::session::test {

class FakeServer {
 public:
  explicit FakeServer(Random& random);

  // The root key the client must trust for this server's certificate chain.
  [[nodiscard]] Bytes rootKey() const { return root_.publicKey; }

  // A new client connection (forgets the previous one).
  void accept();
  // Client → server bytes; returns the server's immediate answer (the ServerHello) or nothing.
  [[nodiscard]] Bytes onClientBytes(BytesView bytes);
  // One node as a server → client transport frame.
  [[nodiscard]] Bytes send(const binary::Node& node);

  [[nodiscard]] bool established() const noexcept { return cipher_.has_value(); }
  [[nodiscard]] const proto::ClientPayload& payload() const noexcept { return payload_; }
  [[nodiscard]] const Bytes& clientStaticKey() const noexcept { return clientStatic_; }
  [[nodiscard]] std::vector<binary::Node> takeReceived();
  [[nodiscard]] int connections() const noexcept { return connections_; }

  // Answer <iq xmlns="w:p" type="get"> pings at once (they are still recorded).
  bool answerPings = false;

 private:
  void onFrame(BytesView frame, Bytes& out);

  Random& random_;
  crypto::KeyPair root_;
  crypto::KeyPair static_;
  Bytes certChain_;
  int connections_ = 0;
  std::optional<frame::FrameDecoder> decoder_;
  std::optional<frame::FrameEncoder> encoder_;
  std::optional<noise::NoiseResponder> responder_;
  std::optional<noise::TransportCipher> cipher_;
  binary::DictVersion dict_ = binary::DictVersion::V3;
  proto::ClientPayload payload_;
  Bytes clientStatic_;
  std::vector<binary::Node> received_;
};

// The simulated phone of one account.
struct Phone {
  crypto::KeyPair accountKey;  // ADV account signature key = the phone's identity key
  std::string deviceJid = "15551234567:2@s.whatsapp.net";
  std::string lid = "123456789012345:2@lid";
  std::uint32_t rawId = 12345;
  std::uint32_t keyIndex = 7;
};

enum class Forgery : std::uint8_t { None, BadHmac, BadAccountSignature };

// <iq from="s.whatsapp.net" type="set" id=… xmlns="md"><pair-device><ref>…</ref>…
[[nodiscard]] binary::Node pairDevice(std::string id, const std::vector<std::string>& refs);
// What the server relays after `phone` scanned `qr`: <iq …><pair-success>… with the ADV
// identity signed by the phone and HMACed with the QR's adv secret (or forged).
[[nodiscard]] binary::Node pairSuccess(std::string id, std::string_view qr, const Phone& phone,
                                       Random& random, Forgery forgery = Forgery::None);
// The same for a given companion identity key and adv secret (pairing by code derives it).
[[nodiscard]] binary::Node pairSuccessWithSecret(std::string id, BytesView identityPub,
                                                 BytesView advSecret, const Phone& phone,
                                                 Random& random, Forgery forgery = Forgery::None);
// <stream:error code=…/>, <failure reason=…/>, <success t lid/>, an iq result.
[[nodiscard]] binary::Node streamError(std::string code);
[[nodiscard]] binary::Node failure(std::string reason);
[[nodiscard]] binary::Node success(std::string lid);
[[nodiscard]] binary::Node iqResult(std::string id);

// Hex → bytes, failing the test on a typo.
[[nodiscard]] Bytes hex(std::string_view text);
// The key pair whose private key is 32 copies of `fill`.
[[nodiscard]] crypto::KeyPair fixedKeyPair(std::uint8_t fill);

}  // namespace chorus::core::session::test
