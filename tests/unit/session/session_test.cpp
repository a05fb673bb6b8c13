// The Session against an in-process scripted server (fake_server.h) with a fake clock: QR
// linking through 515 to login, QR rotation and timeout, forged pair-success, refused login,
// transient drops, keepalive death, a server that does not hold the trusted certificate.
#include "core/session/session.h"

#include <chrono>
#include <deque>

#include <gtest/gtest.h>

#include "core/crypto/xeddsa.h"
#include "core/session/pairing.h"
#include "proto/adv.pb.h"
#include "tests/unit/session/fake_server.h"
#include "tests/unit/session/session_harness.h"

namespace chorus::core::session {
namespace {

using namespace std::chrono_literals;
using State = api::ConnectionState;
using test::FakeServer;
using test::findIq;
using test::fixedKeyPair;
using test::Forgery;
using test::Harness;
using test::Phone;

const std::vector<std::string> kRefs = {"2@r0", "2@r1", "2@r2", "2@r3", "2@r4", "2@r5"};

TEST(Session, QrLinkThen515ThenLoginToReady) {
  Harness h(/*paired=*/false);
  h.run(h.session().start(h.now));
  EXPECT_EQ(h.session().status().state, State::Unlinked);
  EXPECT_EQ(h.opens, 0) << "unlinked numbers wait for a person";

  h.run(h.session().linkWithQr(h.now));
  EXPECT_EQ(h.opens, 1);
  ASSERT_TRUE(h.server().established());
  const store::DeviceCredentials& creds = h.session().credentials();
  EXPECT_EQ(h.server().clientStaticKey(), creds.noiseKey.publicKey);
  ASSERT_TRUE(h.server().payload().has_devicepairingdata());
  EXPECT_EQ(toBytes(asBytes(h.server().payload().devicepairingdata().eident())),
            creds.identityKey.publicKey);
  EXPECT_EQ(h.session().status().state, State::Connecting);

  h.deliver(test::pairDevice("pd-1", kRefs));
  auto received = h.server().takeReceived();
  const binary::Node* ack = findIq(received, "result");
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->attrText("id"), "pd-1");
  ASSERT_EQ(h.qrCodes().size(), 1u);
  const QrCode first = h.qrCodes()[0];
  EXPECT_EQ(first.code, qrString("2@r0", creds.noiseKey.publicKey, creds.identityKey.publicKey,
                                 creds.advSecret.view()));
  EXPECT_EQ(first.expiresAt, h.now + 60s);
  EXPECT_EQ(first.count, 6u);
  EXPECT_EQ(h.session().status().state, State::Pairing);

  h.advance(10s);
  h.deliver(test::pairSuccess("ps-1", first.code, h.phone(), h.phoneRandom()));
  received = h.server().takeReceived();
  const binary::Node* reply = findIq(received, "result");
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->attrText("id"), "ps-1");
  const binary::Node* sign = reply->child("pair-device-sign");
  ASSERT_NE(sign, nullptr);
  const binary::Node* identity = sign->child("device-identity");
  ASSERT_NE(identity, nullptr);
  EXPECT_EQ(identity->attrText("key-index"), "7");
  proto::ADVSignedDeviceIdentity signedIdentity;
  ASSERT_TRUE(signedIdentity.ParseFromString(std::string(asString(*identity->bytes()))));
  EXPECT_FALSE(signedIdentity.has_accountsignaturekey());
  const Bytes message = concat({Bytes{0x06, 0x01}, asBytes(signedIdentity.details()),
                                creds.identityKey.publicKey, h.phone().accountKey.publicKey});
  EXPECT_TRUE(crypto::xeddsaVerify(creds.identityKey.publicKey, message,
                                   asBytes(signedIdentity.devicesignature())));

  const PairedEvent* paired = h.paired();
  ASSERT_NE(paired, nullptr);
  EXPECT_EQ(paired->credentials.deviceJid, "15551234567:2@s.whatsapp.net");
  EXPECT_EQ(paired->credentials.lid, "123456789012345:2@lid");
  EXPECT_EQ(paired->credentials.platform, "android");
  EXPECT_EQ(paired->primaryIdentityKey, h.phone().accountKey.publicKey);
  EXPECT_EQ(paired->keyIndex, 7u);
  EXPECT_TRUE(paired->credentials.noiseKey.privateKey == creds.noiseKey.privateKey);
  EXPECT_TRUE(h.session().isPaired());
  const std::size_t qrCount = h.qrCodes().size();

