// Prekey bundle fetch (protocol §8.3): the request, the answer in the simulator's shape
// (app/sim/sim_iq_encrypt.cpp), per-user errors and hostile key material.
#include <gtest/gtest.h>

#include "core/protocol/binary/codec.h"
#include "core/protocol/binary/text_form.h"
#include "core/session/prekey_bundle.h"
#include "tests/unit/signal/signal_test_util.h"

namespace chorus::core::session {
namespace {

using binary::Children;
using binary::Node;

jid::Jid j(std::string_view text) {
  return jid::parse(text).value();
}

Node node(std::string_view text) {
  auto parsed = binary::fromText(text);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : describe(parsed.error()));
  return parsed ? *parsed : Node{};
}

void expectRoundTrip(const Node& n) {
  for (auto dict : {binary::DictVersion::V2, binary::DictVersion::V3}) {
    auto back = binary::decode(binary::encode(n, dict).value(), dict);
    ASSERT_TRUE(back.has_value()) << describe(back.error());
    EXPECT_EQ(*back, n);
  }
}

Node leaf(std::string tag, Bytes content) {
  return Node{std::move(tag), {}, std::move(content)};
}

Node parent(std::string tag, Children children) {
  return Node{std::move(tag), {}, std::move(children)};
}

Bytes filled(std::size_t size, std::uint8_t value) {
  return Bytes(size, value);
}

// A server <user> entry built by hand, as the simulator writes it.
Node serverUser(std::string_view device, Bytes identity = filled(32, 0x11),
                Bytes signedKey = filled(32, 0x22), Bytes signature = filled(64, 0x33),
                std::optional<Bytes> oneTime = filled(32, 0x44), Bytes keyId = {0, 0, 7}) {
  Children parts{
      leaf("registration", {0x00, 0x00, 0x30, 0x39}), leaf("type", {0x05}),
      leaf("identity", std::move(identity)),
      parent("skey", {leaf("id", {0x00, 0x00, 0x01}), leaf("value", std::move(signedKey)),
                      leaf("signature", std::move(signature))})};
  if (oneTime) parts.push_back(parent("key", {leaf("id", keyId), leaf("value", *oneTime)}));
  Node user = parent("user", std::move(parts));
  user.set("jid", j(device));
  return user;
}

Node resultWith(Children users) {
  Node iq = parent("iq", {parent("list", std::move(users))});
  iq.set("type", std::string("result")).set("id", std::string("k1"));
  return iq;
}

TEST(MessagingPreKeyBundle, BuildsTheFetchExactly) {
  const std::vector<jid::Jid> devices{j("15550000002@s.whatsapp.net"),
                                      j("15550000002:3@s.whatsapp.net")};
  auto plain = buildPreKeyFetch("k1", devices);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(*plain, node(R"(
<iq xmlns="encrypt" type="get" to=@"s.whatsapp.net" id="k1">
  <key><user jid=@"15550000002@s.whatsapp.net"/><user jid=@"15550000002:3@s.whatsapp.net"/></key>
</iq>)"))
      << binary::toText(*plain);
  expectRoundTrip(*plain);

  auto identity = buildPreKeyFetch("k2", devices, /*reasonIdentity=*/true);
  ASSERT_TRUE(identity.has_value());
  EXPECT_EQ(*identity, node(R"(
<iq xmlns="encrypt" type="get" to=@"s.whatsapp.net" id="k2">
  <key>
    <user jid=@"15550000002@s.whatsapp.net" reason="identity"/>
    <user jid=@"15550000002:3@s.whatsapp.net" reason="identity"/>
  </key>
</iq>)"));
  expectRoundTrip(*identity);

  const std::vector<jid::Jid> none;
  EXPECT_EQ(buildPreKeyFetch("k", none).error().code, Errc::InvalidArgument);
  EXPECT_EQ(buildPreKeyFetch("", devices).error().code, Errc::InvalidArgument);
  const std::vector<jid::Jid> group{j("120363000000000001@g.us")};
  EXPECT_EQ(buildPreKeyFetch("k", group).error().code, Errc::InvalidArgument);
  std::vector<jid::Jid> many(kMaxPreKeyFetchUsers + 1, j("15550000002:3@s.whatsapp.net"));
  EXPECT_EQ(buildPreKeyFetch("k", many).error().code, Errc::InvalidArgument);
}

TEST(MessagingPreKeyBundle, ParsesBundlesAndPerUserErrors) {
  Node error = parent("user", {node(R"(<error code="404" text="item-not-found"/>)")});
  error.set("jid", j("15550000002:5@s.whatsapp.net"));
  Node teapot = parent("user", {node(R"(<error code="500" text="internal"/>)")});
  teapot.set("jid", j("15550000002:6@s.whatsapp.net"));
  // whatsmeow also accepts the keys wrapped in <keys>.
  Node wrapped = serverUser("15550000004@s.whatsapp.net");
  {
    Children& parts = std::get<Children>(wrapped.content);
    Children keys(parts.begin() + 1, parts.end());
    parts.erase(parts.begin() + 1, parts.end());
    parts.push_back(parent("keys", std::move(keys)));
  }
  const Node iq = resultWith({serverUser("15550000002:3@s.whatsapp.net"),
                              serverUser("15550000003@s.whatsapp.net", filled(32, 0x11),
                                         filled(32, 0x22), filled(64, 0x33), std::nullopt),
                              error, teapot, wrapped});
  expectRoundTrip(iq);

  auto fetched = parsePreKeyFetchResult(iq);
  ASSERT_TRUE(fetched.has_value()) << describe(fetched.error());
  ASSERT_EQ(fetched->size(), 5u);

  const FetchedBundle& full = (*fetched)[0];
  EXPECT_EQ(full.device, j("15550000002:3@s.whatsapp.net"));
  ASSERT_TRUE(full.bundle.has_value()) << describe(full.bundle.error());
  EXPECT_EQ(full.bundle->registrationId, 12345u);
  EXPECT_EQ(full.bundle->deviceId, 3);
  EXPECT_EQ(full.bundle->identityKey, filled(32, 0x11));
  EXPECT_EQ(full.bundle->signedPreKeyId, 1u);
  EXPECT_EQ(full.bundle->signedPreKey, filled(32, 0x22));
  EXPECT_EQ(full.bundle->signedPreKeySignature, filled(64, 0x33));
  ASSERT_TRUE(full.bundle->preKey.has_value());
  EXPECT_EQ(full.bundle->preKey->id, 7u);
  EXPECT_EQ(full.bundle->preKey->publicKey, filled(32, 0x44));

  ASSERT_TRUE((*fetched)[1].bundle.has_value());
  EXPECT_EQ((*fetched)[1].bundle->deviceId, 0);
  EXPECT_FALSE((*fetched)[1].bundle->preKey.has_value());

  EXPECT_EQ((*fetched)[2].bundle.error().code, Errc::NotFound);
  EXPECT_EQ((*fetched)[2].serverErrorCode, 404);
  EXPECT_EQ((*fetched)[3].bundle.error().code, Errc::Protocol);
  EXPECT_EQ((*fetched)[3].serverErrorCode, 500);
  ASSERT_TRUE((*fetched)[4].bundle.has_value()) << describe((*fetched)[4].bundle.error());
  EXPECT_EQ((*fetched)[4].bundle->preKey->id, 7u);
}

TEST(MessagingPreKeyBundle, MalformedKeysFailOnlyTheirUser) {
  const Bytes prefixed = concat({Bytes{0x05}, filled(32, 0x11)});
  const std::string device = "15550000002:3@s.whatsapp.net";
  std::vector<Node> bad{
      serverUser(device, prefixed),                                             // 33-byte identity
      serverUser(device, filled(32, 1), concat({Bytes{0x05}, filled(32, 2)})),  // 33-byte skey
      serverUser(device, filled(32, 1), filled(32, 2), filled(63, 3)),          // short signature
      serverUser(device, filled(32, 1), filled(32, 2), filled(64, 3), prefixed),  // 33-byte key
      serverUser(device, filled(32, 1), filled(32, 2), filled(64, 3), filled(32, 4), {0, 7}),
      serverUser(device, Bytes{}),
  };
  Node noRegistration = serverUser(device);
  std::get<Children>(noRegistration.content)
      .erase(std::get<Children>(noRegistration.content).begin());
  bad.push_back(noRegistration);
  Node shortRegistration = serverUser(device);
  std::get<Children>(shortRegistration.content)[0] = leaf("registration", {0x30, 0x39});
  bad.push_back(shortRegistration);
  Node wrongType = serverUser(device);
  std::get<Children>(wrongType.content)[1] = leaf("type", {0x06});
  bad.push_back(wrongType);
  Node noSkey = serverUser(device);
  std::get<Children>(noSkey.content).erase(std::get<Children>(noSkey.content).begin() + 3);
  bad.push_back(noSkey);

  for (std::size_t i = 0; i < bad.size(); ++i) {
    auto fetched =
        parsePreKeyFetchResult(resultWith({bad[i], serverUser("15550000009@s.whatsapp.net")}));
    ASSERT_TRUE(fetched.has_value()) << i;
    ASSERT_EQ(fetched->size(), 2u);
    ASSERT_FALSE((*fetched)[0].bundle.has_value()) << i;
    EXPECT_EQ((*fetched)[0].bundle.error().code, Errc::Protocol) << i;
    EXPECT_TRUE((*fetched)[1].bundle.has_value()) << i;  // the other user is unaffected
  }
}

TEST(MessagingPreKeyBundle, HostileAnswersAreClearErrors) {
  EXPECT_EQ(parsePreKeyFetchResult(node(R"(<iq type="error" id="k"><error code="500"/></iq>)"))
                .error()
                .code,
            Errc::Protocol);
  EXPECT_EQ(parsePreKeyFetchResult(node(R"(<iq type="result" id="k"/>)")).error().code,
            Errc::Protocol);
  EXPECT_EQ(parsePreKeyFetchResult(node(R"(<iq type="result" id="k"><list><user/></list></iq>)"))
                .error()
                .code,
            Errc::Protocol);
  Children users(kMaxPreKeyFetchUsers + 1, serverUser("15550000002:3@s.whatsapp.net"));
  EXPECT_EQ(parsePreKeyFetchResult(resultWith(std::move(users))).error().code, Errc::Protocol);
}

TEST(MessagingPreKeyBundle, UserNodeMatchesTheServerShapeAndRoundTrips) {
  signal::test::Party bob{"15550000002", 3, 7};
  const signal::PreKeyBundle bundle = bob.bundle();
  auto user = bundleUserNode(j("15550000002:3@s.whatsapp.net"), bundle);
  ASSERT_TRUE(user.has_value()) << describe(user.error());
  const Children& parts = std::get<Children>(user->content);
  std::vector<std::string> tags;
  for (const Node& part : parts) tags.push_back(part.tag);
  EXPECT_EQ(tags, (std::vector<std::string>{"registration", "type", "identity", "skey", "key"}));

  auto parsed = parsePreKeyFetchResult(resultWith({*user}));
  ASSERT_TRUE(parsed.has_value());
  const signal::PreKeyBundle& back = (*parsed)[0].bundle.value();
  EXPECT_EQ(back.registrationId, bundle.registrationId);
  EXPECT_EQ(back.deviceId, bundle.deviceId);
  EXPECT_EQ(back.identityKey, bundle.identityKey);
  EXPECT_EQ(back.signedPreKeyId, bundle.signedPreKeyId);
  EXPECT_EQ(back.signedPreKey, bundle.signedPreKey);
  EXPECT_EQ(back.signedPreKeySignature, bundle.signedPreKeySignature);
  EXPECT_EQ(back.preKey->id, bundle.preKey->id);
  EXPECT_EQ(back.preKey->publicKey, bundle.preKey->publicKey);
  EXPECT_TRUE(
      signal::verifySignedPreKey(back.identityKey, back.signedPreKey, back.signedPreKeySignature));
}

TEST(MessagingPreKeyBundle, KeyEntryNodes) {
  auto key = preKeyEntryNode(0x010203, filled(32, 9));
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(*key, parent("key", {leaf("id", {1, 2, 3}), leaf("value", filled(32, 9))}));
  auto skey = signedPreKeyEntryNode(1, filled(32, 9), filled(64, 8));
  ASSERT_TRUE(skey.has_value());
  EXPECT_EQ(*skey, parent("skey", {leaf("id", {0, 0, 1}), leaf("value", filled(32, 9)),
                                   leaf("signature", filled(64, 8))}));
  EXPECT_EQ(preKeyEntryNode(0x1000000, filled(32, 9)).error().code, Errc::InvalidArgument);
  EXPECT_EQ(preKeyEntryNode(1, filled(33, 9)).error().code, Errc::InvalidArgument);
  EXPECT_EQ(signedPreKeyEntryNode(1, filled(32, 9), filled(63, 8)).error().code,
            Errc::InvalidArgument);
}

}  // namespace
}  // namespace chorus::core::session
