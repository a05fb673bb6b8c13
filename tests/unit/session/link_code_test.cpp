// Pairing by phone-number code (§7): the code alphabet and PBKDF2 vectors, and a round trip
// against a phone written here from §7 (its own PBKDF2 and AES-CTR over OpenSSL), ending in the
// same <pair-success> path as QR pairing.
#include "core/session/link_code.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "core/crypto/aes_gcm.h"
#include "core/crypto/hash.h"
#include "core/session/pairing.h"
#include "core/session/qr.h"
#include "core/session/stanzas.h"
#include "tests/unit/session/fake_server.h"

namespace chorus::core::session {
namespace {

using test::fixedKeyPair;
using test::hex;

constexpr std::string_view kPhone = "15551234567";
constexpr std::string_view kCode = "ABCD2345";

const binary::Node& child(const binary::Node& node, std::string_view tag) {
  const binary::Node* found = node.child(tag);
  EXPECT_NE(found, nullptr) << tag;
  return *found;
}

Bytes childContent(const binary::Node& node, std::string_view tag) {
  return *child(node, tag).bytes();
}

binary::Node& mutableChild(binary::Node& node, std::string_view tag) {
  for (binary::Node& c : std::get<binary::Children>(node.content)) {
    if (c.tag == tag) return c;
  }
  ADD_FAILURE() << tag;
  return node;
}

// ---- The phone, from §7 ----------------------------------------------------------------------

Bytes phoneCtr(std::string_view code, BytesView salt, BytesView iv, BytesView data) {
  Bytes key(32);
  EXPECT_EQ(PKCS5_PBKDF2_HMAC(code.data(), static_cast<int>(code.size()), salt.data(),
                              static_cast<int>(salt.size()), 131072, EVP_sha256(), 32, key.data()),
            1);
  Bytes out(data.size());
  int written = 0;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EXPECT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_256_ctr(), nullptr, key.data(), iv.data()), 1);
  EXPECT_EQ(EVP_EncryptUpdate(ctx, out.data(), &written, data.data(), static_cast<int>(data.size())),
            1);
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

Bytes phoneUnwrap(std::string_view code, BytesView wrapped) {
  return phoneCtr(code, wrapped.subspan(0, 32), wrapped.subspan(32, 16), wrapped.subspan(48));
}

struct SimPhone {
  explicit SimPhone(std::string typed) : code(std::move(typed)) {}

  std::string code;                                  // what the user typed on the phone
  crypto::KeyPair identity = fixedKeyPair(0x99);     // account key = identity key
  crypto::KeyPair ephemeral = fixedKeyPair(0x55);    // E_p
  Bytes companionEphemeral;                          // E_c as unwrapped with `code`

  // companion_hello arrived, the user typed `code`: the primary_hello notification.
  binary::Node primaryHello(const binary::Node& helloIq, std::string ref) {
    const binary::Node& reg = child(helloIq, kLinkCodeRegTag);
    companionEphemeral =
        phoneUnwrap(code, childContent(reg, "link_code_pairing_wrapped_companion_ephemeral_pub"));
    const Bytes salt(32, 0x31);
    const Bytes iv(16, 0x32);
    const Bytes wrapped = concat({salt, iv, phoneCtr(code, salt, iv, ephemeral.publicKey)});
    binary::Node inner;
    inner.tag = std::string(kLinkCodeRegTag);
    binary::Node refNode{"link_code_pairing_ref", {}, toBytes(ref)};
    binary::Node identityNode{"primary_identity_pub", {}, identity.publicKey};
    binary::Node wrappedNode{"link_code_pairing_wrapped_primary_ephemeral_pub", {}, wrapped};
    inner.content = binary::Children{refNode, identityNode, wrappedNode};
    binary::Node notification{"notification", {}, binary::Children{std::move(inner)}};
    notification.set("from", serverJid()).set("type", std::string("link_code_companion_reg"));
    notification.set("id", std::string("n1"));
    return notification;
  }

