// The Session pairing by phone-number code (protocol §7) against the in-process FakeServer: the
// test plays the server and the phone (with the link_code.h wrapping and the crypto wrappers),
// from <pair-device> through companion_hello, the code, primary_hello, companion_finish and
// <pair-success> with the derived adv secret to 515, login and Ready; and the ways it fails.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "core/crypto/aes_gcm.h"
#include "core/crypto/hash.h"
#include "core/crypto/x25519.h"
#include "core/session/link_code.h"
#include "core/session/session.h"
#include "core/session/stanzas.h"
#include "tests/unit/session/fake_server.h"
#include "tests/unit/session/session_harness.h"

namespace chorus::core::session {
namespace {

using namespace std::chrono_literals;
using test::findIq;
using test::Harness;
using test::State;

constexpr std::string_view kPhoneNumber = "15551234567";
constexpr std::string_view kRef = "2@code-ref";
const std::vector<std::string> kRefs = {"2@r0", "2@r1", "2@r2", "2@r3", "2@r4", "2@r5"};

// The <iq type="set" xmlns="md"> carrying <link_code_companion_reg stage=`stage`>, or nullptr.
const binary::Node* findStage(const std::vector<binary::Node>& nodes, std::string_view stage) {
  for (const binary::Node& n : nodes) {
    const binary::Node* reg = n.child(kLinkCodeRegTag);
    if (n.tag == "iq" && n.attrText("type") == "set" && n.attrText("xmlns") == "md" &&
        reg != nullptr && reg->attrText("stage") == stage) {
      return &n;
    }
  }
  return nullptr;
}

const binary::Node* findTag(const std::vector<binary::Node>& nodes, std::string_view tag) {
  for (const binary::Node& n : nodes) {
    if (n.tag == tag) return &n;
  }
  return nullptr;
}

Bytes leafBytes(const binary::Node& iq, std::string_view tag) {
  const binary::Node* reg = iq.child(kLinkCodeRegTag);
  const binary::Node* leaf = reg != nullptr ? reg->child(tag) : nullptr;
  EXPECT_NE(leaf, nullptr) << tag;
  if (leaf == nullptr) return {};
  const std::optional<BytesView> bytes = contentBytes(*leaf);
  EXPECT_TRUE(bytes.has_value()) << tag;
  return bytes ? toBytes(*bytes) : Bytes{};
}

binary::Node leaf(std::string_view tag, Bytes content) {
  return binary::Node{std::string(tag), {}, std::move(content)};
}

// <iq type="result"><link_code_companion_reg><link_code_pairing_ref>ref</…></…></iq>
binary::Node helloAnswer(std::string id, std::string_view ref) {
  binary::Node answer = test::iqResult(std::move(id));
  answer.content =
      binary::Children{binary::Node{std::string(kLinkCodeRegTag),
                                    {},
                                    binary::Children{leaf("link_code_pairing_ref", toBytes(ref))}}};
  return answer;
}

binary::Node iqError(std::string id, int code, std::string text) {
  binary::Node answer = test::iqResult(std::move(id));
  answer.set("type", std::string("error"));
  binary::Node error;
  error.tag = "error";
  error.set("code", std::to_string(code)).set("text", std::move(text));
  answer.content = binary::Children{std::move(error)};
  return answer;
}

// The phone's side, from §7 and the simulator (app/sim/sim_link_code.cpp).
struct CodePhone {
  explicit CodePhone(Random& random, const crypto::KeyPair& identityKey)
      : identity(identityKey), ephemeral(crypto::generateKeyPair(random).value()) {}

  const crypto::KeyPair& identity;  // the account key (primary identity)
  crypto::KeyPair ephemeral;        // E_p
  Bytes companionEphemeral;         // E_c as unwrapped with the typed code

