// Every way a peer (or a careless caller) can feed the handshake bad input gets an Errc.
#include <gtest/gtest.h>

#include <functional>

#include "core/protocol/noise/noise_initiator.h"
#include "core/protocol/noise/noise_responder.h"
#include "core/protocol/noise/proto_io.h"
#include "proto/handshake.pb.h"
#include "tests/unit/protocol/noise/noise_test_util.h"

namespace chorus::core::noise {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): test-only helpers
using ::chorus::proto::HandshakeMessage;

HandshakeMessage vectorMessage(std::string_view frameHex) {
  return parseProto<HandshakeMessage>(framePayload(frameHex), "vector").value();
}

NoiseInitiator startedInitiator(InitiatorConfig config = vectorInitiatorConfig()) {
  auto initiator = NoiseInitiator::create(std::move(config)).value();
  EXPECT_TRUE(initiator.start().has_value());
  return initiator;
}

// ServerHello from the vector with one change applied.
Errc serverHelloError(const std::function<void(HandshakeMessage::ServerHello&)>& edit) {
  HandshakeMessage msg = vectorMessage(vectors::kFrame2);
  edit(*msg.mutable_serverhello());
  NoiseInitiator initiator = startedInitiator();
  return errorOf(initiator.onServerHello(serializeProto(msg), {}, vectorNow()));
}

NoiseResponder helloedResponder() {
  auto responder = NoiseResponder::create(vectorResponderConfig()).value();
  EXPECT_TRUE(responder.onClientHello(clientHelloPayload()).has_value());
  return responder;
}

Errc clientFinishError(const std::function<void(HandshakeMessage::ClientFinish&)>& edit) {
  HandshakeMessage msg = vectorMessage(vectors::kFrame3);
  edit(*msg.mutable_clientfinish());
  NoiseResponder responder = helloedResponder();
  return errorOf(responder.onClientFinish(serializeProto(msg)));
}

TEST(NoiseInitiatorErrors, WrongKeySizesAtCreate) {
  InitiatorConfig badStatic = vectorInitiatorConfig();
  badStatic.staticKey.publicKey.pop_back();
  EXPECT_EQ(errorOf(NoiseInitiator::create(std::move(badStatic))), Errc::InvalidArgument);
  InitiatorConfig badEphemeral = vectorInitiatorConfig();
  badEphemeral.ephemeralKey.privateKey = SecretBytes(Bytes(16, 1));
  EXPECT_EQ(errorOf(NoiseInitiator::create(std::move(badEphemeral))), Errc::InvalidArgument);
  InitiatorConfig badRoot = vectorInitiatorConfig();
  badRoot.trustedRootKey = Bytes(33, 0);
  EXPECT_EQ(errorOf(NoiseInitiator::create(std::move(badRoot))), Errc::InvalidArgument);
}

TEST(NoiseInitiatorErrors, CallsOutOfOrder) {
  auto initiator = NoiseInitiator::create(vectorInitiatorConfig()).value();
  EXPECT_EQ(errorOf(initiator.onServerHello(framePayload(vectors::kFrame2), {}, vectorNow())),
            Errc::InvalidArgument);
  EXPECT_EQ(errorOf(initiator.transport()), Errc::InvalidArgument);
  ASSERT_TRUE(initiator.start().has_value());
  EXPECT_EQ(errorOf(initiator.start()), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(initiator.transport()), Errc::InvalidArgument);
  ASSERT_TRUE(initiator
                  .onServerHello(framePayload(vectors::kFrame2), hex(vectors::kLoginPayload),
                                 vectorNow())
                  .has_value());
  EXPECT_EQ(errorOf(initiator.onServerHello(framePayload(vectors::kFrame2), {}, vectorNow())),
            Errc::InvalidArgument);
  ASSERT_TRUE(initiator.transport().has_value());
  EXPECT_EQ(errorOf(initiator.transport()), Errc::InvalidArgument);
}