  h.deliver(test::streamError("515"));
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.opens, 2) << "515 after pairing reconnects at once";
  ASSERT_TRUE(h.server().established());
  EXPECT_FALSE(h.server().payload().has_devicepairingdata());
  EXPECT_EQ(h.server().payload().username(), 15551234567u);
  EXPECT_EQ(h.server().payload().device(), 2u);
  EXPECT_EQ(h.server().clientStaticKey(), creds.noiseKey.publicKey);
  EXPECT_EQ(h.session().status().state, State::Connecting);

  h.deliver(test::success("123456789012345:2@lid"));
  EXPECT_EQ(h.session().status().state, State::Ready);
  received = h.server().takeReceived();
  const binary::Node* active = findIq(received, "set", "passive");
  ASSERT_NE(active, nullptr);
  EXPECT_NE(active->child("active"), nullptr);

  // Keepalive: pings every 20–30 s, answered by the server; still ready, no reconnect.
  h.server().answerPings = true;
  h.advance(30s);
  received = h.server().takeReceived();
  EXPECT_NE(findIq(received, "get", "w:p"), nullptr);
  h.advance(5min);
  EXPECT_EQ(h.session().status().state, State::Ready);
  EXPECT_EQ(h.opens, 2);
  EXPECT_EQ(h.qrCodes().size(), qrCount) << "no QR codes after pairing";
  EXPECT_TRUE(h.errors().empty());

  const std::vector<State> expected = {State::Unlinked, State::Connecting, State::Pairing,
                                       State::Connecting, State::Ready};
  EXPECT_EQ(h.states(), expected);
}

TEST(Session, QrCodesRotateThenTimeOutToUnlinked) {
  Harness h(false);
  h.run(h.session().linkWithQr(h.now));
  const TimePoint start = h.now;
  h.deliver(test::pairDevice("pd", {"2@a", "2@b", "2@c"}));
  ASSERT_EQ(h.qrCodes().size(), 1u);
  EXPECT_EQ(h.session().nextDeadline(), start + 60s);

  h.advance(59s);
  EXPECT_EQ(h.qrCodes().size(), 1u);
  h.advance(1s);
  ASSERT_EQ(h.qrCodes().size(), 2u);
  EXPECT_TRUE(h.qrCodes()[1].code.starts_with("2@b,"));
  EXPECT_EQ(h.qrCodes()[1].expiresAt, start + 80s);
  h.advance(20s);
  ASSERT_EQ(h.qrCodes().size(), 3u);
  EXPECT_TRUE(h.qrCodes()[2].code.starts_with("2@c,"));
  EXPECT_EQ(h.closes, 0);

  h.advance(20s);
  EXPECT_EQ(h.qrCodes().size(), 3u);
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.session().status().state, State::Unlinked);
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::Timeout});
  EXPECT_FALSE(h.session().nextDeadline().has_value());
  h.advance(1h);
  EXPECT_EQ(h.opens, 1) << "an expired pairing is not retried by itself";

  // A person starts linking again: a fresh registration connection.
  h.run(h.session().linkWithQr(h.now));
  EXPECT_EQ(h.opens, 2);
  EXPECT_TRUE(h.server().payload().has_devicepairingdata());
}

class ForgedPairSuccess : public ::testing::TestWithParam<Forgery> {};