  // The user typed `code` (display form is fine): unwrap E_c from companion_hello and build the
  // server's <notification type="link_code_companion_reg"> with E_p wrapped by the same code.
  binary::Node primaryHello(const binary::Node& hello, std::string_view code, std::string_view ref,
                            Random& random) {
    const std::string typed = normalizeLinkCode(code).value();
    companionEphemeral =
        unwrapWithLinkCode(typed,
                           leafBytes(hello, "link_code_pairing_wrapped_companion_ephemeral_pub"))
            .value();
    const Bytes wrapped = wrapWithLinkCode(typed, ephemeral.publicKey, random).value();
    binary::Node reg{
        std::string(kLinkCodeRegTag),
        {},
        binary::Children{leaf("link_code_pairing_ref", toBytes(ref)),
                         leaf("primary_identity_pub", identity.publicKey),
                         leaf("link_code_pairing_wrapped_primary_ephemeral_pub", wrapped)}};
    binary::Node notification{"notification", {}, binary::Children{std::move(reg)}};
    notification.set("from", serverJid())
        .set("type", std::string(kLinkCodeNotificationType))
        .set("id", std::string("n-1"))
        .set("t", std::string("1700000000"));
    return notification;
  }

  // companion_finish: open the key bundle, check both identities, derive the adv secret.
  Bytes advSecretFrom(const binary::Node& finish, BytesView companionIdentity) const {
    const Bytes bundle = leafBytes(finish, "link_code_pairing_wrapped_key_bundle");
    EXPECT_GT(bundle.size(), 44u);
    if (bundle.size() <= 44) return {};
    const BytesView sealed = bundle;
    const SecretBytes shared =
        crypto::x25519(ephemeral.privateKey.view(), companionEphemeral).value();
    const SecretBytes key =
        crypto::hkdfSha256(shared.view(), sealed.subspan(0, 32),
                           asBytes("link_code_pairing_key_bundle_encryption_key"), 32)
            .value();
    auto plain = crypto::aesGcmDecrypt(key.view(), sealed.subspan(32, 12), {}, sealed.subspan(44));
    EXPECT_TRUE(plain.has_value()) << "the key bundle does not open";
    if (!plain || plain->size() != 96) return {};
    const BytesView p = *plain;
    EXPECT_EQ(toBytes(p.subspan(0, 32)), toBytes(companionIdentity));
    EXPECT_EQ(toBytes(p.subspan(32, 32)), identity.publicKey);
    EXPECT_EQ(leafBytes(finish, "companion_identity_public"), toBytes(companionIdentity));
    const SecretBytes identityShared =
        crypto::x25519(identity.privateKey.view(), companionIdentity).value();
    const Bytes ikm = concat({shared.view(), identityShared.view(), p.subspan(64)});
    return toBytes(crypto::hkdfSha256(ikm, {}, asBytes("adv_secret"), 32).value().view());
  }
};

// Drives an unpaired session to the shown code: link, <pair-device>, companion_hello, ref.
// Returns companion_hello as the server received it.
binary::Node linkToCode(Harness& h) {
  h.run(h.session().linkWithPhone(kPhoneNumber, h.now));
  h.deliver(test::pairDevice("pd-1", kRefs));
  auto received = h.server().takeReceived();
  const binary::Node* hello = findStage(received, "companion_hello");
  EXPECT_NE(hello, nullptr);
  if (hello == nullptr) return {};
  const binary::Node copy = *hello;
  h.deliver(helloAnswer(copy.attrText("id").value_or(""), kRef));
  return copy;
}

TEST(SessionLinkCode, PairsByCodeThen515ThenLoginToReady) {
  Harness h(/*paired=*/false);
  h.run(h.session().start(h.now));
  const Bytes randomAdvSecret = toBytes(h.session().credentials().advSecret.view());
  const Bytes identityPub = h.session().credentials().identityKey.publicKey;

  h.run(h.session().linkWithPhone(kPhoneNumber, h.now));
  EXPECT_EQ(h.opens, 1);
  ASSERT_TRUE(h.server().established());
  EXPECT_TRUE(h.server().payload().has_devicepairingdata()) << "a registration connection";
  EXPECT_EQ(h.session().status().state, State::Connecting);
  EXPECT_TRUE(h.server().takeReceived().empty()) << "companion_hello waits for <pair-device>";

  h.deliver(test::pairDevice("pd-1", kRefs));
  auto received = h.server().takeReceived();
  const binary::Node* ack = findIq(received, "result");
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->attrText("id"), "pd-1");
  const binary::Node* helloPtr = findStage(received, "companion_hello");
  ASSERT_NE(helloPtr, nullptr);
  const binary::Node hello = *helloPtr;
  const binary::Node* reg = hello.child(kLinkCodeRegTag);
  EXPECT_EQ(reg->attrText("jid"), "15551234567@s.whatsapp.net");
  EXPECT_EQ(leafBytes(hello, "link_code_pairing_wrapped_companion_ephemeral_pub").size(),
            kLinkCodeWrappedSize);
  EXPECT_EQ(leafBytes(hello, "companion_server_auth_key_pub"),
            h.session().credentials().noiseKey.publicKey);
  EXPECT_TRUE(h.qrCodes().empty()) << "no QR when pairing by code";
  EXPECT_TRUE(h.linkCodes().empty()) << "the code follows the server's answer";
  EXPECT_EQ(h.session().status().state, State::Connecting);

