#include "core/protocol/noise/noise_responder.h"

#include <utility>

#include "core/protocol/noise/handshake_checks.h"
#include "core/protocol/noise/proto_io.h"
#include "proto/handshake.pb.h"

namespace chorus::core::noise {

NoiseResponder::NoiseResponder(ResponderConfig config)
    : config_(std::move(config)), symmetric_(config_.prologue) {}

Result<NoiseResponder> NoiseResponder::create(ResponderConfig config) {
  CHORUS_CHECK(checkKeyPair(config.staticKey, "static"));
  CHORUS_CHECK(checkKeyPair(config.ephemeralKey, "ephemeral"));
  if (config.certChain.empty()) return fail(Errc::InvalidArgument, "empty certificate chain");
  return NoiseResponder(std::move(config));
}

Result<Bytes> NoiseResponder::onClientHello(BytesView clientHello) {
  if (state_ != State::Initial) return outOfOrder("onClientHello");
  state_ = State::Failed;
  CHORUS_TRY(reply, processClientHello(clientHello));
  state_ = State::HelloSent;
  return reply;
}

Result<Bytes> NoiseResponder::processClientHello(BytesView clientHello) {
  CHORUS_TRY(msg, parseProto<::chorus::proto::HandshakeMessage>(clientHello, "ClientHello"));
  if (!msg.has_clienthello()) return fail(Errc::Protocol, "expected a ClientHello");
  if (msg.clienthello().ephemeral().size() != crypto::kCurveKeySize) {
    return fail(Errc::Protocol, "client ephemeral key is not 32 bytes");
  }
  const BytesView clientEphemeral = protoBytes(msg.clienthello().ephemeral());
  const Bytes& ephemeralPublic = config_.ephemeralKey.publicKey;

  symmetric_.mixHash(clientEphemeral);
  symmetric_.mixHash(ephemeralPublic);
  CHORUS_TRY(ee, crypto::x25519(config_.ephemeralKey.privateKey.view(), clientEphemeral));
  CHORUS_CHECK(symmetric_.mixKey(ee.view()));
  CHORUS_TRY(encryptedStatic, symmetric_.encryptAndHash(config_.staticKey.publicKey));
  CHORUS_TRY(es, crypto::x25519(config_.staticKey.privateKey.view(), clientEphemeral));
  CHORUS_CHECK(symmetric_.mixKey(es.view()));
  CHORUS_TRY(encryptedChain, symmetric_.encryptAndHash(config_.certChain));

  ::chorus::proto::HandshakeMessage reply;
  auto* hello = reply.mutable_serverhello();
  hello->set_ephemeral(ephemeralPublic.data(), ephemeralPublic.size());
  hello->set_static_(encryptedStatic.data(), encryptedStatic.size());
  hello->set_payload(encryptedChain.data(), encryptedChain.size());
  return serializeProto(reply);
}

Result<ClientFinishInfo> NoiseResponder::onClientFinish(BytesView clientFinish) {
  if (state_ != State::HelloSent) return outOfOrder("onClientFinish");
  state_ = State::Failed;
  CHORUS_TRY(info, processClientFinish(clientFinish));
  state_ = State::FinishReceived;
  config_.ephemeralKey.privateKey.wipe();
  return info;
}

Result<ClientFinishInfo> NoiseResponder::processClientFinish(BytesView clientFinish) {
  CHORUS_TRY(msg, parseProto<::chorus::proto::HandshakeMessage>(clientFinish, "ClientFinish"));
  if (!msg.has_clientfinish()) return fail(Errc::Protocol, "expected a ClientFinish");
  const auto& finish = msg.clientfinish();
  if (finish.static_().size() != kEncryptedKeySize) {
    return fail(Errc::Protocol, "encrypted client static key is not 48 bytes");
  }
  if (!finish.has_payload()) return fail(Errc::Protocol, "ClientFinish without payload");

  // Same shared counter as our ServerHello encryptions: the client static arrives with n = 1.
  CHORUS_TRY(clientStatic, symmetric_.decryptAndHash(protoBytes(finish.static_())));
  CHORUS_TRY(se, crypto::x25519(config_.ephemeralKey.privateKey.view(), clientStatic));
  CHORUS_CHECK(symmetric_.mixKey(se.view()));
  CHORUS_TRY(payload, symmetric_.decryptAndHash(protoBytes(finish.payload())));
  return ClientFinishInfo{std::move(clientStatic), std::move(payload)};
}

Result<TransportCipher> NoiseResponder::transport() {
  if (state_ != State::FinishReceived) return outOfOrder("transport");
  state_ = State::Done;
  CHORUS_TRY(keys, symmetric_.split());
  return TransportCipher::create(keys.second.view(), keys.first.view());
}

}  // namespace chorus::core::noise
