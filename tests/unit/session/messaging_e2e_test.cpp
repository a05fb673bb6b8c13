// End to end over the pure pieces: Alice (a companion, 15550000001:2) fetches the bundles of
// Bob's phone and of her own other companion (:3) from a hand-built server answer, encrypts a
// padded text Message into one outgoing stanza (a DeviceSentMessage for her own device), the
// stanza crosses the binary codec and is split by a server stand-in the way chorus-sim relays
// it, and each receiver parses, decrypts (pkmsg), unpads and reads the text. Bob answers with a
// msg, receipts and acks go both ways.
#include <gtest/gtest.h>

#include "core/protocol/binary/codec.h"
#include "core/protocol/binary/text_form.h"
#include "core/session/message_content.h"
#include "core/session/message_stanza.h"
#include "core/session/prekey_bundle.h"
#include "core/session/receipts.h"
#include "core/session/usync.h"
#include "core/signal/padding.h"
#include "tests/unit/signal/signal_test_util.h"

namespace chorus::core::session {
namespace {

using binary::Children;
using binary::Node;
using signal::test::Party;

constexpr auto kDict = binary::DictVersion::V3;
constexpr std::string_view kNow = "1700000000";

jid::Jid j(std::string_view text) {
  return jid::parse(text).value();
}

// Through the wire: frame-encoded and decoded again.
Node wire(const Node& node) {
  auto bytes = binary::encodeFrame(node, kDict);
  EXPECT_TRUE(bytes.has_value());
  auto back = binary::decodeFrame(bytes.value(), kDict);
  EXPECT_TRUE(back.has_value());
  return back.value();
}

Node leaf(std::string tag, Bytes content) {
  return Node{std::move(tag), {}, std::move(content)};
}

Node parent(std::string tag, Children children) {
  return Node{std::move(tag), {}, std::move(children)};
}

Bytes be(std::uint32_t value, std::size_t width) {
  Bytes out;
  for (std::size_t i = width; i-- > 0;) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
  return out;
}

// The server's <user> entry for `party`, written out by hand as the encrypt iq answers it.
Node serverBundle(Party& party, const jid::Jid& device) {
  const auto& spk = party.signedPreKey;
  const auto& otk = party.preKeys[0];
  Node user =
      parent("user", {leaf("registration", be(party.store->registrationId().value(), 4)),
                      leaf("type", {0x05}),
                      leaf("identity", party.store->identityKeyPair().value().publicKey),
                      parent("skey", {leaf("id", be(spk.id, 3)), leaf("value", spk.publicKey),
                                      leaf("signature", spk.signature)}),
                      parent("key", {leaf("id", be(otk.id, 3)), leaf("value", otk.publicKey)})});
  user.set("jid", device);
  return user;
}

// chorus-sim's relay (sim_relay.cpp onMessage): each <to jid=X> becomes a message for X from
// the sender's device, with the type copied, recipient=<to> on the sender's own devices, and
// the device identity attached.
Node relayTo(const Node& stanza, const jid::Jid& sender, const jid::Jid& target,
             std::string_view notify) {
  const Node* participants = stanza.child("participants");
  EXPECT_NE(participants, nullptr);
  for (const Node& to : *participants->children()) {
    const auto* device = std::get_if<jid::Jid>(to.attr("jid"));
    if (!device || !jid::sameAddress(*device, target)) continue;
    Node out{"message", {}, {}};
    out.set("from", sender).set("id", *stanza.attr("id")).set("t", std::string(kNow));
    out.set("type", *stanza.attr("type"));
    if (!notify.empty()) out.set("notify", std::string(notify));
    if (target.user == sender.user) out.set("recipient", *stanza.attr("to"));
    Children content{*to.child("enc")};
    if (const Node* identity = stanza.child("device-identity")) content.push_back(*identity);
    out.content = std::move(content);
    return out;
  }
  ADD_FAILURE() << "no <to> for " << jid::format(target);
  return {};
}

signal::SignalAddress addressOf(const jid::Jid& device) {
  return {device.user, device.device};
}

// Receiver side: parse, decrypt the one pairwise enc, unpad, classify.
ReceivedContent receive(Party& me, const OwnJids& self, const Node& delivered,
                        signal::MessageType expected) {
  auto message = parseIncomingMessage(wire(delivered), self);
  EXPECT_TRUE(message.has_value()) << describe(message.error());
  EXPECT_EQ(message->encs.size(), 1u);
  const IncomingEnc& enc = message->encs.at(0);
  EXPECT_EQ(enc.type, encTypeOf(expected));
  const auto type = signal::parseMessageType(encTypeName(enc.type));
  auto padded = me.sessions.decrypt(addressOf(message->sender), type.value(), enc.ciphertext);
  EXPECT_TRUE(padded.has_value()) << describe(padded.error());
  auto content = decodeReceivedContent(padded.value(), message->fromMe);
  EXPECT_TRUE(content.has_value()) << describe(content.error());
  return content.value();
}

TEST(MessagingEndToEnd, FirstMessageIsPreKeyThenTheAnswerIsNormal) {
  Party alice{"15550000001", 2, 11};
  Party aliceOther{"15550000001", 3, 12};
  Party bob{"15550000002", 0, 13};
  const jid::Jid aliceDevice = j("15550000001:2@s.whatsapp.net");
  const jid::Jid aliceOtherDevice = j("15550000001:3@s.whatsapp.net");
  const jid::Jid bobUser = j("15550000002@s.whatsapp.net");
  const OwnJids aliceSelf{j("15550000001@s.whatsapp.net"), std::nullopt};
  const OwnJids bobSelf{bobUser, std::nullopt};

  // 1. Device lists: the server answers usync with Bob's phone and Alice's two companions.
  const std::vector<jid::Jid> users{bobUser, aliceSelf.pn};
  ASSERT_TRUE(buildDeviceListQuery("q1", "s1", users).has_value());
  const Node usyncAnswer = binary::fromText(R"(
<iq type="result" id="q1" from=@"s.whatsapp.net"><usync sid="s1"><list>
  <user jid=@"15550000002@s.whatsapp.net"><devices><device-list><device id="0"/></device-list></devices></user>
  <user jid=@"15550000001@s.whatsapp.net"><devices><device-list>
    <device id="2" key-index="1"/><device id="3" key-index="2"/>
  </device-list></devices></user>
</list></usync></iq>)")
                               .value();
  const auto lists = parseDeviceListResult(wire(usyncAnswer)).value();
  const std::vector<jid::Jid> targets = fanOutDevices(lists, aliceDevice);
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_TRUE(jid::sameAddress(targets[0], bobUser));
  EXPECT_TRUE(jid::sameAddress(targets[1], aliceOtherDevice));

  // 2. Bundles: the fetch iq, then the server's answer built by hand.
  auto fetch = buildPreKeyFetch("k1", targets, true);
  ASSERT_TRUE(fetch.has_value());
  Node answer = parent(
      "iq",
      {parent("list", {serverBundle(bob, targets[0]), serverBundle(aliceOther, targets[1])})});
  answer.set("type", std::string("result")).set("id", std::string("k1"));
  auto bundles = parsePreKeyFetchResult(wire(answer));
  ASSERT_TRUE(bundles.has_value()) << describe(bundles.error());
  ASSERT_EQ(bundles->size(), 2u);
  for (const FetchedBundle& fetched : *bundles) {
    ASSERT_TRUE(fetched.bundle.has_value()) << describe(fetched.bundle.error());
    ASSERT_TRUE(
        alice.sessions.processBundle(addressOf(fetched.device), *fetched.bundle).has_value());
  }

  // 3. The text for Bob, the DSM for Alice's other device, one stanza.
  const proto::Message text = buildTextMessage("hello bob").value();
  const proto::Message dsm = wrapDeviceSent(text, bobUser).value();
  OutgoingMessage out;
  out.id = "3EB0E2E0000000000000001";
  out.to = bobUser;
  out.deviceIdentity = {0x0a, 0x02, 0x08, 0x01};  // stands in for ADVSignedDeviceIdentity
  for (const jid::Jid& target : targets) {
    const bool own = aliceSelf.owns(target);
    const Bytes plain = encodePaddedMessage(own ? dsm : text, *alice.random).value();
    auto encrypted = alice.sessions.encrypt(addressOf(target), plain);
    ASSERT_TRUE(encrypted.has_value());
    EXPECT_EQ(encrypted->type, signal::MessageType::PreKey);
    out.participants.push_back({target, std::move(*encrypted)});
  }
  out.phash = participantHash(targets);
  auto stanza = buildMessageStanza(out);
  ASSERT_TRUE(stanza.has_value()) << describe(stanza.error());
  const Node sent = wire(*stanza);
  EXPECT_NE(sent.child("device-identity"), nullptr);

  // 4. Bob's phone reads it.
  const Node toBob = relayTo(sent, aliceDevice, targets[0], "Alice");
  const ReceivedContent atBob = receive(bob, bobSelf, toBob, signal::MessageType::PreKey);
  EXPECT_EQ(atBob.kind, ContentKind::Text);
  EXPECT_EQ(atBob.text, "hello bob");
  EXPECT_FALSE(atBob.deviceSent);
  const IncomingMessage bobView = parseIncomingMessage(wire(toBob), bobSelf).value();
  EXPECT_EQ(bobView.pushName, "Alice");
  EXPECT_EQ(jid::format(bobView.chat), "15550000001@s.whatsapp.net");
  const Node bobReceipt = wire(buildDeliveryReceipt(bobView));
  EXPECT_EQ(bobReceipt,
            binary::fromText(
                R"(<receipt id="3EB0E2E0000000000000001" to=@"15550000001:2@s.whatsapp.net"/>)")
                .value());

  // 5. Alice's other companion reads the DeviceSentMessage copy.
  const Node toOther = relayTo(sent, aliceDevice, targets[1], "");
  const ReceivedContent atOther =
      receive(aliceOther, aliceSelf, toOther, signal::MessageType::PreKey);
  EXPECT_TRUE(atOther.deviceSent);
  EXPECT_EQ(atOther.destinationJid, "15550000002@s.whatsapp.net");
  EXPECT_EQ(atOther.text, "hello bob");
  const IncomingMessage otherView = parseIncomingMessage(wire(toOther), aliceSelf).value();
  EXPECT_TRUE(otherView.fromMe);
  EXPECT_EQ(jid::format(otherView.chat), "15550000002@s.whatsapp.net");
  EXPECT_EQ(buildDeliveryReceipt(otherView).attrText("type"), "sender");
  EXPECT_TRUE(buildAckFor(wire(toOther)).has_value());

  // 6. Bob answers: a msg now, and no device identity.
  const Bytes reply =
      encodePaddedMessage(buildTextMessage("hi alice").value(), *bob.random).value();
  auto encrypted = bob.sessions.encrypt(addressOf(aliceDevice), reply);
  ASSERT_TRUE(encrypted.has_value());
  EXPECT_EQ(encrypted->type, signal::MessageType::Normal);
  OutgoingMessage answerOut;
  answerOut.id = "3EB0E2E0000000000000002";
  answerOut.to = aliceSelf.pn;
  answerOut.participants.push_back({aliceDevice, std::move(*encrypted)});
  const Node answerStanza = wire(buildMessageStanza(answerOut).value());
  EXPECT_EQ(answerStanza.child("device-identity"), nullptr);
  const Node toAlice = relayTo(answerStanza, j("15550000002@s.whatsapp.net"), aliceDevice, "Bob");
  const ReceivedContent atAlice = receive(alice, aliceSelf, toAlice, signal::MessageType::Normal);
  EXPECT_EQ(atAlice.text, "hi alice");

  // 7. Alice's next message to Bob is a msg too; the server's ack closes the send.
  const Bytes again = encodePaddedMessage(buildTextMessage("again").value(), *alice.random).value();
  EXPECT_EQ(alice.sessions.encrypt(addressOf(bobUser), again)->type, signal::MessageType::Normal);
  auto serverAck = parseServerAck(wire(
      binary::fromText(
          R"(<ack class="message" id="3EB0E2E0000000000000001" from=@"15550000002@s.whatsapp.net" t="1700000000"/>)")
          .value()));
  ASSERT_TRUE(serverAck.has_value());
  EXPECT_EQ(serverAck->id, out.id);
  EXPECT_EQ(serverAck->error, 0);
}

TEST(MessagingEndToEnd, UndecryptableMessageGetsARetryReceiptTheSenderCanUse) {
  Party alice{"15550000001", 2, 21};
  Party bob{"15550000002", 0, 22};
  const jid::Jid aliceDevice = j("15550000001:2@s.whatsapp.net");
  const OwnJids bobSelf{j("15550000002@s.whatsapp.net"), std::nullopt};

  // Bob got a msg he has no session for.
  const Node garbled = binary::fromText(R"(
<message from=@"15550000001:2@s.whatsapp.net" id="3EB0LOST" t="1700000000" type="text">
  <enc v="2" type="msg">x"330a2105"</enc>
</message>)")
                           .value();
  const IncomingMessage lost = parseIncomingMessage(wire(garbled), bobSelf).value();
  auto attempt = bob.sessions.decrypt(addressOf(lost.sender), signal::MessageType::Normal,
                                      lost.encs[0].ciphertext);
  ASSERT_FALSE(attempt.has_value());

  // Second attempt: with keys, a fresh one-time prekey.
  const auto count = nextRetryCount(1, lost.encs[0].retryCount).value();
  ASSERT_EQ(count, 2u);
  const auto identity = bob.store->identityKeyPair().value();
  RetryKeys keys{identity.publicKey,  bob.preKeys[1].id,          bob.preKeys[1].publicKey,
                 bob.signedPreKey.id, bob.signedPreKey.publicKey, bob.signedPreKey.signature,
                 Bytes{0x0a, 0x01}};
  ASSERT_TRUE(retryIncludesKeys(count, false));
  auto retry = buildRetryReceipt(lost, {count, bob.store->registrationId().value(), keys});
  ASSERT_TRUE(retry.has_value()) << describe(retry.error());

  // The server forwards it to Alice's device as from=Bob.
  Node forwarded = wire(*retry);
  forwarded.attrs.clear();
  forwarded.set("from", j("15550000002@s.whatsapp.net"))
      .set("id", std::string("3EB0LOST"))
      .set("t", std::string(kNow))
      .set("type", std::string("retry"));
  auto incoming =
      parseIncomingReceipt(forwarded, OwnJids{j("15550000001@s.whatsapp.net"), std::nullopt});
  ASSERT_TRUE(incoming.has_value()) << describe(incoming.error());
  ASSERT_TRUE(incoming->retry && incoming->retry->bundle);
  ASSERT_TRUE(alice.sessions.processBundle(addressOf(incoming->sender), *incoming->retry->bundle)
                  .has_value());

  // Alice resends to that one device; Bob decrypts it.
  const Bytes plain =
      encodePaddedMessage(buildTextMessage("resent").value(), *alice.random).value();
  auto encrypted = alice.sessions.encrypt(addressOf(incoming->sender), plain);
  ASSERT_TRUE(encrypted.has_value());
  RetryResend resend;
  resend.id = incoming->retry->messageId;
  resend.to = incoming->from;
  resend.timestamp = incoming->retry->timestamp;
  resend.encrypted = std::move(*encrypted);
  resend.retryCount = incoming->retry->count;
  resend.deviceIdentity = {0x0a, 0x02};
  Node delivered = wire(buildRetryResend(resend).value());
  delivered.attrs.clear();  // the server re-addresses it: from = Alice's device
  delivered.set("from", aliceDevice).set("id", resend.id).set("t", std::string(kNow));
  const IncomingMessage again = parseIncomingMessage(wire(delivered), bobSelf).value();
  EXPECT_EQ(again.encs[0].retryCount, 2u);
  auto padded = bob.sessions.decrypt(addressOf(again.sender), signal::MessageType::PreKey,
                                     again.encs[0].ciphertext);
  ASSERT_TRUE(padded.has_value()) << describe(padded.error());
  EXPECT_EQ(decodeReceivedContent(*padded, false)->text, "resent");
}

}  // namespace
}  // namespace chorus::core::session