  h.deliver(helloAnswer(hello.attrText("id").value_or(""), kRef));
  ASSERT_EQ(h.linkCodes().size(), 1u);
  const std::string code = h.linkCodes()[0];
  ASSERT_EQ(code.size(), 9u);
  EXPECT_EQ(code[4], '-');
  EXPECT_TRUE(normalizeLinkCode(code).has_value());
  EXPECT_EQ(h.session().status().state, State::Pairing);
  EXPECT_EQ(h.session().status().reason, "waiting for the code to be entered on the phone");

  // The user types the code on the phone.
  h.advance(15s);
  EXPECT_EQ(h.linkCodes().size(), 1u) << "the code does not rotate";
  EXPECT_TRUE(h.qrCodes().empty());
  CodePhone phone(h.phoneRandom(), h.phone().accountKey);
  h.deliver(phone.primaryHello(hello, code, kRef, h.phoneRandom()));
  received = h.server().takeReceived();
  const binary::Node* notificationAck = findTag(received, "ack");
  ASSERT_NE(notificationAck, nullptr);
  EXPECT_EQ(notificationAck->attrText("id"), "n-1");
  EXPECT_EQ(notificationAck->attrText("class"), "notification");
  EXPECT_EQ(notificationAck->attrText("type"), "link_code_companion_reg");
  EXPECT_EQ(notificationAck->attrText("to"), "s.whatsapp.net");
  const binary::Node* finishPtr = findStage(received, "companion_finish");
  ASSERT_NE(finishPtr, nullptr);
  const binary::Node finish = *finishPtr;
  EXPECT_EQ(leafBytes(finish, "link_code_pairing_ref"), toBytes(kRef));
  const Bytes advSecret = phone.advSecretFrom(finish, identityPub);
  ASSERT_EQ(advSecret.size(), 32u);
  EXPECT_NE(advSecret, randomAdvSecret);

  h.deliver(test::iqResult(finish.attrText("id").value_or("")));
  EXPECT_EQ(h.paired(), nullptr);
  EXPECT_TRUE(h.errors().empty());

  // The server relays the phone's signed identity, HMACed with the derived adv secret.
  h.deliver(
      test::pairSuccessWithSecret("ps-1", identityPub, advSecret, h.phone(), h.phoneRandom()));
  received = h.server().takeReceived();
  const binary::Node* reply = findIq(received, "result");
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->attrText("id"), "ps-1");
  EXPECT_NE(reply->child("pair-device-sign"), nullptr);
  const PairedEvent* paired = h.paired();
  ASSERT_NE(paired, nullptr);
  EXPECT_EQ(paired->credentials.deviceJid, "15551234567:2@s.whatsapp.net");
  EXPECT_EQ(toBytes(paired->credentials.advSecret.view()), advSecret);
  EXPECT_EQ(toBytes(h.session().credentials().advSecret.view()), advSecret);
  EXPECT_EQ(paired->primaryIdentityKey, h.phone().accountKey.publicKey);

  h.deliver(test::streamError("515"));
  EXPECT_EQ(h.opens, 2);
  ASSERT_TRUE(h.server().established());
  EXPECT_FALSE(h.server().payload().has_devicepairingdata());
  EXPECT_EQ(h.server().payload().username(), 15551234567u);
  h.deliver(test::success("123456789012345:2@lid"));
  EXPECT_EQ(h.session().status().state, State::Ready);
  EXPECT_TRUE(h.errors().empty());
  const std::vector<State> expected = {State::Unlinked, State::Connecting, State::Pairing,
                                       State::Connecting, State::Ready};
  EXPECT_EQ(h.states(), expected);
}

