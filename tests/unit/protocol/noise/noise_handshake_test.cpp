// The full §2.7 handshake, byte for byte, through the frame layer: our initiator against the
// server frames in the vector, our responder against the client frames, then both against each
// other with fresh keys.
#include <gtest/gtest.h>

#include "core/protocol/frame/frame_decoder.h"
#include "core/protocol/frame/frame_encoder.h"
#include "core/protocol/noise/noise_initiator.h"
#include "core/protocol/noise/noise_responder.h"
#include "core/util/random.h"
#include "tests/unit/protocol/noise/noise_test_util.h"

namespace chorus::core::noise {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): test-only helpers

frame::FrameEncoder encoderFor(frame::Role role, std::uint8_t dictVersion) {
  frame::FrameEncoder::Options options;
  options.role = role;
  options.dictVersion = dictVersion;
  return frame::FrameEncoder::create(std::move(options)).value();
}

frame::FrameDecoder decoderFor(frame::Role role) {
  frame::FrameDecoder::Options options;
  options.role = role;
  return frame::FrameDecoder(options);
}

// Feeds one wire message and expects exactly one frame out of it.
Bytes singleFrame(frame::FrameDecoder& decoder, BytesView wire) {
  auto frames = decoder.feed(wire);
  EXPECT_TRUE(frames.has_value());
  EXPECT_EQ(frames.has_value() ? frames->size() : 0u, 1u);
  return frames.has_value() && frames->size() == 1 ? (*frames)[0] : Bytes{};
}

TEST(NoiseHandshake, InitiatorReproducesTheClientFrames) {
  auto encoder = encoderFor(frame::Role::Client, frame::kDictVersionV2);
  auto decoder = decoderFor(frame::Role::Client);
  InitiatorConfig config = vectorInitiatorConfig();
  config.prologue = encoder.introHeader();
  auto initiator = NoiseInitiator::create(std::move(config)).value();

  const Bytes hello = initiator.start().value();
  EXPECT_EQ(toHex(encoder.encode(hello).value()), vectors::kFrame1);
  EXPECT_EQ(toHex(initiator.symmetricState().hash()), vectors::kHashAfterClientEphemeral);

  const Bytes serverHello = singleFrame(decoder, hex(vectors::kFrame2));
  auto finish = initiator.onServerHello(serverHello, hex(vectors::kLoginPayload), vectorNow());
  ASSERT_TRUE(finish.has_value()) << describe(finish.error());
  EXPECT_EQ(toHex(encoder.encode(*finish).value()), vectors::kFrame3);
  EXPECT_EQ(toHex(initiator.serverStaticKey()), vectors::kServerStaticPub);
  EXPECT_EQ(toHex(initiator.symmetricState().chainingKey()), vectors::kCkAfterSe);
  EXPECT_EQ(toHex(initiator.symmetricState().cipherKey()), vectors::kKAfterSe);

  TransportCipher cipher = initiator.transport().value();
  const Bytes success = singleFrame(decoder, hex(vectors::kFrame4));
  EXPECT_EQ(toHex(cipher.decrypt(success).value()), vectors::kSuccessNode);
  EXPECT_EQ(toHex(encoder.encode(cipher.encrypt(hex(vectors::kPingNode)).value()).value()),
            vectors::kFrame5);
}

TEST(NoiseHandshake, ResponderReproducesTheServerFrames) {
  auto decoder = decoderFor(frame::Role::Server);
  auto encoder = encoderFor(frame::Role::Server, frame::kDefaultDictVersion);

  const Bytes clientHello = singleFrame(decoder, hex(vectors::kFrame1));
  ASSERT_EQ(decoder.dictVersion(), std::optional<std::uint8_t>(frame::kDictVersionV2));
  ResponderConfig config = vectorResponderConfig();
  config.prologue = frame::introHeader(*decoder.dictVersion()).value();
  auto responder = NoiseResponder::create(std::move(config)).value();

  auto serverHello = responder.onClientHello(clientHello);
  ASSERT_TRUE(serverHello.has_value()) << describe(serverHello.error());
  EXPECT_EQ(toHex(encoder.encode(*serverHello).value()), vectors::kFrame2);
  EXPECT_EQ(toHex(responder.symmetricState().hash()), vectors::kHashAfterCert);

  auto finish = responder.onClientFinish(singleFrame(decoder, hex(vectors::kFrame3)));
  ASSERT_TRUE(finish.has_value()) << describe(finish.error());
  EXPECT_EQ(toHex(finish->clientStaticKey), vectors::kClientStaticPub);
  EXPECT_EQ(toHex(finish->clientPayload), vectors::kLoginPayload);
  EXPECT_EQ(toHex(responder.symmetricState().chainingKey()), vectors::kCkAfterSe);

  TransportCipher cipher = responder.transport().value();
  EXPECT_EQ(toHex(encoder.encode(cipher.encrypt(hex(vectors::kSuccessNode)).value()).value()),
            vectors::kFrame4);
  EXPECT_EQ(toHex(cipher.decrypt(singleFrame(decoder, hex(vectors::kFrame5))).value()),
            vectors::kPingNode);
}

