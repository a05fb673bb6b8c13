// <pair-success> handling against the §6.3 vector (misc.out: account key 99, adv secret aa,
// companion identity 77) and against forged or malformed identities.
#include "core/session/pairing.h"

#include <gtest/gtest.h>

#include "core/crypto/hash.h"
#include "core/crypto/xeddsa.h"
#include "core/protocol/binary/codec.h"
#include "core/protocol/noise/proto_io.h"
#include "core/session/stanzas.h"
#include "core/signal/signal_keys.h"
#include "proto/adv.pb.h"
#include "tests/unit/protocol/noise/noise_vectors.h"
#include "tests/unit/session/fake_server.h"

namespace chorus::core::session {
namespace {

using test::fixedKeyPair;
using test::hex;
namespace vectors = noise::vectors;

// <iq from=s.whatsapp.net type=result id=pair1 t=1700000000><pair-success><device-identity>…
// <platform name=android/><device jid=15551234567:2@s.whatsapp.net lid=123456789012345:2@lid/>
// </pair-success></iq>
// encoded by Baileys with the v2 tokens.
constexpr std::string_view kPairSuccessNode =
    "00f80a1e06fa0003041408fc0570616972311dff051700000000f801f802fc0c706169722d73756363657373"
    "f803f802fc0f6465766963652d6964656e74697479fc950a710a0b08b9601080e2cfaa0618071220ba1938"
    "36cff1f4e866c139715d306408d26a76f76d638a39afc1001084d254111a4045eacc0140ccc79365e4e39c"
    "51af52029a19ba76b851803697ad2f98ea63bf796fa35dcc2c03c904a767ed267269ae6adde47076e20fac"
    "c671dfb6be66e156891220f32503fe2ce390b0511b01c02ed50cdb0acfa86f7e59e4ead73940413a5a8d9b"
    "f8034b59ec53f805ec060ff70002ff8615551234567ffc036c6964f70102ff88123456789012345f";
// Baileys' <pair-device-sign> reply (v2); its last 64 bytes are curve25519-js's deterministic
// device signature, which ours (with random bytes) is not.
constexpr std::string_view kReplyNode =
    "00f8081e0efa0003041408fc057061697231f801f802fc10706169722d6465766963652d7369676ef801f804"
    "fc0f6465766963652d6964656e74697479fc096b65792d696e64657896fc910a0b08b9601080e2cfaa0618"
    "071a4045eacc0140ccc79365e4e39c51af52029a19ba76b851803697ad2f98ea63bf796fa35dcc2c03c904"
    "a767ed267269ae6adde47076e20facc671dfb6be66e1568922406e78f69925389b6f2a313baf016df87f97"
    "07237b86a3aef77fb456a672d67bdfbf65d0dfb5f4c2f72e8dcc090cedf58ddc1f7cd1f5635f5f5ce97c5252"
    "9bd50e";

const Bytes kAdvSecret(32, 0xaa);

binary::Node vectorRequest() {
  return binary::decodeFrame(hex(kPairSuccessNode), binary::DictVersion::V2).value();
}

// The ADV payload of a request, to tamper with.
binary::Node& identityNode(binary::Node& iq) {
  auto& success = std::get<binary::Children>(iq.content)[0];
  return std::get<binary::Children>(success.content)[0];
}

binary::Node& deviceNode(binary::Node& iq) {
  auto& success = std::get<binary::Children>(iq.content)[0];
  for (binary::Node& child : std::get<binary::Children>(success.content)) {
    if (child.tag == "device") return child;
  }
  ADD_FAILURE() << "no <device>";
  return iq;
}

// Rebuilds the HMAC container around `signedIdentity` with a correct HMAC.
Bytes container(const proto::ADVSignedDeviceIdentity& signedIdentity,
                proto::ADVEncryptionType type = proto::E2EE) {
  const Bytes details = noise::serializeProto(signedIdentity);
  Bytes message = details;
  if (type == proto::HOSTED) message = concat({Bytes{0x06, 0x05}, details});
  proto::ADVSignedDeviceIdentityHMAC hmac;
  hmac.set_details(std::string(asString(details)));
  hmac.set_hmac(std::string(asString(crypto::hmacSha256(kAdvSecret, message))));
  if (type == proto::HOSTED) hmac.set_accounttype(proto::HOSTED);
  return noise::serializeProto(hmac);
}

proto::ADVSignedDeviceIdentity vectorSignedIdentity() {
  proto::ADVSignedDeviceIdentity id;
  EXPECT_TRUE(id.ParseFromString(std::string(asString(hex(vectors::kAdvSignedDeviceIdentity)))));
  return id;
}

Errc errorOf(const binary::Node& iq, BytesView advSecret = kAdvSecret) {
  SeededRandom random(3);
  auto result = processPairSuccess(iq, fixedKeyPair(0x77), advSecret, random);
  EXPECT_FALSE(result.has_value());
  return result.has_value() ? Errc::Internal : result.error().code;
}

TEST(Pairing, VectorPairSuccessVerifiesAndSigns) {
  SeededRandom random(1);
  const crypto::KeyPair identity = fixedKeyPair(0x77);
  auto result = processPairSuccess(vectorRequest(), identity, kAdvSecret, random);
  ASSERT_TRUE(result.has_value()) << describe(result.error());
  EXPECT_EQ(result->deviceJid, "15551234567:2@s.whatsapp.net");
  EXPECT_EQ(result->lid, "123456789012345:2@lid");
  EXPECT_EQ(result->platform, "android");
  EXPECT_EQ(result->keyIndex, 7u);
  EXPECT_EQ(result->accountSignatureKey, fixedKeyPair(0x99).publicKey);

  // The reply is Baileys' byte for byte up to the device signature, which verifies.
  const Bytes reply = binary::encodeFrame(result->reply, binary::DictVersion::V2).value();
  const Bytes expected = hex(kReplyNode);
  ASSERT_EQ(reply.size(), expected.size());
  EXPECT_EQ(toHex(BytesView(reply).first(reply.size() - 64)),
            toHex(BytesView(expected).first(expected.size() - 64)));

  proto::ADVSignedDeviceIdentity sent;
  ASSERT_TRUE(sent.ParseFromArray(reply.data() + reply.size() - 0x91, 0x91));
  EXPECT_FALSE(sent.has_accountsignaturekey());
  const Bytes details = toBytes(asBytes(sent.details()));
  EXPECT_EQ(toHex(details), "08b9601080e2cfaa061807");
  const Bytes signedMessage =
      concat({Bytes{0x06, 0x01}, details, identity.publicKey, result->accountSignatureKey});
  EXPECT_TRUE(
      crypto::xeddsaVerify(identity.publicKey, signedMessage, asBytes(sent.devicesignature())));

  // What the companion keeps: the same identity with the account key.
  proto::ADVSignedDeviceIdentity kept;
  ASSERT_TRUE(kept.ParseFromString(std::string(asString(result->signedDeviceIdentity))));
  EXPECT_EQ(kept.accountsignaturekey(), std::string(asString(result->accountSignatureKey)));
  EXPECT_EQ(kept.devicesignature(), sent.devicesignature());
  EXPECT_EQ(kept.accountsignature(), sent.accountsignature());
}

TEST(Pairing, WrongAdvSecretOrTamperedHmacIsAuth) {
  EXPECT_EQ(errorOf(vectorRequest(), Bytes(32, 0xab)), Errc::Auth);
  binary::Node iq = vectorRequest();
  Bytes& blob = std::get<Bytes>(identityNode(iq).content);
  blob.back() ^= 0x01;  // last byte of the HMAC
  EXPECT_EQ(errorOf(iq), Errc::Auth);
}

TEST(Pairing, BadAccountSignatureIsCrypto) {
  proto::ADVSignedDeviceIdentity id = vectorSignedIdentity();
  std::string sig = id.accountsignature();
  sig[5] = static_cast<char>(sig[5] ^ 0x40);
  id.set_accountsignature(sig);
  binary::Node iq = vectorRequest();
  identityNode(iq).content = container(id);
  EXPECT_EQ(errorOf(iq), Errc::Crypto);

  // A genuine signature for another companion's identity key does not transfer to ours.
  SeededRandom random(2);
  EXPECT_EQ(
      processPairSuccess(vectorRequest(), fixedKeyPair(0x78), kAdvSecret, random).error().code,
      Errc::Crypto);

  // Another account key than the one that signed.
  proto::ADVSignedDeviceIdentity swapped = vectorSignedIdentity();
  swapped.set_accountsignaturekey(std::string(asString(fixedKeyPair(0x98).publicKey)));
  identityNode(iq).content = container(swapped);
  EXPECT_EQ(errorOf(iq), Errc::Crypto);
}

TEST(Pairing, HostedAccountsUseTheirPrefixes) {
  SeededRandom random(4);
  const crypto::KeyPair account = fixedKeyPair(0x99);
  const crypto::KeyPair identity = fixedKeyPair(0x77);
  proto::ADVDeviceIdentity details;
  details.set_rawid(1);
  details.set_keyindex(3);
  details.set_devicetype(proto::HOSTED);
  const Bytes detailBytes = noise::serializeProto(details);
  proto::ADVSignedDeviceIdentity id;
  id.set_details(std::string(asString(detailBytes)));
  id.set_accountsignaturekey(std::string(asString(account.publicKey)));
  id.set_accountsignature(std::string(asString(
      crypto::xeddsaSign(account.privateKey.view(),
                         concat({Bytes{0x06, 0x05}, detailBytes, identity.publicKey}), random)
          .value())));
  binary::Node iq = vectorRequest();
  identityNode(iq).content = container(id, proto::HOSTED);
  auto result = processPairSuccess(iq, identity, kAdvSecret, random);
  ASSERT_TRUE(result.has_value()) << describe(result.error());
  EXPECT_EQ(result->keyIndex, 3u);
  // The same identity with the normal HMAC prefix does not verify.
  identityNode(iq).content = container(id);
  Bytes& blob = std::get<Bytes>(identityNode(iq).content);
  proto::ADVSignedDeviceIdentityHMAC hmac;
  ASSERT_TRUE(hmac.ParseFromArray(blob.data(), static_cast<int>(blob.size())));
  hmac.set_accounttype(proto::HOSTED);
  blob = noise::serializeProto(hmac);
  EXPECT_EQ(errorOf(iq), Errc::Auth);
}

TEST(Pairing, MalformedInputIsTyped) {
  {  // not a protobuf
    binary::Node iq = vectorRequest();
    identityNode(iq).content = Bytes{0xff, 0xff, 0xff};
    EXPECT_EQ(errorOf(iq), Errc::Malformed);
  }
  {  // HMAC container without the hmac
    binary::Node iq = vectorRequest();
    proto::ADVSignedDeviceIdentityHMAC hmac;
    hmac.set_details("x");
    identityNode(iq).content = noise::serializeProto(hmac);
    EXPECT_EQ(errorOf(iq), Errc::Protocol);
  }
  {  // a correctly MACed identity whose account signature is missing
    proto::ADVSignedDeviceIdentity id = vectorSignedIdentity();
    id.clear_accountsignature();
    binary::Node iq = vectorRequest();
    identityNode(iq).content = container(id);
    EXPECT_EQ(errorOf(iq), Errc::Protocol);
  }
  {  // a correctly MACed identity whose details are not an ADVDeviceIdentity
    proto::ADVSignedDeviceIdentity id = vectorSignedIdentity();
    id.set_details("\xff\xff");
    binary::Node iq = vectorRequest();
    identityNode(iq).content = container(id);
    EXPECT_EQ(errorOf(iq), Errc::Malformed);
  }
  {  // no device-identity
    binary::Node iq = vectorRequest();
    auto& children = std::get<binary::Children>(std::get<binary::Children>(iq.content)[0].content);
    children.erase(children.begin());
    EXPECT_EQ(errorOf(iq), Errc::Protocol);
  }
  {  // device 0 is the phone, not a companion
    binary::Node iq = vectorRequest();
    deviceNode(iq).set("jid", std::string("15551234567:0@s.whatsapp.net"));
    EXPECT_EQ(errorOf(iq), Errc::Protocol);
  }
  {  // a lid that is not a LID
    binary::Node iq = vectorRequest();
    deviceNode(iq).set("lid", std::string("123:2@s.whatsapp.net"));
    EXPECT_EQ(errorOf(iq), Errc::Protocol);
  }
  {  // not from the server
    binary::Node iq = vectorRequest();
    iq.set("from", std::string("15550000000@s.whatsapp.net"));
    EXPECT_EQ(errorOf(iq), Errc::Protocol);
  }
  {  // no id to answer
    binary::Node iq = vectorRequest();
    std::erase_if(iq.attrs, [](const binary::Attr& a) { return a.key == "id"; });
    ASSERT_EQ(iq.attr("id"), nullptr);
    EXPECT_EQ(errorOf(iq), Errc::Protocol);
  }
  {  // no pair-success at all
    binary::Node iq = vectorRequest();
    iq.content = binary::Children{};
    EXPECT_EQ(errorOf(iq), Errc::Protocol);
  }
  EXPECT_EQ(errorOf(vectorRequest(), Bytes(31, 0xaa)), Errc::InvalidArgument);
}

TEST(Pairing, ErrorRepliesNameTheFailure) {
  const binary::Node hmac = buildPairingErrorReply("x", Error{Errc::Auth, ""});
  EXPECT_EQ(hmac.attrText("type"), "error");
  EXPECT_EQ(hmac.attrText("id"), "x");
  ASSERT_NE(hmac.child("error"), nullptr);
  EXPECT_EQ(hmac.child("error")->attrText("code"), "401");
  EXPECT_EQ(hmac.child("error")->attrText("text"), "hmac-mismatch");
  const binary::Node sig = buildPairingErrorReply("x", Error{Errc::Crypto, ""});
  EXPECT_EQ(sig.child("error")->attrText("text"), "signature-mismatch");
  const binary::Node other = buildPairingErrorReply("x", Error{Errc::Malformed, ""});
  EXPECT_EQ(other.child("error")->attrText("code"), "500");
  EXPECT_EQ(other.child("error")->attrText("text"), "internal-error");
}

TEST(Pairing, GeneratedCredentialsAreUnpairedAndConsistent) {
  SeededRandom random(5);
  const store::DeviceCredentials creds = generateCredentials(random).value();
  EXPECT_FALSE(creds.isPaired());
  EXPECT_EQ(creds.noiseKey.publicKey.size(), 32u);
  EXPECT_EQ(creds.identityKey.publicKey.size(), 32u);
  EXPECT_EQ(creds.advSecret.size(), 32u);
  EXPECT_EQ(creds.signedPreKey.id, 1u);
  EXPECT_GE(creds.registrationId, 1u);
  EXPECT_TRUE(signal::verifySignedPreKey(creds.identityKey.publicKey,
                                         creds.signedPreKey.keyPair.publicKey,
                                         creds.signedPreKey.signature));
  EXPECT_EQ(crypto::keyPairFromPrivate(creds.noiseKey.privateKey.view())->publicKey,
            creds.noiseKey.publicKey);
  EXPECT_NE(creds.noiseKey.publicKey, creds.identityKey.publicKey);
}

}  // namespace
}  // namespace chorus::core::session