TEST(SessionLinkCode, PrimaryHelloForAnotherRefIsAckedAndIgnored) {
  Harness h(false);
  const binary::Node hello = linkToCode(h);
  ASSERT_EQ(h.linkCodes().size(), 1u);
  CodePhone phone(h.phoneRandom(), h.phone().accountKey);
  h.deliver(phone.primaryHello(hello, h.linkCodes()[0], "2@another-ref", h.phoneRandom()));
  const auto received = h.server().takeReceived();
  EXPECT_NE(findTag(received, "ack"), nullptr) << "notifications are acked whatever they say";
  EXPECT_EQ(findStage(received, "companion_finish"), nullptr);
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::Protocol});
  EXPECT_EQ(h.paired(), nullptr);
  EXPECT_FALSE(h.session().isPaired());
  EXPECT_EQ(h.session().status().state, State::Pairing) << "still waiting for the right one";
  EXPECT_EQ(h.closes, 0);

  // Nobody enters the code: the attempt ends with the <pair-device> refs (60 + 5·20 s).
  h.advance(160s);
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.session().status().state, State::Unlinked);
  EXPECT_EQ(h.errors(), (std::vector<Errc>{Errc::Protocol, Errc::Timeout}));
  EXPECT_TRUE(h.qrCodes().empty());
  h.advance(1h);
  EXPECT_EQ(h.opens, 1) << "linking is restarted by a person";
}

TEST(SessionLinkCode, RefusedCompanionHelloGoesBackToUnlinked) {
  struct Row {
    int code;
    Errc errc;
  };
  for (const Row row : {Row{400, Errc::Protocol}, Row{404, Errc::NotFound}}) {
    SCOPED_TRACE(row.code);
    Harness h(false);
    h.run(h.session().linkWithPhone(kPhoneNumber, h.now));
    h.deliver(test::pairDevice("pd-1", kRefs));
    const auto received = h.server().takeReceived();
    const binary::Node* hello = findStage(received, "companion_hello");
    ASSERT_NE(hello, nullptr);
    h.deliver(iqError(hello->attrText("id").value_or(""), row.code, "refused"));
    EXPECT_EQ(h.errors(), std::vector<Errc>{row.errc});
    EXPECT_TRUE(h.linkCodes().empty());
    EXPECT_EQ(h.closes, 1);
    EXPECT_EQ(h.session().status().state, State::Unlinked);
    EXPECT_EQ(h.session().status().reasonCode, row.code);
    EXPECT_FALSE(h.session().nextDeadline().has_value());
    // A person may try again, by QR this time.
    h.run(h.session().linkWithQr(h.now));
    EXPECT_EQ(h.opens, 2);
    h.deliver(test::pairDevice("pd-2", kRefs));
    EXPECT_EQ(h.qrCodes().size(), 1u);
  }
}

TEST(SessionLinkCode, UnansweredCompanionHelloTimesOut) {
  Harness h(false);
  h.run(h.session().linkWithPhone(kPhoneNumber, h.now));
  h.deliver(test::pairDevice("pd-1", kRefs));
  h.advance(19s);
  EXPECT_EQ(h.closes, 0);
  h.advance(1s);  // config.connectTimeout
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::Timeout});
  EXPECT_EQ(h.session().status().state, State::Unlinked);
}

TEST(SessionLinkCode, WrongCodeOnThePhoneIsRefusedByTheServer) {
  Harness h(false);
  const binary::Node hello = linkToCode(h);
  ASSERT_EQ(h.linkCodes().size(), 1u);
  // The phone unwraps with another code: the companion cannot tell, the server can.
  const std::string wrong = h.linkCodes()[0] == "1111-1111" ? "2222-2222" : "1111-1111";
  CodePhone phone(h.phoneRandom(), h.phone().accountKey);
  h.deliver(phone.primaryHello(hello, wrong, kRef, h.phoneRandom()));
  const auto received = h.server().takeReceived();
  const binary::Node* finish = findStage(received, "companion_finish");
  ASSERT_NE(finish, nullptr);
  h.deliver(iqError(finish->attrText("id").value_or(""), 401, "not-authorized"));
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::Auth});
  EXPECT_EQ(h.session().status().state, State::Unlinked);
  EXPECT_EQ(h.closes, 1);
  EXPECT_FALSE(h.session().isPaired());
}