TEST(NoiseHandshake, InitiatorAgainstResponderWithFreshKeys) {
  SystemRandom random;
  const auto root = crypto::generateKeyPair(random).value();
  const auto intermediate = crypto::generateKeyPair(random).value();
  auto serverStatic = crypto::generateKeyPair(random).value();
  auto clientStatic = crypto::generateKeyPair(random).value();
  const Bytes clientStaticPub = clientStatic.publicKey;

  CertChainParams params;
  params.rootPrivateKey = root.privateKey.view();
  params.intermediatePrivateKey = intermediate.privateKey.view();
  params.leafKey = serverStatic.publicKey;
  params.notBefore = vectors::kNotBefore;
  params.notAfter = vectors::kNotAfter;
  Bytes chain = createCertChain(params, random).value();

  const Bytes prologue = frame::introHeader(frame::kDictVersionV3).value();
  InitiatorConfig clientConfig;
  clientConfig.prologue = prologue;
  clientConfig.staticKey = std::move(clientStatic);
  clientConfig.ephemeralKey = crypto::generateKeyPair(random).value();
  clientConfig.trustedRootKey = root.publicKey;
  auto initiator = NoiseInitiator::create(std::move(clientConfig)).value();

  ResponderConfig serverConfig;
  serverConfig.prologue = prologue;
  serverConfig.staticKey = std::move(serverStatic);
  serverConfig.ephemeralKey = crypto::generateKeyPair(random).value();
  serverConfig.certChain = std::move(chain);
  auto responder = NoiseResponder::create(std::move(serverConfig)).value();

  const Bytes payload = hex("0801");
  auto serverHello = responder.onClientHello(initiator.start().value());
  ASSERT_TRUE(serverHello.has_value());
  auto clientFinish = initiator.onServerHello(*serverHello, payload, vectorNow());
  ASSERT_TRUE(clientFinish.has_value()) << describe(clientFinish.error());
  auto finish = responder.onClientFinish(*clientFinish);
  ASSERT_TRUE(finish.has_value());
  EXPECT_EQ(finish->clientStaticKey, clientStaticPub);
  EXPECT_EQ(finish->clientPayload, payload);
  EXPECT_EQ(toHex(initiator.symmetricState().hash()), toHex(responder.symmetricState().hash()));

  TransportCipher client = initiator.transport().value();
  TransportCipher server = responder.transport().value();
  for (int i = 0; i < 5; ++i) {
    const Bytes up(static_cast<std::size_t>(100 * i), static_cast<std::uint8_t>(i));
    EXPECT_EQ(server.decrypt(client.encrypt(up).value()).value(), up);
    const Bytes down(static_cast<std::size_t>(7 * i + 1), static_cast<std::uint8_t>(~i));
    EXPECT_EQ(client.decrypt(server.encrypt(down).value()).value(), down);
  }
}

TEST(NoiseHandshake, MismatchedPrologueFailsAuthentication) {
  InitiatorConfig clientConfig = vectorInitiatorConfig();
  clientConfig.prologue = frame::introHeader(frame::kDictVersionV3).value();
  auto initiator = NoiseInitiator::create(std::move(clientConfig)).value();
  auto responder = NoiseResponder::create(vectorResponderConfig()).value();  // v2 prologue
  auto serverHello = responder.onClientHello(initiator.start().value()).value();
  EXPECT_EQ(errorOf(initiator.onServerHello(serverHello, {}, vectorNow())), Errc::Crypto);
}

}  // namespace
}  // namespace chorus::core::noise
