#include "core/session/prekeys.h"

#include <gtest/gtest.h>

#include "core/crypto/xeddsa.h"
#include "core/protocol/binary/codec.h"
#include "core/session/stanzas.h"
#include "core/util/random.h"

namespace chorus::core::session {
namespace {

using binary::Children;
using binary::Node;

Node leaf(std::string tag, Bytes content) {
  return Node{std::move(tag), {}, std::move(content)};
}
Node parent(std::string tag, Children children) {
  return Node{std::move(tag), {}, std::move(children)};
}
Node withCount(Node node, std::string value) {
  Node count{"count", {}, {}};
  count.set("value", std::move(value));
  node.content = Children{std::move(count)};
  return node;
}

// Fixed, recognisable keys: the layout test compares bytes, not cryptography.
struct FixedKeys {
  Bytes identity = Bytes(32, 0x11);
  signal::SignedPreKey signedPreKey{0x000102, Bytes(32, 0x22), SecretBytes(Bytes(32, 0x33)),
                                    Bytes(64, 0x44), 0};
  std::vector<signal::PreKeyBundle::OneTimePreKey> preKeys{{1, Bytes(32, 0x55)},
                                                           {0xFFFFFF, Bytes(32, 0x66)}};
};

TEST(PreKeyUploadTest, LayoutMatchesWhatsmeowAndBaileysByteForByte) {
  FixedKeys k;
  auto built = buildPreKeyUpload("up.1", 0x01020304, k.identity, k.signedPreKey, k.preKeys);
  ASSERT_TRUE(built.has_value()) << describe(built.error());

  // Written out by hand from whatsmeow's uploadPreKeys / Baileys' getNextPreKeysNode.
  Node expected{"iq", {}, {}};
  expected.set("to", serverJid()).set("type", std::string("set")).set("id", std::string("up.1"));
  expected.set("xmlns", std::string("encrypt"));
  expected.content = Children{
      leaf("registration", Bytes{0x01, 0x02, 0x03, 0x04}),
      leaf("type", Bytes{0x05}),
      leaf("identity", Bytes(32, 0x11)),
      parent(
          "list",
          {parent("key", {leaf("id", Bytes{0x00, 0x00, 0x01}), leaf("value", Bytes(32, 0x55))}),
           parent("key", {leaf("id", Bytes{0xFF, 0xFF, 0xFF}), leaf("value", Bytes(32, 0x66))})}),
      parent("skey", {leaf("id", Bytes{0x00, 0x01, 0x02}), leaf("value", Bytes(32, 0x22)),
                      leaf("signature", Bytes(64, 0x44))}),
  };
  EXPECT_EQ(*built, expected);

  for (auto dict : {binary::DictVersion::V2, binary::DictVersion::V3}) {
    const Bytes wire = binary::encode(*built, dict).value();
    EXPECT_EQ(wire, binary::encode(expected, dict).value());
    auto decoded = binary::decode(wire, dict);
    ASSERT_TRUE(decoded.has_value()) << describe(decoded.error());
    EXPECT_EQ(*decoded, expected);
  }
}

// What chorus-sim's preKeyUpload checks (app/sim/sim_iq_encrypt.cpp), on real keys after a trip
// through the codec: binary children of the right sizes, type 5, a signature that verifies.
TEST(PreKeyUploadTest, RealKeysPassTheSimulatorsChecks) {
  SeededRandom random(3);
  const auto identity = signal::generateIdentityKeyPair(random).value();
  const auto spk = signal::generateSignedPreKey(identity, 1, random).value();
  std::vector<signal::PreKeyBundle::OneTimePreKey> preKeys;
  const std::vector<signal::PreKey> generated = signal::generatePreKeys(1, 812, random).value();
  for (const auto& key : generated) {
    preKeys.push_back({key.id, key.publicKey});
  }
  const Node node = buildPreKeyUpload("x", 4242, identity.publicKey, spk, preKeys).value();
  const Node iq = binary::decodeFrame(binary::encodeFrame(node, binary::DictVersion::V3).value(),
                                      binary::DictVersion::V3)
                      .value();

  EXPECT_EQ(iq.attrText("xmlns"), "encrypt");
  EXPECT_EQ(iq.attrText("type"), "set");
  ASSERT_NE(iq.attr("to"), nullptr);
  EXPECT_TRUE(isServerJid(*iq.attr("to")));
  auto bytesOf = [](const Node& parentNode, std::string_view tag) -> const Bytes* {
    const Node* child = parentNode.child(tag);
    return child ? child->bytes() : nullptr;
  };
  ASSERT_NE(bytesOf(iq, "registration"), nullptr);
  EXPECT_EQ(readU32BE(bytesOf(iq, "registration")->data()), 4242u);
  EXPECT_EQ(*bytesOf(iq, "type"), Bytes{0x05});
  EXPECT_EQ(*bytesOf(iq, "identity"), identity.publicKey);

  const Node* skey = iq.child("skey");
  ASSERT_NE(skey, nullptr);
  ASSERT_EQ(bytesOf(*skey, "id")->size(), 3u);
  EXPECT_EQ(readU24BE(bytesOf(*skey, "id")->data()), 1u);
  Bytes signedMessage{0x05};
  append(signedMessage, *bytesOf(*skey, "value"));
  EXPECT_TRUE(
      crypto::xeddsaVerify(identity.publicKey, signedMessage, *bytesOf(*skey, "signature")));

  const Node* list = iq.child("list");
  ASSERT_NE(list, nullptr);
  ASSERT_NE(list->children(), nullptr);
  ASSERT_EQ(list->children()->size(), 812u);
  std::uint32_t expectedId = 1;
  for (const Node& key : *list->children()) {
    EXPECT_EQ(key.tag, "key");
    ASSERT_NE(bytesOf(key, "id"), nullptr);
    ASSERT_EQ(bytesOf(key, "id")->size(), 3u);
    EXPECT_EQ(readU24BE(bytesOf(key, "id")->data()), expectedId++);
    EXPECT_EQ(bytesOf(key, "value")->size(), 32u);
  }
}

TEST(PreKeyUploadTest, RefusesWhatTheWireCannotCarry) {
  FixedKeys k;
  EXPECT_EQ(buildPreKeyUpload("x", 1, Bytes(31, 1), k.signedPreKey, k.preKeys).error().code,
            Errc::InvalidArgument);
  auto badSignature = k.signedPreKey.clone();
  badSignature.signature.pop_back();
  EXPECT_EQ(buildPreKeyUpload("x", 1, k.identity, badSignature, k.preKeys).error().code,
            Errc::InvalidArgument);
  auto bigId = k.signedPreKey.clone();
  bigId.id = 0x1000000;
  EXPECT_EQ(buildPreKeyUpload("x", 1, k.identity, bigId, k.preKeys).error().code,
            Errc::InvalidArgument);
  for (std::uint32_t id : {0u, 0x1000000u}) {
    std::vector<signal::PreKeyBundle::OneTimePreKey> keys{{id, Bytes(32, 1)}};
    EXPECT_EQ(buildPreKeyUpload("x", 1, k.identity, k.signedPreKey, keys).error().code,
              Errc::InvalidArgument);
  }
  std::vector<signal::PreKeyBundle::OneTimePreKey> shortKey{{1, Bytes(33, 1)}};
  EXPECT_EQ(buildPreKeyUpload("x", 1, k.identity, k.signedPreKey, shortKey).error().code,
            Errc::InvalidArgument);
  // An upload without one-time prekeys is still well-formed (it re-sends the signed prekey).
  auto empty = buildPreKeyUpload("x", 1, k.identity, k.signedPreKey, {});
  ASSERT_TRUE(empty.has_value());
  ASSERT_NE(empty->child("list"), nullptr);
  EXPECT_TRUE(empty->child("list")->children()->empty());
}

TEST(PreKeyUploadTest, SignedPreKeyRotationStanza) {
  FixedKeys k;
  const Node built = buildSignedPreKeyRotation("r.1", k.signedPreKey).value();
  Node expected{"iq", {}, {}};
  expected.set("to", serverJid()).set("type", std::string("set")).set("id", std::string("r.1"));
  expected.set("xmlns", std::string("encrypt"));
  expected.content = Children{
      parent("rotate",
             {parent("skey", {leaf("id", Bytes{0x00, 0x01, 0x02}), leaf("value", Bytes(32, 0x22)),
                              leaf("signature", Bytes(64, 0x44))})})};
  EXPECT_EQ(built, expected);
}

TEST(PreKeyCountTest, QueryAndResult) {
  Node expected{"iq", {}, {}};
  expected.set("to", serverJid()).set("type", std::string("get")).set("id", std::string("c.1"));
  expected.set("xmlns", std::string("encrypt"));
  expected.content = Children{Node{"count", {}, {}}};
  const Node query = buildPreKeyCountQuery("c.1");
  EXPECT_EQ(query, expected);
  EXPECT_EQ(binary::encode(query, binary::DictVersion::V3).value(),
            binary::encode(expected, binary::DictVersion::V3).value());

  const Node result = withCount(buildIqResult("c.1"), "37");
  EXPECT_EQ(parsePreKeyCount(result).value(), 37u);
  EXPECT_EQ(parsePreKeyCount(withCount(buildIqResult("c.1"), "0")).value(), 0u);

  for (const char* bad : {"", "-1", "+3", " 3", "3x", "0x10", "1234567890"}) {
    auto r = parsePreKeyCount(withCount(buildIqResult("c.1"), bad));
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, Errc::Protocol);
  }
  EXPECT_EQ(parsePreKeyCount(buildIqResult("c.1")).error().code, Errc::Protocol);
  EXPECT_EQ(parsePreKeyCount(buildIqError("c.1", 500, "internal-server-error")).error().code,
            Errc::Protocol);
  Node notIq = withCount(Node{"message", {}, {}}, "3");
  notIq.set("type", std::string("result"));
  EXPECT_EQ(parsePreKeyCount(notIq).error().code, Errc::Protocol);
}

Node notification(binary::AttrValue from, std::string type, std::string count) {
  Node node{"notification", {}, {}};
  node.set("from", std::move(from)).set("type", std::move(type));
  node.set("id", std::string("n1")).set("t", std::string("1700000000"));
  return withCount(std::move(node), std::move(count));
}

TEST(PreKeyNotificationTest, LowCountFromTheServer) {
  // As chorus-sim sends it (from = the server JID) and as text.
  EXPECT_EQ(preKeyNotificationCount(notification(serverJid(), "encrypt", "4")), 4u);
  EXPECT_EQ(preKeyNotificationCount(notification(std::string("s.whatsapp.net"), "encrypt", "2")),
            2u);
  EXPECT_TRUE(isLowPreKeyNotification(notification(serverJid(), "encrypt", "4")));
  EXPECT_TRUE(isLowPreKeyNotification(notification(serverJid(), "encrypt", "0")));
  EXPECT_FALSE(isLowPreKeyNotification(notification(serverJid(), "encrypt", "5")));
  PreKeyPolicy eager;
  eager.minServerCount = 10;
  EXPECT_TRUE(isLowPreKeyNotification(notification(serverJid(), "encrypt", "5"), eager));

  // Not this notification: another type, from a user (an identity change), no or bad count.
  EXPECT_FALSE(preKeyNotificationCount(notification(serverJid(), "devices", "4")).has_value());
  jid::Jid user = serverJid();
  user.user = "15550000002";
  EXPECT_FALSE(preKeyNotificationCount(notification(user, "encrypt", "4")).has_value());
  EXPECT_FALSE(preKeyNotificationCount(notification(serverJid(), "encrypt", "x")).has_value());
  Node identityChange{"notification", {}, Children{Node{"identity", {}, {}}}};
  identityChange.set("from", user).set("type", std::string("encrypt"));
  EXPECT_FALSE(preKeyNotificationCount(identityChange).has_value());
  EXPECT_FALSE(isLowPreKeyNotification(identityChange));
  Node bare{"notification", {}, {}};
  bare.set("from", serverJid()).set("type", std::string("encrypt"));
  EXPECT_FALSE(preKeyNotificationCount(bare).has_value());
}

TEST(PreKeyPolicyTest, FirstUploadIsLargeRefillsAreBatches) {
  const PreKeyPolicy policy;
  EXPECT_EQ(policy.toUpload(0), 812u);
  EXPECT_EQ(policy.toUpload(1), 50u);
  EXPECT_EQ(policy.toUpload(4), 50u);
  EXPECT_EQ(policy.toUpload(5), 0u);
  EXPECT_EQ(policy.toUpload(812), 0u);
}

TEST(SignedPreKeyRotationTest, WeeklyAndNeverPinnedByAClockJump) {
  const TimePoint created = fromUnixSeconds(1'700'000'000);
  EXPECT_FALSE(shouldRotateSignedPreKey(created, created));
  EXPECT_FALSE(shouldRotateSignedPreKey(created, created + kSignedPreKeyRotation - Millis(1)));
  EXPECT_TRUE(shouldRotateSignedPreKey(created, created + kSignedPreKeyRotation));
  EXPECT_TRUE(shouldRotateSignedPreKey(created, created - Millis(1)));
  EXPECT_EQ(kSignedPreKeyRotation, std::chrono::days(7));
}

}  // namespace
}  // namespace chorus::core::session