TEST(SessionLinkCode, PairSuccessWithTheStoredRandomSecretIsRefused) {
  // A <pair-success> HMACed with anything but the derived secret does not link.
  Harness h(false);
  const binary::Node hello = linkToCode(h);
  CodePhone phone(h.phoneRandom(), h.phone().accountKey);
  h.deliver(phone.primaryHello(hello, h.linkCodes()[0], kRef, h.phoneRandom()));
  (void)h.server().takeReceived();
  const store::DeviceCredentials& creds = h.session().credentials();
  h.deliver(test::pairSuccessWithSecret("ps-1", creds.identityKey.publicKey, creds.advSecret.view(),
                                        h.phone(), h.phoneRandom()));
  EXPECT_EQ(h.paired(), nullptr);
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::Auth});
  EXPECT_EQ(h.session().status().state, State::Unlinked);
}

TEST(SessionLinkCode, PhoneThatNeverConfirmsTimesOut) {
  Harness h(false);
  const binary::Node hello = linkToCode(h);
  CodePhone phone(h.phoneRandom(), h.phone().accountKey);
  h.deliver(phone.primaryHello(hello, h.linkCodes()[0], kRef, h.phoneRandom()));
  const auto received = h.server().takeReceived();
  const binary::Node* finish = findStage(received, "companion_finish");
  ASSERT_NE(finish, nullptr);
  h.deliver(test::iqResult(finish->attrText("id").value_or("")));
  h.advance(59s);
  EXPECT_EQ(h.closes, 0);
  h.advance(1s);
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::Timeout});
  EXPECT_EQ(h.session().status().state, State::Unlinked);
}

TEST(SessionLinkCode, BadNumberOrWrongMomentIsRefusedWithoutTransport) {
  Harness h(false);
  h.run(h.session().start(h.now));
  for (std::string_view bad : {"", "+15551234567", "015551234567", "1555 123", "abc", "1234"}) {
    SCOPED_TRACE(bad);
    h.events.clear();
    h.run(h.session().linkWithPhone(bad, h.now));
    EXPECT_EQ(h.errors(), std::vector<Errc>{Errc::InvalidArgument});
    EXPECT_EQ(h.opens, 0);
    EXPECT_EQ(h.session().status().state, State::Unlinked);
    EXPECT_FALSE(h.session().nextDeadline().has_value());
  }

  Harness linked(true);
  linked.run(linked.session().linkWithPhone(kPhoneNumber, linked.now));
  EXPECT_EQ(linked.opens, 0);
  EXPECT_EQ(linked.errors(), std::vector<Errc>{Errc::InvalidArgument});

  Harness busy(false);
  busy.run(busy.session().linkWithQr(busy.now));
  busy.run(busy.session().linkWithPhone(kPhoneNumber, busy.now));
  EXPECT_EQ(busy.opens, 1);
  EXPECT_EQ(busy.errors(), std::vector<Errc>{Errc::InvalidArgument});
}

TEST(SessionLinkCode, LinkCodeNotificationDuringQrLinkingIsAckedAndIgnored) {
  Harness h(false);
  h.run(h.session().linkWithQr(h.now));
  h.deliver(test::pairDevice("pd-1", kRefs));
  (void)h.server().takeReceived();
  binary::Node notification{"notification", {}, std::monostate{}};
  notification.set("from", serverJid())
      .set("type", std::string(kLinkCodeNotificationType))
      .set("id", std::string("n-9"));
  h.deliver(notification);
  const auto received = h.server().takeReceived();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].tag, "ack");
  EXPECT_EQ(received[0].attrText("id"), "n-9");
  EXPECT_TRUE(h.errors().empty());
  EXPECT_EQ(h.session().status().state, State::Pairing);
  EXPECT_EQ(h.qrCodes().size(), 1u);
}

TEST(SessionLinkCode, StopAbandonsTheAttempt) {
  Harness h(false);
  (void)linkToCode(h);
  ASSERT_EQ(h.session().status().state, State::Pairing);
  h.run(h.session().stop(h.now));
  EXPECT_EQ(h.closes, 1);
  EXPECT_EQ(h.session().status().state, State::Unlinked);
  EXPECT_FALSE(h.session().nextDeadline().has_value());
  // A new attempt makes a new code.
  (void)linkToCode(h);
  ASSERT_EQ(h.linkCodes().size(), 2u);
  EXPECT_EQ(h.session().status().state, State::Pairing);
}

}  // namespace
}  // namespace chorus::core::session