  // companion_finish: the adv secret, or an error when the bundle does not open.
  Result<Bytes> finish(const binary::Node& finishIq, BytesView companionIdentity) {
    const binary::Node& reg = child(finishIq, kLinkCodeRegTag);
    const BytesView bundle = *child(reg, "link_code_pairing_wrapped_key_bundle").bytes();
    CHORUS_TRY(shared, crypto::x25519(ephemeral.privateKey.view(), companionEphemeral));
    CHORUS_TRY(key, crypto::hkdfSha256(shared.view(), bundle.subspan(0, 32),
                                       asBytes("link_code_pairing_key_bundle_encryption_key"), 32));
    CHORUS_TRY(plain, crypto::aesGcmDecrypt(key.view(), bundle.subspan(32, 12), {},
                                            bundle.subspan(44)));
    const BytesView p = plain;
    if (p.size() != 96 || !constantTimeEqual(p.subspan(0, 32), companionIdentity) ||
        !constantTimeEqual(p.subspan(32, 32), identity.publicKey) ||
        childContent(reg, "companion_identity_public") != toBytes(companionIdentity)) {
      return fail(Errc::Auth, "bundle does not match");
    }
    CHORUS_TRY(identityShared, crypto::x25519(identity.privateKey.view(), companionIdentity));
    const Bytes ikm = concat({shared.view(), identityShared.view(), p.subspan(64)});
    CHORUS_TRY(adv, crypto::hkdfSha256(ikm, {}, asBytes("adv_secret"), 32));
    return toBytes(adv.view());
  }
};

LinkCodePairing makePairing(std::string_view code = kCode) {
  return LinkCodePairing::fromParts(kPhone, code, fixedKeyPair(0x44)).value();
}

// ---- Codes and wrapping ------------------------------------------------------------------------

TEST(LinkCode, AlphabetVectorAndForms) {
  EXPECT_EQ(linkCodeFromBytes(hex("0102030405")), "15217216");
  EXPECT_EQ(linkCodeFromBytes(hex("0000000000")), "11111111");
  EXPECT_EQ(linkCodeFromBytes(hex("ffffffffff")), "ZZZZZZZZ");
  EXPECT_EQ(normalizeLinkCode("abcd-2345").value(), "ABCD2345");
  EXPECT_EQ(normalizeLinkCode("ABCD 2345").value(), "ABCD2345");
  EXPECT_EQ(normalizeLinkCode("ABCD-234O").error().code, Errc::InvalidArgument);  // no O
  EXPECT_EQ(normalizeLinkCode("ABCD-0345").error().code, Errc::InvalidArgument);  // no 0
  EXPECT_EQ(normalizeLinkCode("ABCD-234").error().code, Errc::InvalidArgument);
  EXPECT_EQ(formatLinkCode("ABCD2345"), "ABCD-2345");
}

TEST(LinkCode, Pbkdf2Vector) {
  // §7 step 3 / misc.out.
  const auto key = linkCodeKey("15217216", Bytes(32, 0x01));
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(toHex(key->view()), "a9807af2844dbf7346fb90eb2bafa8686323b63d912a17b5a2693c7aaac1cc64");
}

TEST(LinkCode, WrapRoundTripAndSizes) {
  SeededRandom random(1);
  const Bytes key(32, 0x42);
  const Bytes wrapped = wrapWithLinkCode(kCode, key, random).value();
  ASSERT_EQ(wrapped.size(), kLinkCodeWrappedSize);
  EXPECT_EQ(unwrapWithLinkCode(kCode, wrapped).value(), key);
  EXPECT_EQ(phoneUnwrap(kCode, wrapped), key);  // agrees with the independent phone
  EXPECT_NE(unwrapWithLinkCode("ABCD2346", wrapped).value(), key);
  EXPECT_EQ(unwrapWithLinkCode(kCode, BytesView(wrapped).first(79)).error().code, Errc::Protocol);
  EXPECT_EQ(wrapWithLinkCode(kCode, Bytes(31), random).error().code, Errc::InvalidArgument);
}

TEST(LinkCode, CreateMakesAValidCode) {
  SeededRandom random(2);
  auto pairing = LinkCodePairing::create(kPhone, random);
  ASSERT_TRUE(pairing.has_value());
  EXPECT_EQ(pairing->code().size(), kLinkCodeLength);
  EXPECT_EQ(normalizeLinkCode(pairing->code()).value(), pairing->code());
  EXPECT_EQ(pairing->displayCode().size(), kLinkCodeLength + 1);
  EXPECT_EQ(pairing->ephemeralPublicKey().size(), 32u);
  EXPECT_EQ(LinkCodePairing::create("+15551234567", random).error().code, Errc::InvalidArgument);
  EXPECT_EQ(LinkCodePairing::create("015551234567", random).error().code, Errc::InvalidArgument);
  EXPECT_EQ(LinkCodePairing::create("", random).error().code, Errc::InvalidArgument);
}

TEST(LinkCode, CompanionHelloShape) {
  SeededRandom random(3);
  LinkCodePairing pairing = makePairing();
  const Bytes noise = fixedKeyPair(0x11).publicKey;
  const binary::Node iq = pairing.buildCompanionHello("h1", noise, random).value();
  EXPECT_EQ(iq.tag, "iq");
  EXPECT_EQ(iq.attrText("type"), "set");
  EXPECT_EQ(iq.attrText("xmlns"), "md");
  EXPECT_EQ(iq.attrText("id"), "h1");
  EXPECT_EQ(iq.attrText("to"), "s.whatsapp.net");
  const binary::Node& reg = child(iq, kLinkCodeRegTag);
  EXPECT_EQ(reg.attrText("jid"), "15551234567@s.whatsapp.net");
  EXPECT_EQ(reg.attrText("stage"), "companion_hello");
  EXPECT_EQ(reg.attrText("should_show_push_notification"), "true");
  const Bytes wrapped = childContent(reg, "link_code_pairing_wrapped_companion_ephemeral_pub");
  ASSERT_EQ(wrapped.size(), 80u);
  EXPECT_EQ(phoneUnwrap(kCode, wrapped), pairing.ephemeralPublicKey());
  EXPECT_EQ(childContent(reg, "companion_server_auth_key_pub"), noise);
  EXPECT_EQ(childContent(reg, "companion_platform_id"), toBytes(std::string_view("1")));
  EXPECT_EQ(childContent(reg, "companion_platform_display"),
            toBytes(std::string_view("Chrome (Linux)")));
  EXPECT_EQ(childContent(reg, "link_code_pairing_nonce"), Bytes{0x00});
  EXPECT_EQ(pairing.buildCompanionHello("h2", Bytes(31), random).error().code,
            Errc::InvalidArgument);
}

// ---- Round trip ----------------------------------------------------------------------------------

TEST(LinkCode, RoundTripEndsInPairSuccess) {
  SeededRandom random(4);
  const crypto::KeyPair identity = fixedKeyPair(0x77);
  const crypto::KeyPair noise = fixedKeyPair(0x11);
  LinkCodePairing pairing = makePairing();
  SimPhone phone{std::string(kCode)};

  const binary::Node hello = pairing.buildCompanionHello("h1", noise.publicKey, random).value();
  binary::Node result = buildIqResult("h1");
  result.content = binary::Children{binary::Node{
      std::string(kLinkCodeRegTag), {},
      binary::Children{binary::Node{"link_code_pairing_ref", {}, toBytes(std::string_view("2@REF"))}}}};
  EXPECT_EQ(pairing.processCompanionHelloResult(result).value(), "2@REF");
  EXPECT_EQ(pairing.ref(), "2@REF");

  const binary::Node notification = phone.primaryHello(hello, "2@REF");
  EXPECT_TRUE(LinkCodePairing::isPrimaryHello(notification));
  auto finish = pairing.processPrimaryHello(notification, identity, "f1", random);
  ASSERT_TRUE(finish.has_value()) << finish.error().detail;
  EXPECT_EQ(finish->ref, "2@REF");
  EXPECT_EQ(finish->primaryIdentityKey, phone.identity.publicKey);
  EXPECT_EQ(finish->iq.attrText("id"), "f1");
  EXPECT_EQ(finish->iq.attrText("xmlns"), "md");
  const binary::Node& reg = child(finish->iq, kLinkCodeRegTag);
  EXPECT_EQ(reg.attrText("stage"), "companion_finish");
  EXPECT_EQ(reg.attrText("jid"), "15551234567@s.whatsapp.net");
  EXPECT_EQ(childContent(reg, "link_code_pairing_ref"), toBytes(std::string_view("2@REF")));

  const auto phoneAdv = phone.finish(finish->iq, identity.publicKey);
  ASSERT_TRUE(phoneAdv.has_value()) << phoneAdv.error().detail;
  EXPECT_EQ(*phoneAdv, toBytes(finish->advSecret.view()));

  // The phone links us with the derived secret: the QR path takes over.
  test::Phone adv;
  adv.accountKey = fixedKeyPair(0x99);
  const std::string qr = qrString("2@REF", noise.publicKey, identity.publicKey, *phoneAdv);
  const binary::Node success = test::pairSuccess("p1", qr, adv, random);
  auto paired = processPairSuccess(success, identity, finish->advSecret.view(), random);
  ASSERT_TRUE(paired.has_value()) << paired.error().detail;
  EXPECT_EQ(paired->accountSignatureKey, finish->primaryIdentityKey);
}

TEST(LinkCode, WrongCodeOnThePhoneFails) {
  SeededRandom random(5);
  const crypto::KeyPair identity = fixedKeyPair(0x77);
  LinkCodePairing pairing = makePairing();
  SimPhone phone{"ABCD2346"};  // one character off
  const binary::Node hello =
      pairing.buildCompanionHello("h1", fixedKeyPair(0x11).publicKey, random).value();
  const binary::Node notification = phone.primaryHello(hello, "2@REF");
  // The companion cannot tell: CTR unwraps anything.
  auto finish = pairing.processPrimaryHello(notification, identity, "f1", random);
  ASSERT_TRUE(finish.has_value());
  // The phone cannot open the bundle.
  EXPECT_FALSE(phone.finish(finish->iq, identity.publicKey).has_value());
}

// ---- Hostile input -------------------------------------------------------------------------------

class LinkCodeMalformed : public ::testing::Test {
 protected:
  LinkCodeMalformed() {
    hello_ = pairing_.buildCompanionHello("h1", fixedKeyPair(0x11).publicKey, random_).value();
    notification_ = phone_.primaryHello(hello_, "2@REF");
  }
  Errc errorOf(const binary::Node& node) {
    auto r = pairing_.processPrimaryHello(node, identity_, "f1", random_);
    EXPECT_FALSE(r.has_value());
    return r.has_value() ? Errc::Internal : r.error().code;
  }
  binary::Node& reg() { return mutableChild(notification_, kLinkCodeRegTag); }