TEST_P(ForgedPairSuccess, IsRefusedAndNothingIsLinked) {
  Harness h(false);
  h.run(h.session().linkWithQr(h.now));
  h.deliver(test::pairDevice("pd", kRefs));
  (void)h.server().takeReceived();
  h.deliver(test::pairSuccess("ps", h.qrCodes()[0].code, h.phone(), h.phoneRandom(), GetParam()));

  const auto received = h.server().takeReceived();
  const binary::Node* error = findIq(received, "error");
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->attrText("id"), "ps");
  ASSERT_NE(error->child("error"), nullptr);
  EXPECT_EQ(error->child("error")->attrText("code"), "401");
  EXPECT_EQ(error->child("error")->attrText("text"),
            GetParam() == Forgery::BadHmac ? "hmac-mismatch" : "signature-mismatch");
  EXPECT_EQ(findIq(received, "result"), nullptr) << "no pair-device-sign";
  EXPECT_EQ(h.paired(), nullptr);
  EXPECT_FALSE(h.session().isPaired());
  EXPECT_TRUE(h.session().credentials().deviceJid.empty());
  EXPECT_EQ(h.errors(),
            std::vector<Errc>{GetParam() == Forgery::BadHmac ? Errc::Auth : Errc::Crypto});
  EXPECT_EQ(h.session().status().state, State::Unlinked);
  EXPECT_EQ(h.closes, 1);
  h.advance(1h);
  EXPECT_EQ(h.opens, 1);
}

INSTANTIATE_TEST_SUITE_P(Forgeries, ForgedPairSuccess,
                         ::testing::Values(Forgery::BadHmac, Forgery::BadAccountSignature));

TEST(Session, LoginRefused401IsLoggedOutWithoutReconnect) {
  Harness h(/*paired=*/true);
  h.run(h.session().start(h.now));
  ASSERT_TRUE(h.server().established());
  EXPECT_EQ(h.server().payload().username(), 15551234567u);
  h.deliver(test::failure("401"));
  EXPECT_EQ(h.session().status().state, State::LoggedOut);
  EXPECT_EQ(h.session().status().reasonCode, 401);
  EXPECT_TRUE(h.revoked());
  EXPECT_EQ(h.closes, 1);
  EXPECT_FALSE(h.session().nextDeadline().has_value());
  h.advance(1h);
  EXPECT_EQ(h.opens, 1);
  EXPECT_EQ(h.session().status().state, State::LoggedOut);
}

TEST(Session, LoginRefused405IsOutdatedWithoutReconnect) {
  Harness h(true);
  h.run(h.session().start(h.now));
  h.deliver(test::failure("405"));
  EXPECT_EQ(h.session().status().state, State::Outdated);
  EXPECT_FALSE(h.revoked());
  h.advance(1h);
  EXPECT_EQ(h.opens, 1);
}

TEST(Session, TransientDropReconnectsAtThePolicyDeadline) {
  Harness h(true);
  h.loginToReady();
  h.dropTransport();
  EXPECT_EQ(h.closes, 0) << "the transport is already gone";
  const api::ConnectionStatus status = h.session().status();
  EXPECT_EQ(status.state, State::Reconnecting);
  EXPECT_EQ(status.attempt, 1);
  ASSERT_TRUE(status.nextRetryAt.has_value());
  EXPECT_GE(*status.nextRetryAt, h.now + 4s);
  EXPECT_LE(*status.nextRetryAt, h.now + 6s);
  EXPECT_EQ(h.session().nextDeadline(), status.nextRetryAt);

  h.advance(*status.nextRetryAt - h.now - 1ms);
  EXPECT_EQ(h.opens, 1);
  h.advance(1ms);
  EXPECT_EQ(h.opens, 2);
  EXPECT_EQ(h.session().status().state, State::Connecting);
  h.deliver(test::success("123456789012345:2@lid"));
  EXPECT_EQ(h.session().status().state, State::Ready);
}

TEST(Session, ServiceUnavailableStreamErrorBacksOff) {
  Harness h(true);
  h.loginToReady();
  h.deliver(test::streamError("503"));
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.session().status().state, State::Reconnecting);
  EXPECT_EQ(h.session().status().reasonCode, 503);
  EXPECT_EQ(h.opens, 1);
}

TEST(Session, KeepaliveDeathReconnects) {
  Harness h(true);
  h.loginToReady();
  (void)h.server().takeReceived();
  h.advance(30s);
  const auto received = h.server().takeReceived();
  ASSERT_NE(findIq(received, "get", "w:p"), nullptr);
  EXPECT_EQ(h.closes, 0);
  // No frame at all within the response timeout (20 s after the ping).
  int waited = 0;
  while (h.closes == 0 && waited < 20) {
    h.advance(1s);
    ++waited;
  }
  EXPECT_EQ(h.closes, 1);
  EXPECT_GE(waited, 1);
  EXPECT_EQ(h.session().status().state, State::Reconnecting);
  EXPECT_EQ(h.session().status().reason, "connection lost (keepalive timeout)");
  ASSERT_TRUE(h.session().status().nextRetryAt.has_value());
  h.advance(*h.session().status().nextRetryAt - h.now);
  EXPECT_EQ(h.opens, 2);
}

