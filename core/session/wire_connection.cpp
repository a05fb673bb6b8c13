#include "core/session/wire_connection.h"

#include <utility>

namespace chorus::core::session {

Result<WireConnection> WireConnection::create(const WireConfig& config, crypto::KeyPair noiseKey,
                                              crypto::KeyPair ephemeralKey, Bytes clientPayload) {
  frame::FrameEncoder::Options options;
  options.role = frame::Role::Client;
  options.dictVersion = config.dictVersion;
  CHORUS_TRY(encoder, frame::FrameEncoder::create(std::move(options)));
  noise::InitiatorConfig noiseConfig;
  noiseConfig.prologue = encoder.introHeader();
  noiseConfig.staticKey = std::move(noiseKey);
  noiseConfig.ephemeralKey = std::move(ephemeralKey);
  noiseConfig.trustedRootKey = config.trustedRootKey;
  CHORUS_TRY(initiator, noise::NoiseInitiator::create(std::move(noiseConfig)));
  return WireConnection(std::move(encoder), std::move(initiator),
                        static_cast<binary::DictVersion>(config.dictVersion),
                        std::move(clientPayload));
}

WireConnection::WireConnection(frame::FrameEncoder encoder, noise::NoiseInitiator initiator,
                               binary::DictVersion dict, Bytes clientPayload)
    : encoder_(std::move(encoder)),
      initiator_(std::move(initiator)),
      dict_(dict),
      clientPayload_(std::move(clientPayload)) {}

Result<Bytes> WireConnection::start() {
  if (started_) return fail(Errc::InvalidArgument, "connection already started");
  started_ = true;
  CHORUS_TRY(hello, initiator_.start());
  return encoder_.encode(hello);
}

Result<WireConnection::Incoming> WireConnection::onBytes(BytesView chunk, TimePoint now) {
  if (!started_) return fail(Errc::Protocol, "bytes before the client hello");
  CHORUS_TRY(frames, decoder_.feed(chunk));
  Incoming in;
  for (const Bytes& frame : frames) CHORUS_CHECK(onFrame(frame, now, in));
  return in;
}

Status WireConnection::onFrame(BytesView frame, TimePoint now, Incoming& in) {
  if (!cipher_) {
    CHORUS_TRY(finish, initiator_.onServerHello(frame, clientPayload_, now));
    CHORUS_TRY(finishFrame, encoder_.encode(finish));
    in.sends.push_back(std::move(finishFrame));
    CHORUS_TRY(cipher, initiator_.transport());
    cipher_.emplace(std::move(cipher));
    return ok();
  }
  CHORUS_TRY(plaintext, cipher_->decrypt(frame));
  auto node = binary::decodeFrame(plaintext, dict_);
  if (!node) {
    in.dropped.push_back(std::move(node).error());
    return ok();
  }
  in.nodes.push_back(std::move(node).value());
  return ok();
}

Result<Bytes> WireConnection::encodeNode(const binary::Node& node) {
  if (!cipher_) return fail(Errc::InvalidArgument, "handshake not finished");
  CHORUS_TRY(plaintext, binary::encodeFrame(node, dict_));
  CHORUS_TRY(ciphertext, cipher_->encrypt(plaintext));
  return encoder_.encode(ciphertext);
}

}  // namespace chorus::core::session