  SeededRandom random_{6};
  crypto::KeyPair identity_ = fixedKeyPair(0x77);
  LinkCodePairing pairing_ = makePairing();
  SimPhone phone_{std::string(kCode)};
  binary::Node hello_;
  binary::Node notification_;
};

TEST_F(LinkCodeMalformed, WrongNotification) {
  notification_.set("type", std::string("server_sync"));
  EXPECT_EQ(errorOf(notification_), Errc::Protocol);
}

TEST_F(LinkCodeMalformed, NotFromServer) {
  notification_.set("from", std::string("15550000000@s.whatsapp.net"));
  EXPECT_EQ(errorOf(notification_), Errc::Protocol);
}

TEST_F(LinkCodeMalformed, MissingInnerNode) {
  notification_.content = binary::Children{};
  EXPECT_EQ(errorOf(notification_), Errc::Protocol);
}

TEST_F(LinkCodeMalformed, MissingRef) {
  auto& children = std::get<binary::Children>(reg().content);
  children.erase(children.begin());
  EXPECT_EQ(errorOf(notification_), Errc::Protocol);
}

TEST_F(LinkCodeMalformed, ShortIdentity) {
  mutableChild(reg(), "primary_identity_pub").content = Bytes(31, 1);
  EXPECT_EQ(errorOf(notification_), Errc::Protocol);
}

TEST_F(LinkCodeMalformed, ShortWrappedKey) {
  mutableChild(reg(), "link_code_pairing_wrapped_primary_ephemeral_pub").content = Bytes(79, 1);
  EXPECT_EQ(errorOf(notification_), Errc::Protocol);
}

TEST_F(LinkCodeMalformed, WrappedKeyAsChildren) {
  mutableChild(reg(), "link_code_pairing_wrapped_primary_ephemeral_pub").content =
      binary::Children{};
  EXPECT_EQ(errorOf(notification_), Errc::Protocol);
}

TEST_F(LinkCodeMalformed, RefOfAnotherAttempt) {
  binary::Node result = buildIqResult("h1");
  result.content = binary::Children{binary::Node{
      std::string(kLinkCodeRegTag), {},
      binary::Children{binary::Node{"link_code_pairing_ref", {}, toBytes(std::string_view("2@OTHER"))}}}};
  ASSERT_TRUE(pairing_.processCompanionHelloResult(result).has_value());
  EXPECT_EQ(errorOf(notification_), Errc::Protocol);
}

TEST_F(LinkCodeMalformed, BadIdentityKeyPair) {
  crypto::KeyPair bad;
  bad.publicKey = Bytes(31);
  auto r = pairing_.processPrimaryHello(notification_, bad, "f1", random_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::InvalidArgument);
}

TEST(LinkCode, HelloResultErrors) {
  LinkCodePairing pairing = makePairing();
  EXPECT_EQ(pairing.processCompanionHelloResult(buildIqError("h1", 400, "bad-request")).error().code,
            Errc::Protocol);
  EXPECT_EQ(pairing.processCompanionHelloResult(buildIqResult("h1")).error().code, Errc::Protocol);
  binary::Node empty = buildIqResult("h1");
  empty.content = binary::Children{binary::Node{
      std::string(kLinkCodeRegTag), {},
      binary::Children{binary::Node{"link_code_pairing_ref", {}, Bytes{}}}}};
  EXPECT_EQ(pairing.processCompanionHelloResult(empty).error().code, Errc::Protocol);
  EXPECT_TRUE(pairing.ref().empty());
}

}  // namespace
}  // namespace chorus::core::session