TEST(NoiseInitiatorErrors, UnparsableServerHello) {
  NoiseInitiator garbage = startedInitiator();
  EXPECT_EQ(errorOf(garbage.onServerHello(hex("1affff"), {}, vectorNow())), Errc::Malformed);
  Bytes truncated = framePayload(vectors::kFrame2);
  truncated.resize(truncated.size() - 1);
  NoiseInitiator cut = startedInitiator();
  EXPECT_EQ(errorOf(cut.onServerHello(truncated, {}, vectorNow())), Errc::Malformed);
}

TEST(NoiseInitiatorErrors, WrongMessageOrFieldSizes) {
  NoiseInitiator initiator = startedInitiator();
  EXPECT_EQ(errorOf(initiator.onServerHello(clientHelloPayload(), {}, vectorNow())),
            Errc::Protocol);
  EXPECT_EQ(serverHelloError([](auto& h) { h.mutable_ephemeral()->pop_back(); }), Errc::Protocol);
  EXPECT_EQ(serverHelloError([](auto& h) { h.clear_ephemeral(); }), Errc::Protocol);
  EXPECT_EQ(serverHelloError([](auto& h) { h.mutable_static_()->pop_back(); }), Errc::Protocol);
  EXPECT_EQ(serverHelloError([](auto& h) { h.mutable_static_()->push_back('x'); }),
            Errc::Protocol);
  EXPECT_EQ(serverHelloError([](auto& h) { h.clear_payload(); }), Errc::Protocol);
}

TEST(NoiseInitiatorErrors, TamperedCiphertextsAndKeys) {
  EXPECT_EQ(serverHelloError([](auto& h) { (*h.mutable_static_())[3] ^= 1; }), Errc::Crypto);
  EXPECT_EQ(serverHelloError([](auto& h) { (*h.mutable_payload())[40] ^= 1; }), Errc::Crypto);
  EXPECT_EQ(serverHelloError([](auto& h) { h.mutable_payload()->resize(10); }), Errc::Malformed);
  // A different (valid) ephemeral key: the keys no longer match what the server encrypted with.
  EXPECT_EQ(serverHelloError([](auto& h) {
              const Bytes other = fixedKeyPair(0x34).publicKey;
              h.set_ephemeral(other.data(), other.size());
            }),
            Errc::Crypto);
  // A low-order point gives an all-zero DH output, which x25519 refuses.
  EXPECT_EQ(serverHelloError([](auto& h) { h.set_ephemeral(std::string(32, '\0')); }),
            Errc::Crypto);
}

TEST(NoiseInitiatorErrors, CertificateProblemsStopTheHandshake) {
  NoiseInitiator realRoot = startedInitiator([] {
    InitiatorConfig config = vectorInitiatorConfig();
    config.trustedRootKey = Bytes(kWhatsAppRootKey.begin(), kWhatsAppRootKey.end());
    return config;
  }());
  EXPECT_EQ(errorOf(realRoot.onServerHello(framePayload(vectors::kFrame2), {}, vectorNow())),
            Errc::Crypto);
  NoiseInitiator expired = startedInitiator();
  EXPECT_EQ(errorOf(expired.onServerHello(framePayload(vectors::kFrame2), {},
                                          fromUnixSeconds(vectors::kNotAfter + 1))),
            Errc::Crypto);
}

TEST(NoiseInitiatorErrors, FailureIsFinal) {
  NoiseInitiator initiator = startedInitiator();
  EXPECT_EQ(errorOf(initiator.onServerHello(hex("00"), {}, vectorNow())), Errc::Malformed);
  EXPECT_EQ(errorOf(initiator.onServerHello(framePayload(vectors::kFrame2), {}, vectorNow())),
            Errc::InvalidArgument);
  EXPECT_EQ(errorOf(initiator.transport()), Errc::InvalidArgument);
}

