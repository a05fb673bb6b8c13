// NoiseInitiator: the client side of WhatsApp's Noise XX handshake (protocol notes §2.3).
// Sans-I/O: it consumes and produces HandshakeMessage protobuf bytes (the caller frames them
// with frame::FrameEncoder / FrameDecoder), never touches a socket, and gets `now` from the
// caller for the certificate check.
//
//   InitiatorConfig config{encoder.introHeader(),
//                          crypto::KeyPair{noiseKey.privateKey.clone(), noiseKey.publicKey},
//                          crypto::generateKeyPair(random).value()};
//   auto init = NoiseInitiator::create(std::move(config)).value();
//   send(init.start());                                     // ClientHello
//   send(init.onServerHello(serverHello, payload, now));    // verifies the cert → ClientFinish
//   TransportCipher cipher = init.transport().value();      // client writes with the first key
//
// Every call returns an error instead of asserting; after any error the object is spent and
// each later call fails with Errc::InvalidArgument.
#pragma once

#include <cstdint>

#include "core/crypto/x25519.h"
#include "core/protocol/noise/cert_chain.h"
#include "core/protocol/noise/symmetric_state.h"
#include "core/protocol/noise/transport_cipher.h"
#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/util/result.h"

namespace chorus::core::noise {

struct InitiatorConfig {
  Bytes prologue;                // the 4-byte intro header "WA" 0x06 dictver (frame::introHeader)
  crypto::KeyPair staticKey;     // s_c: the long-term noise key the server knows the device by
  crypto::KeyPair ephemeralKey;  // e_c: fresh per connection (crypto::generateKeyPair); fixed in tests
  Bytes trustedRootKey = Bytes(kWhatsAppRootKey.begin(), kWhatsAppRootKey.end());
};

class NoiseInitiator {
 public:
  // Errc::InvalidArgument for keys that are not 32 bytes.
  [[nodiscard]] static Result<NoiseInitiator> create(InitiatorConfig config);

  // HandshakeMessage{clientHello{ephemeral}} bytes.
  [[nodiscard]] Result<Bytes> start();

  // Processes HandshakeMessage{serverHello}: decrypts the server static key and the certificate
  // chain, verifies the chain (verifyCertChain, at `now`), and returns
  // HandshakeMessage{clientFinish{static, payload = Enc(clientPayload)}} bytes.
  // Errors: Errc::Malformed (unparsable), Errc::Protocol (missing fields, wrong sizes),
  // Errc::Crypto (authentication or DH failure), plus verifyCertChain's codes.
  [[nodiscard]] Result<Bytes> onServerHello(BytesView serverHello, BytesView clientPayload,
                                            TimePoint now);

  // The transport ciphers (write with the first split key, read with the second). Valid once,
  // after onServerHello succeeded; the client does not wait for any reply before using it.
  [[nodiscard]] Result<TransportCipher> transport();

  // The server static key decrypted from ServerHello (empty before).
  [[nodiscard]] BytesView serverStaticKey() const noexcept { return serverStaticKey_; }
  // For tests of the deterministic vector; holds secrets, never log it.
  [[nodiscard]] const SymmetricState& symmetricState() const noexcept { return symmetric_; }

 private:
  enum class State { Initial, HelloSent, FinishSent, Done, Failed };

  explicit NoiseInitiator(InitiatorConfig config);
  [[nodiscard]] Result<Bytes> processServerHello(BytesView serverHello, BytesView clientPayload,
                                                 TimePoint now);

  InitiatorConfig config_;
  SymmetricState symmetric_;
  Bytes serverStaticKey_;
  State state_ = State::Initial;
};

}  // namespace chorus::core::noise
