// NoiseResponder: the server side of WhatsApp's Noise XX handshake, for the local test server
// and interop tests (protocol notes §2.3, §15.1). Sans-I/O like NoiseInitiator: HandshakeMessage
// bytes in and out, framing left to frame::FrameDecoder / FrameEncoder.
//
//   ResponderConfig config{frame::introHeader(*decoder.dictVersion()).value(),
//                          std::move(serverStatic), crypto::generateKeyPair(random).value(),
//                          certChain};
//   auto resp = NoiseResponder::create(std::move(config)).value();
//   send(resp.onClientHello(clientHello));                  // ServerHello
//   auto finish = resp.onClientFinish(clientFinish);        // client static key + ClientPayload
//   TransportCipher cipher = resp.transport().value();      // server writes with the second key
//
// The prologue must be the intro header the client actually sent, i.e.
// frame::introHeader(*decoder.dictVersion()). After any error the object is spent and each
// later call fails with Errc::InvalidArgument.
#pragma once

#include "core/crypto/x25519.h"
#include "core/protocol/noise/symmetric_state.h"
#include "core/protocol/noise/transport_cipher.h"
#include "core/util/bytes.h"
#include "core/util/result.h"

namespace chorus::core::noise {

struct ResponderConfig {
  Bytes prologue;                // the client's intro header "WA" 0x06 dictver
  crypto::KeyPair staticKey;     // s_s: the server static key, certified by the chain's leaf
  crypto::KeyPair ephemeralKey;  // e_s: fresh per connection; fixed in tests
  Bytes certChain;               // serialized CertChain (createCertChain)
};

// What the client proved and sent in ClientFinish.
struct ClientFinishInfo {
  Bytes clientStaticKey;  // the client's 32-byte noise public key (its login identity)
  Bytes clientPayload;    // the serialized ClientPayload plaintext
};

class NoiseResponder {
 public:
  // Errc::InvalidArgument for keys that are not 32 bytes or an empty certificate chain.
  [[nodiscard]] static Result<NoiseResponder> create(ResponderConfig config);

  // Processes HandshakeMessage{clientHello}; returns HandshakeMessage{serverHello} bytes.
  // Errc::Malformed (unparsable), Errc::Protocol (no clientHello, ephemeral not 32 bytes),
  // Errc::Crypto (low-order ephemeral key).
  [[nodiscard]] Result<Bytes> onClientHello(BytesView clientHello);

  // Processes HandshakeMessage{clientFinish}. Errc::Malformed / Errc::Protocol as above,
  // Errc::Crypto when either ciphertext fails to authenticate.
  [[nodiscard]] Result<ClientFinishInfo> onClientFinish(BytesView clientFinish);

  // The transport ciphers (write with the second split key, read with the first). Valid once,
  // after onClientFinish succeeded.
  [[nodiscard]] Result<TransportCipher> transport();

  // For tests of the deterministic vector; holds secrets, never log it.
  [[nodiscard]] const SymmetricState& symmetricState() const noexcept { return symmetric_; }

 private:
  enum class State { Initial, HelloSent, FinishReceived, Done, Failed };

  explicit NoiseResponder(ResponderConfig config);
  [[nodiscard]] Result<Bytes> processClientHello(BytesView clientHello);
  [[nodiscard]] Result<ClientFinishInfo> processClientFinish(BytesView clientFinish);

  ResponderConfig config_;
  SymmetricState symmetric_;
  State state_ = State::Initial;
};

}  // namespace chorus::core::noise