TEST(Session, UntrustedCertificateFailsTheHandshake) {
  SessionConfig config;
  config.url = "ws://127.0.0.1:1/ws/chat";
  config.wire.trustedRootKey = fixedKeyPair(0x56).publicKey;  // not the server's root
  Harness h(true, std::move(config));
  h.run(h.session().start(h.now));
  EXPECT_FALSE(h.server().established());
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::Crypto});
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.session().status().state, State::Reconnecting);
}

TEST(Session, ConnectTimeoutWhenTheTransportNeverOpens) {
  Harness h(true);
  h.autoOpen = false;
  h.run(h.session().start(h.now));
  EXPECT_EQ(h.opens, 1);
  h.advance(19s);
  EXPECT_EQ(h.closes, 0);
  h.advance(1s);
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::Timeout});
  EXPECT_EQ(h.session().status().state, State::Reconnecting);
}

TEST(Session, StopClosesAndStaysDown) {
  Harness h(true);
  h.loginToReady();
  h.run(h.session().stop(h.now));
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.session().status().state, State::Disconnected);
  EXPECT_FALSE(h.session().nextDeadline().has_value());
  h.run(h.session().onTransportClosed(h.now));  // a late report changes nothing
  h.advance(1h);
  EXPECT_EQ(h.opens, 1);
  h.run(h.session().start(h.now));
  EXPECT_EQ(h.opens, 2);
}

TEST(Session, LinkingTwiceOrWhenLinkedIsRefused) {
  Harness linked(true);
  linked.run(linked.session().linkWithQr(linked.now));
  EXPECT_EQ(linked.opens, 0);
  EXPECT_EQ(linked.errors(), std::vector<Errc>{Errc::InvalidArgument});

  Harness h(false);
  h.run(h.session().linkWithQr(h.now));
  h.run(h.session().linkWithQr(h.now));
  EXPECT_EQ(h.opens, 1);
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::InvalidArgument});
}

TEST(Session, SuccessBeforePairingIsIgnored) {
  Harness h(false);
  h.run(h.session().linkWithQr(h.now));
  h.deliver(test::success("1:2@lid"));
  EXPECT_EQ(h.session().status().state, State::Connecting);
  EXPECT_FALSE(h.session().isPaired());
}

TEST(Session, ServerPingsAreAnsweredOthersIgnored) {
  Harness h(true);
  h.loginToReady();
  (void)h.server().takeReceived();
  binary::Node ping = test::iqResult("srv-1");
  ping.set("type", std::string("get")).set("xmlns", std::string("urn:xmpp:ping"));
  h.deliver(ping);
  auto received = h.server().takeReceived();
  const binary::Node* answer = findIq(received, "result");
  ASSERT_NE(answer, nullptr);
  EXPECT_EQ(answer->attrText("id"), "srv-1");

  ping.set("id", std::string("srv-2")).set("from", std::string("15550000000@s.whatsapp.net"));
  h.deliver(ping);
  EXPECT_TRUE(h.server().takeReceived().empty()) << "requests from others are not answered";
  h.deliver(binary::Node{"message", {}, std::monostate{}});
  EXPECT_EQ(h.session().status().state, State::Ready);
  EXPECT_TRUE(h.errors().empty());
}

TEST(Session, GarbageFromTheServerDropsTheConnection) {
  Harness h(true);
  h.loginToReady();
  const Bytes garbage = {0x00, 0x00, 0x05, 1, 2, 3, 4, 5};  // a frame that does not authenticate
  h.run(h.session().onBytes(garbage, h.now));
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::Malformed});
  EXPECT_EQ(h.session().status().state, State::Reconnecting);
}

}  // namespace
}  // namespace chorus::core::session