TEST(NoiseResponderErrors, WrongKeySizesOrNoChainAtCreate) {
  ResponderConfig badStatic = vectorResponderConfig();
  badStatic.staticKey.privateKey = SecretBytes(Bytes(31, 1));
  EXPECT_EQ(errorOf(NoiseResponder::create(std::move(badStatic))), Errc::InvalidArgument);
  ResponderConfig badEphemeral = vectorResponderConfig();
  badEphemeral.ephemeralKey.publicKey.clear();
  EXPECT_EQ(errorOf(NoiseResponder::create(std::move(badEphemeral))), Errc::InvalidArgument);
  ResponderConfig noChain = vectorResponderConfig();
  noChain.certChain.clear();
  EXPECT_EQ(errorOf(NoiseResponder::create(std::move(noChain))), Errc::InvalidArgument);
}

TEST(NoiseResponderErrors, CallsOutOfOrder) {
  auto responder = NoiseResponder::create(vectorResponderConfig()).value();
  EXPECT_EQ(errorOf(responder.onClientFinish(framePayload(vectors::kFrame3))),
            Errc::InvalidArgument);
  EXPECT_EQ(errorOf(responder.transport()), Errc::InvalidArgument);
  ASSERT_TRUE(responder.onClientHello(clientHelloPayload()).has_value());
  EXPECT_EQ(errorOf(responder.onClientHello(clientHelloPayload())), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(responder.transport()), Errc::InvalidArgument);
}

TEST(NoiseResponderErrors, BadClientHello) {
  auto hello = [](BytesView bytes) {
    auto responder = NoiseResponder::create(vectorResponderConfig()).value();
    return errorOf(responder.onClientHello(bytes));
  };
  Bytes truncated = clientHelloPayload();
  truncated.pop_back();
  EXPECT_EQ(hello(truncated), Errc::Malformed);
  EXPECT_EQ(hello(hex("ff")), Errc::Malformed);
  EXPECT_EQ(hello({}), Errc::Protocol);  // an empty HandshakeMessage
  EXPECT_EQ(hello(framePayload(vectors::kFrame3)), Errc::Protocol);  // a ClientFinish
  EXPECT_EQ(hello(hex("12030a0101")), Errc::Protocol);  // 1-byte ephemeral
  HandshakeMessage zero;
  zero.mutable_clienthello()->set_ephemeral(std::string(32, '\0'));
  EXPECT_EQ(hello(serializeProto(zero)), Errc::Crypto);
}

TEST(NoiseResponderErrors, BadClientFinish) {
  NoiseResponder garbage = helloedResponder();
  EXPECT_EQ(errorOf(garbage.onClientFinish(hex("22ff"))), Errc::Malformed);
  NoiseResponder wrongKind = helloedResponder();
  EXPECT_EQ(errorOf(wrongKind.onClientFinish(clientHelloPayload())), Errc::Protocol);
  EXPECT_EQ(clientFinishError([](auto& f) { f.mutable_static_()->pop_back(); }), Errc::Protocol);
  EXPECT_EQ(clientFinishError([](auto& f) { f.clear_static_(); }), Errc::Protocol);
  EXPECT_EQ(clientFinishError([](auto& f) { f.clear_payload(); }), Errc::Protocol);
  EXPECT_EQ(clientFinishError([](auto& f) { (*f.mutable_static_())[0] ^= 1; }), Errc::Crypto);
  EXPECT_EQ(clientFinishError([](auto& f) { (*f.mutable_payload())[5] ^= 1; }), Errc::Crypto);
  EXPECT_EQ(clientFinishError([](auto& f) { f.mutable_payload()->resize(3); }), Errc::Malformed);
}

TEST(NoiseResponderErrors, FailureIsFinal) {
  NoiseResponder responder = helloedResponder();
  Bytes tampered = framePayload(vectors::kFrame3);
  tampered.back() ^= 1;
  EXPECT_EQ(errorOf(responder.onClientFinish(tampered)), Errc::Crypto);
  EXPECT_EQ(errorOf(responder.onClientFinish(framePayload(vectors::kFrame3))),
            Errc::InvalidArgument);
  EXPECT_EQ(errorOf(responder.transport()), Errc::InvalidArgument);
}

}  // namespace
}  // namespace chorus::core::noise
