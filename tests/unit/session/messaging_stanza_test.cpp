// <message> stanzas (protocol §9.3, §9.5, §10.2): exact outgoing nodes for 1:1 and groups, the
// shapes the simulator relays (app/sim/sim_relay.cpp, sim_relay_group.cpp, sim_phone.cpp),
// and hostile incoming messages.
#include <gtest/gtest.h>

#include "core/protocol/binary/codec.h"
#include "core/protocol/binary/text_form.h"
#include "core/session/message_stanza.h"

namespace chorus::core::session {
namespace {

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
    auto bytes = binary::encodeFrame(n, dict);
    ASSERT_TRUE(bytes.has_value()) << describe(bytes.error());
    auto back = binary::decodeFrame(*bytes, dict);
    ASSERT_TRUE(back.has_value()) << describe(back.error());
    EXPECT_EQ(*back, n);
  }
}

OutgoingEnc enc(std::string_view device, signal::MessageType type, Bytes bytes) {
  return {j(device), {type, std::move(bytes)}};
}

const OwnJids kMe{j("15550000001@s.whatsapp.net"), j("777@lid")};

TEST(MessagingStanza, DirectMessageWithPreKeyCarriesDeviceIdentity) {
  OutgoingMessage message;
  message.id = "3EB0AABBCCDDEEFF001122";
  message.to = j("15550000002@s.whatsapp.net");
  message.participants = {
      enc("15550000002@s.whatsapp.net", signal::MessageType::PreKey, {0x33, 1}),
      enc("15550000002:3@s.whatsapp.net", signal::MessageType::Normal, {0x33, 2}),
      enc("15550000001@s.whatsapp.net", signal::MessageType::Normal, {0x33, 3})};
  message.deviceIdentity = {0x0a, 0x01};
  auto stanza = buildMessageStanza(message);
  ASSERT_TRUE(stanza.has_value()) << describe(stanza.error());
  EXPECT_EQ(*stanza, node(R"(
<message id="3EB0AABBCCDDEEFF001122" to=@"15550000002@s.whatsapp.net" type="text">
  <participants>
    <to jid=@"15550000002@s.whatsapp.net"><enc v="2" type="pkmsg">x"3301"</enc></to>
    <to jid=@"15550000002:3@s.whatsapp.net"><enc v="2" type="msg">x"3302"</enc></to>
    <to jid=@"15550000001@s.whatsapp.net"><enc v="2" type="msg">x"3303"</enc></to>
  </participants>
  <device-identity>x"0a01"</device-identity>
</message>)"))
      << binary::toText(*stanza);
  expectRoundTrip(*stanza);

  // Only msg: no device identity, even when the caller has one.
  message.participants[0].encrypted.type = signal::MessageType::Normal;
  message.phash = "2:lKnOmkl7";
  message.mediaType = "image";
  message.type = "media";
  auto plain = buildMessageStanza(message);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(*plain, node(R"(
<message id="3EB0AABBCCDDEEFF001122" to=@"15550000002@s.whatsapp.net" type="media" phash="2:lKnOmkl7">
  <participants>
    <to jid=@"15550000002@s.whatsapp.net"><enc v="2" type="msg" mediatype="image">x"3301"</enc></to>
    <to jid=@"15550000002:3@s.whatsapp.net"><enc v="2" type="msg" mediatype="image">x"3302"</enc></to>
    <to jid=@"15550000001@s.whatsapp.net"><enc v="2" type="msg" mediatype="image">x"3303"</enc></to>
  </participants>
</message>)"))
      << binary::toText(*plain);
  expectRoundTrip(*plain);
}

TEST(MessagingStanza, GroupMessageWithSenderKey) {
  OutgoingMessage message;
  message.id = "3EB0GROUP";
  message.to = j("120363000000000001@g.us");
  message.participants = {
      enc("15550000002:3@s.whatsapp.net", signal::MessageType::PreKey, {0x33, 9})};
  message.senderKeyCiphertext = {0x33, 0x0a};
  message.deviceIdentity = {0x0a};
  auto stanza = buildMessageStanza(message);
  ASSERT_TRUE(stanza.has_value()) << describe(stanza.error());
  EXPECT_EQ(*stanza, node(R"(
<message id="3EB0GROUP" to=@"120363000000000001@g.us" type="text">
  <participants><to jid=@"15550000002:3@s.whatsapp.net"><enc v="2" type="pkmsg">x"3309"</enc></to></participants>
  <device-identity>x"0a"</device-identity>
  <enc v="2" type="skmsg">x"330a"</enc>
</message>)"))
      << binary::toText(*stanza);
  expectRoundTrip(*stanza);

  // Everyone has our sender key already: no <participants> at all (Baileys).
  message.participants.clear();
  auto skOnly = buildMessageStanza(message);
  ASSERT_TRUE(skOnly.has_value());
  EXPECT_EQ(*skOnly, node(R"(
<message id="3EB0GROUP" to=@"120363000000000001@g.us" type="text"><enc v="2" type="skmsg">x"330a"</enc></message>)"));
}

TEST(MessagingStanza, RefusesUnusableOutgoingMessages) {
  OutgoingMessage good;
  good.id = "id1";
  good.to = j("15550000002@s.whatsapp.net");
  good.participants = {enc("15550000002@s.whatsapp.net", signal::MessageType::Normal, {0x33})};
  ASSERT_TRUE(buildMessageStanza(good).has_value());

  auto expectRefused = [](OutgoingMessage m, std::string_view why) {
    auto r = buildMessageStanza(m);
    ASSERT_FALSE(r.has_value()) << why;
    EXPECT_EQ(r.error().code, Errc::InvalidArgument) << why;
  };
  OutgoingMessage m = good;
  m.id.clear();
  expectRefused(m, "empty id");
  m = good;
  m.id = std::string(kMaxMessageIdLength + 1, 'A');
  expectRefused(m, "long id");
  m = good;
  m.participants[0].encrypted.type = signal::MessageType::PreKey;
  expectRefused(m, "pkmsg without device identity");
  m = good;
  m.senderKeyCiphertext = {0x33};
  expectRefused(m, "skmsg in 1:1");
  m = good;
  m.to = j("120363000000000001@g.us");
  expectRefused(m, "group without skmsg");
  m = good;
  m.participants.clear();
  expectRefused(m, "1:1 without participants");
  m = good;
  m.participants.push_back(enc("15550000002@s.whatsapp.net", signal::MessageType::Normal, {0x33}));
  expectRefused(m, "duplicate participant");
  m = good;
  m.participants.push_back(enc("120363000000000001@g.us", signal::MessageType::Normal, {0x33}));
  expectRefused(m, "group as participant");
  m = good;
  m.participants[0].encrypted.bytes.clear();
  expectRefused(m, "empty ciphertext");
  m = good;
  m.to = j("status@broadcast");
  expectRefused(m, "broadcast");
  m = good;
  m.participants.assign(kMaxStanzaParticipants + 1, m.participants[0]);
  expectRefused(m, "too many");
}

TEST(MessagingStanza, ParticipantHashMatchesWhatsmeow) {
  // "2:" + base64(sha256(sorted "user.agent:device@server" joined)[0:6]), computed independently.
  const std::vector<jid::Jid> devices{j("15550000002:3@s.whatsapp.net"),
                                      j("15550000001@s.whatsapp.net"),
                                      j("15550000002@s.whatsapp.net")};
  EXPECT_EQ(participantHash(devices), "2:lKnOmkl7");
}

TEST(MessagingStanza, RetryResendForOneDevice) {
  RetryResend resend;
  resend.id = "3EB0RETRY";
  resend.to = j("15550000002:3@s.whatsapp.net");
  resend.timestamp = 1700000000;
  resend.encrypted = {signal::MessageType::PreKey, {0x33, 7}};
  resend.retryCount = 2;
  resend.deviceIdentity = {0x0a};
  auto stanza = buildRetryResend(resend);
  ASSERT_TRUE(stanza.has_value()) << describe(stanza.error());
  EXPECT_EQ(*stanza, node(R"(
<message to=@"15550000002:3@s.whatsapp.net" type="text" id="3EB0RETRY" t="1700000000" device_fanout="false">
  <enc v="2" type="pkmsg" count="2">x"3307"</enc>
  <device-identity>x"0a"</device-identity>
</message>)"))
      << binary::toText(*stanza);
  expectRoundTrip(*stanza);

  resend.group = true;
  resend.to = j("120363000000000001@g.us");
  resend.participant = j("15550000002:3@s.whatsapp.net");
  resend.encrypted.type = signal::MessageType::Normal;
  auto group = buildRetryResend(resend);
  ASSERT_TRUE(group.has_value());
  EXPECT_EQ(*group, node(R"(
<message to=@"120363000000000001@g.us" type="text" id="3EB0RETRY" t="1700000000" participant=@"15550000002:3@s.whatsapp.net">
  <enc v="2" type="msg" count="2">x"3307"</enc>
</message>)"))
      << binary::toText(*group);

  resend.retryCount = 0;
  EXPECT_EQ(buildRetryResend(resend).error().code, Errc::InvalidArgument);
  resend.retryCount = 1;
  resend.encrypted = {signal::MessageType::PreKey, {0x33}};
  resend.deviceIdentity.clear();
  EXPECT_EQ(buildRetryResend(resend).error().code, Errc::InvalidArgument);
}

// What chorus-sim delivers for a 1:1 message (sim_relay.cpp onMessage).
TEST(MessagingStanza, ParsesARelayedDirectMessage) {
  const Node relayed = node(R"(
<message from=@"15550000002:3@s.whatsapp.net" id="3EB0X" t="1700000000" type="text" notify="Bob" offline="1">
  <enc v="2" type="pkmsg">x"3301"</enc>
  <device-identity>x"0a0b"</device-identity>
</message>)");
  expectRoundTrip(relayed);
  auto parsed = parseIncomingMessage(relayed, kMe);
  ASSERT_TRUE(parsed.has_value()) << describe(parsed.error());
  EXPECT_EQ(parsed->id, "3EB0X");
  EXPECT_EQ(parsed->chatKind, ChatKind::Direct);
  EXPECT_EQ(jid::format(parsed->chat), "15550000002@s.whatsapp.net");
  EXPECT_EQ(jid::format(parsed->sender), "15550000002:3@s.whatsapp.net");
  EXPECT_FALSE(parsed->fromMe);
  EXPECT_EQ(parsed->timestamp, 1700000000);
  EXPECT_EQ(parsed->pushName, "Bob");
  EXPECT_EQ(parsed->type, "text");
  EXPECT_TRUE(parsed->offline);
  ASSERT_EQ(parsed->encs.size(), 1u);
  EXPECT_EQ(parsed->encs[0].type, EncType::PreKey);
  EXPECT_EQ(parsed->encs[0].version, 2);
  EXPECT_EQ(parsed->encs[0].ciphertext, (Bytes{0x33, 0x01}));
  EXPECT_EQ(parsed->encs[0].retryCount, 0u);
  EXPECT_EQ(parsed->deviceIdentity, (Bytes{0x0a, 0x0b}));
}

TEST(MessagingStanza, ParsesOwnDeviceCopiesAndIgnoresForgedRecipients) {
  auto own = parseIncomingMessage(node(R"(
<message from=@"15550000001:2@s.whatsapp.net" recipient=@"15550000002@s.whatsapp.net" id="m" t="1">
  <enc v="2" type="msg" count="1">x"33"</enc>
</message>)"),
                                  kMe);
  ASSERT_TRUE(own.has_value());
  EXPECT_TRUE(own->fromMe);
  EXPECT_EQ(jid::format(own->chat), "15550000002@s.whatsapp.net");
  EXPECT_EQ(own->encs[0].retryCount, 1u);

  auto lid = parseIncomingMessage(node(R"(
<message from=@"777:4@lid" id="m" t="1"><enc v="2" type="msg">x"33"</enc></message>)"),
                                  kMe);
  EXPECT_TRUE(lid->fromMe);

  // Someone else naming a recipient does not redirect the chat (whatsmeow ignores it).
  auto forged = parseIncomingMessage(node(R"(
<message from=@"15550000009@s.whatsapp.net" recipient=@"15550000002@s.whatsapp.net" id="m" t="1">
  <enc v="2" type="msg">x"33"</enc>
</message>)"),
                                     kMe);
  ASSERT_TRUE(forged.has_value());
  EXPECT_FALSE(forged->fromMe);
  EXPECT_EQ(jid::format(forged->chat), "15550000009@s.whatsapp.net");
}

// What chorus-sim delivers for a group message (sim_relay_group.cpp onGroupMessage).
TEST(MessagingStanza, ParsesARelayedGroupMessage) {
  const Node relayed = node(R"(
<message from=@"120363000000000001@g.us" participant=@"15550000002:3@s.whatsapp.net" id="g1" t="5" type="text">
  <enc v="2" type="pkmsg">x"3301"</enc>
  <device-identity>x"0a"</device-identity>
  <enc v="2" type="skmsg" decrypt-fail="hide">x"3302"</enc>
</message>)");
  auto parsed = parseIncomingMessage(relayed, kMe);
  ASSERT_TRUE(parsed.has_value()) << describe(parsed.error());
  EXPECT_EQ(parsed->chatKind, ChatKind::Group);
  EXPECT_EQ(jid::format(parsed->chat), "120363000000000001@g.us");
  EXPECT_EQ(jid::format(parsed->sender), "15550000002:3@s.whatsapp.net");
  ASSERT_EQ(parsed->encs.size(), 2u);
  EXPECT_EQ(parsed->encs[0].type, EncType::PreKey);
  EXPECT_EQ(parsed->encs[1].type, EncType::SenderKey);
  EXPECT_TRUE(parsed->encs[1].hideOnFailure);

  auto unavailable = parseIncomingMessage(node(R"(
<message from=@"15550000002@s.whatsapp.net" id="u" t="5"><unavailable/></message>)"),
                                          kMe);
  ASSERT_TRUE(unavailable.has_value());
  EXPECT_TRUE(unavailable->unavailable);
  EXPECT_TRUE(unavailable->encs.empty());
}

TEST(MessagingStanza, HostileIncomingMessagesAreClearErrors) {
  const std::string enc = R"(<enc v="2" type="msg">x"33"</enc>)";
  for (
      const std::string& bad : std::vector<std::string>{
          R"(<message from=@"15550000002@s.whatsapp.net" t="1">)" + enc + "</message>",
          R"(<message id="" from=@"15550000002@s.whatsapp.net" t="1">)" + enc + "</message>",
          R"(<message id=")" + std::string(kMaxMessageIdLength + 1, 'A') +
              R"(" from=@"15550000002@s.whatsapp.net" t="1">)" + enc + "</message>",
          R"(<message id="m" t="1">)" + enc + "</message>",
          R"(<message id="m" from="not a jid" t="1">)" + enc + "</message>",
          R"(<message id="m" from=@"15550000002@s.whatsapp.net">)" + enc + "</message>",
          R"(<message id="m" from=@"15550000002@s.whatsapp.net" t="-5">)" + enc + "</message>",
          R"(<message id="m" from=@"15550000002@s.whatsapp.net" t="1"><enc v="2" type="frobnicate">x"33"</enc></message>)",
          R"(<message id="m" from=@"15550000002@s.whatsapp.net" t="1"><enc v="2">x"33"</enc></message>)",
          R"(<message id="m" from=@"15550000002@s.whatsapp.net" t="1"><enc v="2" type="msg"/></message>)",
          R"(<message id="m" from=@"15550000002@s.whatsapp.net" t="1"><enc v="x" type="msg">x"33"</enc></message>)",
          R"(<message id="m" from=@"15550000002@s.whatsapp.net" t="1"><enc v="2" type="msg" count="-1">x"33"</enc></message>)",
          R"(<message id="m" from=@"15550000002@s.whatsapp.net" t="1"><enc v="2" type="skmsg">x"33"</enc></message>)",
          R"(<message id="m" from=@"120363000000000001@g.us" t="1">)" + enc + "</message>",
          R"(<message id="m" from=@"120363000000000001@g.us" participant=@"120363000000000002@g.us" t="1">)" +
              enc + "</message>",
          R"(<message id="m" from=@"15550000002@s.whatsapp.net" participant="bad jid" t="1">)" +
              enc + "</message>",
          R"(<message id="m" from=@"15550000002@s.whatsapp.net" t="1">)" + enc + enc + enc + enc +
              enc + "</message>",
          R"(<receipt id="m" from=@"15550000002@s.whatsapp.net" t="1"/>)",
      }) {
    auto r = parseIncomingMessage(node(bad), kMe);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, Errc::Protocol) << bad;
  }
  auto newsletter = parseIncomingMessage(node(R"(
<message id="m" from=@"1203630000@newsletter" t="1"><plaintext>x"0a"</plaintext></message>)"),
                                         kMe);
  ASSERT_FALSE(newsletter.has_value());
  EXPECT_EQ(newsletter.error().code, Errc::Unsupported);
}

TEST(MessagingStanza, EncTypeNames) {
  for (EncType type : {EncType::PreKey, EncType::Normal, EncType::SenderKey}) {
    EXPECT_EQ(parseEncType(encTypeName(type)), type);
  }
  EXPECT_FALSE(parseEncType("plaintext").has_value());
  EXPECT_EQ(encTypeOf(signal::MessageType::PreKey), EncType::PreKey);
  EXPECT_EQ(encTypeOf(signal::MessageType::Normal), EncType::Normal);
}

}  // namespace
}  // namespace chorus::core::session
