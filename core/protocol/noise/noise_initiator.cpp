#include "core/protocol/noise/noise_initiator.h"

#include <utility>

#include "core/protocol/noise/handshake_checks.h"
#include "core/protocol/noise/proto_io.h"
#include "proto/handshake.pb.h"

namespace chorus::core::noise {

NoiseInitiator::NoiseInitiator(InitiatorConfig config)
    : config_(std::move(config)), symmetric_(config_.prologue) {}

Result<NoiseInitiator> NoiseInitiator::create(InitiatorConfig config) {
  CHORUS_CHECK(checkKeyPair(config.staticKey, "static"));
  CHORUS_CHECK(checkKeyPair(config.ephemeralKey, "ephemeral"));
  if (config.trustedRootKey.size() != crypto::kCurveKeySize) {
    return fail(Errc::InvalidArgument, "trusted root key must be 32 bytes");
  }
  return NoiseInitiator(std::move(config));
}

Result<Bytes> NoiseInitiator::start() {
  if (state_ != State::Initial) return outOfOrder("start");
  const Bytes& ephemeral = config_.ephemeralKey.publicKey;
  symmetric_.mixHash(ephemeral);
  ::chorus::proto::HandshakeMessage msg;
  msg.mutable_clienthello()->set_ephemeral(ephemeral.data(), ephemeral.size());
  state_ = State::HelloSent;
  return serializeProto(msg);
}

Result<Bytes> NoiseInitiator::onServerHello(BytesView serverHello, BytesView clientPayload,
                                            TimePoint now) {
  if (state_ != State::HelloSent) return outOfOrder("onServerHello");
  state_ = State::Failed;  // a half-mixed state can never be resumed
  CHORUS_TRY(finish, processServerHello(serverHello, clientPayload, now));
  state_ = State::FinishSent;
  // The ephemeral key has done its work; do not keep it for the life of the connection.
  config_.ephemeralKey.privateKey.wipe();
  return finish;
}

Result<Bytes> NoiseInitiator::processServerHello(BytesView serverHello, BytesView clientPayload,
                                                 TimePoint now) {
  CHORUS_TRY(msg, parseProto<::chorus::proto::HandshakeMessage>(serverHello, "ServerHello"));
  if (!msg.has_serverhello()) return fail(Errc::Protocol, "expected a ServerHello");
  const auto& hello = msg.serverhello();
  if (hello.ephemeral().size() != crypto::kCurveKeySize) {
    return fail(Errc::Protocol, "server ephemeral key is not 32 bytes");
  }
  if (hello.static_().size() != kEncryptedKeySize) {
    return fail(Errc::Protocol, "encrypted server static key is not 48 bytes");
  }
  if (!hello.has_payload()) return fail(Errc::Protocol, "ServerHello without certificate");
  const BytesView serverEphemeral = protoBytes(hello.ephemeral());
  const BytesView ephemeralPrivate = config_.ephemeralKey.privateKey.view();

  symmetric_.mixHash(serverEphemeral);
  CHORUS_TRY(ee, crypto::x25519(ephemeralPrivate, serverEphemeral));
  CHORUS_CHECK(symmetric_.mixKey(ee.view()));
  CHORUS_TRY(serverStatic, symmetric_.decryptAndHash(protoBytes(hello.static_())));
  CHORUS_TRY(es, crypto::x25519(ephemeralPrivate, serverStatic));
  CHORUS_CHECK(symmetric_.mixKey(es.view()));
  CHORUS_TRY(certChain, symmetric_.decryptAndHash(protoBytes(hello.payload())));
  CHORUS_CHECK(verifyCertChain(certChain, serverStatic, config_.trustedRootKey, now));

  // The counter is not reset after the certificate: our static key goes out with n = 1.
  CHORUS_TRY(encryptedStatic, symmetric_.encryptAndHash(config_.staticKey.publicKey));
  CHORUS_TRY(se, crypto::x25519(config_.staticKey.privateKey.view(), serverEphemeral));
  CHORUS_CHECK(symmetric_.mixKey(se.view()));
  CHORUS_TRY(encryptedPayload, symmetric_.encryptAndHash(clientPayload));

  ::chorus::proto::HandshakeMessage reply;
  auto* finish = reply.mutable_clientfinish();
  finish->set_static_(encryptedStatic.data(), encryptedStatic.size());
  finish->set_payload(encryptedPayload.data(), encryptedPayload.size());
  serverStaticKey_ = std::move(serverStatic);
  return serializeProto(reply);
}

Result<TransportCipher> NoiseInitiator::transport() {
  if (state_ != State::FinishSent) return outOfOrder("transport");
  state_ = State::Done;
  CHORUS_TRY(keys, symmetric_.split());
  return TransportCipher::create(keys.first.view(), keys.second.view());
}

}  // namespace chorus::core::noise
